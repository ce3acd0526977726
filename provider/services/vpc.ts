import { declareService } from "./adapter";
import { stringId } from "./ids";
import { lag } from "./lag";

/** A VPC wait: the RequestId of an asynchronous VPC call (ENIs, private IPs, HaVips, templates). */
export interface VpcTask {
  service: "vpc";
  taskId: string;
}

export const vpc = declareService<VpcTask>({
  service: "vpc",
  title: "VPC",
  product: "vpc",
  version: "2017-03-12",
  action: "DescribeVpcTaskResult",
  regionRequired: true,
  rateLimit: 20,
  id: stringId({ param: "TaskId", noun: "task", origin: "the RequestId answered by the asynchronous VPC call", example: "0a2d1ef5-a33b-4bd6-9d6f-7d3f2b4c9e01" }),
  rule: { status: "Status", pending: ["RUNNING"], success: ["SUCCESS"], failure: ["FAILED"], message: "Output" },
  unknownId: lag(),
  definitions: {
    fields: ["Status"],
    documented: "the task's result, one of SUCCESS (succeeded), FAILED (failed), RUNNING (running)",
    // Each says it is asynchronous and that DescribeVpcTaskResult reports its outcome.
    origins: [
      { action: "AssignPrivateIpAddresses", field: "RequestId" },
      { action: "UnassignPrivateIpAddresses", field: "RequestId" },
      { action: "CreateNetworkInterface", field: "RequestId" },
      { action: "AttachNetworkInterface", field: "RequestId" },
      { action: "DetachNetworkInterface", field: "RequestId" },
      { action: "DeleteHaVip", field: "RequestId" },
      { action: "MigratePrivateIpAddress", field: "RequestId" },
    ],
    example: { taskId: "0a2d1ef5-a33b-4bd6-9d6f-7d3f2b4c9e01" },
  },
});
