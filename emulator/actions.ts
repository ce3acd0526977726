import type {
  CreateListenerRequest,
  CreateListenerResponse,
  DeleteListenerRequest,
  DeleteListenerResponse,
  DescribeTaskStatusRequest,
  DescribeTaskStatusResponse,
} from "tencentcloud-sdk-nodejs/tencentcloud/services/clb/v20180317/clb_models";
import type {
  DescribeTaskInfoRequest,
  DescribeTaskInfoResponse,
  ModifyInstanceParamsRequest,
  ModifyInstanceParamsResponse,
} from "tencentcloud-sdk-nodejs/tencentcloud/services/redis/v20180412/redis_models";
import { ApiError, invalidParameterValue, missingParameter } from "./apiError";
import { isRegion } from "./regions";
import { randomResourceId, type ClbTask, type Service, type TaskStore } from "./tasks";

export interface ActionContext {
  requestId: string;
  /** `X-TC-Region`, already checked to be a known region. */
  region: string | undefined;
  tasks: TaskStore;
}

interface ParameterType {
  /** What a valid value is, for error messages: "a string", ... */
  expected: string;
  accepts(value: unknown): boolean;
}

interface Parameter extends ParameterType {
  required: boolean;
}

/** An action as the pipeline sees it, request and response types erased. */
interface AnyAction {
  name: string;
  service: Service;
  version: string;
  regionRequired: boolean;
  parameters: Record<string, Parameter>;
  handle(request: object, context: ActionContext): object;
}

/** An action typed with the SDK's request and response models. */
interface Action<Request, Response> extends Omit<AnyAction, "parameters" | "handle"> {
  /** Exactly the fields of the SDK's request type; anything else is an `UnknownParameter`. */
  parameters: Record<keyof Request, Parameter>;
  /** Gets parameters already validated against `parameters`; the pipeline adds `RequestId`. */
  handle(request: Request, context: ActionContext): Omit<Response, "RequestId">;
}

const anyString: ParameterType = { expected: "a string", accepts: (v) => typeof v === "string" };
const nonEmptyString: ParameterType = {
  expected: "a non-empty string",
  accepts: (v) => typeof v === "string" && v !== "",
};
const integer: ParameterType = { expected: "an integer", accepts: Number.isInteger };
const stringArray: ParameterType = {
  expected: "an array of strings",
  accepts: (v) => Array.isArray(v) && v.every((item) => typeof item === "string"),
};
const ports: ParameterType = {
  expected: "a non-empty array of integers from 1 to 65535",
  accepts: (v) => Array.isArray(v) && v.length > 0 && v.every((p) => Number.isInteger(p) && p >= 1 && p <= 65535),
};
const listenerProtocol = oneOf("TCP", "UDP", "HTTP", "HTTPS", "TCP_SSL", "QUIC");
const instanceParams: ParameterType = {
  expected: "a non-empty array of {Key, Value} objects with string values",
  accepts: (v) =>
    Array.isArray(v) &&
    v.length > 0 &&
    v.every(
      (p) =>
        typeof p === "object" &&
        p !== null &&
        Object.keys(p).length === 2 &&
        typeof p.Key === "string" &&
        typeof p.Value === "string",
    ),
};
/** Real parameters the emulator accepts but ignores. */
const ignored: ParameterType = { expected: "any value", accepts: () => true };

function oneOf(...values: string[]): ParameterType {
  return { expected: `one of ${values.join(", ")}`, accepts: (v) => typeof v === "string" && values.includes(v) };
}

function required(type: ParameterType): Parameter {
  return { ...type, required: true };
}

function optional(type: ParameterType): Parameter {
  return { ...type, required: false };
}

// An unknown task id is an error, never a fake "in progress", so that a waiter given a wrong id
// fails at once. The real answer for unknown ids is undocumented; these are the codes the two
// APIs document for bad parameters.
function taskNotFound(code: string, field: string, value: string | number, region?: string): never {
  const where = region === undefined ? "" : ` in region \`${region}\``;
  throw new ApiError(code, `The task with ${field} \`${value}\` was not found${where}.`);
}

