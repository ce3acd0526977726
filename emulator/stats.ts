import { SlidingWindow } from "./rateLimit";

export interface ActionStats {
  received: number;
  /** Answered successfully. */
  ok: number;
  /** Answered `RequestLimitExceeded` by the rate limiter. */
  throttled: number;
  /** Hit by an injected fault (a stalled request that is answered later also counts in its final outcome). */
  faulted: number;
  /** Answered an `AuthFailure.*` error. */
  authRejected: number;
  /** Answered any other API error. */
  rejected: number;
  /** Most requests accepted (past auth and rate limit) in any one-second window. */
  maxPerSecond: number;
}

export interface StatsSnapshot {
  actions: Record<string, ActionStats>;
}

export type RequestOutcome = "ok" | "throttled" | "faulted" | "authRejected" | "rejected";

/**
 * Counters per `X-TC-Action` seen so far: actions the emulator serves or a script answers under
 * their name, any other under `(unknown)`, requests without one under `(none)`.
 */
export class Stats {
  private readonly actions = new Map<string, { counts: ActionStats; accepted: SlidingWindow }>();

  received(action: string): void {
    this.entry(action).counts.received++;
  }

  count(action: string, outcome: RequestOutcome): void {
    this.entry(action).counts[outcome]++;
  }

  accepted(action: string, now: number = performance.now()): void {
    const { counts, accepted } = this.entry(action);
    accepted.add(now);
    counts.maxPerSecond = Math.max(counts.maxPerSecond, accepted.count(now));
  }

  snapshot(): StatsSnapshot {
    return { actions: Object.fromEntries([...this.actions].map(([action, { counts }]) => [action, { ...counts }])) };
  }

  clear(): void {
    this.actions.clear();
  }

  private entry(action: string) {
    let entry = this.actions.get(action);
    if (!entry) {
      const counts = { received: 0, ok: 0, throttled: 0, faulted: 0, authRejected: 0, rejected: 0, maxPerSecond: 0 };
      entry = { counts, accepted: new SlidingWindow() };
      this.actions.set(action, entry);
    }
    return entry;
  }
}
