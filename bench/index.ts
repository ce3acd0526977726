import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import * as path from "node:path";
import { DEFAULT_RATE_LIMIT } from "../emulator/rateLimit";
import { BUDGET_SHARE } from "../provider/runtime";
import { aggregateRateChart, cdfChart, requestRateChart } from "./charts";
import { runConcurrentWaits, type ConcurrentRun } from "./concurrentWaits";
import { FLEET_CHARTS, fleetChart, fleetGoals, renderFleet, runFleet, type FleetRun } from "./fleet";
import { evaluateGoals, type Goal } from "./goals";
import { CHARTS, renderMarkdown, type BenchResults } from "./report";
import { runProcesses, type ProcessesRun } from "./manyProcesses";
import { PROCESSES_CHARTS, processesGoals, renderProcesses } from "./processesReport";
import { measureResourceCost } from "./resourceCost";
import { CLB_LIKE, compareSchedules, REDIS_LIKE, SCHEDULES, summarize, type ScheduleWaits } from "./schedules";

/**
 * `npm run bench [-- --quick]`: (a) schedules side by side on virtual time, (b) concurrent waits
 * through one provider host against the emulator, (c) the cost of the resource itself, (d) several
 * processes on one account. `npm run bench -- redis` runs (e) alone: a fleet through Redis. Writes
 * bench/results/latest.{md,json} and SVG charts, prints PASS/FAIL per goal, and exits 0 whatever
 * the goals say: a missed goal is a result, not a crash.
 */

const FULL = { virtualTasks: 10_000, waits: [50, 200, 500], limitedWaits: 50, maxTaskSeconds: 20, costRuns: 5, processes: [1, 4, 8, 16], processTaskSeconds: [3, 30], fleet: [4, 8, 16] };
// Under a minute: fewer and shorter tasks.
const QUICK = { virtualTasks: 2_000, waits: [20, 50], limitedWaits: 50, maxTaskSeconds: 5, costRuns: 3, processes: [1, 4], processTaskSeconds: [2, 6], fleet: [4] };
/** Far below the default budget, as if other clients used most of the account's 20/s. */
const LOWERED_RATE_LIMIT = 5;
const SEED = 20_240_601;
/** The default budget of a status action documented at the emulator's default limit. */
const DEFAULT_BUDGET = DEFAULT_RATE_LIMIT * BUDGET_SHARE;

const ROOT = path.resolve(__dirname, "..");
const RESULTS = path.join(__dirname, "results");

async function main(): Promise<void> {
  const quick = process.argv.includes("--quick");
  const config = quick ? QUICK : FULL;
  checkBuild();
  const started = performance.now();
  if (process.argv.includes("redis")) {
    for (const goal of await fleet(config)) log(`${goal.pass ? "PASS" : "FAIL"}  ${goal.goal}: ${goal.measured} (target ${goal.target})`);
    return;
  }
  if (process.argv.includes("--processes")) {
    for (const goal of await severalProcesses(config)) log(`${goal.pass ? "PASS" : "FAIL"}  ${goal.goal}: ${goal.measured} (target ${goal.target})`);
    return;
  }

  log(`(a) ${SCHEDULES.length} schedules x ${config.virtualTasks} tasks per profile, on virtual time`);
  const clbWaits = await compareSchedules(CLB_LIKE, config.virtualTasks, SEED);
  const redisWaits = await compareSchedules(REDIS_LIKE, config.virtualTasks, SEED + 10);

  const budget = DEFAULT_BUDGET;
  const runs: ConcurrentRun[] = [];
  const runSpecs = [
    ...config.waits.map((waits) => ({ waits, rateLimit: DEFAULT_RATE_LIMIT })),
    { waits: config.limitedWaits, rateLimit: LOWERED_RATE_LIMIT },
  ];
  for (const [i, spec] of runSpecs.entries()) {
    log(`(b) ${spec.waits} concurrent waits, emulator limit ${spec.rateLimit}/s, budget ${budget}/s`);
    runs.push(await runConcurrentWaits({ ...spec, budget, minTaskSeconds: 1, maxTaskSeconds: config.maxTaskSeconds, seed: SEED + 100 + i }));
  }
  log(`(c) cost of the resource, ${config.costRuns} runs`);
  const resourceCost = await measureResourceCost(config.costRuns, budget);
  const processGoals = await severalProcesses(config);

  const clb = clbWaits.map(summarize);
  const redis = redisWaits.map(summarize);
  const largest = runs[config.waits.length - 1];
  const limited = runs[runs.length - 1];
  const results: BenchResults = {
    mode: quick ? "quick" : "full",
    date: new Date().toISOString().slice(0, 10),
    environment: { node: process.version, cpus: availableParallelism(), platform: `${process.platform}/${process.arch}` },
    durationSeconds: (performance.now() - started) / 1000,
    schedules: [
      { profile: CLB_LIKE, tasks: config.virtualTasks, summaries: clb },
      { profile: REDIS_LIKE, tasks: config.virtualTasks, summaries: redis },
    ],
    concurrent: runs.map(({ perSecond: _perSecond, ...run }) => run),
    resourceCost,
    goals: [...evaluateGoals({ clb: clb[0], redis: redis[0], runs: runs.slice(0, config.waits.length), limited }), ...processGoals],
  };

  writeResults(results, { clbWaits, redisWaits, largest, limited });
  log(`results in ${path.relative(process.cwd(), RESULTS)}/latest.md (${results.durationSeconds.toFixed(0)} s)`);
  for (const goal of results.goals) log(`${goal.pass ? "PASS" : "FAIL"}  ${goal.goal}: ${goal.measured} (target ${goal.target})`);
}

