import { declareService } from "./adapter";
import { integerId } from "./ids";
import { FLOW_STATUS } from "./statusRule";

/** A MariaDB wait: the FlowId answered by a MariaDB call. */
export interface MariadbTask {
  service: "mariadb";
  taskId: number | string;
}

export const mariadb = declareService<MariadbTask>({
  service: "mariadb",
  title: "MariaDB",
  product: "mariadb",
  version: "2017-03-12",
  action: "DescribeFlow",
  regionRequired: true,
  rateLimit: 20,
  id: integerId({ param: "FlowId", noun: "flow", origin: "the FlowId answered by the MariaDB call" }),
  rule: FLOW_STATUS,
});
