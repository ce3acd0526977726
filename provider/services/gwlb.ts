import { declareService } from "./adapter";
import { stringId } from "./ids";
import { lag } from "./lag";

/** A GWLB (gateway load balancer) wait: the RequestId of an asynchronous GWLB call. */
export interface GwlbTask {
  service: "gwlb";
  taskId: string;
}

export const gwlb = declareService<GwlbTask>({
  service: "gwlb",
  title: "GWLB",
  product: "gwlb",
  version: "2024-09-06",
  action: "DescribeTaskStatus",
  regionRequired: true,
  rateLimit: 20,
  id: stringId({ param: "TaskId", noun: "task", origin: "the RequestId answered by the asynchronous GWLB call", example: "6d1a0b2c-9e8f-4a7b-8c6d-5e4f3a2b1c0d" }),
  rule: { status: "Status", pending: [2], success: [0], failure: [1], message: "Message", details: { loadBalancerIds: "LoadBalancerIds" } },
  // What the emulator answers for an unknown record; the vendor documents no code for it.
  unknownId: lag("InvalidParameter"),
  definitions: {
    fields: ["Status"],
    documented: "the task's current status: 0 succeeded, 1 failed, 2 in progress",
    // Each says: "an asynchronous API; call DescribeTaskStatus with the RequestId it answered".
    origins: [
      { action: "CreateGatewayLoadBalancer", field: "RequestId" },
      { action: "DeleteGatewayLoadBalancer", field: "RequestId" },
      { action: "AssociateTargetGroups", field: "RequestId" },
      { action: "DisassociateTargetGroups", field: "RequestId" },
    ],
    example: { taskId: "6d1a0b2c-9e8f-4a7b-8c6d-5e4f3a2b1c0d" },
  },
});
