import { percent, seconds, type Goal } from "./goals";
import type { ProcessesRun } from "./manyProcesses";

export const PROCESSES_CHARTS = { coordinated: "request-rate-processes.svg", alone: "request-rate-processes-alone.svg" };

const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

/** The goals for several processes on one account, judged on the coordinated runs (one machine). */
export function processesGoals(runs: ProcessesRun[]): Goal[] {
  const ks = runs.map((run) => run.processes).join(", ");
  const each = (value: (run: ProcessesRun) => string) => runs.map(value).join(", ");
  return [
    {
      goal: `Several processes, K = ${ks}: our status calls throttled`,
      target: "<= 5 %",
      pass: runs.every((run) => share(run.ourThrottled, run.ourCalls) <= 0.05),
      measured: each((run) => percent(share(run.ourThrottled, run.ourCalls))),
    },
    {
      goal: `Several processes, K = ${ks}: the neighbour's calls throttled`,
      target: "<= 2 %",
      pass: runs.every((run) => share(run.neighbourThrottled, run.neighbourCalls) <= 0.02),
      measured: each((run) => percent(share(run.neighbourThrottled, run.neighbourCalls))),
    },
    {
      goal: `Several processes, K = ${ks}: every wait ends in its task's outcome`,
      target: "all",
      pass: runs.every((run) => run.completed === run.waits && run.wrongStatus === 0 && run.failures === 0),
      measured: each((run) => `${run.completed - run.wrongStatus}/${run.waits}`),
    },
    {
      goal: `Several processes, K = ${ks}: p95 detection latency`,
      target: "<= total waits / 20 + 5 s",
      pass: runs.every((run) => run.p95LatencySeconds <= run.latencyBoundSeconds),
      measured: each((run) => `${seconds(run.p95LatencySeconds)} (bound ${run.latencyBoundSeconds.toFixed(0)} s)`),
    },
  ];
}

export function renderProcesses(runs: ProcessesRun[], goals: Goal[]): string {
  const first = runs[0];
  const table = (rows: ProcessesRun[]) => [
    "| K processes | waits | our calls | our calls throttled | neighbour's calls throttled | most accepted in any second | p50 latency | p95 latency | makespan | wrong outcomes |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (run) =>
        `| ${run.processes} | ${run.waits} | ${run.ourCalls} | ${percent(share(run.ourThrottled, run.ourCalls))} (${run.ourThrottled}) | ` +
        `${percent(share(run.neighbourThrottled, run.neighbourCalls))} (${run.neighbourThrottled}/${run.neighbourCalls}) | ${run.maxPerSecond} | ` +
        `${seconds(run.p50LatencySeconds)} | ${seconds(run.p95LatencySeconds)} | ${seconds(run.makespanSeconds)} | ${run.waits - run.completed + run.wrongStatus} |`,
    ),
  ];
  const coordinated = runs.filter((run) => run.coordinated);
  const alone = runs.filter((run) => !run.coordinated);
  return [
    "# Several processes on one account",
    "",
    `K provider hosts, each with ${first.waitsPerProcess} CLB waits (tasks ${first.minTaskSeconds}-${first.maxTaskSeconds} s, 10 % failing), budget ${first.budget}/s each,`,
    `next to a neighbour polling its own task at ${first.neighbourPerSecond} requests/s; one emulator with a limit of ${first.rateLimit}/s per action and account.`,
    "Latency: a Create answered minus its task done. Produced by `npm run bench` (or `npm run bench -- --processes`).",
    "",
    "## Goals (processes on one machine, which share each budget)",
    "",
    "| Goal | Target | Measured | Result |",
    "|---|---|---|---|",
    ...goals.map((g) => `| ${g.goal} | ${g.target} | ${g.measured} | ${g.pass ? "PASS" : "**FAIL**"} |`),
    "",
    "## Processes on one machine (they share each budget through the temp directory)",
    "",
    ...table(coordinated),
    "",
    `![aggregate request rate](${PROCESSES_CHARTS.coordinated})`,
    "",
    ...(alone.length > 0
      ? [
          `## Processes that do not know of each other (\`TENCENTCLOUD_TASK_COORDINATION=off\`, as on separate machines)`,
          "",
          ...table(alone),
          "",
          `![aggregate request rate, adaptation alone](${PROCESSES_CHARTS.alone})`,
          "",
        ]
      : []),
  ].join("\n");
}
