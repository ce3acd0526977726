import { defaultEndpoint, parseEndpoint, type Endpoint } from "./endpoint";
import { adapterFor, SERVICES, UNKNOWN, type ServiceTask, type TaskQuery } from "./services";
import { containsUnknown, show } from "./services/ids";
import type { InputFailure } from "./task";

/** A role to assume (STS AssumeRole) for this wait, as the official provider's `assumeRole` block. */
export interface AssumeRoleInputs {
  /** `qcs::cam::uin/100000000001:roleName/deployer`. */
  roleArn: string;
  /** Default `tencentcloud-task-completion`. */
  sessionName?: string;
  /** Seconds, 900 to 43200; default 7200. */
  sessionDuration?: number;
  externalId?: string;
}

/** The inputs every service takes. */
export interface CommonInputs {
  /** Default: stack config `tencentcloud:region`, env TENCENTCLOUD_REGION, then the tccli profile's region. */
  region?: string;
  /** Host or URL override; plain http:// only for loopback hosts. */
  endpoint?: string;
  /** Default 1800, from 1 to 86400. */
  timeoutSeconds?: number;
  /** Default true. False records a failed task and lets the deployment go on. */
  failOnTaskFailure?: boolean;
  /** Any change forces a new wait. */
  triggers?: unknown[];
  /** A tccli profile (`~/.tccli/<profile>.credential`) to wait with, instead of the default credentials. */
  profile?: string;
  /** A role to assume for this wait, on top of the credentials found. */
  assumeRole?: AssumeRoleInputs;
}

/** What a user writes: the resource's inputs and `waitForTask`'s options, as plain values. */
export type TaskInputs = ServiceTask & CommonInputs;

/** Who a wait acts as, beyond the default credentials. */
export interface IdentityInputs {
  profile?: string;
  assumeRole?: AssumeRoleInputs;
}

/** Inputs checked once at the edge, with every default applied: what the engine runs on. */
export interface TaskSpec {
  query: TaskQuery;
  endpoint: Endpoint;
  timeoutSeconds: number;
  failOnTaskFailure: boolean;
  identity: IdentityInputs;
}

/** Defaults that do not come from the inputs. */
export interface InputDefaults {
  /** The default region of a wait (with its tccli profile, if any), and where it came from. */
  region?: (profile: string | undefined) => string | undefined;
  /** Where a region can be set, for the message when one is required: "stack config tencentcloud:region or env TENCENTCLOUD_REGION". */
  regionSources?: string;
  /** Root domain, as the official provider's `tencentcloud:domain` (e.g. `intl.tencentcloudapi.com`). */
  domain?: string;
}

/** The inputs, checked: as the resource records them, what is wrong, and the spec once nothing is and every value is known. */
export interface CheckedInputs {
  inputs: Record<string, unknown>;
  failures: InputFailure[];
  spec?: TaskSpec;
}

const DEFAULT_TIMEOUT_SECONDS = 1800;
export const MAX_TIMEOUT_SECONDS = 86400;

export { UNKNOWN };

const COMMON = ["service", "region", "endpoint", "timeoutSeconds", "failOnTaskFailure", "triggers", "profile", "assumeRole"];

/** Every input any service takes. */
export const INPUT_NAMES = [...new Set([...COMMON, ...SERVICES.flatMap((service) => Object.keys(adapterFor(service)!.inputs))])];

/** The inputs of one service (every input, if `service` is none). Some outputs share a name with another service's input. */
export function inputNamesOf(service: unknown): string[] {
  const adapter = adapterFor(service);
  return adapter ? [...COMMON, ...Object.keys(adapter.inputs)] : INPUT_NAMES;
}
const REGION = /^[a-z]{2,3}(-[a-z0-9]{1,20}){1,4}$/;
/** As tccli names profiles: it writes `<profile>.credential` files. */
const PROFILE = /^[A-Za-z0-9_.-]{1,64}$/;
const ROLE_ARN = /^qcs::cam::uin\/\d{1,20}:role(Name)?\/[\w+=,.@-]{1,128}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,128}$/;
const MAX_ENDPOINT = 512;

