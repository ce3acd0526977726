import { createHash } from "node:crypto";
import type { InputFailure, StatusValue } from "../task";
import { statusQuery, type ServiceAdapter } from "./adapter";
import { containsUnknown, show } from "./ids";
import { pathProblem } from "./paths";

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
const MAX_REQUEST_BYTES = 64 * 1024;
const MAX_VALUES = 50;
const MAX_VALUE_LENGTH = 128;
/** Unknown limits are taken to be the common one. */
const RATE_LIMIT = 20;

/** Each input with whether it is required and what is wrong with a value (undefined: nothing). */
const FIELDS: Record<string, { required: boolean; problem: (value: unknown) => string | undefined }> = {
  product: { required: true, problem: (v) => matching(v, PRODUCT, 'a product name such as "cbs" (lower-case letters and digits)') },
  version: { required: true, problem: (v) => matching(v, VERSION, 'an API version such as "2017-03-12"') },
  action: { required: true, problem: (v) => matching(v, ACTION, 'an action name such as "DescribeDisks"') },
  request: { required: false, problem: requestProblem },
  statusPath: { required: true, problem: jmesPathProblem },
  messagePath: { required: false, problem: jmesPathProblem },
  pendingStatuses: { required: true, problem: (v) => statusValuesProblem(v, true) },
  successStatuses: { required: true, problem: (v) => statusValuesProblem(v, true) },
  failureStatuses: { required: false, problem: (v) => statusValuesProblem(v, false) },
};

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
  statusApis: [],
  commandLine: {
    request: { kind: "json" },
    pendingStatuses: { flag: "pending", kind: "list" },
    successStatuses: { flag: "success", kind: "list" },
    failureStatuses: { flag: "failure", kind: "list" },
  },
  parse(raw, region) {
    const failures: InputFailure[] = [];
    const inputs: Record<string, unknown> = {};
    let unknown = false;
    for (const [property, { required, problem }] of Object.entries(FIELDS)) {
      const value = raw[property];
      if (value === undefined || value === null) {
        if (required) failures.push({ property, reason: `required for custom: ${custom.inputs[property]}` });
        continue;
      }
      inputs[property] = value;
      if (containsUnknown(value)) unknown = true;
      else {
        const reason = problem(value);
        if (reason) failures.push({ property, reason });
      }
    }
    if (failures.length > 0 || unknown) return { inputs, failures };

    // Every field has passed its check above.
    const task = raw as unknown as CustomTask;
    const failure = task.failureStatuses ?? [];
    const lists = [task.pendingStatuses, task.successStatuses, failure];
    const twice = lists.flat().find((v, i, all) => all.findIndex((w) => String(w) === String(v)) !== i);
    if (twice !== undefined) return { inputs, failures: [{ property: "successStatuses", reason: `a status value may be in one list only; ${show(String(twice))} is in two` }] };

    const params = task.request ?? {};
    const digest = createHash("sha256").update(JSON.stringify(params)).digest("hex").slice(0, 12);
    const query = statusQuery({
      id: ["custom", region, task.product, task.action, digest].filter((part) => part !== undefined).join("/"),
      ref: { service: "custom", region },
      label: `custom ${task.product} ${task.action}${region ? ` (${region})` : ""}`,
      request: { product: task.product, version: task.version, action: task.action, region, params },
      rateLimit: RATE_LIMIT,
      rule: { status: task.statusPath, pending: task.pendingStatuses, success: task.successStatuses, failure, message: task.messagePath, asText: true },
    });
    return { inputs, failures, query };
  },
};

function matching(value: unknown, pattern: RegExp, form: string): string | undefined {
  return typeof value === "string" && pattern.test(value) ? undefined : `expected ${form}, got ${show(value)}`;
}

function requestProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return `expected a JSON object of the action's parameters, got ${show(value)}`;
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    return "expected a JSON object of the action's parameters (it could not be written as JSON)";
  }
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_REQUEST_BYTES) return `expected at most ${MAX_REQUEST_BYTES / 1024} KB of parameters, got ${bytes} bytes`;
  // JavaScript objects drop or misread this key on the way to the API; refused rather than lost.
  if (hasKey(value, "__proto__")) return 'a parameter named "__proto__" cannot be sent: remove it';
  return undefined;
}

function hasKey(value: unknown, key: string): boolean {
  if (typeof value !== "object" || value === null) return false;
  return (!Array.isArray(value) && Object.hasOwn(value, key)) || Object.values(value).some((item) => hasKey(item, key));
}

/** Refused when written: what an expression costs is bounded (paths.ts); the rest is stopped as it runs. */
function jmesPathProblem(value: unknown): string | undefined {
  const problem = pathProblem(value);
  return problem && `${problem}, got ${show(value)}`;
}

function statusValuesProblem(value: unknown, nonEmpty: boolean): string | undefined {
  const form = `a list of at most ${MAX_VALUES} status values (strings of at most ${MAX_VALUE_LENGTH} characters, numbers or booleans)${nonEmpty ? ", at least one" : ""}`;
  const ok = (v: unknown) => (typeof v === "string" && v.length > 0 && v.length <= MAX_VALUE_LENGTH) || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));
  return !Array.isArray(value) || value.length > MAX_VALUES || (nonEmpty && value.length === 0) || !value.every(ok) ? `expected ${form}, got ${show(value)}` : undefined;
}
