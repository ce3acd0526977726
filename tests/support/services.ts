import type { Service } from "../../provider/services";

/** A built-in service: every one but `custom`. */
export type BuiltIn = Exclude<Service, "custom">;
type StatusValue = string | number;

/**
 * Each built-in service's status API as the issues that introduced the services state it, from
 * the vendor's definitions: what to send for a task and what its answers look like. It is the
 * tests' own table, not the provider's declarations, which the tests check against it (and which
 * tests/conformance.test.ts checks against the definitions themselves). One row per way of naming
 * a task: TDSQL-C's `taskId` is polled otherwise than its `flowId`.
 */
export interface Contract {
  service: BuiltIn;
  product: string;
  version: string;
  action: string;
  /** The inputs naming the task `id`, beyond service and region. */
  inputs(id: string | number): Record<string, unknown>;
  /** The status request's parameters for the task `id` (the id in the API's own JSON type). */
  request(id: string | number): Record<string, unknown>;
  /** The JSON type the API takes the id in; inputs also take a number as a string, and MongoDB a string as a number. */
  type: "string" | "number";
  sampleId: string | number;
  /** Documented values; `pending` and `failure` absent where none is documented (TDSQL-C `BizTaskInfo`). */
  pending?: StatusValue;
  success: StatusValue;
  failure?: StatusValue;
  /** Whether the answer carries the task's message (CLB `Message`, CDB `Info`, ...). */
  hasMessage: boolean;
  /** An answer of the status action for the task, with `status` (and `message` where the answer has one). */
  answer(status: StatusValue, id: string | number, message?: string): Record<string, unknown>;
  /** Whether an arbitrary answer reports the task `id` as succeeded, by the definitions. */
  succeeded(response: Record<string, unknown>, id: string | number): boolean;
  /** An answer about the task with a status value the API does not document. */
  unknown(id: string | number): Record<string, unknown>;
  /** Instance products (CVM): the instance whose latest operation the task is. */
  instance?: string;
  /** The emulator's id space of the task, where a service has two (TDSQL-C). */
  idSpace?: string;
}

const entries = (list: unknown): Record<string, unknown>[] =>
  Array.isArray(list) ? list.filter((item): item is Record<string, unknown> => typeof item === "object" && item !== null && !Array.isArray(item)) : [];
const entry = (list: unknown, key: string, id: unknown) => entries(list).find((item) => item[key] === id);
const at = (value: unknown, path: string): unknown =>
  path.split(".").reduce<unknown>((node, key) => (typeof node === "object" && node !== null && !Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined), value);
/** `object` with `value` at `path` ("Result.Status"), the objects on the way made as needed. */
function put(object: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const keys = path.split(".");
  let node = object;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys[keys.length - 1]] = value;
  return object;
}

/** An answer whose status is a field (`Status`, `Result.Status`), with its message field. */
function plain(
  row: Omit<Contract, "answer" | "succeeded" | "unknown" | "hasMessage" | "inputs"> & {
    status: string;
    message?: string;
    other: StatusValue;
    inputs?: Contract["inputs"];
    /** Values compared ignoring case (one version of the Redis documentation writes `Error`). */
    caseless?: boolean;
  },
): Contract {
  const { status, message, other, caseless = false, ...rest } = row;
  const same = (value: unknown) => (caseless && typeof value === "string" && typeof rest.success === "string" ? value.toLowerCase() === rest.success : value === rest.success);
  const answer = (value: StatusValue, _id: string | number, text?: string) => {
    const built = put({}, status, value);
    return message ? put(built, message, text ?? "") : built;
  };
  return {
    inputs: (id) => ({ taskId: id }),
    ...rest,
    hasMessage: message !== undefined,
    answer,
    succeeded: (response) => same(at(response, status)),
    unknown: (id) => answer(other, id),
  };
}

/** The flow APIs: `Status` 0 succeeded, 1 failed, 2 running; the FlowId as `taskId` or `flowId`. */
const flow = (service: BuiltIn, product: string, version: string, action: string, input = "taskId"): Contract =>
  plain({ service, product, version, action, status: "Status", inputs: (id) => ({ [input]: id }), request: (id) => ({ FlowId: id }), type: "number", sampleId: 4242, pending: 2, success: 0, failure: 1, other: 3 });

