/**
 * The vocabulary shared by every part of the waiter: which task, what one status call saw, and
 * what a finished wait reports.
 */

export const SERVICES = ["clb", "redis"] as const;
export type Service = (typeof SERVICES)[number];

/** The task being waited on. CLB tasks are named by `taskId` (a RequestId) or by `dealName`. */
export interface TaskRef {
  service: Service;
  taskId?: string | number;
  dealName?: string;
  region?: string;
}

/** Where every status answer is mapped to, whatever the service calls it. */
export type TaskState = "pending" | "succeeded" | "failed";

/** One status answer, normalized by the service's adapter. */
export interface TaskObservation {
  state: TaskState;
  /** The API's own value: CLB `Status` (0, 1, 2), Redis `Status` ("running", ...). */
  rawStatus: number | string;
  /** CLB `Message` / Redis `TaskMessage`: the failure reason, when there is one. */
  message?: string;
  loadBalancerIds?: string[];
  instanceId?: string;
  taskType?: string;
  startTime?: string;
  /** RequestId of the status call that produced this observation (in a result: the last call's). */
  requestId?: string;
}

/** What a finished wait reports: the resource's outputs and `waitForTask`'s result. */
export interface TaskResult extends TaskRef, Omit<TaskObservation, "state"> {
  status: "succeeded" | "failed";
  /** ISO-8601 time at which completion was observed. */
  completedAt: string;
  /** Status calls made, failed ones included. */
  attempts: number;
  waitedSeconds: number;
}

/** "clb task 55c85074-... (ap-guangzhou)", "clb deal 20191122..." or "redis task 18215". */
export function describeTask(task: TaskRef): string {
  const name = task.taskId !== undefined ? `task ${task.taskId}` : `deal ${task.dealName}`;
  return task.region && task.service === "clb" ? `${task.service} ${name} (${task.region})` : `${task.service} ${name}`;
}

/** "in progress (Status 2)", "running", "failed (Status 1)": what a person reads in progress lines. */
export function describeStatus(observation: Pick<TaskObservation, "state" | "rawStatus">): string {
  if (typeof observation.rawStatus === "string") return observation.rawStatus;
  const word = observation.state === "pending" ? "in progress" : observation.state;
  return `${word} (Status ${observation.rawStatus})`;
}