/**
 * Checks inputs from anywhere (Pulumi, `waitForTask`, the command line) before any API call and
 * applies defaults. Never throws, whatever `raw` is (null, a Proxy, an object whose getters
 * throw): every problem comes back as a failure naming the property and the expected form.
 * Values still unknown during a preview pass unchecked, and then there is no spec.
 */
export function parseTaskInputs(rawInput: unknown, defaults: InputDefaults = {}): CheckedInputs {
  const snapshot = readInputs(rawInput);
  if ("error" in snapshot) return { inputs: {}, failures: [{ property: "(inputs)", reason: snapshot.error }] };
  const raw = snapshot.values;
  const failures: InputFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  const given = (key: string) => raw[key] !== undefined && raw[key] !== null;
  const known = (key: string) => raw[key] !== UNKNOWN;
  const inputs: Record<string, unknown> = {};

  const service = raw.service;
  const adapter = adapterFor(service);
  const serviceList = SERVICES.join(", ");
  if (!given("service")) fail("service", `required: one of ${serviceList}`);
  else if (known("service") && !adapter) fail("service", `expected one of ${serviceList}, got ${show(service)}`);
  else inputs.service = service;

  // Properties of no service, or of another one.
  const own = adapter ? [...COMMON, ...Object.keys(adapter.inputs)] : [...COMMON, ...SERVICES.flatMap((s) => Object.keys(adapterFor(s)!.inputs))];
  for (const key of Object.keys(raw)) {
    if (own.includes(key) || key === "__provider") continue;
    const near = own.find((p) => p.toLowerCase() === key.toLowerCase());
    const others = SERVICES.filter((s) => Object.hasOwn(adapterFor(s)!.inputs, key));
    fail(
      key,
      near
        ? `unknown property; did you mean "${near}"?`
        : others.length > 0
          ? `not an input of ${String(service)} tasks (only ${others.join(", ")} take it); remove it`
          : `unknown property; expected one of ${own.join(", ")}`,
    );
  }

  const profile = optional(raw, "profile", checkProfile, fail);
  if (profile !== undefined && profile !== INVALID) inputs.profile = profile;
  const assumeRole = optional(raw, "assumeRole", parseAssumeRole, fail);
  if (assumeRole !== undefined && assumeRole !== INVALID) inputs.assumeRole = assumeRole;

  let region = optional(raw, "region", checkRegion, fail);
  if (region === undefined && profile !== UNKNOWN) region = defaults.region?.(profile === INVALID ? undefined : profile);
  if (region !== undefined && region !== INVALID) inputs.region = region;
  const knownRegion = region === UNKNOWN || region === INVALID ? undefined : region;
  const parsed = adapter?.parse(pick(raw, Object.keys(adapter.inputs)), knownRegion);
  if (parsed) {
    Object.assign(inputs, parsed.inputs);
    failures.push(...parsed.failures);
  }
  if (adapter?.regionRequired && region === undefined) {
    fail("region", `required for ${String(service)}: a region such as ap-guangzhou${defaults.regionSources ? ` (default: ${defaults.regionSources})` : ""}`);
  }

  let endpoint: Endpoint | undefined;
  const endpointText = optional(raw, "endpoint", checkEndpoint, fail);
  if (endpointText === undefined && defaults.domain !== undefined && parsed?.query) {
    inputs.endpoint = `${parsed.query.request.product}.${defaults.domain}`;
  } else if (endpointText !== undefined && endpointText !== INVALID) {
    inputs.endpoint = endpointText;
  }
  if (typeof inputs.endpoint === "string" && inputs.endpoint !== UNKNOWN) {
    const result = parseEndpoint(inputs.endpoint);
    if ("error" in result) {
      fail("endpoint", result.error);
      delete inputs.endpoint;
    } else endpoint = result;
  }

  const timeoutSeconds = optional(raw, "timeoutSeconds", checkTimeout, fail);
  if (timeoutSeconds !== INVALID) inputs.timeoutSeconds = timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  const failOnTaskFailure = optional(raw, "failOnTaskFailure", (v) => (typeof v === "boolean" ? { value: v } : { reason: `expected true or false, got ${show(v)}` }), fail);
  if (failOnTaskFailure !== INVALID) inputs.failOnTaskFailure = failOnTaskFailure ?? true;
  const triggers = optional(raw, "triggers", (v) => (Array.isArray(v) ? { value: v } : { reason: `expected an array, got ${show(v)}` }), fail);
  if (triggers !== undefined && triggers !== INVALID) inputs.triggers = triggers;

  const query = parsed?.query;
  if (failures.length > 0 || !query || COMMON.some((key) => containsUnknown(raw[key]))) return { inputs, failures };
  return {
    inputs,
    failures,
    spec: {
      query,
      endpoint: endpoint ?? defaultEndpoint(query.request.product, query.request.region, defaults.domain),
      timeoutSeconds: inputs.timeoutSeconds as number,
      failOnTaskFailure: inputs.failOnTaskFailure as boolean,
      identity: { profile: inputs.profile as string | undefined, assumeRole: inputs.assumeRole as AssumeRoleInputs | undefined },
    },
  };
}

