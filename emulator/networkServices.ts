import type * as Clb from "tencentcloud-sdk-nodejs/tencentcloud/services/clb/v20180317/clb_models";
import type * as Gaap from "tencentcloud-sdk-nodejs/tencentcloud/services/gaap/v20180529/gaap_models";
import type * as Gwlb from "tencentcloud-sdk-nodejs/tencentcloud/services/gwlb/v20240906/gwlb_models";
import type * as Vpc from "tencentcloud-sdk-nodejs/tencentcloud/services/vpc/v20170312/vpc_models";
import { ApiError } from "./apiError";
import { required } from "./answers";
import { integer, nonEmptyString, nonEmptyStringArray, oneOf, positiveInteger } from "./parameters";
import { action, FLOW, INSTANCE_DETAILS, service, type ServiceContext, type ServiceEntry } from "./serviceEntry";
import type { EmulatedService } from "./services";
import { randomResourceId, type EmulatedTask } from "./tasks";

const REQUEST_STATUSES = { preparing: "RUNNING", running: "RUNNING", succeeded: "SUCCESS", failed: "FAILED", error: "FAILED" } as const;

/** Load balancers, networks and acceleration: tasks named by a RequestId or a TaskId. */
export const NETWORK_SERVICES = {
  clb: service({
    product: "clb",
    version: "2018-03-17",
    regionRequired: true,
    name: "TaskId",
    ids: "uuid",
    ...FLOW,
    statusField: "DescribeTaskStatusResponse.Status",
    notFound: "InvalidParameter",
    details: ["loadBalancerIds", "dealName"],
    actions: [
      action<Clb.DescribeTaskStatusRequest, ClbTaskStatusAnswer>({
        name: "DescribeTaskStatus",
        handle({ TaskId, DealName }, context) {
          const task = byTaskIdOrDeal(TaskId, DealName, context);
          return { Status: context.status(task) as number, LoadBalancerIds: task.loadBalancerIds, Message: context.message(task) };
        },
      }),
      action<Clb.CreateListenerRequest, Clb.CreateListenerResponse>({
        name: "CreateListener",
        rules: {
          LoadBalancerId: nonEmptyString,
          Ports: { expected: "a non-empty array of integers from 1 to 65535", accepts: (v) => (v as number[]).length > 0 && (v as number[]).every((p) => Number.isInteger(p) && p >= 1 && p <= 65535) },
          Protocol: oneOf("TCP", "UDP", "HTTP", "HTTPS", "TCP_SSL", "QUIC"),
        },
        handle({ LoadBalancerId, Ports }, context) {
          startLoadBalancerTask(LoadBalancerId, context);
          return { ListenerIds: Ports.map(() => randomResourceId("lbl")) };
        },
      }),
      action<Clb.DeleteListenerRequest, Clb.DeleteListenerResponse>({
        name: "DeleteListener",
        rules: { LoadBalancerId: nonEmptyString, ListenerId: nonEmptyString },
        handle({ LoadBalancerId }, context) {
          startLoadBalancerTask(LoadBalancerId, context);
          return {};
        },
      }),
    ],
  }),

  gwlb: service({
    product: "gwlb",
    version: "2024-09-06",
    regionRequired: true,
    name: "TaskId",
    ids: "uuid",
    ...FLOW,
    statusField: "DescribeTaskStatusResponse.Status",
    notFound: "InvalidParameter",
    details: ["loadBalancerIds"],
    actions: [
      action<Gwlb.DescribeTaskStatusRequest, Gwlb.DescribeTaskStatusResponse>({
        name: "DescribeTaskStatus",
        rules: { TaskId: nonEmptyString },
        handle({ TaskId }, context) {
          const task = context.find("TaskId", required("TaskId", TaskId));
          return { Status: context.status(task) as number, LoadBalancerIds: task.loadBalancerIds ?? undefined, Message: context.message(task) ?? undefined };
        },
      }),
      // Asynchronous GWLB calls: the task id is the call's RequestId.
      action<Gwlb.DisassociateTargetGroupsRequest, Gwlb.DisassociateTargetGroupsResponse>({
        name: "DisassociateTargetGroups",
        handle({ Associations }, context) {
          context.start({ taskId: context.requestId, loadBalancerIds: Associations.map((a) => a.LoadBalancerId).filter((id): id is string => id !== undefined) });
          return {};
        },
      }),
      action<Gwlb.RegisterTargetGroupInstancesRequest, Gwlb.RegisterTargetGroupInstancesResponse>({
        name: "RegisterTargetGroupInstances",
        rules: { TargetGroupId: nonEmptyString },
        handle(_, context) {
          context.start({ taskId: context.requestId });
          return {};
        },
      }),
    ],
  }),

  vpc: service({
    product: "vpc",
    version: "2017-03-12",
    regionRequired: true,
    name: "TaskId",
    ids: "uuid",
    statuses: REQUEST_STATUSES,
    statusValues: ["SUCCESS", "FAILED", "RUNNING"],
    statusField: "DescribeVpcTaskResultResponse.Status",
    documented: true,
    notFound: "ResourceNotFound",
    details: INSTANCE_DETAILS,
    actions: [
      action<Vpc.DescribeVpcTaskResultRequest, Vpc.DescribeVpcTaskResultResponse>({
        name: "DescribeVpcTaskResult",
        rules: { TaskId: nonEmptyString },
        handle({ TaskId }, context) {
          const task = context.find("TaskId", TaskId);
          const status = context.status(task) as string;
          return { Status: status, Output: context.message(task) ?? "", Result: [{ ResourceId: task.instanceId ?? "", Status: status }] };
        },
      }),
      action<Vpc.AssignPrivateIpAddressesRequest, Vpc.AssignPrivateIpAddressesResponse>({
        name: "AssignPrivateIpAddresses",
        rules: { NetworkInterfaceId: nonEmptyString, SecondaryPrivateIpAddressCount: positiveInteger },
        handle({ NetworkInterfaceId, SecondaryPrivateIpAddressCount = 1 }, context) {
          // The task id is the call's RequestId.
          context.start({ taskId: context.requestId, instanceId: NetworkInterfaceId, taskType: "AssignPrivateIpAddresses" });
          const count = Math.min(SecondaryPrivateIpAddressCount, 20);
          return { PrivateIpAddressSet: Array.from({ length: count }, (_, i) => ({ PrivateIpAddress: `10.0.0.${10 + i}`, Primary: false, State: "PENDING" })) };
        },
      }),
    ],
  }),

  eip: service({
    product: "vpc",
    version: "2017-03-12",
    regionRequired: true,
    name: "TaskId",
    ids: "integer",
    statuses: REQUEST_STATUSES,
    statusValues: ["SUCCESS", "FAILED", "RUNNING"],
    statusField: "DescribeTaskResultResponse.Result",
    documented: true,
    notFound: "ResourceNotFound",
    details: [...INSTANCE_DETAILS, "dealName"],
    actions: [
      action<Vpc.DescribeTaskResultRequest, Vpc.DescribeTaskResultResponse>({
        name: "DescribeTaskResult",
        rules: { TaskId: integer, DealName: nonEmptyString },
        handle({ TaskId, DealName }, context) {
          const task = byTaskIdOrDeal(TaskId, DealName, context);
          return { TaskId: task.taskId as number, Result: context.status(task) as string };
        },
      }),
      action<Vpc.ModifyAddressesBandwidthRequest, Vpc.ModifyAddressesBandwidthResponse>({
        name: "ModifyAddressesBandwidth",
        rules: { AddressIds: nonEmptyStringArray, InternetMaxBandwidthOut: positiveInteger },
        // The real call answers this TaskId as a string; DescribeTaskResult takes it as an integer.
        handle: ({ AddressIds }, context) => ({ TaskId: String(context.start({ instanceId: AddressIds[0], taskType: "ModifyAddressesBandwidth" }).taskId) }),
      }),
    ],
  }),

  gaap: service({
    product: "gaap",
    version: "2018-05-29",
    regionRequired: false,
    name: "TaskId",
    ids: "uuid",
    statuses: { preparing: "RUNNING", running: "RUNNING", succeeded: "SUCCESS", failed: "FAIL", error: "FAIL" },
    statusValues: ["RUNNING", "FAIL", "SUCCESS"],
    statusField: "DescribeTaskStatusResponse.Status",
    documented: true,
    notFound: "ResourceNotFound",
    details: INSTANCE_DETAILS,
    actions: [
      action<Gaap.DescribeTaskStatusRequest, Gaap.DescribeTaskStatusResponse>({
        name: "DescribeTaskStatus",
        rules: { TaskId: nonEmptyString },
        handle({ TaskId }, context) {
          const task = context.find("TaskId", required("TaskId", TaskId));
          return { Status: context.status(task) as string, TaskId: String(task.taskId) };
        },
      }),
      action<Gaap.OpenSecurityPolicyRequest, Gaap.OpenSecurityPolicyResponse>({
        name: "OpenSecurityPolicy",
        rules: { ProxyId: nonEmptyString, PolicyId: nonEmptyString },
        handle: ({ ProxyId, PolicyId }, context) => ({ TaskId: context.start({ taskId: context.requestId, instanceId: ProxyId ?? PolicyId, taskType: "OpenSecurityPolicy" }).taskId as string }),
      }),
    ],
  }),
} satisfies Partial<Record<EmulatedService, ServiceEntry>>;