/** A list answer: the task's entry is the one whose `key` is `key(id)`. */
function listed(
  row: Omit<Contract, "answer" | "succeeded" | "unknown" | "hasMessage" | "inputs"> & {
    list: string;
    key: string;
    keyOf?: (id: string | number) => string | number;
    status: string;
    message?: string;
    /** A value the rule cannot read: `null` where every value means something (TDSQL-C `BizTaskInfo`). */
    other: StatusValue | null;
    inputs?: Contract["inputs"];
  },
): Contract {
  const { list, key, keyOf = (id) => id, status, message, other, ...rest } = row;
  const answer = (value: StatusValue | null, id: string | number, text?: string) => {
    const built = put({ [key]: keyOf(id) }, status, value);
    return { TotalCount: 1, [list]: [message ? put(built, message, text ?? "") : built] };
  };
  return {
    inputs: (id) => ({ taskId: id }),
    ...rest,
    hasMessage: message !== undefined,
    answer,
    succeeded: (response, id) => at(entry(response[list], key, keyOf(id)), status) === rest.success,
    unknown: (id) => answer(other, id),
  };
}

/** A task of parts, one entry each in `list`: done when every part is; one failed part fails it. */
function parted(
  row: Omit<Contract, "answer" | "succeeded" | "unknown" | "hasMessage" | "inputs" | "pending"> & {
    pending: StatusValue;
    list: string;
    part: (status: StatusValue, id: string | number, name: string) => Record<string, unknown>;
    other: StatusValue;
    inputs?: Contract["inputs"];
    /** Documented values that also mean a part is done (SSL's 6, "no resource, nothing to deploy"). */
    alsoDone?: StatusValue[];
    /** Where a part's status is, if not in `Status` (SSL update: the resources of each type, each with its `Status`). */
    statusesOf?: (part: Record<string, unknown>) => unknown[];
  },
): Contract {
  const { list, part, other, alsoDone = [], statusesOf = (p) => [p.Status], ...rest } = row;
  // Two parts: one already done, one in the state asked for (named by the message, where it fails).
  const answer = (value: StatusValue, id: string | number, text?: string) => ({ TotalCount: 2, [list]: [part(rest.success, id, "https://example.com/a"), part(value, id, text ?? "https://example.com/b")] });
  return {
    inputs: (id) => ({ taskId: id }),
    ...rest,
    hasMessage: true,
    answer,
    succeeded: (response) => {
      const statuses = entries(response[list]).flatMap(statusesOf);
      return statuses.length > 0 && statuses.every((status) => status === rest.success || alsoDone.includes(status as StatusValue));
    },
    unknown: (id) => answer(other, id),
  };
}

const instanceOf = (prefix: string) => `${prefix}-0a1b2c3d`;
/** CVM, Lighthouse: the instance's latest operation, named by its RequestId. */
const latestOperation = (service: BuiltIn, product: string, version: string, prefix: string, hasMessage: boolean): Contract => {
  const instance = instanceOf(prefix);
  const answer = (value: StatusValue, id: string | number, text?: string) => ({
    TotalCount: 1,
    InstanceSet: [{ InstanceId: instance, LatestOperationState: value, LatestOperationRequestId: id, LatestOperation: "StartInstances", ...(hasMessage ? { LatestOperationErrorMsg: text ?? "" } : {}) }],
  });
  return {
    service,
    product,
    version,
    action: "DescribeInstances",
    instance,
    inputs: (id) => ({ taskId: id, instanceId: instance }),
    request: () => ({ InstanceIds: [instance] }),
    type: "string",
    sampleId: "3a1f2a64-6b2c-4b1e-9d1f-1c5e8b0c7a3d",
    pending: "OPERATING",
    success: "SUCCESS",
    failure: "FAILED",
    hasMessage,
    answer,
    succeeded: (response, id) => {
      const found = entry(response.InstanceSet, "InstanceId", instance);
      return found?.LatestOperationState === "SUCCESS" && found.LatestOperationRequestId === id;
    },
    unknown: (id) => answer("PAUSED", id),
  };
};

