import { compile, TreeInterpreter, type JSONValue } from "@jmespath-community/jmespath";
import { UnexpectedAnswerError } from "../callFailures";
import type { StatusValue, TaskDetails, TaskObservation, TaskState } from "../task";
import { cut } from "../text";

/**
 * How to read a status answer, as data: where the status value is, which values mean pending,
 * success and failure, where the failure message and other details are. Paths are JMESPath
 * expressions into the answer's `Response` (or into the task's entry of a list answer).
 */
export interface StatusRule {
  status: string;
  pending: readonly StatusValue[];
  success: readonly StatusValue[];
  failure: readonly StatusValue[];
  /** Pending values that wait on something outside the task, and what: `{ UNDEFINED: "the maintenance window" }`. */
  parked?: Readonly<Record<string, string>>;
  /** Compare string values ignoring case (one version of the Redis documentation writes `Error`). */
  ignoreCase?: boolean;
  /** Compare values as text, so that `"0"` and `0` match: for lists given on a command line. */
  asText?: boolean;
  /** The failure reason. */
  message?: string;
  details?: { readonly [K in keyof TaskDetails]?: string };
}

/** Narrows a list answer to one task, and holds the wait until the answer is about our operation. */
export interface TaskSelector {
  /** JMESPath selecting the task's entry, such as ``TaskSet[?TaskId==`42`] | [0]``. */
  entry?: string;
  /** Pending until the value at `path` is `equals` (CVM: until the instance reports our RequestId). */
  guard?: { path: string; equals: StatusValue; waitingFor: string };
}

/** Reads one answer into an observation; throws UnexpectedAnswerError for anything it does not understand. */
export type AnswerReader = (response: Record<string, unknown>) => TaskObservation;

/** Compiles `rule` once; the reader it returns is called for every answer. */
export function answerReader(action: string, rule: StatusRule, selector: TaskSelector = {}): AnswerReader {
  const status = compile(rule.status);
  const message = rule.message === undefined ? undefined : compile(rule.message);
  const details = Object.entries(rule.details ?? {}).map(([key, path]) => [key as keyof TaskDetails, compile(path)] as const);
  const entry = selector.entry === undefined ? undefined : compile(selector.entry);
  const guard = selector.guard && { ...selector.guard, path: compile(selector.guard.path) };
  const same = (a: StatusValue, b: StatusValue) =>
    rule.asText ? String(a) === String(b) : rule.ignoreCase && typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : a === b;
  const states: [TaskState, readonly StatusValue[]][] = [
    ["pending", rule.pending],
    ["succeeded", rule.success],
    ["failed", rule.failure],
  ];
  const known = [...rule.pending, ...rule.success, ...rule.failure].join(", ");

  return (response) => {
    const requestId = typeof response.RequestId === "string" ? response.RequestId : undefined;
    const root = entry ? search(entry, response) : (response as JSONValue);
    if (root === null || typeof root !== "object") {
      throw new UnexpectedAnswerError(`${action} answered no entry for this task (${selector.entry})`, requestId, "TaskNotFound");
    }
    const value = search(status, root);
    // Until the guard holds, the status is another operation's, or none yet (CVM documents a null
    // LatestOperationState before any operation): pending either way.
    if (guard && (value === null || isStatusValue(value))) {
      const seen = search(guard.path, root);
      if (seen !== guard.equals) {
        const now = isStatusValue(seen) ? `; it reports ${cut(String(seen), 128)}` : "";
        return { state: "pending", rawStatus: value ?? "none", waitingFor: `${guard.waitingFor}${now}`, requestId };
      }
    }
    if (!isStatusValue(value)) {
      const what = value === null ? "nothing" : `a ${Array.isArray(value) ? "list" : "object"}`;
      throw new UnexpectedAnswerError(`${action} answered ${what} at ${rule.status} (known: ${known})`, requestId);
    }
    const state = states.find(([, values]) => values.some((v) => same(v, value)))?.[0];
    if (state === undefined) {
      throw new UnexpectedAnswerError(`${action} answered an unexpected ${rule.status} ${JSON.stringify(value)} (known: ${known})`, requestId);
    }
    const parked = state === "pending" && typeof value === "string" ? rule.parked?.[value] : undefined;
    const observation: TaskObservation = { state, rawStatus: value, requestId };
    if (parked) observation.waitingFor = parked;
    const reason = message ? text(search(message, root)) : undefined;
    if (reason !== undefined) observation.message = reason;
    for (const [key, path] of details) {
      const read = DETAIL_READERS[key](search(path, root));
      if (read !== undefined) Object.assign(observation, { [key]: read });
    }
    return observation;
  };
}

function search(expression: ReturnType<typeof compile>, value: JSONValue | Record<string, unknown>): JSONValue {
  return TreeInterpreter.search(expression, value as JSONValue);
}

function isStatusValue(value: unknown): value is StatusValue {
  return typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));
}

/** Ids, names and times are short; a longer value is not one of them and is cut. */
const MAX_SHORT_TEXT = 128;
/** A task touches a handful of resources; a list longer than this is cut. */
const MAX_LIST = 100;

function text(value: unknown, max?: number): string | undefined {
  return typeof value === "string" && value !== "" ? cut(value, max) : undefined;
}

/** How each detail is read: its type checked, its size bounded (answers end up in state). */
const DETAIL_READERS: { [K in keyof TaskDetails]-?: (value: unknown) => TaskDetails[K] } = {
  loadBalancerIds: (value) =>
    Array.isArray(value)
      ? value
          .filter((id): id is string => typeof id === "string")
          .slice(0, MAX_LIST)
          .map((id) => cut(id, MAX_SHORT_TEXT))
      : undefined,
  instanceId: (value) => text(value, MAX_SHORT_TEXT),
  taskType: (value) => text(value, MAX_SHORT_TEXT),
  startTime: (value) => text(value, MAX_SHORT_TEXT),
  endTime: (value) => text(value, MAX_SHORT_TEXT),
  progress: (value) => (typeof value === "number" && Number.isFinite(value) ? value : undefined),
  operation: (value) => text(value, MAX_SHORT_TEXT),
};

/** "Status 2", "Result.Status running": a status value the way messages name it. */
export function statusName(rule: Pick<StatusRule, "status">, value: StatusValue): string {
  return `${rule.status} ${String(value)}`;
}

/** The flow APIs of several database services: `Status` 0 succeeded, 1 failed, 2 running; no message. */
export const FLOW_STATUS: StatusRule = { status: "Status", pending: [2], success: [0], failure: [1] };
