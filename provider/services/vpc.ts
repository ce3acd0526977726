import { declareService } from "./adapter";
import { stringId } from "./ids";

/** A VPC wait: the RequestId of an asynchronous VPC call (ENIs, private IPs, HaVips, templates). */
export interface VpcTask {
  service: "vpc";
  taskId: string;
}

export const vpc = declareService<VpcTask>({
  service: "vpc",
  title: "VPC",
  product: "vpc",
  version: "2017-03-12",
  action: "DescribeVpcTaskResult",
  regionRequired: true,
  rateLimit: 20,
  id: stringId({ param: "TaskId", noun: "task", origin: "the RequestId answered by the asynchronous VPC call", example: "0a2d1ef5-a33b-4bd6-9d6f-7d3f2b4c9e01" }),
  rule: { status: "Status", pending: ["RUNNING"], success: ["SUCCESS"], failure: ["FAILED"], message: "Output" },
});
