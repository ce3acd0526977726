import { declareService } from "./adapter";
import { integerId } from "./ids";

/** A Redis wait: the TaskId answered by a Redis call (ModifyInstanceParams, UpgradeInstance, ...). */
export interface RedisTask {
  service: "redis";
  taskId: number | string;
}

/** Status values compared ignoring case: one version of the documentation writes `Error`. */
export const redis = declareService<RedisTask>({
  service: "redis",
  title: "Redis",
  product: "redis",
  version: "2018-04-12",
  action: "DescribeTaskInfo",
  regionRequired: false,
  rateLimit: 20,
  id: integerId({ param: "TaskId", noun: "task", origin: "the TaskId answered by the Redis call" }),
  rule: {
    status: "Status",
    pending: ["preparing", "running"],
    success: ["succeed"],
    failure: ["failed", "error"],
    ignoreCase: true,
    message: "TaskMessage",
    details: { instanceId: "InstanceId", taskType: "TaskType", startTime: "StartTime" },
  },
});
