import type { TaskOutcome } from "../emulator";
import { COORDINATION_ENV } from "../provider/settings";
import { clbClient } from "../tests/emulator/helpers";
import type { ProviderHost } from "../tests/harness/providerHost";
import type { SecondCounts } from "./charts";
import { countPerSecond, waitThroughHost, type Wait } from "./concurrentWaits";
import { EmulatorProcess } from "./emulatorProcess";
import { REGION, startHost } from "./hostProcess";
import { seededRandom, uniform } from "./random";
import { percentile } from "./summary";
import { taskCompletionInputs } from "./taskInputs";

/**
 * Part (d): K separate provider hosts on one account, as parallel `pulumi up` runs of a CI matrix,
 * each with its own waits, next to a neighbour that polls its own task at a fixed 2 requests/s
 * as a Terraform apply does, all against one emulator at the API's limit.
 */

export interface ProcessesOptions {
  processes: number;
  waitsPerProcess: number;
  rateLimit: number;
  budget: number;
  minTaskSeconds: number;
  maxTaskSeconds: number;
  neighbourPerSecond: number;
  /** false: each process adapts alone, as processes on different machines do. */
  coordinated: boolean;
  seed: number;
}

export interface ProcessesRun extends ProcessesOptions {
  waits: number;
  completed: number;
  wrongStatus: number;
  failures: number;
  ourCalls: number;
  ourThrottled: number;
  neighbourCalls: number;
  neighbourThrottled: number;
  /** Most requests (ours and the neighbour's) the emulator accepted in any one second. */
  maxPerSecond: number;
  p50LatencySeconds: number;
  p95LatencySeconds: number;
  /** (total waits) / limit + 5 s, the bound. */
  latencyBoundSeconds: number;
  makespanSeconds: number;
  perSecond: SecondCounts[];
  /** What each host wrote to stdout and stderr (not written to the results). */
  hostOutputs: string[];
}

/** How a run's hosts coordinate, beyond the default (`coordinated`): a fleet's. */
export interface ProcessesSetup {
  /** Extra environment of host `index`: a temp directory of its own, the Redis URL. */
  hostEnv?: (index: number) => Record<string, string>;
  /** Called as the waits start (after every host has started). */
  onStarted?: () => void;
}

const STATUS_ACTION = "DescribeTaskStatus";
const FAILED_SHARE = 0.1;

export async function runProcesses(options: ProcessesOptions, setup: ProcessesSetup = {}): Promise<ProcessesRun> {
  const emulator = await EmulatorProcess.start(options.rateLimit);
  const hosts: ProviderHost[] = [];
  try {
    const env: Record<string, string> = options.coordinated ? {} : { [COORDINATION_ENV]: "off" };
    // Started one by one: on two cores, starting sixteen hosts at once takes longer than the waits.
    for (let i = 0; i < options.processes; i++) hosts.push(await startHost(options.budget, { ...env, ...setup.hostEnv?.(i) }));
    const template = await taskCompletionInputs({ service: "clb", taskId: "placeholder", endpoint: emulator.url, failOnTaskFailure: false });
    const random = seededRandom(options.seed);
    const plans = hosts.map(() =>
      Array.from({ length: options.waitsPerProcess }, () => ({
        durationMs: uniform(random, options.minTaskSeconds, options.maxTaskSeconds) * 1000,
        outcome: (random() < FAILED_SHARE ? "failed" : "succeeded") as TaskOutcome,
      })),
    );

    const neighbour = new Neighbour(emulator, options.neighbourPerSecond);
    await neighbour.start();
    const startedAt = Date.now();
    setup.onStarted?.();
    const waits: Wait[][] = await Promise.all(hosts.map((host, i) => Promise.all(plans[i].map((task) => waitThroughHost(host, emulator, template, task)))));
    const finishedAt = Math.max(...waits.flat().map((wait) => wait.answeredAt));
    const neighbourCounts = await neighbour.stop();

    const flat = waits.flat();
    const tasks = plans.flat();
    const failures = flat.flatMap((wait) => (wait.error ? [wait.error] : []));
    for (const failure of failures.slice(0, 3)) process.stderr.write(`a wait failed: ${failure}\n`);
    const completesAt = new Map((await emulator.listTasks()).map((view) => [String(view.taskId), Date.parse(view.completesAt)]));
    const latenciesMs = flat.filter((wait) => wait.status).map((wait) => wait.answeredAt - completesAt.get(wait.taskId)!);
    const stats = (await emulator.stats()).actions[STATUS_ACTION];
    const requests = (await emulator.requests()).filter((request) => request.action === STATUS_ACTION);
    const total = options.processes * options.waitsPerProcess;
    return {
      ...options,
      waits: total,
      completed: flat.filter((wait) => wait.status).length,
      wrongStatus: flat.filter((wait, i) => wait.status && wait.status !== tasks[i].outcome).length,
      failures: failures.length,
      ourCalls: (stats?.received ?? 0) - neighbourCounts.calls,
      ourThrottled: (stats?.throttled ?? 0) - neighbourCounts.throttled,
      neighbourCalls: neighbourCounts.calls,
      neighbourThrottled: neighbourCounts.throttled,
      maxPerSecond: stats?.maxPerSecond ?? 0,
      p50LatencySeconds: percentile(latenciesMs, 50) / 1000,
      p95LatencySeconds: percentile(latenciesMs, 95) / 1000,
      latencyBoundSeconds: total / options.rateLimit + 5,
      makespanSeconds: (finishedAt - startedAt) / 1000,
      perSecond: countPerSecond(requests, startedAt, finishedAt),
      hostOutputs: hosts.map((host) => `${host.stdout}\n${host.stderr}`),
    };
  } finally {
    await Promise.all(hosts.map((host) => host.stop()));
    await emulator.stop();
  }
}

/** Another client on the account: polls a task of its own every 1/rate seconds, whatever it is answered. */
class Neighbour {
  private running = true;
  private loop: Promise<void> | undefined;
  private readonly counts = { calls: 0, throttled: 0 };

  constructor(
    private readonly emulator: EmulatorProcess,
    private readonly perSecond: number,
  ) {}

  async start(): Promise<void> {
    const { taskId } = await this.emulator.createTask({ service: "clb", region: REGION, durationMs: 3_600_000, outcome: "succeeded" });
    const client = clbClient(this.emulator, { reqTimeout: 10 });
    this.loop = (async () => {
      while (this.running) {
        const sent = Date.now();
        this.counts.calls++;
        try {
          await client.DescribeTaskStatus({ TaskId: taskId });
        } catch (error) {
          if ((error as { code?: string }).code === "RequestLimitExceeded") this.counts.throttled++;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, sent + 1000 / this.perSecond - Date.now())));
      }
    })();
  }

  async stop(): Promise<{ calls: number; throttled: number }> {
    this.running = false;
    await this.loop;
    return this.counts;
  }
}
