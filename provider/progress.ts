import { calls, formatDuration } from "./errors";
import type { TaskObservation, TaskRef, TaskResult } from "./task";
import { printable } from "./text";

interface About {
  task: TaskRef;
  /** How lines name the task: "clb task 55c85074-... (ap-guangzhou)". */
  label: string;
}

/** What a wait reports while it runs; `formatProgress` turns each into one line for a person. */
export type ProgressEvent =
  | (About & { kind: "started"; timeoutSeconds: number })
  /**
   * A status answer. `routine` when the status did not change and a line was shown less than
   * 15 s ago: a log skips those, so that it gets a line on every change and at least every 30 s.
   */
  | (About & { kind: "status"; observation: TaskObservation; status: string; attempts: number; elapsedMs: number; routine: boolean })
  /** A status call failed in a way worth retrying. */
  | (About & { kind: "retry"; reason: string; attempts: number; elapsedMs: number; retryInMs: number })
  | (About & { kind: "finished"; result: TaskResult; status: string });

/** Whether a line-by-line log should skip this event (see `routine`). */
export function isRoutine(event: ProgressEvent): boolean {
  return event.kind === "status" && event.routine;
}

/** One line, with every control character escaped: text from the API is shown, never obeyed by the terminal. */
export function formatProgress(event: ProgressEvent): string {
  return printable(`${event.label}: ${describeEvent(event)}`);
}

function describeEvent(event: ProgressEvent): string {
  switch (event.kind) {
    case "started":
      return `waiting (timeout ${formatDuration(event.timeoutSeconds)})`;
    case "status":
      return `${event.status}, ${formatDuration(event.elapsedMs / 1000)} elapsed, ${calls(event.attempts)}`;
    case "retry":
      return `status call failed (${event.reason}); retrying in ${formatDuration(event.retryInMs / 1000)}, ${calls(event.attempts)} so far`;
    case "finished": {
      const { result } = event;
      const reason = result.status === "failed" ? `; reason: ${result.message ?? "the API gave none"}` : "";
      return `${event.status} after ${formatDuration(result.waitedSeconds)}, ${calls(result.attempts)}${reason}`;
    }
  }
}

/**
 * Delivers a wait's events to the caller's callback. The callback is the caller's code, not the
 * API: if it throws, or returns a promise that rejects, the wait stops (`signal` aborts) and
 * `failed()` tells what it threw, so that the wait can end with a TaskCallbackError saying so.
 */
export class ProgressChannel {
  private readonly stop = new AbortController();
  /** Aborts when the callback fails. */
  readonly signal: AbortSignal = this.stop.signal;
  private failure?: { thrown: unknown };

  constructor(private readonly callback?: (event: ProgressEvent) => void) {}

  /** What the callback threw (or rejected with), once it has failed. */
  failed(): { thrown: unknown } | undefined {
    return this.failure;
  }

  send(event: ProgressEvent): void {
    if (!this.callback || this.failure) return;
    try {
      const returned: unknown = this.callback(event);
      if (typeof (returned as PromiseLike<unknown> | undefined)?.then === "function") {
        (returned as PromiseLike<unknown>).then(undefined, (thrown: unknown) => this.fail(thrown));
      }
    } catch (thrown) {
      this.fail(thrown);
    }
  }

  private fail(thrown: unknown): void {
    this.failure ??= { thrown };
    this.stop.abort(new Error("the onProgress callback failed"));
  }
}
