/**
 * How one API call can fail, sorted by where the failure came from. Only an error the API itself
 * answered (`Response.Error.Code`) is an API error; a broken connection, a cut or corrupt body, a
 * non-200 answer or a timeout says nothing about the task and is retried. An answer the waiter
 * cannot read, a redirect and an endpoint it cannot trust are final: no retry can fix them.
 */

/** The API answered `Response.Error` with this code (a string such as `AuthFailure.SignatureFailure`). */
export class ApiAnswerError extends Error {
  constructor(
    readonly code: string,
    readonly apiMessage: string,
    readonly requestId: string | undefined,
  ) {
    super(`${code}: ${apiMessage}`);
    this.name = "ApiAnswerError";
  }
}

/** The request or its answer was lost on the way: worth another try. */
export class TransportError extends Error {
  constructor(
    reason: string,
    /** The network error's code (`ENOTFOUND`, `ECONNRESET`, ...), when there was one. */
    readonly networkCode?: string,
  ) {
    super(reason);
    this.name = "TransportError";
  }
}

/**
 * A well-formed answer the waiter does not understand (an unknown status, a missing field, an
 * error without a code). It is never read as success and never retried: waiting longer would
 * not make it understandable.
 */
export class UnexpectedAnswerError extends Error {
  constructor(
    readonly problem: string,
    readonly requestId?: string,
    /** `TaskNotFound`: no entry for the task (yet); `OperationReplaced`: the instance's latest operation is another one. */
    readonly code: "UnexpectedAnswer" | "TaskNotFound" | "OperationReplaced" = "UnexpectedAnswer",
  ) {
    super(problem);
    this.name = "UnexpectedAnswerError";
  }
}

/** The endpoint cannot be the Tencent Cloud API as configured (a redirect, an untrusted certificate, ...). */
export class EndpointError extends Error {
  constructor(
    readonly code: string,
    problem: string,
    readonly hint: string,
  ) {
    super(problem);
    this.name = "EndpointError";
  }
}

/** No usable credential for the call: none found, a malformed one, or a role that could not be assumed. */
export class CredentialProblem extends Error {
  constructor(
    readonly code: "NoCredentials" | "InvalidCredentials" | "AssumeRoleFailed",
    message: string,
  ) {
    super(message);
    this.name = "CredentialProblem";
  }
}

/** How the poll loop treats a failed call. */
export type CallFailure =
  | { retry: true; throttled: boolean; reason: string; code?: string; requestId?: string }
  | { retry: false; code: string; reason: string; requestId?: string; hint?: string; credentials?: boolean };

/** Codes that say "try again later"; everything else the API answers is final for this wait. */
const TRANSIENT_CODES = [/^RequestLimitExceeded/, /^InternalError/, /^ResourceUnavailable/, /^ResourceInUse/, /^FailedOperation\.SystemError$/];

/** Sorts a failed call into "retry" or "stop", with a reason a person can act on. */
export function classifyCallError(error: unknown): CallFailure {
  if (error instanceof TransportError) return { retry: true, throttled: false, reason: error.message };
  if (error instanceof ApiAnswerError) {
    const reason = error.apiMessage ? `${error.code}: ${error.apiMessage}` : error.code;
    if (TRANSIENT_CODES.some((pattern) => pattern.test(error.code))) {
      return { retry: true, throttled: error.code.startsWith("RequestLimitExceeded"), reason, code: error.code, requestId: error.requestId };
    }
    return { retry: false, code: error.code, reason, requestId: error.requestId };
  }
  if (error instanceof UnexpectedAnswerError) return { retry: false, code: error.code, reason: `${error.code}: ${error.problem}`, requestId: error.requestId };
  if (error instanceof EndpointError) return { retry: false, code: error.code, reason: `${error.code}: ${error.message}`, hint: error.hint };
  if (error instanceof CredentialProblem) return { retry: false, code: error.code, reason: error.message, credentials: true };
  // Not one of the kinds a call produces: a defect, not something a retry would fix.
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { retry: false, code: "UnexpectedError", reason: `UnexpectedError: ${text}` };
}

/** Whether a failed call was the API's rate limit: what the shared throttle adapts to. */
export function isThrottled(error: unknown): boolean {
  return error instanceof ApiAnswerError && error.code.startsWith("RequestLimitExceeded");
}

/** Where the hints below may point. */
export interface HintContext {
  /** Where the credentials came from: "env TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY". */
  credentialOrigin?: string;
  /** The API's product name (`clb`), for endpoint advice. */
  product?: string;
}

/** What to check, by code prefix: the first match wins. */
const HINTS: [RegExp, (context: HintContext) => string][] = [
  [/^AuthFailure\.SignatureExpire/, () => "the clock of this machine is more than 5 minutes off; synchronize it (NTP) and retry"],
  [/^AuthFailure\.SignatureFailure/, ({ credentialOrigin }) => `check that the SecretKey ${from(credentialOrigin)}belongs to its SecretId`],
  [
    /^AuthFailure\.SecretIdNotFound/,
    ({ credentialOrigin, product }) =>
      `check the SecretId ${from(credentialOrigin)}: it does not exist on this site; keys of the international site need the endpoint ` +
      `${product ?? "<service>"}.intl.tencentcloudapi.com (or stack config tencentcloud:domain / env TENCENTCLOUD_DOMAIN intl.tencentcloudapi.com)`,
  ],
  [
    /^AuthFailure\.TokenFailure/,
    ({ credentialOrigin }) => `the session token ${from(credentialOrigin)}is missing, wrong or expired: refresh the temporary credentials`,
  ],
  [/^(AuthFailure|UnauthorizedOperation)/, ({ credentialOrigin }) => `the credentials ${from(credentialOrigin)}are not allowed to call this action: grant it in a CAM policy`],
  [/^(UnsupportedRegion|InvalidParameter\.RegionNotFound)/, () => "check region: it must be a region where the service exists, such as ap-guangzhou"],
  [
    /^(InvalidParameter|ResourceNotFound|TaskNotFound)/,
    () => "check the task id, region and account: the id must be the one the asynchronous call answered, in the same region and account; task records expire after a while",
  ],
  [/^(MissingParameter|UnknownParameter|InvalidAction|NoSuchVersion)/, () => "check endpoint: it does not serve this API version"],
  [/^UnexpectedAnswer$/, () => "check endpoint: it must be the Tencent Cloud API; if it is, its answers have changed: report this with the RequestId"],
];

/** What to check for a final error code, if the waiter knows. */
export function hintFor(code: string, context: HintContext = {}): string | undefined {
  return HINTS.find(([pattern]) => pattern.test(code))?.[1](context);
}

function from(origin: string | undefined): string {
  return origin ? `(from ${origin}) ` : "";
}