/** What every action of a service shares: its API version, and whether a region is required. */
const CLB = { service: "clb", version: "2018-03-17", regionRequired: true } as const;
const REDIS = { service: "redis", version: "2018-04-12", regionRequired: false } as const;

/** `DescribeTaskStatus` documents `LoadBalancerIds` and `Message` as possibly null. */
type ClbTaskStatusAnswer = Omit<DescribeTaskStatusResponse, "LoadBalancerIds" | "Message"> & {
  LoadBalancerIds: string[] | null;
  Message: string | null;
};

const describeTaskStatus: Action<DescribeTaskStatusRequest, ClbTaskStatusAnswer> = {
  name: "DescribeTaskStatus",
  ...CLB,
  parameters: { TaskId: optional(anyString), DealName: optional(anyString) },
  handle(request, { region, tasks }) {
    const task = findClbTask(request, region, tasks);
    const status = tasks.clbStatus(task);
    return { Status: status, LoadBalancerIds: task.loadBalancerIds, Message: status === 1 ? task.message : null };
  },
};

function findClbTask(
  { TaskId, DealName }: DescribeTaskStatusRequest,
  region: string | undefined,
  tasks: TaskStore,
): ClbTask {
  if (TaskId !== undefined && DealName !== undefined) {
    throw new ApiError("InvalidParameter", "The parameters `TaskId` and `DealName` exclude each other: give only one.");
  }
  if (TaskId !== undefined) {
    return tasks.findClb({ taskId: TaskId }, region) ?? taskNotFound("InvalidParameter", "TaskId", TaskId, region);
  }
  if (DealName !== undefined) {
    return (
      tasks.findClb({ dealName: DealName }, region) ?? taskNotFound("InvalidParameter", "DealName", DealName, region)
    );
  }
  throw new ApiError("MissingParameter", "The request is missing a required parameter `TaskId` or `DealName`.");
}

const createListener: Action<CreateListenerRequest, CreateListenerResponse> = {
  name: "CreateListener",
  ...CLB,
  parameters: {
    LoadBalancerId: required(nonEmptyString),
    Ports: required(ports),
    Protocol: required(listenerProtocol),
    ListenerNames: optional(stringArray),
    HealthCheck: optional(ignored),
    Certificate: optional(ignored),
    SessionExpireTime: optional(ignored),
    Scheduler: optional(ignored),
    SniSwitch: optional(ignored),
    TargetType: optional(ignored),
    SessionType: optional(ignored),
    KeepaliveEnable: optional(ignored),
    EndPort: optional(ignored),
    DeregisterTargetRst: optional(ignored),
    MultiCertInfo: optional(ignored),
    MaxConn: optional(ignored),
    MaxCps: optional(ignored),
    IdleConnectTimeout: optional(ignored),
    ProxyProtocol: optional(ignored),
    SnatEnable: optional(ignored),
    FullEndPorts: optional(ignored),
    H2cSwitch: optional(ignored),
    SslCloseSwitch: optional(ignored),
    DataCompressMode: optional(ignored),
    RescheduleTargetZeroWeight: optional(ignored),
    RescheduleUnhealthy: optional(ignored),
    RescheduleExpandTarget: optional(ignored),
    RescheduleStartTime: optional(ignored),
    RescheduleInterval: optional(ignored),
  },
  handle({ LoadBalancerId, Ports }, context) {
    startLoadBalancerTask(LoadBalancerId, context);
    return { ListenerIds: Ports.map(() => randomResourceId("lbl")) };
  },
};

const deleteListener: Action<DeleteListenerRequest, DeleteListenerResponse> = {
  name: "DeleteListener",
  ...CLB,
  parameters: { LoadBalancerId: required(nonEmptyString), ListenerId: required(nonEmptyString) },
  handle({ LoadBalancerId }, context) {
    startLoadBalancerTask(LoadBalancerId, context);
    return {};
  },
};

/** Starts the task of an asynchronous CLB change; its id is the call's RequestId, as on the real API. */
function startLoadBalancerTask(loadBalancerId: string, { requestId, region, tasks }: ActionContext): void {
  // The real API refuses a second change while one is still running on the same load balancer.
  const running = tasks.inProgressOn(loadBalancerId);
  if (running) {
    throw new ApiError(
      "FailedOperation.ResourceInOperating",
      `Your task is working: load balancer \`${loadBalancerId}\` is being changed by task \`${running.taskId}\`. ` +
        "Retry after it has finished.",
    );
  }
  tasks.createClb({ service: "clb", loadBalancerIds: [loadBalancerId], region }, requestId);
}

