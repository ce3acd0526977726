import type { TaskDetails } from "../task";
import type { ServiceAdapter } from "./adapter";
import { cdb, type CdbTask } from "./cdb";
import { ckafka, type CkafkaTask } from "./ckafka";
import { clb, type ClbTask } from "./clb";
import { custom, type CustomTask } from "./custom";
import { cvm, type CvmTask } from "./cvm";
import { cynosdb, type CynosdbTask } from "./cynosdb";
import { dcdb, type DcdbTask } from "./dcdb";
import { eip, type EipTask } from "./eip";
import { gaap, type GaapTask } from "./gaap";
import { keewidb, type KeewidbTask } from "./keewidb";
import { lighthouse, type LighthouseTask } from "./lighthouse";
import { mariadb, type MariadbTask } from "./mariadb";
import { mongodb, type MongodbTask } from "./mongodb";
import { postgres, type PostgresTask } from "./postgres";
import { redis, type RedisTask } from "./redis";
import { sqlserver, type SqlserverTask } from "./sqlserver";
import { vpc, type VpcTask } from "./vpc";

export type { ServiceAdapter, StatusRequest, TaskQuery } from "./adapter";
export { UNKNOWN } from "./ids";

/** Every service a wait can name, by its `service` input. The only place that lists them. */
export const catalogue = {
  clb,
  redis,
  keewidb,
  cdb,
  mongodb,
  postgres,
  sqlserver,
  mariadb,
  dcdb,
  cynosdb,
  vpc,
  gaap,
  ckafka,
  eip,
  cvm,
  lighthouse,
  custom,
} satisfies Record<string, ServiceAdapter<{ service: string }>>;

export type Service = keyof typeof catalogue;

/** The inputs naming a task, per service: the typed part of `TaskCompletionArgs` and `waitForTask`'s options. */
export type ServiceTask =
  | ClbTask
  | RedisTask
  | KeewidbTask
  | CdbTask
  | MongodbTask
  | PostgresTask
  | SqlserverTask
  | MariadbTask
  | DcdbTask
  | CynosdbTask
  | VpcTask
  | GaapTask
  | CkafkaTask
  | EipTask
  | CvmTask
  | LighthouseTask
  | CustomTask;

export const SERVICES = Object.keys(catalogue) as Service[];

/** What the services' answers add about a task, as outputs name them. */
export const DETAIL_KEYS = ["loadBalancerIds", "instanceId", "taskType", "startTime", "endTime", "progress", "operation"] as const satisfies readonly (keyof TaskDetails)[];

export function adapterFor(service: unknown): ServiceAdapter | undefined {
  return typeof service === "string" && Object.hasOwn(catalogue, service) ? (catalogue[service as Service] as ServiceAdapter) : undefined;
}
