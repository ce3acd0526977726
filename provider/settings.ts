import { defaultEndpoint, parseEndpoint, type Endpoint } from "./endpoint";
import { show } from "./services/ids";
import type { InputFailure } from "./task";

/**
 * What the environment and an edge's configuration say about every wait, parsed once per edge
 * (`waitForTask`, the command line, the dynamic provider's stack config, the plugin's
 * configuration) into one typed value. Everything inward receives that value; nothing below
 * reads the environment for a setting again.
 *
 * Each kind of value (a region, a domain, an endpoint, a profile name) has one parser, used for
 * every source of it: the same value gets the same verdict wherever it comes from.
 */

/** The settings an edge's configuration may give, by the official provider's names. */
export type SettingName =
  | "region"
  | "domain"
  | "secretId"
  | "secretKey"
  | "securityToken"
  | "profile"
  | "sharedCredentialsDir"
  | "assumeRole"
  | "camRoleName"
  | "requestsPerSecond"
  | "coordination";

/** An edge's configuration: each setting's text, and how messages name where it was set. */
export interface Configuration {
  get(name: SettingName): string | undefined;
  /** The setting's key: "tencentcloud:region", "region". */
  key(name: SettingName): string;
  /** "stack config tencentcloud:region", "provider config region". */
  describe(name: SettingName): string;
}

/** No configuration but the environment (`waitForTask`, the command). */
export const NO_CONFIGURATION: Configuration = { get: () => undefined, key: (name) => name, describe: (name) => name };

/** This package's own stack config namespace (the budget, the coordination backend). */
export const PACKAGE_NAMESPACE = "tencentcloud-task-completion";

/**
 * Stack config, as the dynamic provider's `configure` receives it: the official provider's keys
 * (`tencentcloud:region`, `tencentcloud:secretId`, ...) and this package's own.
 */
export function stackConfiguration(get: (key: string) => string | undefined): Configuration {
  const key = (name: SettingName) => (name === "requestsPerSecond" || name === "coordination" ? `${PACKAGE_NAMESPACE}:${name}` : `tencentcloud:${name}`);
  return { get: (name) => get(key(name)) || undefined, key, describe: (name) => `stack config ${key(name)}` };
}

/** A role to assume (STS AssumeRole), as the official provider's `assumeRole` block. */
export interface AssumeRoleInputs {
  /** `qcs::cam::uin/100000000001:roleName/deployer`. */
  roleArn: string;
  /** Default `tencentcloud-task-completion`. */
  sessionName?: string;
  /** Seconds, 900 to 43200; default 7200. */
  sessionDuration?: number;
  externalId?: string;
}

/** The official provider's `assumeRole` block, which may carry a policy document too. */
export interface AssumeRoleSetting extends AssumeRoleInputs {
  policy?: string;
}

/** Keys and identity settings given by configuration: explicit, so they come before the environment's. */
export interface ConfiguredCredentials {
  secretId?: string;
  secretKey?: string;
  securityToken?: string;
  /** The tccli profile. */
  profile?: string;
  /** The folder of the tccli profiles. */
  sharedCredentialsDir?: string;
  assumeRole?: AssumeRoleSetting;
  /** The CVM role to take credentials of. */
  camRoleName?: string;
  /** How messages name where the keys and the role were set: "stack config tencentcloud:secretId / tencentcloud:secretKey". */
  keysOrigin?: string;
  assumeRoleOrigin?: string;
}

/** How processes share each budget: the machine's temp directory (default), nothing, or a Redis server. */
export type Coordination = { kind: "machine" } | { kind: "off" } | { kind: "redis"; url: string; display: string };

