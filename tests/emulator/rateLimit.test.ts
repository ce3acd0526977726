import { setTimeout as sleep } from "node:timers/promises";
import { DEFAULT_CREDENTIAL, startEmulator, type RunningEmulator } from "../../emulator";
import { RateLimiter } from "../../emulator/rateLimit";
import { clbClient, failure, redisClient, type SdkError } from "./helpers";

describe("RateLimiter", () => {
  it("counts accepted requests in a sliding second; throttled ones do not count", () => {
    const limiter = new RateLimiter(2);
    limiter.take("A", "id", 0);
    limiter.take("A", "id", 100);
    for (let t = 200; t < 1000; t += 100) expect(() => limiter.take("A", "id", t)).toThrow("equals to `3`");
    expect(() => limiter.take("A", "id", 1000)).not.toThrow();
    expect(() => limiter.take("A", "id", 1050)).toThrow();
    expect(() => limiter.take("A", "id", 1100)).not.toThrow();
  });

  it("keeps one window per action and SecretId, with per-action limits", () => {
    const limiter = new RateLimiter({ default: 1, actions: { B: 3 } });
    limiter.take("A", "id", 0);
    expect(() => limiter.take("A", "id", 0)).toThrow();
    limiter.take("A", "other", 0);
    for (let i = 0; i < 3; i++) limiter.take("B", "id", 0);
    expect(() => limiter.take("B", "id", 0)).toThrow("exceeds the frequency limit `3`");
  });
});

describe("rate limits over HTTP", () => {
  let emulator: RunningEmulator;

  afterEach(() => emulator.close());

  it("throttles 25 requests offered in one second to 20, like the real API", async () => {
    emulator = await startEmulator();
    const { taskId } = await emulator.createTask({ service: "redis" });
    const redis = redisClient(emulator);
    const calls: Promise<SdkError | undefined>[] = [];
    const start = Date.now();
    for (let i = 0; i < 25; i++) {
      calls.push(
        redis.DescribeTaskInfo({ TaskId: taskId }).then(
          () => undefined,
          (error: SdkError) => error,
        ),
      );
      await sleep(start + (i + 1) * 40 - Date.now());
    }
    const throttled = (await Promise.all(calls)).filter((error) => error?.code === "RequestLimitExceeded");
    // 5 when the 25 land within one second; fewer if a slow machine stretches the burst.
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled[0]).toMatchObject({
      message:
        "Your current request times equals to `21` in a second, which exceeds the frequency limit `20` for a second. Please reduce the frequency of calls.",
    });
    const stats = (await emulator.stats()).actions.DescribeTaskInfo;
    expect(stats).toMatchObject({
      received: 25,
      ok: 25 - throttled.length,
      throttled: throttled.length,
      maxPerSecond: 20,
    });
  });

  it("honours per-action limits and keeps SecretIds apart", async () => {
    const second = {
      secretId: "AKIDSECOND0000000000000000000000000000",
      secretKey: "second-secret-key-00000000000000",
    };
    emulator = await startEmulator({
      credentials: [DEFAULT_CREDENTIAL, second],
      rateLimit: { default: 20, actions: { DescribeTaskInfo: 3 } },
    });
    const burst = (call: () => Promise<unknown>) =>
      Promise.all(Array.from({ length: 6 }, () => failure(call()).then((e) => e.code)));
    const redisCodes = await burst(() => redisClient(emulator).DescribeTaskInfo({ TaskId: 1 }));
    expect(redisCodes.filter((code) => code === "RequestLimitExceeded")).toHaveLength(3);
    const otherKeyCodes = await burst(() =>
      redisClient(emulator, { credential: second }).DescribeTaskInfo({ TaskId: 1 }),
    );
    expect(otherKeyCodes.filter((code) => code === "RequestLimitExceeded")).toHaveLength(3);
    const clbCodes = await burst(() => clbClient(emulator).DescribeTaskStatus({ TaskId: "x" }));
    expect(clbCodes).not.toContain("RequestLimitExceeded");
    const stats = await emulator.stats();
    expect(stats.actions.DescribeTaskInfo).toMatchObject({ received: 12, throttled: 6, rejected: 6, maxPerSecond: 6 });
    expect(stats.actions.DescribeTaskStatus).toMatchObject({ received: 6, throttled: 0, rejected: 6, maxPerSecond: 6 });
  });

  it("forgets the windows on reset", async () => {
    emulator = await startEmulator({ rateLimit: 1 });
    const redis = redisClient(emulator);
    await failure(redis.DescribeTaskInfo({ TaskId: 1 }));
    expect((await failure(redis.DescribeTaskInfo({ TaskId: 1 }))).code).toBe("RequestLimitExceeded");
    await emulator.reset();
    expect((await failure(redis.DescribeTaskInfo({ TaskId: 1 }))).code).toBe("InvalidParameter.InvalidParameter");
  });
});
