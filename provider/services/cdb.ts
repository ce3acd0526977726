import { declareService } from "./adapter";
import { stringId } from "./ids";

/** A MySQL (CDB) wait: the AsyncRequestId answered by CreateAccounts, ModifyInstanceParam, UpgradeDBInstance, ... */
export interface CdbTask {
  service: "cdb";
  taskId: string;
}

/** `UNDEFINED`: created with WaitSwitch, the task waits for the maintenance window; PAUSED is documented as terminating. */
export const cdb = declareService<CdbTask>({
  service: "cdb",
  title: "MySQL (CDB)",
  product: "cdb",
  version: "2017-03-20",
  action: "DescribeAsyncRequestInfo",
  regionRequired: true,
  rateLimit: 40,
  id: stringId({ param: "AsyncRequestId", noun: "request", origin: "the AsyncRequestId answered by the MySQL call", example: "f2fbe7f4-2f7fd0bf-a9a8cb2c-f2c2f7f4" }),
  rule: {
    status: "Status",
    pending: ["INITIAL", "RUNNING", "UNDEFINED"],
    success: ["SUCCESS"],
    failure: ["FAILED", "KILLED", "REMOVED", "PAUSED"],
    parked: { UNDEFINED: "the maintenance window" },
    message: "Info",
  },
});