/** Everything a wait needs to know beyond its inputs. */
export interface Settings {
  /** The region of waits that name none, when configuration or env gives one (else the tccli profile's, read when needed). */
  region?: string;
  /** Where a region can be set, for the message when a service needs one. */
  regionSources: string;
  /** Root domain of the API hosts, as the official provider's `domain` (`intl.tencentcloudapi.com`). */
  domain?: string;
  /** Requests per second of every status action's budget; default 85 % of each action's documented limit. */
  requestsPerSecond?: number;
  coordination: Coordination;
  /** Where AssumeRole goes. */
  sts: Endpoint;
  /** Seconds a role's temporary credentials are asked for when the role's own setting says nothing. */
  sessionDuration?: number;
  /** Keys and identity settings from configuration. */
  configured: ConfiguredCredentials;
  /** The environment, for the credential chain's keys (read when a wait starts, never stored). */
  env: NodeJS.ProcessEnv;
}

export type Parsed<T> = { value: T } | { reason: string };

export const REQUESTS_PER_SECOND_ENV = "TENCENTCLOUD_TASK_REQUESTS_PER_SECOND";
export const COORDINATION_ENV = "TENCENTCLOUD_TASK_COORDINATION";
const MAX_REQUESTS_PER_SECOND = 100;

const REGION = /^[a-z]{2,3}(-[a-z0-9]{1,20}){1,4}$/;
/** As tccli names profiles: it writes `<profile>.credential` files. */
const PROFILE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
const DOMAIN = /^(?=.{3,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;
const CAM_ROLE_NAME = /^[\w+=,.@-]{1,128}$/;

/** A region, from an input, a flag, env, stack config or a tccli profile. */
export function parseRegion(value: unknown): Parsed<string> {
  return typeof value === "string" && REGION.test(value) ? { value } : { reason: `expected a region name such as "ap-guangzhou", got ${show(value)}` };
}

/** A tccli profile name, from an input, a flag, env or stack config: a file name in the profiles' folder, never a path. */
export function parseProfileName(value: unknown): Parsed<string> {
  return typeof value === "string" && PROFILE.test(value) && value !== "." && value !== ".."
    ? { value }
    : { reason: `expected a tccli profile name (letters, digits, "_", "-", "."; at most 64; not a path), got ${show(value)}` };
}

/** A root domain for the API hosts: `<product>.<domain>`. */
export function parseDomain(value: unknown): Parsed<string> {
  return typeof value === "string" && DOMAIN.test(value) ? { value } : { reason: `expected a domain such as "intl.tencentcloudapi.com" (lower-case host name labels), got ${show(value)}` };
}

/** A host or URL of an API (the `endpoint` input, env TENCENTCLOUD_STS_ENDPOINT). */
export function parseEndpointText(value: unknown, max = 512): Parsed<Endpoint> {
  if (typeof value !== "string" || value.length > max) return { reason: `expected a string: a host or URL of at most ${max} characters, got ${show(value)}` };
  const endpoint = parseEndpoint(value);
  return "error" in endpoint ? { reason: endpoint.error } : { value: endpoint };
}

/** A budget: whole requests per second from 1 to 100; decimal digits only (Number() would also take "0x10", "1e1" and "1.5"). */
export function parseRequestsPerSecond(value: string): Parsed<number> {
  const text = value.trim();
  const n = Number(text);
  return /^\d{1,3}$/.test(text) && n >= 1 && n <= MAX_REQUESTS_PER_SECOND
    ? { value: n }
    : { reason: `expected requests per second from 1 to ${MAX_REQUESTS_PER_SECOND}, a whole number (each status action is still held to its documented limit, 20/s for most), got ${show(value)}` };
}

const COORDINATION_FORMS = '"machine", "off" or a Redis URL redis://[user:password@]host:port[/db] (rediss:// for TLS)';

/**
 * How processes share budgets: `machine` (default), `off`, or a `redis://` / `rediss://` URL.
 * The text may hold a password: a reason never quotes it, and `display` leaves the password out.
 */
export function parseCoordination(value: string): Parsed<Coordination> {
  const text = value.trim();
  if (text === "" || text.toLowerCase() === "machine") return { value: { kind: "machine" } };
  if (text.toLowerCase() === "off") return { value: { kind: "off" } };
  const wrong = (what: string): Parsed<Coordination> => ({ reason: `expected ${COORDINATION_FORMS}; ${what}` });
  if (!/^rediss?:\/\//i.test(text)) return wrong("the value is neither (not quoted: it may hold a password)");
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return wrong("the URL is malformed (not quoted: it may hold a password)");
  }
  if (url.hostname === "") return wrong("the URL has no host");
  if (url.search !== "" || url.hash !== "") return wrong('the URL has a "?" or "#" part; options are not taken');
  const db = url.pathname.replace(/^\//, "");
  if (!/^(\d{1,5})?$/.test(db)) return wrong("the path must be a database number such as /0");
  const user = url.username ? `${url.username}${url.password ? ":***" : ""}@` : url.password ? ":***@" : "";
  const display = `${url.protocol}//${user}${url.host}${db ? `/${db}` : ""}`;
  return { value: { kind: "redis", url: url.href, display } };
}

/** Session durations of roles: whole seconds up to 43200. */
export function parseSessionDuration(value: string): Parsed<number> {
  const text = value.trim();
  const seconds = Number(text);
  return /^\d{1,5}$/.test(text) && seconds >= 1 && seconds <= 43200 ? { value: seconds } : { reason: "expected whole seconds up to 43200" };
}

/**
 * Parses every setting of `configuration` and `env` once. Configuration comes before the
 * environment, as in the official provider. A malformed setting is a failure naming it (and
 * left out of the settings); it never quotes a secret.
 */
export function parseSettings(configuration: Configuration, env: NodeJS.ProcessEnv = process.env): { settings: Settings; failures: InputFailure[] } {
  const failures: InputFailure[] = [];
  /** The first source that sets `name`: configuration, then each env variable in turn. */
  /** Failures name a configuration key as its property, quoting where it was set; an env variable as "env NAME". */
  type Found = { text: string; property: string; prefix: string };
  const first = (name: SettingName | undefined, ...variables: string[]): Found | undefined => {
    const configured = name === undefined ? undefined : configuration.get(name);
    if (configured !== undefined && configured !== "") return { text: configured, property: configuration.key(name!), prefix: `${configuration.describe(name!)}: ` };
    for (const variable of variables) {
      const text = env[variable];
      if (text !== undefined && text !== "") return { text, property: `env ${variable}`, prefix: "" };
    }
    return undefined;
  };
  const parse = <T>(found: Found | undefined, parser: (text: string) => Parsed<T>): T | undefined => {
    if (!found) return undefined;
    const parsed = parser(found.text);
    if ("reason" in parsed) {
      failures.push({ property: found.property, reason: `${found.prefix}${parsed.reason}` });
      return undefined;
    }
    return parsed.value;
  };

  const regionSetting = first("region", "TENCENTCLOUD_REGION");
  const region = parse(regionSetting, parseRegion);
  const domain = parse(first("domain", "TENCENTCLOUD_DOMAIN"), parseDomain);
  const requestsPerSecond = parse(first("requestsPerSecond", REQUESTS_PER_SECOND_ENV), parseRequestsPerSecond);
  const coordination = parse(first("coordination", COORDINATION_ENV), parseCoordination) ?? { kind: "machine" };
  const stsSetting = first(undefined, "TENCENTCLOUD_STS_ENDPOINT");
  const sts = parse(stsSetting && { ...stsSetting, text: stsSetting.text.trim() }, parseEndpointText) ?? defaultEndpoint("sts", undefined, domain);
  const sessionDuration = parse(first(undefined, "TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION"), parseSessionDuration);

  const configured: ConfiguredCredentials = {
    secretId: configuration.get("secretId"),
    secretKey: configuration.get("secretKey"),
    securityToken: configuration.get("securityToken"),
    profile: parse(first("profile", "TENCENTCLOUD_PROFILE"), parseProfileName),
    sharedCredentialsDir: first("sharedCredentialsDir", "TENCENTCLOUD_SHARED_CREDENTIALS_DIR")?.text,
    camRoleName: parse(first("camRoleName", "TENCENTCLOUD_CAM_ROLE_NAME"), (text) =>
      CAM_ROLE_NAME.test(text.trim()) ? { value: text.trim() } : { reason: 'expected a CAM role name (letters, digits, "+=,.@_-"; at most 128)' },
    ),
    assumeRole: parse(first("assumeRole"), parseAssumeRoleSetting(configuration.key("assumeRole"))),
    keysOrigin: `${configuration.describe("secretId")} / ${configuration.key("secretKey")}`,
    assumeRoleOrigin: configuration.describe("assumeRole"),
  };

  const regionSources = [configuration === NO_CONFIGURATION ? undefined : configuration.describe("region"), "env TENCENTCLOUD_REGION", "then the tccli profile's region"].filter(Boolean).join(", ");
  return {
    settings: { region, regionSources, domain, requestsPerSecond, coordination, sts, sessionDuration, configured: dropUndefined(configured), env },
    failures,
  };
}

/** The official provider's `assumeRole` block as JSON; a malformed one names its field, never quoting it. */
function parseAssumeRoleSetting(key: string): (text: string) => Parsed<AssumeRoleSetting> {
  return (text) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return {
        reason: `expected an object such as {"roleArn": "qcs::cam::uin/100000000001:roleName/deployer", "sessionName": "deploy"} (\`pulumi config set --path ${key}.roleArn ...\`); the value is not JSON`,
      };
    }
    const { policy, ...role } = typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : { roleArn: value };
    const checked = parseAssumeRole(role);
    if ("reason" in checked) return checked;
    if (policy !== undefined && typeof policy !== "string") return { reason: "assumeRole.policy: expected a policy document as a string" };
    return { value: { ...checked.value, ...(policy !== undefined ? { policy } : {}) } };
  };
}

const ROLE_ARN = /^qcs::cam::uin\/\d{1,20}:role(Name)?\/[\w+=,.@-]{1,128}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,128}$/;

