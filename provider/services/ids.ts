import type { InputFailure, TaskRef } from "../task";
import type { CommandLineInput } from "./adapter";

/** Pulumi passes this string for values not known yet during preview; they are checked at `up`. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** How a service's task is named in the inputs and in the status request. */
export interface IdSpec<Ref> {
  /** The inputs that name the task, with what each is. */
  inputs: Readonly<Record<string, string>>;
  /** How the command takes them, where not as one plain string each. */
  commandLine?: Readonly<Record<string, CommandLineInput>>;
  /** Raw inputs to a typed reference; no `ref` while a value is unknown (preview) or wrong. */
  parse(raw: Readonly<Record<string, unknown>>, service: string): IdParse<Ref>;
  /** The status request's parameters naming the task. */
  params(ref: Ref): Record<string, unknown>;
  /** How results and errors report the task. */
  taskRef(ref: Ref): Pick<TaskRef, "taskId" | "dealName" | "instanceId">;
  /** "task 55c85074-...", "flow 2871", "deal 20191122000001". */
  noun(ref: Ref): string;
}

export interface IdParse<Ref> {
  /** The inputs as the resource records them (a numeric string taskId becomes a number). */
  inputs: Record<string, unknown>;
  failures: InputFailure[];
  ref?: Ref;
}

/** What every id is checked against: no spaces, quotes or control characters, and a bounded length. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

interface IdDescription<Id> {
  /** The input naming the task: `taskId` unless said otherwise (`flowId`). */
  input?: string;
  /** The status request's parameter: `TaskId`, `FlowId`, `AsyncRequestId`. */
  param: string;
  /** The status request's parameters, where they are not just `{ [param]: id }` (a list, a filter, a page size). */
  send?: (id: Id) => Record<string, unknown>;
  /** How messages name the task: "task", "flow", "request". */
  noun: string;
  /** Where the id comes from, for errors and docs: "the RequestId answered by the CLB call". */
  origin: string;
}

/** An integer id (Redis TaskId, SQL Server FlowId, ...), given as a number or a numeric string. */
export function integerId({ input = "taskId", param, send, noun, origin }: IdDescription<number>): IdSpec<number> {
  return {
    inputs: { [input]: `${origin} (an integer; a numeric string is accepted)` },
    commandLine: input === "taskId" ? undefined : { [input]: { kind: "task" } },
    parse(raw, service) {
      const inputs: Record<string, unknown> = {};
      const failures: InputFailure[] = [];
      const value = raw[input];
      if (value === undefined || value === null) {
        failures.push({ property: input, reason: `required for ${service}: ${origin}` });
        return { inputs, failures };
      }
      if (value === UNKNOWN) return { inputs: { [input]: value }, failures };
      const id = positiveInteger(value);
      if (id === undefined) {
        failures.push({ property: input, reason: `expected a positive integer (a number or a numeric string) for ${service}: ${origin}, got ${show(value)}` });
        return { inputs, failures };
      }
      return { inputs: { [input]: id }, failures, ref: id };
    },
    params: send ?? ((id) => ({ [param]: id })),
    taskRef: (id) => ({ taskId: id }),
    noun: (id) => `${noun} ${id}`,
  };
}

/** A string id (a RequestId, an AsyncRequestId). With `numbers`, a number is accepted and sent as a string. */
export function stringId({ input = "taskId", param, send, noun, origin, example, numbers = false }: IdDescription<string> & { example: string; numbers?: boolean }): IdSpec<string> {
  const form = `${origin}, such as ${JSON.stringify(example)}`;
  return {
    inputs: { [input]: `${origin} (a string${numbers ? "; a number is sent as a string" : ""})` },
    commandLine: input === "taskId" ? undefined : { [input]: { kind: "task" } },
    parse(raw, service) {
      const inputs: Record<string, unknown> = {};
      const failures: InputFailure[] = [];
      const value = raw[input];
      if (value === undefined || value === null) {
        failures.push({ property: input, reason: `required for ${service}: ${form}` });
        return { inputs, failures };
      }
      if (value === UNKNOWN) return { inputs: { [input]: value }, failures };
      const id = numbers && typeof value === "number" ? positiveInteger(value)?.toString() : value;
      if (typeof id !== "string" || !ID_PATTERN.test(id)) {
        failures.push({ property: input, reason: `expected ${form} (letters, digits, "-" and "_", at most 128), got ${show(value)}` });
        return { inputs, failures };
      }
      return { inputs: { [input]: value }, failures, ref: id };
    },
    params: send ?? ((id) => ({ [param]: id })),
    taskRef: (id) => ({ taskId: id }),
    noun: (id) => `${noun} ${id}`,
  };
}

export type IdOrDeal<Ref> = { id: Ref } | { dealName: string };

