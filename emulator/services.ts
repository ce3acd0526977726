import { COMPUTE_SERVICES } from "./computeServices";
import { CONTENT_SERVICES } from "./contentServices";
import { DATABASE_SERVICES } from "./databaseServices";
import { NETWORK_SERVICES } from "./networkServices";
import { bindService, type ActionContext, type ServiceContext, type ServiceEntry } from "./serviceEntry";

export { idSpaceOf, type ActionContext, type ActionDefinition, type IdSpace, type ServiceContext, type ServiceEntry } from "./serviceEntry";

/** Every service the emulator serves, by the name the waiter's `service` input gives it. */
export const SERVICE_NAMES = [
  "clb",
  "redis",
  "keewidb",
  "cdb",
  "mongodb",
  "postgres",
  "sqlserver",
  "mariadb",
  "dcdb",
  "cynosdb",
  "vpc",
  "gaap",
  "ckafka",
  "eip",
  "cvm",
  "lighthouse",
  "tat",
  "as",
  "scf",
  "gwlb",
  "cdn-purge",
  "cdn-push",
  "teo-purge",
  "teo-prefetch",
  "ssl-deploy",
  "ssl-update",
] as const;
export type EmulatedService = (typeof SERVICE_NAMES)[number];

/**
 * The service table: each service's API (product, version, region), its id spaces and their
 * status values, the details its tasks carry, and its actions. Everything the emulator knows of a
 * service is in its entry; nothing else branches on a service's name.
 */
export const SERVICE_TABLE = { ...DATABASE_SERVICES, ...NETWORK_SERVICES, ...COMPUTE_SERVICES, ...CONTENT_SERVICES } satisfies Record<EmulatedService, ServiceEntry>;

/** The type of a service's task ids: a number where they are integers, else a string. */
export type EmulatedTaskId<S extends EmulatedService> = S extends unknown ? ((typeof SERVICE_TABLE)[S]["ids"] extends "integer" ? number : string) : never;

/** Binds a request's context to a service of the table and one of its id spaces (default its first). */
export function serviceContext(service: EmulatedService, idSpace: string | undefined, context: ActionContext): ServiceContext {
  return bindService(service, SERVICE_TABLE[service], idSpace, context);
}
