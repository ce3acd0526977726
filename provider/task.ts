import type { TaskDetails } from "./services/details";

/**
 * The vocabulary shared by every part of the waiter: which task, what one status call saw, and
 * what a finished wait reports.
 */

/** Where every status answer is mapped to, whatever the service calls it. */
export type TaskState = "pending" | "succeeded" | "failed";

/** A status value as the API writes it: CLB `Status` 2, Redis `Status` "running", ... */
export type StatusValue = string | number | boolean;

/** Which task a wait is about, as results and errors report it. */
export interface TaskRef {
  service: string;
  /** The id the asynchronous call answered (a RequestId, TaskId, FlowId or AsyncRequestId). */
  taskId?: string | number;
  /** CLB and EIP: the order id, instead of `taskId`. */
  dealName?: string;
  /** CVM: the instance whose latest operation is the task. */
  instanceId?: string;
  region?: string;
}

/** What some services' answers add about the task: derived from the one list of details in `services/details.ts`. */
export type { TaskDetails } from "./services/details";
/** One status answer, read by the service's query. */
export interface TaskObservation extends TaskDetails {
  state: TaskState;
  /** The API's own value. */
  rawStatus: StatusValue;
  /** The task's message in the API's words, in either outcome, when the service has one. */
  message?: string;
  /** For a pending task held by something outside it: "the maintenance window (Status UNDEFINED)". */
  waitingFor?: string;
  /** RequestId of the status call that produced this observation. */
  requestId?: string;
}

/** What a finished wait reports: the resource's outputs and `waitForTask`'s result. */
export interface TaskResult extends TaskRef, TaskDetails {
  /** "failed" only with `failOnTaskFailure: false`. */
  status: "succeeded" | "failed";
  rawStatus: StatusValue;
  /** The task's message in either outcome (a failure reason; CDB's `Info` on success too). */
  message?: string;
  /** ISO-8601 time at which completion was observed. */
  completedAt: string;
  /** Status calls made, failed ones included. */
  attempts: number;
  waitedSeconds: number;
  /** RequestId of the last status call. */
  requestId?: string;
}

/** An input that is not of the documented form, and why. */
export interface InputFailure {
  property: string;
  reason: string;
}
