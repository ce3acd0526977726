import { createHmac, randomBytes } from "node:crypto";
import { homedir } from "node:os";
import type { Credential, DynamicCredential } from "tencentcloud-sdk-nodejs-common/tencentcloud/common/interface";
import { CredentialProblem } from "./callFailures";
import { linkSignals, raceSignal, type Clock } from "./clock";
import { CredentialRefreshError, describeFailure, instanceRole, sdkIniFile } from "./credentials/sources";
import { assumeRole, assumeRoleWithWebIdentity, DEFAULT_SESSION_DURATION, DEFAULT_SESSION_NAME, RoleSessions, StsHostUnknown, type RoleRequest, type StsOptions, type Temporary } from "./credentials/sts";
import { readProfileCredential, readProfileRegion, tccliProfile, type TccliProfile } from "./credentials/tccli";
import { endpointUrl, type Endpoint } from "./endpoint";
import { readUserFile, UserFileError } from "./files";
import type { IdentityInputs } from "./inputs";
import { parseRegion, type AssumeRoleSetting, type ConfiguredCredentials, type Parsed, type Settings } from "./settings";

export type CredentialSource = Credential | DynamicCredential;

/** Everything a wait may take its credentials from, most specific first. */
export interface CredentialSettings {
  /** `waitForTask`'s `credentials` option. */
  explicit?: CredentialSource;
  /** The resource's (or wait's) own `profile` and `assumeRole`. */
  identity?: IdentityInputs;
  /** Keys and identity settings from configuration (stack config, the plugin's configuration) or their env variables. */
  configured?: ConfiguredCredentials;
  /** The environment, for the chain's keys. */
  env?: NodeJS.ProcessEnv;
  /** Where AssumeRole goes. */
  sts: Endpoint;
  /** env TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION, parsed: for roles whose own setting says nothing. */
  sessionDuration?: number;
}

/** The credential settings of a wait: the edge's settings, with the wait's own identity and credentials option. */
export function credentialSettings(settings: Settings, identity?: IdentityInputs, explicit?: CredentialSource): CredentialSettings {
  return { explicit, identity, configured: settings.configured, env: settings.env, sts: settings.sts, sessionDuration: settings.sessionDuration };
}

/** What a look-up runs on: the wait's signal (aborted at its deadline), its per-call timeout and clock. */
export interface LookupOptions {
  signal: AbortSignal;
  timeoutMs: number;
  clock: Clock;
  /** Every secret found (base keys, temporary keys and tokens) is handed here as soon as it is known. */
  register(...secrets: (string | undefined)[]): void;
  /** What the look-up is waiting for, or last failed at (said when asked): for the message of a deadline reached meanwhile. */
  note?(state: () => string): void;
}

/** Who a wait acts as: where its credentials come from, and the credential for each call. */
export interface Identity {
  /** Where the credentials come from, for messages: never a secret. */
  origin: string;
  /** The credential for the next call, checked; temporary credentials are renewed before they expire. */
  current(signal: AbortSignal): Promise<Credential>;
  /** The API answered AuthFailure.TokenFailure: whether fresh temporary credentials may fix it (then the call is retried once). */
  renewAfterTokenFailure?(): boolean;
  /**
   * Who the API counts requests of, when the SecretId does not say it for long: an assumed role
   * (its temporary SecretId changes at every renewal, the role's account and budget do not).
   */
  account?: string;
}

/** A source that fails this many times in a row is reported as a credential error. */
const MAX_REFRESH_FAILURES = 3;

/**
 * The official provider's chain. Base keys: explicit (the credentials option, or the resource's
 * own tccli profile), stack config, env, the tccli profile, the SDK's INI file, the CVM role,
 * TKE OIDC. A role to assume (the resource's own, stack config, env, the profile's role-arn) is
 * then assumed with whichever base keys were found. Read at call time, in the process that calls
 * the API: nothing is ever captured into state.
 */
export async function resolveIdentity(settings: CredentialSettings, options: LookupOptions): Promise<Identity> {
  const env = settings.env ?? process.env;
  const base = await findBase(settings, settings.sts, options);
  const role = chooseRole(settings, env, base.profileRole);
  if (!role) return base.identity;
  return roleIdentity(base.identity, role, settings.sts, options);
}

interface Base {
  identity: Identity;
  /** The role named in the tccli profile the keys came from. */
  profileRole?: { roleArn: string; sessionName: string; origin: string };
}