/** An input that was given but is not of its documented form (its failure is recorded). */
const INVALID = Symbol("invalid");

type Check<T> = (value: unknown) => { value: T } | { reason: string };

/** An optional input: undefined when absent, UNKNOWN during preview, INVALID (failure recorded), or its checked value. */
function optional<T>(raw: Record<string, unknown>, key: string, check: Check<T>, fail: (property: string, reason: string) => void): T | typeof UNKNOWN | typeof INVALID | undefined {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  if (containsUnknown(value)) return UNKNOWN;
  const checked = check(value);
  if ("reason" in checked) {
    fail(key, checked.reason);
    return INVALID;
  }
  return checked.value;
}

const checkProfile: Check<string> = (v) =>
  typeof v === "string" && PROFILE.test(v) ? { value: v } : { reason: `expected a tccli profile name (letters, digits, "_", "-", "."; at most 64), got ${show(v)}` };

const checkRegion: Check<string> = (v) => (typeof v === "string" && REGION.test(v) ? { value: v } : { reason: `expected a region name such as "ap-guangzhou", got ${show(v)}` });

const checkEndpoint: Check<string> = (v) =>
  typeof v === "string" && v.length <= MAX_ENDPOINT ? { value: v } : { reason: `expected a string: a host or URL of at most ${MAX_ENDPOINT} characters, got ${show(v)}` };

const checkTimeout: Check<number> = (v) =>
  typeof v === "number" && Number.isFinite(v) && v >= 1 && v <= MAX_TIMEOUT_SECONDS ? { value: v } : { reason: `expected a number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}, got ${show(v)}` };

/** An `assumeRole` object (the input, `waitForTask`'s option, stack config `tencentcloud:assumeRole`), checked field by field. */
export const parseAssumeRole: Check<AssumeRoleInputs> = (value) => {
  const reason = assumeRoleProblem(value);
  if (reason) return { reason };
  const { roleArn, sessionName, sessionDuration, externalId } = value as AssumeRoleInputs;
  const role: AssumeRoleInputs = { roleArn };
  if (sessionName !== undefined) role.sessionName = sessionName;
  if (sessionDuration !== undefined) role.sessionDuration = sessionDuration;
  if (externalId !== undefined) role.externalId = externalId;
  return { value: role };
};

