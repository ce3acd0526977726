import { declareService } from "./adapter";
import { integerId } from "./ids";
import { lag } from "./lag";

/** A Redis wait: the TaskId answered by a Redis call (ModifyInstanceParams, ModifyNetworkConfig, ...). */
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
  // The current API documentation gives Region as required.
  regionRequired: true,
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
  // The emulator answers an unknown TaskId with InvalidParameter.InvalidParameter; the vendor documents no code for it.
  unknownId: lag("InvalidParameter.InvalidParameter"),
  definitions: {
    fields: ["Status"],
    documented: "preparing: to run; running; succeed: succeeded; failed; error: went wrong while running",
    // UpgradeInstance answers only DealId and DealName (an order), no TaskId: it is not a source.
    origins: [
      { action: "ModifyInstanceParams", field: "TaskId" },
      { action: "ModifyNetworkConfig", field: "TaskId" },
      { action: "ModifyConnectionConfig", field: "TaskId" },
      { action: "ResetPassword", field: "TaskId" },
      { action: "ClearInstance", field: "TaskId" },
      { action: "ManualBackupInstance", field: "TaskId" },
    ],
    example: { taskId: 4242 },
  },
});
