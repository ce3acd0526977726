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
  read: AnswerReader;
  /** The service's own success value, as failure and timeout messages name it: "Status 0". */
  wanted: string;
  /** A status value as messages name it: "Status 1", "Result.Status 2". */
  statusValue(rawStatus: StatusValue): string;
  /** How an observation reads in a line: "in progress (Status 2)". */
  statusText(observation: Pick<TaskObservation, "state" | "rawStatus" | "waitingFor">): string;
  /**
   * The API's error codes for an id it does not know, and how long after the wait began that may
   * be read-after-write lag rather than a wrong id: such answers (and a list answer without the
   * task) are retried until then. Absent: not-found is final at once.
   */
  unknownId?: { codes: readonly string[]; graceSeconds: number };
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
  /** For list answers: which entry is the task, and what must hold before its status counts. */
  select?: (ref: Ref) => TaskSelector;
  /** Inputs beyond the id (CVM's `instanceId`): checked by `id.parse`, listed here for help. */
  extraInputs?: Readonly<Record<string, string>>;
}

export function declareService<Inputs extends { service: string }, Ref = unknown>(declaration: ServiceDeclaration<Ref>): ServiceAdapter<Inputs> {
  const { service, product, version, action, regionRequired, rateLimit, id, rule, select } = declaration;
  return {
    service: service as Inputs["service"],
    api: `${declaration.title} ${action} (${version})`,
    inputs: { ...id.inputs, ...declaration.extraInputs },
    regionRequired,
    commandLine: id.commandLine,
    parse(raw, region) {
      const parsed = id.parse(raw, service);
      if (parsed.ref === undefined || parsed.failures.length > 0) return { inputs: parsed.inputs, failures: parsed.failures };
      const ref = parsed.ref;
      const where = regionRequired && region ? ` (${region})` : "";
      const taskRef = id.taskRef(ref);
      const query = statusQuery({
        id: [service, region, taskRef.instanceId, taskRef.taskId ?? taskRef.dealName].filter((part) => part !== undefined).join("/"),
        ref: { service, ...taskRef, region },
        label: `${service} ${id.noun(ref)}${where}`,
        request: { product, version, action, region, params: id.params(ref) },
        rateLimit,
        rule,
        selector: select?.(ref),
      });
      return { inputs: parsed.inputs, failures: [], query };
    },
  };
}

/** A query from its parts: the answer reader, the wanted value and the status wording come from `rule`. */
export function statusQuery(parts: Omit<TaskQuery, "read" | "wanted" | "statusValue" | "statusText"> & { rule: StatusRule; selector?: TaskSelector }): TaskQuery {
  const { rule, selector, ...query } = parts;
  const statusValue = (value: StatusValue) => statusName(rule, value);
  return {
    ...query,
    read: answerReader(query.request.action, rule, selector),
    wanted: rule.success.map(statusValue).join(" or "),
    statusValue,
    statusText: ({ state, rawStatus, waitingFor }) => {
      const value = statusValue(rawStatus);
      if (state !== "pending") return `${state} (${value})`;
      return waitingFor ? `waiting for ${waitingFor} (${value})` : `in progress (${value})`;
    },
  };
}
