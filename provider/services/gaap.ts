import { declareService } from "./adapter";
import { stringId } from "./ids";
import { lag } from "./lag";

/** A GAAP (global application acceleration) wait: the TaskId answered by a GAAP call. GAAP is not regional. */
export interface GaapTask {
  service: "gaap";
  taskId: string;
}

export const gaap = declareService<GaapTask>({
  service: "gaap",
  title: "GAAP",
  product: "gaap",
  version: "2018-05-29",
  action: "DescribeTaskStatus",
  regionRequired: false,
  rateLimit: 20,
  id: stringId({ param: "TaskId", noun: "task", origin: "the TaskId answered by the GAAP call (OpenSecurityPolicy, CloseSecurityPolicy)", example: "task-0c1d2e3f" }),
  rule: { status: "Status", pending: ["RUNNING"], success: ["SUCCESS"], failure: ["FAIL"] },
  unknownId: lag(),
  definitions: {
    fields: ["Status"],
    documented: "the task's status: RUNNING, FAIL, SUCCESS",
    origins: [
      { action: "OpenSecurityPolicy", field: "TaskId" },
      { action: "CloseSecurityPolicy", field: "TaskId" },
    ],
    example: { taskId: "task-0c1d2e3f" },
  },
});
