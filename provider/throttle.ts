import { systemClock, whenAborted, type Clock } from "./clock";

export interface ThrottleOptions {
  /** Whether a failed call was throttled by the API (RequestLimitExceeded). */
  isThrottled: (error: unknown) => boolean;
  clock?: Clock;
}

/** One budget: requests with the same key share it. */
export interface BudgetKey {
  key: string;
  /** The ceiling of this key, in requests per second. */
  requestsPerSecond: number;
}

/** The API allows 20 requests/second per action and account; stay comfortably below. */
export const DEFAULT_REQUESTS_PER_SECOND = 15;

/**
 * One request budget per key (action, endpoint, region, account) for the whole process, shared
 * by every wait. Requests leave evenly spaced, in the order they asked (so no wait starves);
 * each RequestLimitExceeded answer halves the rate (other clients share the account), and
 * successes bring it back gradually to the budget.
 */
export class Throttle {
  private readonly budgets = new Map<string, Budget>();
  private readonly clock: Clock;

  constructor(private readonly options: ThrottleOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Runs `call` when the key's budget allows; rejects at once if `signal` aborts while queued. */
  async run<T>({ key, requestsPerSecond }: BudgetKey, signal: AbortSignal, call: () => Promise<T>): Promise<T> {
    let budget = this.budgets.get(key);
    if (!budget) {
      budget = new Budget(requestsPerSecond, this.clock);
      this.budgets.set(key, budget);
    }
    const release = await budget.acquire(signal);
    try {
      const result = await call();
      budget.onSuccess();
      return result;
    } catch (error) {
      if (this.options.isThrottled(error)) budget.onThrottled();
      throw error;
    } finally {
      release();
    }
  }

  /** The current rate of a key, for tests and the benchmark. */
  rateOf(key: string): number | undefined {
    return this.budgets.get(key)?.rate;
  }
}

interface Ticket {
  grant(): void;
}

/**
 * How long a call holds its place after it settled. The server counted the request at some moment
 * between our grant and the answer, so a place held until the answer plus one second means no
 * `budget + 1` requests can ever fall into one second there, however late the first of them
 * arrived (a new connection, a busy event loop). The extra 25 ms covers a cancelled request whose
 * bytes were already on the wire.
 */
const HOLD_AFTER_ANSWER_MS = 1000 + 25;

class Budget {
  rate: number;
  private nextSlot = -Infinity;
  private lastCut = -Infinity;
  private readonly queue: Ticket[] = [];
  /** Calls granted and not yet settled. */
  private inFlight = 0;
  /** When recent calls settled, oldest first: each holds a place until HOLD_AFTER_ANSWER_MS later. */
  private readonly settled: number[] = [];
  private timer: AbortController | undefined;

  constructor(
    private readonly ceiling: number,
    private readonly clock: Clock,
  ) {
    this.rate = ceiling;
  }

  /** Resolves with the function that gives the place back once the call has settled. */
  acquire(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const ticket: Ticket = {
        grant: () => {
          forget();
          this.inFlight++;
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            this.inFlight--;
            this.settled.push(this.clock.now());
            this.pump();
          });
        },
      };
      // One listener on the signal however many waits queue on it, and none left once granted.
      const forget = whenAborted(signal, (reason) => {
        const index = this.queue.indexOf(ticket);
        if (index >= 0) this.queue.splice(index, 1);
        reject(reason);
        this.pump();
      });
      this.queue.push(ticket);
      this.pump();
    });
  }

  /** Places in any one second: the rate, rounded down, and at least one. */
  private get places(): number {
    return Math.max(1, Math.floor(this.rate));
  }

  /**
   * Grants the queue in order, one interval (1/rate) apart and never more than `places` calls in
   * flight or answered within HOLD_AFTER_ANSWER_MS; otherwise sleeps until the next place frees.
   */
  private pump(): void {
    this.timer?.abort();
    this.timer = undefined;
    while (this.queue.length > 0) {
      const now = this.clock.now();
      while (this.settled.length > 0 && this.settled[0] + HOLD_AFTER_ANSWER_MS <= now) this.settled.shift();
      const excess = this.inFlight + this.settled.length - this.places + 1;
      // Every place is held by a call still in flight: its release pumps again.
      if (excess > this.settled.length) return;
      const freeAt = excess > 0 ? this.settled[excess - 1] + HOLD_AFTER_ANSWER_MS : -Infinity;
      const at = Math.max(this.nextSlot, freeAt);
      if (now < at) {
        const timer = new AbortController();
        this.timer = timer;
        this.clock.sleep(at - now, timer.signal).then(
          () => this.pump(),
          () => undefined,
        );
        return;
      }
      this.nextSlot = now + 1000 / this.rate;
      this.queue.shift()!.grant();
    }
  }
  /** Additive increase: about +1 request/second for every 20 successes. */
  onSuccess(): void {
    this.rate = Math.min(this.ceiling, this.rate + 0.05);
  }

  /**
   * Multiplicative decrease, at most once a second (answers to a burst arrive together), down to
   * a quarter of the budget: four processes at that floor still fit the API's 20/s, and throttling
   * that is not of our making (a busy account, a flaky API) cannot stall every wait.
   */
  onThrottled(): void {
    const now = this.clock.now();
    if (now - this.lastCut < 1000) return;
    this.lastCut = now;
    this.rate = Math.max(this.ceiling / 4, this.rate / 2);
    this.nextSlot = Math.max(this.nextSlot, now + 1000 / this.rate);
  }
}
