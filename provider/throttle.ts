import { systemClock, type Clock } from "./clock";

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
    await budget.acquire(signal);
    try {
      const result = await call();
      budget.onSuccess();
      return result;
    } catch (error) {
      if (this.options.isThrottled(error)) budget.onThrottled();
      throw error;
    }
  }

  /** The current rate of a key, for tests and the benchmark. */
  rateOf(key: string): number | undefined {
    return this.budgets.get(key)?.rate;
  }
}

interface Ticket {
  grant(): void;
  signal: AbortSignal;
  onAbort(): void;
}

class Budget {
  rate: number;
  private nextSlot = -Infinity;
  private lastCut = -Infinity;
  private readonly queue: Ticket[] = [];
  private pumping = false;

  constructor(
    private readonly ceiling: number,
    private readonly clock: Clock,
  ) {
    this.rate = ceiling;
  }

  acquire(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const ticket: Ticket = {
        signal,
        grant: () => {
          signal.removeEventListener("abort", ticket.onAbort);
          resolve();
        },
        onAbort: () => {
          const index = this.queue.indexOf(ticket);
          if (index >= 0) this.queue.splice(index, 1);
          reject(signal.reason);
        },
      };
      signal.addEventListener("abort", ticket.onAbort, { once: true });
      this.queue.push(ticket);
      void this.pump();
    });
  }

  /**
   * Hands out slots one interval apart. The interval is 5 % longer than 1/rate, so that requests
   * that reach the API up to 50 ms later or earlier than sent (a busy event loop, a new
   * connection) still put no more than `rate` of them in any 1-second window there.
   */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        const now = this.clock.now();
        if (now < this.nextSlot) {
          await this.clock.sleep(this.nextSlot - now);
          continue;
        }
        this.nextSlot = now + (1000 / this.rate) * 1.05;
        this.queue.shift()!.grant();
      }
    } finally {
      this.pumping = false;
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
