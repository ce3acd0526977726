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

/** Node's timers overflow past 2^31 - 1 ms (about 24.8 days) and fire at once instead. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => performance.now(),
  date: () => new Date(),
  sleep: async (ms, signal) => {
    try {
      await delay(Math.min(MAX_TIMER_MS, Math.max(0, ms)), undefined, { signal });
    } catch (error) {
      throw signal?.aborted ? signal.reason : error;
    }
  },
};

type AbortListener = (reason: unknown) => void;

/** The listeners of one signal, behind the single listener registered on it. */
interface Fanout {
  listeners: Set<AbortListener>;
  onAbort(): void;
}
const fanouts = new WeakMap<AbortSignal, Fanout>();

/**
 * Calls `listener` once when `signal` aborts, and returns a function that forgets it. However
 * many waits share one signal (a dozen resources on the provider's shutdown signal, eleven tasks
 * of the command), the signal carries one real listener while any are registered and none after:
 * Node warns past ten, and listeners left on a long-lived signal would pile up.
 */
export function whenAborted(signal: AbortSignal, listener: AbortListener): () => void {
  if (signal.aborted) {
    listener(signal.reason);
    return () => undefined;
  }
  let fanout = fanouts.get(signal);
  if (!fanout) {
    const listeners = new Set<AbortListener>();
    const created: Fanout = {
      listeners,
      onAbort: () => {
        fanouts.delete(signal);
        for (const each of [...listeners]) each(signal.reason);
      },
    };
    fanout = created;
    fanouts.set(signal, created);
    signal.addEventListener("abort", created.onAbort, { once: true });
  }
  const current = fanout;
  current.listeners.add(listener);
  return () => {
    if (!current.listeners.delete(listener) || current.listeners.size > 0 || fanouts.get(signal) !== current) return;
    fanouts.delete(signal);
    signal.removeEventListener("abort", current.onAbort);
  };
}

/**
 * A signal that aborts when any of `signals` does. Call `dispose` when done: a long wait makes
 * thousands of calls, and listeners left on the caller's signal would pile up.
 */
export function linkSignals(...signals: (AbortSignal | undefined)[]): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const forget = signals
    .filter((s): s is AbortSignal => s !== undefined)
    .map((s) => whenAborted(s, (reason) => controller.abort(reason)));
  return { signal: controller.signal, dispose: () => forget.forEach((f) => f()) };
}

/**
 * Settles like `promise`, or rejects with the signal's reason as soon as it aborts: for work that
 * cannot be cancelled itself (a credential source that never answers), so that it cannot hold a
 * wait past its deadline or its abort.
 */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const forget = whenAborted(signal, reject);
    promise.then(
      (value) => {
        forget();
        resolve(value);
      },
      (error: unknown) => {
        forget();
        reject(error);
      },
    );
  });
}
