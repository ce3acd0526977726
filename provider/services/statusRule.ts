import type { JSONValue } from "@jmespath-community/jmespath";
import { UnexpectedAnswerError } from "../callFailures";
import type { StatusValue, TaskObservation, TaskState } from "../task";
import { cut } from "../text";
import { DETAILS, type DetailKey } from "./details";
import { compilePath, evaluate, PathCostError, type ExpressionNode } from "./paths";

/**
 * How to read a status answer, as data: where the status value is, which values mean pending,
 * success and failure, where the task's message and other details are. Paths are JMESPath
 * expressions into the answer's `Response` (or into the task's entry of a list answer).
 */
export interface StatusRule {
  /** Where the status value is (with `parts`, in each part). */
  status: string;
  /** How messages name the status when `status` is not a plain field: "Status" for `PurgeLogs[].Status`. */
  label?: string;
  pending: readonly StatusValue[];
  success: readonly StatusValue[];
  failure: readonly StatusValue[];
  /** Pending values that wait on something outside the task, and what: `{ UNDEFINED: "the maintenance window" }`. */
  parked?: Readonly<Record<string, string>>;
  /** Compare string values ignoring case (one version of the Redis documentation writes `Error`). */
  ignoreCase?: boolean;
  /** Compare values as text, so that `"0"` and `0` match: for lists given on a command line. */
  asText?: boolean;
  /**
   * Where the task's parts are, for a task made of parts with a status each (a CDN purge has one
   * per URL). It is pending while any part is; then failed if any part failed (a partial success
   * is a failure, carrying what failed in `message` and `failedItems`), else succeeded. No part
   * at all: not found.
   */
  parts?: string;
  /** The task's message, in either outcome (a reason on failure, CDB's `Info` on success too). */
  message?: string;
  /**
   * For a status whose values are not documented beyond its success (TDSQL-C's `BizTaskInfo`):
   * any other value is pending while `message` is empty and failed once it holds a reason. Without
   * it, a value outside the lists is an UnexpectedAnswer.
   */
  unlisted?: "pendingUntilMessage";
  details?: { readonly [K in DetailKey]?: string };
}

/** Narrows a list answer to one task, and, for an instance's latest operation, checks it is ours. */
export interface TaskSelector {
  /** JMESPath selecting the task's entry, such as ``TaskSet[?TaskId==`42`] | [0]``. */
  entry?: string;
  /**
   * CVM, Lighthouse: the task is the instance's latest operation, named by `requestId`; `path`
   * is where the entry reports the latest operation's RequestId, `name` its action.
   */
  operation?: { requestId: string; path: string; name: string };
}

/** Reads one answer into an observation; throws UnexpectedAnswerError for anything it does not understand. */
export type AnswerReader = (response: Record<string, unknown>) => TaskObservation;

/**
 * Compiles `rule` once; the reader it returns is one wait's: for an instance's latest operation
 * it remembers what the wait's earlier answers showed.
 */
export function answerReader(action: string, rule: StatusRule, selector: TaskSelector = {}): AnswerReader {
  const status = compilePath(rule.status);
  const parts = rule.parts === undefined ? undefined : compilePath(rule.parts);
  const message = rule.message === undefined ? undefined : compilePath(rule.message);
  const details = Object.entries(rule.details ?? {}).map(([key, path]) => [key as DetailKey, compilePath(path)] as const);
  const entry = selector.entry === undefined ? undefined : compilePath(selector.entry);
  const classify = classifier(rule);
  const operation = selector.operation && { ...selector.operation, path: compilePath(selector.operation.path), action: compilePath(selector.operation.name) };
  /** The latest operation the instance reported at the wait's first answer, and whether ours has been seen. */
  const memory: { first?: string | null; seen: boolean } = { seen: false };

  return (response) => {
    const requestId = typeof response.RequestId === "string" ? response.RequestId : undefined;
    const read = (node: ExpressionNode, value: JSONValue, what: string): JSONValue => {
      try {
        return evaluate(node, value);
      } catch (error) {
        const why = error instanceof PathCostError ? `costs too much to read (${error.message})` : `could not be read (${(error as Error).message})`;
        throw new UnexpectedAnswerError(`${action}: ${what} ${why}`, requestId);
      }
    };
    /** Message and details are extras: one that cannot be read is left out, the verdict stands. */
    const extra = (node: ExpressionNode, value: JSONValue): JSONValue => {
      try {
        return evaluate(node, value);
      } catch (error) {
        if (error instanceof PathCostError) throw new UnexpectedAnswerError(`${action}: the answer costs too much to read (${error.message})`, requestId);
        return null;
      }
    };

    const root = entry ? read(entry, response as JSONValue, selector.entry!) : (response as JSONValue);
    if (root === null || typeof root !== "object") {
      throw new UnexpectedAnswerError(`${action} answered no entry for this task (${selector.entry})`, requestId, "TaskNotFound");
    }
    if (operation) checkOperation(operation, read(operation.path, root, "the latest operation"), extra(operation.action, root), memory, requestId);

    const reason = message ? extra(message, root) : undefined;
    const hasReason = typeof reason === "string" && reason.trim() !== "";
    const unlisted: TaskState | undefined = rule.unlisted === "pendingUntilMessage" ? (hasReason ? "failed" : "pending") : undefined;
    const classifyHere: Classify = (value) => classify(value) ?? unlisted;
    const { state, rawStatus } = parts
      ? classifyParts(read(parts, root, rule.parts!), (part) => read(status, part, rule.status), classifyHere, action, rule, requestId)
      : classifyOne(read(status, root, rule.status), classifyHere, action, rule, requestId);
    const observation: TaskObservation = { state, rawStatus, requestId };
    const parked = state === "pending" && typeof rawStatus === "string" ? rule.parked?.[rawStatus] : undefined;
    if (parked) observation.waitingFor = parked;
    if (typeof reason === "string" && reason !== "") observation.message = cut(reason);
    for (const [key, path] of details) {
      const detail = DETAILS[key].read(extra(path, root));
      if (detail !== undefined && !(Array.isArray(detail) && detail.length === 0)) Object.assign(observation, { [key]: detail });
    }
    return observation;
  };
}

