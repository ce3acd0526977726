import type * as Clb from "tencentcloud-sdk-nodejs/tencentcloud/services/clb/v20180317/clb_models";
import type * as Redis from "tencentcloud-sdk-nodejs/tencentcloud/services/redis/v20180412/redis_models";
import type * as Keewidb from "tencentcloud-sdk-nodejs/tencentcloud/services/keewidb/v20220308/keewidb_models";
import type * as Cdb from "tencentcloud-sdk-nodejs/tencentcloud/services/cdb/v20170320/cdb_models";
import type * as Mongodb from "tencentcloud-sdk-nodejs/tencentcloud/services/mongodb/v20190725/mongodb_models";
import type * as Postgres from "tencentcloud-sdk-nodejs/tencentcloud/services/postgres/v20170312/postgres_models";
import type * as Sqlserver from "tencentcloud-sdk-nodejs/tencentcloud/services/sqlserver/v20180328/sqlserver_models";
import type * as Mariadb from "tencentcloud-sdk-nodejs/tencentcloud/services/mariadb/v20170312/mariadb_models";
import type * as Dcdb from "tencentcloud-sdk-nodejs/tencentcloud/services/dcdb/v20180411/dcdb_models";
import type * as Cynosdb from "tencentcloud-sdk-nodejs/tencentcloud/services/cynosdb/v20190107/cynosdb_models";
import type * as Vpc from "tencentcloud-sdk-nodejs/tencentcloud/services/vpc/v20170312/vpc_models";
import type * as Gaap from "tencentcloud-sdk-nodejs/tencentcloud/services/gaap/v20180529/gaap_models";
import type * as Ckafka from "tencentcloud-sdk-nodejs/tencentcloud/services/ckafka/v20190819/ckafka_models";
import type * as Cvm from "tencentcloud-sdk-nodejs/tencentcloud/services/cvm/v20170312/cvm_models";
import { ApiError } from "./apiError";
import {
  anyString,
  boolean,
  ignored,
  integer,
  nonEmptyString,
  nonEmptyStringArray,
  oneOf,
  optional,
  positiveInteger,
  records,
  required,
  stringArray,
  type Parameter,
  type ParameterType,
} from "./parameters";
import { randomResourceId, type IdKind, type ServiceTask, type ServiceTaskSpec, type StatusValue, type Task, type TaskPhase, type TaskStore } from "./tasks";

/** Every service the emulator serves, by the name the waiter's `service` input gives it. */
export const SERVICE_NAMES = ["clb", "redis", "keewidb", "cdb", "mongodb", "postgres", "sqlserver", "mariadb", "dcdb", "cynosdb", "vpc", "gaap", "ckafka", "eip", "cvm", "lighthouse"] as const;
export type Service = (typeof SERVICE_NAMES)[number];

export interface ActionContext {
  requestId: string;
  /** `X-TC-Region`, already checked to be a known region. */
  region: string | undefined;
  tasks: TaskStore;
}

/** What an action's handler works with: the request's context, bound to the action's service. */
export interface ServiceContext extends ActionContext {
  /** Starts a task of this service, its id of the service's form (unless the spec gives one). */
  start(spec?: Omit<ServiceTaskSpec, "service">): ServiceTask;
  /** The task's status value now, as this service writes it. */
  status(task: Task): StatusValue;
  /** The failure reason of a task that has failed; null before, or if it succeeded. */
  failure(task: Task): string | null;
  /** The task of this service with this id, or the not-found error naming `param`. */
  find(param: string, id: string | number): FoundTask;
}

/** A task with the details of the services that have them, absent for the others. */
export type FoundTask = Task & Partial<Pick<ServiceTask, "instanceId" | "taskType">>;

/** An action as the pipeline sees it, request and response types erased. */
export interface ActionDefinition {
  name: string;
  parameters: Readonly<Record<string, Parameter>>;
  /** Gets parameters already checked against `parameters`; the pipeline adds `RequestId`. */
  handle(request: Record<string, unknown>, context: ServiceContext): object;
}

