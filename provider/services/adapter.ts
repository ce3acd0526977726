import type { InputFailure, StatusValue, TaskObservation, TaskRef } from "../task";
import type { IdSpec } from "./ids";
import { answerReader, statusName, type AnswerReader, type StatusRule, type TaskSelector } from "./statusRule";

/** The status call of one task, but for where it goes and with which credentials. */
export interface StatusRequest {
  /** The API's product name: its host (`clb.tencentcloudapi.com`) and signing service. */
  product: string;
  version: string;
  action: string;
  region?: string;
  params: Record<string, unknown>;
}

/**
 * Not-found answers that, right after the asynchronous call, may be the API's read-after-write
 * lag rather than a wrong id: within `graceSeconds` of the wait's start the engine retries an API
 * error with one of `codes` (a code, or a prefix ending in "."), and a reader's `TaskNotFound`;
 * after it the wait ends saying the id was never seen.
 */
export interface UnknownId {
  codes: readonly string[];
  graceSeconds: number;
}

/** Everything the waiter needs to poll one task, built once from the inputs by its service. */
export interface TaskQuery {
  /** Stable for the same task: the resource's id ("clb/ap-guangzhou/55c85074-..."). */
  id: string;
  ref: TaskRef;
  /** How messages name the task: "clb task 55c85074-... (ap-guangzhou)". */
  label: string;
  request: StatusRequest;
  /** The action's documented limit, in requests per second per account. */
  rateLimit: number;
  /** This wait's reader: one query serves one wait (CVM's reader remembers the wait's earlier answers). */
  read: AnswerReader;
  /** The service's own success value, as failure and timeout messages name it: "Status 0". */
  wanted: string;
  /** A status value as messages name it: "Status 1", "Result.Status 2". */
  statusValue(rawStatus: StatusValue): string;
  /** How an observation reads in a line: "in progress (Status 2)". */
  statusText(observation: Pick<TaskObservation, "state" | "rawStatus" | "waitingFor">): string;
  /** Absent: a not-found answer is final at once. */
  unknownId?: UnknownId;
}

/** A service's inputs, checked: the recorded inputs, what is wrong, and the query once nothing is. */
export interface ParsedTask {
  inputs: Record<string, unknown>;
  failures: InputFailure[];
  /** Absent while a value is wrong or still unknown (preview). */
  query?: TaskQuery;
}

/**
 * One Tencent Cloud service's status API, as the rest of the waiter sees it: which inputs name
 * a task, and how to turn them into a query. `Inputs` is the TypeScript shape of those inputs,
 * for the typed arguments of `TaskCompletion` and `waitForTask`.
 */
export interface ServiceAdapter<Inputs extends { service: string } = { service: string }> {
  service: Inputs["service"];
  /** "CLB DescribeTaskStatus (2018-03-17)": for documentation and help. */
  api: string;
  /** The inputs this service takes beyond the common ones, with what each is. */
  inputs: Readonly<Record<string, string>>;
  regionRequired: boolean;
  /** How the command takes inputs that are not plain strings, or are named otherwise than their kebab-case. */
  commandLine?: Readonly<Record<string, CommandLineInput>>;
  parse(raw: Readonly<Record<string, unknown>>, region: string | undefined): ParsedTask;
  /** The status APIs the service polls, with where each fact comes from (none for `custom`). */
  statusApis: readonly StatusApi[];
  /** Never set: carries the inputs' type. */
  readonly inputsType?: Inputs;
}

/**
 * An input on the command line: `--<flag>` (default: the input's name in kebab-case). `task`:
 * each value is a task of its own, as the positional task ids are (`--deal-name`); `list`:
 * repeatable and comma-separated; `json`: a JSON value.
 */
export interface CommandLineInput {
  flag?: string;
  kind?: "task" | "list" | "json";
}

/**
 * Where a service's facts come from in the vendor's definitions (the installed SDK's
 * `*_models.d.ts` and `*_client.d.ts`); `tests/conformance.test.ts` holds each against them.
 */
export interface Definitions {
  /** The status field, below `<action>Response`: "Status", "TaskSet[].Status". Several for a status made of counts. */
  fields: readonly string[];
  /** What the field's doc comment says of its values, in English (empty if it lists none). */
  documented: string;
  /** Words of that doc comment that are not status values ("WaitSwitch" and "true" in CDB's). */
  notValues?: readonly string[];
  /** Values the doc comment does not list, and where they come from (with a link). */
  elsewhere?: { values: readonly StatusValue[]; source: string };
  /** The calls whose answers carry the id, and where: `RequestId`, `TaskId`, `Result.Data.FlowId`. */
  origins: readonly { action: string; field: string }[];
  /** Inputs of a sample task, to check the request against the request's model. */
  example: Readonly<Record<string, unknown>>;
}

/** One status API of a service, as tests and documentation see it. */
export interface StatusApi {
  title: string;
  product: string;
  version: string;
  action: string;
  rule: StatusRule;
  /** For list answers: the list the task's entry is in, and the entry's field holding the task's key. */
  list?: { path: string; key: string };
  /** CVM, Lighthouse: where an entry reports its latest operation's RequestId. */
  operation?: string;
  unknownId: UnknownId;
  definitions: Definitions;
}

