import type { Clock } from "./clock";

/** A call still running this long after the deadline is abandoned. */
export const DEADLINE_GRACE_MS = 1000;

/**
 * A wait's one deadline, on its monotonic clock, given to every step alike (the credential
 * look-up, the poller, the calls):
 * - `reached` aborts at the deadline: a step that has not started its last call stops there
 *   (the credential look-up), and the poller sends its last call then;
 * - `abandoned` aborts DEADLINE_GRACE_MS later: a call still running is given up.
 * Call `dispose` once the wait is over, so that no timer outlives it.
 */
export class Deadline {
  /** Monotonic milliseconds of the deadline. */
  readonly at: number;
  readonly reached: AbortSignal;
  readonly abandoned: AbortSignal;
  private readonly timers = new AbortController();

  constructor(
    private readonly clock: Clock,
    /** When the wait began: time spent before polling (credentials) counts. */
    readonly startedAt: number,
    readonly timeoutSeconds: number,
  ) {
    this.at = startedAt + timeoutSeconds * 1000;
    this.reached = this.timer(this.at);
    this.abandoned = this.timer(this.at + DEADLINE_GRACE_MS);
  }

  /** Milliseconds since the wait began. */
  elapsedMs(): number {
    return this.clock.now() - this.startedAt;
  }

  dispose(): void {
    this.timers.abort();
  }

  private timer(at: number): AbortSignal {
    const fired = new AbortController();
    this.clock.sleep(at - this.clock.now(), this.timers.signal).then(
      () => fired.abort(new Error("deadline")),
      () => undefined,
    );
    return fired.signal;
  }
}
