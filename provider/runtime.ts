import { isThrottled } from "./callFailures";
import { systemClock, type Clock } from "./clock";
import { machinePeers } from "./peers";
import { RedisPeers } from "./redisPeers";
import type { Coordination } from "./settings";
import { SharedCalls } from "./sharedCalls";
import { Throttle, type Peers } from "./throttle";

/** The process-wide pieces every wait runs on; tests and the benchmark make their own. */
export interface WaitRuntime {
  clock: Clock;
  throttle: Throttle;
  /** Raw status answers, shared by waits that would send the very same request (statusCalls.ts). */
  sharedCalls: SharedCalls<Record<string, unknown>>;
  /** A call that has not answered after this long is abandoned and retried. */
  requestTimeoutMs: number;
}

/** Far below the SDK's 60 s: a stalled connection costs one retry, not a minute. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The share of an action's documented limit that this machine's processes use by default (17 of
 * the usual 20/s): the rest is left to the account's other clients (a Terraform apply, scripts).
 */
export const BUDGET_SHARE = 0.85;

export function newRuntime(overrides: Partial<WaitRuntime> = {}): WaitRuntime {
  const clock = overrides.clock ?? systemClock;
  return {
    clock,
    throttle: new Throttle({ isThrottled, clock }),
    sharedCalls: new SharedCalls<Record<string, unknown>>(500, clock),
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    ...overrides,
  };
}

let processRuntime: WaitRuntime | undefined;

/**
 * One throttle and one call-sharing table for every wait in this process. The first caller's
 * coordination decides how the process shares its budgets with others (one edge per process:
 * the provider's configuration, the command's environment).
 */
export function sharedRuntime(coordination: Coordination = { kind: "machine" }): WaitRuntime {
  processRuntime ??= newRuntime({ throttle: new Throttle({ isThrottled, clock: systemClock, peers: peersFor(coordination) }) });
  return processRuntime;
}

/**
 * Who shares this process's budgets: the processes of this machine (others, elsewhere, are met by
 * adaptation alone), a fleet through Redis (the machine's while Redis fails), or no one.
 */
function peersFor(coordination: Coordination): Peers | undefined {
  switch (coordination.kind) {
    case "machine":
      return machinePeers();
    case "redis":
      return new RedisPeers(coordination, machinePeers());
    case "off":
      return undefined;
  }
}

/** The budget of a status action whose documented limit is `rateLimit`: the setting, or BUDGET_SHARE of the limit; never above the limit. */
export function budgetFor(rateLimit: number, requestsPerSecond: number | undefined): number {
  return Math.min(rateLimit, requestsPerSecond ?? rateLimit * BUDGET_SHARE);
}
