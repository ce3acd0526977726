import type { ConcurrentRun } from "./concurrentWaits";
import { percent, seconds, type Goal } from "./goals";
import type { ResourceCost } from "./resourceCost";
import type { ScheduleSummary, TaskProfile } from "./schedules";

export interface BenchResults {
  mode: "full" | "quick";
  date: string;
  environment: { node: string; cpus: number; platform: string };
  durationSeconds: number;
  schedules: { profile: TaskProfile; tasks: number; summaries: ScheduleSummary[] }[];
  concurrent: Omit<ConcurrentRun, "perSecond">[];
  resourceCost: ResourceCost;
  goals: Goal[];
}

/** File names of the charts, relative to the results folder. */
export const CHARTS = {
  clbLatency: "latency-clb.svg",
  redisLatency: "latency-redis.svg",
  requestRate: "request-rate.svg",
  limitedRequestRate: "request-rate-limited.svg",
};

export function renderMarkdown(results: BenchResults): string {
  const { environment: env, resourceCost: cost } = results;
  const lines = [
    `# Benchmark results (${results.mode} run)`,
    "",
    `${results.date}, Node ${env.node}, ${env.platform}, ${env.cpus} CPUs; the run took ${results.durationSeconds.toFixed(0)} s.`,
    results.mode === "quick" ? "Produced by `npm run bench -- --quick`: smaller N, not the figures to quote." : "Produced by `npm run bench`.",
    "",
    "## Goals",
    "",
    table(
      ["Goal", "Target", "Measured", "Result"],
      results.goals.map((g) => [g.goal, g.target, g.measured, g.pass ? "PASS" : "**FAIL**"]),
    ),
    "",
    "## (a) Schedules on virtual time",
    "",
    "Every schedule runs through the real poll loop (`pollUntilDone`) on the same tasks (seeded), each wait starting with its task.",
    "Detection latency: completion seen minus completion. Calls per second: (status calls - 1) / seconds waited, the first call",
    "excluded since it goes out at once.",
    "",
  ];
  for (const { profile, tasks, summaries } of results.schedules) {
    lines.push(
      `### ${profile.name}: ${tasks} tasks, durations log-uniform ${profile.minSeconds} s - ${profile.maxSeconds} s`,
      "",
      table(
        ["Schedule", "Mean latency", "p95 latency", "p95 latency / duration", "Mean calls per task", "Highest calls/s of a wait"],
        summaries.map((s) => [
          s.schedule,
          seconds(s.meanLatencySeconds),
          seconds(s.p95LatencySeconds),
          percent(s.p95LatencyShare),
          s.meanCalls.toFixed(1),
          s.maxCallsPerSecond.toFixed(2),
        ]),
      ),
      "",
    );
  }
  lines.push(
    `![Detection latency, CLB-like tasks](${CHARTS.clbLatency})`,
    `![Detection latency as a share of duration, Redis-like tasks](${CHARTS.redisLatency})`,
    "",
    "## (b) Concurrent waits on real time",
    "",
    "N CLB tasks (10 % of them fail), durations uniform over the range, each followed at once by Check and Create of its",
    "TaskCompletion (`failOnTaskFailure: false`) in one Pulumi dynamic-provider host process; the emulator in another.",
    "Latency: Create answered minus task completed. Makespan: first task started to last Create answered.",
    "Max in 1 s: most status calls the emulator accepted in any sliding second.",
    "The bounds hold only where the emulator's limit is not below the budget.",
    "",
    table(
      [
        "N",
        "Limit / budget",
        "Durations",
        "Completed",
        "Wrong status",
        "Status calls",
        "Throttled",
        "Max in 1 s",
        "p95 latency (bound)",
        "Makespan (bound)",
        "Peak RSS",
      ],
      results.concurrent.map((run) => {
        const bounded = run.rateLimit >= run.budget;
        return [
          String(run.waits),
          `${run.rateLimit} / ${run.budget}`,
          `${run.minTaskSeconds}-${run.maxTaskSeconds} s`,
          `${run.completed} / ${run.waits}`,
          String(run.wrongStatus),
          String(run.statusCalls),
          String(run.throttled),
          String(run.maxPerSecond),
          seconds(run.p95LatencySeconds) + (bounded ? ` (${seconds(run.latencyBoundSeconds)})` : ""),
          seconds(run.makespanSeconds) + (bounded ? ` (${seconds(run.makespanBoundSeconds)})` : ""),
          `${run.peakRssMb.toFixed(0)} MB`,
        ];
      }),
    ),
    "",
    `![Status calls per second, the largest run](${CHARTS.requestRate})`,
    `![Status calls per second, emulator limit below the budget](${CHARTS.limitedRequestRate})`,
    "",
    "## (c) Cost of the resource itself",
    "",
    table(
      ["Measure", "Value"],
      [
        ["`__provider` size (state, per resource, input and output)", `${cost.providerBytes} bytes`],
        [`Create sent to first status call, first Create of a new host (median of ${cost.runs})`, `${cost.medianFirstCreateMs} ms`],
        [`Create sent to first status call, a later Create (median of ${cost.runs})`, `${cost.medianLaterCreateMs} ms`],
        ["Peak RSS of a host after one wait (median)", `${cost.medianHostRssMb.toFixed(0)} MB`],
      ],
    ),
    "",
  );
  return lines.join("\n");
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
