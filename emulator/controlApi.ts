import { isFaultKind, TRANSPORT_FAULT_KINDS, type FaultSpec } from "./faults";
import { describeRange, inRange, LIMITS, type Range } from "./limits";
import { isRegion } from "./regions";
import type { ScriptSpec } from "./scripts";
import { SERVICE_NAMES, SERVICE_TABLE, type Service } from "./services";
import type { EmulatorState } from "./state";
import { accountOfRole, type RoleSpec } from "./sts";
import { isTaskOutcome, TASK_OUTCOMES, type Task, type TaskSpec, type TaskStore, type TaskView } from "./tasks";

/** The prefix of the control API: the emulator's own, clearly not Tencent Cloud's. */
export const CONTROL_PREFIX = "/_emulator/";

export interface ControlAnswer {
  status: number;
  /** JSON body; none for 204. */
  body?: unknown;
}

/** Bad control input: answered HTTP 400 `{ "error": ... }`. */
class ControlInputError extends Error {}

/** Answers a control API request: task timelines, faults, scripts, stats, the request log, reset. */
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
  const { tasks, faults, scripts, stats, requests, limiter, sts } = state;
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
      const spec = parseTaskSpec(parseJsonObject(body), tasks);
      const task =
        spec.service === "clb" ? tasks.createClb(spec) : spec.service === "redis" ? tasks.createRedis(spec) : tasks.createService(spec, SERVICE_TABLE[spec.service].ids);
      return { status: 201, body: { taskId: task.taskId } };
    }
    case "GET tasks":
      return { status: 200, body: { tasks: tasks.list().map((task) => view(task, tasks)) } };
    case "POST scripts":
      return { status: 201, body: { id: scripts.add(parseScriptSpec(parseJsonObject(body))).id } };
    case "GET scripts":
      return { status: 200, body: { scripts: scripts.list() } };
    case "DELETE scripts":
      scripts.clear();
      return { status: 204 };
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
      scripts.clear();
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
    return { status: 200, body: view(task, tasks) };
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

/** A task with its service's status value for where it is on its timeline now. */
function view(task: Task, tasks: TaskStore): TaskView {
  return tasks.view(task, SERVICE_TABLE[task.service].statuses[tasks.phase(task)]);
}

const TIMELINE_FIELDS = ["service", "durationMs", "outcome", "message", "region"];
const TASK_FIELDS: Record<"clb" | "redis" | "other", string[]> = {
  clb: [...TIMELINE_FIELDS, "loadBalancerIds", "dealName"],
  redis: [...TIMELINE_FIELDS, "instanceId", "taskType"],
  other: [...TIMELINE_FIELDS, "instanceId", "taskType", "dealName", "taskId"],
};
/** A RequestId-style id given to a task: what the waiter accepts as one. */
const GIVEN_TASK_ID = /^[A-Za-z0-9_-]{1,128}$/;

function parseTaskSpec(input: Input, tasks: TaskStore): TaskSpec {
  const service = input.service;
  if (typeof service !== "string" || !(SERVICE_NAMES as readonly string[]).includes(service)) {
    throw new ControlInputError(`\`service\` must be one of ${SERVICE_NAMES.join(", ")}.`);
  }
  const known = service === "clb" || service === "redis" ? TASK_FIELDS[service] : TASK_FIELDS.other;
  checkFields(input, known, `${service} tasks`);
  const timeline = {
    durationMs: field(input, "durationMs", ranged(LIMITS.taskDurationMs), `${describeRange(LIMITS.taskDurationMs)} (milliseconds)`),
    outcome: field(input, "outcome", isTaskOutcome, `one of ${TASK_OUTCOMES.join(", ")}`),
    message: field(input, "message", isString, "a string"),
    region: field(input, "region", isRegionName, "a Tencent Cloud region such as ap-guangzhou"),
  };
  if (service === "clb") {
    return {
      service,
      ...timeline,
      loadBalancerIds: field(input, "loadBalancerIds", isStringArray, "an array of strings"),
      dealName: field(input, "dealName", isString, "a string"),
    };
  }
  const details = { ...timeline, instanceId: field(input, "instanceId", isString, "a string"), taskType: field(input, "taskType", isString, "a string") };
  if (service === "redis") return { service, ...details };
  const other = service as Exclude<Service, "clb" | "redis">;
  const taskId = field(input, "taskId", isString, 'a RequestId-style string (letters, digits, "-" and "_", at most 128)');
  if (taskId !== undefined) {
    if (SERVICE_TABLE[other].ids !== "uuid") throw new ControlInputError(`\`taskId\` can be given only for services whose ids are RequestIds, not ${other}.`);
    if (!GIVEN_TASK_ID.test(taskId)) throw new ControlInputError('`taskId` must be a RequestId-style string (letters, digits, "-" and "_", at most 128).');
    if (tasks.has(taskId)) throw new ControlInputError(`\`taskId\` ${taskId} names a task already.`);
  }
  return { service: other, ...details, taskId, dealName: field(input, "dealName", isString, "a string") };
}

const SCRIPT_FIELDS = ["action", "version", "product", "match", "responses"];

function parseScriptSpec(input: Input): ScriptSpec {
  checkFields(input, SCRIPT_FIELDS, "scripts");
  const action = field(input, "action", isActionName, "an action name such as DescribeDisks");
  if (action === undefined) throw new ControlInputError("`action` is required: the X-TC-Action the script answers.");
  const responses = input.responses;
  const count = LIMITS.scriptResponses;
  if (!Array.isArray(responses) || !inRange(responses.length, count) || !responses.every(isObject)) {
    throw new ControlInputError(`\`responses\` must be an array of ${count.min} to ${count.max} JSON objects: the Response of each answer, the last one repeated.`);
  }
  return {
    action,
    version: field(input, "version", isVersion, "an API version such as 2017-03-12"),
    product: field(input, "product", isString, "a product name such as cbs"),
    match: field(input, "match", isObject, "a JSON object of request parameters"),
    responses,
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
    lifetimeSeconds: field(input, "lifetimeSeconds", ranged(LIMITS.credentialLifetimeSeconds), `${describeRange(LIMITS.credentialLifetimeSeconds)} (seconds)`),
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
    count: field(input, "count", ranged(LIMITS.faultCount), describeRange(LIMITS.faultCount)),
    probability: field(input, "probability", ranged(LIMITS.probability), describeRange(LIMITS.probability)),
    delayMs: field(input, "delayMs", ranged(LIMITS.faultDelayMs), `${describeRange(LIMITS.faultDelayMs)} (milliseconds)`),
    durationMs: field(input, "durationMs", ranged(LIMITS.faultDurationMs), `${describeRange(LIMITS.faultDurationMs)} (milliseconds)`),
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
const ranged = (range: Range) => (v: unknown): v is number => inRange(v, range);
const isActionName = (v: unknown): v is string => typeof v === "string" && /^[A-Za-z][A-Za-z0-9]{0,63}$/.test(v);
const isVersion = (v: unknown): v is string => typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v);
const isWebIdentity = (v: unknown): v is { providerId: string; token: string } =>
  isObject(v) && Object.keys(v).length === 2 && isString(v.providerId) && isString(v.token);
const isRegionName = (v: unknown): v is string => typeof v === "string" && isRegion(v);