async function findBase(settings: CredentialSettings, sts: Endpoint, options: LookupOptions): Promise<Base> {
  const env = settings.env ?? process.env;
  const stack = settings.configured ?? {};
  const folder = stack.sharedCredentialsDir;
  if (settings.explicit) return { identity: await sourceIdentity(settings.explicit, "the credentials option", options) };
  if (settings.identity?.profile) return fromProfile(tccliProfile(settings.identity.profile, folder, env), true, options);
  if (stack.secretId || stack.secretKey) {
    const keys = { secretId: stack.secretId, secretKey: stack.secretKey, token: stack.securityToken };
    return { identity: await sourceIdentity(keys, stack.keysOrigin ?? "configuration secretId / secretKey", options) };
  }
  if (env.TENCENTCLOUD_SECRET_ID || env.TENCENTCLOUD_SECRET_KEY) {
    const token = env.TENCENTCLOUD_SESSION_TOKEN || env.TENCENTCLOUD_SECURITY_TOKEN || undefined;
    const keys = { secretId: env.TENCENTCLOUD_SECRET_ID, secretKey: env.TENCENTCLOUD_SECRET_KEY, token };
    return { identity: await sourceIdentity(keys, "env TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY", options) };
  }
  const named = stack.profile;
  const profileFiles = tccliProfile(named, folder, env);
  const profile = await fromProfile(profileFiles, named !== undefined, options);
  if (profile) return profile;

  const tried: string[] = [`${profileFiles.origin}: none`];
  // A file there that cannot be used (a pipe, a device, too large) ends the look-up, naming it.
  const ini = sdkIniFile(env.HOME || homedir());
  if (ini) return { identity: await sourceIdentity(ini.source, ini.origin, options, ini.first) };
  tried.push("the SDK's profile file ~/.tencentcloud/credentials: none");
  const camRoleName = stack.camRoleName;
  const dynamicSources: [string, () => DynamicCredential | undefined][] = [[camRoleName ? `CVM role ${camRoleName}` : "CVM instance role", () => instanceRole(camRoleName)]];
  for (const [origin, make] of dynamicSources) {
    const source = make();
    if (!source) continue;
    const timeout = linkSignals(options.signal, AbortSignal.timeout(options.timeoutMs));
    try {
      const found = await raceSignal(source.getCredential(), timeout.signal);
      if (found.secretId && found.secretKey) return { identity: await sourceIdentity(source, origin, options, found) };
      tried.push(`${origin}: none`);
    } catch (error) {
      if (options.signal.aborted) throw error;
      tried.push(`${origin}: ${timeout.signal.aborted ? `no answer within ${options.timeoutMs / 1000}s` : describeFailure(error)}`);
    } finally {
      timeout.dispose();
    }
  }
  const webIdentity = tkeOidc(env, settings.sessionDuration) ?? envWebIdentity(env, settings.sessionDuration);
  if (webIdentity) return { identity: await webIdentityRole(webIdentity, sts, options) };
  throw new CredentialProblem(
    "NoCredentials",
    "no Tencent Cloud credentials found: set env TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or in a Pulumi " +
      "program stack config tencentcloud:secretId and tencentcloud:secretKey (`pulumi config set --secret tencentcloud:secretKey ...`), " +
      `or run \`tccli configure\` (tried: ${tried.join("; ")})`,
  );
}

/** The keys of a tccli profile; a missing profile that was asked for by name is an error, otherwise the chain goes on. */
async function fromProfile(profile: TccliProfile, named: true, options: LookupOptions): Promise<Base>;
async function fromProfile(profile: TccliProfile, named: boolean, options: LookupOptions): Promise<Base | undefined>;
async function fromProfile(profile: TccliProfile, named: boolean, options: LookupOptions): Promise<Base | undefined> {
  const found = readProfileCredential(profile);
  if (!found) {
    if (!named) return undefined;
    throw new CredentialProblem("NoCredentials", `${profile.origin} does not exist (no ${profile.name}.credential); create it with \`tccli configure --profile ${profile.name}\``);
  }
  const identity = await sourceIdentity(found.credential, profile.origin, options);
  return { identity, profileRole: found.role && { ...found.role, origin: `role-arn of ${profile.origin}` } };
}

