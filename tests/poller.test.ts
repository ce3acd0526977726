import { ApiAnswerError, TransportError, UnexpectedAnswerError } from "../provider/callFailures";
import { TaskAbortedError, TaskApiError, TaskTimeoutError } from "../provider/errors";
import { pollUntilDone, type PollOptions } from "../provider/poller";
import { ProgressChannel, type ProgressEvent } from "../provider/progress";
import { catalogue } from "../provider/services";
import type { TaskObservation } from "../provider/task";
import { VirtualClock } from "./support/virtualClock";

// A real CLB query names the task and words its statuses, as a wait would.
const { query } = catalogue.clb.parse({ taskId: "55c85074-3e7f-4c6d-864f-673660d4f8de" }, "ap-guangzhou");
const { ref: task, label, statusText, wanted } = query!;
const pending: TaskObservation = { state: "pending", rawStatus: 2, requestId: "r-pending" };
const done: TaskObservation = { state: "succeeded", rawStatus: 0, requestId: "r-done" };

/** A task that answers `pending` until `doneAtMs` of virtual time, recording when it was asked. */
function taskFinishingAt(clock: VirtualClock, doneAtMs: number, final: TaskObservation = done) {
  const calls: number[] = [];
  const call = async () => {
    calls.push(clock.now());
    return clock.now() >= doneAtMs ? final : pending;
  };
  return { calls, call };
}

function poll(clock: VirtualClock, options: Partial<PollOptions> & Pick<PollOptions, "call">, onProgress?: (event: ProgressEvent) => void) {
  const progress = new ProgressChannel(onProgress);
  return clock.run(pollUntilDone({ task, label, statusText, wanted, timeoutSeconds: 1800, clock, random: () => 0.5, progress, ...options }));
}