/** `DescribeTaskStatus` documents `LoadBalancerIds` and `Message` as possibly null. */
type ClbTaskStatusAnswer = Omit<Clb.DescribeTaskStatusResponse, "LoadBalancerIds" | "Message"> & {
  LoadBalancerIds: string[] | null;
  Message: string | null;
};

/** Starts the task of an asynchronous CLB change; its id is the call's RequestId, as on the real API. */
function startLoadBalancerTask(loadBalancerId: string, context: ServiceContext): void {
  // The real API refuses a second change while one is still running on the same load balancer.
  const [running] = context.visible((task) => task.loadBalancerIds?.includes(loadBalancerId) === true && !context.finished(task));
  if (running) {
    throw new ApiError(
      "FailedOperation.ResourceInOperating",
      `Your task is working: load balancer \`${loadBalancerId}\` is being changed by task \`${running.taskId}\`. Retry after it has finished.`,
    );
  }
  context.start({ taskId: context.requestId, loadBalancerIds: [loadBalancerId] });
}

/** The task named by exactly one of `TaskId` and `DealName` (CLB, EIP). */
function byTaskIdOrDeal(taskId: string | number | undefined, dealName: string | undefined, context: ServiceContext): EmulatedTask {
  if (taskId !== undefined && dealName !== undefined) {
    throw new ApiError("InvalidParameter", "The parameters `TaskId` and `DealName` exclude each other: give only one.");
  }
  if (taskId !== undefined) return context.find("TaskId", taskId);
  if (dealName === undefined) throw new ApiError("MissingParameter", "The request is missing a required parameter `TaskId` or `DealName`.");
  return context.visible((task) => task.dealName === dealName)[0] ?? context.notFound("DealName", dealName);
}
