import { systemClock, type Clock } from "./clock";

/**
 * Waits on the same task in one process share their status calls: a call in flight is joined,
 * and an answer younger than `freshMs` is handed to every other wait that has not seen it yet.
 * Ten resources waiting on one CLB RequestId then cost the API about as much as one.
 */
export class SharedCalls<T> {
  private readonly inFlight = new Map<string, Flight<T>>();
  private readonly recent = new Map<string, { at: number; value: T; seenBy: Set<object> }>();

  constructor(
    private readonly freshMs = 500,
    private readonly clock: Clock = systemClock,
  ) {}

  /** `waiter` identifies one wait: it never gets the same answer twice. */
  run(key: string, waiter: object, signal: AbortSignal, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const fresh = this.recent.get(key);
    if (fresh && this.clock.now() - fresh.at < this.freshMs && !fresh.seenBy.has(waiter)) {
      fresh.seenBy.add(waiter);
      return Promise.resolve(fresh.value);
    }
    let flight = this.inFlight.get(key);
    if (!flight) {
      const started = new Flight(call);
      this.inFlight.set(key, started);
      started.promise.then(
        (value) => this.remember(key, value, started.joined),
        () => undefined,
      );
      started.promise.finally(() => this.inFlight.delete(key)).catch(() => undefined);
      flight = started;
    }
    return flight.join(waiter, signal);
  }

  private remember(key: string, value: T, seenBy: Set<object>): void {
    const now = this.clock.now();
    for (const [k, entry] of this.recent) if (now - entry.at >= this.freshMs) this.recent.delete(k);
    this.recent.set(key, { at: now, value, seenBy });
  }
}

/** One call with any number of waits; it is cancelled only when every one of them has given up. */
class Flight<T> {
  readonly promise: Promise<T>;
  readonly joined = new Set<object>();
  private readonly controller = new AbortController();
  private waiting = 0;

  constructor(call: (signal: AbortSignal) => Promise<T>) {
    this.promise = call(this.controller.signal);
  }

  join(waiter: object, signal: AbortSignal): Promise<T> {
    if (signal.aborted) return Promise.reject(signal.reason);
    this.joined.add(waiter);
    this.waiting++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        if (--this.waiting === 0) this.controller.abort(signal.reason);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.promise.then(
        (value) => {
          signal.removeEventListener("abort", onAbort);
          resolve(value);
        },
        (error) => {
          signal.removeEventListener("abort", onAbort);
          reject(error);
        },
      );
    });
  }
}
