import { setTimeout as delay } from "node:timers/promises";

/**
 * Time as the poll loop sees it. Injected so that tests and the benchmark run hours of waiting
 * on virtual time.
 */
export interface Clock {
  /** Monotonic milliseconds: deadlines and delays never move when the wall clock jumps. */
  now(): number;
  /** Wall-clock time, only for timestamps shown to people (`completedAt`). */
  date(): Date;
  /** Resolves after `ms`; rejects with the signal's reason if it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  date: () => new Date(),
  sleep: async (ms, signal) => {
    try {
      await delay(Math.max(0, ms), undefined, { signal });
    } catch (error) {
      throw signal?.aborted ? signal.reason : error;
    }
  },
};

/**
 * A signal that aborts when any of `signals` does. Call `dispose` when done: a long wait makes
 * thousands of calls, and listeners left on the caller's signal would pile up.
 */
export function linkSignals(...signals: (AbortSignal | undefined)[]): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  const onAbort = (event: Event) => controller.abort((event.target as AbortSignal).reason);
  for (const s of present) {
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    s.addEventListener("abort", onAbort, { once: true });
  }
  return {
    signal: controller.signal,
    dispose: () => present.forEach((s) => s.removeEventListener("abort", onAbort)),
  };
}
