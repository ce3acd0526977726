import { TaskApiError, TaskError, TaskFailedError, TaskTimeoutError, formatDuration } from "../../provider/errors";
import type { TaskSpec } from "../../provider/inputs";
import { formatProgress, type ProgressEvent } from "../../provider/progress";
import type { TaskRef, TaskResult } from "../../provider/task";
import { printable, type Secrets } from "../../provider/text";

/** One task being waited for, as the command tracks it. */
export interface Wait {
  task: TaskSpec;
  /** The task's inputs and name as lines show them: scrubbed of the secrets the command knows (an argument can be a pasted key). */
  ref: TaskRef;
  label: string;
  /** performance.now() when the wait began. */
  startedAt: number;
  /** The engine's latest progress event for this task. */
  latest: ProgressEvent;
  outcome?: Outcome;
}

/** How a wait ended: with the task's result (succeeded), or with an error (anything else). */
export type Outcome = { result: TaskResult } | { error: unknown };

export function newWait(task: TaskSpec, secrets: Secrets): Wait {
  const ref = secrets.scrubDeep(task.query.ref);
  const label = secrets.scrub(task.query.label);
  return { task, ref, label, startedAt: performance.now(), latest: { kind: "started", task: ref, label, timeoutSeconds: task.timeoutSeconds } };
}

const EXIT_SUCCEEDED = 0;
const EXIT_FAILED = 1;
const EXIT_TIMEOUT = 2;
export const EXIT_ERROR = 3;
export const EXIT_USAGE = 64;

/** Codes grow with severity, so the most severe of several tasks is the largest. */
export function exitCode(outcome: Outcome): number {
  if ("result" in outcome) return EXIT_SUCCEEDED;
  if (outcome.error instanceof TaskFailedError) return EXIT_FAILED;
  if (outcome.error instanceof TaskTimeoutError) return EXIT_TIMEOUT;
  return EXIT_ERROR;
}

/** The task's result, or for a task that did not finish, what is known of it and why. */
export function jsonEntry(wait: Wait, outcome: Outcome): object {
  if ("result" in outcome) return outcome.result;
  const { error } = outcome;
  if (error instanceof TaskFailedError) return error.result;
  const known = error instanceof TaskError ? error : undefined;
  // The error's own fields were scrubbed against every secret the wait used (profile keys too).
  const ref = known ? { service: known.service, taskId: known.taskId, dealName: known.dealName, instanceId: known.instanceId, region: known.region } : wait.ref;
  return {
    ...ref,
    status: error instanceof TaskTimeoutError ? "timeout" : "error",
    rawStatus: known?.last?.rawStatus,
    attempts: known?.attempts,
    waitedSeconds: known?.waitedSeconds,
    requestId: known?.requestId,
    error: messageOf(error),
    code: error instanceof TaskApiError ? error.code : undefined,
  };
}

/** For a task that did not succeed: the engine's message, which says why and what to check, and how to go on. */
export function failureLine(outcome: Outcome): string | undefined {
  if (!("error" in outcome)) return undefined;
  const { error } = outcome;
  const advice =
    error instanceof TaskTimeoutError
      ? " Run the same command again to keep waiting, or raise --timeout."
      : error instanceof TaskFailedError
        ? " Fix the cause and start a new task: waiting on this one again will not change its outcome."
        : error instanceof TaskApiError
          ? " Nothing about the task is known; fix the cause above and run the same command again."
          : "";
  const message = messageOf(error);
  // Messages from the API (a credential refusal quoted as given) may end without a full stop.
  return advice && !/[.!?]$/.test(message) ? `${message}.${advice}` : `${message}${advice}`;
}

/** The task's line on a terminal: its latest progress, or how it ended without finishing. */
export function statusLine(wait: Wait, now: number): string {
  const outcome = wait.outcome;
  if (outcome && "error" in outcome && !(outcome.error instanceof TaskFailedError)) {
    const { error } = outcome;
    const how = error instanceof TaskTimeoutError ? "timed out" : `stopped by ${error instanceof TaskApiError ? error.code : "an error"}`;
    const after = error instanceof TaskError ? ` after ${formatDuration(error.waitedSeconds)}` : "";
    return printable(`${wait.label}: ${how}${after}`);
  }
  // The engine reports every status answer; the clock between answers is ours.
  const latest = wait.latest.kind === "status" && !outcome ? { ...wait.latest, elapsedMs: now - wait.startedAt } : wait.latest;
  return formatProgress(latest);
}

function messageOf(error: unknown): string {
  return printable(error instanceof Error ? error.message : String(error));
}
