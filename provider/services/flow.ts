import { declareService, type Definitions, type ServiceAdapter } from "./adapter";
import { eitherInput, integerId } from "./ids";
import { lag } from "./lag";
import { FLOW_STATUS } from "./statusRule";

/** A task named by the FlowId a call answered, as `taskId` or `flowId`. */
export type FlowTask<Service extends string> = { service: Service; taskId: number | string } | { service: Service; flowId: number | string };

/**
 * The flow APIs of several database services (SQL Server, MariaDB, TDSQL, CKafka): an integer
 * FlowId, polled by an action whose `Status` is 0 succeeded, 1 failed, 2 running.
 */
export function flowService<Service extends string>(service: {
  service: Service;
  title: string;
  product: string;
  version: string;
  action: string;
  /** Where the answer holds the status and the message, if not in `Status` alone. */
  status?: string;
  message?: string;
  definitions: Omit<Definitions, "example" | "fields"> & { fields?: readonly string[] };
}): ServiceAdapter<FlowTask<Service>> {
  const origin = `the FlowId answered by the ${service.title} call`;
  const id = (input: string) => Object.assign(integerId({ input, param: "FlowId", noun: "flow", origin }), { key: input });
  return declareService<FlowTask<Service>, number>({
    service: service.service,
    title: service.title,
    product: service.product,
    version: service.version,
    action: service.action,
    regionRequired: true,
    rateLimit: 20,
    id: eitherInput(id("flowId"), id("taskId")),
    rule: { ...FLOW_STATUS, status: service.status ?? FLOW_STATUS.status, message: service.message },
    unknownId: lag(),
    definitions: { fields: [service.status ?? "Status"], example: { flowId: 4242 }, ...service.definitions },
  });
}
