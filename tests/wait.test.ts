import * as http from "node:http";
import type { FaultKind } from "../emulator";
import { TaskAbortedError, TaskApiError, TaskCredentialError, TaskFailedError, TaskInputError, TaskTimeoutError } from "../provider/errors";
import type { TaskInputs } from "../provider/inputs";
import { formatProgress, type ProgressEvent } from "../provider/progress";
import type { WaitRuntime } from "../provider/runtime";
import { waitForTask, type WaitOptions } from "../provider/wait";
import { credentials, freshRuntime, useEmulator, waitOn } from "./support/emulator";
import { SESSION_TOKEN, expectNoSecrets } from "./support/secrets";

const emulator = useEmulator();
const region = "ap-guangzhou";

type Extra = Pick<WaitOptions, "credentials" | "signal" | "onProgress">;

/** `waitForTask` through the real SDK against the emulator, on a fresh throttle. */
function wait(inputs: TaskInputs, options: Extra = {}, runtime: WaitRuntime = freshRuntime()) {
  return waitOn(runtime, { endpoint: emulator.current.url, credentials, ...inputs, ...options } as WaitOptions);
}

async function requestsSeen(action = "DescribeTaskStatus"): Promise<number> {
  return (await emulator.current.stats()).actions[action]?.received ?? 0;
}