/** One service of the table: where its API lives, how its tasks look, and its actions. */
export interface ServiceEntry {
  /** The host label and signing service: `clb` for clb.tencentcloudapi.com. */
  product: string;
  version: string;
  regionRequired: boolean;
  /** How ids of new tasks look. */
  ids: IdKind;
  /** The status value the API answers in each phase of a task's timeline. */
  statuses: Readonly<Record<TaskPhase, StatusValue>>;
  /** The error code answered for an id that names no task (the real one is undocumented). */
  notFound: string;
  /** The status action first, then the mutating actions that start tasks. */
  actions: readonly ActionDefinition[];
}

/** An action typed with the SDK's request and response models. */
function action<Request, Response>(definition: {
  name: string;
  /** Exactly the fields of the SDK's request type; anything else is an `UnknownParameter`. */
  parameters: Record<keyof Request, Parameter>;
  handle(request: Request, context: ServiceContext): Omit<Response, "RequestId">;
}): ActionDefinition {
  // The pipeline checks the request against `parameters` before `handle` sees it.
  return definition as unknown as ActionDefinition;
}

/** The flow status of several database services: 2 running, 0 succeeded, 1 failed. */
const FLOW_STATUSES = { preparing: 2, running: 2, succeeded: 0, failed: 1, error: 1 } as const;
const REQUEST_STATUSES = { preparing: "RUNNING", running: "RUNNING", succeeded: "SUCCESS", failed: "FAILED", error: "FAILED" } as const;

const ids = (type: ParameterType) => required(type);

