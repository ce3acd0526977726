import type { Clock } from "../../provider/clock";

interface Timer {
  at: number;
  seq: number;
  fire(): void;
}

/**
 * Virtual time for the poll loop, the throttle and the benchmark: `sleep` registers a timer and
 * `run` advances straight to the next one once everything else has settled. Hours of waiting
 * take milliseconds, and the order of events is the same as on real time.
 */
export class VirtualClock implements Clock {
  private time = 0;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(private readonly epoch = Date.parse("2026-01-01T00:00:00Z")) {}

  now(): number {
    return this.time;
  }

  date(): Date {
    return new Date(this.epoch + this.time);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(signal!.reason);
      };
      const timer: Timer = {
        at: this.time + Math.max(0, ms),
        seq: this.seq++,
        fire: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.timers.push(timer);
    });
  }

  /** Advances virtual time until `promise` settles; fails if it never can. */
  async run<T>(promise: Promise<T>, limitMs = 7 * 24 * 3600_000): Promise<T> {
    let settled = false;
    promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (;;) {
      await settle();
      if (settled) return promise;
      if (this.timers.length === 0) throw new Error("deadlock: nothing left to wait for and the promise is still pending");
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift()!;
      if (next.at > limitMs) throw new Error(`virtual time limit of ${limitMs} ms reached`);
      this.time = Math.max(this.time, next.at);
      next.fire();
    }
  }

  /** Moves time forward by `ms` firing due timers, as a wall-clock jump would not. */
  async advance(ms: number): Promise<void> {
    const until = this.time + ms;
    for (;;) {
      await settle();
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.at > until) break;
      this.timers.shift();
      this.time = next.at;
      next.fire();
    }
    this.time = until;
    await settle();
  }
}

/** Lets every pending promise callback run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