const describeTaskInfo: Action<DescribeTaskInfoRequest, DescribeTaskInfoResponse> = {
  name: "DescribeTaskInfo",
  ...REDIS,
  parameters: { TaskId: required(integer) },
  handle({ TaskId }, { tasks }) {
    const task = tasks.findRedis(TaskId) ?? taskNotFound("InvalidParameter.InvalidParameter", "TaskId", TaskId);
    const status = tasks.redisStatus(task);
    return {
      Status: status,
      StartTime: beijingTime(task.createdAt),
      TaskType: task.taskType,
      InstanceId: task.instanceId,
      TaskMessage: status === "failed" || status === "error" ? (task.message ?? "") : "",
    };
  },
};

const modifyInstanceParams: Action<ModifyInstanceParamsRequest, ModifyInstanceParamsResponse> = {
  name: "ModifyInstanceParams",
  ...REDIS,
  parameters: { InstanceId: required(nonEmptyString), InstanceParams: required(instanceParams) },
  handle({ InstanceId }, { region, tasks }) {
    const task = tasks.createRedis({ service: "redis", instanceId: InstanceId, taskType: "Configure", region });
    return { Changed: true, TaskId: task.taskId };
  },
};

// Each action validates its request before `handle` sees it, which makes the erased types safe.
const ACTIONS = new Map<string, AnyAction>(
  [describeTaskStatus, createListener, deleteListener, describeTaskInfo, modifyInstanceParams].map((action) => [action.name, action]),
);

/**
 * The action named by `X-TC-Action`, checked against `X-TC-Version`. The service a request was
 * signed for plays no part: the SDK signs for `127` when its endpoint is `127.0.0.1:PORT`.
 */
export function findAction(name: string | undefined, version: string | undefined): AnyAction {
  if (name === undefined) throw missingParameter("Action");
  const action = ACTIONS.get(name);
  if (!action) throw new ApiError("InvalidAction", `The requested action \`${name}\` does not exist.`);
  if (version === undefined) throw missingParameter("Version");
  if (version !== action.version) {
    throw new ApiError(
      "NoSuchVersion",
      `The requested version \`${version}\` of action \`${name}\` does not exist; ` +
        `${action.service} uses \`${action.version}\`.`,
    );
  }
  return action;
}

/** Validates region and parameters, then runs the action; returns the `Response` without `RequestId`. */
export function runAction(action: AnyAction, body: Buffer, context: ActionContext): object {
  checkRegion(action, context.region);
  const request = parseBody(body);
  for (const [name, parameter] of Object.entries(action.parameters)) {
    if (parameter.required && !Object.hasOwn(request, name)) throw missingParameter(name);
  }
  for (const [name, value] of Object.entries(request)) {
    if (!Object.hasOwn(action.parameters, name)) {
      throw new ApiError("UnknownParameter", `The parameter \`${name}\` is not recognized.`);
    }
    const parameter = action.parameters[name];
    if (!parameter.accepts(value)) throw invalidParameterValue(name, parameter.expected, value);
  }
  return action.handle(request, context);
}

function checkRegion(action: AnyAction, region: string | undefined): void {
  if (region === undefined) {
    if (action.regionRequired) throw missingParameter("Region");
    return;
  }
  if (!isRegion(region)) {
    throw new ApiError(
      "InvalidParameter.RegionNotFound",
      `The region \`${region}\` given in parameter \`Region\` does not exist.`,
    );
  }
}

function parseBody(body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw new ApiError("InvalidParameter", "The request body is not valid JSON.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ApiError("InvalidParameter", "The request body must be a JSON object of parameters.");
  }
  return parsed as Record<string, unknown>;
}

/** `YYYY-MM-DD HH:mm:ss` in Beijing time (UTC+8), as the Redis API writes times. */
function beijingTime(epochMs: number): string {
  return new Date(epochMs + 8 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
}