/** A service whose status API is described as data, on top of the shared answer reader. */
export interface ServiceDeclaration<Ref> {
  service: string;
  /** How documentation names the product: "CLB", "MySQL (CDB)". */
  title: string;
  product: string;
  version: string;
  action: string;
  regionRequired: boolean;
  /** Documented requests per second of `action` per account. */
  rateLimit: number;
  id: IdSpec<Ref>;
  rule: StatusRule;
  /** For list answers: the list, the entry's field holding the task's key, and the key. */
  list?: { path: string; key: string; value: (ref: Ref) => string | number };
  /** CVM, Lighthouse: the entry is the task while it reports our operation as its latest. */
  operation?: { path: string; name: string; requestId: (ref: Ref) => string };
  /** Inputs beyond the id (CVM's `instanceId`): checked by `id.parse`, listed here for help. */
  extraInputs?: Readonly<Record<string, string>>;
  unknownId: UnknownId;
  definitions: Definitions;
}

export function declareService<Inputs extends { service: string }, Ref = unknown>(declaration: ServiceDeclaration<Ref>): ServiceAdapter<Inputs> {
  const { service, product, version, action, regionRequired, rateLimit, id, rule, list, operation, unknownId } = declaration;
  return {
    service: service as Inputs["service"],
    api: `${declaration.title} ${action} (${version})`,
    inputs: { ...id.inputs, ...declaration.extraInputs },
    regionRequired,
    commandLine: id.commandLine,
    statusApis: [statusApiOf(declaration)],
    parse(raw, region) {
      const parsed = id.parse(raw, service);
      if (parsed.ref === undefined || parsed.failures.length > 0) return { inputs: parsed.inputs, failures: parsed.failures };
      const ref = parsed.ref;
      const where = regionRequired && region ? ` (${region})` : "";
      const taskRef = id.taskRef(ref);
      const selector: TaskSelector = {};
      if (list) selector.entry = `${list.path}[?${list.key}==${literal(list.value(ref))}] | [0]`;
      if (operation) selector.operation = { path: operation.path, name: operation.name, requestId: operation.requestId(ref) };
      const query = statusQuery({
        id: [service, region, taskRef.instanceId, taskRef.taskId ?? taskRef.dealName].filter((part) => part !== undefined).join("/"),
        ref: { service, ...taskRef, region },
        label: `${service} ${id.noun(ref)}${where}`,
        request: { product, version, action, region, params: id.params(ref) },
        rateLimit,
        rule,
        selector,
        unknownId,
      });
      return { inputs: parsed.inputs, failures: [], query };
    },
  };
}

/** A key as a JMESPath literal: ids are checked against ID_PATTERN, so a string holds no quote. */
function literal(value: string | number): string {
  return typeof value === "number" ? `\`${value}\`` : `'${value}'`;
}

function statusApiOf<Ref>(declaration: ServiceDeclaration<Ref>): StatusApi {
  const { title, product, version, action, rule, list, operation, unknownId, definitions } = declaration;
  return { title, product, version, action, rule, list: list && { path: list.path, key: list.key }, operation: operation?.path, unknownId, definitions };
}

/**
 * A service whose task is named by one of several inputs, each polled its own way (TDSQL-C: a
 * `flowId` by DescribeFlow, a `taskId` by DescribeTasks): exactly one of them is given.
 */
export function declareVariants<Inputs extends { service: string }>(service: Inputs["service"], variants: readonly { input: string; adapter: ServiceAdapter }[]): ServiceAdapter<Inputs> {
  const names = variants.map((v) => v.input);
  const either = names.join(" or ");
  const given = (raw: Readonly<Record<string, unknown>>) => variants.filter((v) => raw[v.input] !== undefined && raw[v.input] !== null);
  return {
    service,
    api: [...new Set(variants.map((v) => v.adapter.api))].join("; "),
    inputs: Object.assign({}, ...variants.map((v) => v.adapter.inputs)),
    regionRequired: variants.some((v) => v.adapter.regionRequired),
    commandLine: Object.assign({}, ...variants.map((v) => v.adapter.commandLine)),
    statusApis: [...new Set(variants.flatMap((v) => v.adapter.statusApis))],
    parse(raw, region) {
      const chosen = given(raw);
      if (chosen.length === 1) {
        const others = new Set(names.filter((name) => name !== chosen[0].input));
        return chosen[0].adapter.parse(Object.fromEntries(Object.entries(raw).filter(([key]) => !others.has(key))), region);
      }
      if (chosen.length > 1) return { inputs: {}, failures: [{ property: chosen[1].input, reason: `give exactly one of ${either} for ${service}, not both` }] };
      const reasons = variants.map((v) => `${v.input}: ${v.adapter.inputs[v.input]}`).join("; ");
      return { inputs: {}, failures: [{ property: names[0], reason: `required for ${service}: ${either} (${reasons})` }] };
    },
  };
}

/** A query from its parts: the answer reader, the wanted value and the status wording come from `rule`. */
export function statusQuery(parts: Omit<TaskQuery, "read" | "wanted" | "statusValue" | "statusText"> & { rule: StatusRule; selector?: TaskSelector }): TaskQuery {
  const { rule, selector, ...query } = parts;
  const statusValue = (value: StatusValue) => statusName(rule, value);
  const wanted = rule.success.map(statusValue).join(" or ");
  return {
    ...query,
    read: answerReader(query.request.action, rule, selector),
    wanted: rule.parts === undefined ? wanted : `${wanted} for every part`,
    statusValue,
    statusText: ({ state, rawStatus, waitingFor }) => {
      const value = statusValue(rawStatus);
      if (state !== "pending") return `${state} (${value})`;
      return waitingFor ? `waiting for ${waitingFor} (${value})` : `in progress (${value})`;
    },
  };
}
