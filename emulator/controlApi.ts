import { isFaultKind, TRANSPORT_FAULT_KINDS, type FaultSpec } from "./faults";
import { describeRange, inRange, LIMITS, type Range } from "./limits";
import { isRegion } from "./regions";
import type { ScriptSpec } from "./scripts";
import { idSpaceOf, SERVICE_NAMES, SERVICE_TABLE, type EmulatedService, type IdSpace } from "./services";
import type { EmulatorState } from "./state";
import { accountOfRole, type RoleSpec } from "./sts";
import { isTaskOutcome, TASK_OUTCOMES, type EmulatedPhase, type EmulatedStatus, type EmulatedTaskDetail, type EmulatedTaskDetails, type IdKind, type NewEmulatedTask, type TaskDefaults, type TaskStore } from "./tasks";

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
      const { task, ids } = parseTaskSpec(parseJsonObject(body), tasks);
      return { status: 201, body: { taskId: tasks.create(task, ids).taskId } };
    }
    case "GET tasks":
      return { status: 200, body: { tasks: tasks.list().map((task) => tasks.view(task)) } };
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

/** A RequestId-style id given to a task: what the waiter accepts as one. */
const GIVEN_TASK_ID = /^[A-Za-z0-9_-]{1,128}$/;
const TIMELINE_FIELDS = ["durationMs", "outcome", "message"] as const;
const LIST_DETAILS: readonly EmulatedTaskDetail[] = ["loadBalancerIds", "targets"];

/**
 * A task from the control API, checked against its service's row of the table: the details the
 * service takes, its id spaces, and its status values. Its timeline comes from an outcome
 * (`durationMs`, `outcome`, `message`, as the API's own tasks) or from `phases` naming the raw
 * status values.
 */
function parseTaskSpec(input: Input, tasks: TaskStore): { task: NewEmulatedTask; ids: IdKind } {
  const service = input.service;
  if (typeof service !== "string" || !(SERVICE_NAMES as readonly string[]).includes(service)) {
    throw new ControlInputError(`\`service\` must be one of ${SERVICE_NAMES.join(", ")}.`);
  }
  const entry = SERVICE_TABLE[service as EmulatedService];
  const spaces = [entry, ...(entry.otherIdSpaces ?? [])];
  checkFields(input, ["service", "region", "idSpace", "taskId", "phases", ...TIMELINE_FIELDS, ...entry.details], `${service} tasks`);
  const spaceName = field(input, "idSpace", isString, `one of ${spaces.map((space) => space.name).join(", ")}`);
  if (spaceName !== undefined && !spaces.some((space) => space.name === spaceName)) {
    throw new ControlInputError(`\`idSpace\` must be one of ${spaces.map((space) => space.name).join(", ")} for ${service} tasks.`);
  }
  const space = idSpaceOf(entry, spaceName);
  const defaults: Partial<EmulatedTaskDetails> = entry.detailDefaults?.() ?? {};
  const details = Object.fromEntries(
    entry.details.map((name) => [
      name,
      (LIST_DETAILS.includes(name) ? field(input, name, isStringArray, "an array of strings") : field(input, name, isString, "a string")) ?? defaults[name] ?? null,
    ]),
  );
  return {
    task: {
      service: service as EmulatedService,
      idSpace: space.name,
      taskId: parseGivenTaskId(input, space, service, tasks),
      region: field(input, "region", isRegionName, "a Tencent Cloud region such as ap-guangzhou") ?? null,
      instanceId: null,
      taskType: null,
      dealName: null,
      loadBalancerIds: null,
      targets: null,
      ...details,
      ...parseTimeline(input, space, tasks),
    },
    ids: space.ids,
  };
}

