import type { ServiceAdapter } from "./adapter";
import { as } from "./as";
import { cdb } from "./cdb";
import { cdnPurge } from "./cdnPurge";
import { cdnPush } from "./cdnPush";
import { ckafka } from "./ckafka";
import { clb } from "./clb";
import { custom } from "./custom";
import { cvm } from "./cvm";
import { cynosdb } from "./cynosdb";
import { dcdb } from "./dcdb";
import { eip } from "./eip";
import { gaap } from "./gaap";
import { gwlb } from "./gwlb";
import { keewidb } from "./keewidb";
import { lighthouse } from "./lighthouse";
import { mariadb } from "./mariadb";
import { mongodb } from "./mongodb";
import { postgres } from "./postgres";
import { redis } from "./redis";
import { scf } from "./scf";
import { sqlserver } from "./sqlserver";
import { sslDeploy } from "./sslDeploy";
import { sslUpdate } from "./sslUpdate";
import { tat } from "./tat";
import { teoPrefetch } from "./teoPrefetch";
import { teoPurge } from "./teoPurge";
import { vpc } from "./vpc";

export type { ServiceAdapter, StatusApi, StatusRequest, TaskQuery, UnknownId } from "./adapter";
export { DETAIL_KEYS, DETAILS, type DetailKind, type DetailKey, type TaskDetails } from "./details";
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
  tat,
  as,
  scf,
  gwlb,
  "cdn-purge": cdnPurge,
  "cdn-push": cdnPush,
  "teo-purge": teoPurge,
  "teo-prefetch": teoPrefetch,
  "ssl-deploy": sslDeploy,
  "ssl-update": sslUpdate,
  custom,
} satisfies Record<string, ServiceAdapter<{ service: string }>>;

export type Service = keyof typeof catalogue;

/** The inputs naming a task, per service: the typed part of `TaskCompletionArgs` and `waitForTask`'s options, from the catalogue. */
export type ServiceTask = { [S in Service]: NonNullable<(typeof catalogue)[S]["inputsType"]> }[Service];

export const SERVICES = Object.keys(catalogue) as Service[];

export function adapterFor(service: unknown): ServiceAdapter | undefined {
  return typeof service === "string" && Object.hasOwn(catalogue, service) ? (catalogue[service as Service] as ServiceAdapter) : undefined;
}
