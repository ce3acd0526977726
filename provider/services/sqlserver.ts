import { declareService } from "./adapter";
import { integerId } from "./ids";
import { FLOW_STATUS } from "./statusRule";

/** A SQL Server wait: the FlowId answered by a SQL Server call. */
export interface SqlserverTask {
  service: "sqlserver";
  taskId: number | string;
}

export const sqlserver = declareService<SqlserverTask>({
  service: "sqlserver",
  title: "SQL Server",
  product: "sqlserver",
  version: "2018-03-28",
  action: "DescribeFlowStatus",
  regionRequired: true,
  rateLimit: 20,
  id: integerId({ param: "FlowId", noun: "flow", origin: "the FlowId answered by the SQL Server call" }),
  rule: FLOW_STATUS,
});
