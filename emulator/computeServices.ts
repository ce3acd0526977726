import type * as As from "tencentcloud-sdk-nodejs/tencentcloud/services/as/v20180419/as_models";
import type * as Cvm from "tencentcloud-sdk-nodejs/tencentcloud/services/cvm/v20170312/cvm_models";
import type * as Lighthouse from "tencentcloud-sdk-nodejs/tencentcloud/services/lighthouse/v20200324/lighthouse_models";
import type * as Scf from "tencentcloud-sdk-nodejs/tencentcloud/services/scf/v20180416/scf_models";
import type * as Tat from "tencentcloud-sdk-nodejs/tencentcloud/services/tat/v20201028/tat_models";
import { ApiError } from "./apiError";
import { endTime, filterValues, idsOrFilter, isoTime, page } from "./answers";
import { integer, nonEmptyString, nonEmptyStringArray, oneOf, positiveInteger, type ParameterRule } from "./parameters";
import { action, INSTANCE_DETAILS, service, type ActionSpec, type ServiceContext, type ServiceEntry } from "./serviceEntry";
import type { EmulatedService } from "./services";
import type { EmulatedTask } from "./tasks";

const LATEST_OPERATION = {
  name: "LatestOperationRequestId",
  ids: "uuid",
  statuses: { preparing: "OPERATING", running: "OPERATING", succeeded: "SUCCESS", failed: "FAILED", error: "FAILED" },
  statusValues: ["SUCCESS", "OPERATING", "FAILED"],
  statusField: "Instance.LatestOperationState",
  documented: true,
  notFound: "InvalidInstanceId.NotFound",
} as const;

