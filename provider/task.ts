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

/** What some services' answers add about the task; each is present only where the answer has it. */
export interface TaskDetails {
  /** CLB `LoadBalancerIds`. */
  loadBalancerIds?: string[];
  /** Redis and KeeWiDB `InstanceId`, PostgreSQL `DBInstanceId`, CVM `InstanceId`. */
  instanceId?: string;
  /** Redis, KeeWiDB and PostgreSQL `TaskType`. */
  taskType?: string;
  /** When the task started, as the API writes it (Redis, KeeWiDB, MongoDB, PostgreSQL). */
  startTime?: string;
  /** When the task ended, as the API writes it (MongoDB, PostgreSQL). */
  endTime?: string;
  /** PostgreSQL `Progress`, 0 to 100. */
  progress?: number;
  /** CVM `LatestOperation`, such as `StartInstances`. */
  operation?: string;
}

/** One status answer, read by the service's query. */
export interface TaskObservation extends TaskDetails {
  state: TaskState;
  /** The API's own value. */
  rawStatus: StatusValue;
  /** The failure reason in the API's words, when the service has one. */
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
