import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Redis } from "ioredis";
import { COORDINATION_ENV } from "../provider/settings";
import { RedisServer } from "../tests/support/redisServer";
import { aggregateRateChart } from "./charts";
import { percent, seconds, type Goal } from "./goals";
import { runProcesses, type ProcessesOptions, type ProcessesRun } from "./manyProcesses";

/**
 * `npm run bench -- redis`: K provider hosts, each its own machine (a temp directory of its own),
 * sharing each budget through one Redis server, next to a neighbour polling at 2/s; then the same
 * with Redis killed KILL_AFTER_MS into the run.
 */

export const FLEET_CHARTS = { redis: "request-rate-fleet.svg", killed: "request-rate-fleet-killed.svg" };
const KILL_AFTER_MS = 5000;
/** The Redis password of the runs: no host may ever print it. */
const PASSWORD = "fleet-bench-Pa55word";
const WARNING_CODE = "TENCENTCLOUD_TASK_REDIS";

export interface FleetRun extends ProcessesRun {
  redisKilledAfterSeconds?: number;
  /** Hosts that warned of a Redis fault (and shared budgets through their machine from then on). */
  hostsFellBack: number;
  /** Why they fell back, as their warnings said. */
  fallbackReasons: string[];
  /** Hosts whose output held the Redis password (must be 0). */
  hostsPrintedPassword: number;
  /** Round trips to Redis (scripts run and PINGs, by its INFO commandstats; a leave's HDEL not counted), when it lived to the end. */
  redisCommands?: number;
  /** The issue's bound for a fleet: (total waits) / budget + 5 s. */
  fleetLatencyBoundSeconds: number;
}

export async function runFleet(options: Omit<ProcessesOptions, "coordinated">, killRedis: boolean): Promise<FleetRun> {
  const server = await RedisServer.start(["--requirepass", PASSWORD]);
  const machines: string[] = [];
  let killer: NodeJS.Timeout | undefined;
  try {
    const run = await runProcesses(
      { ...options, coordinated: true },
      {
        hostEnv: () => {
          const machine = mkdtempSync(path.join(tmpdir(), "fleet-machine-"));
          machines.push(machine);
          return { TMPDIR: machine, [COORDINATION_ENV]: server.url(`:${PASSWORD}@`) };
        },
        onStarted: () => {
          if (killRedis) killer = setTimeout(() => void server.stop("SIGKILL"), KILL_AFTER_MS);
        },
      },
    );
    return {
      ...run,
      ...(killRedis ? { redisKilledAfterSeconds: KILL_AFTER_MS / 1000 } : { redisCommands: await commandsRun(server.url(`:${PASSWORD}@`)) }),
      hostsFellBack: run.hostOutputs.filter((output) => output.includes(WARNING_CODE)).length,
      fallbackReasons: run.hostOutputs.flatMap((output) => [...output.matchAll(/Warning: Redis coordination at \S+: (.*?)\. This process/g)].map((match) => match[1])),
      hostsPrintedPassword: run.hostOutputs.filter((output) => output.includes(PASSWORD)).length,
      fleetLatencyBoundSeconds: run.waits / options.budget + 5,
    };
  } finally {
    clearTimeout(killer);
    await server.stop();
    for (const machine of machines) rmSync(machine, { recursive: true, force: true });
  }
}

/** The scripts and PINGs the server ran: the commands inside a script count there too, so they are left out. */
async function commandsRun(url: string): Promise<number> {
  const redis = new Redis(url);
  try {
    const stats = await redis.info("commandstats");
    return [...stats.matchAll(/^cmdstat_(evalsha|eval|ping):calls=(\d+)/gm)].reduce((sum, [, , calls]) => sum + Number(calls), 0);
  } finally {
    redis.disconnect();
  }
}

const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);
const reasonsOf = (run: FleetRun) => (run.fallbackReasons.length > 0 ? ` (${[...new Set(run.fallbackReasons)].join("; ")})` : "");

