import { cut } from "../text";

/** Ids, names and times are short; a longer value is not one of them and is cut. */
const MAX_SHORT_TEXT = 128;
/** A task touches a handful of resources; a list longer than this is cut. */
const MAX_LIST = 100;

const shortText = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? cut(value, MAX_SHORT_TEXT) : undefined);
const shortTexts = (value: unknown): string[] | undefined =>
  Array.isArray(value)
    ? value
        .filter((item): item is string => typeof item === "string" && item !== "")
        .slice(0, MAX_LIST)
        .map((item) => cut(item, MAX_SHORT_TEXT))
    : undefined;

/** How a detail is typed where it is declared (the plugin's schema, the SDK's outputs). */
export type DetailKind = "text" | "texts" | "number";

const text = (description: string) => ({ kind: "text" as const, description, read: shortText });
const texts = (description: string) => ({ kind: "texts" as const, description, read: shortTexts });

/**
 * What a service's answer may add about its task, each read with its type checked and its size
 * bounded (answers end up in state), with what it is for users. The one list of details:
 * `TaskDetails`, `DETAIL_KEYS`, the result, the resource's outputs, the plugin's schema and the
 * command's JSON all follow from it, so a new detail is written here once and named in the rules
 * that read it.
 */
export const DETAILS = {
  loadBalancerIds: texts("CLB `LoadBalancerIds`: the load balancers the task changed."),
  instanceId: text("The instance: Redis and KeeWiDB `InstanceId`, PostgreSQL `DBInstanceId`, CVM and Lighthouse `InstanceId`."),
  taskType: text("The kind of task: Redis, KeeWiDB, PostgreSQL and TDSQL-C `TaskType`, AS `ActivityType`."),
  startTime: text("When the task started, as the API writes it."),
  endTime: text("When the task ended, as the API writes it."),
  progress: {
    kind: "number" as const,
    description: "PostgreSQL `Progress`: 0 to 100.",
    read: (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined),
  },
  operation: text("CVM and Lighthouse `LatestOperation`: the instance's latest operation, such as `StartInstances`."),
  failedItems: texts("The parts of a task that did not succeed, for a partial failure: instances (TAT, AS), URLs (CDN, EdgeOne), resources (SSL)."),
} satisfies Record<string, { kind: DetailKind; description: string; read: (value: unknown) => unknown }>;

export type DetailKey = keyof typeof DETAILS;

/** What some services' answers add about the task; each is present only where the answer has it. */
export type TaskDetails = { [K in DetailKey]?: NonNullable<ReturnType<(typeof DETAILS)[K]["read"]>> };

/** The names of the details, in the order results list them. */
export const DETAIL_KEYS = Object.keys(DETAILS) as readonly DetailKey[];
