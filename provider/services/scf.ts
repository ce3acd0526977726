import { declareService } from "./adapter";
import { stringId } from "./ids";
import { lag } from "./lag";

/** An SCF wait: an asynchronous invocation (Invoke with InvocationType "Event"), by its InvokeRequestId. */
export interface ScfTask {
  service: "scf";
  taskId: string;
}

/** Event statuses are kept for 3 days after the event ends. No message field: `Result.StatusCode` is a number. */
export const scf = declareService<ScfTask, string>({
  service: "scf",
  title: "SCF",
  product: "scf",
  version: "2018-04-16",
  action: "GetAsyncEventStatus",
  regionRequired: true,
  rateLimit: 20,
  id: stringId({
    param: "InvokeRequestId",
    noun: "invocation",
    origin: "the Result.FunctionRequestId answered by an asynchronous Invoke (InvocationType Event), also listed by ListAsyncEvents",
    example: "9de9405a-e33a-498d-bb59-e80b7bed1191",
  }),
  rule: { status: "Result.Status", pending: ["RUNNING"], success: ["FINISHED"], failure: ["FAILED", "ABORTED"] },
  // ResourceNotFound.AsyncEvent right after an asynchronous Invoke is lag: covered by ResourceNotFound.*.
  unknownId: lag(),
  definitions: {
    fields: ["Result.Status"],
    documented: "RUNNING: running; FINISHED: the invocation succeeded; ABORTED: the invocation was stopped; FAILED: the invocation failed",
    origins: [
      { action: "Invoke", field: "Result.FunctionRequestId" },
      { action: "ListAsyncEvents", field: "EventList[].InvokeRequestId" },
    ],
    example: { taskId: "9de9405a-e33a-498d-bb59-e80b7bed1191" },
  },
});
