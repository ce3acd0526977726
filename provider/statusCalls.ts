import { classifyCallError, hintFor, type CallFailure } from "./callFailures";
import { credentialFingerprint, type Identity } from "./credentials";
import type { TaskSpec } from "./inputs";
import { budgetFor, type WaitRuntime } from "./runtime";
import type { TaskObservation } from "./task";
import { cut, type Secrets } from "./text";
import { callApi } from "./transport";

/** A reason from the API, as messages carry it: scrubbed, then cut. */
const MAX_REASON = 1000;
const MAX_CODE = 128;

/** The status calls of one wait: what the poller calls, and how it sorts a failed call. */
export interface StatusCalls {
  /** One status call, read by this wait's own rule. */
  call(signal: AbortSignal): Promise<TaskObservation>;
  /** Retry or stop, with a reason and code scrubbed of every secret the wait knows. */
  classify(error: unknown): CallFailure;
}

export interface StatusCallOptions {
  spec: Pick<TaskSpec, "query" | "endpoint">;
  identity: Identity;
  /** The wait's secrets: answers are scrubbed of them before they are read; new tokens join as they are used. */
  secrets: Secrets;
  runtime: WaitRuntime;
  /** The budget setting, if any (default: 85 % of the action's documented limit). */
  requestsPerSecond?: number;
  /** Milliseconds since the wait began, for the unknown-id grace. */
  elapsedMs: () => number;
}

/**
 * Keys, throttle, shared calls, transport, classification and token renewal for one wait.
 *
 * - One budget per action, API version, host and account: a role's temporary SecretId changes at
 *   every renewal, its budget does not.
 * - Waits in one process share a call (and an answer younger than 0.5 s) when they would send the
 *   very same request with the very same credential. What they share is the raw answer: each
 *   wait reads it by its own rule, so two waits that read one answer differently (two custom
 *   status paths, CVM waits on one instance with different RequestIds) each get their own verdict.
 */
export function statusCalls({ spec, identity, secrets, runtime, requestsPerSecond, elapsedMs }: StatusCallOptions): StatusCalls {
  const { query, endpoint } = spec;
  const { request } = query;
  const budget = (account: string) => ({
    key: [request.action, request.version, endpoint.host, account].join("|"),
    requestsPerSecond: budgetFor(query.rateLimit, requestsPerSecond),
  });
  /** This wait, as shared calls tell waits apart: it never gets the same answer twice. */
  const waiter = {};
  /** Whether an answer has named the task yet: an id seen once that vanishes is not read-after-write lag. */
  let seen = false;

  const call = async (signal: AbortSignal): Promise<TaskObservation> => {
    const credential = await identity.current(signal);
    secrets.add(credential.secretKey, credential.token);
    const key = budget(identity.account ?? (credential.secretId as string));
    const shareKey = [key.key, request.region ?? "", credentialFingerprint(credential), JSON.stringify(request.params)].join("|");
    const answer = await runtime.sharedCalls.run(shareKey, waiter, signal, (shared) =>
      runtime.throttle.run(key, shared, () => callApi({ endpoint, ...request }, credential, { signal: shared, timeoutMs: runtime.requestTimeoutMs })),
    );
    // Scrubbed before it is read: a cut must never leave part of a secret behind.
    const observation = secrets.scrubDeep(query.read(secrets.scrubDeep(answer)));
    seen = true;
    return observation;
  };

  const classify = (error: unknown): CallFailure => {
    const failure = classifyCallError(error);
    const reason = cut(secrets.scrub(failure.reason), MAX_REASON);
    const requestId = failure.requestId && cut(secrets.scrub(failure.requestId), MAX_CODE);
    if (failure.retry) return { ...failure, reason, requestId };
    const unknownId = query.unknownId;
    if (unknownId && (failure.code === "TaskNotFound" || unknownId.codes.includes(failure.code))) {
      if (!seen && elapsedMs() < unknownId.graceSeconds * 1000) {
        return { retry: true, throttled: false, reason: `${reason} (a new id may take a few seconds to be visible; retrying for up to ${unknownId.graceSeconds}s)`, requestId, code: failure.code };
      }
      const what = seen
        ? `${query.label} was seen, then ${request.action} no longer knew it (${reason})`
        : `${query.label} was never seen: ${request.action} did not know the id for ${unknownId.graceSeconds}s (${reason})`;
      return { retry: false, code: "TaskNotFound", reason: cut(secrets.scrub(what), MAX_REASON), requestId, hint: hintFor("TaskNotFound") };
    }
    if (failure.code === "AuthFailure.TokenFailure" && identity.renewAfterTokenFailure?.()) {
      return { retry: true, throttled: false, reason, requestId, code: failure.code };
    }
    const code = cut(secrets.scrub(failure.code), MAX_CODE);
    const hint = failure.hint ?? hintFor(code, { credentialOrigin: identity.origin, product: request.product });
    return { ...failure, code, reason, requestId, hint };
  };

  return { call, classify };
}
