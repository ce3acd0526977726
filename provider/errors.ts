import type { CredentialProblem } from "./callFailures";
import type { InputFailure, TaskObservation, TaskRef, TaskResult } from "./task";
import { cut, printable } from "./text";

/** Longest property name or reason an input failure keeps: it quotes the caller's value. */
export const MAX_INPUT_TEXT = 300;

/** What every error of a wait carries, so that a pipeline log is enough to open a support ticket. */
export interface TaskErrorContext {
  task: TaskRef;
  /** How messages name the task: "clb task 55c85074-... (ap-guangzhou)". */
  label: string;
  attempts: number;
  waitedSeconds: number;
  /** The last status answer seen, if any. */
  last?: TaskObservation;
  /** RequestId of the last status call that reached the API. */
  requestId?: string;
}

/**
 * Every error a wait ends with. Messages are built once, from parts that are already scrubbed of
 * secrets, with control characters escaped: nothing is appended afterwards, so `stack` and
 * `message` always say the same.
 */
export class TaskError extends Error {
  readonly service: string;
  readonly taskId?: string | number;
  readonly dealName?: string;
  readonly instanceId?: string;
  readonly region?: string;
  readonly requestId?: string;
  readonly attempts: number;
  readonly waitedSeconds: number;
  readonly last?: TaskObservation;

  constructor(message: string, context: TaskErrorContext, options?: ErrorOptions) {
    super(printable(message), options);
    this.name = new.target.name;
    this.service = context.task.service;
    this.taskId = context.task.taskId;
    this.dealName = context.task.dealName;
    this.instanceId = context.task.instanceId;
    this.region = context.task.region;
    this.requestId = context.requestId;
    this.attempts = context.attempts;
    this.waitedSeconds = Math.round(context.waitedSeconds * 1000) / 1000;
    this.last = context.last;
  }
}

/** The task reached one of its service's failure states. */
export class TaskFailedError extends TaskError {
  readonly result: TaskResult;
  /** `status`: the failure value as messages name it ("Status 1"); `wanted`: the success value. */
  constructor(result: TaskResult, parts: { label: string; status: string; wanted: string }) {
    const reason = result.message ? result.message : "the API gave no reason";
    super(`${parts.label} failed: ${reason}. ${parts.status}, wanted ${parts.wanted}; last RequestId ${result.requestId ?? "none"}.`, {
      task: result,
      label: parts.label,
      attempts: result.attempts,
      waitedSeconds: result.waitedSeconds,
      requestId: result.requestId,
    });
    this.result = result;
  }
}

/** The deadline passed while the task was still pending (as Terraform's TimeoutError: last state, wanted state, limit, last error). */
export class TaskTimeoutError extends TaskError {
  readonly timeoutSeconds: number;
  /** The service's own success value. */
  readonly wanted: string;
  /** Why the last status call failed, if it did. */
  readonly lastFailure?: string;
  /**
   * `lookingUp`: the deadline came while the credentials were still being looked up, with what
   * the look-up was waiting for or last failed at (STS, the role, what went wrong), if known.
   */
  constructor(fields: { timeoutSeconds: number; wanted: string; lastStatus?: string; lastFailure?: string; lookingUp?: string }, context: TaskErrorContext) {
    const last = fields.lastStatus ? `last status ${fields.lastStatus}` : "no status answer received";
    const lookingUp = fields.lookingUp === undefined ? undefined : `the credentials were still being looked up${fields.lookingUp ? `: ${fields.lookingUp}` : ""}`;
    const failure = lookingUp !== undefined ? ` Before any status call, ${lookingUp}.` : fields.lastFailure ? ` The last status call failed: ${fields.lastFailure}.` : "";
    super(
      `${context.label} did not finish within its timeout of ${formatDuration(fields.timeoutSeconds)}: ${last} after ${calls(context.attempts)}; wanted ${fields.wanted}.${failure}`,
      context,
    );
    this.timeoutSeconds = fields.timeoutSeconds;
    this.wanted = fields.wanted;
    this.lastFailure = lookingUp ?? fields.lastFailure;
  }
}

/** A call failed in a way that retrying cannot fix (credentials, permissions, task id, endpoint, an answer not understood). */
export class TaskApiError extends TaskError {
  /** The API's error code (`AuthFailure.SignatureFailure`, ...), or the waiter's own (`UnexpectedAnswer`, `RedirectRefused`, ...). */
  readonly code: string;
  /** What to check, when the waiter knows. */
  readonly hint?: string;
  constructor(fields: { code: string; message: string; hint?: string }, context: TaskErrorContext) {
    super(fields.message, context);
    this.code = fields.code;
    this.hint = fields.hint;
  }