describe("waiting through the real SDK against the emulator", () => {
  test("CLB success: outputs from the last answer, completion noticed within a second", async () => {
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 1200, outcome: "succeeded", loadBalancerIds: ["lb-abcdefgh"] });
    const started = Date.now();
    const result = await wait({ service: "clb", taskId, region });
    expect(result).toMatchObject({ service: "clb", taskId, region, status: "succeeded", rawStatus: 0, loadBalancerIds: ["lb-abcdefgh"] });
    expect(result.attempts).toBe(await requestsSeen());
    expect(Date.now() - started).toBeLessThan(1200 + 1000);
    expect(new Date(result.completedAt).getTime()).toBeGreaterThanOrEqual(started);
    expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("CLB by DealName", async () => {
    await emulator.current.createTask({ service: "clb", durationMs: 300, outcome: "succeeded", dealName: "20261123000001" });
    await expect(wait({ service: "clb", dealName: "20261123000001", region })).resolves.toMatchObject({ status: "succeeded", dealName: "20261123000001" });
  });

  test("Redis success: task type, instance and start time recorded", async () => {
    const { taskId } = await emulator.current.createTask({ service: "redis", durationMs: 800, outcome: "succeeded", instanceId: "crs-abcdefgh", taskType: "Configure" });
    const result = await wait({ service: "redis", taskId: String(taskId) });
    expect(result).toMatchObject({ taskId, status: "succeeded", rawStatus: "succeed", instanceId: "crs-abcdefgh", taskType: "Configure" });
    expect(result.startTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  test.each([
    ["clb", "failed", 1],
    ["redis", "failed", "failed"],
    ["redis", "error", "error"],
  ] as const)("%s task ending %s: TaskFailedError with the task's own reason, id, raw status and RequestId", async (service, outcome, rawStatus) => {
    const message = "listener port 80 already in use";
    const { taskId } = await emulator.current.createTask({ service, durationMs: 300, outcome, message });
    const error = await wait({ service, taskId, region } as TaskInputs).catch((e) => e);
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(error.message).toContain(message);
    expect(error.message).toContain(String(taskId));
    expect(error.message).toContain(`Status ${rawStatus}, wanted Status`);
    expect(error.message).toContain(error.requestId);
    expect(error).toMatchObject({ service, taskId, result: { status: "failed", rawStatus, message } });
  });

  test("failOnTaskFailure: false resolves with the failure recorded", async () => {
    const { taskId } = await emulator.current.createTask({ service: "redis", durationMs: 200, outcome: "error", message: "disk full" });
    await expect(wait({ service: "redis", taskId, failOnTaskFailure: false })).resolves.toMatchObject({ status: "failed", rawStatus: "error", message: "disk full" });
  });

  test("timeout: TaskTimeoutError close to the deadline, naming the last status", async () => {
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 60_000, outcome: "succeeded" });
    const started = Date.now();
    const error = await wait({ service: "clb", taskId, region, timeoutSeconds: 2 }).catch((e) => e);
    const took = Date.now() - started;
    expect(error).toBeInstanceOf(TaskTimeoutError);
    // Never declared before the deadline: the last call goes out at it, and its answer decides.
    expect(took).toBeGreaterThanOrEqual(2000);
    expect(error.waitedSeconds).toBeGreaterThanOrEqual(2);
    expect(took).toBeLessThan(2000 + 1000);
    expect(error.message).toContain("last status in progress (Status 2)");
    expect(error.last).toMatchObject({ state: "pending", rawStatus: 2 });
  });

  const transient: FaultKind[] = ["http500", "http502", "http503", "reset", "stall", "malformed", "InternalError", "RequestLimitExceeded", "ResourceUnavailable"];
  test.each(transient)("transient fault %s is retried and the task's true outcome is reported", async (kind) => {
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 0, outcome: "succeeded" });
    await emulator.current.addFault({ kind, count: 2, delayMs: 3000 });
    const events: ProgressEvent[] = [];
    const result = await wait({ service: "clb", taskId, region }, { onProgress: (e) => events.push(e) }, freshRuntime({ requestTimeoutMs: 500 }));
    expect(result).toMatchObject({ status: "succeeded", attempts: 3 });
    const stats = (await emulator.current.stats()).actions.DescribeTaskStatus;
    expect(stats.faulted).toBe(2);
    expect(events.filter((e) => e.kind === "retry")).toHaveLength(1);
  });

  const fatal = [
    ["AuthFailure.SignatureFailure", "SecretKey"],
    ["AuthFailure.SecretIdNotFound", "SecretId"],
    ["AuthFailure.SignatureExpire", "clock"],
    ["AuthFailure.TokenFailure", "token"],
    ["UnauthorizedOperation", "CAM"],
    ["InvalidParameter", "task id"],
    ["ResourceNotFound", "task id"],
    ["UnsupportedRegion", "region"],
  ];
  test.each(fatal)("%s fails after exactly one request, saying what to check", async (code, hint) => {
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 5000, outcome: "succeeded" });
    await emulator.current.addFault({ kind: code });
    const error = await wait({ service: "clb", taskId, region }).catch((e) => e);
    expect(error).toBeInstanceOf(TaskApiError);
    expect(error.code).toBe(code);
    expect(error.message).toContain(hint);
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await requestsSeen()).toBe(1);
  });

  test("a task id the API does not know fails at once: never an endless 'in progress'", async () => {
    const error = await wait({ service: "redis", taskId: 987654321 }).catch((e) => e);
    expect(error).toBeInstanceOf(TaskApiError);
    expect(error.code).toMatch(/^InvalidParameter/);
    expect(error.message).toContain("check the task id");
    expect(await requestsSeen("DescribeTaskInfo")).toBe(1);
  });

  test("a wrong secret key fails after one request, naming where the credentials came from", async () => {
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 5000, outcome: "succeeded" });
    const error = await wait({ service: "clb", taskId, region }, { credentials: { ...credentials, secretKey: "wrong-key-0000000000000000000000" } }).catch((e) => e);
    expect(error).toMatchObject({ code: "AuthFailure.SignatureFailure" });
    expect(error.message).toContain("the credentials option");
    // The advice names where the key came from, not settings the user did not use.
    expect(error.message).not.toContain("TENCENTCLOUD_SECRET_KEY");
    expectNoSecrets({ error }, ["wrong-key-0000000000000000000000"]);
    expect(await requestsSeen()).toBe(1);
  });

  test("no secret key or token in results, errors or progress lines, even when the API echoes them", async () => {
    const { taskId } = await emulator.current.createTask({ service: "redis", durationMs: 300, outcome: "failed", message: `bad credential ${credentials.secretKey} / ${SESSION_TOKEN}` });
    const lines: string[] = [];
    const onProgress = (e: ProgressEvent) => lines.push(formatProgress(e));
    // A token sent with a permanent key is refused: an SDK error whose text must not carry either.
    const refused = await wait({ service: "redis", taskId }, { credentials: { ...credentials, token: SESSION_TOKEN }, onProgress }).catch((e) => e);
    expect(refused).toMatchObject({ code: "AuthFailure.TokenFailure" });
    expectNoSecrets({ refused, lines });
    // The task's own message echoes the key: it is replaced wherever it goes.
    const echoed = await wait({ service: "redis", taskId }, { onProgress }).catch((e) => e);
    expect(echoed).toBeInstanceOf(TaskFailedError);
    expect(echoed.message).toContain("bad credential *** /");
    expectNoSecrets({ echoed, result: echoed.result, lines }, [credentials.secretKey]);
  });

  test("waits on the same task share their status calls", async () => {
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 3000, outcome: "succeeded" });
    const runtime = freshRuntime();
    const results = await Promise.all(Array.from({ length: 5 }, () => wait({ service: "clb", taskId, region }, {}, runtime)));
    const attempts = results.map((r) => r.attempts);
    // Five waits, each with its own schedule, cost the API about what one wait costs.
    expect(await requestsSeen()).toBeLessThanOrEqual(Math.max(...attempts) + 2);
    expect(attempts.reduce((a, b) => a + b)).toBeGreaterThan(3 * (await requestsSeen()));
  });

  test("loopback endpoints bypass http_proxy", async () => {
    const proxy = http.createServer((_req, res) => res.writeHead(502).end());
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const { port } = proxy.address() as { port: number };
    const saved = process.env.http_proxy;
    process.env.http_proxy = `http://127.0.0.1:${port}`;
    try {
      const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 0, outcome: "succeeded" });
      await expect(wait({ service: "clb", taskId, region })).resolves.toMatchObject({ status: "succeeded", attempts: 1 });
    } finally {
      if (saved === undefined) delete process.env.http_proxy;
      else process.env.http_proxy = saved;
      proxy.close();
    }
  });

  test("an AbortSignal stops the wait within 100 ms", async () => {
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 60_000, outcome: "succeeded" });
    const controller = new AbortController();
    let abortedAt = 0;
    setTimeout(() => {
      abortedAt = Date.now();
      controller.abort();
    }, 700);
    const error = await wait({ service: "clb", taskId, region }, { signal: controller.signal }).catch((e) => e);
    expect(error).toBeInstanceOf(TaskAbortedError);
    expect(Date.now() - abortedAt).toBeLessThan(100);
  });
});