export const SERVICE_TABLE: Readonly<Record<Service, ServiceEntry>> = {
  clb: {
    product: "clb",
    version: "2018-03-17",
    regionRequired: true,
    ids: "uuid",
    statuses: { preparing: 2, running: 2, succeeded: 0, failed: 1, error: 1 },
    notFound: "InvalidParameter",
    actions: [
      action<Clb.DescribeTaskStatusRequest, ClbTaskStatusAnswer>({
        name: "DescribeTaskStatus",
        parameters: { TaskId: optional(anyString), DealName: optional(anyString) },
        handle({ TaskId, DealName }, context) {
          if (TaskId !== undefined && DealName !== undefined) {
            throw new ApiError("InvalidParameter", "The parameters `TaskId` and `DealName` exclude each other: give only one.");
          }
          const task = TaskId !== undefined ? context.find("TaskId", TaskId) : DealName !== undefined ? findByDeal("clb", DealName, context) : undefined;
          if (!task) throw new ApiError("MissingParameter", "The request is missing a required parameter `TaskId` or `DealName`.");
          const status = context.status(task);
          return { Status: status as number, LoadBalancerIds: task.service === "clb" ? task.loadBalancerIds : null, Message: context.failure(task) };
        },
      }),
      action<Clb.CreateListenerRequest, Clb.CreateListenerResponse>({
        name: "CreateListener",
        parameters: {
          LoadBalancerId: required(nonEmptyString),
          Ports: required({
            expected: "a non-empty array of integers from 1 to 65535",
            type: "array",
            accepts: (v) => (v as unknown[]).length > 0 && (v as unknown[]).every((p) => Number.isInteger(p) && (p as number) >= 1 && (p as number) <= 65535),
          }),
          Protocol: required(oneOf("TCP", "UDP", "HTTP", "HTTPS", "TCP_SSL", "QUIC")),
          ListenerNames: optional(stringArray),
          ...ignoredParameters(
            "HealthCheck Certificate SessionExpireTime Scheduler SniSwitch TargetType SessionType KeepaliveEnable EndPort DeregisterTargetRst " +
              "MultiCertInfo MaxConn MaxCps IdleConnectTimeout ProxyProtocol SnatEnable FullEndPorts H2cSwitch SslCloseSwitch DataCompressMode " +
              "RescheduleTargetZeroWeight RescheduleUnhealthy RescheduleExpandTarget RescheduleStartTime RescheduleInterval",
          ),
        } as Record<keyof Clb.CreateListenerRequest, Parameter>,
        handle({ LoadBalancerId, Ports }, context) {
          startLoadBalancerTask(LoadBalancerId, context);
          return { ListenerIds: Ports.map(() => randomResourceId("lbl")) };
        },
      }),
      action<Clb.DeleteListenerRequest, Clb.DeleteListenerResponse>({
        name: "DeleteListener",
        parameters: { LoadBalancerId: required(nonEmptyString), ListenerId: required(nonEmptyString) },
        handle({ LoadBalancerId }, context) {
          startLoadBalancerTask(LoadBalancerId, context);
          return {};
        },
      }),
    ],
  },

  redis: {
    product: "redis",
    version: "2018-04-12",
    regionRequired: false,
    ids: "integer",
    statuses: { preparing: "preparing", running: "running", succeeded: "succeed", failed: "failed", error: "error" },
    notFound: "InvalidParameter.InvalidParameter",
    actions: [
      action<Redis.DescribeTaskInfoRequest, Redis.DescribeTaskInfoResponse>({
        name: "DescribeTaskInfo",
        parameters: { TaskId: ids(integer) },
        handle: ({ TaskId }, context) => taskInfo(context.find("TaskId", TaskId), context),
      }),
      action<Redis.ModifyInstanceParamsRequest, Redis.ModifyInstanceParamsResponse>({
        name: "ModifyInstanceParams",
        parameters: { InstanceId: required(nonEmptyString), InstanceParams: required(records("Key", "Value")) },
        handle({ InstanceId }, { region, tasks }) {
          const task = tasks.createRedis({ instanceId: InstanceId, taskType: "Configure", region });
          return { Changed: true, TaskId: task.taskId };
        },
      }),
    ],
  },

  keewidb: {
    product: "keewidb",
    version: "2022-03-08",
    regionRequired: true,
    ids: "integer",
    statuses: { preparing: "preparing", running: "running", succeeded: "succeed", failed: "failed", error: "error" },
    notFound: "InvalidParameter.InvalidParameter",
    actions: [
      action<Keewidb.DescribeTaskInfoRequest, Keewidb.DescribeTaskInfoResponse>({
        name: "DescribeTaskInfo",
        parameters: { TaskId: ids(integer) },
        handle: ({ TaskId }, context) => taskInfo(context.find("TaskId", TaskId), context),
      }),
      action<Keewidb.ModifyInstanceParamsRequest, Keewidb.ModifyInstanceParamsResponse>({
        name: "ModifyInstanceParams",
        parameters: { InstanceId: required(nonEmptyString), InstanceParams: required(records("Key", "Value")) },
        handle: ({ InstanceId }, context) => ({ Changed: true, TaskId: context.start({ instanceId: InstanceId, taskType: "ModifyInstanceParams" }).taskId as number }),
      }),
    ],
  },

  cdb: {
    product: "cdb",
    version: "2017-03-20",
    regionRequired: true,
    ids: "uuid",
    statuses: { preparing: "INITIAL", running: "RUNNING", succeeded: "SUCCESS", failed: "FAILED", error: "KILLED" },
    notFound: "InvalidParameter",
    actions: [
      action<Cdb.DescribeAsyncRequestInfoRequest, Cdb.DescribeAsyncRequestInfoResponse>({
        name: "DescribeAsyncRequestInfo",
        parameters: { AsyncRequestId: ids(nonEmptyString) },
        handle({ AsyncRequestId }, context) {
          const task = context.find("AsyncRequestId", AsyncRequestId);
          return { Status: context.status(task) as string, Info: context.failure(task) ?? "" };
        },
      }),
      action<Cdb.ModifyInstanceParamRequest, Cdb.ModifyInstanceParamResponse>({
        name: "ModifyInstanceParam",
        parameters: {
          InstanceIds: required(nonEmptyStringArray),
          ParamList: optional(records("Name", "CurrentValue")),
          TemplateId: optional(integer),
          WaitSwitch: optional(integer),
          NotSyncRo: optional(boolean),
          NotSyncDr: optional(boolean),
        },
        handle: ({ InstanceIds }, context) => ({ AsyncRequestId: context.start({ instanceId: InstanceIds[0], taskType: "ModifyInstanceParam" }).taskId as string }),
      }),
    ],
  },

  mongodb: {
    product: "mongodb",
    version: "2019-07-25",
    regionRequired: true,
    // MongoDB's AsyncRequestIds are numbers written as strings.
    ids: "numericString",
    statuses: { preparing: "initial", running: "running", succeeded: "success", failed: "failed", error: "paused" },
    notFound: "InvalidParameter",
    actions: [
      action<Mongodb.DescribeAsyncRequestInfoRequest, Mongodb.DescribeAsyncRequestInfoResponse>({
        name: "DescribeAsyncRequestInfo",
        parameters: { AsyncRequestId: ids(nonEmptyString) },
        handle({ AsyncRequestId }, context) {
          const task = context.find("AsyncRequestId", AsyncRequestId);
          return { Status: context.status(task) as string, StartTime: beijingTime(task.createdAt), EndTime: endTime(task, context) };
        },
      }),
      action<Mongodb.CreateBackupDBInstanceRequest, Mongodb.CreateBackupDBInstanceResponse>({
        name: "CreateBackupDBInstance",
        parameters: { InstanceId: required(nonEmptyString), BackupMethod: required(integer), BackupRemark: optional(anyString), BackupRetentionDays: optional(integer) },
        handle: ({ InstanceId }, context) => ({ AsyncRequestId: context.start({ instanceId: InstanceId, taskType: "CreateBackupDBInstance" }).taskId as string }),
      }),
    ],
  },

  postgres: {
    product: "postgres",
    version: "2017-03-12",
    regionRequired: true,
    ids: "integer",
    statuses: { preparing: "Running", running: "Running", succeeded: "Success", failed: "Fail", error: "Fail" },
    notFound: "ResourceNotFound",
    actions: [
      action<Postgres.DescribeTasksRequest, Postgres.DescribeTasksResponse>({
        name: "DescribeTasks",
        parameters: {
          TaskId: optional(integer),
          DBInstanceId: optional(anyString),
          ...ignoredParameters("MinStartTime MaxStartTime OrderBy OrderByType"),
          Limit: optional(positiveInteger),
          Offset: optional(integer),
        } as Record<keyof Postgres.DescribeTasksRequest, Parameter>,
        handle({ TaskId, DBInstanceId, Limit = 20, Offset = 0 }, context) {
          // A list answer: tasks that match, none if none do (never an error).
          const matching = context.tasks
            .list()
            .filter((t): t is ServiceTask => t.service === "postgres")
            .filter((t) => (TaskId === undefined || t.taskId === TaskId) && (DBInstanceId === undefined || t.instanceId === DBInstanceId))
            .filter((t) => context.region === undefined || t.region === null || t.region === context.region);
          const TaskSet = matching.slice(Offset, Offset + Limit).map((task): Postgres.TaskSet => {
            const finished = context.tasks.finished(task);
            return {
              TaskId: task.taskId as number,
              TaskType: task.taskType ?? "RestartInstance",
              DBInstanceId: task.instanceId ?? "",
              StartTime: beijingTime(task.createdAt),
              EndTime: endTime(task, context),
              Status: context.status(task) as string,
              Progress: finished ? 100 : Math.floor((100 * (context.tasks.phase(task) === "preparing" ? 0 : 0.5))),
              TaskDetail: { CurrentStep: finished ? "" : "Running", AllSteps: "", Input: "", Output: "", SwitchTag: 0, SwitchTime: "", Message: context.failure(task) ?? "" },
            };
          });
          return { TotalCount: matching.length, TaskSet };
        },
      }),
      action<Postgres.RestartDBInstanceRequest, Postgres.RestartDBInstanceResponse>({
        name: "RestartDBInstance",
        parameters: { DBInstanceId: required(nonEmptyString) },
        handle({ DBInstanceId }, context) {
          const id = context.start({ instanceId: DBInstanceId, taskType: "RestartInstance" }).taskId as number;
          // PostgreSQL's FlowId and TaskId are the same number.
          return { FlowId: id, TaskId: id };
        },
      }),
    ],
  },

  sqlserver: {
    product: "sqlserver",
    version: "2018-03-28",
    regionRequired: true,
    ids: "integer",
    statuses: FLOW_STATUSES,
    notFound: "ResourceNotFound",
    actions: [
      action<Sqlserver.DescribeFlowStatusRequest, Sqlserver.DescribeFlowStatusResponse>({
        name: "DescribeFlowStatus",
        parameters: { FlowId: ids(integer) },
        handle: ({ FlowId }, context) => ({ Status: context.status(context.find("FlowId", FlowId)) as number }),
      }),
      action<Sqlserver.RestartDBInstanceRequest, Sqlserver.RestartDBInstanceResponse>({
        name: "RestartDBInstance",
        parameters: { InstanceId: required(nonEmptyString), WaitSwitch: optional(integer) },
        handle: ({ InstanceId }, context) => ({ FlowId: context.start({ instanceId: InstanceId, taskType: "RestartDBInstance" }).taskId as number }),
      }),
    ],
  },

  mariadb: {
    product: "mariadb",
    version: "2017-03-12",
    regionRequired: true,
    ids: "integer",
    statuses: FLOW_STATUSES,
    notFound: "ResourceNotFound",
    actions: [
      action<Mariadb.DescribeFlowRequest, Mariadb.DescribeFlowResponse>({
        name: "DescribeFlow",
        parameters: { FlowId: ids(integer) },
        handle: ({ FlowId }, context) => ({ Status: context.status(context.find("FlowId", FlowId)) as number }),
      }),
      action<Mariadb.RestartDBInstancesRequest, Mariadb.RestartDBInstancesResponse>({
        name: "RestartDBInstances",
        parameters: { InstanceIds: required(nonEmptyStringArray), RestartTime: optional(anyString) },
        handle: ({ InstanceIds }, context) => ({ FlowId: context.start({ instanceId: InstanceIds[0], taskType: "RestartDBInstances" }).taskId as number }),
      }),
    ],
  },

  dcdb: {
    product: "dcdb",
    version: "2018-04-11",
    regionRequired: true,
    ids: "integer",
    statuses: FLOW_STATUSES,
    notFound: "ResourceNotFound",
    actions: [
      action<Dcdb.DescribeFlowRequest, Dcdb.DescribeFlowResponse>({
        name: "DescribeFlow",
        parameters: { FlowId: ids(integer) },
        handle: ({ FlowId }, context) => ({ Status: context.status(context.find("FlowId", FlowId)) as number }),
      }),
      action<Dcdb.ModifyDBSyncModeRequest, Dcdb.ModifyDBSyncModeResponse>({
        name: "ModifyDBSyncMode",
        parameters: { InstanceId: required(nonEmptyString), SyncMode: required(integer) },
        handle: ({ InstanceId }, context) => ({ FlowId: context.start({ instanceId: InstanceId, taskType: "ModifyDBSyncMode" }).taskId as number }),
      }),
    ],
  },

  cynosdb: {
    product: "cynosdb",
    version: "2019-01-07",
    regionRequired: true,
    ids: "integer",
    statuses: FLOW_STATUSES,
    notFound: "ResourceNotFound",
    actions: [
      action<Cynosdb.DescribeFlowRequest, Cynosdb.DescribeFlowResponse>({
        name: "DescribeFlow",
        parameters: { FlowId: ids(integer) },
        handle: ({ FlowId }, context) => ({ Status: context.status(context.find("FlowId", FlowId)) as number }),
      }),
      action<Cynosdb.PauseServerlessRequest, Cynosdb.PauseServerlessResponse>({
        name: "PauseServerless",
        parameters: { ClusterId: required(nonEmptyString), ForcePause: optional(integer) },
        handle: ({ ClusterId }, context) => ({ FlowId: context.start({ instanceId: ClusterId, taskType: "PauseServerless" }).taskId as number }),
      }),
    ],
  },

  vpc: {
    product: "vpc",
    version: "2017-03-12",
    regionRequired: true,
    ids: "uuid",
    statuses: REQUEST_STATUSES,
    notFound: "ResourceNotFound",
    actions: [
      action<Vpc.DescribeVpcTaskResultRequest, Vpc.DescribeVpcTaskResultResponse>({
        name: "DescribeVpcTaskResult",
        parameters: { TaskId: ids(nonEmptyString) },
        handle({ TaskId }, context) {
          const task = context.find("TaskId", TaskId);
          const status = context.status(task) as string;
          return { Status: status, Output: context.failure(task) ?? "", Result: [{ ResourceId: task.instanceId ?? "", Status: status }] };
        },
      }),
      action<Vpc.AssignPrivateIpAddressesRequest, Vpc.AssignPrivateIpAddressesResponse>({
        name: "AssignPrivateIpAddresses",
        parameters: {
          NetworkInterfaceId: required(nonEmptyString),
          PrivateIpAddresses: optional(ignored),
          SecondaryPrivateIpAddressCount: optional(positiveInteger),
          QosLevel: optional(anyString),
          ClientToken: optional(anyString),
        },
        handle({ NetworkInterfaceId, SecondaryPrivateIpAddressCount = 1 }, context) {
          // The task id is the call's RequestId.
          context.start({ taskId: context.requestId, instanceId: NetworkInterfaceId, taskType: "AssignPrivateIpAddresses" });
          const count = Math.min(SecondaryPrivateIpAddressCount, 20);
          return { PrivateIpAddressSet: Array.from({ length: count }, (_, i) => ({ PrivateIpAddress: `10.0.0.${10 + i}`, Primary: false, State: "PENDING" })) };
        },
      }),
    ],
  },

  gaap: {
    product: "gaap",
    version: "2018-05-29",
    regionRequired: false,
    ids: "uuid",
    statuses: { preparing: "RUNNING", running: "RUNNING", succeeded: "SUCCESS", failed: "FAIL", error: "FAIL" },
    notFound: "ResourceNotFound",
    actions: [
      action<Gaap.DescribeTaskStatusRequest, Gaap.DescribeTaskStatusResponse>({
        name: "DescribeTaskStatus",
        parameters: { TaskId: ids(nonEmptyString) },
        handle({ TaskId }, context) {
          const task = context.find("TaskId", TaskId as string);
          return { Status: context.status(task) as string, TaskId: String(task.taskId) };
        },
      }),
      action<Gaap.OpenSecurityPolicyRequest, Gaap.OpenSecurityPolicyResponse>({
        name: "OpenSecurityPolicy",
        parameters: { ProxyId: optional(nonEmptyString), PolicyId: optional(nonEmptyString) },
        handle: ({ ProxyId, PolicyId }, context) => ({ TaskId: context.start({ taskId: context.requestId, instanceId: ProxyId ?? PolicyId, taskType: "OpenSecurityPolicy" }).taskId as string }),
      }),
    ],
  },

  ckafka: {
    product: "ckafka",
    version: "2019-08-19",
    regionRequired: true,
    ids: "integer",
    statuses: FLOW_STATUSES,
    notFound: "ResourceNotFound",
    actions: [
      action<Ckafka.DescribeTaskStatusRequest, Ckafka.DescribeTaskStatusResponse>({
        name: "DescribeTaskStatus",
        parameters: { FlowId: ids(integer) },
        handle({ FlowId }, context) {
          const task = context.find("FlowId", FlowId);
          return { Result: { Status: context.status(task) as number, Output: context.failure(task) ?? "" } };
        },
      }),
      action<Ckafka.ModifyInstanceAttributesRequest, Ckafka.ModifyInstanceAttributesResponse>({
        name: "ModifyInstanceAttributes",
        parameters: {
          InstanceId: required(nonEmptyString),
          ...ignoredParameters(
            "MsgRetentionTime InstanceName Config DynamicRetentionConfig RebalanceTime PublicNetwork DynamicDiskConfig MaxMessageByte " +
              "UncleanLeaderElectionEnable DeleteProtectionEnable RetentionBytes AdminSecurity TransactionalIdExpirationMs",
          ),
        } as Record<keyof Ckafka.ModifyInstanceAttributesRequest, Parameter>,
        handle({ InstanceId }, context) {
          const FlowId = context.start({ instanceId: InstanceId, taskType: "ModifyInstanceAttributes" }).taskId as number;
          return { Result: { ReturnCode: "0", ReturnMessage: "ok", Data: { FlowId } } };
        },
      }),
    ],
  },

  eip: {
    product: "vpc",
    version: "2017-03-12",
    regionRequired: true,
    ids: "integer",
    statuses: REQUEST_STATUSES,
    notFound: "ResourceNotFound",
    actions: [
      action<Vpc.DescribeTaskResultRequest, Vpc.DescribeTaskResultResponse>({
        name: "DescribeTaskResult",
        parameters: { TaskId: optional(integer), DealName: optional(nonEmptyString) },
        handle({ TaskId, DealName }, context) {
          if (TaskId !== undefined && DealName !== undefined) {
            throw new ApiError("InvalidParameter", "The parameters `TaskId` and `DealName` exclude each other: give only one.");
          }
          const task = TaskId !== undefined ? context.find("TaskId", TaskId) : DealName !== undefined ? findByDeal("eip", DealName, context) : undefined;
          if (!task) throw new ApiError("MissingParameter", "The request is missing a required parameter `TaskId` or `DealName`.");
          return { TaskId: task.taskId as number, Result: context.status(task) as string };
        },
      }),
      action<Vpc.ModifyAddressesBandwidthRequest, Vpc.ModifyAddressesBandwidthResponse>({
        name: "ModifyAddressesBandwidth",
        parameters: { AddressIds: required(nonEmptyStringArray), InternetMaxBandwidthOut: required(positiveInteger), StartTime: optional(anyString), EndTime: optional(anyString) },
        // The real call answers this TaskId as a string; DescribeTaskResult takes it as an integer.
        handle: ({ AddressIds }, context) => ({ TaskId: String(context.start({ instanceId: AddressIds[0], taskType: "ModifyAddressesBandwidth" }).taskId) }),
      }),
    ],
  },

  cvm: {
    product: "cvm",
    version: "2017-03-12",
    regionRequired: true,
    ids: "uuid",
    statuses: { preparing: "OPERATING", running: "OPERATING", succeeded: "SUCCESS", failed: "FAILED", error: "FAILED" },
    notFound: "InvalidInstanceId.NotFound",
    actions: latestOperationActions("cvm", { Filters: optional(ignored) }, { StartInstances: {}, RebootInstances: { ForceReboot: optional(boolean), StopType: optional(anyString) } }),
  },

  lighthouse: {
    product: "lighthouse",
    version: "2020-03-24",
    regionRequired: true,
    ids: "uuid",
    statuses: { preparing: "OPERATING", running: "OPERATING", succeeded: "SUCCESS", failed: "FAILED", error: "FAILED" },
    notFound: "InvalidInstanceId.NotFound",
    actions: latestOperationActions("lighthouse", { Filters: optional(ignored), OrderField: optional(anyString), Order: optional(anyString) }, { StartInstances: {}, RebootInstances: {} }, false),
  },
};

