import { CvmRoleCredential, OIDCRoleArnCredential, ProfileCredential } from "tencentcloud-sdk-nodejs/tencentcloud/common/credential";
import type { Credential, DynamicCredential } from "tencentcloud-sdk-nodejs/tencentcloud/common/interface";

export type CredentialSource = Credential | DynamicCredential;

/** Stack config as the official TencentCloud Pulumi provider names it (`tencentcloud:secretId`, ...). */
export interface StackCredentials {
  secretId?: string;
  secretKey?: string;
  securityToken?: string;
}

export interface ResolvedCredentials {
  /** Given to the SDK client; a dynamic source refreshes itself (instance roles, OIDC). */
  source: CredentialSource;
  /** Not a secret: names the account in throttle keys and messages. */
  secretId: string;
  /** Values that must never appear in any text the waiter produces. */
  secrets: string[];
  /** Where they came from, for messages such as "check TENCENTCLOUD_SECRET_KEY". */
  origin: string;
}

/** No credentials anywhere, or half of a pair. Raised before any request is sent. */
export class MissingCredentialsError extends Error {
  readonly code = "NoCredentials";
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
export async function resolveCredentials(
  options: { explicit?: CredentialSource; stack?: StackCredentials },
  env: NodeJS.ProcessEnv = process.env,
): Promise<ResolvedCredentials> {
  if (options.explicit) {
    const current = "getCredential" in options.explicit ? await options.explicit.getCredential() : options.explicit;
    return resolved(options.explicit, pair(current, "the credentials option"), "the credentials option");
  }
  const stack = options.stack ?? {};
  if (stack.secretId || stack.secretKey) {
    const origin = "stack config tencentcloud:secretId / tencentcloud:secretKey";
    const credential = pair({ secretId: stack.secretId, secretKey: stack.secretKey, token: stack.securityToken }, origin);
    return resolved(credential, credential, origin);
  }
  if (env.TENCENTCLOUD_SECRET_ID || env.TENCENTCLOUD_SECRET_KEY) {
    const origin = "env TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY";
    const token = env.TENCENTCLOUD_SESSION_TOKEN || env.TENCENTCLOUD_SECURITY_TOKEN || undefined;
    const credential = pair({ secretId: env.TENCENTCLOUD_SECRET_ID, secretKey: env.TENCENTCLOUD_SECRET_KEY, token }, origin);
    return resolved(credential, credential, origin);
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
      const current = await source.getCredential();
      if (current.secretId && current.secretKey) return resolved(source, current, origin);
      tried.push(`${origin}: none`);
    } catch (error) {
      tried.push(`${origin}: ${(error as Error).message}`);
    }
  }
  throw new MissingCredentialsError(
    "no Tencent Cloud credentials found: set env TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or in a Pulumi " +
      "program stack config tencentcloud:secretId and tencentcloud:secretKey (`pulumi config set --secret tencentcloud:secretKey ...`) " +
      `(tried: ${tried.join("; ")})`,
  );
}

function pair(credential: Credential, origin: string): Credential {
  if (!credential.secretId || !credential.secretKey) {
    const missing = credential.secretId ? "secret key" : "secret id";
    throw new MissingCredentialsError(`the ${missing} is missing from ${origin}: both are needed`);
  }
  return credential.token ? credential : { secretId: credential.secretId, secretKey: credential.secretKey };
}

function resolved(source: CredentialSource, current: Credential, origin: string): ResolvedCredentials {
  return {
    source,
    secretId: current.secretId!,
    secrets: [current.secretKey, current.token].filter((s): s is string => !!s),
    origin,
  };
}