describe("waitForTask (public entry)", () => {
  test("validates options before any request and names the field", async () => {
    const error = await waitForTask({ service: "clb", taskId: "x y", endpoint: emulator.current.url, credentials }).catch((e) => e);
    expect(error).toBeInstanceOf(TaskInputError);
    expect(error.failures.map((f: { property: string }) => f.property)).toEqual(["taskId", "region"]);
    expect(await requestsSeen()).toBe(0);
  });

  test("region from env TENCENTCLOUD_REGION, credentials from env", async () => {
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 0, outcome: "succeeded", region: "ap-chengdu" });
    const saved = { ...process.env };
    Object.assign(process.env, { TENCENTCLOUD_REGION: "ap-chengdu", TENCENTCLOUD_SECRET_ID: credentials.secretId, TENCENTCLOUD_SECRET_KEY: credentials.secretKey });
    try {
      await expect(waitForTask({ service: "clb", taskId, endpoint: emulator.current.url })).resolves.toMatchObject({ status: "succeeded", region: "ap-chengdu" });
    } finally {
      process.env = saved;
    }
  });

  test("no credentials anywhere: a clear error before any request", async () => {
    const saved = { ...process.env };
    delete process.env.TENCENTCLOUD_SECRET_ID;
    delete process.env.TENCENTCLOUD_SECRET_KEY;
    process.env.HOME = "/nonexistent";
    try {
      const error = await waitForTask({ service: "redis", taskId: 1, endpoint: emulator.current.url }).catch((e) => e);
      expect(error).toBeInstanceOf(TaskCredentialError);
      expect(error).toBeInstanceOf(TaskApiError);
      expect(error.code).toBe("NoCredentials");
      expect(error.message).toContain("tencentcloud:secretId");
      expect(error.message).toContain("TENCENTCLOUD_SECRET_ID");
    } finally {
      process.env = saved;
    }
    expect(await requestsSeen("DescribeTaskInfo")).toBe(0);
  });
});

