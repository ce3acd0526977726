import { classifyCallError, type CallFailure } from "./callFailures";
import { linkSignals, systemClock, type Clock } from "./clock";
import { Deadline } from "./deadline";
import { abortReason, TaskAbortedError, TaskApiError, TaskCallbackError, TaskCredentialError, TaskTimeoutError, type CredentialErrorCode, type TaskErrorContext } from "./errors";
import { isRoutine, ProgressChannel, type ProgressEvent } from "./progress";
import { defaultSchedule, MIN_DELAY_MS, retryDelayMs, type Schedule } from "./schedule";
import type { TaskObservation, TaskRef } from "./task";

export interface PollOptions {
  task: TaskRef;
  /** How messages name the task. */
  label: string;
  /** One status call, read into an observation. Must honour `signal`. */
  call: (signal: AbortSignal) => Promise<TaskObservation>;
  /** How an observation reads in progress lines and errors: "in progress (Status 2)". */
  statusText: (observation: TaskObservation) => string;
  /** The service's success value, for the timeout error: "Status 0". */
  wanted: string;
  /** The wait's deadline; alone, the poller makes its own of `timeoutSeconds` from now. */
  deadline?: Deadline;
  timeoutSeconds?: number;
  signal?: AbortSignal;
  /** Where progress events go; its callback failing stops the wait. */
  progress?: ProgressChannel;
  /** Sorts a failed call into retry or stop; default `classifyCallError`. */
  classify?: (error: unknown) => CallFailure;
  clock?: Clock;
  /** Applied to what the caller threw or aborted with, before an error quotes it. */
  scrub?: (text: string) => string;
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

/**
 * Polls until the task reaches a terminal state, the deadline passes or `signal` aborts.
 *
 * - The first call goes out at once; later ones follow `schedule`.
 * - The deadline is never declared early: the last call goes out at the deadline (or half a
 *   second after the previous call, if that is later) and its answer decides; a call still
 *   running a second past the deadline is abandoned.
 * - Failed calls that `classify` calls transient are retried (with backoff, unless the API
 *   throttled them) and never count as the task's failure; any other failure ends the wait at
 *   once with a TaskApiError.
 * - A progress callback that throws (or rejects) stops the wait with a TaskCallbackError: the
 *   caller's callback is not the API.
 */
export async function pollUntilDone(options: PollOptions): Promise<PollOutcome> {
  const clock = options.clock ?? systemClock;
  const schedule = options.schedule ?? defaultSchedule;
  const classify = options.classify ?? classifyCallError;
  const random = options.random ?? Math.random;
  const ownDeadline = options.deadline ? undefined : new Deadline(clock, clock.now(), options.timeoutSeconds ?? 1800);
  const { startedAt: start, at: deadline, abandoned, timeoutSeconds } = options.deadline ?? ownDeadline!;

  let attempts = 0;
  let consecutiveFailures = 0;
  let throttled = false;
  let last: TaskObservation | undefined;
  let lastFailure: string | undefined;
  let requestId: string | undefined;
  let reportedAt = -Infinity;
  const progress = options.progress ?? new ProgressChannel();

  const elapsed = () => clock.now() - start;
  const context = (): TaskErrorContext => ({ task: options.task, label: options.label, attempts, waitedSeconds: elapsed() / 1000, last, requestId });

  // Calls and sleeps stop at once on the caller's abort, past the deadline's grace, or when the progress callback fails.
  const linked = linkSignals(options.signal, abandoned, progress.signal);
  const signal = linked.signal;

  const report = (event: ProgressEvent) => {
    if (!isRoutine(event)) reportedAt = clock.now();
    progress.send(event);
    if (progress.failed()) throw stopped();
  };
  /** Why the wait stopped, when `signal` aborted. */
  const stopped = () => {
    const failed = progress.failed();
    if (failed) return new TaskCallbackError(failed.thrown, context(), options.scrub);
    if (options.signal?.aborted) return new TaskAbortedError(abortReason(options.signal, options.scrub), context());
    return timeout();
  };
  const timeout = () =>
    new TaskTimeoutError(
      {
        timeoutSeconds,
        wanted: options.wanted,
        lastStatus: last ? options.statusText(last) : undefined,
        lastFailure: consecutiveFailures > 0 ? lastFailure : undefined,
      },
      context(),
    );

  try {
    for (;;) {
      if (signal.aborted) throw stopped();
      attempts++;
      const sentAt = clock.now();
      let failure: CallFailure | undefined;
      try {
        const observation = await options.call(signal);
        consecutiveFailures = 0;
        requestId = observation.requestId ?? requestId;
        const changed = last === undefined || last.rawStatus !== observation.rawStatus || last.waitingFor !== observation.waitingFor;
        last = observation;
        if (observation.state !== "pending") return { observation, attempts, elapsedMs: elapsed(), requestId };
        const routine = !changed && clock.now() - reportedAt < HEARTBEAT_MS;
        report({ kind: "status", task: options.task, label: options.label, observation, status: options.statusText(observation), attempts, elapsedMs: elapsed(), routine });
      } catch (error) {
        if (error instanceof TaskCallbackError) throw error;
        if (signal.aborted) throw stopped();
        failure = classify(error);
        requestId = failure.requestId ?? requestId;
        if (!failure.retry) {
          throw failure.credentials
            ? new TaskCredentialError({ code: failure.code as CredentialErrorCode, problem: failure.reason }, context())
            : TaskApiError.callFailed(failure, context());
        }
        consecutiveFailures++;
        lastFailure = failure.reason;
        throttled = failure.throttled;
      }

      // The call that went out at (or after) the deadline has decided: still pending.
      if (sentAt >= deadline) throw timeout();
      const now = clock.now();
      let delay = schedule({ attempts, elapsedMs: now - start }, random);
      // A throttled call is slowed down by the shared throttle, for every wait on the budget;
      // backing off here as well would count the same signal twice.
      if (consecutiveFailures > 0 && !throttled) delay = Math.max(delay, retryDelayMs(consecutiveFailures, random));
      // The last call goes out at the deadline, never much sooner after the previous one.
      if (now + delay > deadline) delay = Math.max(deadline - now, sentAt + MIN_DELAY_MS - now, 0);
      if (failure && (consecutiveFailures === 1 || now - reportedAt >= HEARTBEAT_MS)) {
        report({ kind: "retry", task: options.task, label: options.label, reason: failure.reason, attempts, elapsedMs: now - start, retryInMs: delay });
      }
      try {
        await clock.sleep(delay, signal);
        // Timers may fire a millisecond early: the call meant for the deadline goes out at it, not
        // just before (which would cost one more call, half a second past it).
        if (now + delay >= deadline && clock.now() < deadline) await clock.sleep(deadline - clock.now(), signal);
      } catch {
        throw stopped();
      }
    }
  } finally {
    ownDeadline?.dispose();
    linked.dispose();
  }
}
