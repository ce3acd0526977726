import type { Credential } from "tencentcloud-sdk-nodejs-common/tencentcloud/common/interface";
import type { AssumeRoleRequest, AssumeRoleResponse, AssumeRoleWithWebIdentityRequest } from "tencentcloud-sdk-nodejs/tencentcloud/services/sts/v20180813/sts_models";
import { ApiAnswerError, classifyCallError, CredentialProblem, TransportError } from "../callFailures";
import { raceSignal, type Clock } from "../clock";
import { endpointUrl, type Endpoint } from "../endpoint";
import { callApi } from "../transport";
import { CredentialRefreshError } from "./sources";

/**
 * STS AssumeRole and AssumeRoleWithWebIdentity (2018-08-13): temporary credentials of a role.
 * Every call goes through the same transport as every status call (the SDK's TC3 signer and HTTP
 * connection): the base keys and the web identity token are never sent to a redirect, plain
 * http only reaches loopback, a call is bounded by the per-call timeout, and is aborted when no
 * wait wants its answer any more (each wait's deadline).
 */

export const STS_VERSION = "2018-08-13";
/** The official provider's default session duration. */
export const DEFAULT_SESSION_DURATION = 7200;
export const DEFAULT_SESSION_NAME = "tencentcloud-task-completion";
/** Temporary credentials are renewed this share of their lifetime before they expire, 5 minutes at most. */
const RENEW_SHARE = 0.25;
const MAX_RENEW_MARGIN_MS = 300_000;
/** Whatever STS answers, the same credentials are asked for at most once per this long (the token-failure retry aside). */
export const MIN_RENEW_INTERVAL_MS = 1000;
/**
 * An ExpiredTime already past by this machine's clock (a clock ahead of STS's) says nothing of
 * how long the credentials really last: they are used for this long, then renewed. Credentials
 * that really are expired are refused by the API (AuthFailure.TokenFailure), renewed once, and
 * the same refusal again is final.
 */
export const PAST_EXPIRY_LIFETIME_MS = 60_000;
/** The SDK's own STS region: STS is not regional. */
const STS_REGION = "ap-guangzhou";

/** What an STS call runs on: the signal of whoever still wants its answer, the per-call timeout, the clock. */
export interface StsOptions {
  signal: AbortSignal;
  timeoutMs: number;
  clock: Clock;
}

/**
 * A transient STS failure (timeout, HTTP 5xx, InternalError, a cut answer), described whole:
 * STS, the action, the role, the endpoint and what went wrong. Retried like a lost call.
 */
export class StsUnavailable extends CredentialRefreshError {
  constructor(reason: string) {
    super(reason);
    this.name = "StsUnavailable";
  }
}

/**
 * The STS endpoint's host name does not resolve (ENOTFOUND): a setting to fix when it happens at
 * the first AssumeRole (the look-up ends at once); a failure for now at a renewal, retried.
 */
export class StsHostUnknown extends StsUnavailable {
  constructor(
    reason: string,
    /** The same, said as a final problem. */
    readonly final: string,
  ) {
    super(reason);
    this.name = "StsHostUnknown";
  }
}

/** A role to assume, and which setting asked for it (for messages). */
export interface RoleRequest {
  roleArn: string;
  sessionName: string;
  sessionDuration: number;
  externalId?: string;
  policy?: string;
  /** "stack config tencentcloud:assumeRole", "env TENCENTCLOUD_ASSUME_ROLE_ARN", ... */
  origin: string;
}

/** Temporary credentials and when to renew them, on the wait's monotonic clock. */
export interface Temporary {
  credential: Credential;
  renewAt: number;
  expiresAt: number;
}

/**
 * One AssumeRole. A refusal (any final API error) is a CredentialProblem naming the role, where
 * it was asked for and the STS error; a transient failure (connection, throttling, InternalError)
 * is thrown as it came, for the caller to retry.
 */
