import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { HostCallError, type Props } from "../harness/providerHost";
import { PLUGIN_BIN, PluginHost, ROOT } from "../harness/pluginHost";
import { credentialEnv, useEmulator } from "../support/emulator";
import { expectNoSecrets } from "../support/secrets";

/** The plugin as a process: how it is started, cancelled and stopped. */
const emulator = useEmulator();
const region = "ap-guangzhou";
const env = { ...credentialEnv, TENCENTCLOUD_TASK_COORDINATION: "off" };

async function configured(options: Parameters<typeof PluginHost.start>[0] = {}): Promise<PluginHost> {
  const host = await PluginHost.start({ ...options, env: { ...env, ...options.env } });
  await host.configure({ region });
  return host;
}

/** Creates of `count` tasks that take a minute, failures caught. */
async function longCreates(host: PluginHost, count: number): Promise<{ taskIds: string[]; creates: Promise<HostCallError>[] }> {
  const tasks = await Promise.all(Array.from({ length: count }, () => emulator.current.createTask({ service: "clb", durationMs: 60_000 })));
  const creates = tasks.map(async ({ taskId }) => {
    const { inputs } = await host.check({ service: "clb", taskId, endpoint: emulator.current.url });
    return host.create(inputs).then(
      () => {
        throw new Error("the create finished");
      },
      (error: HostCallError) => error,
    );
  });
  return { taskIds: tasks.map((t) => t.taskId), creates };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function statusCalls(): Promise<number> {
  return (await emulator.current.stats()).actions.DescribeTaskStatus?.received ?? 0;
}

test("Cancel ends every wait in flight at once, each keeping its place; the plugin stays up, and a later Create ends at once too", async () => {
  const host = await configured();
  try {
    const { taskIds, creates } = await longCreates(host, 3);
    await sleep(700);
    const sentAt = Date.now();
    await host.cancel();
    const errors = await Promise.all(creates);
    expect(Date.now() - sentAt).toBeLessThan(1000);
    for (const [i, error] of errors.entries()) {
      expect(error.initFailed).toMatchObject({ id: `clb/${region}/${taskIds[i]}`, properties: { taskId: taskIds[i], status: "pending", rawStatus: 2 } });
      expect(error.message).toContain(`the wait for clb task ${taskIds[i]} (${region}) was aborted (the engine cancelled the deployment)`);
      expect(error.message).toContain("the next `pulumi up` resumes this wait");
    }
    const calls = await statusCalls();
    await sleep(700);
    expect(await statusCalls()).toBe(calls);

    expect(await host.getPluginInfo()).toMatch(/^\d+\.\d+\.\d+/);
    const late = await longCreates(host, 1);
    const [error] = await Promise.all(late.creates);
    expect(error.initFailed?.properties).toMatchObject({ status: "pending", attempts: 0 });
    expect(await statusCalls()).toBe(calls);
    expectNoSecrets({ answers: host.answers, logs: host.logs, stderr: host.stderr });
  } finally {
    await host.stop();
  }
});

test.each(["SIGTERM", "SIGINT"] as const)("%s: the waits in flight answer with their partial state, then the plugin exits", async (signal) => {
  const host = await configured();
  try {
    const { creates } = await longCreates(host, 2);
    await sleep(700);
    const sentAt = Date.now();
    host.process.kill(signal);
    const errors = await Promise.all(creates);
    expect(await host.exit()).toBe(signal === "SIGINT" ? 130 : 143);
    expect(Date.now() - sentAt).toBeLessThan(2000);
    for (const error of errors) {
      expect(error.initFailed?.properties).toMatchObject({ status: "pending", rawStatus: 2 });
      expect(error.message).toContain(`was aborted (interrupted by ${signal})`);
    }
  } finally {
    await host.stop();
  }
});

test("PulumiPlugin.yaml: Pulumi's Node.js plugin runner loads the package from its folder, and the plugin serves", async () => {
  expect(readFileSync(path.join(ROOT, "PulumiPlugin.yaml"), "utf8")).toBe("runtime: nodejs\n");
  const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { main: string; bin: Record<string, string> };
  expect(path.resolve(ROOT, manifest.main)).toBe(PLUGIN_BIN);
  expect(path.resolve(ROOT, manifest.bin["pulumi-resource-tencentcloud-task-completion"])).toBe(PLUGIN_BIN);
  // What the language host runs: node <run-plugin> <the plugin's folder> <engine address>.
  const runner = require.resolve("@pulumi/pulumi/cmd/run-plugin", { paths: [ROOT] });
  const host = await configured({ command: [process.execPath, runner, ROOT] });
  try {
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 0 });
    const { inputs } = await host.check({ service: "clb", taskId, endpoint: emulator.current.url });
    expect((await host.create(inputs)).properties).toMatchObject({ status: "succeeded" });
  } finally {
    await host.stop();
  }
}, 60_000);

test("loaded any other way, the package's main starts nothing", async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", `require(${JSON.stringify(ROOT)}); console.log("loaded")`], { timeout: 10_000 });
  expect(stdout).toBe("loaded\n");
});

test("without @pulumi/pulumi: says what to install, and exits 1", async () => {
  const work = mkdtempSync(path.join(tmpdir(), "plugin-"));
  try {
    const guard = path.join(work, "no-pulumi.js");
    writeFileSync(
      guard,
      `const Module = require("module");
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === "@pulumi/pulumi" || request.startsWith("@pulumi/pulumi/")) throw Object.assign(new Error("Cannot find module " + request), { code: "MODULE_NOT_FOUND" });
  return resolve.call(this, request, ...rest);
};\n`,
    );
    const failed = await promisify(execFile)(process.execPath, ["--require", guard, PLUGIN_BIN, "127.0.0.1:1"], { timeout: 10_000 }).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 1, stderr: expect.stringContaining("@pulumi/pulumi is not installed beside this package") });
    expect((failed as Props).stderr).toContain("npm install @pulumi/pulumi");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
