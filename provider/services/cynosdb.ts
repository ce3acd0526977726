import { declareService } from "./adapter";
import { integerId } from "./ids";
import { FLOW_STATUS } from "./statusRule";

/** A TDSQL-C (CynosDB) wait: the FlowId answered by a CynosDB call. */
export interface CynosdbTask {
  service: "cynosdb";
  taskId: number | string;
}

export const cynosdb = declareService<CynosdbTask>({
  service: "cynosdb",
  title: "TDSQL-C (CynosDB)",
  product: "cynosdb",
  version: "2019-01-07",
  action: "DescribeFlow",
  regionRequired: true,
  rateLimit: 20,
  id: integerId({ param: "FlowId", noun: "flow", origin: "the FlowId answered by the CynosDB call" }),
  rule: FLOW_STATUS,
});