/** The issue's goals for a fleet coordinated through Redis, judged on `runs` (one kind: Redis alive, or killed). */
export function fleetGoals(runs: FleetRun[], label: string): Goal[] {
  const ks = `${label}, K = ${runs.map((run) => run.processes).join(", ")}`;
  const each = (value: (run: FleetRun) => string) => runs.map(value).join(", ");
  return [
    {
      goal: `${ks}: our status calls throttled`,
      target: "<= 1 %",
      pass: runs.every((run) => share(run.ourThrottled, run.ourCalls) <= 0.01),
      measured: each((run) => percent(share(run.ourThrottled, run.ourCalls))),
    },
    {
      goal: `${ks}: the neighbour's calls throttled`,
      target: "<= 0.5 %",
      pass: runs.every((run) => share(run.neighbourThrottled, run.neighbourCalls) <= 0.005),
      measured: each((run) => percent(share(run.neighbourThrottled, run.neighbourCalls))),
    },
    {
      goal: `${ks}: p95 detection latency`,
      target: "<= (K x 30) / 17 + 5 s",
      pass: runs.every((run) => run.p95LatencySeconds <= run.fleetLatencyBoundSeconds),
      measured: each((run) => `${seconds(run.p95LatencySeconds)} (bound ${run.fleetLatencyBoundSeconds.toFixed(0)} s)`),
    },
    {
      goal: `${ks}: every wait ends in its task's outcome`,
      target: "all",
      pass: runs.every((run) => run.completed === run.waits && run.wrongStatus === 0 && run.failures === 0),
      measured: each((run) => `${run.completed - run.wrongStatus}/${run.waits}`),
    },
    {
      goal: `${ks}: the Redis password in any host's output`,
      target: "never",
      pass: runs.every((run) => run.hostsPrintedPassword === 0),
      measured: each((run) => String(run.hostsPrintedPassword)),
    },
  ];
}

export function renderFleet(runs: FleetRun[], goals: Goal[]): string {
  const first = runs[0];
  const table = (rows: FleetRun[]) => [
    "| K machines | waits | our calls | our calls throttled | neighbour's calls throttled | most accepted in any second | p50 latency | p95 latency | makespan | Redis round trips (per status call) | hosts that fell back | wrong outcomes |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (run) =>
        `| ${run.processes} | ${run.waits} | ${run.ourCalls} | ${percent(share(run.ourThrottled, run.ourCalls))} (${run.ourThrottled}) | ` +
        `${percent(share(run.neighbourThrottled, run.neighbourCalls))} (${run.neighbourThrottled}/${run.neighbourCalls}) | ${run.maxPerSecond} | ` +
        `${seconds(run.p50LatencySeconds)} | ${seconds(run.p95LatencySeconds)} | ${seconds(run.makespanSeconds)} | ` +
        `${run.redisCommands === undefined ? "-" : `${run.redisCommands} (${(run.redisCommands / run.ourCalls).toFixed(1)})`} | ${run.hostsFellBack}${reasonsOf(run)} | ${run.waits - run.completed + run.wrongStatus} |`,
    ),
  ];
  const alive = runs.filter((run) => run.redisKilledAfterSeconds === undefined);
  const killed = runs.filter((run) => run.redisKilledAfterSeconds !== undefined);
  return [
    "# A fleet on one account, coordinated through Redis",
    "",
    `K provider hosts, each its own machine (a temp directory of its own), each with ${first.waitsPerProcess} CLB waits (tasks ${first.minTaskSeconds}-${first.maxTaskSeconds} s, 10 % failing),`,
    `budget ${first.budget}/s shared through one \`redis-server\` (\`TENCENTCLOUD_TASK_COORDINATION=redis://:<password>@127.0.0.1:<port>\`),`,
    `next to a neighbour polling its own task at ${first.neighbourPerSecond} requests/s; one emulator with a limit of ${first.rateLimit}/s per action and account.`,
    "Latency: a Create answered minus its task done. Produced by `npm run bench -- redis`.",
    "",
    "## Goals",
    "",
    "| Goal | Target | Measured | Result |",
    "|---|---|---|---|",
    ...goals.map((g) => `| ${g.goal} | ${g.target} | ${g.measured} | ${g.pass ? "PASS" : "**FAIL**"} |`),
    "",
    "## Redis up throughout",
    "",
    ...table(alive),
    "",
    `![aggregate request rate, fleet through Redis](${FLEET_CHARTS.redis})`,
    "",
    ...(killed.length > 0
      ? [
          `## Redis killed (SIGKILL) ${killed[0].redisKilledAfterSeconds} s into the run`,
          "",
          "Each host warns once and shares its budgets through its own machine's directory, keeping to its last share of the fleet.",
          "",
          ...table(killed),
          "",
          `![aggregate request rate, Redis killed](${FLEET_CHARTS.killed})`,
          "",
        ]
      : []),
  ].join("\n");
}

/** The aggregate request rate of each run against the limit. */
export function fleetChart(runs: FleetRun[], killed: boolean, limit: number): string {
  const title = killed ? `A fleet through Redis, Redis killed ${KILL_AFTER_MS / 1000} s in: requests per second` : "A fleet of K machines through Redis, and a neighbour: requests per second";
  return aggregateRateChart(title, runs.map((run) => ({ label: `K = ${run.processes}`, perSecond: run.perSecond })), limit);
}
