import { linkSignals, systemClock, type Clock } from "./clock";
import { TaskAbortedError, TaskApiError, TaskTimeoutError, classifyCallError, type TaskErrorContext } from "./errors";
import { isRoutine, type ProgressEvent } from "./progress";
import { defaultSchedule, retryDelayMs, type Schedule } from "./schedule";
import { describeTask, type TaskObservation, type TaskRef } from "./task";

export interface PollOptions {
  task: TaskRef;
  /** One status call, already normalized. Must honour `signal`. */
  describe: (signal: AbortSignal) => Promise<TaskObservation>;
  timeoutSeconds: number;
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  clock?: Clock;
  schedule?: Schedule;
  random?: () => number;
}

export interface PollOutcome {
  /** The terminal observation: state "succeeded" or "failed". */
  observation: TaskObservation;
  attempts: number;
  elapsedMs: number;
  /** RequestId of the last call that reached the API. */
  requestId?: string;
}

/**
 * Without a change, a progress line is repeated at the first call this long after the last one.
 * With delays capped at 30 s, that keeps lines at most 30 s apart.
 */
const HEARTBEAT_MS = 15_000;
/** A call still running this long after the deadline is abandoned. */
const DEADLINE_GRACE_MS = 1000;

class DeadlineReached extends Error {}

/**
 * Polls until the task reaches a terminal state, the deadline passes or `signal` aborts.
 *
 * - The first call goes out at once; later ones follow `schedule`.
 * - The deadline is exact: when the next call would land after it, one last call is made just
 *   before it instead, and a call still running at the deadline is abandoned.
 * - Failed calls that `classifyCallError` calls transient are retried (with backoff, unless the
 *   API throttled them) and never count as the task's failure; any other failure ends the wait
 *   at once with a TaskApiError.
 */
export async function pollUntilDone(options: PollOptions): Promise<PollOutcome> {
  const clock = options.clock ?? systemClock;
  const schedule = options.schedule ?? defaultSchedule;
  const random = options.random ?? Math.random;
  const timeoutMs = options.timeoutSeconds * 1000;
  const start = clock.now();
  const deadline = start + timeoutMs;
  // The last call goes out this long before the deadline, so that it can still answer in time.
  const finalMargin = Math.min(1000, timeoutMs / 10);

  let attempts = 0;
  let consecutiveFailures = 0;
  let throttled = false;
  let last: TaskObservation | undefined;
  let lastFailure: string | undefined;
  let requestId: string | undefined;
  let reportedAt = -Infinity;

  const elapsed = () => clock.now() - start;
  const context = (): TaskErrorContext => ({ task: options.task, attempts, waitedSeconds: elapsed() / 1000, last, requestId });
  const report = (event: ProgressEvent) => {
    if (!isRoutine(event)) reportedAt = clock.now();
    options.onProgress?.(event);
  };

  // Aborts calls that are still running (or queued by the throttle) past the deadline.
  const deadlineTimer = new AbortController();
  const pastDeadline = new AbortController();
  clock.sleep(deadline + DEADLINE_GRACE_MS - start, deadlineTimer.signal).then(
    () => pastDeadline.abort(new DeadlineReached()),
    () => undefined,
  );
  const calls = linkSignals(options.signal, pastDeadline.signal);

  const timeout = () => {
    const error = new TaskTimeoutError(options.timeoutSeconds, context());
    if (lastFailure && consecutiveFailures > 0) error.message += ` The last status call failed: ${lastFailure}.`;
    return error;
  };
  const aborted = () => {
    const reason = options.signal?.reason instanceof Error ? ` (${options.signal.reason.message})` : "";
    return new TaskAbortedError(`the wait for ${describeTask(options.task)} was aborted${reason}`, context());
  };

  try {
    for (;;) {
      attempts++;
      try {
        const observation = await options.describe(calls.signal);
        consecutiveFailures = 0;
        requestId = observation.requestId ?? requestId;
        const changed = last === undefined || last.rawStatus !== observation.rawStatus;
        last = observation;
        if (observation.state !== "pending") return { observation, attempts, elapsedMs: elapsed(), requestId };
        const routine = !changed && clock.now() - reportedAt < HEARTBEAT_MS;
        report({ kind: "status", task: options.task, observation, attempts, elapsedMs: elapsed(), routine });
      } catch (error) {
        if (options.signal?.aborted) throw aborted();
        if (pastDeadline.signal.aborted) throw timeout();
        const failure = classifyCallError(error);
        requestId = failure.requestId ?? requestId;
        if (!failure.retry) {
          throw new TaskApiError(`status call for ${describeTask(options.task)} failed: ${failure.reason}`, failure.code, context());
        }
        consecutiveFailures++;
        lastFailure = failure.reason;
        throttled = failure.throttled;
      }

      const now = clock.now();
      let wait = schedule({ attempts, elapsedMs: now - start }, random);
      // A throttled call is slowed down by the shared throttle, for every wait on the budget;
      // backing off here as well would count the same signal twice.
      if (consecutiveFailures > 0 && !throttled) {
        wait = Math.max(wait, retryDelayMs(consecutiveFailures, random));
      }
      if (now + wait > deadline - finalMargin) {
        if (now >= deadline - finalMargin) throw timeout();
        wait = deadline - finalMargin - now;
      }
      if (consecutiveFailures === 1 || (consecutiveFailures > 1 && now - reportedAt >= HEARTBEAT_MS)) {
        report({ kind: "retry", task: options.task, reason: lastFailure!, attempts, elapsedMs: now - start, retryInMs: wait });
      }
      try {
        await clock.sleep(wait, options.signal);
      } catch {
        throw aborted();
      }
    }
  } finally {
    deadlineTimer.abort();
    calls.dispose();
  }
}

