import type { Clock } from "./clock";
import type { PollOutcome } from "./poller";
import { DETAIL_KEYS } from "./services";
import type { TaskRef, TaskResult } from "./task";

/** What a finished wait reports: the task, its final observation (with the service's details), and what the wait cost. */
export function taskResult(task: TaskRef, { observation, attempts, requestId }: PollOutcome, clock: Clock, elapsedMs: number): TaskResult {
  const details = Object.fromEntries(DETAIL_KEYS.map((key) => [key, observation[key]]));
  return compact({
    ...task,
    status: observation.state === "succeeded" ? "succeeded" : "failed",
    rawStatus: observation.rawStatus,
    message: observation.message,
    ...details,
    completedAt: clock.date().toISOString(),
    attempts,
    waitedSeconds: Math.round(elapsedMs) / 1000,
    requestId,
  });
}

/** Drops undefined fields: Pulumi's wire format cannot carry them. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