/** The role to assume, most specific first; none when no setting names one. */
function chooseRole(settings: CredentialSettings, env: NodeJS.ProcessEnv, profileRole: Base["profileRole"]): RoleRequest | undefined {
  const own = settings.identity?.assumeRole;
  if (own) return roleRequest(own, settings.explicit ? "the assumeRole option" : "the assumeRole input");
  const configured = settings.configured?.assumeRole;
  if (configured) return roleRequest(configured, settings.configured?.assumeRoleOrigin ?? "configuration assumeRole");
  // As the official provider: from env, a role is assumed only with both its ARN and a session name.
  const arn = env.TENCENTCLOUD_ASSUME_ROLE_ARN?.trim();
  const sessionName = env.TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME?.trim();
  // With a web identity token, the env's role is the web identity's (the last link of the chain), not one to assume on top.
  const webIdentity = env.TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN?.trim() || env.TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE?.trim();
  if (arn && sessionName && !webIdentity) {
    const sessionDuration = settings.sessionDuration ?? DEFAULT_SESSION_DURATION;
    const externalId = env.TENCENTCLOUD_ASSUME_ROLE_EXTERNAL_ID?.trim() || undefined;
    return { roleArn: arn, sessionName, sessionDuration, externalId, origin: "env TENCENTCLOUD_ASSUME_ROLE_ARN" };
  }
  if (profileRole) return { ...profileRole, sessionDuration: DEFAULT_SESSION_DURATION };
  return undefined;
}

function roleRequest(role: AssumeRoleSetting, origin: string): RoleRequest {
  return {
    roleArn: role.roleArn,
    sessionName: role.sessionName ?? DEFAULT_SESSION_NAME,
    sessionDuration: role.sessionDuration ?? DEFAULT_SESSION_DURATION,
    externalId: role.externalId,
    policy: role.policy,
    origin,
  };
}

/**
 * An identity for one source of base keys. A static credential is checked once; a source object
 * is asked for every call, each time within the per-call timeout. A source that fails now and
 * then is retried like a lost call; one that fails MAX_REFRESH_FAILURES times in a row is a
 * credential error.
 */
async function sourceIdentity(source: CredentialSource, origin: string, options: LookupOptions, first?: Credential): Promise<Identity> {
  if (!("getCredential" in source)) {
    const credential = checkCredential(source, origin);
    options.register(credential.secretKey, credential.token);
    return { origin, current: async () => credential };
  }
  let failures = 0;
  const tokensRetried = new Set<string>();
  let last: Credential | undefined;
  const ask = async (signal: AbortSignal): Promise<Credential> => {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const linked = linkSignals(signal, timeout);
    let found: Credential;
    try {
      found = await raceSignal(Promise.resolve().then(() => source.getCredential()), linked.signal);
    } catch (error) {
      if (signal.aborted) throw error;
      failures++;
      const what = timeout.aborted ? `gave no answer within ${options.timeoutMs / 1000}s` : `failed (${describeFailure(error)})`;
      if (failures >= MAX_REFRESH_FAILURES) throw new CredentialProblem("NoCredentials", `refreshing the credentials from ${origin} ${what}, ${failures} times in a row`);
      throw new CredentialRefreshError(`refreshing the credentials from ${origin} ${what}; retrying`);
    } finally {
      linked.dispose();
    }
    failures = 0;
    const credential = checkCredential(found ?? {}, origin);
    options.register(credential.secretKey, credential.token);
    return (last = credential);
  };
  // Asked once now, so that a missing or malformed credential (or a source that never answers)
  // is found while the wait looks up its credentials, before any status call.
  if (first) {
    last = checkCredential(first, origin);
    options.register(last.secretKey, last.token);
  } else {
    try {
      await ask(options.signal);
    } catch (error) {
      if (error instanceof CredentialRefreshError) throw new CredentialProblem("NoCredentials", error.message.replace(/^refreshing /, "getting ").replace(/; retrying$/, ""));
      throw error;
    }
  }
  return {
    origin,
    current: ask,
    // A source object may hand out fresh temporary credentials: one more call, once per token.
    renewAfterTokenFailure: () => {
      const token = last?.token;
      if (!token || tokensRetried.has(token)) return false;
      tokensRetried.add(token);
      return true;
    },
  };
}

/** Temporary credentials of each clock's waits: one AssumeRole serves every wait on the same role and base keys. */
const roleSessions = new WeakMap<Clock, RoleSessions>();

/**
 * The identity of a role assumed with `base`. The first AssumeRole happens now (transient
 * failures retried until the wait's deadline, a refusal ends the wait before any status call);
 * later ones renew the credentials before they expire, and once after AuthFailure.TokenFailure.
 */