/**
 * (d) K processes on one account next to a neighbour, first sharing each budget as processes of
 * one machine do, then each adapting alone as processes on separate machines do. Writes
 * processes.{md,json} and the charts; returns the goals (judged on the first).
 */
async function severalProcesses(config: typeof FULL): Promise<ReturnType<typeof processesGoals>> {
  const runs: ProcessesRun[] = [];
  const [minTaskSeconds, maxTaskSeconds] = config.processTaskSeconds;
  for (const coordinated of [true, false]) {
    for (const processes of config.processes) {
      log(`(d) ${processes} processes x 30 waits, neighbour at 2/s, emulator limit ${DEFAULT_RATE_LIMIT}/s${coordinated ? "" : ", each adapting alone"}`);
      const run = await runProcesses({
        processes,
        waitsPerProcess: 30,
        rateLimit: DEFAULT_RATE_LIMIT,
        budget: DEFAULT_BUDGET,
        minTaskSeconds,
        maxTaskSeconds,
        neighbourPerSecond: 2,
        coordinated,
        seed: SEED + 200 + processes,
      });
      log(
        `    ours throttled ${run.ourThrottled}/${run.ourCalls}, neighbour ${run.neighbourThrottled}/${run.neighbourCalls}, ` +
          `max ${run.maxPerSecond}/s, p95 ${run.p95LatencySeconds.toFixed(1)} s, makespan ${run.makespanSeconds.toFixed(1)} s`,
      );
      runs.push(run);
    }
  }
  const goals = processesGoals(runs.filter((run) => run.coordinated));
  const chart = (coordinated: boolean, title: string) =>
    aggregateRateChart(
      title,
      runs.filter((run) => run.coordinated === coordinated).map((run) => ({ label: `K = ${run.processes}`, perSecond: run.perSecond })),
      DEFAULT_RATE_LIMIT,
    );
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(path.join(RESULTS, "processes.md"), `${renderProcesses(runs, goals)}
`);
  writeFileSync(path.join(RESULTS, "processes.json"), `${JSON.stringify(runs.map(({ perSecond: _perSecond, hostOutputs: _hostOutputs, ...run }) => run), null, 2)}
`);
  writeFileSync(path.join(RESULTS, PROCESSES_CHARTS.coordinated), chart(true, "K processes on one machine and a neighbour: requests per second"));
  writeFileSync(path.join(RESULTS, PROCESSES_CHARTS.alone), chart(false, "K processes each adapting alone, and a neighbour"));
  return goals;
}

/**
 * (e) `npm run bench -- redis`: K machines sharing each budget through Redis, next to a neighbour;
 * then the same with Redis killed 5 s in. Writes fleet.{md,json} and the charts; returns the goals.
 */
