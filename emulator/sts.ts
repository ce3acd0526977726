import { randomBytes } from "node:crypto";
import { parseBody } from "./actions";
import { ApiError, invalidParameterValue, missingParameter } from "./apiError";
import type { Credential } from "./signature";
import type { TaskStore } from "./tasks";

/**
 * STS and accounts, as far as a waiter needs them: `AssumeRole` (2018-08-13) for the roles the
 * emulator knows, temporary credentials that the other actions accept with their token until
 * they expire (then `AuthFailure.TokenFailure`), and one task store per account, so that a wait
 * with another account's identity gets the API's "unknown task" answer, as in the cloud.
 */

/** The account of credentials that name none, and of the emulator's own task store. */
export const DEFAULT_ACCOUNT = "100000000001";
export const STS_VERSION = "2018-08-13";
/** The API's own default and maximum `DurationSeconds`. */
const DEFAULT_DURATION_SECONDS = 7200;
const MAX_DURATION_SECONDS = 43200;

/** A role the emulator lets callers assume. */
export interface RoleSpec {
  /** `qcs::cam::uin/<account>:roleName/<name>`: the temporary credentials act in `<account>`. */
  roleArn: string;
  /** The SecretIds allowed to assume it; default: every credential the emulator accepts. */
  allowedSecretIds?: string[];
  /** When set, AssumeRole must carry this ExternalId. */
  externalId?: string;
  /** Lets AssumeRoleWithWebIdentity (unsigned) assume the role with this OIDC provider's token. */
  webIdentity?: { providerId: string; token: string };
  /** Overrides the requested DurationSeconds, so that tests can outlive credentials (fractions allowed). */
  lifetimeSeconds?: number;
}

/** One AssumeRole's temporary credentials, as the control API shows them: secrets included, so that tests can look for them where they must never be. */
export interface SessionView {
  secretId: string;
  secretKey: string;
  token: string;
  roleArn: string;
  account: string;
  sessionName: string;
  expiresAt: string;
  expired: boolean;
}

interface Session {
  credential: Credential & { token: string };
  roleArn: string;
  account: string;
  sessionName: string;
  expiresAtMs: number;
}

const ROLE_ARN = /^qcs::cam::uin\/(\d{1,20}):role(?:Name)?\/[\w+=,.@-]{1,128}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,128}$/;

/** The account a role ARN belongs to, or undefined if it is no role ARN. */
export function accountOfRole(roleArn: string): string | undefined {
  return ROLE_ARN.exec(roleArn)?.[1];
}

export class Sts {
  private readonly roles = new Map<string, RoleSpec>();
  private readonly sessions = new Map<string, Session>();
  /** Sessions issued before a reset: still known, so that their tokens answer TokenFailure as revoked ones do. */
  private readonly retired = new Map<string, Session>();
  private readonly accounts = new Map<string, TaskStore>();

  /** @param newTaskStore makes the task store of an account other than the default one */
  constructor(
    private readonly newTaskStore: () => TaskStore,
    roles: readonly RoleSpec[] = [],
  ) {
    for (const role of roles) this.addRole(role);
  }

  addRole(role: RoleSpec): void {
    if (!accountOfRole(role.roleArn)) throw new Error(`not a role ARN: ${role.roleArn}`);
    this.roles.set(role.roleArn, role);
  }

  listRoles(): RoleSpec[] {
    return [...this.roles.values()];
  }

  /** Every credential a request may be signed with: `base`, then the temporary ones issued (expired ones too: they answer TokenFailure). */
  accepted(base: readonly Credential[]): Credential[] {
    return [...base, ...[...this.sessions.values(), ...this.retired.values()].map((session) => session.credential)];
  }

  /** Refuses temporary credentials past their lifetime, as API 3.0 does. */
  checkCurrent(credential: Credential, nowMs: number): void {
    const session = this.sessions.get(credential.secretId) ?? this.retired.get(credential.secretId);
    if (session && session.credential === credential && nowMs >= session.expiresAtMs) {
      throw new ApiError("AuthFailure.TokenFailure", "The token has expired: request new temporary credentials.");
    }
  }

  /** The account a credential acts in. */
  accountOf(credential: Credential): string {
    return this.sessions.get(credential.secretId)?.account ?? credential.account ?? DEFAULT_ACCOUNT;
  }

  /** The tasks of `account`; the default account's are `defaultStore`. */
  tasksOf(account: string, defaultStore: TaskStore): TaskStore {
    if (account === DEFAULT_ACCOUNT) return defaultStore;
    let store = this.accounts.get(account);
    if (!store) {
      store = this.newTaskStore();
      this.accounts.set(account, store);
    }
    return store;
  }

  /** Whether `action` is one of STS's: then `answer` serves it. */
  serves(action: string | undefined): boolean {
    return action === "AssumeRole";
  }

  /** Whether `action` is one of STS's that take no signature: then `answerUnsigned` serves it. */
  servesUnsigned(action: string | undefined): boolean {
    return action === "AssumeRoleWithWebIdentity";
  }

