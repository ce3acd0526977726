import { startEmulator, type RunningEmulator } from "../../emulator";
import { RequestLog } from "../../emulator/requestLog";
import { clbClient, failure, redisClient } from "./helpers";

describe("the request log over HTTP", () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ rateLimit: { default: 20, actions: { DescribeTaskStatus: 1 } } });
  });
  afterEach(() => emulator.reset());
  afterAll(() => emulator.close());

  it("lists each API request once, in arrival order, with its time of arrival and outcome", async () => {
    const { taskId } = await emulator.createTask({ service: "redis" });
    const before = Date.now();
    await redisClient(emulator).DescribeTaskInfo({ TaskId: taskId });
    await failure(clbClient(emulator).DescribeTaskStatus({ TaskId: "x" }));
    await failure(clbClient(emulator).DescribeTaskStatus({ TaskId: "x" }));
    const stranger = { secretId: "AKIDNOBODY", secretKey: "x" };
    await failure(redisClient(emulator, { credential: stranger }).DescribeTaskInfo({ TaskId: 1 }));
    await emulator.addFault({ kind: "http503", count: 1 });
    await failure(redisClient(emulator).DescribeTaskInfo({ TaskId: taskId }));
    // A stalled request is logged once, as it was finally answered.
    await emulator.addFault({ kind: "stall", delayMs: 50, count: 1 });
    await redisClient(emulator).DescribeTaskInfo({ TaskId: taskId });
    const after = Date.now();

    const requests = await emulator.requests();
    expect(requests.map(({ action, outcome }) => [action, outcome])).toEqual([
      ["DescribeTaskInfo", "ok"],
      ["DescribeTaskStatus", "rejected"],
      ["DescribeTaskStatus", "throttled"],
      ["DescribeTaskInfo", "authRejected"],
      ["DescribeTaskInfo", "faulted"],
      ["DescribeTaskInfo", "ok"],
    ]);
    const times = requests.map((request) => request.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBeGreaterThanOrEqual(before);
    expect(times[times.length - 1]).toBeLessThanOrEqual(after);
    // Control requests are not API requests.
    expect(await emulator.requests()).toHaveLength(requests.length);
  });

  it("is cleared by reset", async () => {
    await failure(clbClient(emulator).DescribeTaskStatus({ TaskId: "x" }));
    expect(await emulator.requests()).toHaveLength(1);
    await emulator.reset();
    expect(await emulator.requests()).toEqual([]);
  });
});

describe("RequestLog", () => {
  it("keeps only the newest entries once full, oldest first", () => {
    const log = new RequestLog(3);
    for (let at = 1; at <= 5; at++) log.add({ at, action: "A", outcome: "ok" });
    expect(log.list().map((request) => request.at)).toEqual([3, 4, 5]);
    log.clear();
    log.add({ at: 6, action: "A", outcome: "ok" });
    expect(log.list().map((request) => request.at)).toEqual([6]);
  });
});
