import type { ConcurrentRun } from "./concurrentWaits";
import type { ScheduleSummary } from "./schedules";

export interface Goal {
  goal: string;
  target: string;
  measured: string;
  pass: boolean;
}

export interface GoalInputs {
  /** Our schedule on CLB-like and Redis-like tasks. */
  clb: ScheduleSummary;
  redis: ScheduleSummary;
  /** The runs at the emulator's default limit, the largest last. */
  runs: ConcurrentRun[];
  /** The run with the emulator's limit below the budget. */
  limited: ConcurrentRun;
}

/** The goals, each judged on what was measured. */
export function evaluateGoals({ clb, redis, runs, limited }: GoalInputs): Goal[] {
  const largest = runs[runs.length - 1];
  const n = `N = ${largest.waits}`;
  // Judged on every run, not only the largest: a smaller run must not exceed the budget either.
  const everyN = `N = ${runs.map((run) => run.waits).join(", ")}`;
  const each = (value: (run: ConcurrentRun) => number) => runs.map(value).join(", ");
  const maxRate = Math.max(clb.maxCallsPerSecond, redis.maxCallsPerSecond);
  const limitedOk = limited.completed === limited.waits && limited.failures === 0 && limited.wrongStatus === 0;
  const later = limited.perSecond.filter((s) => s.second >= 10);
  const laterCalls = later.reduce((sum, s) => sum + s.answered + s.throttled, 0);
  const laterThrottled = later.reduce((sum, s) => sum + s.throttled, 0);
  const laterShare = laterCalls === 0 ? 0 : laterThrottled / laterCalls;
  return [
    goal("CLB-like: p95 detection latency", "<= 1.5 s", clb.p95LatencySeconds <= 1.5, seconds(clb.p95LatencySeconds)),
    goal("Redis-like: p95 detection latency / task duration", "<= 5 %", redis.p95LatencyShare <= 0.05, percent(redis.p95LatencyShare)),
    // A tiny tolerance: 2 calls in exactly 0.5 s is 2/s, but floating point may say 2.0000000001.
    goal("One wait: status calls per second after the first", "<= 2 /s", maxRate <= 2 + 1e-9, `${maxRate.toFixed(2)} /s at most`),
    goal(`${everyN}: throttled answers`, "0", runs.every((run) => run.throttled === 0), each((run) => run.throttled)),
    goal(
      `${everyN}: most status calls in any 1-s window`,
      `<= budget (${largest.budget})`,
      runs.every((run) => run.maxPerSecond <= run.budget),
      each((run) => run.maxPerSecond),
    ),
    goal(
      `${n}: p95 detection latency`,
      `<= N / budget + 2 s = ${seconds(largest.latencyBoundSeconds)}`,
      largest.p95LatencySeconds <= largest.latencyBoundSeconds,
      seconds(largest.p95LatencySeconds),
    ),
    goal(
      `${n}: makespan`,
      `<= longest task + N / budget + 2 s = ${seconds(largest.makespanBoundSeconds)}`,
      largest.makespanSeconds <= largest.makespanBoundSeconds,
      seconds(largest.makespanSeconds),
    ),
    goal(`${n}: peak RSS of the provider host`, "<= 200 MB", largest.peakRssMb <= 200, `${largest.peakRssMb.toFixed(0)} MB`),
    goal(
      `Emulator limit ${limited.rateLimit}/s < budget ${limited.budget}/s, N = ${limited.waits}: every wait completes with its task's outcome`,
      "all, no throttled answer surfaced",
      limitedOk,
      `${limited.completed}/${limited.waits} completed, ${limited.wrongStatus} wrong status, ${limited.failures} failed; ` +
        `${limited.throttled} throttled answers retried`,
    ),
    goal(
      `Emulator limit ${limited.rateLimit}/s < budget ${limited.budget}/s, N = ${limited.waits}: status calls throttled after the first 10 s`,
      "<= 5 %",
      laterShare <= 0.05,
      `${percent(laterShare)} (${laterThrottled} of ${laterCalls})`,
    ),
  ];
}

function goal(name: string, target: string, pass: boolean, measured: string): Goal {
  return { goal: name, target, measured, pass };
}

export function seconds(value: number): string {
  return `${value.toFixed(2)} s`;
}

export function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}
