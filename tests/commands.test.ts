import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CREDENTIAL, startEmulator } from "../emulator";
import { expectNoSecrets } from "./support/secrets";
import { answerWith, CASES, CONTRACTS, sentId, type Case, type Contract } from "./support/services";

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

/** The command line naming task `id` of `name`: the id positional (or as --flow-id), then the other inputs as options. */
function commandLine(name: Case, id: string | number, instanceId?: string): string[] {
  const contract: Contract = CONTRACTS[name];
  const inputs = { ...contract.inputs(id), ...(instanceId ? { instanceId } : {}) };
  const options = Object.entries(inputs)
    .filter(([input]) => input !== "taskId")
    .flatMap(([input, value]) => [`--${input.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, String(value)]);
  return [contract.service, ...("taskId" in inputs ? [String(id)] : []), ...options, "--region", region];
}

async function task(name: Case, spec: Record<string, unknown>): Promise<{ id: string; args: string[] }> {
  const contract: Contract = CONTRACTS[name];
  const instanceId = contract.instance && `${contract.instance.slice(0, -2)}${String(instances++).padStart(2, "0")}`;
  const { taskId } = await (await emulator).createTask({ service: contract.service, region, idSpace: contract.idSpace, ...(instanceId ? { instanceId } : {}), ...spec });
  const id = String(taskId);
  return { id, args: commandLine(name, id, instanceId) };
}

describe.each(CASES)("tencentcloud-task-wait %s", (name) => {
  const contract: Contract = CONTRACTS[name];

  test.concurrent("a task that succeeds: exit 0, its JSON entry with the API's success value", async () => {
    const { args } = await task(name, { durationMs: contract.pending === undefined ? 0 : 300, outcome: "succeeded" });
    const { code, stdout, stderr } = await run([...args, "--json"]);
    expect({ code, stderr }).toMatchObject({ code: 0 });
    const [entry] = JSON.parse(stdout);
    expect(entry).toMatchObject({ service: contract.service, status: "succeeded", rawStatus: contract.success });
    expect(stderr).toContain("succeeded");
  });
});

/** One service of each answer shape: a field, a list entry, an instance's operation, parts, counts, per-instance messages. */
const SHAPES: Case[] = ["clb", "postgres", "cvm", "cdn-purge", "ssl-deploy", "tat"];

describe.each(SHAPES)("tencentcloud-task-wait %s", (name) => {
  const contract: Contract = CONTRACTS[name];

  test.concurrent("a task that fails: exit 1, the failure on stderr", async () => {
    // Each case's own task id, so that concurrent scripts never answer another case's request.
    const id = contract.type === "number" ? 7000 + CASES.indexOf(name) : `${String(contract.sampleId).slice(0, -2)}${String(CASES.indexOf(name)).padStart(2, "0")}`;
    const { action, version, product, request } = contract;
    await (await emulator).addScript({ action, version, product, match: request(sentId(name, id)), responses: [answerWith(name, contract.failure!, sentId(name, id), "not enough capacity")] });
    const { code, stderr } = await run(commandLine(name, id));
    expect(code).toBe(1);
    expect(stderr).toContain(contract.hasMessage ? "not enough capacity" : "the API gave no reason");
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
