import type { LoggedRequest, TaskOutcome } from "../emulator";
import type { ProviderHost, Props } from "../tests/harness/providerHost";
import type { SecondCounts } from "./charts";
import { EmulatorProcess } from "./emulatorProcess";
import { peakRssMb, REGION, startHost } from "./hostProcess";
import { seededRandom, uniform } from "./random";
import { percentile } from "./summary";
import { taskCompletionInputs } from "./taskInputs";

/**
 * Part (b): N waits at once on real time, the way `pulumi up` runs them: Check then Create of
 * N TaskCompletion resources, all in one provider host process, against the emulator in another.
 */

export interface ConcurrentOptions {
  waits: number;
  /** The emulator's limit per second. */
  rateLimit: number;
  /** The throttle's budget per second in the host. */
  budget: number;
  minTaskSeconds: number;
  maxTaskSeconds: number;
  seed: number;
}

export interface ConcurrentRun extends ConcurrentOptions {
  /** Creates that answered. */
  completed: number;
  /** Creates (or Checks) that failed; their messages go to standard error, not into the results. */
  failures: number;
  /** Waits whose recorded status is not their task's outcome. */
  wrongStatus: number;
  statusCalls: number;
  throttled: number;
  /** Most status calls the emulator accepted in any one second. */
  maxPerSecond: number;
  /** Create answered minus task done, 95th percentile. */
  p95LatencySeconds: number;
  /** N / budget + 2 s. */
  latencyBoundSeconds: number;
  longestTaskSeconds: number;
  /** The first task started to the last Create answered. */
  makespanSeconds: number;
  /** Longest task + N / budget + 2 s. */
  makespanBoundSeconds: number;
  peakRssMb: number;
  perSecond: SecondCounts[];
}

/** Tasks that fail: their waits must record the failure, not throw it (failOnTaskFailure: false). */
const FAILED_SHARE = 0.1;
const STATUS_ACTION = "DescribeTaskStatus";

export async function runConcurrentWaits(options: ConcurrentOptions): Promise<ConcurrentRun> {
  const emulator = await EmulatorProcess.start(options.rateLimit);
  let host: ProviderHost | undefined;
  try {
    host = await startHost(options.budget);
    const template = await taskCompletionInputs({ service: "clb", taskId: "placeholder", endpoint: emulator.url, failOnTaskFailure: false });
    const random = seededRandom(options.seed);
    const tasks = Array.from({ length: options.waits }, () => ({
      durationMs: uniform(random, options.minTaskSeconds, options.maxTaskSeconds) * 1000,
      outcome: (random() < FAILED_SHARE ? "failed" : "succeeded") as TaskOutcome,
    }));

    const startedAt = Date.now();
    const waits = await Promise.all(tasks.map((task) => waitThroughHost(host!, emulator, template, task)));
    const finishedAt = Math.max(...waits.map((wait) => wait.answeredAt));
    const failures = waits.flatMap((wait) => (wait.error ? [wait.error] : []));
    for (const failure of failures.slice(0, 3)) process.stderr.write(`a wait failed: ${failure}\n`);
    const rss = peakRssMb(host.process.pid!);

    const completesAt = new Map((await emulator.listTasks()).map((view) => [String(view.taskId), Date.parse(view.completesAt)]));
    const latenciesMs = waits.filter((wait) => wait.status).map((wait) => wait.answeredAt - completesAt.get(wait.taskId)!);
    const stats = (await emulator.stats()).actions[STATUS_ACTION];
    const requests = (await emulator.requests()).filter((request) => request.action === STATUS_ACTION);
    const bound = options.waits / options.budget + 2;
    const longestTaskSeconds = Math.max(...tasks.map((task) => task.durationMs)) / 1000;
    return {
      ...options,
      completed: waits.filter((wait) => wait.status).length,
      failures: failures.length,
      wrongStatus: waits.filter((wait, i) => wait.status && wait.status !== tasks[i].outcome).length,
      statusCalls: stats?.received ?? 0,
      throttled: stats?.throttled ?? 0,
      maxPerSecond: stats?.maxPerSecond ?? 0,
      p95LatencySeconds: percentile(latenciesMs, 95) / 1000,
      latencyBoundSeconds: bound,
      longestTaskSeconds,
      makespanSeconds: (finishedAt - startedAt) / 1000,
      makespanBoundSeconds: longestTaskSeconds + bound,
      peakRssMb: rss,
      perSecond: countPerSecond(requests, startedAt, finishedAt),
    };
  } finally {
    await host?.stop();
    await emulator.stop();
  }
}

export interface Wait {
  taskId: string;
  answeredAt: number;
  /** The recorded status, when Create answered. */
  status?: string;
  error?: string;
}

/** Starts the task, then checks and creates its TaskCompletion, as a resource that depends on the task's creator. */
export async function waitThroughHost(
  host: ProviderHost,
  emulator: EmulatorProcess,
  template: Props,
  task: { durationMs: number; outcome: TaskOutcome },
): Promise<Wait> {
  const { taskId } = await emulator.createTask({ service: "clb", region: REGION, ...task });
  try {
    const checked = await host.check({ ...template, taskId });
    if (checked.failures.length > 0) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
    const created = await host.create(checked.inputs);
    return { taskId, answeredAt: Date.now(), status: String(created.properties.status) };
  } catch (error) {
    return { taskId, answeredAt: Date.now(), error: (error as Error).message };
  }
}

export function countPerSecond(requests: LoggedRequest[], from: number, to: number): SecondCounts[] {
  const perSecond = Array.from({ length: Math.ceil((to - from) / 1000) }, (_, second) => ({ second, answered: 0, throttled: 0 }));
  for (const { at, outcome } of requests) {
    const bucket = perSecond[Math.floor((at - from) / 1000)];
    if (!bucket) continue;
    if (outcome === "throttled") bucket.throttled++;
    else bucket.answered++;
  }
  return perSecond;
}
