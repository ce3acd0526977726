import { declareService } from "./adapter";
import { integerId } from "./ids";
import { FLOW_STATUS } from "./statusRule";

/** A TDSQL (DCDB) wait: the FlowId answered by a DCDB call. */
export interface DcdbTask {
  service: "dcdb";
  taskId: number | string;
}

export const dcdb = declareService<DcdbTask>({
  service: "dcdb",
  title: "TDSQL (DCDB)",
  product: "dcdb",
  version: "2018-04-11",
  action: "DescribeFlow",
  regionRequired: true,
  rateLimit: 20,
  id: integerId({ param: "FlowId", noun: "flow", origin: "the FlowId answered by the DCDB call" }),
  rule: FLOW_STATUS,
});
