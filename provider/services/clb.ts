import { declareService } from "./adapter";
import { idOrDealName, stringId } from "./ids";

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
});