export async function assumeRole(base: Credential, baseOrigin: string, role: RoleRequest, endpoint: Endpoint, options: StsOptions): Promise<Temporary> {
  const params: AssumeRoleRequest = {
    RoleArn: role.roleArn,
    RoleSessionName: role.sessionName,
    DurationSeconds: role.sessionDuration,
    ...(role.externalId !== undefined ? { ExternalId: role.externalId } : {}),
    ...(role.policy !== undefined ? { Policy: role.policy } : {}),
  };
  const what = `assuming role ${role.roleArn} (${role.origin}) with the keys from ${baseOrigin} through STS AssumeRole at ${endpointUrl(endpoint)}`;
  return askSts("AssumeRole", { ...params }, base, what, endpoint, STS_REGION, options);
}

/** A web identity (OIDC) to exchange for a role's temporary credentials. */
export interface WebIdentity {
  /** The token now: a token file is read again at every renewal, as TKE rotates it. */
  token(): string;
  providerId: string;
  /** Sent as X-TC-Region (TKE_REGION); STS is not regional. */
  region?: string;
}

/** AssumeRoleWithWebIdentity: unsigned, the token is the proof. Fails like `assumeRole`. */
export async function assumeRoleWithWebIdentity(identity: WebIdentity, role: RoleRequest, endpoint: Endpoint, options: StsOptions): Promise<Temporary> {
  const params: AssumeRoleWithWebIdentityRequest = {
    ProviderId: identity.providerId,
    WebIdentityToken: identity.token(),
    RoleArn: role.roleArn,
    RoleSessionName: role.sessionName,
    DurationSeconds: role.sessionDuration,
  };
  const what = `assuming role ${role.roleArn} (${role.origin}) with the web identity token of provider ${identity.providerId.slice(0, 64)} through STS AssumeRoleWithWebIdentity at ${endpointUrl(endpoint)}`;
  return askSts("AssumeRoleWithWebIdentity", { ...params }, {}, what, endpoint, identity.region ?? STS_REGION, options, true);
}

async function askSts(action: string, params: Record<string, unknown>, base: Credential, what: string, endpoint: Endpoint, region: string, options: StsOptions, unsigned = false): Promise<Temporary> {
  let answer: AssumeRoleResponse;
  try {
    answer = (await callApi({ endpoint, product: "sts", version: STS_VERSION, action, region, params, unsigned }, base, options)) as AssumeRoleResponse;
  } catch (error) {
    // No wait wants the answer any more: nothing to say.
    if (options.signal.aborted) throw error;
    throw stsFailure(error, what, endpoint);
  }
  const { Credentials: temporary, ExpiredTime } = answer;
  if (!temporary || typeof temporary.TmpSecretId !== "string" || typeof temporary.TmpSecretKey !== "string" || typeof temporary.Token !== "string" || typeof ExpiredTime !== "number") {
    throw new CredentialProblem("AssumeRoleFailed", `${what} failed: STS answered without Credentials (TmpSecretId, TmpSecretKey, Token) and ExpiredTime`);
  }
  const now = options.clock.now();
  const { renewInMs, lifetimeMs } = renewal(ExpiredTime * 1000 - options.clock.date().getTime());
  return {
    credential: { secretId: temporary.TmpSecretId, secretKey: temporary.TmpSecretKey, token: temporary.Token },
    renewAt: now + renewInMs,
    expiresAt: now + lifetimeMs,
  };
}

/**
 * When to renew credentials that expire `measuredMs` from now by this machine's wall clock
 * (measured once, then kept on the monotonic clock): a quarter of their lifetime (at most 5
 * minutes) before they expire, never sooner than MIN_RENEW_INTERVAL_MS; an expiry already past
 * counts as PAST_EXPIRY_LIFETIME_MS, so that a clock ahead of STS's never renews in a loop.
 */