function roleIdentity(base: Identity, role: RoleRequest, endpoint: Endpoint, options: LookupOptions): Promise<Identity> {
  const origin = `role ${role.roleArn} (${role.origin}) assumed with the keys from ${base.origin}`;
  return temporaryIdentity(origin, role, endpoint, options, async (signal) => {
    const baseCredential = await base.current(signal);
    return { key: credentialFingerprint(baseCredential), fetch: (stsOptions) => assumeRole(baseCredential, base.origin, role, endpoint, stsOptions) };
  });
}

/** A web identity (OIDC) token to exchange for a role's temporary credentials, and the settings that asked for it. */
interface WebIdentitySetting {
  /** The token itself (env TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN), or the file it is read from at every STS call. */
  token: { given: string } | { file: string };
  /** The setting that holds the token or its file, for messages: "env TKE_WEB_IDENTITY_TOKEN_FILE". */
  tokenSetting: string;
  providerId: string;
  role: RoleRequest;
  /** Sent as X-TC-Region (TKE_REGION). */
  region?: string;
}

/**
 * TKE OIDC: env TKE_ROLE_ARN, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE and TKE_REGION, as the
 * SDK and TKE's pod identity webhook name them; exchanged through our own STS call (the SDK's
 * client would follow redirects, ignore TENCENTCLOUD_STS_ENDPOINT and renew in a loop).
 */
function tkeOidc(env: NodeJS.ProcessEnv, sessionDuration: number | undefined): WebIdentitySetting | undefined {
  const roleArn = env.TKE_ROLE_ARN?.trim();
  if (!roleArn) return undefined;
  const providerId = env.TKE_PROVIDER_ID?.trim();
  const file = env.TKE_WEB_IDENTITY_TOKEN_FILE?.trim();
  const missing = [!providerId && "TKE_PROVIDER_ID", !file && "TKE_WEB_IDENTITY_TOKEN_FILE"].filter(Boolean);
  if (!providerId || !file) throw new CredentialProblem("NoCredentials", `env TKE_ROLE_ARN is set (TKE OIDC): it needs env ${missing.join(" and ")} too`);
  const regionText = env.TKE_REGION?.trim();
  const region = regionText ? parseRegion(regionText) : undefined;
  if (region && "reason" in region) throw new CredentialProblem("NoCredentials", `env TKE_REGION (TKE OIDC): ${region.reason}`);
  return {
    token: { file },
    tokenSetting: "env TKE_WEB_IDENTITY_TOKEN_FILE",
    providerId,
    role: { roleArn, sessionName: DEFAULT_SESSION_NAME, sessionDuration: sessionDuration ?? DEFAULT_SESSION_DURATION, origin: "TKE OIDC, env TKE_ROLE_ARN" },
    region: region?.value,
  };
}

/** A web identity token: env TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN or _TOKEN_FILE, with _PROVIDER_ID and the role's ARN. */
function envWebIdentity(env: NodeJS.ProcessEnv, sessionDuration: number | undefined): WebIdentitySetting | undefined {
  const given = env.TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN?.trim();
  const file = env.TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE?.trim();
  if (!given && !file) return undefined;
  const setting = given ? "env TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN" : "env TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE";
  const providerId = env.TENCENTCLOUD_ASSUME_ROLE_PROVIDER_ID?.trim();
  const roleArn = env.TENCENTCLOUD_ASSUME_ROLE_ARN?.trim();
  if (!providerId || !roleArn) throw new CredentialProblem("NoCredentials", `${setting} is set: it needs env TENCENTCLOUD_ASSUME_ROLE_PROVIDER_ID and TENCENTCLOUD_ASSUME_ROLE_ARN too`);
  return {
    token: given ? { given } : { file: file! },
    tokenSetting: setting,
    providerId,
    role: { roleArn, sessionName: env.TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME?.trim() || DEFAULT_SESSION_NAME, sessionDuration: sessionDuration ?? DEFAULT_SESSION_DURATION, origin: setting },
  };
}

/**
 * Reads a web identity token file: the one place it is read (at every STS call, as TKE rotates
 * the token). What the file holds is never quoted.
 */
function readWebIdentityToken(file: string, setting: string): string {
  let text: string;
  try {
    text = readUserFile(file, { maxBytes: TOKEN_FILE_MAX_BYTES, required: true }).trim();
  } catch (error) {
    if (!(error instanceof UserFileError)) throw error;
    // A pipe, a device, a huge file: refused without being read (it would hang the process or fill its memory).
    throw new CredentialProblem("NoCredentials", `the web identity token file of ${setting} ${error.code ? `cannot be read (an error ${error.code})` : error.problem}`);
  }
  if (!text) throw new CredentialProblem("NoCredentials", `the web identity token file of ${setting} is empty`);
  return text;
}

