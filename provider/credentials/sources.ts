import { types } from "node:util";
import { CvmRoleCredential, ProfileCredential } from "tencentcloud-sdk-nodejs-common/tencentcloud/common/credential";
import type { DynamicCredential } from "tencentcloud-sdk-nodejs-common/tencentcloud/common/interface";
import { CredentialProblem, TransportError } from "../callFailures";

/**
 * The SDK's own sources that come after the profile files: its INI file and the CVM instance
 * role, each kept for the whole process so that its cache of temporary credentials serves every
 * wait. (TKE OIDC is not the SDK's: its STS call is ours, in credentials.ts and sts.ts.)
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
let iniFile: ProfileCredential | undefined;

export function instanceRole(roleName: string | undefined): DynamicCredential {
  let role = instanceRoles.get(roleName ?? "");
  if (!role) {
    role = new InstanceRole(roleName);
    instanceRoles.set(roleName ?? "", role);
  }
  return role;
}

export function sdkIniFile(): DynamicCredential {
  return (iniFile ??= new ProfileCredential());
}