function parseGivenTaskId(input: Input, space: IdSpace, service: string, tasks: TaskStore): string | undefined {
  const expected = 'a RequestId-style string (letters, digits, "-" and "_", at most 128)';
  const taskId = field(input, "taskId", isString, expected);
  if (taskId === undefined) return undefined;
  if (space.ids !== "uuid") throw new ControlInputError(`\`taskId\` can be given only for services whose ids are RequestIds, not ${service}.`);
  if (!GIVEN_TASK_ID.test(taskId)) throw new ControlInputError(`\`taskId\` must be ${expected}.`);
  if (tasks.has(taskId)) throw new ControlInputError(`\`taskId\` ${taskId} names a task already.`);
  return taskId;
}

function parseTimeline(input: Input, space: IdSpace, tasks: TaskStore): Pick<NewEmulatedTask, "phases" | "outcome"> {
  if (input.phases === undefined) {
    const spec: TaskDefaults = {
      durationMs: field(input, "durationMs", ranged(LIMITS.taskDurationMs), `${describeRange(LIMITS.taskDurationMs)} (milliseconds)`),
      outcome: field(input, "outcome", isTaskOutcome, `one of ${TASK_OUTCOMES.join(", ")}`),
      message: field(input, "message", isString, "a string"),
    };
    return tasks.timeline(space.statuses, spec);
  }
  const mixed = TIMELINE_FIELDS.find((name) => input[name] !== undefined);
  if (mixed !== undefined) throw new ControlInputError(`\`phases\` is the whole timeline: leave out \`${mixed}\` (give each phase its durationMs and message).`);
  const phases = input.phases;
  if (!Array.isArray(phases) || !inRange(phases.length, LIMITS.taskPhases) || !phases.every(isObject)) {
    throw new ControlInputError(`\`phases\` must be an array of ${LIMITS.taskPhases.min} to ${LIMITS.taskPhases.max} objects {status, durationMs?, message?}.`);
  }
  return { phases: phases.map((phase, index) => parsePhase(phase, `phases[${index}]`, index === phases.length - 1, space)), outcome: null };
}

const PHASE_FIELDS = ["status", "durationMs", "message"];

function parsePhase(input: Input, name: string, last: boolean, space: IdSpace): EmulatedPhase {
  checkFields(input, PHASE_FIELDS, name);
  const durationMs = field(input, "durationMs", ranged(LIMITS.taskDurationMs), `${describeRange(LIMITS.taskDurationMs)} (milliseconds)`, name);
  if (last && durationMs !== undefined) throw new ControlInputError(`\`${name}.durationMs\` must be left out: the last phase lasts for ever.`);
  if (!last && durationMs === undefined) throw new ControlInputError(`\`${name}.durationMs\` is required: every phase but the last lasts that long.`);
  return { status: parseStatus(input.status, `${name}.status`, space), durationMs: durationMs ?? 0, message: field(input, "message", isString, "a string", name) ?? null };
}

/** A documented status value of the id space; where the definitions list none, any value of the field's type. */
function parseStatus(value: unknown, name: string, space: IdSpace): EmulatedStatus {
  const { statusValues, statusField, documented } = space;
  const where = `${space.name} status (${statusField})`;
  if (documented) {
    if (!statusValues.includes(value as EmulatedStatus)) throw new ControlInputError(`\`${name}\` must be a documented ${where}: one of ${statusValues.join(", ")}.`);
    return value as EmulatedStatus;
  }
  const numeric = typeof statusValues[0] === "number";
  if (numeric ? !Number.isInteger(value) : typeof value !== "string") {
    throw new ControlInputError(`\`${name}\` must be ${numeric ? "an integer" : "a string"}: the definitions list no values of the ${where}, such as ${statusValues.join(", ")}.`);
  }
  return value as EmulatedStatus;
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

/** An optional field (of the object `within`, in messages): undefined when absent, else checked. */
function field<T>(input: Input, name: string, accepts: (value: unknown) => value is T, expected: string, within?: string): T | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (!accepts(value)) throw new ControlInputError(`\`${within === undefined ? name : `${within}.${name}`}\` must be ${expected}.`);
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
