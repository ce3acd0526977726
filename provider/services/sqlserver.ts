import { flowService, type FlowTask } from "./flow";

/** A SQL Server wait: the FlowId answered by a SQL Server call. */
export type SqlserverTask = FlowTask<"sqlserver">;

export const sqlserver = flowService({
  service: "sqlserver",
  title: "SQL Server",
  product: "sqlserver",
  version: "2018-03-28",
  action: "DescribeFlowStatus",
  definitions: {
    documented: "the flow's status: 0 succeeded, 1 failed, 2 running",
    origins: [
      { action: "CreateAccount", field: "FlowId" },
      { action: "CreateDB", field: "FlowId" },
      { action: "CreateBackup", field: "FlowId" },
      { action: "RestartDBInstance", field: "FlowId" },
      { action: "ModifyDBInstanceNetwork", field: "FlowId" },
      { action: "RestoreInstance", field: "FlowId" },
    ],
  },
});
