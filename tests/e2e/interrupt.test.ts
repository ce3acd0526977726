import { TaskCompletion } from "../../sdk";
import { runProgram } from "../harness/program";
import { HostCallError, ProviderHost } from "../harness/providerHost";
import { credentialEnv, useEmulator } from "../support/emulator";

/** Ctrl-C during `pulumi up` reaches the provider host too. */
const emulator = useEmulator();

test.each(["SIGINT", "SIGTERM"] as const)("%s: polling stops, the pending tasks are listed, the host exits within 2 s", async (signal) => {
  const host = await ProviderHost.start({ env: credentialEnv });
  try {
    await host.configure({ "tencentcloud:region": "ap-guangzhou" });
    const tasks = await Promise.all([1, 2].map(() => emulator.current.createTask({ service: "clb", durationMs: 60_000, outcome: "succeeded" })));
    const [resource] = await runProgram(() => new TaskCompletion("wait", { service: "clb", taskId: "placeholder", endpoint: emulator.current.url }));
    const creates = tasks.map(async ({ taskId }) => host.create((await host.check({ ...resource.inputs, taskId })).inputs).catch((e) => e));
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const sentAt = Date.now();
    host.process.kill(signal);
    const errors: HostCallError[] = await Promise.all(creates);
    const code = await host.exit();
    expect(Date.now() - sentAt).toBeLessThan(2000);
    expect(code).toBe(signal === "SIGINT" ? 130 : 143);

    const callsAtExit = (await emulator.current.stats()).actions.DescribeTaskStatus.received;
    for (const [i, error] of errors.entries()) {
      // The engine records each wait as created but not initialized: the next `up` resumes it.
      expect(error.initFailed).toMatchObject({ id: `clb/ap-guangzhou/${tasks[i].taskId}`, properties: { status: "pending", rawStatus: 2 } });
      expect(error.message).toContain("the next `pulumi up` resumes this wait");
      expect(host.stderr).toContain(`clb task ${tasks[i].taskId} (ap-guangzhou), waited `);
    }
    expect(host.stderr).toContain(`${signal} while waiting for 2 task(s)`);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await emulator.current.stats()).actions.DescribeTaskStatus.received).toBe(callsAtExit);
  } finally {
    await host.stop();
  }
});
