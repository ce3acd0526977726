import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CREDENTIAL, startEmulator } from "../emulator";
import { expectNoSecrets } from "./support/secrets";
import { BUILT_INS, CONTRACTS, taskFields, type BuiltIn } from "./support/services";

/** The command for every service family against the emulator. Runs the build: `npm test` builds first. */
const CLI = join(__dirname, "../dist/sdk/cli.js");
const region = "ap-guangzhou";
// Each command process has a throttle of its own: lift the emulator's limit for concurrent ones.
const emulator = startEmulator({ rateLimit: 1000 });
const home = mkdtempSync(join(tmpdir(), "task-wait-home-"));
afterAll(async () => {
  await (await emulator).close();
  rmSync(home, { recursive: true });
});

function env(): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("TENCENTCLOUD_")));
  return { ...base, HOME: home, TENCENTCLOUD_SECRET_ID: DEFAULT_CREDENTIAL.secretId, TENCENTCLOUD_SECRET_KEY: DEFAULT_CREDENTIAL.secretKey };
}

async function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args, "--endpoint", (await emulator).url], { env: env(), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const [code] = await once(child, "close");
  expectNoSecrets({ stdout, stderr });
  return { code: code as number | null, stdout, stderr };
}

/** Concurrent tests of an instance product each operate on an instance of their own: an instance's latest operation is one. */
let instances = 0;

async function task(service: BuiltIn, spec: Record<string, unknown>): Promise<{ id: string; args: string[] }> {
  const { instance } = CONTRACTS[service];
  const instanceId = instance && `${instance.slice(0, -2)}${String(instances++).padStart(2, "0")}`;
  const { taskId } = await (await emulator).createTask({ service, region, ...taskFields(service, instanceId), ...spec });
  const id = String(taskId);
  // The command line of the task: its id, plus an instance product's instance.
  return { id, args: [service, id, "--region", region, ...(instanceId ? ["--instance-id", instanceId] : [])] };
}

describe.each(BUILT_INS)("tencentcloud-task-wait %s", (service) => {
  test.concurrent("a task that succeeds: exit 0, its JSON entry with the API's success value", async () => {
    const { args } = await task(service, { durationMs: 300, outcome: "succeeded" });
    const { code, stdout, stderr } = await run([...args, "--json"]);
    expect({ code, stderr }).toMatchObject({ code: 0 });
    const [entry] = JSON.parse(stdout);
    expect(entry).toMatchObject({ service, status: "succeeded", rawStatus: CONTRACTS[service].success });
    expect(stderr).toContain("succeeded");
  });

  test.concurrent("a task that fails: exit 1, the failure on stderr", async () => {
    const { args } = await task(service, { durationMs: 0, outcome: "failed", message: "not enough capacity" });
    const { code, stderr } = await run(args);
    expect(code).toBe(1);
    expect(stderr).toContain(CONTRACTS[service].hasMessage ? "not enough capacity" : "the API gave no reason");
  });
});

test.concurrent("several tasks of one service in one command, in argument order", async () => {
  const ids = [(await task("cdb", { durationMs: 0 })).id, (await task("cdb", { durationMs: 200 })).id];
  const { code, stdout } = await run(["cdb", ...ids, "--region", region, "--json"]);
  expect(code).toBe(0);
  expect(JSON.parse(stdout).map((entry: { taskId: string }) => entry.taskId)).toEqual(ids);
});

test.concurrent("eip by --deal-name", async () => {
  await task("eip", { durationMs: 0, dealName: "20261202000042" });
  const { code, stdout } = await run(["eip", "--deal-name", "20261202000042", "--region", region, "--json"]);
  expect(code).toBe(0);
  expect(JSON.parse(stdout)[0]).toMatchObject({ dealName: "20261202000042", rawStatus: "SUCCESS" });
});

test.concurrent("cvm without --instance-id: exit 64 naming it", async () => {
  const { code, stderr } = await run(["cvm", "3a1f2a64-6b2c-4b1e-9d1f-1c5e8b0c7a3d", "--region", region]);
  expect(code).toBe(64);
  expect(stderr).toContain("--instance-id");
});

test.concurrent("custom: --product --version --action --request --status-path --pending --success --failure on scripted answers", async () => {
  await (await emulator).addScript({
    action: "DescribeClusterStatus",
    product: "tke",
    version: "2018-05-25",
    match: { ClusterIds: ["cls-0a1b2c3d"] },
    responses: [{ ClusterStatusSet: [{ ClusterId: "cls-0a1b2c3d", ClusterState: "Creating" }] }, { ClusterStatusSet: [{ ClusterId: "cls-0a1b2c3d", ClusterState: "Running" }] }],
  });
  const args = ["custom", "--product", "tke", "--version", "2018-05-25", "--action", "DescribeClusterStatus", "--request", '{"ClusterIds":["cls-0a1b2c3d"]}'];
  const lists = ["--status-path", "ClusterStatusSet[0].ClusterState", "--pending", "Creating,Idling", "--success", "Running", "--failure", "Abnormal"];
  const { code, stdout } = await run([...args, ...lists, "--region", region, "--json"]);
  expect(code).toBe(0);
  expect(JSON.parse(stdout)[0]).toMatchObject({ service: "custom", status: "succeeded", rawStatus: "Running", attempts: 2 });
});