  /** A status call that the API, or the endpoint, refused for good. */
  static callFailed(fields: { code: string; reason: string; hint?: string }, context: TaskErrorContext): TaskApiError {
    const message = `status call for ${context.label} failed: ${fields.reason}${fields.hint ? ` (${fields.hint})` : ""}`;
    return new TaskApiError({ code: fields.code, message, hint: fields.hint }, context);
  }
}

export type CredentialErrorCode = CredentialProblem["code"];

/**
 * No usable credentials: none found, malformed ones (a stray newline in a CI secret), or a role
 * that could not be assumed. Raised before any status call.
 */
export class TaskCredentialError extends TaskApiError {
  constructor(fields: { code: CredentialErrorCode; problem: string }, context: TaskErrorContext) {
    super({ code: fields.code, message: `no usable credentials for ${context.label}: ${fields.problem}` }, context);
  }
}

/** The caller's AbortSignal fired (or the process was interrupted) before the task finished. */
export class TaskAbortedError extends TaskError {
  /** `reason`: the signal's reason, described by `describeThrown` and scrubbed. */
  constructor(reason: string | undefined, context: TaskErrorContext) {
    super(`the wait for ${context.label} was aborted${reason ? ` (${cut(reason, MAX_THROWN_TEXT)})` : ""}`, context);
  }
}

/** The caller's `onProgress` callback threw: the wait stopped there; the task itself was not judged. */
export class TaskCallbackError extends TaskError {
  /** `scrub` runs on the description of what was thrown before it is cut. */
  constructor(thrown: unknown, context: TaskErrorContext, scrub: (text: string) => string = (text) => text) {
    super(`the wait for ${context.label} stopped because its onProgress callback threw (${cut(scrub(describeThrown(thrown)), MAX_THROWN_TEXT)}); the task was not judged`, context, { cause: thrown });
  }
}

const MAX_THROWN_TEXT = 300;

/** Why `signal` aborted, as TaskAbortedError says it; `scrub` runs before anything is cut. */
export function abortReason(signal: AbortSignal, scrub: (text: string) => string = (text) => text): string | undefined {
  let reason: unknown;
  try {
    reason = signal.reason;
  } catch {
    return undefined;
  }
  if (reason === undefined) return undefined;
  try {
    // An Error's message says it ("deploy cancelled"); its name would only repeat "AbortError".
    if (reason instanceof Error) return scrub(String(reason.message));
  } catch {
    // described below
  }
  return scrub(describeThrown(reason));
}

/**
 * What the caller's code threw (or aborted with), as a message says it: "EACCES: permission
 * denied". Never throws, whatever the value is: an object without a prototype, getters that
 * throw, a revoked Proxy.
 */
export function describeThrown(thrown: unknown): string {
  try {
    if (typeof thrown === "string") return thrown;
    if (thrown instanceof Error) {
      const code: unknown = (thrown as { code?: unknown }).code;
      const message = String(thrown.message);
      return typeof code === "string" ? `${code}: ${message}` : message === "" ? String(thrown.name) : `${String(thrown.name)}: ${message}`;
    }
    return String(thrown);
  } catch {
    return `a value that cannot be described (${typeof thrown})`;
  }
}

/** Inputs outside the documented forms; nothing was sent to the API. */
export class TaskInputError extends Error {
  readonly failures: InputFailure[];
  /** `failures` must be scrubbed of secrets already: reasons are cut here, after. */
  constructor(failures: InputFailure[]) {
    const clean = failures.map((f) => ({ property: printable(cut(f.property, MAX_INPUT_TEXT)), reason: printable(cut(f.reason, MAX_INPUT_TEXT)) }));
    super(`invalid task inputs: ${clean.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
    this.name = "TaskInputError";
    this.failures = clean;
  }
}

/** "45s", "2m05s", "1h30m": whole seconds, as every line and summary shows a duration. */
export function formatDuration(seconds: number): string {
  const total = Math.round(seconds);
  if (total < 60) return `${total}s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return total % 60 === 0 ? `${minutes}m` : `${minutes}m${String(total % 60).padStart(2, "0")}s`;
  return minutes % 60 === 0 ? `${minutes / 60}h` : `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

export function calls(n: number): string {
  return n === 1 ? "1 status call" : `${n} status calls`;
}
