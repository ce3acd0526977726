import { declareService, declareVariants } from "./adapter";
import { integerId } from "./ids";
import { lag } from "./lag";
import { FLOW_STATUS } from "./statusRule";

/**
 * A TDSQL-C (CynosDB) wait. Its calls answer ids of two kinds: a `FlowId` (IsolateCluster,
 * UpgradeClusterVersion, ...), polled with DescribeFlow, and an integer `TaskId` (CreateAccounts,
 * CreateProxy, OpenSSL, SwitchClusterZone, ...), polled with DescribeTasks filtered on it, whose
 * `BizTaskInfo` has separate `ID` and `FlowId` fields. Give the one the call answered.
 */
export type CynosdbTask = { service: "cynosdb"; flowId: number | string } | { service: "cynosdb"; taskId: number | string };

const flow = declareService<CynosdbTask, number>({
  service: "cynosdb",
  title: "TDSQL-C (CynosDB)",
  product: "cynosdb",
  version: "2019-01-07",
  action: "DescribeFlow",
  regionRequired: true,
  rateLimit: 20,
  id: integerId({ input: "flowId", param: "FlowId", noun: "flow", origin: "the FlowId answered by the TDSQL-C call" }),
  rule: FLOW_STATUS,
  unknownId: lag(),
  definitions: {
    fields: ["Status"],
    documented: "the flow's status: 0 succeeded, 1 failed, 2 processing",
    origins: [
      { action: "IsolateCluster", field: "FlowId" },
      { action: "UpgradeClusterVersion", field: "FlowId" },
      { action: "RestartInstance", field: "FlowId" },
      { action: "PauseServerless", field: "FlowId" },
      { action: "ModifyInstanceParam", field: "FlowId" },
      { action: "SwitchClusterVpc", field: "FlowId" },
    ],
    example: { flowId: 4242 },
  },
});

/**
 * `BizTaskInfo.Status` documents no values. The Terraform provider waits for `success`
 * (service_tencentcloud_cynosdb.go, `taskStateRefreshFunc`, and the resources on it: CLS
 * delivery, SSL, transparent encryption, accounts) with no pending list, so every other value
 * is in progress there. We do the same, except that `ErrMsg`, documented as the task's failure
 * information, ends the wait as failed once it holds a reason: a failed task is not waited on
 * until the timeout. An empty `TaskList` right after the call is the lag the Terraform provider
 * waits out.
 */
const task = declareService<CynosdbTask, number>({
  service: "cynosdb",
  title: "TDSQL-C (CynosDB)",
  product: "cynosdb",
  version: "2019-01-07",
  action: "DescribeTasks",
  regionRequired: true,
  rateLimit: 20,
  id: integerId({
    param: "Filters",
    send: (id) => ({ Filters: [{ Names: ["TaskId"], Values: [String(id)], ExactMatch: true }] }),
    noun: "task",
    origin: "the TaskId answered by the TDSQL-C call",
  }),
  list: { path: "TaskList", key: "ID", value: (id) => id },
  rule: {
    status: "Status",
    pending: [],
    success: ["success"],
    failure: [],
    message: "ErrMsg",
    unlisted: "pendingUntilMessage",
    details: { instanceId: "InstanceId", taskType: "TaskType", startTime: "StartTime", endTime: "EndTime", progress: "Process" },
  },
  unknownId: lag(),
  definitions: {
    fields: ["TaskList[].Status"],
    documented: "",
    elsewhere: {
      values: ["success"],
      source:
        "the Terraform provider, which waits for success: https://github.com/tencentcloudstack/terraform-provider-tencentcloud/blob/master/tencentcloud/services/cynosdb/service_tencentcloud_cynosdb.go (taskStateRefreshFunc)",
    },
    origins: [
      { action: "CreateAccounts", field: "TaskId" },
      { action: "CreateProxy", field: "TaskId" },
      { action: "OpenSSL", field: "TaskId" },
      { action: "SwitchClusterZone", field: "TaskId" },
      { action: "CreateCLSDelivery", field: "TaskId" },
      { action: "OpenClusterTransparentEncrypt", field: "TaskId" },
    ],
    example: { taskId: 4242 },
  },
});

export const cynosdb = declareVariants<CynosdbTask>("cynosdb", [
  { input: "flowId", adapter: flow },
  { input: "taskId", adapter: task },
]);
