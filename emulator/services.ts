import type * as As from "tencentcloud-sdk-nodejs/tencentcloud/services/as/v20180419/as_models";
import type * as Cdb from "tencentcloud-sdk-nodejs/tencentcloud/services/cdb/v20170320/cdb_models";
import type * as Cdn from "tencentcloud-sdk-nodejs/tencentcloud/services/cdn/v20180606/cdn_models";
import type * as Ckafka from "tencentcloud-sdk-nodejs/tencentcloud/services/ckafka/v20190819/ckafka_models";
import type * as Clb from "tencentcloud-sdk-nodejs/tencentcloud/services/clb/v20180317/clb_models";
import type * as Cvm from "tencentcloud-sdk-nodejs/tencentcloud/services/cvm/v20170312/cvm_models";
import type * as Cynosdb from "tencentcloud-sdk-nodejs/tencentcloud/services/cynosdb/v20190107/cynosdb_models";
import type * as Dcdb from "tencentcloud-sdk-nodejs/tencentcloud/services/dcdb/v20180411/dcdb_models";
import type * as Gaap from "tencentcloud-sdk-nodejs/tencentcloud/services/gaap/v20180529/gaap_models";
import type * as Gwlb from "tencentcloud-sdk-nodejs/tencentcloud/services/gwlb/v20240906/gwlb_models";
import type * as Keewidb from "tencentcloud-sdk-nodejs/tencentcloud/services/keewidb/v20220308/keewidb_models";
import type * as Lighthouse from "tencentcloud-sdk-nodejs/tencentcloud/services/lighthouse/v20200324/lighthouse_models";
import type * as Mariadb from "tencentcloud-sdk-nodejs/tencentcloud/services/mariadb/v20170312/mariadb_models";
import type * as Mongodb from "tencentcloud-sdk-nodejs/tencentcloud/services/mongodb/v20190725/mongodb_models";
import type * as Postgres from "tencentcloud-sdk-nodejs/tencentcloud/services/postgres/v20170312/postgres_models";
import type * as Redis from "tencentcloud-sdk-nodejs/tencentcloud/services/redis/v20180412/redis_models";
import type * as Scf from "tencentcloud-sdk-nodejs/tencentcloud/services/scf/v20180416/scf_models";
import type * as Sqlserver from "tencentcloud-sdk-nodejs/tencentcloud/services/sqlserver/v20180328/sqlserver_models";
import type * as Ssl from "tencentcloud-sdk-nodejs/tencentcloud/services/ssl/v20191205/ssl_models";
import type * as Tat from "tencentcloud-sdk-nodejs/tencentcloud/services/tat/v20201028/tat_models";
import type * as Teo from "tencentcloud-sdk-nodejs/tencentcloud/services/teo/v20220901/teo_models";
import type * as Vpc from "tencentcloud-sdk-nodejs/tencentcloud/services/vpc/v20170312/vpc_models";
import { ApiError, missingParameter } from "./apiError";
import { integer, nonEmptyString, nonEmptyStringArray, oneOf, positiveInteger, records, sdkParameters, type Parameter, type ParameterRule } from "./parameters";
import {
  randomResourceId,
  type EmulatedStatus,
  type EmulatedTask,
  type EmulatedTaskDetail,
  type EmulatedTaskDetails,
  type IdKind,
  type TaskPhase,
  type TaskStore,
} from "./tasks";

/** Every service the emulator serves, by the name the waiter's `service` input gives it. */
export const SERVICE_NAMES = [
  "clb",
  "redis",
  "keewidb",
  "cdb",
  "mongodb",
  "postgres",
  "sqlserver",
  "mariadb",
  "dcdb",
  "cynosdb",
  "vpc",
  "gaap",
  "ckafka",
  "eip",
  "cvm",
  "lighthouse",
  "tat",
  "as",
  "scf",
  "gwlb",
  "cdn-purge",
  "cdn-push",
  "teo-purge",
  "teo-prefetch",
  "ssl-deploy",
  "ssl-update",
] as const;
export type EmulatedService = (typeof SERVICE_NAMES)[number];

export interface ActionContext {
  requestId: string;
  /** `X-TC-Region`, already checked to be a known region. */
  region: string | undefined;
  tasks: TaskStore;
}

/** What an action's handler works with: the request's context, bound to the action's service and id space. */
export interface ServiceContext extends ActionContext {
  /** Starts a task on the default timeline, in the action's id space or `idSpace`, its id of that space's form unless given. */
  start(details?: Partial<EmulatedTaskDetails> & { taskId?: string | number }, idSpace?: string): EmulatedTask;
  /** The task's status value now. */
  status(task: EmulatedTask): EmulatedStatus;
  /** The task's message now (a failure reason, CDB's `Info`, ...), or null. */
  message(task: EmulatedTask): string | null;
  /** Whether the task is in its last phase. */
  finished(task: EmulatedTask): boolean;
  /** The task of the action's id space with this id, or the service's not-found error naming `param`. */
  find(param: string, id: string | number): EmulatedTask;
  /** The tasks of the action's id space that this request may see and `matches` accepts, oldest first. */
  visible(matches?: (task: EmulatedTask) => boolean): EmulatedTask[];
  /** The service's not-found error for a task named by `param`. */
  notFound(param: string, value: string | number): never;
}

/** An action as the pipeline sees it, request and response types erased. */
export interface ActionDefinition {
  name: string;
  /** The id space whose tasks it starts or reads; default its service's first. */
  idSpace?: string;
  /** Exactly the parameters of the SDK's request model, with the emulator's rules. */
  readonly parameters: Readonly<Record<string, Parameter>>;
  /** Gets parameters already checked against `parameters`; the pipeline adds `RequestId`. */
  handle(request: Record<string, unknown>, context: ServiceContext): object;
}

/** An action before its service binds it to the SDK's parameters. */
interface ActionSpec extends Omit<ActionDefinition, "parameters"> {
  rules: Readonly<Record<string, ParameterRule>>;
}