/** CLB and EIP: a task is named by its id or, instead, by the order (`DealName`) that started it. */
export function idOrDealName<Ref>(id: IdSpec<Ref>): IdSpec<IdOrDeal<Ref>> {
  return {
    inputs: { ...id.inputs, dealName: "the order id (DealName), instead of taskId" },
    commandLine: { dealName: { kind: "task" } },
    parse(raw, service) {
      const hasId = raw.taskId !== undefined && raw.taskId !== null;
      const hasDeal = raw.dealName !== undefined && raw.dealName !== null;
      if (hasId && hasDeal) {
        const both = { property: "dealName", reason: `give either taskId or dealName for ${service}, not both` };
        return { inputs: {}, failures: [both, ...id.parse(raw, service).failures] };
      }
      if (!hasDeal) {
        const parsed = id.parse(raw, service);
        const failures = parsed.failures.map((f) => (hasId ? f : { ...f, reason: `${f.reason} (or give dealName)` }));
        return { inputs: parsed.inputs, failures, ref: parsed.ref === undefined ? undefined : { id: parsed.ref } };
      }
      const dealName = raw.dealName;
      if (dealName === UNKNOWN) return { inputs: { dealName }, failures: [] };
      if (typeof dealName !== "string" || !ID_PATTERN.test(dealName)) {
        const reason = `expected a non-empty order id of letters, digits, "-" and "_" (at most 128, no spaces), got ${show(dealName)}`;
        return { inputs: {}, failures: [{ property: "dealName", reason }] };
      }
      return { inputs: { dealName }, failures: [], ref: { dealName } };
    },
    params: (ref) => ("id" in ref ? id.params(ref.id) : { DealName: ref.dealName }),
    taskRef: (ref) => ("id" in ref ? id.taskRef(ref.id) : { dealName: ref.dealName }),
    noun: (ref) => ("id" in ref ? id.noun(ref.id) : `deal ${ref.dealName}`),
  };
}

/**
 * An id that may be given under either of two inputs, sent the same way: services whose ids the
 * API calls `FlowId` take `flowId` as well as `taskId`. Exactly one is given.
 */
export function eitherInput<Ref>(first: IdSpec<Ref> & { key: string }, second: IdSpec<Ref> & { key: string }): IdSpec<Ref> {
  return {
    inputs: { ...first.inputs, ...second.inputs },
    commandLine: { ...first.commandLine, ...second.commandLine },
    parse(raw, service) {
      const given = [first, second].filter((spec) => raw[spec.key] !== undefined && raw[spec.key] !== null);
      if (given.length === 2) return { inputs: {}, failures: [{ property: second.key, reason: `give either ${first.key} or ${second.key} for ${service}, not both` }] };
      return (given[0] ?? second).parse(raw, service);
    },
    params: first.params,
    taskRef: first.taskRef,
    noun: first.noun,
  };
}

/** A task named by an id and a required second input (CVM: the RequestId and the instance; EdgeOne: the job and the site). */
export interface WithInput<Ref> {
  id: Ref;
  extra: string;
}

/**
 * `id` plus the required string input `input` (checked against `pattern` and ID_PATTERN); `send`
 * builds the status request's parameters from both.
 */
export function withInput<Ref>(
  id: IdSpec<Ref>,
  input: { name: string; description: string; pattern: RegExp; example: string },
  send: (ref: WithInput<Ref>) => Record<string, unknown>,
): IdSpec<WithInput<Ref>> {
  const form = `${input.description}, such as ${JSON.stringify(input.example)}`;
  return {
    inputs: { ...id.inputs, [input.name]: form },
    commandLine: id.commandLine,
    parse(raw, service) {
      const parsed = id.parse(raw, service);
      const failures: InputFailure[] = [...parsed.failures];
      const value = raw[input.name];
      if (value === undefined || value === null) failures.push({ property: input.name, reason: `required for ${service}: ${form}` });
      else if (value !== UNKNOWN && (typeof value !== "string" || !input.pattern.test(value) || !ID_PATTERN.test(value))) {
        failures.push({ property: input.name, reason: `expected ${form}, got ${show(value)}` });
      }
      const inputs = { ...parsed.inputs, ...(failures.some((f) => f.property === input.name) ? {} : { [input.name]: value }) };
      if (parsed.ref === undefined || failures.length > 0 || value === UNKNOWN) return { inputs, failures };
      return { inputs, failures, ref: { id: parsed.ref, extra: value as string } };
    },
    params: send,
    taskRef: (ref) => id.taskRef(ref.id),
    noun: (ref) => id.noun(ref.id),
  };
}

function positiveInteger(value: unknown): number | undefined {
  const text = typeof value === "number" ? String(value) : value;
  if (typeof text !== "string" || !/^[1-9][0-9]{0,15}$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * A value as an error message quotes it. Whole: whoever lets the message out scrubs it of
 * secrets first and cuts it after, so that a cut never leaves part of a pasted key behind.
 */
export function show(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return `a value of type ${typeof value}`;
  }
}

/** Whether a value is, or holds, a value not known yet (preview). */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsUnknown);
  return false;
}
