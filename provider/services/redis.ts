import * as redisApi from "tencentcloud-sdk-nodejs/tencentcloud/services/redis/v20180412/redis_client";
import type { DescribeTaskInfoRequest, DescribeTaskInfoResponse } from "tencentcloud-sdk-nodejs/tencentcloud/services/redis/v20180412/redis_models";
import type { TaskState } from "../task";
import { UnexpectedAnswerError, requestIdOf, text, type ServiceAdapter } from "./adapter";

/** Compared case-insensitively: one version of the documentation writes `Error`. */
const STATES = new Map<string, TaskState>([
  ["preparing", "pending"],
  ["running", "pending"],
  ["succeed", "succeeded"],
  ["failed", "failed"],
  ["error", "failed"],
]);

/** Redis `DescribeTaskInfo`: preparing / running, then succeed, failed or error. */
export const redis: ServiceAdapter<DescribeTaskInfoRequest, DescribeTaskInfoResponse> = {
  service: "redis",
  action: "DescribeTaskInfo",
  host: "redis.tencentcloudapi.com",
  regionRequired: false,
  newClient: (config) => new redisApi.Client(config),
  toRequest: (task) => ({ TaskId: Number(task.taskId) }),
  normalize(response) {
    const requestId = requestIdOf(response);
    const status: unknown = response.Status;
    const state = typeof status === "string" ? STATES.get(status.toLowerCase()) : undefined;
    if (state === undefined) {
      throw new UnexpectedAnswerError(
        this.action,
        `an unexpected Status ${JSON.stringify(status)} (known: preparing, running, succeed, failed, error)`,
        requestId,
      );
    }
    return {
      state,
      rawStatus: status as string,
      message: text(response.TaskMessage),
      instanceId: text(response.InstanceId),
      taskType: text(response.TaskType),
      startTime: text(response.StartTime),
      requestId,
    };
  },
};