/** One kind of task id a service answers, and the status values its status action answers for it. */
export interface IdSpace {
  /** The API's name for these ids: `TaskId`, `FlowId`, `InvocationId`, ... */
  name: string;
  /** How ids of new tasks look. */
  ids: IdKind;
  /** The status value answered in each phase of a timeline made from an outcome. */
  statuses: Readonly<Record<TaskPhase, EmulatedStatus>>;
  /** Every value the status field can take: a task's phases may name any of them. */
  statusValues: readonly EmulatedStatus[];
  /** The status field in the product's SDK models (`Interface.Field`), whose doc comment lists `statusValues`. */
  statusField: string;
  /**
   * False where the definitions list no values (TDSQL-C's `BizTaskInfo.Status`, SSL's
   * `DeployRecordDetail.Status`): `statusValues` are then the emulator's stand-ins, and phases may
   * name any value of the field's type.
   */
  documented: boolean;
  /** The error code answered for an id that names no task; none where the status action answers a list. */
  notFound?: string;
}

/** One service of the table: where its API lives, its id spaces, what its tasks carry, and its actions. */
export interface ServiceEntry extends IdSpace {
  /** The host label and signing service: `clb` for clb.tencentcloudapi.com. */
  product: string;
  version: string;
  regionRequired: boolean;
  /** The details the control API takes for its tasks. */
  details: readonly EmulatedTaskDetail[];
  /** The details of a control API task that names none of them (Redis: a `Configure` task on a new instance). */
  detailDefaults?: () => Partial<EmulatedTaskDetails>;
  /** Id spaces beyond the first, each read by its own status action (TDSQL-C's `TaskId`). */
  otherIdSpaces?: readonly IdSpace[];
  /** The first id space's status action first, then the actions that start tasks or read more of them. */
  actions: readonly ActionDefinition[];
}

/** An action typed with the SDK's request and response models. */
function action<Request, Response>(definition: {
  name: string;
  idSpace?: string;
  /** The emulator's own rules for some parameters; the SDK's model says which exist, their types and which are required. */
  rules?: { [K in keyof Request]?: ParameterRule };
  handle(request: Request, context: ServiceContext): Omit<Response, "RequestId">;
}): ActionSpec {
  // The pipeline checks the request against the parameters before `handle` sees it.
  return { rules: {}, ...definition } as unknown as ActionSpec;
}

/** A service's entry, its actions bound to their SDK parameters (read when first used); its id kind stays in its type. */
function service<const Ids extends IdKind>(entry: Omit<ServiceEntry, "actions" | "ids"> & { ids: Ids; actions: readonly ActionSpec[] }): ServiceEntry & { ids: Ids } {
  const actions = entry.actions.map(({ rules, ...spec }): ActionDefinition => {
    let parameters: Record<string, Parameter> | undefined;
    return {
      ...spec,
      get parameters() {
        return (parameters ??= sdkParameters(entry.product, entry.version, spec.name, rules));
      },
    };
  });
  return { ...entry, actions };
}

/** The flow status of several database services: 0 succeeded, 1 failed, 2 running. */
const FLOW = { statuses: { preparing: 2, running: 2, succeeded: 0, failed: 1, error: 1 }, statusValues: [0, 1, 2], documented: true } as const;
const REQUEST_STATUSES = { preparing: "RUNNING", running: "RUNNING", succeeded: "SUCCESS", failed: "FAILED", error: "FAILED" } as const;
const LATEST_OPERATION = {
  name: "LatestOperationRequestId",
  ids: "uuid",
  statuses: { preparing: "OPERATING", running: "OPERATING", succeeded: "SUCCESS", failed: "FAILED", error: "FAILED" },
  statusValues: ["SUCCESS", "OPERATING", "FAILED"],
  statusField: "Instance.LatestOperationState",
  documented: true,
  notFound: "InvalidInstanceId.NotFound",
} as const;
const INSTANCE_DETAILS = ["instanceId", "taskType"] as const;
/** Redis and KeeWiDB `DescribeTaskInfo`. */
const TASK_INFO = {
  name: "TaskId",
  ids: "integer",
  statuses: { preparing: "preparing", running: "running", succeeded: "succeed", failed: "failed", error: "error" },
  statusValues: ["preparing", "running", "succeed", "failed", "error"],
  statusField: "DescribeTaskInfoResponse.Status",
  documented: true,
} as const;
/** EdgeOne's purge and prefetch jobs; each service lists its own values. */
const TEO_JOBS = {
  name: "JobId",
  ids: "token",
  statuses: { preparing: "processing", running: "processing", succeeded: "success", failed: "failed", error: "failed" },
  statusField: "Task.Status",
  documented: true,
} as const;
/** SSL deployment and update records: 0 waiting, 1 succeeded, 2 failed, 3 deploying, 4 rolled back, 5 rollback failed, 6 nothing to deploy. */
const SSL_RECORD_STATUSES = { statuses: { preparing: 0, running: 3, succeeded: 1, failed: 2, error: 2 }, statusValues: [0, 1, 2, 3, 4, 5, 6] } as const;

/** The targets a task of a per-target service shows when none were given. */
const SAMPLE_URL = "https://www.example.com/index.html";