/**
 * Services whose task is an instance's latest operation (CVM): `DescribeInstances` answers each
 * instance with its newest task as `LatestOperation*`, and each start action makes itself the
 * latest operation of every instance it names, named by the call's RequestId.
 */
function latestOperationActions(
  service: Service,
  describeParameters: Record<string, Parameter>,
  starts: Record<string, Record<string, Parameter>>,
  /** Whether the instance carries `LatestOperationErrorMsg`. */
  errorMessage = true,
): ActionDefinition[] {
  const describe = action<Cvm.DescribeInstancesRequest, Pick<Cvm.DescribeInstancesResponse, "TotalCount"> & { InstanceSet: Partial<Cvm.Instance>[] }>({
    name: "DescribeInstances",
    parameters: { InstanceIds: optional(nonEmptyStringArray), Offset: optional(integer), Limit: optional(positiveInteger), ...describeParameters } as Record<keyof Cvm.DescribeInstancesRequest, Parameter>,
    handle({ InstanceIds = [] }, context) {
      // An instance exists once an operation has run on it; its latest operation is the newest.
      const InstanceSet = InstanceIds.map((instanceId) => {
        const latest = context.tasks.onInstance(service, instanceId).filter((t) => t.region === null || t.region === context.region).at(-1);
        if (!latest) throw new ApiError("InvalidInstanceId.NotFound", `The instance \`${instanceId}\` was not found.`);
        return {
          InstanceId: instanceId,
          InstanceState: latest.taskType === "StopInstances" && context.status(latest) === "SUCCESS" ? "STOPPED" : "RUNNING",
          LatestOperation: latest.taskType ?? "",
          LatestOperationState: context.status(latest) as string,
          LatestOperationRequestId: String(latest.taskId),
          ...(errorMessage ? { LatestOperationErrorMsg: context.failure(latest) ?? "" } : {}),
        };
      });
      return { TotalCount: InstanceSet.length, InstanceSet };
    },
  });
  const startActions = Object.entries(starts).map(([name, extra]) =>
    action<Cvm.StartInstancesRequest, Cvm.StartInstancesResponse>({
      name,
      parameters: { InstanceIds: required(nonEmptyStringArray), ...extra } as Record<keyof Cvm.StartInstancesRequest, Parameter>,
      handle({ InstanceIds }, context) {
        for (const instanceId of new Set(InstanceIds)) context.start({ taskId: context.requestId, instanceId, taskType: name });
        return {};
      },
    }),
  );
  return [describe, ...startActions];
}

