/** A minimal SVG line chart: axes with round ticks, one polyline per series, a legend. */

export interface Series {
  label: string;
  color: string;
  points: [number, number][];
  dashed?: boolean;
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  xMax: number;
  yMax: number;
  series: Series[];
}

const WIDTH = 900;
const HEIGHT = 420;
// The legend goes in the right margin, clear of the lines.
const MARGIN = { left: 64, right: 250, top: 40, bottom: 52 };
const PLOT_WIDTH = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_HEIGHT = HEIGHT - MARGIN.top - MARGIN.bottom;

export function lineChart(chart: LineChart): string {
  const x = (value: number) => MARGIN.left + (Math.min(value, chart.xMax) / chart.xMax) * PLOT_WIDTH;
  const y = (value: number) => MARGIN.top + PLOT_HEIGHT - (Math.min(value, chart.yMax) / chart.yMax) * PLOT_HEIGHT;
  const bottom = MARGIN.top + PLOT_HEIGHT;
  const parts: string[] = [
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    text(MARGIN.left + PLOT_WIDTH / 2, 24, chart.title, { anchor: "middle", size: 15, weight: "bold" }),
    text(MARGIN.left + PLOT_WIDTH / 2, HEIGHT - 12, chart.xLabel, { anchor: "middle" }),
    text(16, MARGIN.top + PLOT_HEIGHT / 2, chart.yLabel, { anchor: "middle", rotate: true }),
  ];
  for (const tick of ticks(chart.xMax)) {
    parts.push(line(x(tick), MARGIN.top, x(tick), bottom, "#e5e5e5"));
    parts.push(text(x(tick), bottom + 18, String(tick), { anchor: "middle" }));
  }
  for (const tick of ticks(chart.yMax)) {
    parts.push(line(MARGIN.left, y(tick), MARGIN.left + PLOT_WIDTH, y(tick), "#e5e5e5"));
    parts.push(text(MARGIN.left - 8, y(tick) + 4, String(tick), { anchor: "end" }));
  }
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${PLOT_WIDTH}" height="${PLOT_HEIGHT}" fill="none" stroke="#333"/>`);
  for (const series of chart.series) {
    const points = series.points.map(([px, py]) => `${round(x(px))},${round(y(py))}`).join(" ");
    const dash = series.dashed ? ` stroke-dasharray="6 4"` : "";
    parts.push(`<polyline points="${points}" fill="none" stroke="${series.color}" stroke-width="2"${dash}/>`);
  }
  chart.series.forEach((series, i) => {
    const top = MARGIN.top + 12 + i * 20;
    const left = MARGIN.left + PLOT_WIDTH + 16;
    const dash = series.dashed ? ` stroke-dasharray="6 4"` : "";
    parts.push(`<line x1="${left}" y1="${top}" x2="${left + 24}" y2="${top}" stroke="${series.color}" stroke-width="2"${dash}/>`);
    parts.push(text(left + 30, top + 4, series.label, {}));
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}"`;
  return `${svg} font-family="sans-serif" font-size="12">\n${parts.join("\n")}\n</svg>\n`;
}

/** Round tick values from 0 to `max`: steps of 1, 2 or 5 times a power of ten, about 5 of them. */
function ticks(max: number): number[] {
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= rough)!;
  return Array.from({ length: Math.floor(max / step + 1e-9) + 1 }, (_, i) => round(i * step));
}

function line(x1: number, y1: number, x2: number, y2: number, color: string): string {
  return `<line x1="${round(x1)}" y1="${round(y1)}" x2="${round(x2)}" y2="${round(y2)}" stroke="${color}"/>`;
}

function text(x: number, y: number, content: string, style: { anchor?: string; size?: number; weight?: string; rotate?: boolean }): string {
  const attributes = [
    `x="${round(x)}"`,
    `y="${round(y)}"`,
    style.anchor ? `text-anchor="${style.anchor}"` : "",
    style.size ? `font-size="${style.size}"` : "",
    style.weight ? `font-weight="${style.weight}"` : "",
    style.rotate ? `transform="rotate(-90 ${round(x)} ${round(y)})"` : "",
  ].filter(Boolean);
  return `<text ${attributes.join(" ")}>${escapeXml(content)}</text>`;
}

function escapeXml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
