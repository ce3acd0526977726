import { createHmac, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { CvmRoleCredential, OIDCRoleArnCredential, ProfileCredential } from "tencentcloud-sdk-nodejs/tencentcloud/common/credential";
import type { Credential, DynamicCredential } from "tencentcloud-sdk-nodejs/tencentcloud/common/interface";
import { raceSignal } from "./clock";
import { CredentialProblem } from "./callFailures";
import type { IdentityInputs } from "./inputs";

export type CredentialSource = Credential | DynamicCredential;

/** Stack config as the official TencentCloud Pulumi provider names it (`tencentcloud:secretId`, ...). */
export interface StackCredentials {
  secretId?: string;
  secretKey?: string;
  securityToken?: string;
}

/** Everything a wait may take its credentials from, most specific first. */
export interface CredentialSettings {
  /** `waitForTask`'s `credentials` option. */
  explicit?: CredentialSource;
  /** The resource's (or wait's) own `profile` and `assumeRole`. */
  identity?: IdentityInputs;
  /** Stack config, in the provider. */
  stack?: StackCredentials;
  env?: NodeJS.ProcessEnv;
}

/** Who a wait acts as: where its credentials come from, and the credential for each call. */
export interface Identity {
  /** Where the credentials come from, for messages: never a secret. */
  origin: string;
  /** The credential for the next call, checked; temporary credentials are refreshed before they expire. */
  current(signal: AbortSignal): Promise<Credential>;
  /** The API answered AuthFailure.TokenFailure: whether fresh temporary credentials may fix it (then the call is retried). */
  renewAfterTokenFailure?(): boolean;
}

// Shared so that their own caches of temporary credentials serve every wait in the process.
let instanceRole: CvmRoleCredential | undefined;
let tkeOidc: OIDCRoleArnCredential | undefined;

/**
 * The SDK's default chain (environment, profile file, CVM instance role, TKE OIDC) with what
 * Pulumi users already have in front of it: explicit credentials, then stack config, then the
 * environment with TENCENTCLOUD_SECURITY_TOKEN accepted as an alias of TENCENTCLOUD_SESSION_TOKEN.
 * Read at call time, in the process that calls the API: nothing is ever captured into state.
 */
export async function resolveIdentity(settings: CredentialSettings): Promise<Identity> {
  const env = settings.env ?? process.env;
  if (settings.explicit) return identityOf(settings.explicit, "the credentials option");
  const stack = settings.stack ?? {};
  if (stack.secretId || stack.secretKey) {
    return identityOf({ secretId: stack.secretId, secretKey: stack.secretKey, token: stack.securityToken }, "stack config tencentcloud:secretId / tencentcloud:secretKey");
  }
  if (env.TENCENTCLOUD_SECRET_ID || env.TENCENTCLOUD_SECRET_KEY) {
    const token = env.TENCENTCLOUD_SESSION_TOKEN || env.TENCENTCLOUD_SECURITY_TOKEN || undefined;
    return identityOf({ secretId: env.TENCENTCLOUD_SECRET_ID, secretKey: env.TENCENTCLOUD_SECRET_KEY, token }, "env TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY");
  }

  const tried: string[] = [];
  const dynamicSources: [string, () => DynamicCredential | undefined][] = [
    ["profile file ~/.tencentcloud/credentials", () => new ProfileCredential()],
    ["CVM instance role", () => (instanceRole ??= new CvmRoleCredential())],
    ["TKE OIDC", () => (env.TKE_ROLE_ARN ? (tkeOidc ??= new OIDCRoleArnCredential()) : undefined)],
  ];
  for (const [origin, make] of dynamicSources) {
    const source = make();
    if (!source) continue;
    try {
      const found = await source.getCredential();
      if (found.secretId && found.secretKey) return identityOf(source, origin);
      tried.push(`${origin}: none`);
    } catch (error) {
      tried.push(`${origin}: ${(error as Error).message}`);
    }
  }
  throw new CredentialProblem(
    "NoCredentials",
    "no Tencent Cloud credentials found: set env TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or in a Pulumi " +
      "program stack config tencentcloud:secretId and tencentcloud:secretKey (`pulumi config set --secret tencentcloud:secretKey ...`) " +
      `(tried: ${tried.join("; ")})`,
  );
}

/** An identity for one source; every credential it hands out is checked first. */
async function identityOf(source: CredentialSource, origin: string): Promise<Identity> {
  const current = async (signal?: AbortSignal) => {
    const found = "getCredential" in source ? await (signal ? raceSignal(source.getCredential(), signal) : source.getCredential()) : source;
    return checkCredential(found, origin);
  };
  // Asked once now, so that a missing or malformed credential (or a source that never answers)
  // is found while the wait looks up its credentials, before any status call.
  await current();
  return { origin, current };
}

/**
 * Trims surrounding whitespace (a CI secret pasted with a trailing newline), as the official
 * provider does with its profile files, and refuses what would still break the request: a
 * missing half of the pair, or a control character or space inside a value.
 */
export function checkCredential(credential: Credential, origin: string): Credential {
  const secretId = credential.secretId?.trim();
  const secretKey = credential.secretKey?.trim();
  const token = credential.token?.trim() || undefined;
  if (!secretId || !secretKey) {
    throw new CredentialProblem("NoCredentials", `the ${secretId ? "secret key" : "secret id"} is missing from ${origin}: both are needed`);
  }
  for (const [name, value] of [["SecretId", secretId], ["SecretKey", secretKey], ["session token", token]] as const) {
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
    if (value !== undefined && /[\s\u0000-\u001f\u007f-\u009f]/.test(value)) {
      throw new CredentialProblem("InvalidCredentials", `the ${name} from ${origin} contains a space or a control character (a line break inside a pasted value?); set it again without it`);
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
export function knownSecrets(settings: CredentialSettings): string[] {
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
    settings.stack?.secretKey,
    settings.stack?.securityToken,
    env.TENCENTCLOUD_SECRET_KEY,
    env.TENCENTCLOUD_SESSION_TOKEN,
    env.TENCENTCLOUD_SECURITY_TOKEN,
  ].filter((s): s is string => typeof s === "string");
}

/** The folder of the tccli profile files: env TENCENTCLOUD_SHARED_CREDENTIALS_DIR, default ~/.tccli. */
export function tccliFolder(env: NodeJS.ProcessEnv = process.env): string {
  return env.TENCENTCLOUD_SHARED_CREDENTIALS_DIR || join(homedir(), ".tccli");
}

/** The region a tccli profile was configured with (`_sys_param.region` of `<profile>.configure`), if any. */
export function profileRegion(profile: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const name = profile ?? (env.TENCENTCLOUD_PROFILE || "default");
  try {
    const configure = JSON.parse(readFileSync(join(tccliFolder(env), `${name}.configure`), "utf8")) as { _sys_param?: { region?: unknown } };
    const region = configure._sys_param?.region;
    return typeof region === "string" && region.trim() !== "" ? region.trim() : undefined;
  } catch {
    return undefined;
  }
}
