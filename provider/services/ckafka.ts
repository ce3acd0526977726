import { declareService } from "./adapter";
import { integerId } from "./ids";

/** A CKafka wait: the `Result.Data.FlowId` answered by a CKafka call (CreateInstancePre's is always 0: unusable). */
export interface CkafkaTask {
  service: "ckafka";
  taskId: number | string;
}

export const ckafka = declareService<CkafkaTask>({
  service: "ckafka",
  title: "CKafka",
  product: "ckafka",
  version: "2019-08-19",
  action: "DescribeTaskStatus",
  regionRequired: true,
  rateLimit: 20,
  id: integerId({ param: "FlowId", noun: "flow", origin: "the Result.Data.FlowId answered by the CKafka call" }),
  rule: { status: "Result.Status", pending: [2], success: [0], failure: [1], message: "Result.Output" },
});