/** Instances and what runs on them: latest operations, commands, scaling activities, asynchronous function calls. */
export const COMPUTE_SERVICES = {
  cvm: service({
    product: "cvm",
    version: "2017-03-12",
    regionRequired: true,
    ...LATEST_OPERATION,
    details: INSTANCE_DETAILS,
    actions: [
      action<Cvm.DescribeInstancesRequest, Pick<Cvm.DescribeInstancesResponse, "TotalCount" | "InstanceSet">>({
        name: "DescribeInstances",
        rules: { InstanceIds: nonEmptyStringArray, Offset: integer, Limit: positiveInteger },
        handle: ({ InstanceIds = [] }, context) => latestOperations(InstanceIds, context, (instance, task) => ({ ...instance, LatestOperationErrorMsg: context.message(task) ?? "" })),
      }),
      startOperation<Cvm.StartInstancesRequest, Cvm.StartInstancesResponse>("StartInstances"),
      startOperation<Cvm.RebootInstancesRequest, Cvm.RebootInstancesResponse>("RebootInstances"),
    ],
  }),

  lighthouse: service({
    product: "lighthouse",
    version: "2020-03-24",
    regionRequired: true,
    ...LATEST_OPERATION,
    details: INSTANCE_DETAILS,
    actions: [
      action<Lighthouse.DescribeInstancesRequest, Pick<Lighthouse.DescribeInstancesResponse, "TotalCount" | "InstanceSet">>({
        name: "DescribeInstances",
        rules: { InstanceIds: nonEmptyStringArray, Offset: integer, Limit: positiveInteger },
        // Lighthouse's Instance has no LatestOperationErrorMsg.
        handle: ({ InstanceIds = [] }, context) => latestOperations(InstanceIds, context, (instance) => instance),
      }),
      startOperation<Lighthouse.StartInstancesRequest, Lighthouse.StartInstancesResponse>("StartInstances"),
      startOperation<Lighthouse.RebootInstancesRequest, Lighthouse.RebootInstancesResponse>("RebootInstances"),
    ],
  }),

  tat: service({
    product: "tat",
    version: "2020-10-28",
    regionRequired: true,
    name: "InvocationId",
    ids: { prefix: "inv" },
    statuses: { preparing: "PENDING", running: "RUNNING", succeeded: "SUCCESS", failed: "FAILED", error: "FAILED" },
    statusValues: ["PENDING", "RUNNING", "CANCELLING", "SUCCESS", "TIMEOUT", "FAILED", "CANCELLED", "PARTIAL_FAILED", "PARTIAL_CANCELLED"],
    statusField: "Invocation.InvocationStatus",
    documented: true,
    details: ["targets", "taskType"],
    actions: [
      action<Tat.DescribeInvocationsRequest, Tat.DescribeInvocationsResponse>({
        name: "DescribeInvocations",
        rules: { Limit: positiveInteger, Offset: integer },
        handle({ InvocationIds, Filters, Limit, Offset }, context) {
          const ids = idsOrFilter("InvocationIds", InvocationIds, Filters, "invocation-id");
          const matching = context.visible((task) => ids === undefined || ids.includes(String(task.taskId)));
          const InvocationSet = page(matching, Offset, Limit ?? 20).map(
            (task): Tat.Invocation => ({
              InvocationId: String(task.taskId),
              CommandId: commandIdOf(task),
              CommandName: "",
              InvocationStatus: context.status(task) as string,
              InvocationTaskBasicInfoSet: invocationTasks(task, context).map(({ InvocationTaskId, TaskStatus, InstanceId }) => ({ InvocationTaskId, TaskStatus, InstanceId })),
              InstanceKind: "CVM",
              InvocationSource: "USER",
              CreatedTime: isoTime(task.createdAt),
              StartTime: isoTime(task.createdAt),
              EndTime: endTime(task, context, isoTime),
              UpdatedTime: isoTime(context.tasks.phaseStart(task)),
            }),
          );
          return { TotalCount: matching.length, InvocationSet };
        },
      }),
      action<Tat.RunCommandRequest, Tat.RunCommandResponse>({
        name: "RunCommand",
        rules: { Content: nonEmptyString, InstanceIds: nonEmptyStringArray, Timeout: positiveInteger },
        handle({ InstanceIds }, context) {
          const task = context.start({ targets: InstanceIds, taskType: "RunCommand" });
          return { CommandId: commandIdOf(task), InvocationId: String(task.taskId) };
        },
      }),
      action<Tat.InvokeCommandRequest, Tat.InvokeCommandResponse>({
        name: "InvokeCommand",
        rules: { CommandId: nonEmptyString, InstanceIds: nonEmptyStringArray, Timeout: positiveInteger },
        handle: ({ InstanceIds }, context) => ({ InvocationId: String(context.start({ targets: InstanceIds, taskType: "InvokeCommand" }).taskId) }),
      }),
      action<Tat.DescribeInvocationTasksRequest, Tat.DescribeInvocationTasksResponse>({
        name: "DescribeInvocationTasks",
        rules: { Limit: positiveInteger, Offset: integer },
        handle({ InvocationTaskIds, Filters, Limit, Offset }, context) {
          const taskIds = idsOrFilter("InvocationTaskIds", InvocationTaskIds, Filters, "invocation-task-id");
          const invocationIds = filterValues(Filters, "invocation-id");
          const all = context
            .visible((task) => invocationIds === undefined || invocationIds.includes(String(task.taskId)))
            .flatMap((task) => invocationTasks(task, context))
            .filter((task) => taskIds === undefined || taskIds.includes(task.InvocationTaskId!));
          return { TotalCount: all.length, InvocationTaskSet: page(all, Offset, Limit ?? 20) };
        },
      }),
    ],
  }),

  as: service({
    product: "as",
    version: "2018-04-19",
    regionRequired: true,
    name: "ActivityId",
    ids: { prefix: "asa" },
    statuses: { preparing: "INIT", running: "RUNNING", succeeded: "SUCCESSFUL", failed: "FAILED", error: "FAILED" },
    statusValues: ["INIT", "RUNNING", "SUCCESSFUL", "PARTIALLY_SUCCESSFUL", "FAILED", "CANCELLED"],
    statusField: "Activity.StatusCode",
    documented: true,
    details: INSTANCE_DETAILS,
    actions: [
      action<As.DescribeAutoScalingActivitiesRequest, As.DescribeAutoScalingActivitiesResponse>({
        name: "DescribeAutoScalingActivities",
        rules: { Limit: positiveInteger, Offset: integer },
        handle({ ActivityIds, Filters, Limit, Offset }, context) {
          const ids = idsOrFilter("ActivityIds", ActivityIds, Filters, "activity-id");
          const groups = filterValues(Filters, "auto-scaling-group-id");
          const matching = context.visible((task) => (ids === undefined || ids.includes(String(task.taskId))) && (groups === undefined || groups.includes(task.instanceId ?? "")));
          const ActivitySet = page(matching, Offset, Limit ?? 20).map((task): As.Activity => {
            const message = context.message(task) ?? "";
            return {
              AutoScalingGroupId: task.instanceId ?? "",
              ActivityId: String(task.taskId),
              ActivityType: task.taskType ?? "SCALE_OUT",
              StatusCode: context.status(task) as string,
              StatusMessage: message,
              StatusMessageSimplified: message,
              Cause: "",
              Description: "",
              CreatedTime: isoTime(task.createdAt),
              StartTime: isoTime(task.createdAt),
              EndTime: endTime(task, context, isoTime),
            };
          });
          return { TotalCount: matching.length, ActivitySet };
        },
      }),
      action<As.ScaleOutInstancesRequest, As.ScaleOutInstancesResponse>({
        name: "ScaleOutInstances",
        rules: { AutoScalingGroupId: nonEmptyString, ScaleOutNumber: positiveInteger },
        handle: ({ AutoScalingGroupId }, context) => ({ ActivityId: String(context.start({ instanceId: AutoScalingGroupId, taskType: "SCALE_OUT" }).taskId) }),
      }),
      action<As.ScaleInInstancesRequest, As.ScaleInInstancesResponse>({
        name: "ScaleInInstances",
        rules: { AutoScalingGroupId: nonEmptyString, ScaleInNumber: positiveInteger },
        handle: ({ AutoScalingGroupId }, context) => ({ ActivityId: String(context.start({ instanceId: AutoScalingGroupId, taskType: "SCALE_IN" }).taskId) }),
      }),
      action<As.ExecuteScalingPolicyRequest, As.ExecuteScalingPolicyResponse>({
        name: "ExecuteScalingPolicy",
        rules: { AutoScalingPolicyId: nonEmptyString, TriggerSource: oneOf("API", "CLOUD_MONITOR") },
        handle: (_, context) => ({ ActivityId: String(context.start({ taskType: "SCALE_OUT" }).taskId) }),
      }),
    ],
  }),

  scf: service({
    product: "scf",
    version: "2018-04-16",
    regionRequired: true,
    name: "InvokeRequestId",
    ids: "uuid",
    statuses: { preparing: "RUNNING", running: "RUNNING", succeeded: "FINISHED", failed: "FAILED", error: "ABORTED" },
    statusValues: ["RUNNING", "FINISHED", "ABORTED", "FAILED"],
    statusField: "AsyncEventStatus.Status",
    documented: true,
    notFound: "ResourceNotFound.AsyncEvent",
    details: INSTANCE_DETAILS,
    actions: [
      action<Scf.GetAsyncEventStatusRequest, Scf.GetAsyncEventStatusResponse>({
        name: "GetAsyncEventStatus",
        rules: { InvokeRequestId: nonEmptyString },
        handle({ InvokeRequestId }, context) {
          const task = context.find("InvokeRequestId", InvokeRequestId);
          return { Result: { Status: context.status(task) as string, StatusCode: 200, InvokeRequestId: String(task.taskId) } };
        },
      }),
      action<Scf.InvokeRequest, Scf.InvokeResponse>({
        name: "Invoke",
        rules: { FunctionName: nonEmptyString, InvocationType: oneOf("RequestResponse", "Event") },
        handle({ FunctionName, InvocationType }, context) {
          // Only an asynchronous invocation (`Event`) is a task: its InvokeRequestId is the call's RequestId.
          if (InvocationType === "Event") context.start({ taskId: context.requestId, instanceId: FunctionName, taskType: "Invoke" });
          return { Result: { FunctionRequestId: context.requestId, Log: "", RetMsg: "", ErrMsg: "", MemUsage: 0, Duration: 0, BillDuration: 0, InvokeResult: 0 } };
        },
      }),
    ],
  }),
} satisfies Partial<Record<EmulatedService, ServiceEntry>>;

