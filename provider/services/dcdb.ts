import { flowService, type FlowTask } from "./flow";

/** A TDSQL (DCDB) wait: the FlowId answered by a DCDB call. */
export type DcdbTask = FlowTask<"dcdb">;

export const dcdb = flowService({
  service: "dcdb",
  title: "TDSQL (DCDB)",
  product: "dcdb",
  version: "2018-04-11",
  action: "DescribeFlow",
  definitions: {
    documented: "the flow's status: 0 succeeded, 1 failed, 2 running",
    origins: [
      { action: "ModifyDBSyncMode", field: "FlowId" },
      { action: "ModifyAccountPrivileges", field: "FlowId" },
      { action: "OpenDBExtranetAccess", field: "FlowId" },
      { action: "SwitchDBInstanceHA", field: "FlowId" },
      { action: "DestroyDCDBInstance", field: "FlowId" },
    ],
  },
});
