import * as clbApi from "tencentcloud-sdk-nodejs/tencentcloud/services/clb/v20180317/clb_client";
import type { DescribeTaskStatusRequest, DescribeTaskStatusResponse } from "tencentcloud-sdk-nodejs/tencentcloud/services/clb/v20180317/clb_models";
import type { TaskState } from "../task";
import { UnexpectedAnswerError, requestIdOf, text, type ServiceAdapter } from "./adapter";

const STATES = new Map<unknown, TaskState>([
  [0, "succeeded"],
  [1, "failed"],
  [2, "pending"],
]);

/** CLB `DescribeTaskStatus`: Status 0 succeeded, 1 failed, 2 in progress. */
export const clb: ServiceAdapter<DescribeTaskStatusRequest, DescribeTaskStatusResponse> = {
  service: "clb",
  action: "DescribeTaskStatus",
  host: "clb.tencentcloudapi.com",
  regionRequired: true,
  newClient: (config) => new clbApi.Client(config),
  toRequest: (task) => (task.taskId !== undefined ? { TaskId: String(task.taskId) } : { DealName: task.dealName }),
  normalize(response) {
    const requestId = requestIdOf(response);
    const status: unknown = response.Status;
    const state = STATES.get(status);
    if (state === undefined) {
      throw new UnexpectedAnswerError(this.action, `an unexpected Status ${JSON.stringify(status)} (known: 0, 1, 2)`, requestId);
    }
    const ids: unknown = response.LoadBalancerIds;
    return {
      state,
      rawStatus: status as number,
      message: text(response.Message),
      loadBalancerIds: Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : undefined,
      requestId,
    };
  },
};
