import { isFaultKind, TRANSPORT_FAULT_KINDS, type FaultSpec } from "./faults";
import { isRegion } from "./regions";
import type { EmulatorState } from "./state";
import { accountOfRole, type RoleSpec } from "./sts";
import { isTaskOutcome, TASK_OUTCOMES, type TaskSpec } from "./tasks";

/** The prefix of the control API: the emulator's own, clearly not Tencent Cloud's. */
export const CONTROL_PREFIX = "/_emulator/";

export interface ControlAnswer {
  status: number;
  /** JSON body; none for 204. */
  body?: unknown;
}

/** Bad control input: answered HTTP 400 `{ "error": ... }`. */
class ControlInputError extends Error {}

/** Answers a control API request: task timelines, faults, stats, the request log, reset. */
export function handleControlRequest(method: string, path: string, body: Buffer, state: EmulatorState): ControlAnswer {
  try {
    return route(method, path.slice(CONTROL_PREFIX.length), body, state);
  } catch (error) {
    if (!(error instanceof ControlInputError)) throw error;
    return { status: 400, body: { error: error.message } };
  }
}

function route(method: string, path: string, body: Buffer, state: EmulatorState): ControlAnswer {
  // `accounts/<uin>/tasks...`: the task routes, for the tasks of another account (sts.ts).
  const inAccount = /^accounts\/(\d{1,20})\/(tasks(?:\/[^/]+)?)$/.exec(path);
  if (inAccount) return route(method, inAccount[2], body, { ...state, tasks: state.sts.tasksOf(inAccount[1], state.tasks) });
  const { tasks, faults, stats, requests, limiter, sts } = state;
  switch (`${method} ${path}`) {
    case "POST roles": {
      const role = parseRoleSpec(parseJsonObject(body));
      sts.addRole(role);
      return { status: 201, body: role };
    }
    case "GET roles":
      return { status: 200, body: { roles: sts.listRoles() } };
    case "GET sessions":
      return { status: 200, body: { sessions: sts.views(Date.now()) } };
    case "POST sessions/expire":
      return { status: 200, body: { expired: sts.expireAll(Date.now()) } };
    case "POST tasks": {
      const spec = parseTaskSpec(parseJsonObject(body));
      const task = spec.service === "clb" ? tasks.createClb(spec) : tasks.createRedis(spec);
      return { status: 201, body: { taskId: task.taskId } };
    }
    case "GET tasks":
      return { status: 200, body: { tasks: tasks.list().map((task) => tasks.view(task)) } };
    case "POST faults":
      return { status: 201, body: { id: faults.add(parseFaultSpec(parseJsonObject(body))).id } };
    case "GET faults":
      return { status: 200, body: { faults: faults.list() } };
    case "DELETE faults":
      faults.clear();
      return { status: 204 };
    case "GET stats":
      return { status: 200, body: stats.snapshot() };
    case "GET requests":
      return { status: 200, body: { requests: requests.list() } };
    case "POST reset":
      tasks.clear();
      faults.clear();
      stats.clear();
      requests.clear();
      limiter.clear();
      sts.clear();
      return { status: 204 };
  }
  const taskPath = /^tasks\/([^/]+)$/.exec(path);
  if (method === "GET" && taskPath) {
    const taskId = taskPath[1];
    const task = tasks.get(taskId);
    if (!task) return { status: 404, body: { error: `No task with id ${taskId}.` } };
    return { status: 200, body: tasks.view(task) };
  }
  return { status: 404, body: { error: `No control route ${method} ${CONTROL_PREFIX}${path}.` } };
}

type Input = Record<string, unknown>;

function parseJsonObject(body: Buffer): Input {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw new ControlInputError("The body is not valid JSON.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ControlInputError("The body must be a JSON object.");
  }
  return parsed as Input;
}

const TASK_FIELDS = {
  clb: ["service", "durationMs", "outcome", "message", "region", "loadBalancerIds", "dealName"],
  redis: ["service", "durationMs", "outcome", "message", "region", "instanceId", "taskType"],
};

