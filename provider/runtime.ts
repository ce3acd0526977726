import { isThrottled } from "./callFailures";
import { systemClock, type Clock } from "./clock";
import { machinePeersFromEnv } from "./peers";
import { SharedCalls } from "./sharedCalls";
import type { TaskObservation } from "./task";
import { Throttle } from "./throttle";

/** The process-wide pieces every wait runs on; tests and the benchmark make their own. */
export interface WaitRuntime {
  clock: Clock;
  throttle: Throttle;
  sharedCalls: SharedCalls<TaskObservation>;
  /** A call that has not answered after this long is abandoned and retried. */
  requestTimeoutMs: number;
  /** The budget of every status action, in requests per second; default: `BUDGET_SHARE` of each action's documented limit. */
  requestsPerSecond?: number;
}

/** Far below the SDK's 60 s: a stalled connection costs one retry, not a minute. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The share of an action's documented limit that this machine's processes use by default (17 of
 * the usual 20/s): the rest is left to the account's other clients (a Terraform apply, scripts).
 */
export const BUDGET_SHARE = 0.85;

/** Environment variable setting the budget (requests per second per status action). */
export const REQUESTS_PER_SECOND_ENV = "TENCENTCLOUD_TASK_REQUESTS_PER_SECOND";
/** The same, as stack config. */
export const REQUESTS_PER_SECOND_CONFIG = "tencentcloud-task-completion:requestsPerSecond";

const MAX_REQUESTS_PER_SECOND = 100;

export function newRuntime(overrides: Partial<WaitRuntime> = {}): WaitRuntime {
  const clock = overrides.clock ?? systemClock;
  return {
    clock,
    throttle: new Throttle({ isThrottled, clock }),
    sharedCalls: new SharedCalls<TaskObservation>(500, clock),
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    ...overrides,
  };
}

let processRuntime: WaitRuntime | undefined;

/**
 * One throttle and one call-sharing table for every wait in this process, with the budget from
 * the environment (a malformed one is reported where the waits start: `waitForTask`, the command,
 * the provider's Check).
 */
export function sharedRuntime(): WaitRuntime {
  if (!processRuntime) {
    let requestsPerSecond: number | undefined;
    try {
      requestsPerSecond = requestsPerSecondFromEnv();
    } catch {
      requestsPerSecond = undefined;
    }
    // The processes of this machine share each budget; others, elsewhere, are met by adaptation alone.
    processRuntime = newRuntime({ requestsPerSecond, throttle: new Throttle({ isThrottled, clock: systemClock, peers: machinePeersFromEnv() }) });
  }
  return processRuntime;
}

/** The budget of a status action whose documented limit is `rateLimit`: never above the limit. */
export function budgetFor(runtime: WaitRuntime, rateLimit: number): number {
  return Math.min(rateLimit, runtime.requestsPerSecond ?? rateLimit * BUDGET_SHARE);
}

/** A budget setting that is not a number of requests per second: a usage error, named by its setting. */
export class BudgetSettingError extends Error {
  constructor(readonly setting: string, value: string) {
    super(`${setting}: expected requests per second from 1 to ${MAX_REQUESTS_PER_SECOND}, a whole number (each status action is still held to its documented limit, 20/s for most), got ${JSON.stringify(value)}`);
    this.name = "BudgetSettingError";
  }
}

/** Parses a budget setting: undefined when unset, BudgetSettingError naming the setting when malformed. */
export function parseRequestsPerSecond(value: string | undefined, setting: string): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  // Decimal digits only: Number() would also take "0x10", "1e1" and "1.5".
  const text = value.trim();
  const n = Number(text);
  if (!/^\d{1,3}$/.test(text) || n < 1 || n > MAX_REQUESTS_PER_SECOND) throw new BudgetSettingError(setting, value);
  return n;
}

/** The budget from the environment, for `waitForTask` and the command. */
export function requestsPerSecondFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  return parseRequestsPerSecond(env[REQUESTS_PER_SECOND_ENV], `env ${REQUESTS_PER_SECOND_ENV}`);
}