/** What CVM and Lighthouse `DescribeInstances` say of an instance's latest operation. */
interface LatestOperationInstance {
  InstanceId: string;
  InstanceState: string;
  LatestOperation: string;
  LatestOperationState: string;
  LatestOperationRequestId: string;
}

/**
 * Services whose task is an instance's latest operation (CVM, Lighthouse): each instance is
 * answered with its newest task; an instance exists once an operation has run on it.
 */
function latestOperations<I>(instanceIds: string[], context: ServiceContext, extend: (instance: LatestOperationInstance, latest: EmulatedTask) => I) {
  const InstanceSet = instanceIds.map((instanceId) => {
    const latest = context.visible((task) => task.instanceId === instanceId).at(-1);
    if (!latest) throw new ApiError("InvalidInstanceId.NotFound", `The instance \`${instanceId}\` was not found.`);
    const state = context.status(latest) as string;
    const instance = {
      InstanceId: instanceId,
      InstanceState: latest.taskType === "StopInstances" && state === "SUCCESS" ? "STOPPED" : "RUNNING",
      LatestOperation: latest.taskType ?? "",
      LatestOperationState: state,
      LatestOperationRequestId: String(latest.taskId),
    };
    return extend(instance, latest);
  });
  return { TotalCount: InstanceSet.length, InstanceSet };
}

