import { declareService } from "./adapter";
import { stringId } from "./ids";
import { lag } from "./lag";

/** An Auto Scaling wait: the ActivityId answered by ScaleOutInstances, ScaleInInstances, ExecuteScalingPolicy, ... */
export interface AsTask {
  service: "as";
  taskId: string;
}

/** PARTIALLY_SUCCESSFUL is a failure, carrying the instances that failed. */
export const as = declareService<AsTask, string>({
  service: "as",
  title: "Auto Scaling",
  product: "as",
  version: "2018-04-19",
  action: "DescribeAutoScalingActivities",
  regionRequired: true,
  rateLimit: 20,
  id: stringId({ param: "ActivityIds", send: (id) => ({ ActivityIds: [id] }), noun: "activity", origin: "the ActivityId answered by the Auto Scaling call", example: "asa-5l2ejpfo" }),
  list: { path: "ActivitySet", key: "ActivityId", value: (id) => id },
  rule: {
    status: "StatusCode",
    pending: ["INIT", "RUNNING"],
    success: ["SUCCESSFUL"],
    failure: ["FAILED", "PARTIALLY_SUCCESSFUL", "CANCELLED"],
    message: "StatusMessage",
    details: { failedItems: "RelatedInstanceSet[?InstanceStatus=='FAILED'].InstanceId", taskType: "ActivityType", startTime: "StartTime", endTime: "EndTime" },
  },
  unknownId: lag(),
  definitions: {
    fields: ["ActivitySet[].StatusCode"],
    documented: "INIT: initialising; RUNNING; SUCCESSFUL; PARTIALLY_SUCCESSFUL: succeeded in part; FAILED; CANCELLED",
    origins: [
      { action: "ScaleOutInstances", field: "ActivityId" },
      { action: "ScaleInInstances", field: "ActivityId" },
      { action: "ExecuteScalingPolicy", field: "ActivityId" },
      { action: "AttachInstances", field: "ActivityId" },
      { action: "DetachInstances", field: "ActivityId" },
      { action: "RemoveInstances", field: "ActivityId" },
      { action: "StartAutoScalingInstances", field: "ActivityId" },
      { action: "StopAutoScalingInstances", field: "ActivityId" },
    ],
    example: { taskId: "asa-5l2ejpfo" },
  },
});