/** `DescribeTaskStatus` documents `LoadBalancerIds` and `Message` as possibly null. */
type ClbTaskStatusAnswer = Omit<Clb.DescribeTaskStatusResponse, "LoadBalancerIds" | "Message"> & {
  LoadBalancerIds: string[] | null;
  Message: string | null;
};

/** Starts the task of an asynchronous CLB change; its id is the call's RequestId, as on the real API. */
function startLoadBalancerTask(loadBalancerId: string, { requestId, region, tasks }: ServiceContext): void {
  // The real API refuses a second change while one is still running on the same load balancer.
  const running = tasks.inProgressOn(loadBalancerId);
  if (running) {
    throw new ApiError(
      "FailedOperation.ResourceInOperating",
      `Your task is working: load balancer \`${loadBalancerId}\` is being changed by task \`${running.taskId}\`. ` +
        "Retry after it has finished.",
    );
  }
  tasks.createClb({ loadBalancerIds: [loadBalancerId], region }, requestId);
}

function findByDeal(service: "clb" | "eip", dealName: string, { tasks, region }: ServiceContext): Task {
  return tasks.findByDeal(service, dealName, region) ?? taskNotFound(SERVICE_TABLE[service].notFound, "DealName", dealName, region);
}

/** The answer of Redis and KeeWiDB `DescribeTaskInfo`. */
function taskInfo(task: Task, context: ServiceContext): Omit<Keewidb.DescribeTaskInfoResponse, "RequestId"> {
  const details = task.service === "clb" ? undefined : task;
  return {
    Status: context.status(task) as string,
    StartTime: beijingTime(task.createdAt),
    TaskType: details?.taskType ?? "",
    InstanceId: details?.instanceId ?? "",
    TaskMessage: context.failure(task) ?? "",
  };
}

