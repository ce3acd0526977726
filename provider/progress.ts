import { formatDuration } from "./errors";
import { describeStatus, describeTask, type TaskObservation, type TaskRef, type TaskResult } from "./task";

/** What a wait reports while it runs; `formatProgress` turns each into one line for a person. */
export type ProgressEvent =
  | { kind: "started"; task: TaskRef; timeoutSeconds: number }
  /**
   * A status answer. `routine` when the status did not change and a line was shown less than
   * 15 s ago: a log skips those, so that it gets a line on every change and at least every 30 s.
   */
  | { kind: "status"; task: TaskRef; observation: TaskObservation; attempts: number; elapsedMs: number; routine: boolean }
  /** A status call failed in a way worth retrying. */
  | { kind: "retry"; task: TaskRef; reason: string; attempts: number; elapsedMs: number; retryInMs: number }
  | { kind: "finished"; task: TaskRef; result: TaskResult };

/** Whether a line-by-line log should skip this event (see `routine`). */
export function isRoutine(event: ProgressEvent): boolean {
  return event.kind === "status" && event.routine;
}

export function formatProgress(event: ProgressEvent): string {
  const name = describeTask(event.task);
  switch (event.kind) {
    case "started":
      return `${name}: waiting (timeout ${formatDuration(event.timeoutSeconds)})`;
    case "status":
      return `${name}: ${describeStatus(event.observation)}, ${formatDuration(event.elapsedMs / 1000)} elapsed, ${calls(event.attempts)}`;
    case "retry":
      return `${name}: status call failed (${event.reason}); retrying in ${formatDuration(event.retryInMs / 1000)}, ${calls(event.attempts)} so far`;
    case "finished": {
      const { result } = event;
      const reason = result.status === "failed" && result.message ? `: ${result.message}` : "";
      return `${name}: ${describeStatus({ state: result.status, rawStatus: result.rawStatus })}${reason} after ${formatDuration(result.waitedSeconds)}, ${calls(result.attempts)}`;
    }
  }
}

function calls(n: number): string {
  return n === 1 ? "1 status call" : `${n} status calls`;
}
