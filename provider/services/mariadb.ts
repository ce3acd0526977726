import { flowService, type FlowTask } from "./flow";

/** A MariaDB wait: the FlowId answered by a MariaDB call. */
export type MariadbTask = FlowTask<"mariadb">;

export const mariadb = flowService({
  service: "mariadb",
  title: "MariaDB",
  product: "mariadb",
  version: "2017-03-12",
  action: "DescribeFlow",
  definitions: {
    documented: "the flow's status: 0 succeeded, 1 failed, 2 running",
    origins: [
      { action: "RestartDBInstances", field: "FlowId" },
      { action: "InitDBInstances", field: "FlowId" },
      { action: "ModifyAccountPrivileges", field: "FlowId" },
      { action: "OpenDBExtranetAccess", field: "FlowId" },
      { action: "ModifyDBSyncMode", field: "FlowId" },
      { action: "SwitchDBInstanceHA", field: "FlowId" },
    ],
  },
});
