import type { InputFailure } from "../task";
import { declareService, type ServiceDeclaration } from "./adapter";
import { ID_PATTERN, show, stringId, UNKNOWN, type IdSpec } from "./ids";

/** A CVM wait: the RequestId of StartInstances, StopInstances, RebootInstances, ResetInstance, ... on one instance. */
export interface CvmTask {
  service: "cvm";
  taskId: string;
  instanceId: string;
}

export interface Operation {
  requestId: string;
  instanceId: string;
}

/**
 * A task that is an instance's latest operation, named by the RequestId of the call that started
 * it (CVM, Lighthouse): `prefix` is the instance ids' ("ins"), `product` how errors name the call.
 */
export function latestOperation(prefix: string, product: string): Pick<ServiceDeclaration<Operation>, "id" | "select" | "rule"> {
  const pattern = new RegExp(`^${prefix}-[a-z0-9]{1,32}$`);
  const example = `${prefix}-0a1b2c3d`;
  const requestId = stringId({ param: "", noun: "operation", origin: `the RequestId answered by the ${product} call`, example: "3a1f2a64-6b2c-4b1e-9d1f-1c5e8b0c7a3d" });
  const id: IdSpec<Operation> = {
    inputs: { ...requestId.inputs, instanceId: `the instance the call changed, such as ${example}` },
    parse(raw, service) {
      const parsed = requestId.parse(raw, service);
      const failures: InputFailure[] = [...parsed.failures];
      const instanceId = raw.instanceId;
      if (instanceId === undefined || instanceId === null) failures.push({ property: "instanceId", reason: `required for ${service}: the instance the call changed, such as "${example}"` });
      else if (instanceId !== UNKNOWN && (typeof instanceId !== "string" || !pattern.test(instanceId) || !ID_PATTERN.test(instanceId))) {
        failures.push({ property: "instanceId", reason: `expected an instance id such as "${example}", got ${show(instanceId)}` });
      }
      const inputs = { ...parsed.inputs, ...(failures.some((f) => f.property === "instanceId") ? {} : { instanceId }) };
      if (parsed.ref === undefined || failures.length > 0 || instanceId === UNKNOWN) return { inputs, failures };
      return { inputs, failures, ref: { requestId: parsed.ref, instanceId: instanceId as string } };
    },
    params: ({ instanceId }) => ({ InstanceIds: [instanceId] }),
    taskRef: ({ requestId, instanceId }) => ({ taskId: requestId, instanceId }),
    noun: ({ requestId, instanceId }) => `instance ${instanceId} operation ${requestId}`,
  };
  return {
    id,
    // Until the instance reports our RequestId as its latest operation, the wait is pending: an older operation's SUCCESS is not ours.
    select: ({ requestId, instanceId }) => ({
      entry: `InstanceSet[?InstanceId=='${instanceId}'] | [0]`,
      guard: { path: "LatestOperationRequestId", equals: requestId, waitingFor: "the instance to report this operation as its latest" },
    }),
    rule: {
      status: "LatestOperationState",
      pending: ["OPERATING"],
      success: ["SUCCESS"],
      failure: ["FAILED"],
      message: "LatestOperationErrorMsg",
      details: { instanceId: "InstanceId", operation: "LatestOperation" },
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
  ...latestOperation("ins", "CVM"),
});