/** An action that makes itself the latest operation of every instance it names, named by the call's RequestId. */
function startOperation<Request extends { InstanceIds: string[] }, Response>(name: string): ActionSpec {
  return action<Request, Response>({
    name,
    rules: { InstanceIds: nonEmptyStringArray } as { [K in keyof Request]?: ParameterRule },
    handle({ InstanceIds }, context) {
      for (const instanceId of new Set(InstanceIds)) context.start({ taskId: context.requestId, instanceId, taskType: name });
      return {} as Omit<Response, "RequestId">;
    },
  });
}

/** A TAT invocation's command, named after the invocation. */
function commandIdOf(invocation: EmulatedTask): string {
  return `cmd-${String(invocation.taskId).slice("inv-".length)}`;
}

/**
 * The per-instance tasks of a TAT invocation: each has the invocation's status (all of which
 * are task statuses too), but for a partial outcome, where the first instance fails or is
 * cancelled and the others succeed. A failing instance carries the invocation's message.
 */
function invocationTasks(invocation: EmulatedTask, context: ServiceContext): Tat.InvocationTask[] {
  const status = context.status(invocation) as string;
  const partial = { PARTIAL_FAILED: "FAILED", PARTIAL_CANCELLED: "CANCELLED" }[status];
  const message = context.message(invocation) ?? "";
  const id = String(invocation.taskId).slice("inv-".length);
  return (invocation.targets ?? ["ins-0a1b2c3d"]).map((InstanceId, index): Tat.InvocationTask => {
    const TaskStatus = partial === undefined ? status : index === 0 ? partial : "SUCCESS";
    return {
      InvocationId: String(invocation.taskId),
      InvocationTaskId: `invt-${id}${index}`,
      CommandId: commandIdOf(invocation),
      TaskStatus,
      InstanceId,
      ErrorInfo: TaskStatus === "SUCCESS" ? "" : message,
      TaskResult: { ExitCode: TaskStatus === "FAILED" ? 1 : 0, Output: "" },
      CreatedTime: isoTime(invocation.createdAt),
      StartTime: isoTime(invocation.createdAt),
      EndTime: endTime(invocation, context, isoTime),
      UpdatedTime: isoTime(context.tasks.phaseStart(invocation)),
    };
  });
}
