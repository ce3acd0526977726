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

/**
 * What a service's answer may add about its task, each read with its type checked and its size
 * bounded (answers end up in state). The one list of details: `TaskDetails`, `DETAIL_KEYS`, the
 * result, the resource's outputs and the command's JSON all follow from it, so a new detail is
 * written here once and named in the rules that read it.
 */
export const DETAIL_READERS = {
  /** CLB `LoadBalancerIds`: the load balancers the task changed. */
  loadBalancerIds: shortTexts,
  /** The instance: Redis and KeeWiDB `InstanceId`, PostgreSQL `DBInstanceId`, CVM and Lighthouse `InstanceId`. */
  instanceId: shortText,
  /** The kind of task: Redis, KeeWiDB and PostgreSQL `TaskType`, TDSQL-C `TaskType`, AS `ActivityType`. */
  taskType: shortText,
  /** When the task started, as the API writes it. */
  startTime: shortText,
  /** When the task ended, as the API writes it. */
  endTime: shortText,
  /** PostgreSQL `Progress`, 0 to 100. */
  progress: (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined),
  /** CVM and Lighthouse `LatestOperation`, such as `StartInstances`. */
  operation: shortText,
  /** The parts of a task that did not succeed: instances (TAT, AS), URLs (CDN, EdgeOne), resources (SSL). */
  failedItems: shortTexts,
} satisfies Record<string, (value: unknown) => unknown>;

export type DetailKey = keyof typeof DETAIL_READERS;

/** What some services' answers add about the task; each is present only where the answer has it. */
export type TaskDetails = { [K in DetailKey]?: NonNullable<ReturnType<(typeof DETAIL_READERS)[K]>> };

/** The names of the details, in the order results list them. */
export const DETAIL_KEYS = Object.keys(DETAIL_READERS) as readonly DetailKey[];
