import { setTimeout as sleep } from "node:timers/promises";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { FaultStore } from "../../emulator/faults";
import { clbClient, failure, redisClient, UUID } from "./helpers";

describe("faults as the SDK sees them", () => {
  let emulator: RunningEmulator;
  let taskId: number;

  beforeAll(async () => {
    emulator = await startEmulator({ rateLimit: 1000 });
  });
  beforeEach(async () => {
    await emulator.reset();
    // Long enough to be still `preparing` (its first 10 %) after a stalled answer on a busy machine.
    ({ taskId } = await emulator.createTask({ service: "redis", durationMs: 60_000 }));
  });
  afterAll(() => emulator.close());

  const describeTask = (options: { reqTimeout?: number } = {}) =>
    redisClient(emulator, options).DescribeTaskInfo({ TaskId: taskId });

  it.each([500, 502, 503] as const)("http%d: the SDK throws with that httpCode", async (status) => {
    await emulator.addFault({ kind: `http${status}`, count: 1 });
    const error = await failure(describeTask());
    expect(error.httpCode).toBe(status);
    expect(error.code).toBeUndefined();
    await expect(describeTask()).resolves.toMatchObject({ Status: "preparing" });
  });

  it("reset: the SDK throws a message-only network error", async () => {
    await emulator.addFault({ kind: "reset", count: 1 });
    const error = await failure(describeTask());
    expect(error.message).toMatch(/socket hang up|ECONNRESET/);
    expect(error.code).toBeUndefined();
    expect(error.httpCode).toBeUndefined();
  });

  it("stall: a client with a short timeout gives up", async () => {
    await emulator.addFault({ kind: "stall", delayMs: 5000, count: 1 });
    const error = await failure(describeTask({ reqTimeout: 0.2 }));
    expect(error.message).toMatch(/timeout/);
  });

  it("stall: a patient client gets the normal answer late", async () => {
    await emulator.addFault({ kind: "stall", delayMs: 150, count: 1 });
    const started = Date.now();
    await expect(describeTask()).resolves.toMatchObject({ Status: "preparing" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect((await emulator.stats()).actions.DescribeTaskInfo).toMatchObject({ received: 1, faulted: 1, ok: 1 });
  });

  it("malformed: the SDK fails to parse the body", async () => {
    await emulator.addFault({ kind: "malformed", count: 1 });
    const error = await failure(describeTask());
    expect(error.message).toMatch(/invalid json/i);
  });

  it("empty: HTTP 200 with nothing the SDK can parse", async () => {
    await emulator.addFault({ kind: "empty", count: 1 });
    const error = await failure(describeTask());
    expect(error.message).toMatch(/json/i);
  });

  it("answer: the given Response, with a fresh RequestId", async () => {
    await emulator.addFault({ kind: "answer", answer: { Status: "paused", TaskMessage: 7 }, count: 1 });
    const answer = await describeTask();
    expect(answer).toEqual({ Status: "paused", TaskMessage: 7, RequestId: expect.stringMatching(UUID) });
  });

  it("answer: refused without a Response object, and a Response refused for other kinds", async () => {
    await expect(emulator.addFault({ kind: "answer" })).rejects.toThrow(/kind `answer` needs `answer`/);
    await expect(emulator.addFault({ kind: "answer", answer: [] as never })).rejects.toThrow(/`answer` must be a JSON object/);
    await expect(emulator.addFault({ kind: "http500", answer: {} })).rejects.toThrow(/`answer` goes with kind `answer`/);
  });

  it.each([
    "InternalError",
    "RequestLimitExceeded",
    "ResourceUnavailable",
    "AuthFailure.SignatureFailure",
    "UnsupportedRegion",
    "FailedOperation.SystemError",
  ])("%s: answered as that API error", async (code) => {
    await emulator.addFault({ kind: code, count: 1 });
    const error = await failure(describeTask());
    expect(error.code).toBe(code);
    expect(error.message.length).toBeGreaterThan(10);
    expect(error.requestId).toMatch(UUID);
  });

  it("fires at most `count` times", async () => {
    const { id } = await emulator.addFault({ kind: "InternalError", count: 2 });
    expect((await failure(describeTask())).code).toBe("InternalError");
    expect((await failure(describeTask())).code).toBe("InternalError");
    await expect(describeTask()).resolves.toBeDefined();
    expect(await emulator.listFaults()).toEqual([{ id, kind: "InternalError", count: 2, fired: 2, expiresAt: null }]);
  });

  it("fires with the given probability", async () => {
    await emulator.addFault({ kind: "InternalError", probability: 0.5 });
    const outcomes = await Promise.all(
      Array.from({ length: 60 }, () =>
        describeTask().then(
          () => "ok",
          (e: { code: string }) => e.code,
        ),
      ),
    );
    expect(outcomes).toContain("ok");
    expect(outcomes).toContain("InternalError");
    await emulator.clearFaults();
    await emulator.addFault({ kind: "InternalError", probability: 0 });
    await expect(describeTask()).resolves.toBeDefined();
  });

  it("hits only the given action", async () => {
    await emulator.addFault({ kind: "ResourceUnavailable", action: "DescribeTaskStatus" });
    await expect(describeTask()).resolves.toBeDefined();
    expect((await failure(clbClient(emulator).DescribeTaskStatus({ TaskId: "x" }))).code).toBe("ResourceUnavailable");
  });

  it("stays active for durationMs of real time", async () => {
    await emulator.addFault({ kind: "InternalError", durationMs: 100 });
    expect((await failure(describeTask())).code).toBe("InternalError");
    await sleep(150);
    await expect(describeTask()).resolves.toBeDefined();
    await expect(emulator.listFaults()).resolves.toEqual([]);
  });

  it("lets the first fault that fires win, and clears all", async () => {
    await emulator.addFault({ kind: "InternalError", probability: 0 });
    await emulator.addFault({ kind: "http503" });
    await emulator.addFault({ kind: "ResourceUnavailable" });
    expect((await failure(describeTask())).httpCode).toBe(503);
    await emulator.clearFaults();
    await expect(describeTask()).resolves.toBeDefined();
  });

  it("counts requests by outcome in the stats", async () => {
    await emulator.addFault({ kind: "http500", count: 1 });
    await failure(describeTask());
    await describeTask();
    await failure(redisClient(emulator).DescribeTaskInfo({ TaskId: 1 }));
    await failure(
      redisClient(emulator, { credential: { secretId: "AKIDNOBODY", secretKey: "x" } }).DescribeTaskInfo({ TaskId: 1 }),
    );
    expect(await emulator.stats()).toEqual({
      actions: {
        DescribeTaskInfo: {
          received: 4,
          ok: 1,
          throttled: 0,
          faulted: 1,
          authRejected: 1,
          rejected: 1,
          maxPerSecond: 2,
        },
      },
    });
  });
});

describe("FaultStore", () => {
  it("draws from the injected random source", () => {
    const draws = [0.3, 0.7];
    const store = new FaultStore(() => draws.shift() ?? 1);
    store.add({ kind: "InternalError", probability: 0.5 });
    expect(store.fire("A")).toMatchObject({ kind: "InternalError" });
    expect(store.fire("A")).toBeUndefined();
  });
});

describe("closing", () => {
  it("does not wait for stalled or keep-alive connections", async () => {
    const emulator = await startEmulator();
    await emulator.addFault({ kind: "stall" });
    const stalled = failure(redisClient(emulator).DescribeTaskInfo({ TaskId: 1 }));
    await sleep(50);
    const started = Date.now();
    await emulator.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await stalled).message).toMatch(/socket hang up|ECONNRESET/);
  });
});
