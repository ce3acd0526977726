import { declareService } from "./adapter";
import { stringId } from "./ids";

/** A MongoDB wait: an AsyncRequestId, or the numeric FlowId many MongoDB calls answer (sent as a string). */
export interface MongodbTask {
  service: "mongodb";
  taskId: string | number;
}

/** `paused` means the task failed and stopped; `undoed` that it failed and was rolled back. No message field. */
export const mongodb = declareService<MongodbTask>({
  service: "mongodb",
  title: "MongoDB",
  product: "mongodb",
  version: "2019-07-25",
  action: "DescribeAsyncRequestInfo",
  regionRequired: true,
  rateLimit: 20,
  id: stringId({ param: "AsyncRequestId", noun: "request", origin: "the AsyncRequestId or FlowId answered by the MongoDB call", example: "1652", numbers: true }),
  rule: {
    status: "Status",
    pending: ["initial", "running"],
    success: ["success"],
    failure: ["failed", "paused", "undoed"],
    details: { startTime: "StartTime", endTime: "EndTime" },
  },
});