export const SERVICE_TABLE = {
  clb: service({
    product: "clb",
    version: "2018-03-17",
    regionRequired: true,
    name: "TaskId",
    ids: "uuid",
    ...FLOW,
    statusField: "DescribeTaskStatusResponse.Status",
    notFound: "InvalidParameter",
    details: ["loadBalancerIds", "dealName"],
    actions: [
      action<Clb.DescribeTaskStatusRequest, ClbTaskStatusAnswer>({
        name: "DescribeTaskStatus",
        handle({ TaskId, DealName }, context) {
          const task = byTaskIdOrDeal(TaskId, DealName, context);
          return { Status: context.status(task) as number, LoadBalancerIds: task.loadBalancerIds, Message: context.message(task) };
        },
      }),
      action<Clb.CreateListenerRequest, Clb.CreateListenerResponse>({
        name: "CreateListener",
        rules: {
          LoadBalancerId: nonEmptyString,
          Ports: { expected: "a non-empty array of integers from 1 to 65535", accepts: (v) => (v as number[]).length > 0 && (v as number[]).every((p) => Number.isInteger(p) && p >= 1 && p <= 65535) },
          Protocol: oneOf("TCP", "UDP", "HTTP", "HTTPS", "TCP_SSL", "QUIC"),
        },
        handle({ LoadBalancerId, Ports }, context) {
          startLoadBalancerTask(LoadBalancerId, context);
          return { ListenerIds: Ports.map(() => randomResourceId("lbl")) };
        },
      }),
      action<Clb.DeleteListenerRequest, Clb.DeleteListenerResponse>({
        name: "DeleteListener",
        rules: { LoadBalancerId: nonEmptyString, ListenerId: nonEmptyString },
        handle({ LoadBalancerId }, context) {
          startLoadBalancerTask(LoadBalancerId, context);
          return {};
        },
      }),
    ],
  }),

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

  vpc: service({
    product: "vpc",
    version: "2017-03-12",
    regionRequired: true,
    name: "TaskId",
    ids: "uuid",
    statuses: REQUEST_STATUSES,
    statusValues: ["SUCCESS", "FAILED", "RUNNING"],
    statusField: "DescribeVpcTaskResultResponse.Status",
    documented: true,
    notFound: "ResourceNotFound",
    details: INSTANCE_DETAILS,
    actions: [
      action<Vpc.DescribeVpcTaskResultRequest, Vpc.DescribeVpcTaskResultResponse>({
        name: "DescribeVpcTaskResult",
        rules: { TaskId: nonEmptyString },
        handle({ TaskId }, context) {
          const task = context.find("TaskId", TaskId);
          const status = context.status(task) as string;
          return { Status: status, Output: context.message(task) ?? "", Result: [{ ResourceId: task.instanceId ?? "", Status: status }] };
        },
      }),
      action<Vpc.AssignPrivateIpAddressesRequest, Vpc.AssignPrivateIpAddressesResponse>({
        name: "AssignPrivateIpAddresses",
        rules: { NetworkInterfaceId: nonEmptyString, SecondaryPrivateIpAddressCount: positiveInteger },
        handle({ NetworkInterfaceId, SecondaryPrivateIpAddressCount = 1 }, context) {
          // The task id is the call's RequestId.
          context.start({ taskId: context.requestId, instanceId: NetworkInterfaceId, taskType: "AssignPrivateIpAddresses" });
          const count = Math.min(SecondaryPrivateIpAddressCount, 20);
          return { PrivateIpAddressSet: Array.from({ length: count }, (_, i) => ({ PrivateIpAddress: `10.0.0.${10 + i}`, Primary: false, State: "PENDING" })) };
        },
      }),
    ],
  }),

  gaap: service({
    product: "gaap",
    version: "2018-05-29",
    regionRequired: false,
    name: "TaskId",
    ids: "uuid",
    statuses: { preparing: "RUNNING", running: "RUNNING", succeeded: "SUCCESS", failed: "FAIL", error: "FAIL" },
    statusValues: ["RUNNING", "FAIL", "SUCCESS"],
    statusField: "DescribeTaskStatusResponse.Status",
    documented: true,
    notFound: "ResourceNotFound",
    details: INSTANCE_DETAILS,
    actions: [
      action<Gaap.DescribeTaskStatusRequest, Gaap.DescribeTaskStatusResponse>({
        name: "DescribeTaskStatus",
        rules: { TaskId: nonEmptyString },
        handle({ TaskId }, context) {
          const task = context.find("TaskId", required("TaskId", TaskId));
          return { Status: context.status(task) as string, TaskId: String(task.taskId) };
        },
      }),
      action<Gaap.OpenSecurityPolicyRequest, Gaap.OpenSecurityPolicyResponse>({
        name: "OpenSecurityPolicy",
        rules: { ProxyId: nonEmptyString, PolicyId: nonEmptyString },
        handle: ({ ProxyId, PolicyId }, context) => ({ TaskId: context.start({ taskId: context.requestId, instanceId: ProxyId ?? PolicyId, taskType: "OpenSecurityPolicy" }).taskId as string }),
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

  eip: service({
    product: "vpc",
    version: "2017-03-12",
    regionRequired: true,
    name: "TaskId",
    ids: "integer",
    statuses: REQUEST_STATUSES,
    statusValues: ["SUCCESS", "FAILED", "RUNNING"],
    statusField: "DescribeTaskResultResponse.Result",
    documented: true,
    notFound: "ResourceNotFound",
    details: [...INSTANCE_DETAILS, "dealName"],
    actions: [
      action<Vpc.DescribeTaskResultRequest, Vpc.DescribeTaskResultResponse>({
        name: "DescribeTaskResult",
        rules: { TaskId: integer, DealName: nonEmptyString },
        handle({ TaskId, DealName }, context) {
          const task = byTaskIdOrDeal(TaskId, DealName, context);
          return { TaskId: task.taskId as number, Result: context.status(task) as string };
        },
      }),
      action<Vpc.ModifyAddressesBandwidthRequest, Vpc.ModifyAddressesBandwidthResponse>({
        name: "ModifyAddressesBandwidth",
        rules: { AddressIds: nonEmptyStringArray, InternetMaxBandwidthOut: positiveInteger },
        // The real call answers this TaskId as a string; DescribeTaskResult takes it as an integer.
        handle: ({ AddressIds }, context) => ({ TaskId: String(context.start({ instanceId: AddressIds[0], taskType: "ModifyAddressesBandwidth" }).taskId) }),
      }),
    ],
  }),

  cvm: service({
    product: "cvm",
    version: "2017-03-12",
    regionRequired: true,
    ...LATEST_OPERATION,
    details: INSTANCE_DETAILS,
    actions: [
      action<Cvm.DescribeInstancesRequest, Pick<Cvm.DescribeInstancesResponse, "TotalCount" | "InstanceSet">>({
        name: "DescribeInstances",
        rules: { InstanceIds: nonEmptyStringArray, Offset: integer, Limit: positiveInteger },
        handle: ({ InstanceIds = [] }, context) => latestOperations(InstanceIds, context, (instance, task) => ({ ...instance, LatestOperationErrorMsg: context.message(task) ?? "" })),
      }),
      startOperation<Cvm.StartInstancesRequest, Cvm.StartInstancesResponse>("StartInstances"),
      startOperation<Cvm.RebootInstancesRequest, Cvm.RebootInstancesResponse>("RebootInstances"),
    ],
  }),

  lighthouse: service({
    product: "lighthouse",
    version: "2020-03-24",
    regionRequired: true,
    ...LATEST_OPERATION,
    details: INSTANCE_DETAILS,
    actions: [
      action<Lighthouse.DescribeInstancesRequest, Pick<Lighthouse.DescribeInstancesResponse, "TotalCount" | "InstanceSet">>({
        name: "DescribeInstances",
        rules: { InstanceIds: nonEmptyStringArray, Offset: integer, Limit: positiveInteger },
        // Lighthouse's Instance has no LatestOperationErrorMsg.
        handle: ({ InstanceIds = [] }, context) => latestOperations(InstanceIds, context, (instance) => instance),
      }),
      startOperation<Lighthouse.StartInstancesRequest, Lighthouse.StartInstancesResponse>("StartInstances"),
      startOperation<Lighthouse.RebootInstancesRequest, Lighthouse.RebootInstancesResponse>("RebootInstances"),
    ],
  }),

  tat: service({
    product: "tat",
    version: "2020-10-28",
    regionRequired: true,
    name: "InvocationId",
    ids: { prefix: "inv" },
    statuses: { preparing: "PENDING", running: "RUNNING", succeeded: "SUCCESS", failed: "FAILED", error: "FAILED" },
    statusValues: ["PENDING", "RUNNING", "CANCELLING", "SUCCESS", "TIMEOUT", "FAILED", "CANCELLED", "PARTIAL_FAILED", "PARTIAL_CANCELLED"],
    statusField: "Invocation.InvocationStatus",
    documented: true,
    details: ["targets", "taskType"],
    actions: [
      action<Tat.DescribeInvocationsRequest, Tat.DescribeInvocationsResponse>({
        name: "DescribeInvocations",
        rules: { Limit: positiveInteger, Offset: integer },
        handle({ InvocationIds, Filters, Limit, Offset }, context) {
          const ids = idsOrFilter("InvocationIds", InvocationIds, Filters, "invocation-id");
          const matching = context.visible((task) => ids === undefined || ids.includes(String(task.taskId)));
          const InvocationSet = page(matching, Offset, Limit ?? 20).map(
            (task): Tat.Invocation => ({
              InvocationId: String(task.taskId),
              CommandId: commandIdOf(task),
              CommandName: "",
              InvocationStatus: context.status(task) as string,
              InvocationTaskBasicInfoSet: invocationTasks(task, context).map(({ InvocationTaskId, TaskStatus, InstanceId }) => ({ InvocationTaskId, TaskStatus, InstanceId })),
              InstanceKind: "CVM",
              InvocationSource: "USER",
              CreatedTime: isoTime(task.createdAt),
              StartTime: isoTime(task.createdAt),
              EndTime: endTime(task, context, isoTime),
              UpdatedTime: isoTime(context.tasks.phaseStart(task)),
            }),
          );
          return { TotalCount: matching.length, InvocationSet };
        },
      }),
      action<Tat.RunCommandRequest, Tat.RunCommandResponse>({
        name: "RunCommand",
        rules: { Content: nonEmptyString, InstanceIds: nonEmptyStringArray, Timeout: positiveInteger },
        handle({ InstanceIds }, context) {
          const task = context.start({ targets: InstanceIds, taskType: "RunCommand" });
          return { CommandId: commandIdOf(task), InvocationId: String(task.taskId) };
        },
      }),
      action<Tat.InvokeCommandRequest, Tat.InvokeCommandResponse>({
        name: "InvokeCommand",
        rules: { CommandId: nonEmptyString, InstanceIds: nonEmptyStringArray, Timeout: positiveInteger },
        handle: ({ InstanceIds }, context) => ({ InvocationId: String(context.start({ targets: InstanceIds, taskType: "InvokeCommand" }).taskId) }),
      }),
      action<Tat.DescribeInvocationTasksRequest, Tat.DescribeInvocationTasksResponse>({
        name: "DescribeInvocationTasks",
        rules: { Limit: positiveInteger, Offset: integer },
        handle({ InvocationTaskIds, Filters, Limit, Offset }, context) {
          const taskIds = idsOrFilter("InvocationTaskIds", InvocationTaskIds, Filters, "invocation-task-id");
          const invocationIds = filterValues(Filters, "invocation-id");
          const all = context
            .visible((task) => invocationIds === undefined || invocationIds.includes(String(task.taskId)))
            .flatMap((task) => invocationTasks(task, context))
            .filter((task) => taskIds === undefined || taskIds.includes(task.InvocationTaskId!));
          return { TotalCount: all.length, InvocationTaskSet: page(all, Offset, Limit ?? 20) };
        },
      }),
    ],
  }),

  as: service({
    product: "as",
    version: "2018-04-19",
    regionRequired: true,
    name: "ActivityId",
    ids: { prefix: "asa" },
    statuses: { preparing: "INIT", running: "RUNNING", succeeded: "SUCCESSFUL", failed: "FAILED", error: "FAILED" },
    statusValues: ["INIT", "RUNNING", "SUCCESSFUL", "PARTIALLY_SUCCESSFUL", "FAILED", "CANCELLED"],
    statusField: "Activity.StatusCode",
    documented: true,
    details: INSTANCE_DETAILS,
    actions: [
      action<As.DescribeAutoScalingActivitiesRequest, As.DescribeAutoScalingActivitiesResponse>({
        name: "DescribeAutoScalingActivities",
        rules: { Limit: positiveInteger, Offset: integer },
        handle({ ActivityIds, Filters, Limit, Offset }, context) {
          const ids = idsOrFilter("ActivityIds", ActivityIds, Filters, "activity-id");
          const groups = filterValues(Filters, "auto-scaling-group-id");
          const matching = context.visible((task) => (ids === undefined || ids.includes(String(task.taskId))) && (groups === undefined || groups.includes(task.instanceId ?? "")));
          const ActivitySet = page(matching, Offset, Limit ?? 20).map((task): As.Activity => {
            const message = context.message(task) ?? "";
            return {
              AutoScalingGroupId: task.instanceId ?? "",
              ActivityId: String(task.taskId),
              ActivityType: task.taskType ?? "SCALE_OUT",
              StatusCode: context.status(task) as string,
              StatusMessage: message,
              StatusMessageSimplified: message,
              Cause: "",
              Description: "",
              CreatedTime: isoTime(task.createdAt),
              StartTime: isoTime(task.createdAt),
              EndTime: endTime(task, context, isoTime),
            };
          });
          return { TotalCount: matching.length, ActivitySet };
        },
      }),
      action<As.ScaleOutInstancesRequest, As.ScaleOutInstancesResponse>({
        name: "ScaleOutInstances",
        rules: { AutoScalingGroupId: nonEmptyString, ScaleOutNumber: positiveInteger },
        handle: ({ AutoScalingGroupId }, context) => ({ ActivityId: String(context.start({ instanceId: AutoScalingGroupId, taskType: "SCALE_OUT" }).taskId) }),
      }),
      action<As.ScaleInInstancesRequest, As.ScaleInInstancesResponse>({
        name: "ScaleInInstances",
        rules: { AutoScalingGroupId: nonEmptyString, ScaleInNumber: positiveInteger },
        handle: ({ AutoScalingGroupId }, context) => ({ ActivityId: String(context.start({ instanceId: AutoScalingGroupId, taskType: "SCALE_IN" }).taskId) }),
      }),
      action<As.ExecuteScalingPolicyRequest, As.ExecuteScalingPolicyResponse>({
        name: "ExecuteScalingPolicy",
        rules: { AutoScalingPolicyId: nonEmptyString, TriggerSource: oneOf("API", "CLOUD_MONITOR") },
        handle: (_, context) => ({ ActivityId: String(context.start({ taskType: "SCALE_OUT" }).taskId) }),
      }),
    ],
  }),

  scf: service({
    product: "scf",
    version: "2018-04-16",
    regionRequired: true,
    name: "InvokeRequestId",
    ids: "uuid",
    statuses: { preparing: "RUNNING", running: "RUNNING", succeeded: "FINISHED", failed: "FAILED", error: "ABORTED" },
    statusValues: ["RUNNING", "FINISHED", "ABORTED", "FAILED"],
    statusField: "AsyncEventStatus.Status",
    documented: true,
    notFound: "ResourceNotFound.AsyncEvent",
    details: INSTANCE_DETAILS,
    actions: [
      action<Scf.GetAsyncEventStatusRequest, Scf.GetAsyncEventStatusResponse>({
        name: "GetAsyncEventStatus",
        rules: { InvokeRequestId: nonEmptyString },
        handle({ InvokeRequestId }, context) {
          const task = context.find("InvokeRequestId", InvokeRequestId);
          return { Result: { Status: context.status(task) as string, StatusCode: 200, InvokeRequestId: String(task.taskId) } };
        },
      }),
      action<Scf.InvokeRequest, Scf.InvokeResponse>({
        name: "Invoke",
        rules: { FunctionName: nonEmptyString, InvocationType: oneOf("RequestResponse", "Event") },
        handle({ FunctionName, InvocationType }, context) {
          // Only an asynchronous invocation (`Event`) is a task: its InvokeRequestId is the call's RequestId.
          if (InvocationType === "Event") context.start({ taskId: context.requestId, instanceId: FunctionName, taskType: "Invoke" });
          return { Result: { FunctionRequestId: context.requestId, Log: "", RetMsg: "", ErrMsg: "", MemUsage: 0, Duration: 0, BillDuration: 0, InvokeResult: 0 } };
        },
      }),
    ],
  }),

  gwlb: service({
    product: "gwlb",
    version: "2024-09-06",
    regionRequired: true,
    name: "TaskId",
    ids: "uuid",
    ...FLOW,
    statusField: "DescribeTaskStatusResponse.Status",
    notFound: "InvalidParameter",
    details: ["loadBalancerIds"],
    actions: [
      action<Gwlb.DescribeTaskStatusRequest, Gwlb.DescribeTaskStatusResponse>({
        name: "DescribeTaskStatus",
        rules: { TaskId: nonEmptyString },
        handle({ TaskId }, context) {
          const task = context.find("TaskId", required("TaskId", TaskId));
          return { Status: context.status(task) as number, LoadBalancerIds: task.loadBalancerIds ?? undefined, Message: context.message(task) ?? undefined };
        },
      }),
      // Asynchronous GWLB calls: the task id is the call's RequestId.
      action<Gwlb.DisassociateTargetGroupsRequest, Gwlb.DisassociateTargetGroupsResponse>({
        name: "DisassociateTargetGroups",
        handle({ Associations }, context) {
          context.start({ taskId: context.requestId, loadBalancerIds: Associations.map((a) => a.LoadBalancerId).filter((id): id is string => id !== undefined) });
          return {};
        },
      }),
      action<Gwlb.RegisterTargetGroupInstancesRequest, Gwlb.RegisterTargetGroupInstancesResponse>({
        name: "RegisterTargetGroupInstances",
        rules: { TargetGroupId: nonEmptyString },
        handle(_, context) {
          context.start({ taskId: context.requestId });
          return {};
        },
      }),
    ],
  }),

  "cdn-purge": service({
    product: "cdn",
    version: "2018-06-06",
    regionRequired: false,
    name: "TaskId",
    ids: "token",
    statuses: { preparing: "process", running: "process", succeeded: "done", failed: "fail", error: "fail" },
    statusValues: ["fail", "done", "process"],
    statusField: "PurgeTask.Status",
    documented: true,
    details: ["targets", "taskType"],
    actions: [
      action<Cdn.DescribePurgeTasksRequest, Cdn.DescribePurgeTasksResponse>({
        name: "DescribePurgeTasks",
        rules: { Limit: positiveInteger, Offset: integer, PurgeType: oneOf("url", "path") },
        handle({ TaskId, StartTime, PurgeType, Offset, Limit }, context) {
          const logs = cdnLogs(TaskId, StartTime, context)
            .filter(({ task }) => PurgeType === undefined || task.taskType === PurgeType)
            .map(({ task, url }): Cdn.PurgeTask => ({ TaskId: String(task.taskId), Url: url, Status: context.status(task) as string, PurgeType: task.taskType ?? "url", CreateTime: beijingTime(task.createdAt) }));
          return { TotalCount: logs.length, PurgeLogs: page(logs, Offset, Limit ?? 20) };
        },
      }),
      action<Cdn.PurgeUrlsCacheRequest, Cdn.PurgeUrlsCacheResponse>({
        name: "PurgeUrlsCache",
        rules: { Urls: nonEmptyStringArray },
        handle: ({ Urls }, context) => ({ TaskId: String(context.start({ targets: Urls, taskType: "url" }).taskId) }),
      }),
      action<Cdn.PurgePathCacheRequest, Cdn.PurgePathCacheResponse>({
        name: "PurgePathCache",
        rules: { Paths: nonEmptyStringArray, FlushType: oneOf("flush", "delete") },
        handle: ({ Paths }, context) => ({ TaskId: String(context.start({ targets: Paths, taskType: "path" }).taskId) }),
      }),
    ],
  }),

  "cdn-push": service({
    product: "cdn",
    version: "2018-06-06",
    regionRequired: false,
    name: "TaskId",
    ids: "token",
    statuses: { preparing: "process", running: "process", succeeded: "done", failed: "fail", error: "fail" },
    statusValues: ["fail", "done", "process", "invalid"],
    statusField: "PushTask.Status",
    documented: true,
    details: ["targets"],
    actions: [
      action<Cdn.DescribePushTasksRequest, Cdn.DescribePushTasksResponse>({
        name: "DescribePushTasks",
        rules: { Limit: positiveInteger, Offset: integer },
        handle({ TaskId, StartTime, Offset, Limit }, context) {
          const logs = cdnLogs(TaskId, StartTime, context).map(
            ({ task, url }): Cdn.PushTask => ({
              TaskId: String(task.taskId),
              Url: url,
              Status: context.status(task) as string,
              Percent: context.finished(task) ? 100 : 0,
              Area: "mainland",
              CreateTime: beijingTime(task.createdAt),
              UpdateTime: beijingTime(context.tasks.phaseStart(task)),
            }),
          );
          return { TotalCount: logs.length, PushLogs: page(logs, Offset, Limit ?? 20) };
        },
      }),
      action<Cdn.PushUrlsCacheRequest, Cdn.PushUrlsCacheResponse>({
        name: "PushUrlsCache",
        rules: { Urls: nonEmptyStringArray, Area: oneOf("mainland", "overseas", "global") },
        handle: ({ Urls }, context) => ({ TaskId: String(context.start({ targets: Urls, taskType: "push" }).taskId) }),
      }),
    ],
  }),

  "teo-purge": service({
    product: "teo",
    version: "2022-09-01",
    regionRequired: false,
    ...TEO_JOBS,
    statusValues: ["processing", "success", "failed", "timeout", "canceled"],
    details: ["targets", "taskType"],
    actions: [
      action<Teo.DescribePurgeTasksRequest, Teo.DescribePurgeTasksResponse>({
        name: "DescribePurgeTasks",
        rules: { Limit: positiveInteger, Offset: integer },
        handle: (request, context) => teoTasks(request, context),
      }),
      action<Teo.CreatePurgeTaskRequest, Teo.CreatePurgeTaskResponse>({
        name: "CreatePurgeTask",
        rules: { ZoneId: nonEmptyString, Type: oneOf("purge_url", "purge_prefix", "purge_host", "purge_all", "purge_cache_tag"), Method: oneOf("invalidate", "delete") },
        handle: ({ Targets, Type }, context) => ({ JobId: String(context.start({ targets: Targets?.length ? Targets : null, taskType: Type }).taskId), FailedList: [] }),
      }),
    ],
  }),

  "teo-prefetch": service({
    product: "teo",
    version: "2022-09-01",
    regionRequired: false,
    ...TEO_JOBS,
    // `invalid` is not in Task.Status's list, but DescribePrefetchTasks documents it as a status to filter by.
    statusValues: ["processing", "success", "failed", "timeout", "canceled", "invalid"],
    details: ["targets"],
    actions: [
      action<Teo.DescribePrefetchTasksRequest, Teo.DescribePrefetchTasksResponse>({
        name: "DescribePrefetchTasks",
        rules: { Limit: positiveInteger, Offset: integer },
        handle: (request, context) => teoTasks(request, context),
      }),
      action<Teo.CreatePrefetchTaskRequest, Teo.CreatePrefetchTaskResponse>({
        name: "CreatePrefetchTask",
        rules: { ZoneId: nonEmptyString, Mode: oneOf("default", "edge"), PrefetchMediaSegments: oneOf("on", "off") },
        handle: ({ Targets }, context) => ({ JobId: String(context.start({ targets: Targets?.length ? Targets : null, taskType: "prefetch" }).taskId), FailedList: [] }),
      }),
    ],
  }),

  "ssl-deploy": service({
    product: "ssl",
    version: "2019-12-05",
    regionRequired: false,
    name: "DeployRecordId",
    ids: "integer",
    // DeployRecordDetail.Status lists no values; the stand-ins are UpdateRecordDetail.Status's scale.
    ...SSL_RECORD_STATUSES,
    statusField: "DeployRecordDetail.Status",
    documented: false,
    notFound: "FailedOperation.CertificateDeployNotExist",
    details: ["targets", "taskType"],
    actions: [
      action<Ssl.DescribeHostDeployRecordDetailRequest, Ssl.DescribeHostDeployRecordDetailResponse>({
        name: "DescribeHostDeployRecordDetail",
        rules: { DeployRecordId: nonEmptyString, Limit: positiveInteger, Offset: integer },
        handle({ DeployRecordId, Offset, Limit }, context) {
          const task = context.find("DeployRecordId", DeployRecordId);
          const details = recordDetails(task, context, ["lb-0a1b2c3d|lbl-0a1b2c3d"]).map(
            ({ id, target, status, message, updated }): Ssl.DeployRecordDetail => ({
              Id: id,
              CertId: "",
              InstanceId: target.split("|")[0],
              InstanceName: "",
              Domains: [],
              Status: status,
              ErrorMsg: message,
              CreateTime: beijingTime(task.createdAt),
              UpdateTime: beijingTime(updated),
            }),
          );
          return { ...recordTotals(details), DeployRecordDetailList: page(details, Offset, Limit ?? 10) };
        },
      }),
      action<Ssl.DeployCertificateInstanceRequest, Ssl.DeployCertificateInstanceResponse>({
        name: "DeployCertificateInstance",
        rules: { CertificateId: nonEmptyString, InstanceIdList: nonEmptyStringArray, IsCache: integer, Status: integer },
        handle: ({ InstanceIdList, ResourceType = "clb" }, context) => ({ DeployRecordId: context.start({ targets: InstanceIdList, taskType: ResourceType }).taskId as number, DeployStatus: 1 }),
      }),
    ],
  }),

  "ssl-update": service({
    product: "ssl",
    version: "2019-12-05",
    regionRequired: false,
    name: "DeployRecordId",
    ids: "integer",
    ...SSL_RECORD_STATUSES,
    statusField: "UpdateRecordDetail.Status",
    documented: true,
    notFound: "FailedOperation.CertificateDeployNotExist",
    details: ["targets"],
    actions: [
      action<Ssl.DescribeHostUpdateRecordDetailRequest, Ssl.DescribeHostUpdateRecordDetailResponse>({
        name: "DescribeHostUpdateRecordDetail",
        rules: { DeployRecordId: nonEmptyString },
        handle({ DeployRecordId }, context) {
          const task = context.find("DeployRecordId", DeployRecordId);
          // One resource of each type the update names; the record groups them by type.
          const details = recordDetails(task, context, ["clb"]);
          const RecordDetailList = details.map(
            ({ id, target, status, message, updated }): Ssl.UpdateRecordDetails => ({
              ResourceType: target,
              TotalCount: 1,
              List: [{ Id: id, CertId: "", OldCertId: "", ResourceType: target, Status: status, ErrorMsg: message, CreateTime: beijingTime(task.createdAt), UpdateTime: beijingTime(updated) }],
            }),
          );
          return { ...recordTotals(details), RecordDetailList };
        },
      }),
      action<Ssl.UpdateCertificateInstanceRequest, Ssl.UpdateCertificateInstanceResponse>({
        name: "UpdateCertificateInstance",
        rules: { OldCertificateId: nonEmptyString, ResourceTypes: nonEmptyStringArray },
        handle: ({ ResourceTypes }, context) => ({ DeployRecordId: context.start({ targets: ResourceTypes }).taskId as number, DeployStatus: 1, UpdateSyncProgress: [] }),
      }),
    ],
  }),
} satisfies Record<EmulatedService, ServiceEntry>;

/** The type of a service's task ids: a number where they are integers, else a string. */
export type EmulatedTaskId<S extends EmulatedService> = S extends unknown ? ((typeof SERVICE_TABLE)[S]["ids"] extends "integer" ? number : string) : never;

/** `DescribeTaskStatus` documents `LoadBalancerIds` and `Message` as possibly null. */
type ClbTaskStatusAnswer = Omit<Clb.DescribeTaskStatusResponse, "LoadBalancerIds" | "Message"> & {
  LoadBalancerIds: string[] | null;
  Message: string | null;
};

/** Starts the task of an asynchronous CLB change; its id is the call's RequestId, as on the real API. */
function startLoadBalancerTask(loadBalancerId: string, context: ServiceContext): void {
  // The real API refuses a second change while one is still running on the same load balancer.
  const [running] = context.visible((task) => task.loadBalancerIds?.includes(loadBalancerId) === true && !context.finished(task));
  if (running) {
    throw new ApiError(
      "FailedOperation.ResourceInOperating",
      `Your task is working: load balancer \`${loadBalancerId}\` is being changed by task \`${running.taskId}\`. Retry after it has finished.`,
    );
  }
  context.start({ taskId: context.requestId, loadBalancerIds: [loadBalancerId] });
}

/** The task named by exactly one of `TaskId` and `DealName` (CLB, EIP). */
function byTaskIdOrDeal(taskId: string | number | undefined, dealName: string | undefined, context: ServiceContext): EmulatedTask {
  if (taskId !== undefined && dealName !== undefined) {
    throw new ApiError("InvalidParameter", "The parameters `TaskId` and `DealName` exclude each other: give only one.");
  }
  if (taskId !== undefined) return context.find("TaskId", taskId);
  if (dealName === undefined) throw new ApiError("MissingParameter", "The request is missing a required parameter `TaskId` or `DealName`.");
  return context.visible((task) => task.dealName === dealName)[0] ?? context.notFound("DealName", dealName);
}

/** A parameter the SDK marks optional but the action needs. */
function required<T>(name: string, value: T | undefined): T {
  if (value === undefined) throw missingParameter(name);
  return value;
}

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

/** What CVM and Lighthouse `DescribeInstances` say of an instance's latest operation. */
interface LatestOperationInstance {
  InstanceId: string;
  InstanceState: string;
  LatestOperation: string;
  LatestOperationState: string;
  LatestOperationRequestId: string;
}

/**
 * Services whose task is an instance's latest operation (CVM, Lighthouse): each instance is
 * answered with its newest task; an instance exists once an operation has run on it.
 */
function latestOperations<I>(instanceIds: string[], context: ServiceContext, extend: (instance: LatestOperationInstance, latest: EmulatedTask) => I) {
  const InstanceSet = instanceIds.map((instanceId) => {
    const latest = context.visible((task) => task.instanceId === instanceId).at(-1);
    if (!latest) throw new ApiError("InvalidInstanceId.NotFound", `The instance \`${instanceId}\` was not found.`);
    const state = context.status(latest) as string;
    const instance = {
      InstanceId: instanceId,
      InstanceState: latest.taskType === "StopInstances" && state === "SUCCESS" ? "STOPPED" : "RUNNING",
      LatestOperation: latest.taskType ?? "",
      LatestOperationState: state,
      LatestOperationRequestId: String(latest.taskId),
    };
    return extend(instance, latest);
  });
  return { TotalCount: InstanceSet.length, InstanceSet };
}

/** An action that makes itself the latest operation of every instance it names, named by the call's RequestId. */
function startOperation<Request extends { InstanceIds: string[] }, Response>(name: string): ActionSpec {
  return action<Request, Response>({
    name,
    rules: { InstanceIds: nonEmptyStringArray } as { [K in keyof Request]?: ParameterRule },
    handle({ InstanceIds }, context) {
      for (const instanceId of new Set(InstanceIds)) context.start({ taskId: context.requestId, instanceId, taskType: name });
      return {} as Omit<Response, "RequestId">;
    },
  });
}

interface Filter {
  Name?: string;
  Values?: string[];
}

/** The values of the filters named `name`, or undefined if there are none. */
function filterValues(filters: readonly Filter[] | undefined, name: string): string[] | undefined {
  const named = filters?.filter((filter) => filter.Name === name) ?? [];
  return named.length === 0 ? undefined : named.flatMap((filter) => filter.Values ?? []);
}

/** The ids asked for by a list of ids or by the filter of the same ids: the API takes one or the other. */
function idsOrFilter(param: string, ids: string[] | undefined, filters: readonly Filter[] | undefined, filterName: string): string[] | undefined {
  if (ids !== undefined && filters !== undefined) {
    throw new ApiError("InvalidParameter", `The parameters \`${param}\` and \`Filters\` exclude each other: give only one.`);
  }
  return ids ?? filterValues(filters, filterName);
}

/** A TAT invocation's command, named after the invocation. */
function commandIdOf(invocation: EmulatedTask): string {
  return `cmd-${String(invocation.taskId).slice("inv-".length)}`;
}

/**
 * The per-instance tasks of a TAT invocation: each has the invocation's status (all of which
 * are task statuses too), but for a partial outcome, where the first instance fails or is
 * cancelled and the others succeed. A failing instance carries the invocation's message.
 */
function invocationTasks(invocation: EmulatedTask, context: ServiceContext): Tat.InvocationTask[] {
  const status = context.status(invocation) as string;
  const partial = { PARTIAL_FAILED: "FAILED", PARTIAL_CANCELLED: "CANCELLED" }[status];
  const message = context.message(invocation) ?? "";
  const id = String(invocation.taskId).slice("inv-".length);
  return (invocation.targets ?? ["ins-0a1b2c3d"]).map((InstanceId, index): Tat.InvocationTask => {
    const TaskStatus = partial === undefined ? status : index === 0 ? partial : "SUCCESS";
    return {
      InvocationId: String(invocation.taskId),
      InvocationTaskId: `invt-${id}${index}`,
      CommandId: commandIdOf(invocation),
      TaskStatus,
      InstanceId,
      ErrorInfo: TaskStatus === "SUCCESS" ? "" : message,
      TaskResult: { ExitCode: TaskStatus === "FAILED" ? 1 : 0, Output: "" },
      CreatedTime: isoTime(invocation.createdAt),
      StartTime: isoTime(invocation.createdAt),
      EndTime: endTime(invocation, context, isoTime),
      UpdatedTime: isoTime(context.tasks.phaseStart(invocation)),
    };
  });
}

/** CDN purge and push records: one per URL of each task that matches, a task without URLs showing a sample one. */
function cdnLogs(taskId: string | undefined, startTime: string | undefined, context: ServiceContext): { task: EmulatedTask; url: string }[] {
  if (taskId === undefined && startTime === undefined) {
    throw new ApiError("MissingParameter", "The request is missing a required parameter: `TaskId`, or `StartTime` and `EndTime`.");
  }
  return context
    .visible((task) => taskId === undefined || String(task.taskId) === taskId)
    .flatMap((task) => (task.targets ?? [SAMPLE_URL]).map((url) => ({ task, url })));
}

/** EdgeOne `DescribePurgeTasks` and `DescribePrefetchTasks`: one entry per target of each job that matches. */
function teoTasks(
  { Filters, StartTime, Offset, Limit }: { Filters?: Filter[]; StartTime?: string; Offset?: number; Limit?: number },
  context: ServiceContext,
): Omit<Teo.DescribePurgeTasksResponse, "RequestId"> {
  const jobIds = filterValues(Filters, "job-id");
  if (jobIds === undefined && StartTime === undefined) {
    throw new ApiError("MissingParameter", "The request is missing a required parameter: `StartTime`, or a `job-id` filter.");
  }
  const all = context
    .visible((task) => jobIds === undefined || jobIds.includes(String(task.taskId)))
    .flatMap((task) =>
      (task.targets ?? [SAMPLE_URL]).map(
        (Target): Teo.Task => ({
          JobId: String(task.taskId),
          Target,
          Type: task.taskType ?? "purge_url",
          Status: context.status(task) as string,
          CreateTime: isoTime(task.createdAt),
          UpdateTime: isoTime(context.tasks.phaseStart(task)),
          FailMessage: context.message(task) ?? "",
        }),
      ),
    );
  return { TotalCount: all.length, Tasks: page(all, Offset, Limit ?? 20) };
}

/** The entries of an SSL deployment or update record: one per target, each with the record's status. */
function recordDetails(task: EmulatedTask, context: ServiceContext, sample: string[]) {
  const status = context.status(task) as number;
  const message = context.message(task) ?? "";
  const updated = context.tasks.phaseStart(task);
  return (task.targets ?? sample).map((target, index) => ({ id: index + 1, target, status, message, updated }));
}

/** The counts SSL records answer next to their entries. */
function recordTotals(details: readonly { status?: number; Status?: number }[]) {
  const count = (value: number) => details.filter((detail) => (detail.status ?? detail.Status) === value).length;
  return { TotalCount: details.length, SuccessTotalCount: count(1), FailedTotalCount: count(2), RunningTotalCount: count(3), PendingTotalCount: count(0) };
}

// An unknown task id is an error, never a fake "in progress", so that a waiter given a wrong id
// fails at once.
export function taskNotFound(code: string, field: string, value: string | number, region?: string): never {
  const where = region === undefined ? "" : ` in region \`${region}\``;
  throw new ApiError(code, `The task with ${field} \`${value}\` was not found${where}.`);
}

/** A list answer's page. */
function page<T>(items: T[], offset = 0, limit: number): T[] {
  return items.slice(offset, offset + limit);
}

/** When the task finished, in `format`; "" before. */
function endTime(task: EmulatedTask, context: ServiceContext, format: (epochMs: number) => string): string {
  return context.finished(task) ? format(context.tasks.phaseStart(task)) : "";
}

/** `YYYY-MM-DD HH:mm:ss` in Beijing time (UTC+8), as the database and CDN APIs write times. */
function beijingTime(epochMs: number): string {
  return new Date(epochMs + 8 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
}

/** `YYYY-MM-DDThh:mm:ssZ`, as TAT, AS and EdgeOne write times. */
function isoTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}

const NO_DETAILS: EmulatedTaskDetails = { instanceId: null, taskType: null, dealName: null, loadBalancerIds: null, targets: null };

/** The id space of `entry` named `name` (default its first). */
export function idSpaceOf(entry: ServiceEntry, name: string = entry.name): IdSpace {
  const space = [entry, ...(entry.otherIdSpaces ?? [])].find((candidate) => candidate.name === name);
  if (!space) throw new Error(`No id space ${name} in the service table.`);
  return space;
}

/** Binds a request's context to a service of the table and one of its id spaces. */
export function serviceContext(service: EmulatedService, idSpace: string | undefined, context: ActionContext): ServiceContext {
  const entry = SERVICE_TABLE[service];
  const home = idSpaceOf(entry, idSpace);
  const { tasks } = context;
  // Tasks of a regional service are seen only from their region; others from anywhere.
  const region = entry.regionRequired ? context.region : null;
  const notFound = (param: string, value: string | number): never => taskNotFound(home.notFound ?? "ResourceNotFound", param, value, region ?? undefined);
  return {
    ...context,
    start(details = {}, name = home.name) {
      const space = idSpaceOf(entry, name);
      return tasks.create({ service, idSpace: space.name, region: context.region ?? null, ...NO_DETAILS, ...details, ...tasks.timeline(space.statuses) }, space.ids);
    },
    status: (task) => tasks.phase(task).status,
    message: (task) => tasks.phase(task).message,
    finished: (task) => tasks.finished(task),
    find: (param, id) => tasks.find(service, home.name, id, region) ?? notFound(param, id),
    notFound,
    visible: (matches = () => true) => tasks.where(service, region, (task) => task.idSpace === home.name && matches(task)),
  };
}
