import { defaultEndpoint, type Endpoint } from "./endpoint";
import { adapterFor, SERVICES, UNKNOWN, type ServiceTask, type TaskQuery } from "./services";
import { containsUnknown, show } from "./services/ids";
import { defaultRegion } from "./credentials";
import { parseAssumeRole, parseEndpointText, parseProfileName, parseRegion, type AssumeRoleInputs, type Parsed, type Settings } from "./settings";
import type { InputFailure } from "./task";

export type { AssumeRoleInputs };

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
  /** The region of a wait that names none (from settings, or its tccli profile's), checked; a reason if the one found is malformed. */
  region?: Parsed<string>;
  /** Where a region can be set, for the message when one is required: "stack config tencentcloud:region, env TENCENTCLOUD_REGION". */
  regionSources?: string;
  /** Root domain, as the official provider's `tencentcloud:domain` (e.g. `intl.tencentcloudapi.com`). */
  domain?: string;
}

/** The defaults of `settings`, with the default region already looked up (see `defaultRegion`). */
export function inputDefaults(settings: Settings, region: Parsed<string> | undefined): InputDefaults {
  return { region, regionSources: settings.regionSources, domain: settings.domain };
}

/**
 * `parseTaskInputs` with the defaults of an edge's `settings`: when the inputs name no region, the
 * default one (which may be read from a tccli profile) is looked up first. Never throws.
 */
export async function parseTaskInputsWith(rawInput: unknown, settings: Settings): Promise<CheckedInputs> {
  const snapshot = readInputs(rawInput);
  if ("error" in snapshot) return parseTaskInputs(rawInput);
  const raw = snapshot.values;
  const profile = raw.profile === undefined ? undefined : parseProfileName(raw.profile);
  const region = raw.region === undefined || raw.region === null ? await defaultRegion(settings, profile && "value" in profile ? profile.value : undefined) : undefined;
  return parseTaskInputs(raw, inputDefaults(settings, region));
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

  const profile = optional(raw, "profile", parseProfileName, fail);
  if (profile !== undefined && profile !== INVALID) inputs.profile = profile;
  const assumeRole = optional(raw, "assumeRole", parseAssumeRole, fail);
  if (assumeRole !== undefined && assumeRole !== INVALID) inputs.assumeRole = assumeRole;

  let region = optional(raw, "region", parseRegion, fail);
  if (region === undefined && profile !== UNKNOWN && defaults.region) {
    if ("reason" in defaults.region) {
      fail("region", `the default region (${defaults.regionSources ?? "settings"}): ${defaults.region.reason}`);
      region = INVALID;
    } else region = defaults.region.value;
  }
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
  const endpointText = optional(raw, "endpoint", (v) => {
    const parsed = parseEndpointText(v);
    return "reason" in parsed ? parsed : { value: v as string };
  }, fail);
  if (endpointText === undefined && defaults.domain !== undefined && parsed?.query) {
    inputs.endpoint = `${parsed.query.request.product}.${defaults.domain}`;
  } else if (endpointText !== undefined && endpointText !== INVALID) {
    inputs.endpoint = endpointText;
  }
  if (typeof inputs.endpoint === "string" && inputs.endpoint !== UNKNOWN) {
    const result = parseEndpointText(inputs.endpoint);
    if ("reason" in result) {
      fail("endpoint", result.reason);
      delete inputs.endpoint;
    } else endpoint = result.value;
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

type Check<T> = (value: unknown) => Parsed<T>;

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

const checkTimeout: Check<number> = (v) =>
  typeof v === "number" && Number.isFinite(v) && v >= 1 && v <= MAX_TIMEOUT_SECONDS ? { value: v } : { reason: `expected a number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}, got ${show(v)}` };

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
    (copy as Record<string, unknown>)[key] = depth === 0 && opaque.includes(key) ? item : plainCopy(item, at, depth + 1, budget);
  }
  return copy;
}

function pick(raw: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => Object.hasOwn(raw, key)).map((key) => [key, raw[key]]));
}

