import { TaskTimeoutError } from "../provider/errors";
import { pollUntilDone } from "../provider/poller";
import { catalogue } from "../provider/services";
import type { TaskObservation } from "../provider/task";
import { credentials, freshRuntime, useEmulator, waitOn } from "./support/emulator";
import { VirtualClock } from "./support/virtualClock";

/** The deadline on the real clock, through the real SDK: a timeout is never declared before it. */
const emulator = useEmulator({ rateLimit: 1000 });
const region = "ap-guangzhou";

const wait = (task: { service: "clb"; taskId: string } | { service: "redis"; taskId: number }, timeoutSeconds: number) =>
  waitOn(freshRuntime(), { ...task, region, endpoint: emulator.current.url, credentials, timeoutSeconds }, { requestsPerSecond: 100 });

const pendingTask = async (i: number) =>
  i % 2
    ? { service: "clb" as const, taskId: (await emulator.current.createTask({ service: "clb", region, durationMs: 60_000 })).taskId }
    : { service: "redis" as const, taskId: (await emulator.current.createTask({ service: "redis", durationMs: 60_000 })).taskId };

test("a task that finishes in the last half second before the deadline succeeds: the call at the deadline decides", async () => {
  // Calls at about 0, 0.5, 1 and 1.5 s see it pending; the call at 2 s sees it done.
  const { taskId } = await emulator.current.createTask({ service: "clb", region, durationMs: 1800, outcome: "succeeded" });
  const result = await wait({ service: "clb", taskId }, 2);
  expect(result.status).toBe("succeeded");
  // At least one call saw it pending (about four, unless the machine is slow).
  expect(result.attempts).toBeGreaterThanOrEqual(2);
  expect(result.waitedSeconds).toBeGreaterThanOrEqual(1.8);
});

test("a timeout is declared no earlier than the deadline, for each of many waits at once", async () => {
  const tasks = await Promise.all(Array.from({ length: 12 }, (_, i) => pendingTask(i)));
  const started = performance.now();
  const errors = await Promise.all(tasks.map((task) => wait(task, 2).catch((e: unknown) => e)));
  for (const error of errors) {
    expect(error).toBeInstanceOf(TaskTimeoutError);
    expect((error as TaskTimeoutError).waitedSeconds).toBeGreaterThanOrEqual(2);
    // Nor long after it: the last call goes out at the deadline and is given a second at most.
    expect((error as TaskTimeoutError).waitedSeconds).toBeLessThan(3.5);
  }
  expect(performance.now() - started).toBeGreaterThanOrEqual(2000);
});

/** Node's timers can fire about a millisecond before `performance.now()` says they are due. */
class EarlyTimers extends VirtualClock {
  override sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return super.sleep(ms > 1 ? ms - 1 : ms, signal);
  }
}

test("timers that fire early still send the last call at the deadline, not one more call half a second past it", async () => {
  const clock = new EarlyTimers();
  const { query } = catalogue.clb.parse({ taskId: "55c85074-3e7f-4c6d-864f-673660d4f8de" }, region);
  const calls: number[] = [];
  const pending: TaskObservation = { state: "pending", rawStatus: 2 };
  const call = async () => {
    calls.push(clock.now());
    return pending;
  };
  const { ref: task, label, statusText, wanted } = query!;
  const error = await clock.run(pollUntilDone({ task, label, statusText, wanted, timeoutSeconds: 59, clock, random: () => 0.5, call })).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TaskTimeoutError);
  // The schedule's next call would come after the deadline, so the last one is moved to it.
  expect(calls[calls.length - 1]).toBe(59_000);
  expect(calls[calls.length - 2]).toBeLessThan(58_000);
  expect((error as TaskTimeoutError).waitedSeconds).toBe(59);
});