/**
 * The latest operation the instance reports, against ours. Ours seen, then another: ours was
 * replaced. Ours never seen: while the instance still reports the operation it reported at the
 * wait's first answer (an older one), ours is not visible yet (TaskNotFound, which the engine
 * retries within the service's grace); once it reports another one, a newer operation took the
 * place ours would have had. Either way ours was not seen to finish: never a success.
 */
function checkOperation(
  operation: { requestId: string },
  latest: JSONValue,
  latestAction: JSONValue,
  memory: { first?: string | null; seen: boolean },
  requestId: string | undefined,
): void {
  const reported = typeof latest === "string" && latest !== "" ? latest : null;
  if (reported === operation.requestId) {
    memory.seen = true;
    return;
  }
  const newer = reported === null ? "no operation" : `operation ${cut(reported, 128)}${typeof latestAction === "string" && latestAction !== "" ? ` (${cut(latestAction, 64)})` : ""}`;
  if (memory.seen) {
    throw new UnexpectedAnswerError(`the instance now reports ${newer} as its latest: operation ${operation.requestId} was replaced before its outcome was seen; its outcome is unknown`, requestId, "OperationReplaced");
  }
  if (!("first" in memory)) memory.first = reported;
  if (reported === memory.first) {
    throw new UnexpectedAnswerError(`the instance does not report operation ${operation.requestId} yet: its latest is ${newer}`, requestId, "TaskNotFound");
  }
  throw new UnexpectedAnswerError(
    `the instance reports ${newer} as its latest, a newer operation than the one it reported when the wait began, and never reported operation ${operation.requestId}: ours was replaced (or never ran); its outcome is unknown`,
    requestId,
    "OperationReplaced",
  );
}

type Classify = (value: StatusValue) => TaskState | undefined;

function classifier(rule: StatusRule): Classify {
  const same = (a: StatusValue, b: StatusValue) =>
    rule.asText ? String(a) === String(b) : rule.ignoreCase && typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : a === b;
  const states: [TaskState, readonly StatusValue[]][] = [
    ["pending", rule.pending],
    ["succeeded", rule.success],
    ["failed", rule.failure],
  ];
  return (value) => states.find(([, values]) => values.some((v) => same(v, value)))?.[0];
}

function known(rule: StatusRule): string {
  return [...rule.pending, ...rule.success, ...rule.failure].join(", ");
}

function classifyOne(value: JSONValue, classify: Classify, action: string, rule: StatusRule, requestId: string | undefined): { state: TaskState; rawStatus: StatusValue } {
  if (!isStatusValue(value)) {
    const what = value === null ? "nothing" : `a ${Array.isArray(value) ? "list" : "object"}`;
    throw new UnexpectedAnswerError(`${action} answered ${what} at ${rule.status} (known: ${known(rule)})`, requestId);
  }
  const state = classify(value);
  if (state === undefined) throw new UnexpectedAnswerError(`${action} answered an unexpected ${statusLabel(rule)} ${cut(JSON.stringify(value), 256)} (known: ${known(rule)})`, requestId);
  return { state, rawStatus: value };
}

/** Pending while any part is; then the first failed part's value, else the first part's (a success). Every part has a known value. */
function classifyParts(
  list: JSONValue,
  statusOf: (part: JSONValue) => JSONValue,
  classify: Classify,
  action: string,
  rule: StatusRule,
  requestId: string | undefined,
): { state: TaskState; rawStatus: StatusValue } {
  if (!Array.isArray(list)) throw new UnexpectedAnswerError(`${action} answered ${list === null ? "nothing" : "no list"} at ${rule.parts}`, requestId);
  if (list.length === 0) throw new UnexpectedAnswerError(`${action} answered no part of this task at ${rule.parts}`, requestId, "TaskNotFound");
  const parts = list.map((part) => classifyOne(statusOf(part), classify, action, rule, requestId));
  return parts.find((p) => p.state === "pending") ?? parts.find((p) => p.state === "failed") ?? parts[0];
}

function isStatusValue(value: unknown): value is StatusValue {
  return typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));
}

function statusLabel(rule: Pick<StatusRule, "status" | "label">): string {
  return rule.label ?? rule.status;
}

/** "Status 2", "Result.Status running": a status value the way messages name it. */
export function statusName(rule: Pick<StatusRule, "status" | "label">, value: StatusValue): string {
  return `${statusLabel(rule)} ${String(value)}`;
}

/** The flow APIs of several database services: `Status` 0 succeeded, 1 failed, 2 running; no message. */
export const FLOW_STATUS: StatusRule = { status: "Status", pending: [2], success: [0], failure: [1] };
