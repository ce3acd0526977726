import type { InputFailure } from "./errors";
import { SERVICES, type Service, type TaskRef } from "./task";

/** What a user writes: the resource's inputs and `waitForTask`'s options, as plain values. */
export interface TaskInputs {
  service: Service;
  taskId?: string | number;
  dealName?: string;
  region?: string;
  endpoint?: string;
  timeoutSeconds?: number;
  failOnTaskFailure?: boolean;
  triggers?: unknown[];
}

/** Validated inputs with every default applied. */
export interface TaskSpec extends TaskRef {
  endpoint?: string;
  timeoutSeconds: number;
  failOnTaskFailure: boolean;
  triggers?: unknown[];
}

/** Where defaults come from outside the inputs: stack config, then environment. */
export interface InputDefaults {
  region?: string;
  /** Root domain, as the official provider's `tencentcloud:domain` (e.g. `intl.tencentcloudapi.com`). */
  domain?: string;
}

export const DEFAULT_TIMEOUT_SECONDS = 1800;
export const MAX_TIMEOUT_SECONDS = 86400;

/** Pulumi passes this string for values not known yet during preview; they are checked at `up`. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const PROPERTIES = ["service", "taskId", "dealName", "region", "endpoint", "timeoutSeconds", "failOnTaskFailure", "triggers"];
const REGION = /^[a-z]{2,3}(-[a-z0-9]+)+$/;
const CLB_TASK_ID = /^[A-Za-z0-9_-]{1,128}$/;
const REDIS_TASK_ID = /^[1-9][0-9]*$/;

/**
 * Validates inputs from anywhere (Pulumi, `waitForTask`, the command line) before any API call
 * and applies defaults. Never throws: every problem comes back as a failure naming the property
 * and the expected form. Values still unknown during a preview pass unchecked.
 */
export function checkTaskInputs(raw: Record<string, unknown>, defaults: InputDefaults = {}): { inputs: Record<string, unknown>; failures: InputFailure[] } {
  const failures: InputFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  const given = (key: string) => raw[key] !== undefined && raw[key] !== null;
  const known = (key: string) => raw[key] !== UNKNOWN;
  const inputs: Record<string, unknown> = {};
  for (const key of PROPERTIES) if (given(key)) inputs[key] = raw[key];

  for (const key of Object.keys(raw)) {
    if (PROPERTIES.includes(key) || key === "__provider") continue;
    const near = PROPERTIES.find((p) => p.toLowerCase() === key.toLowerCase());
    fail(key, near ? `unknown property; did you mean "${near}"?` : `unknown property; expected one of ${PROPERTIES.join(", ")}`);
  }

  const service = raw.service;
  const isService = (value: unknown): value is Service => SERVICES.includes(value as Service);
  if (!given("service")) fail("service", `required: "clb" or "redis"`);
  else if (known("service") && !isService(service)) fail("service", `expected "clb" or "redis", got ${show(service)}`);

  if (!given("region") && defaults.region !== undefined) inputs.region = defaults.region;
  if (inputs.region !== undefined && inputs.region !== UNKNOWN) {
    if (typeof inputs.region !== "string" || !REGION.test(inputs.region)) {
      fail("region", `expected a region name such as "ap-guangzhou", got ${show(inputs.region)}`);
    }
  }

  if (service === "clb") {
    if (given("taskId") && known("taskId") && (typeof raw.taskId !== "string" || !CLB_TASK_ID.test(raw.taskId))) {
      fail("taskId", `expected the RequestId string answered by the CLB call (such as "55c85074-3e7f-4c6d-864f-673660d4f8de"), got ${show(raw.taskId)}`);
    }
    if (given("dealName") && known("dealName") && (typeof raw.dealName !== "string" || raw.dealName.trim() === "")) {
      fail("dealName", `expected a non-empty order id string, got ${show(raw.dealName)}`);
    }
    if (given("taskId") === given("dealName")) {
      fail(given("taskId") ? "dealName" : "taskId", given("taskId") ? "give either taskId or dealName for clb, not both" : "required for clb: the RequestId answered by the CLB call (or give dealName)");
    }
    if (inputs.region === undefined) {
      fail("region", "required for clb: a region such as ap-guangzhou (default: stack config tencentcloud:region, then env TENCENTCLOUD_REGION)");
    }
  } else if (service === "redis") {
    if (!given("taskId")) fail("taskId", "required for redis: the TaskId answered by the Redis call");
    else if (known("taskId")) {
      const id = typeof raw.taskId === "number" ? String(raw.taskId) : raw.taskId;
      if (typeof id !== "string" || !REDIS_TASK_ID.test(id) || !Number.isSafeInteger(Number(id))) {
        fail("taskId", `expected a positive integer (a number or a numeric string) for redis, got ${show(raw.taskId)}`);
      } else inputs.taskId = Number(id);
    }
    if (given("dealName")) fail("dealName", "only clb tasks have a dealName; remove it for redis");
  }

  if (!given("endpoint") && defaults.domain !== undefined && isService(service)) {
    inputs.endpoint = `${service}.${defaults.domain}`;
  }
  if (inputs.endpoint !== undefined && inputs.endpoint !== UNKNOWN) {
    const parsed = typeof inputs.endpoint === "string" ? parseEndpoint(inputs.endpoint) : { error: `expected a string, got ${show(inputs.endpoint)}` };
    if ("error" in parsed) fail("endpoint", parsed.error);
  }

  inputs.timeoutSeconds ??= DEFAULT_TIMEOUT_SECONDS;
  const timeout = inputs.timeoutSeconds;
  if (timeout !== UNKNOWN && (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout < 1 || timeout > MAX_TIMEOUT_SECONDS)) {
    fail("timeoutSeconds", `expected a number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}, got ${show(timeout)}`);
  }

  inputs.failOnTaskFailure ??= true;
  if (inputs.failOnTaskFailure !== UNKNOWN && typeof inputs.failOnTaskFailure !== "boolean") {
    fail("failOnTaskFailure", `expected true or false, got ${show(inputs.failOnTaskFailure)}`);
  }

  if (given("triggers") && known("triggers") && !Array.isArray(raw.triggers)) {
    fail("triggers", `expected an array, got ${show(raw.triggers)}`);
  }
  return { inputs, failures };
}