async function fleet(config: typeof FULL): Promise<Goal[]> {
  const runs: FleetRun[] = [];
  const [minTaskSeconds, maxTaskSeconds] = config.processTaskSeconds;
  for (const killRedis of [false, true]) {
    for (const processes of config.fleet) {
      log(`(e) ${processes} machines x 30 waits through Redis${killRedis ? ", Redis killed 5 s in" : ""}, neighbour at 2/s, emulator limit ${DEFAULT_RATE_LIMIT}/s`);
      const run = await runFleet(
        { processes, waitsPerProcess: 30, rateLimit: DEFAULT_RATE_LIMIT, budget: DEFAULT_BUDGET, minTaskSeconds, maxTaskSeconds, neighbourPerSecond: 2, seed: SEED + 300 + processes },
        killRedis,
      );
      log(
        `    ours throttled ${run.ourThrottled}/${run.ourCalls}, neighbour ${run.neighbourThrottled}/${run.neighbourCalls}, max ${run.maxPerSecond}/s, ` +
          `p95 ${run.p95LatencySeconds.toFixed(1)} s, makespan ${run.makespanSeconds.toFixed(1)} s, fell back ${run.hostsFellBack}/${processes}`,
      );
      runs.push(run);
    }
  }
  const alive = runs.filter((run) => run.redisKilledAfterSeconds === undefined);
  const killed = runs.filter((run) => run.redisKilledAfterSeconds !== undefined);
  const goals = [...fleetGoals(alive, "Fleet through Redis"), ...fleetGoals(killed, "Fleet, Redis killed 5 s in")];
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(path.join(RESULTS, "fleet.md"), `${renderFleet(runs, goals)}\n`);
  writeFileSync(path.join(RESULTS, "fleet.json"), `${JSON.stringify(runs.map(({ perSecond: _perSecond, hostOutputs: _hostOutputs, ...run }) => run), null, 2)}\n`);
  writeFileSync(path.join(RESULTS, FLEET_CHARTS.redis), fleetChart(alive, false, DEFAULT_RATE_LIMIT));
  writeFileSync(path.join(RESULTS, FLEET_CHARTS.killed), fleetChart(killed, true, DEFAULT_RATE_LIMIT));
  return goals;
}

/** latest.md, latest.json and the charts. */
interface ChartData {
  clbWaits: ScheduleWaits[];
  redisWaits: ScheduleWaits[];
  largest: ConcurrentRun;
  limited: ConcurrentRun;
}

function writeResults(results: BenchResults, { clbWaits, redisWaits, largest, limited }: ChartData): void {
  const files = {
    "latest.md": renderMarkdown(results),
    "latest.json": `${JSON.stringify(results, null, 2)}\n`,
    [CHARTS.clbLatency]: cdfChart(
      "CLB-like tasks (0.5-60 s): detection latency",
      "detection latency (s), axis cut at 15 s",
      15,
      clbWaits.map((w) => ({ label: w.schedule, values: w.latenciesMs.map((ms) => ms / 1000) })),
    ),
    [CHARTS.redisLatency]: cdfChart(
      "Redis-like tasks (10-1800 s): latency / duration",
      "detection latency as % of task duration, axis cut at 100 %",
      100,
      redisWaits.map((w) => ({ label: w.schedule, values: w.latencyShares.map((share) => share * 100) })),
    ),
    [CHARTS.requestRate]: requestRateChart(`${largest.waits} concurrent waits, one provider host`, largest.perSecond, largest.budget, largest.rateLimit),
    [CHARTS.limitedRequestRate]: requestRateChart(
      `${limited.waits} concurrent waits, emulator limit below the budget`,
      limited.perSecond,
      limited.budget,
      limited.rateLimit,
    ),
  };
  mkdirSync(RESULTS, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(RESULTS, name), content);
}

/** The host and the emulator run the built package: measuring stale code would mislead. */
function checkBuild(): void {
  const built = path.join(ROOT, "dist/provider/index.js");
  if (!existsSync(built) || !existsSync(path.join(ROOT, "dist/emulator/cli.js"))) {
    throw new Error("dist/ is missing: run `npm run build` first");
  }
  const sources = ["provider", "emulator", "sdk"].flatMap((dir) =>
    readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" }).map((file) => path.join(ROOT, dir, file)),
  );
  if (sources.some((file) => file.endsWith(".ts") && statSync(file).mtimeMs > statSync(built).mtimeMs)) {
    log("warning: sources changed since the last build; run `npm run build` to measure them");
  }
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(1));

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
