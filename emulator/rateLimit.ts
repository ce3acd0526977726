import { ApiError } from "./apiError";

/** Requests per second per action and SecretId: both task APIs document 20. */
export const DEFAULT_RATE_LIMIT = 20;

/** One limit for every action, or a default with per-action overrides. */
export type RateLimitOption = number | { default?: number; actions?: Record<string, number> };

const WINDOW_MS = 1000;

/** The times of the events of the last second. */
export class SlidingWindow {
  private readonly times: number[] = [];

  /** Events in the second that ends at `now`. */
  count(now: number): number {
    while (this.times.length > 0 && this.times[0] <= now - WINDOW_MS) this.times.shift();
    return this.times.length;
  }

  add(now: number): void {
    this.times.push(now);
  }
}

/**
 * Limits accepted requests per (action, SecretId) in any sliding second of real time, like API
 * 3.0. Throttled requests do not count toward the window.
 */
export class RateLimiter {
  private readonly windows = new Map<string, SlidingWindow>();

  constructor(private readonly option: RateLimitOption = DEFAULT_RATE_LIMIT) {}

  limitFor(action: string): number {
    if (typeof this.option === "number") return this.option;
    return this.option.actions?.[action] ?? this.option.default ?? DEFAULT_RATE_LIMIT;
  }

  /** Counts the request, or throws `RequestLimitExceeded` if the window is full. */
  take(action: string, secretId: string, now: number = performance.now()): void {
    const key = `${action}/${secretId}`;
    const window = this.windows.get(key) ?? new SlidingWindow();
    this.windows.set(key, window);
    const limit = this.limitFor(action);
    const count = window.count(now) + 1;
    if (count > limit) throw requestLimitExceeded(count, limit);
    window.add(now);
  }

  clear(): void {
    this.windows.clear();
  }
}

export function requestLimitExceeded(count: number, limit: number): ApiError {
  return new ApiError(
    "RequestLimitExceeded",
    `Your current request times equals to \`${count}\` in a second, ` +
      `which exceeds the frequency limit \`${limit}\` for a second. Please reduce the frequency of calls.`,
  );
}