// An unknown task id is an error, never a fake "in progress", so that a waiter given a wrong id
// fails at once.
export function taskNotFound(code: string, field: string, value: string | number, region?: string): never {
  const where = region === undefined ? "" : ` in region \`${region}\``;
  throw new ApiError(code, `The task with ${field} \`${value}\` was not found${where}.`);
}

function ignoredParameters(names: string): Record<string, Parameter> {
  return Object.fromEntries(names.split(" ").map((name) => [name, optional(ignored)]));
}

function endTime(task: Task, context: ServiceContext): string {
  return context.tasks.finished(task) ? beijingTime(task.createdAt + task.durationMs) : "";
}

/** `YYYY-MM-DD HH:mm:ss` in Beijing time (UTC+8), as these APIs write times. */
function beijingTime(epochMs: number): string {
  return new Date(epochMs + 8 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
}

/** Binds a request's context to a service of the table. */
export function serviceContext(service: Service, context: ActionContext): ServiceContext {
  const entry = SERVICE_TABLE[service];
  // Tasks of a regional service are seen only from their region; others from anywhere.
  const region = entry.regionRequired ? context.region : null;
  return {
    ...context,
    start: (spec = {}) => context.tasks.createService({ region: context.region, ...spec, service: service as ServiceTaskSpec["service"] }, entry.ids),
    status: (task) => entry.statuses[context.tasks.phase(task)],
    failure: (task) => (context.tasks.finished(task) && task.outcome !== "succeeded" ? task.message : null),
    find: (param, id) => context.tasks.find(service, id, region) ?? taskNotFound(entry.notFound, param, id, region ?? undefined),
  };
}