function assumeRoleProblem(value: unknown): string | undefined {
  const form = "an object { roleArn, sessionName?, sessionDuration?, externalId? }";
  if (typeof value !== "object" || value === null || Array.isArray(value)) return `expected ${form}, got ${show(value)}`;
  const { roleArn, sessionName, sessionDuration, externalId, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) return `unknown property assumeRole.${extra}: expected ${form}`;
  if (typeof roleArn !== "string" || !ROLE_ARN.test(roleArn)) return `assumeRole.roleArn: expected a role ARN such as "qcs::cam::uin/100000000001:roleName/deployer", got ${show(roleArn)}`;
  if (sessionName !== undefined && (typeof sessionName !== "string" || !SESSION_NAME.test(sessionName))) {
    return `assumeRole.sessionName: expected 2 to 128 letters, digits or "+=,.@_-", got ${show(sessionName)}`;
  }
  if (sessionDuration !== undefined && (typeof sessionDuration !== "number" || !Number.isInteger(sessionDuration) || sessionDuration < 900 || sessionDuration > 43200)) {
    return `assumeRole.sessionDuration: expected whole seconds from 900 to 43200, got ${show(sessionDuration)}`;
  }
  if (externalId !== undefined && (typeof externalId !== "string" || !/^[\w+=,.@:/-]{2,128}$/.test(externalId))) {
    return `assumeRole.externalId: expected 2 to 128 letters, digits or "+=,.@:/_-", got a value of ${typeof externalId === "string" ? `${externalId.length} characters` : `type ${typeof externalId}`}`;
  }
  return undefined;
}

/** Deeper than this, or more values than that, is not a task's inputs (and may be a cycle). */
const MAX_INPUT_DEPTH = 32;
const MAX_INPUT_VALUES = 10_000;

/**
 * A plain copy of the inputs, read once: every later check sees data that cannot throw, change
 * or recurse forever (a getter that throws, a revoked Proxy, a cyclic or 20,000-deep array).
 * `opaque` keys (a credential source, a signal, a callback) are taken as they are, unread.
 */
export function readInputs(raw: unknown, opaque: readonly string[] = []): { values: Record<string, unknown> } | { error: string } {
  let values: unknown;
  const budget = { left: MAX_INPUT_VALUES };
  try {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { error: `expected an object of inputs, got ${raw === null ? "null" : Array.isArray(raw) ? "an array" : `a value of type ${typeof raw}`}` };
    values = plainCopy(raw, "", 0, budget, opaque);
  } catch (error) {
    return { error: error instanceof UnreadableInput ? error.message : "the inputs object could not be read (its properties cannot be listed)" };
  }
  return { values: values as Record<string, unknown> };
}

class UnreadableInput extends Error {}

function plainCopy(value: unknown, path: string, depth: number, budget: { left: number }, opaque: readonly string[] = []): unknown {
  if (typeof value !== "object" || value === null) return value;
  const where = path === "" ? "the inputs object" : `the input ${path}`;
  if (depth > MAX_INPUT_DEPTH) throw new UnreadableInput(`${where} is nested more than ${MAX_INPUT_DEPTH} levels deep (or refers to itself)`);
  if (--budget.left < 0) throw new UnreadableInput(`the inputs hold more than ${MAX_INPUT_VALUES} values`);
  let isArray: boolean;
  let keys: string[];
  try {
    isArray = Array.isArray(value);
    keys = Object.keys(value);
  } catch {
    throw new UnreadableInput(`${where} could not be read (its properties cannot be listed)`);
  }
  const copy: Record<string, unknown> | unknown[] = isArray ? [] : {};
  for (const key of keys) {
    const at = isArray ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`;
    let item: unknown;
    try {
      item = (value as Record<string, unknown>)[key];
    } catch {
      throw new UnreadableInput(`the input ${show(at)} could not be read (reading it threw)`);
    }
    // Defined, not assigned: an own `__proto__` key stays a key (checked where it matters) instead of vanishing into the prototype.
    Object.defineProperty(copy, key, { value: depth === 0 && opaque.includes(key) ? item : plainCopy(item, at, depth + 1, budget), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

function pick(raw: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => Object.hasOwn(raw, key)).map((key) => [key, raw[key]]));
}

