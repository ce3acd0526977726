import { declareService } from "./adapter";
import { idOrDealName, stringId } from "./ids";
import { lag } from "./lag";

/** A CLB wait: the RequestId of any asynchronous CLB call (listeners, rules, real servers), or its order id. */
export type ClbTask = { service: "clb"; taskId: string } | { service: "clb"; dealName: string };

export const clb = declareService<ClbTask>({
  service: "clb",
  title: "CLB",
  product: "clb",
  version: "2018-03-17",
  action: "DescribeTaskStatus",
  regionRequired: true,
  rateLimit: 20,
  id: idOrDealName(
    stringId({ param: "TaskId", noun: "task", origin: "the RequestId string answered by the CLB call", example: "55c85074-3e7f-4c6d-864f-673660d4f8de" }),
  ),
  rule: { status: "Status", pending: [2], success: [0], failure: [1], message: "Message", details: { loadBalancerIds: "LoadBalancerIds" } },
  // The emulator answers an unknown TaskId with InvalidParameter; the vendor documents no code for it.
  unknownId: lag("InvalidParameter"),
  definitions: {
    fields: ["Status"],
    documented: "the task's current status: 0 succeeded, 1 failed, 2 in progress",
    origins: [
      // Each of these says: "an asynchronous API; call DescribeTaskStatus with the RequestId it answered".
      { action: "CreateListener", field: "RequestId" },
      { action: "DeleteListener", field: "RequestId" },
      { action: "ModifyListener", field: "RequestId" },
      { action: "CreateRule", field: "RequestId" },
      { action: "RegisterTargets", field: "RequestId" },
      { action: "DeregisterTargets", field: "RequestId" },
      { action: "CreateLoadBalancer", field: "DealName" },
    ],
    example: { taskId: "55c85074-3e7f-4c6d-864f-673660d4f8de" },
  },
});
