import { systemClock } from "../provider/clock";
import { TaskTimeoutError } from "../provider/errors";
import { pollUntilDone } from "../provider/poller";

/** Delays and deadlines run on monotonic time: a wall-clock jump (NTP step, suspend) moves neither. */
test.each([
  ["forward by an hour", 3600_000],
  ["back by two hours", -7200_000],
])("the deadline holds when the wall clock jumps %s", async (_name, jump) => {
  const realNow = Date.now.bind(Date);
  let offset = 0;
  const wallClock = jest.spyOn(Date, "now").mockImplementation(() => realNow() + offset);
  setTimeout(() => (offset = jump), 300);
  try {
    const started = performance.now();
    const error = await pollUntilDone({
      task: { service: "redis", taskId: 1 },
      label: "redis task 1",
      call: async () => ({ state: "pending", rawStatus: "running" }),
      statusText: () => "in progress (Status running)",
      wanted: "Status succeed",
      timeoutSeconds: 2,
      clock: systemClock,
    }).catch((e) => e);
    const took = performance.now() - started;
    expect(error).toBeInstanceOf(TaskTimeoutError);
    // The jump did happen during the wait (read from the offset: two clock reads can straddle a millisecond).
    expect(offset).toBe(jump);
    expect(Math.abs(Date.now() - realNow() - jump)).toBeLessThanOrEqual(1);
    expect(took).toBeGreaterThanOrEqual(2000);
    expect(took).toBeLessThan(2500);
    expect(error.waitedSeconds).toBeCloseTo(took / 1000, 0);
  } finally {
    wallClock.mockRestore();
  }
});