/** The spec of inputs that passed `checkTaskInputs` with no unknown values. */
export function toTaskSpec(inputs: Record<string, unknown>): TaskSpec {
  return {
    service: inputs.service as Service,
    taskId: inputs.taskId as string | number | undefined,
    dealName: inputs.dealName as string | undefined,
    region: inputs.region as string | undefined,
    endpoint: inputs.endpoint as string | undefined,
    timeoutSeconds: inputs.timeoutSeconds as number,
    failOnTaskFailure: inputs.failOnTaskFailure as boolean,
    triggers: inputs.triggers as unknown[] | undefined,
  };
}

export interface Endpoint {
  protocol: "https://" | "http://";
  /** Host name with optional port, as the SDK wants it. */
  host: string;
  loopback: boolean;
}

/**
 * Accepts a host (`clb.intl.tencentcloudapi.com`) or a URL (`https://...`, `http://127.0.0.1:9000`).
 * Plain http is refused unless the host is loopback: requests carry the session token in a header.
 */
export function parseEndpoint(value: string): Endpoint | { error: string } {
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
  let url: URL;
  try {
    url = new URL(hasScheme ? value : `https://${value}`);
  } catch {
    return { error: `expected a host such as "clb.intl.tencentcloudapi.com" or a URL such as "http://127.0.0.1:9000", got ${show(value)}` };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { error: `expected an https:// URL (or http:// to a loopback address), got ${show(value)}` };
  }
  if (url.username || url.password || (url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) {
    return { error: `expected only a scheme, host and port, got ${show(value)}` };
  }
  if (!hasScheme && url.host !== value.toLowerCase()) {
    return { error: `expected a host such as "clb.intl.tencentcloudapi.com", got ${show(value)}` };
  }
  const loopback = url.hostname === "localhost" || url.hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(url.hostname);
  if (url.protocol === "http:" && !loopback) {
    return { error: `plain http:// is accepted only for loopback hosts (credentials and the session token travel in the request); use https://${url.host}` };
  }
  return { protocol: url.protocol === "http:" ? "http://" : "https://", host: url.host, loopback };
}

function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = `a value of type ${typeof value}`;
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