  /** AssumeRoleWithWebIdentity: the token is the proof, the request is not signed. */
  answerUnsigned(action: string, version: string | undefined, body: Buffer, nowMs: number): object {
    this.checkVersion(action, version);
    const params = parseBody(body);
    const { ProviderId, WebIdentityToken, RoleArn } = params;
    if (ProviderId === undefined) throw missingParameter("ProviderId");
    if (WebIdentityToken === undefined) throw missingParameter("WebIdentityToken");
    const role = typeof RoleArn === "string" ? this.roles.get(RoleArn) : undefined;
    if (role && (role.webIdentity?.providerId !== ProviderId || role.webIdentity.token !== WebIdentityToken)) {
      throw new ApiError("InvalidParameter.WebIdentityTokenError", "The web identity token is not valid for this role and identity provider.");
    }
    return this.issue(params, nowMs);
  }

  /** Answers an STS action signed by `caller`; returns the `Response` without `RequestId`. */
  answer(action: string, version: string | undefined, body: Buffer, caller: Credential, nowMs: number): object {
    this.checkVersion(action, version);
    return this.assumeRole(parseBody(body), caller, nowMs);
  }

  private checkVersion(action: string, version: string | undefined): void {
    if (version === STS_VERSION) return;
    if (version === undefined) throw missingParameter("Version");
    throw new ApiError("NoSuchVersion", `The requested version \`${version}\` of action \`${action}\` does not exist; sts uses \`${STS_VERSION}\`.`);
  }

  views(nowMs: number): SessionView[] {
    return [...this.sessions.values()].map((s) => ({
      secretId: s.credential.secretId,
      secretKey: s.credential.secretKey,
      token: s.credential.token,
      roleArn: s.roleArn,
      account: s.account,
      sessionName: s.sessionName,
      expiresAt: new Date(s.expiresAtMs).toISOString(),
      expired: nowMs >= s.expiresAtMs,
    }));
  }

  /** Ends the lifetime of every temporary credential issued so far. */
  expireAll(nowMs: number): number {
    for (const session of this.sessions.values()) session.expiresAtMs = Math.min(session.expiresAtMs, nowMs);
    return this.sessions.size;
  }

  /** Ends every issued credential (their tokens answer TokenFailure) and forgets the other accounts' tasks; roles stay, as credentials do. */
  clear(): void {
    for (const [secretId, session] of this.sessions) this.retired.set(secretId, { ...session, expiresAtMs: 0 });
    this.sessions.clear();
    for (const store of this.accounts.values()) store.clear();
  }

  private assumeRole(params: Record<string, unknown>, caller: Credential, nowMs: number): object {
    const role = typeof params.RoleArn === "string" ? this.roles.get(params.RoleArn) : undefined;
    if (role?.allowedSecretIds && !role.allowedSecretIds.includes(caller.secretId)) {
      throw new ApiError("UnauthorizedOperation", `SecretId \`${caller.secretId}\` is not allowed to assume the role \`${role.roleArn}\` (its trust policy does not name this caller).`);
    }
    if (role?.externalId !== undefined && params.ExternalId !== role.externalId) {
      throw new ApiError("UnauthorizedOperation", `The ExternalId does not match the role \`${role.roleArn}\`'s trust policy.`);
    }
    return this.issue(params, nowMs);
  }

  /** Checks the parameters every STS role action shares and issues temporary credentials. */
  private issue(params: Record<string, unknown>, nowMs: number): object {
    const { RoleArn, RoleSessionName, DurationSeconds } = params;
    if (RoleArn === undefined) throw missingParameter("RoleArn");
    if (RoleSessionName === undefined) throw missingParameter("RoleSessionName");
    if (typeof RoleArn !== "string" || !accountOfRole(RoleArn)) throw invalidParameterValue("RoleArn", "a role ARN such as qcs::cam::uin/100000000001:roleName/deployer", RoleArn);
    if (typeof RoleSessionName !== "string" || !SESSION_NAME.test(RoleSessionName)) throw invalidParameterValue("RoleSessionName", "2 to 128 characters of [\\w+=,.@-]", RoleSessionName);
    if (DurationSeconds !== undefined && (!Number.isInteger(DurationSeconds) || (DurationSeconds as number) < 0 || (DurationSeconds as number) > MAX_DURATION_SECONDS)) {
      throw invalidParameterValue("DurationSeconds", `whole seconds up to ${MAX_DURATION_SECONDS}`, DurationSeconds);
    }
    const role = this.roles.get(RoleArn);
    if (!role) throw new ApiError("ResourceNotFound.RoleNotExist", `The role \`${RoleArn}\` does not exist.`);
    const lifetimeMs = (role.lifetimeSeconds ?? ((DurationSeconds as number | undefined) || DEFAULT_DURATION_SECONDS)) * 1000;
    const expiresAtMs = nowMs + lifetimeMs;
    const credential = {
      secretId: `AKIDTMP${randomToken(29).toUpperCase()}`,
      secretKey: `tmpkey${randomToken(26)}`,
      token: `tmptoken${randomToken(56)}`,
    };
    this.sessions.set(credential.secretId, { credential, roleArn: RoleArn, account: accountOfRole(RoleArn)!, sessionName: RoleSessionName, expiresAtMs });
    return {
      Credentials: { Token: credential.token, TmpSecretId: credential.secretId, TmpSecretKey: credential.secretKey },
      // Whole seconds, as the API writes it: a client that reads it is never told more than is true.
      ExpiredTime: Math.floor(expiresAtMs / 1000),
      Expiration: new Date(expiresAtMs).toISOString().replace(/\.\d{3}Z$/, "Z"),
    };
  }
}

function randomToken(length: number): string {
  const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join("");
}