describe("pollUntilDone on virtual time", () => {
  test("first call at once, completion seen soon after, never more than 2 calls per second", async () => {
    const clock = new VirtualClock();
    const { calls, call } = taskFinishingAt(clock, 10_000);
    const outcome = await poll(clock, { call });

    expect(calls[0]).toBe(0);
    expect(outcome.observation).toEqual(done);
    expect(outcome.requestId).toBe("r-done");
    expect(outcome.attempts).toBe(calls.length);
    expect(outcome.elapsedMs - 10_000).toBeLessThanOrEqual(500);
    calls.forEach((at, i) => expect(at).toBeGreaterThanOrEqual(i * 500));
  });

  test("a failure state ends the wait like success: deciding what it means is the caller's job", async () => {
    const clock = new VirtualClock();
    const failed: TaskObservation = { state: "failed", rawStatus: 1, message: "listener port conflict" };
    const { call } = taskFinishingAt(clock, 3000, failed);
    const outcome = await poll(clock, { call });
    expect(outcome.observation).toEqual(failed);
  });

  test("delays grow with the time waited but stay within 30 s, so an hour-long task costs ~230 calls", async () => {
    const clock = new VirtualClock();
    const { calls, call } = taskFinishingAt(clock, 3600_000);
    const outcome = await poll(clock, { call, timeoutSeconds: 7200 });
    const gaps = calls.slice(1).map((at, i) => at - calls[i]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(30_000);
    expect(gaps[gaps.length - 1]).toBeGreaterThan(gaps[30]);
    expect(outcome.attempts).toBeLessThan(250);
    // Seen done within 4 % (+ jitter) of its duration.
    expect(outcome.elapsedMs - 3600_000).toBeLessThanOrEqual(0.044 * 3600_000);
  });

  test("timeout: the last call goes out at the deadline and its answer decides; then an error naming the limit and the last status", async () => {
    const clock = new VirtualClock();
    const { calls, call } = taskFinishingAt(clock, Infinity);
    const error = await poll(clock, { call, timeoutSeconds: 60 }).catch((e) => e);

    expect(error).toBeInstanceOf(TaskTimeoutError);
    expect(calls[calls.length - 1]).toBe(60_000);
    expect(clock.now()).toBe(60_000);
    expect(error.waitedSeconds).toBe(60);
    expect(error.message).toContain("did not finish within its timeout of 1m");
    expect(error.message).toContain("last status in progress (Status 2)");
    expect(error.message).toContain("wanted Status 0");
    expect(error.attempts).toBe(calls.length);
    expect(error.requestId).toBe("r-pending");
    expect(error.last).toEqual(pending);
  });

  test("a task that finishes just before the deadline is seen done by the call at the deadline, never declared timed out", async () => {
    const clock = new VirtualClock();
    const { calls, call } = taskFinishingAt(clock, 59_900);
    const outcome = await poll(clock, { call, timeoutSeconds: 60 });
    expect(outcome.observation).toEqual(done);
    expect(calls[calls.length - 1]).toBe(60_000);
  });

  test("a call that never answers is abandoned at the deadline", async () => {
    const clock = new VirtualClock();
    const call = (signal: AbortSignal) =>
      new Promise<TaskObservation>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
    const error = await poll(clock, { call, timeoutSeconds: 30 }).catch((e) => e);
    expect(error).toBeInstanceOf(TaskTimeoutError);
    expect(clock.now()).toBe(31_000);
    expect(error.message).toContain("no status answer received");
  });

  test("transient failures are retried with growing backoff and never fail the wait", async () => {
    const clock = new VirtualClock();
    const events: ProgressEvent[] = [];
    const calls: number[] = [];
    const call = async () => {
      calls.push(clock.now());
      if (calls.length <= 4) throw new ApiAnswerError("InternalError", "Internal error", "r-err");
      return done;
    };
    const outcome = await poll(clock, { call }, (e) => events.push(e));

    expect(outcome.observation).toEqual(done);
    expect(outcome.attempts).toBe(5);
    const gaps = calls.slice(1).map((at, i) => at - calls[i]);
    expect(gaps).toEqual([1000, 1500, 3000, 6000]);
    const retries = events.filter((e) => e.kind === "retry");
    expect(retries[0]).toMatchObject({ kind: "retry", reason: "InternalError: Internal error", attempts: 1 });
  });

  test("a throttled call is retried on the schedule: the shared throttle does the slowing down", async () => {
    const clock = new VirtualClock();
    const calls: number[] = [];
    const call = async () => {
      calls.push(clock.now());
      if (calls.length <= 4) throw new ApiAnswerError("RequestLimitExceeded", "Your current request times equals to `21`", "r-limit");
      return done;
    };
    await poll(clock, { call });
    expect(calls.slice(1).map((at, i) => at - calls[i])).toEqual([1000, 500, 500, 500]);
  });

  test("network errors, HTTP errors, unreadable bodies and rate limiting are all transient", async () => {
    const failures = [
      new TransportError("socket hang up"),
      new TransportError("HTTP 502 Bad Gateway"),
      new ApiAnswerError("RequestLimitExceeded", "Your current request times equals to `21`", "r-1"),
      new ApiAnswerError("ResourceUnavailable", "busy", "r-2"),
      new TransportError("the answer was cut off or corrupt (ECONNRESET: aborted)"),
    ];
    const clock = new VirtualClock();
    let n = 0;
    const call = async () => {
      if (n < failures.length) throw failures[n++];
      return done;
    };
    await expect(poll(clock, { call })).resolves.toMatchObject({ attempts: failures.length + 1 });
  });

  // What to check for each code is the wait's business (tests/wait.test.ts); the loop stops.
  test.each([["AuthFailure.SignatureFailure"], ["AuthFailure.SignatureExpire"], ["InvalidParameter"], ["ResourceNotFound.TaskNotFound"], ["UnsupportedRegion"], ["UnexpectedAnswer"]])(
    "%s fails at once, after one call",
    async (code) => {
    const clock = new VirtualClock();
    let calls = 0;
    const call = async () => {
      calls++;
      throw code === "UnexpectedAnswer" ? new UnexpectedAnswerError("nope", "r-fatal") : new ApiAnswerError(code, "nope", "r-fatal");
    };
    const error = await poll(clock, { call }).catch((e) => e);
    expect(error).toBeInstanceOf(TaskApiError);
    expect(error.code).toBe(code);
    expect(error.requestId).toBe("r-fatal");
    expect(error.message).toContain(code);
    expect(calls).toBe(1);
    },
  );

  test("the last failure reason is part of a timeout error", async () => {
    const clock = new VirtualClock();
    const call = async () => {
      throw new TransportError("HTTP 503 Service Unavailable");
    };
    const error = await poll(clock, { call, timeoutSeconds: 20 }).catch((e) => e);
    expect(error).toBeInstanceOf(TaskTimeoutError);
    expect(error.message).toContain("The last status call failed: HTTP 503 Service Unavailable");
  });

  test("aborting while asleep or during a call rejects at once with TaskAbortedError", async () => {
    for (const during of ["sleep", "call"] as const) {
      const clock = new VirtualClock();
      const controller = new AbortController();
      let calls = 0;
      const call = (signal: AbortSignal) => {
        calls++;
        if (during === "call" && calls === 3) {
          controller.abort();
          return new Promise<TaskObservation>((_, reject) => (signal.aborted ? reject(signal.reason) : undefined));
        }
        if (during === "sleep" && calls === 3) void clock.sleep(100).then(() => controller.abort());
        return Promise.resolve(pending);
      };
      const error = await poll(clock, { call, signal: controller.signal }).catch((e) => e);
      expect(error).toBeInstanceOf(TaskAbortedError);
      expect(error.attempts).toBe(3);
      expect(clock.now()).toBeLessThan(2000);
    }
  });

  test("progress: a line on every status change and at least every 30 s while nothing changes", async () => {
    const clock = new VirtualClock();
    const events: ProgressEvent[] = [];
    const call = async (): Promise<TaskObservation> => {
      const t = clock.now();
      if (t < 5000) return { state: "pending", rawStatus: "preparing" };
      if (t < 300_000) return { state: "pending", rawStatus: "running" };
      return { state: "succeeded", rawStatus: "succeed" };
    };
    await poll(clock, { call }, (e) => events.push(e));
    const statuses = events.filter((e) => e.kind === "status" && !e.routine);
    expect(statuses[0]).toMatchObject({ observation: { rawStatus: "preparing" }, attempts: 1 });
    expect(statuses.find((e) => e.kind === "status" && e.observation.rawStatus === "running")).toBeDefined();
    const times = statuses.map((e) => (e.kind === "status" ? e.elapsedMs : 0));
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(30_000);
    expect(statuses.length).toBeLessThan(20);
    // Every answer is reported, the routine ones marked as such.
    expect(events.filter((e) => e.kind === "status").length).toBeGreaterThan(statuses.length);
  });
});
