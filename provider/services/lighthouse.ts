import { declareService } from "./adapter";
import { latestOperation, type Operation } from "./cvm";

/** A Lighthouse wait: the RequestId of StartInstances, StopInstances, RebootInstances, ResetInstance, ... on one instance. */
export interface LighthouseTask {
  service: "lighthouse";
  taskId: string;
  instanceId: string;
}

/** As CVM: the task is the instance's latest operation. Lighthouse's instances carry no failure message. */
export const lighthouse = declareService<LighthouseTask, Operation>({
  service: "lighthouse",
  title: "Lighthouse",
  product: "lighthouse",
  version: "2020-03-24",
  action: "DescribeInstances",
  regionRequired: true,
  rateLimit: 20,
  ...latestOperation("lhins", "Lighthouse", {
    documented: "the instance's latest operation state: SUCCESS (succeeded), OPERATING (in progress), FAILED (failed)",
    origins: [
      { action: "StartInstances", field: "RequestId" },
      { action: "StopInstances", field: "RequestId" },
      { action: "RebootInstances", field: "RequestId" },
      { action: "ResetInstance", field: "RequestId" },
      { action: "ModifyInstancesBundle", field: "RequestId" },
      { action: "ResetInstancesPassword", field: "RequestId" },
    ],
  }),
});
