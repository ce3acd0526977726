import { declareService } from "./adapter";
import { integerId } from "./ids";
import { lag } from "./lag";

/** A KeeWiDB wait: the TaskId answered by a KeeWiDB call. */
export interface KeewidbTask {
  service: "keewidb";
  taskId: number | string;
}

export const keewidb = declareService<KeewidbTask>({
  service: "keewidb",
  title: "KeeWiDB",
  product: "keewidb",
  version: "2022-03-08",
  action: "DescribeTaskInfo",
  regionRequired: true,
  rateLimit: 20,
  id: integerId({ param: "TaskId", noun: "task", origin: "the TaskId answered by the KeeWiDB call" }),
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
    origins: [
      { action: "ModifyInstanceParams", field: "TaskId" },
      { action: "ModifyNetworkConfig", field: "TaskId" },
      { action: "CreateBackupManually", field: "TaskId" },
      { action: "ResetPassword", field: "TaskId" },
      { action: "ClearInstance", field: "TaskId" },
    ],
    example: { taskId: 4242 },
  },
});
