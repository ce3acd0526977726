import { declareService } from "./adapter";
import { idOrDealName, integerId } from "./ids";
import { lag } from "./lag";

/** An EIP wait: the TaskId answered by an EIP call (AllocateAddresses and others answer it as a string), or the order id. */
export type EipTask = { service: "eip"; taskId: number | string } | { service: "eip"; dealName: string };

export const eip = declareService<EipTask>({
  service: "eip",
  title: "EIP (VPC)",
  product: "vpc",
  version: "2017-03-12",
  action: "DescribeTaskResult",
  regionRequired: true,
  rateLimit: 20,
  id: idOrDealName(integerId({ param: "TaskId", noun: "task", origin: "the TaskId answered by the EIP call" })),
  rule: { status: "Result", pending: ["RUNNING"], success: ["SUCCESS"], failure: ["FAILED"] },
  unknownId: lag(),
  definitions: {
    fields: ["Result"],
    documented: '"SUCCESS": the task succeeded, "FAILED": it failed, "RUNNING": it is running',
    // Several answer the TaskId as a string; DescribeTaskResult takes it as an integer. The order id (DealName) is the one the billing console shows.
    origins: [
      { action: "AllocateAddresses", field: "TaskId" },
      { action: "ReleaseAddresses", field: "TaskId" },
      { action: "AssociateAddress", field: "TaskId" },
      { action: "DisassociateAddress", field: "TaskId" },
      { action: "ModifyAddressesBandwidth", field: "TaskId" },
      { action: "TransformAddress", field: "TaskId" },
    ],
    example: { taskId: 4242 },
  },
});
