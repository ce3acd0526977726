import { formatProgress, isRoutine, type ProgressEvent } from "../../provider/progress";
import { statusLine, type Wait } from "./report";

/** Where progress goes while tasks are waited for. */
export interface Display {
  progress(event: ProgressEvent): void;
  /** Leaves the final state on screen; nothing is drawn after. */
  finish(): void;
}

/** For logs and pipes: one line per progress event. */
export class ProgressLog implements Display {
  constructor(private readonly out: NodeJS.WritableStream) {}

  progress(event: ProgressEvent): void {
    if (!isRoutine(event)) this.out.write(`${formatProgress(event)}\n`);
  }

  finish(): void {}
}

/** For a terminal: one line per task, redrawn in place every second and on every event. */
export class StatusBoard implements Display {
  private drawnLines = 0;
  private readonly ticker: NodeJS.Timeout;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly waits: Wait[],
  ) {
    this.render();
    this.ticker = setInterval(() => this.render(), 1000).unref();
  }

  /** Whether `out` can show one line per task: a terminal tall enough for all of them. */
  static fits(out: NodeJS.WriteStream, tasks: number): boolean {
    return out.isTTY === true && tasks < (out.rows || 24);
  }

  progress(): void {
    this.render();
  }

  finish(): void {
    clearInterval(this.ticker);
    this.render();
  }

  private render(): void {
    // A line that wrapped would take two rows and throw the cursor movement off.
    const width = (this.out.columns || 80) - 1;
    const now = performance.now();
    const lines = this.waits.map((wait) => {
      const line = statusLine(wait, now);
      return line.length > width ? `${line.slice(0, width - 3)}...` : line;
    });
    const cursorUp = this.drawnLines > 0 ? `\x1b[${this.drawnLines}A` : "";
    this.out.write(cursorUp + lines.map((line) => `\r\x1b[2K${line}\n`).join(""));
    this.drawnLines = lines.length;
  }
}
