import { describeTask, describeStatus, type Service, type TaskObservation, type TaskRef, type TaskResult } from "./task";

/** What every error of a wait carries, so a pipeline log is enough to open a support ticket. */
export interface TaskErrorContext {
  task: TaskRef;
  attempts: number;
  waitedSeconds: number;
  /** The last status answer seen, if any. */
  last?: TaskObservation;
  /** RequestId of the last status call that reached the API. */
  requestId?: string;
}

export class TaskError extends Error {
  readonly service: Service;
  readonly taskId?: string | number;
  readonly dealName?: string;
  readonly region?: string;
  readonly requestId?: string;
  readonly attempts: number;
  readonly waitedSeconds: number;
  readonly last?: TaskObservation;

  constructor(message: string, context: TaskErrorContext) {
    super(message);
    this.name = new.target.name;
    this.service = context.task.service;
    this.taskId = context.task.taskId;
    this.dealName = context.task.dealName;
    this.region = context.task.region;
    this.requestId = context.requestId;
    this.attempts = context.attempts;
    this.waitedSeconds = Math.round(context.waitedSeconds * 1000) / 1000;
    this.last = context.last;
  }
}

/** The task reached a failure state (CLB Status 1, Redis failed/error). */
export class TaskFailedError extends TaskError {
  readonly result: TaskResult;
  constructor(result: TaskResult) {
    const reason = result.message ? `: ${result.message}` : " (the API gave no reason)";
    super(`${describeTask(result)} failed${reason}. Status ${JSON.stringify(result.rawStatus)}, last RequestId ${result.requestId ?? "none"}.`, {
      task: result,
      attempts: result.attempts,
      waitedSeconds: result.waitedSeconds,
      requestId: result.requestId,
    });
    this.result = result;
  }
}

/** The deadline passed while the task was still pending. */
export class TaskTimeoutError extends TaskError {
  readonly timeoutSeconds: number;
  constructor(timeoutSeconds: number, context: TaskErrorContext) {
    const last = context.last ? `last status ${describeStatus(context.last)}` : "no status answer received";
    const wanted = context.task.service === "clb" ? "Status 0 (succeeded)" : "succeed";
    super(
      `${describeTask(context.task)} did not finish within its timeout of ${formatDuration(timeoutSeconds)}: ` +
        `${last} after ${context.attempts} status calls; wanted ${wanted}.`,
      context,
    );
    this.timeoutSeconds = timeoutSeconds;
  }
}

/** A status call failed in a way that retrying cannot fix (credentials, permissions, task id, ...). */
export class TaskApiError extends TaskError {
  /** The API's error code (`AuthFailure.SignatureFailure`, ...), or `NoCredentials` when none were found locally. */
  readonly code?: string;
  constructor(message: string, code: string | undefined, context: TaskErrorContext) {
    super(message, context);
    this.code = code;
  }
}

/** The caller's AbortSignal fired (or the process was interrupted) before the task finished. */
export class TaskAbortedError extends TaskError {}

export interface InputFailure {
  property: string;
  reason: string;
}

/** Inputs outside the documented forms; nothing was sent to the API. */
export class TaskInputError extends Error {
  readonly failures: InputFailure[];
  constructor(failures: InputFailure[]) {
    super(`invalid task inputs: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
    this.name = "TaskInputError";
    this.failures = failures;
  }
}

export function formatDuration(seconds: number): string {
  const total = Math.round(seconds);
  if (total < 60) return `${total}s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return total % 60 === 0 ? `${minutes}m` : `${minutes}m${String(total % 60).padStart(2, "0")}s`;
  return minutes % 60 === 0 ? `${minutes / 60}h` : `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

/** How the poll loop treats a failed status call. */
export type CallFailure =
  | { retry: true; throttled: boolean; reason: string; code?: string; requestId?: string }
  | { retry: false; reason: string; code?: string; requestId?: string };

/** Codes that say "try again later"; everything else the API answers is final for this wait. */
const TRANSIENT_CODES = [/^RequestLimitExceeded/, /^InternalError/, /^ResourceUnavailable/, /^ResourceInUse/, /^FailedOperation\.SystemError$/];

/** What to check, by code prefix: the first match wins. */
const HINTS: [RegExp, string][] = [
  [/^AuthFailure\.SignatureExpire/, "the clock of this machine is more than 5 minutes off; synchronize it (NTP) and retry"],
  [/^AuthFailure\.SignatureFailure/, "check the SecretKey (tencentcloud:secretKey or TENCENTCLOUD_SECRET_KEY) belongs to the SecretId"],
  [/^AuthFailure\.SecretIdNotFound/, "check the SecretId (tencentcloud:secretId or TENCENTCLOUD_SECRET_ID): it does not exist on this site; keys of the international site need endpoint clb.intl.tencentcloudapi.com / redis.intl.tencentcloudapi.com"],
  [/^AuthFailure\.TokenFailure/, "the session token is missing, wrong or expired: refresh the temporary credentials (tencentcloud:securityToken, TENCENTCLOUD_SECURITY_TOKEN or TENCENTCLOUD_SESSION_TOKEN)"],
  [/^(AuthFailure|UnauthorizedOperation)/, "the credentials are not allowed to call this action: grant it in a CAM policy"],
  [/^(UnsupportedRegion|InvalidParameter\.RegionNotFound)/, "check region: it must be a region where the service exists, such as ap-guangzhou"],
  [/^(InvalidParameter|ResourceNotFound)/, "check the task id and region: it must be the id returned by the asynchronous call, in the same region and account; task records expire after a while"],
  [/^(MissingParameter|UnknownParameter|InvalidAction|NoSuchVersion)/, "check endpoint: it does not serve this API version"],
  [/^UnexpectedAnswer$/, "check endpoint: it must be the Tencent Cloud API; if it is, its answers have changed: report this with the RequestId"],
];

function hintFor(code: string): string | undefined {
  return HINTS.find(([pattern]) => pattern.test(code))?.[1];
}

/** Shape of the SDK's TencentCloudSDKHttpException, read structurally so two SDK copies still work. */
interface SdkError {
  message: string;
  code?: string;
  httpCode?: number;
  requestId?: string;
}

/** Sorts a failed status call into "retry" or "stop", with a reason a person can act on. */
export function classifyCallError(error: unknown): CallFailure {
  const e = (typeof error === "object" && error !== null ? error : { message: String(error) }) as SdkError;
  const requestId = e.requestId || undefined;
  if (e.code) {
    const reason = `${e.code}: ${e.message}`;
    if (TRANSIENT_CODES.some((pattern) => pattern.test(e.code!))) {
      return { retry: true, throttled: e.code.startsWith("RequestLimitExceeded"), reason, code: e.code, requestId };
    }
    const hint = hintFor(e.code);
    return { retry: false, reason: hint ? `${reason} (${hint})` : reason, code: e.code, requestId };
  }
  // No API code: a non-200 answer, a broken connection, a timeout or an unreadable body.
  // None of these says anything about the task, so they are always retried.
  const reason = e.httpCode ? `HTTP ${e.httpCode} ${e.message}`.trim() : e.message || "unknown error";
  return { retry: true, throttled: false, reason };
}

/** Replaces every secret with "***": the last guard before a text leaves the waiter. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join("***");
  }
  return out;
}
