import type { Service } from "../../provider/services";

/** A built-in service: every one but `custom`. */
export type BuiltIn = Exclude<Service, "custom">;

/**
 * Each built-in service's status API as the contract of the issue that introduced them states
 * it (from the SDK's model docs): not the provider's declarations, which the tests check against
 * it. `unknown` is an answer with a status value the API does not document, at the status path.
 */
export interface Contract {
  product: string;
  version: string;
  action: string;
  /** The parameter naming the task, and its JSON type. */
  param: string;
  type: "string" | "number";
  success: string | number;
  failure: string | number;
  /** Whether the answer carries the failure reason (CLB `Message`, CDB `Info`, ...). */
  hasMessage: boolean;
  /** Instance products (CVM): the instance whose latest operation the task is; the task id is then the call's RequestId. */
  instance?: string;
  unknown(taskId: string | number): Record<string, unknown>;
}

const flow = (product: string, version: string, action: string): Contract => ({
  product,
  version,
  action,
  param: "FlowId",
  type: "number",
  success: 0,
  failure: 1,
  hasMessage: false,
  unknown: () => ({ Status: 3 }),
});

export const CONTRACTS: Record<BuiltIn, Contract> = {
  clb: { product: "clb", version: "2018-03-17", action: "DescribeTaskStatus", param: "TaskId", type: "string", success: 0, failure: 1, hasMessage: true, unknown: () => ({ Status: 7 }) },
  redis: { product: "redis", version: "2018-04-12", action: "DescribeTaskInfo", param: "TaskId", type: "number", success: "succeed", failure: "failed", hasMessage: true, unknown: () => ({ Status: "paused" }) },
  keewidb: { product: "keewidb", version: "2022-03-08", action: "DescribeTaskInfo", param: "TaskId", type: "number", success: "succeed", failure: "failed", hasMessage: true, unknown: () => ({ Status: "queued" }) },
  cdb: { product: "cdb", version: "2017-03-20", action: "DescribeAsyncRequestInfo", param: "AsyncRequestId", type: "string", success: "SUCCESS", failure: "FAILED", hasMessage: true, unknown: () => ({ Status: "success" }) },
  mongodb: { product: "mongodb", version: "2019-07-25", action: "DescribeAsyncRequestInfo", param: "AsyncRequestId", type: "string", success: "success", failure: "failed", hasMessage: false, unknown: () => ({ Status: "SUCCESS" }) },
  postgres: {
    product: "postgres",
    version: "2017-03-12",
    action: "DescribeTasks",
    param: "TaskId",
    type: "number",
    success: "Success",
    failure: "Fail",
    hasMessage: true,
    unknown: (id) => ({ TotalCount: 1, TaskSet: [{ TaskId: id, Status: "Queued" }] }),
  },
  sqlserver: flow("sqlserver", "2018-03-28", "DescribeFlowStatus"),
  mariadb: flow("mariadb", "2017-03-12", "DescribeFlow"),
  dcdb: flow("dcdb", "2018-04-11", "DescribeFlow"),
  cynosdb: flow("cynosdb", "2019-01-07", "DescribeFlow"),
  vpc: { product: "vpc", version: "2017-03-12", action: "DescribeVpcTaskResult", param: "TaskId", type: "string", success: "SUCCESS", failure: "FAILED", hasMessage: true, unknown: () => ({ Status: "PENDING" }) },
  gaap: { product: "gaap", version: "2018-05-29", action: "DescribeTaskStatus", param: "TaskId", type: "string", success: "SUCCESS", failure: "FAIL", hasMessage: false, unknown: () => ({ Status: "FAILED" }) },
  ckafka: { product: "ckafka", version: "2019-08-19", action: "DescribeTaskStatus", param: "FlowId", type: "number", success: 0, failure: 1, hasMessage: true, unknown: () => ({ Result: { Status: 5 } }) },
  eip: { product: "vpc", version: "2017-03-12", action: "DescribeTaskResult", param: "TaskId", type: "number", success: "SUCCESS", failure: "FAILED", hasMessage: false, unknown: () => ({ Result: "DONE" }) },
  cvm: {
    product: "cvm",
    version: "2017-03-12",
    action: "DescribeInstances",
    param: "InstanceIds",
    type: "string",
    success: "SUCCESS",
    failure: "FAILED",
    hasMessage: true,
    instance: "ins-0a1b2c3d",
    unknown: (id) => ({ TotalCount: 1, InstanceSet: [{ InstanceId: "ins-0a1b2c3d", LatestOperationState: "PAUSED", LatestOperationRequestId: id }] }),
  },
  lighthouse: {
    product: "lighthouse",
    version: "2020-03-24",
    action: "DescribeInstances",
    param: "InstanceIds",
    type: "string",
    success: "SUCCESS",
    failure: "FAILED",
    hasMessage: false,
    instance: "lhins-0a1b2c3d",
    unknown: (id) => ({ TotalCount: 1, InstanceSet: [{ InstanceId: "lhins-0a1b2c3d", LatestOperationState: "PAUSED", LatestOperationRequestId: id }] }),
  },
};

export const BUILT_INS = Object.keys(CONTRACTS) as BuiltIn[];

/** The instance CVM tests operate on. */
export const CVM_INSTANCE = "ins-0a1b2c3d";

/** The inputs naming a task of `service` beyond its id (an instance product's instance), also the emulator task's. */
export function extraInputs(service: BuiltIn, instanceId = CONTRACTS[service].instance): Record<string, string> {
  return instanceId === undefined ? {} : { instanceId };
}

export const taskFields = extraInputs;

/** A task id of the form `service` takes: a RequestId for instance products, else 4242 in the API's type. */
export function sampleId(service: BuiltIn): string | number {
  const contract = CONTRACTS[service];
  return contract.instance ? "3a1f2a64-6b2c-4b1e-9d1f-1c5e8b0c7a3d" : contract.type === "number" ? 4242 : "4242";
}
