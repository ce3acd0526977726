import type * as Cdb from "tencentcloud-sdk-nodejs/tencentcloud/services/cdb/v20170320/cdb_models";
import type * as Ckafka from "tencentcloud-sdk-nodejs/tencentcloud/services/ckafka/v20190819/ckafka_models";
import type * as Cynosdb from "tencentcloud-sdk-nodejs/tencentcloud/services/cynosdb/v20190107/cynosdb_models";
import type * as Dcdb from "tencentcloud-sdk-nodejs/tencentcloud/services/dcdb/v20180411/dcdb_models";
import type * as Keewidb from "tencentcloud-sdk-nodejs/tencentcloud/services/keewidb/v20220308/keewidb_models";
import type * as Mariadb from "tencentcloud-sdk-nodejs/tencentcloud/services/mariadb/v20170312/mariadb_models";
import type * as Mongodb from "tencentcloud-sdk-nodejs/tencentcloud/services/mongodb/v20190725/mongodb_models";
import type * as Postgres from "tencentcloud-sdk-nodejs/tencentcloud/services/postgres/v20170312/postgres_models";
import type * as Redis from "tencentcloud-sdk-nodejs/tencentcloud/services/redis/v20180412/redis_models";
import type * as Sqlserver from "tencentcloud-sdk-nodejs/tencentcloud/services/sqlserver/v20180328/sqlserver_models";
import { beijingTime, endTime, page } from "./answers";
import { integer, nonEmptyString, nonEmptyStringArray, positiveInteger, records } from "./parameters";
import { action, FLOW, INSTANCE_DETAILS, service, type ServiceContext, type ServiceEntry } from "./serviceEntry";
import type { EmulatedService } from "./services";
import { randomResourceId, type EmulatedTask } from "./tasks";

/** Redis and KeeWiDB `DescribeTaskInfo`. */
const TASK_INFO = {
  name: "TaskId",
  ids: "integer",
  statuses: { preparing: "preparing", running: "running", succeeded: "succeed", failed: "failed", error: "error" },
  statusValues: ["preparing", "running", "succeed", "failed", "error"],
  statusField: "DescribeTaskInfoResponse.Status",
  documented: true,
} as const;

