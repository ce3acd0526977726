import { lineChart, type Series } from "./svg";

const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e"];
const CDF_STEPS = 200;

/** The cumulative distribution of each series' values, from 0 to `xMax`. */
export function cdfChart(title: string, xLabel: string, xMax: number, samples: { label: string; values: number[] }[]): string {
  const series = samples.map(({ label, values }, i): Series => ({ label, color: COLORS[i % COLORS.length], points: cdfPoints(values, xMax) }));
  return lineChart({ title, xLabel, yLabel: "waits that have seen completion (%)", xMax, yMax: 100, series });
}

function cdfPoints(values: number[], xMax: number): [number, number][] {
  const sorted = [...values].sort((a, b) => a - b);
  const points: [number, number][] = [];
  let atOrBelow = 0;
  for (let step = 0; step <= CDF_STEPS; step++) {
    const x = (xMax * step) / CDF_STEPS;
    while (atOrBelow < sorted.length && sorted[atOrBelow] <= x) atOrBelow++;
    points.push([x, (100 * atOrBelow) / sorted.length]);
  }
  return points;
}

export interface SecondCounts {
  /** Seconds since the run started. */
  second: number;
  answered: number;
  throttled: number;
}

/** Status calls per second of a run, against the throttle's budget and the emulator's limit. */
export function requestRateChart(title: string, perSecond: SecondCounts[], budget: number, limit: number): string {
  const xMax = Math.ceil(Math.max(10, perSecond.length) / 10) * 10;
  const steps = (count: (s: SecondCounts) => number) =>
    perSecond.flatMap((s): [number, number][] => [
      [s.second, count(s)],
      [s.second + 1, count(s)],
    ]);
  const highest = Math.max(budget, limit, ...perSecond.map((s) => s.answered + s.throttled));
  return lineChart({
    title,
    xLabel: "seconds since the run started",
    yLabel: "status calls per second",
    xMax,
    yMax: Math.ceil((highest + 2) / 5) * 5,
    series: [
      { label: "answered", color: COLORS[0], points: steps((s) => s.answered) },
      { label: "throttled (RequestLimitExceeded)", color: COLORS[1], points: steps((s) => s.throttled) },
      { label: `budget (${budget}/s)`, color: COLORS[2], dashed: true, points: [[0, budget], [xMax, budget]] },
      { label: `emulator limit (${limit}/s)`, color: COLORS[3], dashed: true, points: [[0, limit], [xMax, limit]] },
    ],
  });
}

/** Requests per second (ours and the neighbour's, answered or throttled) of several runs, against the limit. */
export function aggregateRateChart(title: string, runs: { label: string; perSecond: SecondCounts[] }[], limit: number): string {
  const longest = Math.max(10, ...runs.map((run) => run.perSecond.length));
  const xMax = Math.ceil(longest / 10) * 10;
  const highest = Math.max(limit, ...runs.flatMap((run) => run.perSecond.map((s) => s.answered + s.throttled)));
  return lineChart({
    title,
    xLabel: "seconds since the waits started",
    yLabel: "status calls per second (all clients)",
    xMax,
    yMax: Math.ceil((highest + 2) / 5) * 5,
    series: [
      ...runs.map(({ label, perSecond }, i): Series => ({
        label,
        color: COLORS[i % COLORS.length],
        points: perSecond.flatMap((s): [number, number][] => [
          [s.second, s.answered + s.throttled],
          [s.second + 1, s.answered + s.throttled],
        ]),
      })),
      { label: `limit (${limit}/s)`, color: "#000000", dashed: true, points: [[0, limit], [xMax, limit]] },
    ],
  });
}