/** An `assumeRole` object (the input, `waitForTask`'s option, configuration), checked field by field. */
export function parseAssumeRole(value: unknown): Parsed<AssumeRoleInputs> {
  const form = "an object { roleArn, sessionName?, sessionDuration?, externalId? }";
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { reason: `expected ${form}, got ${show(value)}` };
  const { roleArn, sessionName, sessionDuration, externalId, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) return { reason: `unknown property assumeRole.${extra}: expected ${form}` };
  if (typeof roleArn !== "string" || !ROLE_ARN.test(roleArn)) return { reason: `assumeRole.roleArn: expected a role ARN such as "qcs::cam::uin/100000000001:roleName/deployer", got ${show(roleArn)}` };
  if (sessionName !== undefined && (typeof sessionName !== "string" || !SESSION_NAME.test(sessionName))) {
    return { reason: `assumeRole.sessionName: expected 2 to 128 letters, digits or "+=,.@_-", got ${show(sessionName)}` };
  }
  if (sessionDuration !== undefined && (typeof sessionDuration !== "number" || !Number.isInteger(sessionDuration) || sessionDuration < 900 || sessionDuration > 43200)) {
    return { reason: `assumeRole.sessionDuration: expected whole seconds from 900 to 43200, got ${show(sessionDuration)}` };
  }
  if (externalId !== undefined && (typeof externalId !== "string" || !/^[\w+=,.@:/-]{2,128}$/.test(externalId))) {
    return {
      reason: `assumeRole.externalId: expected 2 to 128 letters, digits or "+=,.@:/_-", got a value of ${typeof externalId === "string" ? `${externalId.length} characters` : `type ${typeof externalId}`}`,
    };
  }
  const role: AssumeRoleInputs = { roleArn };
  if (sessionName !== undefined) role.sessionName = sessionName as string;
  if (sessionDuration !== undefined) role.sessionDuration = sessionDuration;
  if (externalId !== undefined) role.externalId = externalId;
  return { value: role };
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