function parseTaskSpec(input: Input): TaskSpec {
  const service = input.service;
  if (service !== "clb" && service !== "redis") throw new ControlInputError('`service` must be "clb" or "redis".');
  checkFields(input, TASK_FIELDS[service], `${service} tasks`);
  const timeline = {
    durationMs: field(input, "durationMs", isNonNegativeNumber, "a number of milliseconds, 0 or more"),
    outcome: field(input, "outcome", isTaskOutcome, `one of ${TASK_OUTCOMES.join(", ")}`),
    message: field(input, "message", isString, "a string"),
    region: field(input, "region", isRegionName, "a Tencent Cloud region such as ap-guangzhou"),
  };
  return service === "clb"
    ? {
        service,
        ...timeline,
        loadBalancerIds: field(input, "loadBalancerIds", isStringArray, "an array of strings"),
        dealName: field(input, "dealName", isString, "a string"),
      }
    : {
        service,
        ...timeline,
        instanceId: field(input, "instanceId", isString, "a string"),
        taskType: field(input, "taskType", isString, "a string"),
      };
}

const ROLE_FIELDS = ["roleArn", "allowedSecretIds", "externalId", "lifetimeSeconds", "webIdentity"];

function parseRoleSpec(input: Input): RoleSpec {
  checkFields(input, ROLE_FIELDS, "roles");
  const roleArn = input.roleArn;
  if (typeof roleArn !== "string" || !accountOfRole(roleArn)) {
    throw new ControlInputError("`roleArn` must be a role ARN such as qcs::cam::uin/200000000002:roleName/deployer.");
  }
  return {
    roleArn,
    allowedSecretIds: field(input, "allowedSecretIds", isStringArray, "an array of SecretIds"),
    externalId: field(input, "externalId", isString, "a string"),
    lifetimeSeconds: field(input, "lifetimeSeconds", isPositiveNumber, "a number of seconds, more than 0"),
    webIdentity: field(input, "webIdentity", isWebIdentity, "an object { providerId, token } of strings"),
  };
}

const FAULT_FIELDS = ["kind", "action", "count", "probability", "delayMs", "durationMs", "answer"];

function parseFaultSpec(input: Input): FaultSpec {
  checkFields(input, FAULT_FIELDS, "faults");
  const kind = input.kind;
  if (typeof kind !== "string" || !isFaultKind(kind)) {
    const kinds = TRANSPORT_FAULT_KINDS.join(", ");
    throw new ControlInputError(`\`kind\` must be one of ${kinds} or an API error code such as InternalError.`);
  }
  const answer = field(input, "answer", isObject, "a JSON object: the Response to answer");
  if ((kind === "answer") !== (answer !== undefined)) {
    throw new ControlInputError("`answer` goes with kind `answer`, and kind `answer` needs `answer`.");
  }
  return {
    kind,
    answer,
    action: field(input, "action", isString, "an action name"),
    count: field(input, "count", isPositiveInteger, "a positive integer"),
    probability: field(input, "probability", isProbability, "a number from 0 to 1"),
    delayMs: field(input, "delayMs", isNonNegativeNumber, "a number of milliseconds, 0 or more"),
    durationMs: field(input, "durationMs", isNonNegativeNumber, "a number of milliseconds, 0 or more"),
  };
}

function checkFields(input: Input, known: string[], what: string): void {
  const unknown = Object.keys(input).find((name) => !known.includes(name));
  if (unknown !== undefined) {
    throw new ControlInputError(`Unknown field \`${unknown}\` for ${what}; known fields: ${known.join(", ")}.`);
  }
}

/** An optional field: undefined when absent, else checked. */
function field<T>(
  input: Input,
  name: string,
  accepts: (value: unknown) => value is T,
  expected: string,
): T | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (!accepts(value)) throw new ControlInputError(`\`${name}\` must be ${expected}.`);
  return value;
}

const isString = (v: unknown): v is string => typeof v === "string";
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isNonNegativeNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;
const isWebIdentity = (v: unknown): v is { providerId: string; token: string } =>
  isObject(v) && Object.keys(v).length === 2 && isString(v.providerId) && isString(v.token);
const isPositiveNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v > 0;
const isPositiveInteger = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;
const isProbability = (v: unknown): v is number => typeof v === "number" && v >= 0 && v <= 1;
const isRegionName = (v: unknown): v is string => typeof v === "string" && isRegion(v);
