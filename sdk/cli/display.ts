import { formatProgress, isRoutine, type ProgressEvent } from "../../provider/progress";
import { statusLine, type Wait } from "./report";

/** Where the command writes: stdout or stderr, as long as someone reads it. */
export interface Output {
  write(text: string): void;
  readonly isTTY: boolean;
  readonly columns: number;
  readonly rows: number;
}

/**
 * A standard stream that stops being written to once its reader has gone away (`| head`, a log
 * collector that exited): the EPIPE is not the tasks' failure, so the waits go on quietly.
 */
export function outputOf(stream: NodeJS.WriteStream): Output {
  let closed = false;
  stream.on("error", () => {
    closed = true;
  });
  return {
    write: (text) => {
      if (!closed && !stream.destroyed) stream.write(text);
    },
    get isTTY() {
      return stream.isTTY === true;
    },
    get columns() {
      return stream.columns || 80;
    },
    get rows() {
      return stream.rows || 24;
    },
  };
}

/** Where progress goes while tasks are waited for. */
export interface Display {
  progress(event: ProgressEvent): void;
  /** Leaves the final state on screen; nothing is drawn after. */
  finish(): void;
}

/** For logs and pipes: one line per progress event. */
export class ProgressLog implements Display {
  constructor(private readonly out: Output) {}

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
    private readonly out: Output,
    private readonly waits: Wait[],
  ) {
    this.render();
    this.ticker = setInterval(() => this.render(), 1000).unref();
  }

  /** Whether `out` can show one line per task: a terminal tall enough for all of them. */
  static fits(out: Output, tasks: number): boolean {
    return out.isTTY && tasks < out.rows;
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
    const width = this.out.columns - 1;
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