/** An OIDC token is a few kilobytes. */
const TOKEN_FILE_MAX_BYTES = 64 * 1024;

/** The role of a web identity token, through STS AssumeRoleWithWebIdentity. */
function webIdentityRole(web: WebIdentitySetting, endpoint: Endpoint, options: LookupOptions): Promise<Identity> {
  const { token, tokenSetting, providerId, role, region } = web;
  if ("given" in token) options.register(token.given);
  // The file is read when STS is asked (a rotated token is picked up at the next renewal), not before every status call.
  const key = "given" in token ? credentialFingerprint({ secretId: token.given }) : `file\u0000${token.file}`;
  const current = (): string => {
    const now = "given" in token ? token.given : readWebIdentityToken(token.file, tokenSetting);
    options.register(now);
    return now;
  };
  return temporaryIdentity(`role ${role.roleArn} assumed with the web identity of ${tokenSetting}`, role, endpoint, options, async () => ({
    key,
    fetch: (stsOptions) => assumeRoleWithWebIdentity({ token: current, providerId, region }, role, endpoint, stsOptions),
  }));
}

/**
 * Temporary credentials of a role, renewed before they expire and once after
 * AuthFailure.TokenFailure. The first ones are asked for now: transient failures are retried
 * until the look-up is aborted (the wait's deadline), a refusal (or an STS host that does not
 * resolve) ends the wait before any status call. An STS call is aborted when no wait wants its
 * answer any more.
 */
async function temporaryIdentity(
  origin: string,
  role: RoleRequest,
  endpoint: Endpoint,
  options: LookupOptions,
  next: (signal: AbortSignal) => Promise<{ key: string; fetch: (stsOptions: StsOptions) => Promise<Temporary> }>,
): Promise<Identity> {
  let sessions = roleSessions.get(options.clock);
  if (!sessions) roleSessions.set(options.clock, (sessions = new RoleSessions()));
  const roleKey = [endpointUrl(endpoint), role.roleArn, role.sessionName, role.sessionDuration, role.externalId ?? "", role.policy ?? ""].join("\u0000");
  let lastKey: string | undefined;
  let lastToken: string | undefined;
  let renewedToken: string | undefined;
  let renewing = false;

  const current = async (signal: AbortSignal): Promise<Credential> => {
    const { key: source, fetch } = await next(signal);
    const key = `${source}\u0000${roleKey}`;
    let temporary: Temporary;
    try {
      // Shared by every wait that asks; aborted when the last of them has given up, and bounded by the per-call timeout.
      temporary = await sessions.get(key, () => options.clock.now(), signal, (shared) => fetch({ signal: shared, timeoutMs: options.timeoutMs, clock: options.clock }));
    } catch (error) {
      if (signal.aborted || error instanceof CredentialProblem || error instanceof CredentialRefreshError) throw error;
      throw new CredentialRefreshError(`renewing the temporary credentials of role ${role.roleArn} failed for now (${describeFailure(error)}); retrying`);
    }
    const credential = checkCredential(temporary.credential, `STS for role ${role.roleArn}`);
    options.register(credential.secretKey, credential.token);
    if (renewing) {
      renewedToken = credential.token;
      renewing = false;
    }
    lastKey = key;
    lastToken = credential.token;
    return credential;
  };

  // The first AssumeRole, retried on transient failures until the look-up is aborted (the deadline).
  let failed: { times: number; last: string } | undefined;
  for (let failures = 0; ; failures++) {
    const askedAt = options.clock.now();
    options.note?.(() => {
      const waiting = `STS at ${endpointUrl(endpoint)} had not answered for role ${role.roleArn} (${role.origin}) after ${((options.clock.now() - askedAt) / 1000).toFixed(1)}s`;
      return failed ? `${failed.last.replace(/; retrying$/, "")} (${failed.times === 1 ? "once" : `${failed.times} times`}; retried until the deadline)` : waiting;
    });
    try {
      await current(options.signal);
      break;
    } catch (error) {
      if (options.signal.aborted) throw error;
      // Not a wait to repeat: a setting to fix.
      if (error instanceof StsHostUnknown) throw new CredentialProblem("AssumeRoleFailed", error.final);
      if (!(error instanceof CredentialRefreshError)) throw error;
      failed = { times: failures + 1, last: error.message };
      await options.clock.sleep(Math.min(10_000, 500 * 2 ** failures), options.signal);
    }
  }

  return {
    origin,
    current,
    account: `role ${role.roleArn}`,
    renewAfterTokenFailure: () => {
      // Once: temporary credentials just renewed after a token failure that fail again are final.
      if (!lastKey || (renewedToken !== undefined && renewedToken === lastToken)) return false;
      sessions.drop(lastKey);
      renewing = true;
      return true;
    },
  };
}

