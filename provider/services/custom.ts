import { createHash } from "node:crypto";
import { compile } from "@jmespath-community/jmespath";
import type { InputFailure, StatusValue } from "../task";
import { statusQuery, type ServiceAdapter } from "./adapter";
import { containsUnknown, show } from "./ids";

/**
 * A wait on any Describe action: the request to send, where the status is in the answer, and
 * which values mean pending, success and failure (`tccli --waiter` with failure states).
 */
export interface CustomTask {
  service: "custom";
  /** The API's product, its host and signing name: `cbs` for cbs.tencentcloudapi.com. */
  product: string;
  /** The API version, such as "2017-03-12". */
  version: string;
  /** The Describe action to call, such as "DescribeDisks". */
  action: string;
  /** The action's parameters; default {}. */
  request?: Record<string, unknown>;
  /** JMESPath into the answer's Response, such as "DiskSet[0].DiskState". */
  statusPath: string;
  pendingStatuses: StatusValue[];
  successStatuses: StatusValue[];
  failureStatuses?: StatusValue[];
  /** JMESPath to a failure reason, if the answer has one. */
  messagePath?: string;
}

const PRODUCT = /^[a-z][a-z0-9]{1,31}$/;
const VERSION = /^\d{4}-\d{2}-\d{2}$/;
const ACTION = /^[A-Z][A-Za-z0-9]{1,63}$/;
const MAX_PATH = 512;
const MAX_REQUEST_BYTES = 64 * 1024;
const MAX_VALUES = 50;
const MAX_VALUE_LENGTH = 128;
/** Unknown limits are taken to be the common one. */
const RATE_LIMIT = 20;

type Checked<T> = { value: T } | { unknown: true } | undefined;

export const custom: ServiceAdapter<CustomTask> = {
  service: "custom",
  api: "any Describe action, with its status path and values declared",
  inputs: {
    product: 'the API\'s product, its host and signing name ("cbs" for cbs.tencentcloudapi.com)',
    version: 'the API version, such as "2017-03-12"',
    action: 'the action to call, such as "DescribeDisks"',
    request: "the action's parameters, a JSON object (default {})",
    statusPath: 'a JMESPath expression into the answer\'s Response, such as "DiskSet[0].DiskState"',
    pendingStatuses: "status values that mean: keep waiting",
    successStatuses: "status values that mean: done",
    failureStatuses: "status values that mean: failed (default none)",
    messagePath: "a JMESPath expression to the failure reason (optional)",
  },
  regionRequired: false,
  commandLine: {
    request: { kind: "json" },
    pendingStatuses: { flag: "pending", kind: "list" },
    successStatuses: { flag: "success", kind: "list" },
    failureStatuses: { flag: "failure", kind: "list" },
  },
  parse(raw, region) {
    const failures: InputFailure[] = [];
    const inputs: Record<string, unknown> = {};
    const fail = (property: string, reason: string) => failures.push({ property, reason });
    const take = <T>(property: string, check: (value: unknown) => T | string, required: boolean): Checked<T> => {
      const value = raw[property];
      if (value === undefined || value === null) {
        if (required) fail(property, `required for custom: ${custom.inputs[property]}`);
        return undefined;
      }
      if (containsUnknown(value)) {
        inputs[property] = value;
        return { unknown: true };
      }
      const checked = check(value);
      if (typeof checked === "string") {
        fail(property, checked);
        return undefined;
      }
      inputs[property] = value;
      return { value: checked };
    };

    const product = take("product", (v) => matching(v, PRODUCT, 'a product name such as "cbs" (lower-case letters and digits)'), true);
    const version = take("version", (v) => matching(v, VERSION, 'an API version such as "2017-03-12"'), true);
    const action = take("action", (v) => matching(v, ACTION, 'an action name such as "DescribeDisks"'), true);
    const request = take("request", requestObject, false);
    const statusPath = take("statusPath", jmesPath, true);
    const messagePath = take("messagePath", jmesPath, false);
    const pending = take("pendingStatuses", (v) => statusValues(v, true), true);
    const success = take("successStatuses", (v) => statusValues(v, true), true);
    const failure = take("failureStatuses", (v) => statusValues(v, false), false);

    const lists = [pending, success, failure].map((list) => (list && "value" in list ? list.value : []));
    const shared = lists.flatMap((list, i) => list.filter((v) => lists.some((other, j) => j !== i && other.some((w) => String(w) === String(v)))));
    if (shared.length > 0) fail("successStatuses", `a status value may be in one list only; ${show(String(shared[0]))} is in two`);

    const known = [product, version, action, statusPath, pending, success];
    if (failures.length > 0 || known.some((c) => !c || !("value" in c)) || [request, messagePath, failure].some((c) => c && !("value" in c))) {
      return { inputs, failures };
    }
    const value = <T>(checked: Checked<T>): T | undefined => (checked && "value" in checked ? checked.value : undefined);
    const params = value(request) ?? {};
    const digest = createHash("sha256").update(JSON.stringify(params)).digest("hex").slice(0, 12);
    const query = statusQuery({
      id: ["custom", region, value(product), value(action), digest].filter((part) => part !== undefined).join("/"),
      ref: { service: "custom", region },
      label: `custom ${value(product)} ${value(action)}${region ? ` (${region})` : ""}`,
      request: { product: value(product)!, version: value(version)!, action: value(action)!, region, params },
      rateLimit: RATE_LIMIT,
      rule: {
        status: value(statusPath)!,
        pending: value(pending)!,
        success: value(success)!,
        failure: value(failure) ?? [],
        message: value(messagePath),
        asText: true,
      },
    });
    return { inputs, failures, query };
  },
};

function matching(value: unknown, pattern: RegExp, form: string): string {
  return typeof value === "string" && pattern.test(value) ? value : `expected ${form}, got ${show(value)}`;
}

function requestObject(value: unknown): Record<string, unknown> | string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return `expected a JSON object of the action's parameters, got ${show(value)}`;
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    return "expected a JSON object of the action's parameters (it could not be written as JSON)";
  }
  if (Buffer.byteLength(text) > MAX_REQUEST_BYTES) return `expected at most ${MAX_REQUEST_BYTES / 1024} KB of parameters, got ${Buffer.byteLength(text)} bytes`;
  return JSON.parse(text) as Record<string, unknown>;
}

function jmesPath(value: unknown): string {
  if (typeof value !== "string" || value.trim() === "" || value.length > MAX_PATH) return `expected a JMESPath expression (at most ${MAX_PATH} characters), got ${show(value)}`;
  try {
    compile(value);
    return value;
  } catch (error) {
    return `expected a JMESPath expression, got ${show(value)}: ${(error as Error).message.slice(0, 120)}`;
  }
}

function statusValues(value: unknown, nonEmpty: boolean): StatusValue[] | string {
  const form = `a list of at most ${MAX_VALUES} status values (strings of at most ${MAX_VALUE_LENGTH} characters, numbers or booleans)${nonEmpty ? ", at least one" : ""}`;
  const ok = (v: unknown) => (typeof v === "string" && v.length > 0 && v.length <= MAX_VALUE_LENGTH) || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));
  if (!Array.isArray(value) || value.length > MAX_VALUES || (nonEmpty && value.length === 0) || !value.every(ok)) return `expected ${form}, got ${show(value)}`;
  return value as StatusValue[];
}