export function renewal(measuredMs: number): { renewInMs: number; lifetimeMs: number } {
  const lifetimeMs = measuredMs > 0 ? measuredMs : PAST_EXPIRY_LIFETIME_MS;
  const renewInMs = Math.max(MIN_RENEW_INTERVAL_MS, lifetimeMs - Math.min(MAX_RENEW_MARGIN_MS, lifetimeMs * RENEW_SHARE));
  return { renewInMs, lifetimeMs: Math.max(lifetimeMs, renewInMs) };
}

/**
 * A failed STS call, said whole (`what`: STS, the action, the role and the endpoint): a refusal
 * or an endpoint that cannot be STS is a CredentialProblem (final); anything transient is
 * StsUnavailable, retried; a host that does not resolve is StsHostUnknown.
 */
function stsFailure(error: unknown, what: string, endpoint: Endpoint): Error {
  const failure = classifyCallError(error);
  if (error instanceof TransportError && error.networkCode === "ENOTFOUND") {
    const host = endpoint.host.slice(0, 253);
    const problem = `the host ${host} cannot be resolved (ENOTFOUND)`;
    const fix = "check env TENCENTCLOUD_STS_ENDPOINT, or the domain setting (tencentcloud:domain / TENCENTCLOUD_DOMAIN) STS's host is built from";
    return new StsHostUnknown(`${what} failed for now: ${problem}; retrying`, `${what} failed: ${problem}: ${fix}`);
  }
  // Whole: the wait scrubs the message of every secret (the base token STS may quote) before it cuts it.
  if (failure.retry) return new StsUnavailable(`${what} failed for now: ${error instanceof ApiAnswerError ? `STS answered ${failure.reason}` : failure.reason}; retrying`);
  const sts = error instanceof ApiAnswerError ? `STS answered ${error.code}${error.apiMessage ? `: ${error.apiMessage}` : ""}` : failure.reason;
  return new CredentialProblem("AssumeRoleFailed", `${what} failed: ${sts}`);
}

/**
 * Temporary credentials shared by every wait of this process that assumes the same role with the
 * same base credential at the same endpoint: one AssumeRole serves them all until it is renewed.
 * A call in flight is aborted as soon as no wait wants its answer any more (each has reached its
 * deadline or was aborted), so that it keeps no process alive after its waits have ended.
 */
export class RoleSessions {
  private readonly entries = new Map<string, Entry>();

  /** The temporary credentials for `key`, asking STS (once, however many waits ask) when there are none still fresh. */
  async get(key: string, now: () => number, signal: AbortSignal, fetch: (signal: AbortSignal) => Promise<Temporary>): Promise<Temporary> {
    const entry = this.entries.get(key);
    if (entry) {
      const temporary = await this.join(key, entry, signal);
      if (now() < temporary.renewAt) return temporary;
      if (this.entries.get(key) === entry) this.entries.delete(key);
      return this.get(key, now, signal, fetch);
    }
    signal.throwIfAborted();
    const controller = new AbortController();
    const started: Entry = { answer: fetch(controller.signal), controller, waiting: 0, settled: false };
    this.entries.set(key, started);
    started.answer.then(
      () => (started.settled = true),
      () => {
        started.settled = true;
        if (this.entries.get(key) === started) this.entries.delete(key);
      },
    );
    return this.join(key, started, signal);
  }

  /** Forgets the credentials of `key` (the API refused their token): the next `get` asks STS again. */
  drop(key: string): void {
    this.entries.delete(key);
  }

  /** Waits for `entry` as long as `signal` allows; the last waiter to leave before it settles aborts its call. */
  private async join(key: string, entry: Entry, signal: AbortSignal): Promise<Temporary> {
    entry.waiting++;
    try {
      return await raceSignal(entry.answer, signal);
    } finally {
      if (--entry.waiting === 0 && !entry.settled) {
        if (this.entries.get(key) === entry) this.entries.delete(key);
        entry.controller.abort(signal.reason);
      }
    }
  }
}

interface Entry {
  answer: Promise<Temporary>;
  controller: AbortController;
  waiting: number;
  settled: boolean;
}
