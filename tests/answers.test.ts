import { TaskApiError, TaskFailedError, TaskTimeoutError } from "../provider/errors";
import type { TaskInputs } from "../provider/inputs";
import { formatProgress, type ProgressEvent } from "../provider/progress";
import type { WaitOptions } from "../provider/wait";
import { credentials, freshRuntime, useEmulator, waitOn } from "./support/emulator";

/** Answers no real API should give: never read as success, never an endless wait. */
const emulator = useEmulator();
const region = "ap-guangzhou";

function wait(inputs: TaskInputs, options: { onProgress?: (event: ProgressEvent) => void } = {}) {
  return waitOn(freshRuntime(), { endpoint: emulator.current.url, region, credentials, ...inputs, ...options } as WaitOptions);
}

async function calls(): Promise<number> {
  return Object.values((await emulator.current.stats()).actions).reduce((sum, a) => sum + a.received, 0);
}

test.each([
  ["clb", "no Status at all", {}, "DescribeTaskStatus answered nothing at Status (known: 2, 0, 1)"],
  ["clb", "a string where a number belongs", { Status: "0" }, 'an unexpected Status "0"'],
  ["clb", "an unknown status value", { Status: 7 }, "an unexpected Status 7"],
  ["redis", "a number where a string belongs", { Status: 3 }, "an unexpected Status 3 (known: preparing, running, succeed, failed, error)"],
  ["redis", "an unknown status value", { Status: "paused" }, 'an unexpected Status "paused"'],
  ["redis", "Status null", { Status: null, TaskMessage: "" }, "DescribeTaskInfo answered nothing at Status"],
] as const)("%s answering %s: UnexpectedAnswer after one call, naming the value", async (service, _what, answer, words) => {
  const { taskId } = await emulator.current.createTask({ service, durationMs: 0, outcome: "succeeded" });
  await emulator.current.addFault({ kind: "answer", answer });
  const error = await wait({ service, taskId } as TaskInputs).catch((e) => e);
  expect(error).toBeInstanceOf(TaskApiError);
  expect(error.code).toBe("UnexpectedAnswer");
  expect(error.message).toContain(words);
  expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(await calls()).toBe(1);
});

test("an empty body is retried, never read as an answer", async () => {
  const { taskId } = await emulator.current.createTask({ service: "redis", durationMs: 0, outcome: "succeeded" });
  await emulator.current.addFault({ kind: "empty", count: 2 });
  await expect(wait({ service: "redis", taskId })).resolves.toMatchObject({ status: "succeeded", attempts: 3 });
});

test("empty bodies until the deadline: a timeout naming the last failure, on time", async () => {
  const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 0, outcome: "succeeded" });
  await emulator.current.addFault({ kind: "empty" });
  const started = Date.now();
  const error = await wait({ service: "clb", taskId, timeoutSeconds: 3 }).catch((e) => e);
  expect(error).toBeInstanceOf(TaskTimeoutError);
  expect(error.message).toContain("no status answer received");
  expect(error.message).toMatch(/The last status call failed: .*not valid JSON \(empty\)/);
  expect(Date.now() - started).toBeLessThan(3000 + 2000);
});

test("a huge answer: its text is cut short in results, errors and progress lines", async () => {
  const huge = "x".repeat(5_000_000);
  const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 0, outcome: "failed" });
  await emulator.current.addFault({ kind: "answer", answer: { Status: 2, Message: huge, LoadBalancerIds: [] }, count: 1 });
  const lines: string[] = [];
  // A huge pending answer first, then the task's real one.
  const afterHuge = await wait({ service: "clb", taskId }, { onProgress: (e: ProgressEvent) => lines.push(formatProgress(e)) }).catch((e) => e);
  expect(afterHuge).toBeInstanceOf(TaskFailedError);
  expect(Math.max(...lines.map((line) => line.length))).toBeLessThan(3000);

  await emulator.current.addFault({ kind: "answer", answer: { Status: 1, Message: huge } });
  const failed = await wait({ service: "clb", taskId }).catch((e) => e);
  expect(failed).toBeInstanceOf(TaskFailedError);
  expect(failed.message.length).toBeLessThan(3000);
  expect(failed.message).toContain("(5000000 characters)");
  expect(failed.result.message.length).toBeLessThan(2100);
});
