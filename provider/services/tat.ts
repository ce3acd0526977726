import { declareService } from "./adapter";
import { stringId } from "./ids";
import { lag } from "./lag";

/** A TAT (TencentCloud Automation Tools) wait: the InvocationId answered by RunCommand or InvokeCommand. */
export interface TatTask {
  service: "tat";
  taskId: string;
}

/** The statuses of an invocation's per-instance tasks (`InvocationTaskBasicInfo.TaskStatus`) that are failures. */
const FAILED_ON_INSTANCE = "['DELIVER_FAILED', 'START_FAILED', 'FAILED', 'TIMEOUT', 'TASK_TIMEOUT', 'CANCELLED', 'TERMINATED']";

/**
 * One invocation runs a command on several instances. PARTIAL_FAILED and PARTIAL_CANCELLED are
 * failures. The message names each instance whose task did not succeed, with its status, from
 * the answer itself; the command's output and exit code would take a DescribeInvocationTasks call
 * per wait, and are left to it.
 */
export const tat = declareService<TatTask, string>({
  service: "tat",
  title: "TAT",
  product: "tat",
  version: "2020-10-28",
  action: "DescribeInvocations",
  regionRequired: true,
  rateLimit: 20,
  id: stringId({ param: "InvocationIds", send: (id) => ({ InvocationIds: [id] }), noun: "invocation", origin: "the InvocationId answered by RunCommand or InvokeCommand", example: "inv-0a1b2c3d" }),
  list: { path: "InvocationSet", key: "InvocationId", value: (id) => id },
  rule: {
    status: "InvocationStatus",
    pending: ["PENDING", "RUNNING", "CANCELLING"],
    success: ["SUCCESS"],
    failure: ["FAILED", "TIMEOUT", "CANCELLED", "PARTIAL_FAILED", "PARTIAL_CANCELLED"],
    message: `join(', ', InvocationTaskBasicInfoSet[?contains(${FAILED_ON_INSTANCE}, TaskStatus)].join(' ', [InstanceId, TaskStatus]))`,
    details: { failedItems: `InvocationTaskBasicInfoSet[?contains(${FAILED_ON_INSTANCE}, TaskStatus)].InstanceId`, startTime: "StartTime", endTime: "EndTime" },
  },
  unknownId: lag(),
  definitions: {
    fields: ["InvocationSet[].InvocationStatus"],
    documented:
      "PENDING: waiting to be sent; RUNNING; CANCELLING; SUCCESS; TIMEOUT; FAILED; CANCELLED: all cancelled; PARTIAL_FAILED: failed in part; PARTIAL_CANCELLED: cancelled in part",
    origins: [
      { action: "RunCommand", field: "InvocationId" },
      { action: "InvokeCommand", field: "InvocationId" },
    ],
    example: { taskId: "inv-0a1b2c3d" },
  },
});
