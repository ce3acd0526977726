/**
 * When to make the next status call. A schedule maps what the wait has done so far to the delay
 * before its next call; the poll loop adds retries and the deadline on top.
 */
export interface PollState {
  /** Status calls made so far (at least 1 when the schedule is asked). */
  attempts: number;
  /** Time since the wait's first call. */
  elapsedMs: number;
}

export type Schedule = (state: PollState, random: () => number) => number;

/**
 * Delays grow with the time already waited (4 %, ±10 % jitter), bounded by 0.5 s and 30 s, and
 * never faster than 2 calls per second counted from the first call.
 *
 * Why: a task is seen done at most ~4 % of its age after it finished (Redis-like tasks of 10 s -
 * 30 min: p95 under 5 % of their duration), short CLB tasks are seen within about a second, and
 * a single wait never costs more than 2 of the API's 20 requests/second. The 30 s cap keeps a
 * progress line at least every 30 s.
 */
export const defaultSchedule: Schedule = ({ attempts, elapsedMs }, random) => {
  const grown = elapsedMs * 0.04 * (0.9 + 0.2 * random());
  const delay = Math.min(MAX_DELAY_MS, Math.max(MIN_DELAY_MS, grown));
  const rateCap = ((attempts + 1) * 1000) / MAX_CALLS_PER_SECOND - elapsedMs;
  return Math.max(delay, rateCap);
};

export const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;
const MAX_CALLS_PER_SECOND = 2;

/**
 * Backoff after consecutive failed calls: 1 s, 2 s, 4 s, 8 s, then 10 s, each between half and
 * all of that ("equal jitter"), so that waits which failed together do not retry together. The
 * 10 s cap bounds how late a recovered API is noticed; the throttle keeps the retries of many
 * waits within the budget.
 */
export function retryDelayMs(consecutiveFailures: number, random: () => number): number {
  const ceiling = Math.min(10_000, 1000 * 2 ** (consecutiveFailures - 1));
  return ceiling / 2 + (ceiling / 2) * random();
}