const ZONE = "zone-2o1xvpmq7nn";
const teo = (service: BuiltIn, action: string, other: StatusValue): Contract =>
  parted({
    service,
    product: "teo",
    version: "2022-09-01",
    action,
    list: "Tasks",
    inputs: (id) => ({ taskId: id, zoneId: ZONE }),
    request: (id) => ({ ZoneId: ZONE, Filters: [{ Name: "job-id", Values: [id] }], Limit: 1000 }),
    type: "string",
    sampleId: "20rrm8rkm7o1",
    pending: "processing",
    success: "success",
    failure: "failed",
    other,
    part: (status, id, name) => ({ JobId: id, Target: name, Status: status, FailMessage: status === "failed" ? name : "" }),
  });

const SSL_COUNTS = ["PendingTotalCount", "RunningTotalCount", "SuccessTotalCount", "FailedTotalCount"];

/** Every way of naming a task of a built-in service, by a name of its own: the service, or `service/input`. */
export const CONTRACTS = {
  clb: plain({ service: "clb", product: "clb", version: "2018-03-17", action: "DescribeTaskStatus", status: "Status", message: "Message", request: (id) => ({ TaskId: id }), type: "string", sampleId: "55c85074-3e7f-4c6d-864f-673660d4f8de", pending: 2, success: 0, failure: 1, other: 7 }),
  redis: plain({ service: "redis", product: "redis", version: "2018-04-12", action: "DescribeTaskInfo", status: "Status", message: "TaskMessage", request: (id) => ({ TaskId: id }), type: "number", sampleId: 4242, pending: "running", success: "succeed", failure: "failed", other: "paused", caseless: true }),
  keewidb: plain({ service: "keewidb", product: "keewidb", version: "2022-03-08", action: "DescribeTaskInfo", status: "Status", message: "TaskMessage", request: (id) => ({ TaskId: id }), type: "number", sampleId: 4242, pending: "running", success: "succeed", failure: "failed", other: "queued", caseless: true }),
  cdb: plain({ service: "cdb", product: "cdb", version: "2017-03-20", action: "DescribeAsyncRequestInfo", status: "Status", message: "Info", request: (id) => ({ AsyncRequestId: id }), type: "string", sampleId: "f2fbe7f4-2f7fd0bf-a9a8cb2c-f2c2f7f4", pending: "RUNNING", success: "SUCCESS", failure: "FAILED", other: "success" }),
  mongodb: plain({ service: "mongodb", product: "mongodb", version: "2019-07-25", action: "DescribeAsyncRequestInfo", status: "Status", request: (id) => ({ AsyncRequestId: String(id) }), type: "string", sampleId: "4242", pending: "running", success: "success", failure: "failed", other: "SUCCESS" }),
  postgres: listed({ service: "postgres", product: "postgres", version: "2017-03-12", action: "DescribeTasks", list: "TaskSet", key: "TaskId", status: "Status", message: "TaskDetail.Message", request: (id) => ({ TaskId: id }), type: "number", sampleId: 4242, pending: "Running", success: "Success", failure: "Fail", other: "Queued" }),
  sqlserver: flow("sqlserver", "sqlserver", "2018-03-28", "DescribeFlowStatus"),
  "sqlserver/flowId": flow("sqlserver", "sqlserver", "2018-03-28", "DescribeFlowStatus", "flowId"),
  mariadb: flow("mariadb", "mariadb", "2017-03-12", "DescribeFlow"),
  dcdb: flow("dcdb", "dcdb", "2018-04-11", "DescribeFlow"),
  cynosdb: flow("cynosdb", "cynosdb", "2019-01-07", "DescribeFlow", "flowId"),
  "cynosdb/taskId": listed({
    service: "cynosdb",
    product: "cynosdb",
    version: "2019-01-07",
    action: "DescribeTasks",
    idSpace: "TaskId",
    list: "TaskList",
    key: "ID",
    status: "Status",
    message: "ErrMsg",
    request: (id) => ({ Filters: [{ Names: ["TaskId"], Values: [String(id)], ExactMatch: true }] }),
    type: "number",
    sampleId: 4242,
    // BizTaskInfo.Status documents no values; the Terraform provider waits for "success" and takes
    // any other for in progress. Ours too, until ErrMsg ("the task's failure information") has a reason.
    pending: "running",
    success: "success",
    failure: "failed",
    other: null,
  }),
  vpc: plain({ service: "vpc", product: "vpc", version: "2017-03-12", action: "DescribeVpcTaskResult", status: "Status", message: "Output", request: (id) => ({ TaskId: id }), type: "string", sampleId: "0a2d1ef5-a33b-4bd6-9d6f-7d3f2b4c9e01", pending: "RUNNING", success: "SUCCESS", failure: "FAILED", other: "PENDING" }),
  gaap: plain({ service: "gaap", product: "gaap", version: "2018-05-29", action: "DescribeTaskStatus", status: "Status", request: (id) => ({ TaskId: id }), type: "string", sampleId: "task-0c1d2e3f", pending: "RUNNING", success: "SUCCESS", failure: "FAIL", other: "FAILED" }),
  ckafka: plain({ service: "ckafka", product: "ckafka", version: "2019-08-19", action: "DescribeTaskStatus", status: "Result.Status", message: "Result.Output", request: (id) => ({ FlowId: id }), type: "number", sampleId: 4242, pending: 2, success: 0, failure: 1, other: 5 }),
  eip: plain({ service: "eip", product: "vpc", version: "2017-03-12", action: "DescribeTaskResult", status: "Result", request: (id) => ({ TaskId: id }), type: "number", sampleId: 4242, pending: "RUNNING", success: "SUCCESS", failure: "FAILED", other: "DONE" }),
  cvm: latestOperation("cvm", "cvm", "2017-03-12", "ins", true),
  lighthouse: latestOperation("lighthouse", "lighthouse", "2020-03-24", "lhins", false),
  tat: {
    ...listed({
      service: "tat",
      product: "tat",
      version: "2020-10-28",
      action: "DescribeInvocations",
      list: "InvocationSet",
      key: "InvocationId",
      status: "InvocationStatus",
      request: (id) => ({ InvocationIds: [id] }),
      type: "string",
      sampleId: "inv-0a1b2c3d",
      pending: "RUNNING",
      success: "SUCCESS",
      failure: "PARTIAL_FAILED",
      other: "DELIVERING",
    }),
    // The message names the instances whose task failed (answerWith puts the text given as one).
    hasMessage: true,
  },
  as: listed({ service: "as", product: "as", version: "2018-04-19", action: "DescribeAutoScalingActivities", list: "ActivitySet", key: "ActivityId", status: "StatusCode", message: "StatusMessage", request: (id) => ({ ActivityIds: [id] }), type: "string", sampleId: "asa-5l2ejpfo", pending: "RUNNING", success: "SUCCESSFUL", failure: "PARTIALLY_SUCCESSFUL", other: "DONE" }),
  scf: plain({ service: "scf", product: "scf", version: "2018-04-16", action: "GetAsyncEventStatus", status: "Result.Status", request: (id) => ({ InvokeRequestId: id }), type: "string", sampleId: "9de9405a-e33a-498d-bb59-e80b7bed1191", pending: "RUNNING", success: "FINISHED", failure: "ABORTED", other: "SUCCESS" }),
  gwlb: plain({ service: "gwlb", product: "gwlb", version: "2024-09-06", action: "DescribeTaskStatus", status: "Status", message: "Message", request: (id) => ({ TaskId: id }), type: "string", sampleId: "6d1a0b2c-9e8f-4a7b-8c6d-5e4f3a2b1c0d", pending: 2, success: 0, failure: 1, other: 3 }),
  "cdn-purge": parted({
    service: "cdn-purge",
    product: "cdn",
    version: "2018-06-06",
    action: "DescribePurgeTasks",
    list: "PurgeLogs",
    request: (id) => ({ TaskId: id, Limit: 1000 }),
    type: "string",
    sampleId: "20d7c8b3-cd5a-4b33-9cd0-f3ec02b7d7a0",
    pending: "process",
    success: "done",
    failure: "fail",
    other: "waiting",
    part: (status, id, name) => ({ TaskId: id, Url: name, Status: status }),
  }),
  "cdn-push": parted({
    service: "cdn-push",
    product: "cdn",
    version: "2018-06-06",
    action: "DescribePushTasks",
    list: "PushLogs",
    request: (id) => ({ TaskId: id, Limit: 1000 }),
    type: "string",
    sampleId: "7c4d2e9a-1b3f-4a5c-8d6e-0f1a2b3c4d5e",
    pending: "process",
    success: "done",
    failure: "invalid",
    other: "queued",
    part: (status, id, name) => ({ TaskId: id, Url: name, Status: status }),
  }),
  "teo-purge": teo("teo-purge", "DescribePurgeTasks", "queued"),
  "teo-prefetch": teo("teo-prefetch", "DescribePrefetchTasks", "queued"),
  "ssl-deploy": {
    service: "ssl-deploy",
    product: "ssl",
    version: "2019-12-05",
    action: "DescribeHostDeployRecordDetail",
    inputs: (id) => ({ taskId: id }),
    request: (id) => ({ DeployRecordId: String(id), Limit: 200 }),
    type: "number",
    sampleId: 4242,
    // The answer documents counts of resources by state, not per-resource values.
    pending: "RunningTotalCount",
    success: "SuccessTotalCount",
    failure: "FailedTotalCount",
    hasMessage: true,
    answer: (count, _id, text) => ({
      TotalCount: 2,
      ...Object.fromEntries(SSL_COUNTS.map((name) => [name, (name === count ? 1 : 0) + (name === "SuccessTotalCount" ? 1 : 0)])),
      DeployRecordDetailList: [
        { Id: 1, InstanceId: "lb-00000001", ErrorMsg: "" },
        { Id: 2, InstanceId: "lb-00000002", ErrorMsg: count === "FailedTotalCount" ? (text ?? "") : "" },
      ],
    }),
    succeeded: (response) =>
      typeof response.SuccessTotalCount === "number" && response.SuccessTotalCount > 0 && ["PendingTotalCount", "RunningTotalCount", "FailedTotalCount"].every((name) => response[name] === 0),
    unknown: () => ({ TotalCount: 1, PendingTotalCount: "1", RunningTotalCount: 0, SuccessTotalCount: 0, FailedTotalCount: 0, DeployRecordDetailList: [] }),
  },
  "ssl-update": parted({
    service: "ssl-update",
    product: "ssl",
    version: "2019-12-05",
    action: "DescribeHostUpdateRecordDetail",
    list: "RecordDetailList",
    request: (id) => ({ DeployRecordId: String(id), Limit: "200" }),
    type: "number",
    sampleId: 4242,
    pending: 3,
    success: 1,
    failure: 2,
    other: 9,
    alsoDone: [6],
    statusesOf: (group) => entries(group.List).map((resource) => resource.Status),
    part: (status, _id, name) => ({ ResourceType: "clb", TotalCount: 1, List: [{ Id: 1, InstanceId: name, Status: status, ErrorMsg: status === 2 ? name : "" }] }),
  }),
} satisfies Record<string, Contract>;

export type Case = keyof typeof CONTRACTS;
export const CASES = Object.keys(CONTRACTS) as Case[];

/** The instance CVM tests operate on. */
export const CVM_INSTANCE = instanceOf("ins");

/** An answer of `name`'s status action for a task whose message is `message`, fitted to how each service carries it. */
export function answerWith(name: Case, status: StatusValue, id: string | number, message?: string): Record<string, unknown> {
  const contract: Contract = CONTRACTS[name];
  if (name === "tat" && message !== undefined) {
    const answer = contract.answer(status, id);
    const [invocation] = answer.InvocationSet as Record<string, unknown>[];
    return { ...answer, InvocationSet: [{ ...invocation, InvocationTaskBasicInfoSet: [{ InstanceId: message, TaskStatus: "FAILED" }] }] };
  }
  return contract.answer(status, id, message);
}

/** The id `name`'s request carries for the id given as `given` (numeric strings become numbers, MongoDB numbers strings). */
export function sentId(name: Case, given: string | number): string | number {
  return CONTRACTS[name].type === "number" ? Number(given) : String(given);
}
