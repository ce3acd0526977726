import { declareService, type Definitions, type ServiceDeclaration, type UnknownId } from "./adapter";
import { stringId, withInput, type WithInput } from "./ids";
import { lag } from "./lag";

/** A CVM wait: the RequestId of StartInstances, StopInstances, RebootInstances, ResetInstance, ... on one instance. */
export interface CvmTask {
  service: "cvm";
  taskId: string;
  instanceId: string;
}

/** A task that is an instance's latest operation: its RequestId, and the instance. */
export type Operation = WithInput<string>;

/**
 * An instance reports only its latest operation (`LatestOperationRequestId`, "the unique request
 * id of the instance's latest operation"), so a wait on one operation reads it while it is the
 * latest, and stops as soon as it is not (statusRule.ts, `checkOperation`): replaced once
 * another appears, never a success. Before ours first appears the instance may still report an
 * older one; ours is given this long to appear, since an instance updates its latest operation
 * only once the call is taken up; longer than other services' lag.
 */
const OPERATION_GRACE: UnknownId = { ...lag(), graceSeconds: 30 };

/**
 * The declaration of a service whose task is an instance's latest operation, named by the
 * RequestId of the call that started it (CVM, Lighthouse): `prefix` is the instance ids' ("ins").
 */
export function latestOperation(
  prefix: string,
  product: string,
  definitions: Pick<Definitions, "documented" | "origins">,
  /** Where the instance reports why its latest operation failed, if it does. */
  message?: string,
): Pick<ServiceDeclaration<Operation>, "id" | "list" | "operation" | "rule" | "unknownId" | "definitions"> {
  const example = `${prefix}-0a1b2c3d`;
  const requestId = stringId({ param: "", noun: "operation", origin: `the RequestId answered by the ${product} call`, example: "3a1f2a64-6b2c-4b1e-9d1f-1c5e8b0c7a3d" });
  const id = withInput(
    requestId,
    { name: "instanceId", description: "the instance the call changed", pattern: new RegExp(`^${prefix}-[a-z0-9]{1,32}$`), example },
    ({ extra }) => ({ InstanceIds: [extra] }),
  );
  return {
    id: { ...id, noun: ({ id: ours, extra }) => `instance ${extra} operation ${ours}`, taskRef: ({ id: ours, extra }) => ({ taskId: ours, instanceId: extra }) },
    list: { path: "InstanceSet", key: "InstanceId", value: ({ extra }) => extra },
    operation: { path: "LatestOperationRequestId", name: "LatestOperation", requestId: ({ id: ours }) => ours },
    rule: {
      status: "LatestOperationState",
      pending: ["OPERATING"],
      success: ["SUCCESS"],
      failure: ["FAILED"],
      message,
      details: { instanceId: "InstanceId", operation: "LatestOperation" },
    },
    unknownId: OPERATION_GRACE,
    definitions: {
      fields: ["InstanceSet[].LatestOperationState"],
      ...definitions,
      example: { taskId: "3a1f2a64-6b2c-4b1e-9d1f-1c5e8b0c7a3d", instanceId: example },
    },
  };
}

export const cvm = declareService<CvmTask, Operation>({
  service: "cvm",
  title: "CVM",
  product: "cvm",
  version: "2017-03-12",
  action: "DescribeInstances",
  regionRequired: true,
  rateLimit: 20,
  ...latestOperation("ins", "CVM", {
    documented: "the instance's latest operation state: SUCCESS (succeeded), OPERATING (in progress), FAILED (failed)",
    // Each says: an asynchronous call that answers a RequestId; its outcome is the instance's LatestOperationState in DescribeInstances.
    origins: [
      { action: "StartInstances", field: "RequestId" },
      { action: "StopInstances", field: "RequestId" },
      { action: "RebootInstances", field: "RequestId" },
      { action: "ResetInstance", field: "RequestId" },
      { action: "ResetInstancesType", field: "RequestId" },
      { action: "ResizeInstanceDisks", field: "RequestId" },
      { action: "ResetInstancesPassword", field: "RequestId" },
    ],
  }, "LatestOperationErrorMsg"),
});
