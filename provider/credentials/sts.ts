import type { Credential } from "tencentcloud-sdk-nodejs-common/tencentcloud/common/interface";
import type { AssumeRoleRequest, AssumeRoleResponse, AssumeRoleWithWebIdentityRequest } from "tencentcloud-sdk-nodejs/tencentcloud/services/sts/v20180813/sts_models";
import { ApiAnswerError, classifyCallError, CredentialProblem } from "../callFailures";
import { raceSignal, type Clock } from "../clock";
import { endpointUrl, type Endpoint } from "../endpoint";
import { callApi } from "../transport";

/**
 * STS AssumeRole (2018-08-13): temporary credentials of a role, signed for with the base keys.
 * The call goes through the same transport as every status call (the SDK's TC3 signer and HTTP
 * connection): the base keys are never sent to a redirect, plain http only reaches loopback, and
 * a call that does not answer is bounded by the per-call timeout.
 */

export const STS_VERSION = "2018-08-13";
/** The official provider's default session duration. */
export const DEFAULT_SESSION_DURATION = 7200;
export const DEFAULT_SESSION_NAME = "tencentcloud-task-completion";
/** Temporary credentials are renewed this share of their lifetime before they expire, 5 minutes at most. */
const RENEW_SHARE = 0.25;
const MAX_RENEW_MARGIN_MS = 300_000;
/** The SDK's own STS region: STS is not regional. */
const STS_REGION = "ap-guangzhou";

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
export async function assumeRole(base: Credential, baseOrigin: string, role: RoleRequest, endpoint: Endpoint, options: { signal: AbortSignal; timeoutMs: number; clock: Clock }): Promise<Temporary> {
  const params: AssumeRoleRequest = {
    RoleArn: role.roleArn,
    RoleSessionName: role.sessionName,
    DurationSeconds: role.sessionDuration,
    ...(role.externalId !== undefined ? { ExternalId: role.externalId } : {}),
    ...(role.policy !== undefined ? { Policy: role.policy } : {}),
  };
  const what = `assuming role ${role.roleArn} (${role.origin}) with the keys from ${baseOrigin} at ${endpointUrl(endpoint)}`;
  return askSts("AssumeRole", { ...params }, base, what, endpoint, options);
}

/** A web identity (OIDC) to exchange for a role's temporary credentials. */
export interface WebIdentity {
  /** The token now: a token file is read again at every renewal, as TKE rotates it. */
  token(): string;
  providerId: string;
}

/** AssumeRoleWithWebIdentity: unsigned, the token is the proof. Fails like `assumeRole`. */
export async function assumeRoleWithWebIdentity(identity: WebIdentity, role: RoleRequest, endpoint: Endpoint, options: { signal: AbortSignal; timeoutMs: number; clock: Clock }): Promise<Temporary> {
  const params: AssumeRoleWithWebIdentityRequest = {
    ProviderId: identity.providerId,
    WebIdentityToken: identity.token(),
    RoleArn: role.roleArn,
    RoleSessionName: role.sessionName,
    DurationSeconds: role.sessionDuration,
  };
  const what = `assuming role ${role.roleArn} (${role.origin}) with the web identity token of provider ${identity.providerId.slice(0, 64)} at ${endpointUrl(endpoint)}`;
  return askSts("AssumeRoleWithWebIdentity", { ...params }, {}, what, endpoint, options, true);
}

async function askSts(action: string, params: Record<string, unknown>, base: Credential, what: string, endpoint: Endpoint, options: { signal: AbortSignal; timeoutMs: number; clock: Clock }, unsigned = false): Promise<Temporary> {
  let answer: AssumeRoleResponse;
  try {
    answer = (await callApi({ endpoint, product: "sts", version: STS_VERSION, action, region: STS_REGION, params, unsigned }, base, options)) as AssumeRoleResponse;
  } catch (error) {
    const failure = classifyCallError(error);
    if (failure.retry) throw error;
    // Whole: the wait scrubs the message of every secret (the base token STS may quote) before it cuts it.
    const sts = error instanceof ApiAnswerError ? `STS answered ${error.code}${error.apiMessage ? `: ${error.apiMessage}` : ""}` : failure.reason;
    throw new CredentialProblem("AssumeRoleFailed", `${what} failed: ${sts}`);
  }
  const { Credentials: temporary, ExpiredTime } = answer;
  if (!temporary || typeof temporary.TmpSecretId !== "string" || typeof temporary.TmpSecretKey !== "string" || typeof temporary.Token !== "string" || typeof ExpiredTime !== "number") {
    throw new CredentialProblem("AssumeRoleFailed", `${what} failed: STS answered without Credentials (TmpSecretId, TmpSecretKey, Token) and ExpiredTime`);
  }
  // The lifetime is measured against this machine's wall clock once, then kept on the monotonic clock.
  const now = options.clock.now();
  const lifetimeMs = Math.max(0, ExpiredTime * 1000 - options.clock.date().getTime());
  return {
    credential: { secretId: temporary.TmpSecretId, secretKey: temporary.TmpSecretKey, token: temporary.Token },
    renewAt: now + lifetimeMs - Math.min(MAX_RENEW_MARGIN_MS, lifetimeMs * RENEW_SHARE),
    expiresAt: now + lifetimeMs,
  };
}

/**
 * Temporary credentials shared by every wait of this process that assumes the same role with the
 * same base credential at the same endpoint: one AssumeRole serves them all until it is renewed.
 */
export class RoleSessions {
  private readonly entries = new Map<string, Promise<Temporary>>();

  /** The temporary credentials for `key`, asking STS (once, however many waits ask) when there are none still fresh. */
  async get(key: string, now: () => number, signal: AbortSignal, fetch: () => Promise<Temporary>): Promise<Temporary> {
    const entry = this.entries.get(key);
    if (entry) {
      const temporary = await raceSignal(entry, signal);
      if (now() < temporary.renewAt) return temporary;
      if (this.entries.get(key) === entry) this.entries.delete(key);
      return this.get(key, now, signal, fetch);
    }
    const started = fetch();
    this.entries.set(key, started);
    started.catch(() => {
      if (this.entries.get(key) === started) this.entries.delete(key);
    });
    return raceSignal(started, signal);
  }

  /** Forgets the credentials of `key` (the API refused their token): the next `get` asks STS again. */
  drop(key: string): void {
    this.entries.delete(key);
  }
}
