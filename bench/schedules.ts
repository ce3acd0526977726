import { pollUntilDone } from "../provider/poller";
import { defaultSchedule, type Schedule } from "../provider/schedule";
import { catalogue } from "../provider/services";
import type { TaskObservation } from "../provider/task";
import { VirtualClock } from "../tests/support/virtualClock";
import { awsWaiterSchedule, fixedFiveSecondSchedule, terraformSchedule } from "./anchors";
import { logUniform, seededRandom } from "./random";
import { mean, percentile } from "./summary";

/** Part (a): every schedule waits on the same simulated tasks, on virtual time. */

export const SCHEDULES: { name: string; schedule: Schedule }[] = [
  { name: "ours (defaultSchedule)", schedule: defaultSchedule },
  { name: "Terraform provider", schedule: terraformSchedule },
  { name: "tccli / CDK (fixed 5 s)", schedule: fixedFiveSecondSchedule },
  { name: "AWS SDK v3 waiter", schedule: awsWaiterSchedule },
];

export interface TaskProfile {
  name: string;
  minSeconds: number;
  maxSeconds: number;
}

export const CLB_LIKE: TaskProfile = { name: "CLB-like", minSeconds: 0.5, maxSeconds: 60 };
export const REDIS_LIKE: TaskProfile = { name: "Redis-like", minSeconds: 10, maxSeconds: 1800 };

/** One schedule's waits on one profile's tasks. */
export interface ScheduleWaits {
  schedule: string;
  /** Detection latency of each wait: completion seen minus completion, ms. */
  latenciesMs: number[];
  /** Each latency as a share of its task's duration. */
  latencyShares: number[];
  /** Status calls of each wait. */
  calls: number[];
  /**
   * Calls after the first per second waited, of each wait. The first call goes out at once, so
   * (calls - 1) / seconds is the rate the wait held; counting it too would give 4/s to a wait
   * that saw its task done on the second call, 0.5 s in.
   */
  callsPerSecond: number[];
}

export interface ScheduleSummary {
  schedule: string;
  meanLatencySeconds: number;
  p95LatencySeconds: number;
  p95LatencyShare: number;
  meanCalls: number;
  maxCallsPerSecond: number;
}

/** A CLB query as a wait builds it: how the task is named and its statuses worded. */
const CLB_QUERY = catalogue.clb.parse({ taskId: "simulated" }, "ap-guangzhou").query!;
const TASK = { task: CLB_QUERY.ref, label: CLB_QUERY.label, statusText: CLB_QUERY.statusText, wanted: CLB_QUERY.wanted };
const PENDING: TaskObservation = { state: "pending", rawStatus: 2 };
const DONE: TaskObservation = { state: "succeeded", rawStatus: 0 };
/** Far beyond any simulated task, so that no wait times out. */
const TIMEOUT_SECONDS = 86_400;

/** Task durations in ms, the same for every schedule. */
function taskDurations(profile: TaskProfile, count: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => logUniform(random, profile.minSeconds, profile.maxSeconds) * 1000);
}

async function simulateWaits(schedule: Schedule, durationsMs: number[], seed: number): Promise<Omit<ScheduleWaits, "schedule">> {
  const random = seededRandom(seed);
  const waits: Omit<ScheduleWaits, "schedule"> = { latenciesMs: [], latencyShares: [], calls: [], callsPerSecond: [] };
  for (const durationMs of durationsMs) {
    const clock = new VirtualClock();
    // The task starts with the wait and is done from `durationMs` on.
    const call = async () => (clock.now() >= durationMs ? DONE : PENDING);
    const outcome = await clock.run(pollUntilDone({ ...TASK, call, timeoutSeconds: TIMEOUT_SECONDS, clock, schedule, random }));
    const latencyMs = outcome.elapsedMs - durationMs;
    waits.latenciesMs.push(latencyMs);
    waits.latencyShares.push(latencyMs / durationMs);
    waits.calls.push(outcome.attempts);
    waits.callsPerSecond.push((outcome.attempts - 1) / (outcome.elapsedMs / 1000));
  }
  return waits;
}

export function summarize(waits: ScheduleWaits): ScheduleSummary {
  return {
    schedule: waits.schedule,
    meanLatencySeconds: mean(waits.latenciesMs) / 1000,
    p95LatencySeconds: percentile(waits.latenciesMs, 95) / 1000,
    p95LatencyShare: percentile(waits.latencyShares, 95),
    meanCalls: mean(waits.calls),
    maxCallsPerSecond: Math.max(...waits.callsPerSecond),
  };
}

/** Every schedule on `count` tasks of the profile. */
export async function compareSchedules(profile: TaskProfile, count: number, seed: number): Promise<ScheduleWaits[]> {
  const durationsMs = taskDurations(profile, count, seed);
  const results: ScheduleWaits[] = [];
  for (const { name, schedule } of SCHEDULES) {
    results.push({ schedule: name, ...(await simulateWaits(schedule, durationsMs, seed + 1)) });
  }
  return results;
}
