import { join } from "node:path";
import { types } from "node:util";
import { CvmRoleCredential } from "tencentcloud-sdk-nodejs-common/tencentcloud/common/credential";
import type { Credential, DynamicCredential } from "tencentcloud-sdk-nodejs-common/tencentcloud/common/interface";
import { CredentialProblem, TransportError } from "../callFailures";
import { readUserFile, UserFileError } from "../files";

/**
 * The SDK's own sources that come after the profile files: its INI file (read by our own reader:
 * the SDK's blocks on a pipe and reads a link to /dev/zero until memory runs out) and the CVM
 * instance role, kept for the whole process so that its cache of temporary credentials serves
 * every wait. (TKE OIDC is not the SDK's: its STS call is ours, in credentials.ts and sts.ts.)
 */

/** A credential source that failed for now; retried like a lost call, within the deadline. */
export class CredentialRefreshError extends TransportError {
  constructor(reason: string) {
    super(reason);
    this.name = "CredentialRefreshError";
  }
}

/**
 * What went wrong in a source, in the waiter's words: the error's name and code, never its
 * message, which may quote what the source read (a file's text, a metadata answer).
 */
export function describeFailure(error: unknown): string {
  if (error instanceof CredentialProblem) return error.message;
  // Errors of another realm (a vm context, a test sandbox) are errors too.
  if (error instanceof Error || types.isNativeError(error)) {
    const code = (error as { code?: unknown }).code;
    const shown = typeof code === "string" && /^[A-Za-z0-9_.]{1,40}$/.test(code) ? ` ${code}` : "";
    return `${error.name === "Error" ? "an error" : error.name.slice(0, 40)}${shown}`;
  }
  return `a thrown ${typeof error}`;
}

/** The CVM instance role; with a name (tencentcloud:camRoleName / TENCENTCLOUD_CAM_ROLE_NAME), that role's credentials. */
class InstanceRole extends CvmRoleCredential {
  constructor(readonly roleName: string | undefined) {
    super();
    if (roleName) this.roleNameTask = Promise.resolve(roleName);
  }

  /** The SDK caches its first answer, a failure too: a machine whose role is bound later must be asked again. */
  override async getCredential(): ReturnType<CvmRoleCredential["getCredential"]> {
    try {
      return await super.getCredential();
    } catch (error) {
      if (!this.roleName) this.roleNameTask = null;
      this.credentialTask = null;
      throw error;
    }
  }

  protected override async getRoleName(): Promise<string> {
    try {
      return (await super.getRoleName()).trim();
    } catch (error) {
      throw new CredentialProblem("NoCredentials", `the CVM metadata service names no role for this machine (${describeFailure(error)}: not a CVM instance, or no role bound)`);
    }
  }

  protected override async getRoleCredential(roleName: string): ReturnType<CvmRoleCredential["getRoleCredential"]> {
    try {
      return await super.getRoleCredential(roleName);
    } catch (error) {
      // Not cached: the next look-up asks again.
      this.credentialTask = null;
      throw new CredentialProblem("NoCredentials", `the CVM metadata service gave no credentials for role ${roleName.slice(0, 128)} (${describeFailure(error)})`);
    }
  }
}

const instanceRoles = new Map<string, InstanceRole>();

export function instanceRole(roleName: string | undefined): DynamicCredential {
  let role = instanceRoles.get(roleName ?? "");
  if (!role) {
    role = new InstanceRole(roleName);
    instanceRoles.set(roleName ?? "", role);
  }
  return role;
}

/** The SDK's INI file and the keys it holds now; read again for every call, as the SDK reads it. */
export interface IniFile {
  origin: string;
  source: DynamicCredential;
  first: Credential;
}

/** An INI file is a few lines; a larger file is not one. */
const INI_FILE_MAX_BYTES = 64 * 1024;

/**
 * The SDK's INI file, where the SDK looks: `<home>/.tencentcloud/credentials`, else (when that
 * does not exist) `/etc/tencentcloud/credentials`; keys `secret_id`, `secret_key` and `token` of
 * `[default]`. Undefined when there is no file or it has no keys; a file that cannot be used (a
 * pipe, a device, too large, unreadable) is a CredentialProblem naming it.
 */
export function sdkIniFile(home: string): IniFile | undefined {
  const places: [file: string, shown: string][] = [
    [join(home, ".tencentcloud", "credentials"), "~/.tencentcloud/credentials"],
    ["/etc/tencentcloud/credentials", "/etc/tencentcloud/credentials"],
  ];
  for (const [file, shown] of places) {
    const origin = `the SDK's profile file ${shown}`;
    const first = readIniCredential(file, origin);
    if (first === undefined) continue;
    if (!first.secretId || !first.secretKey) return undefined;
    return { origin, first, source: { getCredential: async () => readIniCredential(file, origin) ?? {} } };
  }
  return undefined;
}

/** The keys of `[default]` in an INI file; undefined when the file does not exist. */
function readIniCredential(file: string, origin: string): Credential | undefined {
  let text: string | undefined;
  try {
    text = readUserFile(file, { maxBytes: INI_FILE_MAX_BYTES });
  } catch (error) {
    if (error instanceof UserFileError) throw new CredentialProblem("NoCredentials", `${origin} ${error.problem}`);
    throw error;
  }
  if (text === undefined) return undefined;
  const section = iniSection(text, "default");
  return { secretId: section.get("secret_id"), secretKey: section.get("secret_key"), token: section.get("token") };
}

/**
 * The `key = value` lines of one `[section]` of an INI file, as the SDK's `ini` parser reads the
 * keys it uses: `;` and `#` start comments (after an unquoted value too), values are trimmed
 * and may be quoted.
 */
export function iniSection(text: string, name: string): Map<string, string> {
  const values = new Map<string, string>();
  let section: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith(";") || line.startsWith("#")) continue;
    const header = /^\[(.*)\]$/.exec(line);
    if (header) {
      section = header[1].trim();
      continue;
    }
    const equals = line.indexOf("=");
    if (section !== name || equals < 0) continue;
    const value = line.slice(equals + 1).trim();
    const quoted = value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]);
    values.set(line.slice(0, equals).trim(), quoted ? value.slice(1, -1) : value.replace(/[;#].*$/, "").trim());
  }
  return values;
}
