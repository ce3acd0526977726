import { TaskCompletion } from "../../sdk";
import { runProgram } from "../harness/program";
import { ProviderHost } from "../harness/providerHost";
import { credentialEnv, useEmulator } from "../support/emulator";

/** The throttle's budget from stack config, as `pulumi config set tencentcloud-task-completion:requestsPerSecond 3` leaves it. */
const emulator = useEmulator();

test("stack config sets the process's budget of status calls per second", async () => {
  const host = await ProviderHost.start({ env: credentialEnv });
  try {
    await host.configure({ "tencentcloud:region": "ap-guangzhou", "tencentcloud-task-completion:requestsPerSecond": "3" });
    const [resource] = await runProgram(() => new TaskCompletion("wait", { service: "clb", taskId: "placeholder", endpoint: emulator.current.url }));
    const tasks = await Promise.all(Array.from({ length: 12 }, () => emulator.current.createTask({ service: "clb", durationMs: 0, outcome: "succeeded" })));
    const started = Date.now();
    await Promise.all(tasks.map(async ({ taskId }) => host.create((await host.check({ ...resource.inputs, taskId })).inputs)));
    const stats = (await emulator.current.stats()).actions.DescribeTaskStatus;
    expect(stats).toMatchObject({ received: 12, throttled: 0 });
    expect(stats.maxPerSecond).toBeLessThanOrEqual(3);
    expect(Date.now() - started).toBeGreaterThan(3000);
  } finally {
    await host.stop();
  }
});

test("a malformed budget fails every Check, as a failure naming the setting (Check never throws)", async () => {
  const host = await ProviderHost.start({ env: credentialEnv });
  try {
    await host.configure({ "tencentcloud-task-completion:requestsPerSecond": "lots" });
    const [resource] = await runProgram(() => new TaskCompletion("wait", { service: "redis", taskId: 1, region: "ap-guangzhou", endpoint: emulator.current.url }));
    for (let i = 0; i < 2; i++) {
      const { failures } = await host.check(resource.inputs);
      expect(failures).toEqual([
        {
          property: "tencentcloud-task-completion:requestsPerSecond",
          reason: expect.stringContaining('stack config tencentcloud-task-completion:requestsPerSecond: expected requests per second from 1 to 100'),
        },
      ]);
      expect(failures[0].reason).toContain('got "lots"');
    }
  } finally {
    await host.stop();
  }
});
