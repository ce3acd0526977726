import { homedir } from "node:os";
import { join } from "node:path";
import type { Credential } from "tencentcloud-sdk-nodejs-common/tencentcloud/common/interface";
import { CredentialProblem } from "../callFailures";
import { readUserFile, UserFileError } from "../files";

/**
 * The profile files `tccli configure` writes, read as the official provider reads them:
 * `<folder>/<profile>.credential` (JSON: secretId, secretKey, token, role-arn, role-session-name)
 * and `<folder>/<profile>.configure` (JSON; only `_sys_param.region` matters here).
 */

/** Which profile, in which folder, and how messages name it. */
export interface TccliProfile {
  name: string;
  folder: string;
  /** "tccli profile `ci` in ~/.tccli": never a secret. */
  origin: string;
}

/** A role named in a profile (`role-arn` with `role-session-name`), assumed with the profile's keys. */
export interface ProfileRole {
  roleArn: string;
  sessionName: string;
}

/** The profile `name` (default `default`) in `folder` (default `~/.tccli`, home from `env.HOME` when set). */
export function tccliProfile(name: string | undefined, folder: string | undefined, env: NodeJS.ProcessEnv = process.env): TccliProfile {
  const profile = name || "default";
  const shown = folder ? folder : "~/.tccli";
  return { name: profile, folder: folder || join(env.HOME || homedir(), ".tccli"), origin: `tccli profile \`${profile}\` in ${shown}` };
}

/**
 * The keys of a profile, and the role it names, if any; undefined when it has no credential file.
 * A file that cannot be read, is not JSON or holds no keys is a CredentialProblem that names the
 * file and says what is wrong, never what it holds.
 */
export function readProfileCredential(profile: TccliProfile): { credential: Credential; role?: ProfileRole } | undefined {
  const file = `${profile.name}.credential`;
  const data = readJson(profile, file);
  if (data === undefined) return undefined;
  const text = (key: string) => (typeof data[key] === "string" ? (data[key] as string).trim() : undefined) || undefined;
  const secretId = text("secretId");
  const secretKey = text("secretKey");
  if (!secretId && !secretKey) {
    throw new CredentialProblem("NoCredentials", `${file} of ${profile.origin} has no secretId and secretKey (set them with \`tccli configure --profile ${profile.name}\`)`);
  }
  const roleArn = text("role-arn");
  const sessionName = text("role-session-name");
  const credential: Credential = { secretId, secretKey, token: text("token") };
  // As the official provider: the profile's role is assumed only when both are set.
  return roleArn && sessionName ? { credential, role: { roleArn, sessionName } } : { credential };
}

/** The region a profile was configured with (`_sys_param.region`, or `region` as older tccli wrote it), if any. */
export function readProfileRegion(profile: TccliProfile): string | undefined {
  // A pipe, a device or a huge file is refused (a CredentialProblem naming the file): read, it would hang the process or fill its memory.
  const text = readProfileFile(profile, `${profile.name}.configure`);
  let data: Record<string, unknown> | undefined;
  try {
    data = text === undefined ? undefined : parseJson(profile, `${profile.name}.configure`, text);
  } catch {
    // A configure file that is not JSON leaves the region to the other sources, whose absence is reported.
    return undefined;
  }
  const sys = data?._sys_param;
  const region = typeof sys === "object" && sys !== null ? (sys as Record<string, unknown>).region : data?.region;
  return typeof region === "string" && region.trim() !== "" ? region.trim() : undefined;
}

/** tccli writes a few hundred bytes; a larger file is not a profile. */
const PROFILE_FILE_MAX_BYTES = 64 * 1024;

/** A profile file as an object; undefined when it does not exist. A pipe, a device or a huge file is refused without being read. */
function readJson(profile: TccliProfile, file: string): Record<string, unknown> | undefined {
  const text = readProfileFile(profile, file);
  return text === undefined ? undefined : parseJson(profile, file, text);
}

/** A profile file's text; undefined when it does not exist. */
function readProfileFile(profile: TccliProfile, file: string): string | undefined {
  try {
    return readUserFile(join(profile.folder, file), { maxBytes: PROFILE_FILE_MAX_BYTES });
  } catch (error) {
    if (!(error instanceof UserFileError)) throw error;
    throw new CredentialProblem("NoCredentials", `${file} of ${profile.origin} ${error.problem}`);
  }
}

function parseJson(profile: TccliProfile, file: string, text: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // JSON.parse quotes the text it choked on: only the fact is reported.
    throw new CredentialProblem("InvalidCredentials", `${file} of ${profile.origin} is not valid JSON (${text.length} characters); write it again with \`tccli configure --profile ${profile.name}\``);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new CredentialProblem("InvalidCredentials", `${file} of ${profile.origin} is not a JSON object; write it again with \`tccli configure --profile ${profile.name}\``);
  }
  return data as Record<string, unknown>;
}
