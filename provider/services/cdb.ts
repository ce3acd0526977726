import { declareService } from "./adapter";
import { stringId } from "./ids";
import { lag } from "./lag";

/** A MySQL (CDB) wait: the AsyncRequestId answered by CreateAccounts, ModifyInstanceParam, UpgradeDBInstance, ... */
export interface CdbTask {
  service: "cdb";
  taskId: string;
}

/**
 * `UNDEFINED` is documented as "created, not started: with WaitSwitch it waits for the
 * maintenance window": pending, and the line says so. `PAUSED` is documented as "终止中",
 * terminating: on its way to KILLED, a failure. `Info` is the task's message in either outcome.
 */
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
  // The emulator answers an unknown AsyncRequestId with InvalidParameter; the vendor documents no code for it.
  unknownId: lag("InvalidParameter"),
  definitions: {
    fields: ["Status"],
    documented:
      "INITIAL: initialising; RUNNING; SUCCESS; FAILED; KILLED: terminated; REMOVED: deleted; PAUSED: terminating; " +
      "UNDEFINED: created but not started, with WaitSwitch = true waiting for the maintenance window",
    notValues: ["WaitSwitch", "true"],
    origins: [
      { action: "CreateAccounts", field: "AsyncRequestId" },
      { action: "ModifyInstanceParam", field: "AsyncRequestId" },
      { action: "UpgradeDBInstance", field: "AsyncRequestId" },
      { action: "UpgradeDBInstanceEngineVersion", field: "AsyncRequestId" },
      { action: "RestartDBInstances", field: "AsyncRequestId" },
      { action: "OpenWanService", field: "AsyncRequestId" },
      { action: "ModifyAccountPassword", field: "AsyncRequestId" },
    ],
    example: { taskId: "f2fbe7f4-2f7fd0bf-a9a8cb2c-f2c2f7f4" },
  },
});
