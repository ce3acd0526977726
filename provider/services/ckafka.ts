import { flowService, type FlowTask } from "./flow";

/** A CKafka wait: the `Result.Data.FlowId` answered by a CKafka call (CreateInstancePre's is documented as always 0: unusable). */
export type CkafkaTask = FlowTask<"ckafka">;

export const ckafka = flowService({
  service: "ckafka",
  title: "CKafka",
  product: "ckafka",
  version: "2019-08-19",
  action: "DescribeTaskStatus",
  status: "Result.Status",
  message: "Result.Output",
  definitions: {
    documented: "the task's status: 0 succeeded, 1 failed, 2 in progress",
    origins: [
      { action: "ModifyInstanceAttributes", field: "Result.Data.FlowId" },
      { action: "DeleteTopic", field: "Result.Data.FlowId" },
      { action: "ModifyTopicAttributes", field: "Result.Data.FlowId" },
      { action: "CreatePartition", field: "Result.Data.FlowId" },
      { action: "CreateAcl", field: "Result.Data.FlowId" },
      { action: "UpgradeBrokerVersion", field: "Result.Data.FlowId" },
    ],
  },
});