/**
 * Refuses what would break the request, as an input error before any call: a missing half of
 * the pair, or anything but printable ASCII (0x21 to 0x7e) inside a value: a space, a control
 * character, an invisible one (U+200B, U+2060, a BOM) or a non-Latin character pasted with it.
 * Surrounding whitespace is trimmed first (a CI secret pasted with a trailing newline), as the
 * official provider does with its profile files.
 */
export function checkCredential(credential: Credential, origin: string): Credential {
  const text = (value: unknown) => (typeof value === "string" ? value.trim() : undefined) || undefined;
  const secretId = text(credential.secretId);
  const secretKey = text(credential.secretKey);
  const token = text(credential.token);
  if (!secretId || !secretKey) {
    throw new CredentialProblem("NoCredentials", `the ${secretId ? "SecretKey" : "SecretId"} is missing from ${origin}: both are needed`);
  }
  for (const [name, value] of [["SecretId", secretId], ["SecretKey", secretKey], ["session token", token]] as const) {
    const bad = value === undefined ? -1 : value.search(/[^\x21-\x7e]/);
    if (bad >= 0) {
      const code = value!.codePointAt(bad)!;
      const what = code <= 0x20 || (code >= 0x7f && code <= 0x9f) ? "a space or a control character" : `the character U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
      throw new CredentialProblem(
        "InvalidCredentials",
        `the ${name} from ${origin} contains ${what} at position ${bad + 1}; only printable ASCII is valid (a line break or an invisible character copied with a pasted value?): set it again without it`,
      );
    }
  }
  return token ? { secretId, secretKey, token } : { secretId, secretKey };
}

/** A per-process key: fingerprints can be compared within this process and mean nothing outside it. */
const FINGERPRINT_KEY = randomBytes(32);

/**
 * Identifies a whole credential (id, key and token) without holding the secret: waits share
 * status answers only when they would have sent the very same credential.
 */
export function credentialFingerprint(credential: Credential): string {
  return createHmac("sha256", FINGERPRINT_KEY)
    .update([credential.secretId ?? "", credential.secretKey ?? "", credential.token ?? ""].join("\u0000"))
    .digest("base64url");
}

/** The secret values a settings object already holds, so that inputs echoed in errors can be scrubbed of them. */
export function knownSecrets(settings: Pick<CredentialSettings, "explicit" | "configured" | "env">): string[] {
  const env = settings.env ?? process.env;
  let fromExplicit: unknown[] = [];
  try {
    const explicit = settings.explicit && !("getCredential" in settings.explicit) ? settings.explicit : undefined;
    fromExplicit = [explicit?.secretKey, explicit?.token];
  } catch {
    // A source that cannot be read gives no secrets; the wait reports it as a credential error.
  }
  return [
    ...fromExplicit,
    settings.configured?.secretKey,
    settings.configured?.securityToken,
    env.TENCENTCLOUD_SECRET_KEY,
    env.TENCENTCLOUD_SESSION_TOKEN,
    env.TENCENTCLOUD_SECURITY_TOKEN,
    env.TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN,
  ].filter((s): s is string => typeof s === "string");
}

/**
 * The region of a wait that names none: the settings' (configuration, env), else the one its
 * tccli profile was configured with (`profile`, else the settings' profile, else `default`),
 * checked by the same parser as every other region. Undefined when none is set anywhere.
 */
export async function defaultRegion(settings: Settings, profile: string | undefined): Promise<Parsed<string> | undefined> {
  if (settings.region !== undefined) return { value: settings.region };
  const files = tccliProfile(profile ?? settings.configured.profile, settings.configured.sharedCredentialsDir, settings.env);
  let region: string | undefined;
  try {
    region = readProfileRegion(files);
  } catch (error) {
    // A configure file that is a pipe, a device or too large: said as the region's problem.
    if (error instanceof CredentialProblem) return { reason: error.message };
    throw error;
  }
  if (region === undefined) return undefined;
  const parsed = parseRegion(region);
  return "reason" in parsed ? { reason: `_sys_param.region of ${files.origin}: ${parsed.reason}` } : parsed;
}