/** Database and messaging services: their tasks are instances' operations, named by TaskIds, FlowIds or AsyncRequestIds. */
export const DATABASE_SERVICES = {
  redis: service({
    product: "redis",
    version: "2018-04-12",
    regionRequired: false,
    ...TASK_INFO,
    notFound: "InvalidParameter.InvalidParameter",
    details: INSTANCE_DETAILS,
    detailDefaults: () => ({ instanceId: randomResourceId("crs"), taskType: "Configure" }),
    actions: [
      action<Redis.DescribeTaskInfoRequest, Redis.DescribeTaskInfoResponse>({
        name: "DescribeTaskInfo",
        rules: { TaskId: integer },
        handle: ({ TaskId }, context) => taskInfo(context.find("TaskId", TaskId), context),
      }),
      action<Redis.ModifyInstanceParamsRequest, Redis.ModifyInstanceParamsResponse>({
        name: "ModifyInstanceParams",
        rules: { InstanceId: nonEmptyString, InstanceParams: records("Key", "Value") },
        handle: ({ InstanceId }, context) => ({ Changed: true, TaskId: context.start({ instanceId: InstanceId, taskType: "Configure" }).taskId as number }),
      }),
    ],
  }),

  keewidb: service({
    product: "keewidb",
    version: "2022-03-08",
    regionRequired: true,
    ...TASK_INFO,
    notFound: "InvalidParameter.InvalidParameter",
    details: INSTANCE_DETAILS,
    actions: [
      action<Keewidb.DescribeTaskInfoRequest, Keewidb.DescribeTaskInfoResponse>({
        name: "DescribeTaskInfo",
        rules: { TaskId: integer },
        handle: ({ TaskId }, context) => taskInfo(context.find("TaskId", TaskId), context),
      }),
      action<Keewidb.ModifyInstanceParamsRequest, Keewidb.ModifyInstanceParamsResponse>({
        name: "ModifyInstanceParams",
        rules: { InstanceId: nonEmptyString, InstanceParams: records("Key", "Value") },
        handle: ({ InstanceId }, context) => ({ Changed: true, TaskId: context.start({ instanceId: InstanceId, taskType: "ModifyInstanceParams" }).taskId as number }),
      }),
    ],
  }),

  cdb: service({
    product: "cdb",
    version: "2017-03-20",
    regionRequired: true,
    name: "AsyncRequestId",
    ids: "uuid",
    statuses: { preparing: "INITIAL", running: "RUNNING", succeeded: "SUCCESS", failed: "FAILED", error: "KILLED" },
    statusValues: ["INITIAL", "RUNNING", "SUCCESS", "FAILED", "KILLED", "REMOVED", "PAUSED", "UNDEFINED"],
    statusField: "DescribeAsyncRequestInfoResponse.Status",
    documented: true,
    notFound: "InvalidParameter",
    details: INSTANCE_DETAILS,
    actions: [
      action<Cdb.DescribeAsyncRequestInfoRequest, Cdb.DescribeAsyncRequestInfoResponse>({
        name: "DescribeAsyncRequestInfo",
        rules: { AsyncRequestId: nonEmptyString },
        handle({ AsyncRequestId }, context) {
          const task = context.find("AsyncRequestId", AsyncRequestId);
          return { Status: context.status(task) as string, Info: context.message(task) ?? "" };
        },
      }),
      action<Cdb.ModifyInstanceParamRequest, Cdb.ModifyInstanceParamResponse>({
        name: "ModifyInstanceParam",
        rules: { InstanceIds: nonEmptyStringArray, ParamList: records("Name", "CurrentValue"), TemplateId: integer, WaitSwitch: integer },
        handle: ({ InstanceIds }, context) => ({ AsyncRequestId: context.start({ instanceId: InstanceIds[0], taskType: "ModifyInstanceParam" }).taskId as string }),
      }),
    ],
  }),

  mongodb: service({
    product: "mongodb",
    version: "2019-07-25",
    regionRequired: true,
    name: "AsyncRequestId",
    // MongoDB's AsyncRequestIds are numbers written as strings.
    ids: "numericString",
    statuses: { preparing: "initial", running: "running", succeeded: "success", failed: "failed", error: "paused" },
    statusValues: ["initial", "running", "paused", "undoed", "failed", "success"],
    statusField: "DescribeAsyncRequestInfoResponse.Status",
    documented: true,
    notFound: "InvalidParameter",
    details: INSTANCE_DETAILS,
    actions: [
      action<Mongodb.DescribeAsyncRequestInfoRequest, Mongodb.DescribeAsyncRequestInfoResponse>({
        name: "DescribeAsyncRequestInfo",
        rules: { AsyncRequestId: nonEmptyString },
        handle({ AsyncRequestId }, context) {
          const task = context.find("AsyncRequestId", AsyncRequestId);
          return { Status: context.status(task) as string, StartTime: beijingTime(task.createdAt), EndTime: endTime(task, context, beijingTime) };
        },
      }),
      action<Mongodb.CreateBackupDBInstanceRequest, Mongodb.CreateBackupDBInstanceResponse>({
        name: "CreateBackupDBInstance",
        rules: { InstanceId: nonEmptyString, BackupMethod: integer, BackupRetentionDays: integer },
        handle: ({ InstanceId }, context) => ({ AsyncRequestId: context.start({ instanceId: InstanceId, taskType: "CreateBackupDBInstance" }).taskId as string }),
      }),
    ],
  }),

  postgres: service({
    product: "postgres",
    version: "2017-03-12",
    regionRequired: true,
    name: "TaskId",
    ids: "integer",
    statuses: { preparing: "Running", running: "Running", succeeded: "Success", failed: "Fail", error: "Fail" },
    statusValues: ["Running", "Success", "WaitSwitch", "Fail", "Pause"],
    statusField: "TaskSet.Status",
    documented: true,
    details: INSTANCE_DETAILS,
    actions: [
      action<Postgres.DescribeTasksRequest, Postgres.DescribeTasksResponse>({
        name: "DescribeTasks",
        rules: { TaskId: integer, Limit: positiveInteger, Offset: integer },
        handle({ TaskId, DBInstanceId, Limit, Offset }, context) {
          // A list answer: tasks that match, none if none do (never an error).
          const matching = context.visible((t) => (TaskId === undefined || t.taskId === TaskId) && (DBInstanceId === undefined || t.instanceId === DBInstanceId));
          const TaskSet = page(matching, Offset, Limit ?? 20).map((task): Postgres.TaskSet => {
            const finished = context.finished(task);
            return {
              TaskId: task.taskId as number,
              TaskType: task.taskType ?? "RestartInstance",
              DBInstanceId: task.instanceId ?? "",
              StartTime: beijingTime(task.createdAt),
              EndTime: endTime(task, context, beijingTime),
              Status: context.status(task) as string,
              Progress: finished ? 100 : 50,
              TaskDetail: { CurrentStep: finished ? "" : "Running", AllSteps: "", Input: "", Output: "", SwitchTag: 0, SwitchTime: "", Message: context.message(task) ?? "" },
            };
          });
          return { TotalCount: matching.length, TaskSet };
        },
      }),
      action<Postgres.RestartDBInstanceRequest, Postgres.RestartDBInstanceResponse>({
        name: "RestartDBInstance",
        rules: { DBInstanceId: nonEmptyString },
        handle({ DBInstanceId }, context) {
          const id = context.start({ instanceId: DBInstanceId, taskType: "RestartInstance" }).taskId as number;
          // PostgreSQL's FlowId and TaskId are the same number.
          return { FlowId: id, TaskId: id };
        },
      }),
    ],
  }),

  sqlserver: service({
    product: "sqlserver",
    version: "2018-03-28",
    regionRequired: true,
    name: "FlowId",
    ids: "integer",
    ...FLOW,
    statusField: "DescribeFlowStatusResponse.Status",
    notFound: "ResourceNotFound",
    details: INSTANCE_DETAILS,
    actions: [
      action<Sqlserver.DescribeFlowStatusRequest, Sqlserver.DescribeFlowStatusResponse>({
        name: "DescribeFlowStatus",
        rules: { FlowId: integer },
        handle: ({ FlowId }, context) => ({ Status: context.status(context.find("FlowId", FlowId)) as number }),
      }),
      action<Sqlserver.RestartDBInstanceRequest, Sqlserver.RestartDBInstanceResponse>({
        name: "RestartDBInstance",
        rules: { InstanceId: nonEmptyString, WaitSwitch: integer },
        handle: ({ InstanceId }, context) => ({ FlowId: context.start({ instanceId: InstanceId, taskType: "RestartDBInstance" }).taskId as number }),
      }),
    ],
  }),

  mariadb: service({
    product: "mariadb",
    version: "2017-03-12",
    regionRequired: true,
    name: "FlowId",
    ids: "integer",
    ...FLOW,
    statusField: "DescribeFlowResponse.Status",
    notFound: "ResourceNotFound",
    details: INSTANCE_DETAILS,
    actions: [
      action<Mariadb.DescribeFlowRequest, Mariadb.DescribeFlowResponse>({
        name: "DescribeFlow",
        rules: { FlowId: integer },
        handle: ({ FlowId }, context) => ({ Status: context.status(context.find("FlowId", FlowId)) as number }),
      }),
      action<Mariadb.RestartDBInstancesRequest, Mariadb.RestartDBInstancesResponse>({
        name: "RestartDBInstances",
        rules: { InstanceIds: nonEmptyStringArray },
        handle: ({ InstanceIds }, context) => ({ FlowId: context.start({ instanceId: InstanceIds[0], taskType: "RestartDBInstances" }).taskId as number }),
      }),
    ],
  }),

  dcdb: service({
    product: "dcdb",
    version: "2018-04-11",
    regionRequired: true,
    name: "FlowId",
    ids: "integer",
    ...FLOW,
    statusField: "DescribeFlowResponse.Status",
    notFound: "ResourceNotFound",
    details: INSTANCE_DETAILS,
    actions: [
      action<Dcdb.DescribeFlowRequest, Dcdb.DescribeFlowResponse>({
        name: "DescribeFlow",
        rules: { FlowId: integer },
        handle: ({ FlowId }, context) => ({ Status: context.status(context.find("FlowId", FlowId)) as number }),
      }),
      action<Dcdb.ModifyDBSyncModeRequest, Dcdb.ModifyDBSyncModeResponse>({
        name: "ModifyDBSyncMode",
        rules: { InstanceId: nonEmptyString, SyncMode: integer },
        handle: ({ InstanceId }, context) => ({ FlowId: context.start({ instanceId: InstanceId, taskType: "ModifyDBSyncMode" }).taskId as number }),
      }),
    ],
  }),

  cynosdb: service({
    product: "cynosdb",
    version: "2019-01-07",
    regionRequired: true,
    name: "FlowId",
    ids: "integer",
    ...FLOW,
    statusField: "DescribeFlowResponse.Status",
    notFound: "ResourceNotFound",
    otherIdSpaces: [
      {
        // About 30 actions answer an integer TaskId, polled with DescribeTasks and a TaskId filter.
        name: "TaskId",
        ids: "integer",
        statuses: { preparing: "running", running: "running", succeeded: "success", failed: "failed", error: "failed" },
        // Undocumented; "success" is the value the Terraform provider waits for (resource_tc_cynosdb_cls_delivery.go).
        statusValues: ["running", "success", "failed"],
        statusField: "BizTaskInfo.Status",
        documented: false,
      },
    ],
    details: INSTANCE_DETAILS,
    actions: [
      action<Cynosdb.DescribeFlowRequest, Cynosdb.DescribeFlowResponse>({
        name: "DescribeFlow",
        rules: { FlowId: integer },
        handle: ({ FlowId }, context) => ({ Status: context.status(context.find("FlowId", FlowId)) as number }),
      }),
      action<Cynosdb.PauseServerlessRequest, Cynosdb.PauseServerlessResponse>({
        name: "PauseServerless",
        rules: { ClusterId: nonEmptyString, ForcePause: integer },
        handle: ({ ClusterId }, context) => ({ FlowId: context.start({ instanceId: ClusterId, taskType: "PauseServerless" }).taskId as number }),
      }),
      action<Cynosdb.DescribeTasksRequest, Cynosdb.DescribeTasksResponse>({
        name: "DescribeTasks",
        idSpace: "TaskId",
        rules: { Limit: positiveInteger, Offset: integer },
        handle({ Filters = [], Limit, Offset }, context) {
          const wanted = Filters.map(({ Name, Names = [], Values }) => ({ names: [Name, ...Names].map((n) => n?.toLowerCase()), values: Values }));
          const matches = (task: EmulatedTask) =>
            wanted.every(({ names, values }) => {
              const field = names.includes("taskid") ? String(task.taskId) : names.includes("clusterid") ? (task.instanceId ?? "") : undefined;
              return field === undefined || values.includes(field);
            });
          const matching = context.visible(matches);
          const TaskList = page(matching, Offset, Limit ?? 20).map(
            (task): Cynosdb.BizTaskInfo => ({
              ID: task.taskId as number,
              ClusterId: task.instanceId ?? "",
              Region: task.region ?? "",
              TaskType: task.taskType ?? "",
              Status: context.status(task) as string,
              ErrMsg: context.message(task) ?? "",
              CreateTime: beijingTime(task.createdAt),
              StartTime: beijingTime(task.createdAt),
              EndTime: endTime(task, context, beijingTime),
              Process: context.finished(task) ? 100 : 50,
            }),
          );
          return { TotalCount: matching.length, TaskList };
        },
      }),
      action<Cynosdb.CreateAccountsRequest, Cynosdb.CreateAccountsResponse>({
        name: "CreateAccounts",
        idSpace: "TaskId",
        rules: { ClusterId: nonEmptyString },
        handle: ({ ClusterId }, context) => ({ TaskId: context.start({ instanceId: ClusterId, taskType: "CreateAccounts" }).taskId as number }),
      }),
      action<Cynosdb.OpenSSLRequest, Cynosdb.OpenSSLResponse>({
        name: "OpenSSL",
        idSpace: "TaskId",
        rules: { ClusterId: nonEmptyString },
        handle({ ClusterId }, context) {
          // Answers both: a TaskId for DescribeTasks and a FlowId for DescribeFlow, on one timeline each.
          const details = { instanceId: ClusterId, taskType: "OpenSSL" };
          return { TaskId: context.start(details).taskId as number, FlowId: context.start(details, "FlowId").taskId as number };
        },
      }),
    ],
  }),

  ckafka: service({
    product: "ckafka",
    version: "2019-08-19",
    regionRequired: true,
    name: "FlowId",
    ids: "integer",
    ...FLOW,
    statusField: "TaskStatusResponse.Status",
    notFound: "ResourceNotFound",
    details: INSTANCE_DETAILS,
    actions: [
      action<Ckafka.DescribeTaskStatusRequest, Ckafka.DescribeTaskStatusResponse>({
        name: "DescribeTaskStatus",
        rules: { FlowId: integer },
        handle({ FlowId }, context) {
          const task = context.find("FlowId", FlowId);
          return { Result: { Status: context.status(task) as number, Output: context.message(task) ?? "" } };
        },
      }),
      action<Ckafka.ModifyInstanceAttributesRequest, Ckafka.ModifyInstanceAttributesResponse>({
        name: "ModifyInstanceAttributes",
        rules: { InstanceId: nonEmptyString },
        handle({ InstanceId }, context) {
          const FlowId = context.start({ instanceId: InstanceId, taskType: "ModifyInstanceAttributes" }).taskId as number;
          return { Result: { ReturnCode: "0", ReturnMessage: "ok", Data: { FlowId } } };
        },
      }),
    ],
  }),
} satisfies Partial<Record<EmulatedService, ServiceEntry>>;

/** The answer of Redis and KeeWiDB `DescribeTaskInfo`. */
function taskInfo(task: EmulatedTask, context: ServiceContext): Omit<Keewidb.DescribeTaskInfoResponse, "RequestId"> {
  return {
    Status: context.status(task) as string,
    StartTime: beijingTime(task.createdAt),
    TaskType: task.taskType ?? "",
    InstanceId: task.instanceId ?? "",
    TaskMessage: context.message(task) ?? "",
  };
}
