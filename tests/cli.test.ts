import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CREDENTIAL, startEmulator, type EmulatedTaskSpec } from "../emulator";
import { SESSION_TOKEN, expectNoSecrets } from "./support/secrets";
import { onTerminal } from "./support/terminal";

// Runs the built command: `npm test` builds before jest.
const CLI = join(__dirname, "../dist/sdk/cli.js");
const region = "ap-guangzhou";
const token = SESSION_TOKEN;

// Concurrent command processes each have their own throttle: lift the emulator's limit so
// that no test sees RequestLimitExceeded retries it did not ask for.
const emulator = startEmulator({ rateLimit: 1000 });
// Temporary credentials, for the fault and secret tests: faults there never reach other tests.
const tokenEmulator = startEmulator({ credentials: [{ ...DEFAULT_CREDENTIAL, token }] });
// A home without a profile file, so that this machine's own credentials are never found.
const home = mkdtempSync(join(tmpdir(), "task-wait-home-"));
afterAll(async () => {
  await Promise.all([(await emulator).close(), (await tokenEmulator).close()]);
  rmSync(home, { recursive: true });
});

const clbTask = async (spec: Omit<EmulatedTaskSpec, "service">) => (await (await emulator).createTask({ service: "clb", region, ...spec })).taskId;
const redisTask = async (spec: Omit<EmulatedTaskSpec, "service">) => String((await (await emulator).createTask({ service: "redis", ...spec })).taskId);

/** A pipeline's environment: none of this machine's Tencent Cloud settings. */
function pipelineEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("TENCENTCLOUD_")));
  return { ...env, HOME: home, ...extra };
}

const credentialEnv = { TENCENTCLOUD_SECRET_ID: DEFAULT_CREDENTIAL.secretId, TENCENTCLOUD_SECRET_KEY: DEFAULT_CREDENTIAL.secretKey };

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the command; `finished` also checks that no secret appeared in its output. */
function start(args: string[], env: NodeJS.ProcessEnv = pipelineEnv(credentialEnv)) {
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const finished = once(child, "close").then(([code]): Finished => {
    expectNoSecrets({ stdout, stderr });
    return { code: code as number | null, stdout, stderr };
  });
  const stderrShows = async (...texts: string[]) => {
    while (!texts.every((text) => stderr.includes(text))) await new Promise((resolve) => setTimeout(resolve, 20));
  };
  return { child, finished, stderrShows };
}

const run = (args: string[], env?: NodeJS.ProcessEnv) => start(args, env).finished;

async function clbArgs(...ids: string[]) {
  return ["clb", ...ids, "--region", region, "--endpoint", (await emulator).url];
}

async function redisArgs(...ids: string[]) {
  return ["redis", ...ids, "--endpoint", (await emulator).url];
}

describe("one task", () => {
  test.concurrent("success: one stderr line per status change, nothing on stdout, exit 0", async () => {
    // Long enough to be seen in progress even when the command is slow to start (a loaded machine: seconds).
    const id = await clbTask({ durationMs: 6000, outcome: "succeeded" });
    const { code, stdout, stderr } = await run(await clbArgs(id));
    expect(code).toBe(0);
    expect(stdout).toBe("");
    const lines = stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(`clb task ${id} (${region}): waiting (timeout 30m)`);
    // Elapsed is 0s unless the machine is slow to make the first call.
    expect(lines[1]).toMatch(new RegExp(`^clb task ${id} \\(${region}\\): in progress \\(Status 2\\), \\ds elapsed, 1 status call$`));
    expect(lines[2]).toMatch(new RegExp(`^clb task ${id} \\(${region}\\): succeeded \\(Status 0\\) after \\ds, \\d+ status calls$`));
  });

  test.concurrent("--json: the resource's outputs for a CLB task, field by field", async () => {
    const id = await clbTask({ durationMs: 1000, outcome: "succeeded", loadBalancerIds: ["lb-abcdefgh"] });
    const before = Date.now();
    const { code, stdout } = await run([...(await clbArgs(id)), "--json"]);
    expect(code).toBe(0);
    const [entry, ...rest] = JSON.parse(stdout);
    expect(rest).toEqual([]);
    expect(Object.keys(entry).sort()).toEqual(["attempts", "completedAt", "loadBalancerIds", "rawStatus", "region", "requestId", "service", "status", "taskId", "waitedSeconds"]);
    expect(entry.service).toBe("clb");
    expect(entry.taskId).toBe(id);
    expect(entry.region).toBe(region);
    expect(entry.status).toBe("succeeded");
    expect(entry.rawStatus).toBe(0);
    expect(entry.loadBalancerIds).toEqual(["lb-abcdefgh"]);
    expect(Date.parse(entry.completedAt)).toBeGreaterThanOrEqual(before);
    expect(entry.attempts).toBeGreaterThanOrEqual(1);
    expect(entry.waitedSeconds).toBeGreaterThanOrEqual(0);
    expect(entry.waitedSeconds).toBeLessThan(3);
    expect(entry.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test.concurrent("--json: a Redis task's instance, type and start time", async () => {
    const id = await redisTask({ durationMs: 1000, outcome: "succeeded", instanceId: "crs-abcdefgh", taskType: "Configure" });
    const { code, stdout } = await run([...(await redisArgs(id)), "--json"]);
    expect(code).toBe(0);
    const [entry] = JSON.parse(stdout);
    expect(entry).toMatchObject({ service: "redis", taskId: Number(id), status: "succeeded", rawStatus: "succeed", instanceId: "crs-abcdefgh", taskType: "Configure" });
    expect(entry.startTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(entry.region).toBeUndefined();
  });

  test.concurrent("task failure: exit 1 with the task's reason on stderr and in the JSON", async () => {
    const id = await redisTask({ durationMs: 1000, outcome: "error", message: "disk full on the replica" });
    const { code, stdout, stderr } = await run([...(await redisArgs(id)), "--json"]);
    expect(code).toBe(1);
    expect(stderr).toContain(`redis task ${id} failed: disk full on the replica.`);
    const [entry] = JSON.parse(stdout);
    expect(entry).toMatchObject({ service: "redis", taskId: Number(id), status: "failed", rawStatus: "error", message: "disk full on the replica" });
  });

  test.concurrent("timeout: exit 2 at --timeout, JSON with the last status", async () => {
    const id = await clbTask({ durationMs: 60_000, outcome: "succeeded" });
    const { code, stdout, stderr } = await run([...(await clbArgs(id)), "--timeout", "2", "--json"]);
    expect(code).toBe(2);
    expect(stderr).toContain(`clb task ${id} (${region}) did not finish within its timeout of 2s: last status in progress (Status 2)`);
    expect(stderr).toContain("Run the same command again to keep waiting, or raise --timeout.");
    const [entry] = JSON.parse(stdout);
    expect(entry).toMatchObject({ service: "clb", taskId: id, region, status: "timeout", rawStatus: 2 });
    expect(entry.attempts).toBeGreaterThanOrEqual(2);
    expect(entry.waitedSeconds).toBeGreaterThanOrEqual(2);
    expect(entry.waitedSeconds).toBeLessThan(2.5);
    expect(entry.error).toContain("did not finish within");
    expect(entry.code).toBeUndefined();
  });

  test.concurrent("API error: exit 3 with the code and what to check, and no secret in any output", async () => {
    const control = await tokenEmulator;
    await control.addFault({ kind: "AuthFailure.SignatureFailure", action: "DescribeTaskStatus", count: 1 });
    const { taskId } = await control.createTask({ service: "clb", region, durationMs: 1000 });
    const env = pipelineEnv({ ...credentialEnv, TENCENTCLOUD_SESSION_TOKEN: token });
    const { code, stdout, stderr } = await run(["clb", taskId, "--region", region, "--endpoint", control.url, "--json"], env);
    expect(code).toBe(3);
    expect(stderr).toContain("AuthFailure.SignatureFailure");
    expect(stderr).toContain("check that the SecretKey (from env TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY) belongs to its SecretId");
    const [entry] = JSON.parse(stdout);
    expect(entry).toMatchObject({ service: "clb", taskId, status: "error", code: "AuthFailure.SignatureFailure", attempts: 1 });
    expect(entry.error).toContain("AuthFailure.SignatureFailure");
  });

  test.concurrent("a failure reason echoing the credentials is printed redacted", async () => {
    const control = await tokenEmulator;
    const message = `bad credential ${DEFAULT_CREDENTIAL.secretKey} / ${token}`;
    const { taskId } = await control.createTask({ service: "redis", durationMs: 500, outcome: "failed", message });
    const env = pipelineEnv({ ...credentialEnv, TENCENTCLOUD_SECURITY_TOKEN: token });
    const { code, stdout, stderr } = await run(["redis", String(taskId), "--endpoint", control.url, "--json"], env);
    expect(code).toBe(1);
    expect(stderr).toContain("bad credential *** / ***");
    expect(JSON.parse(stdout)[0].message).toBe("bad credential *** / ***");
  });

  test.concurrent("no credentials anywhere: exit 3, code NoCredentials", async () => {
    const id = await clbTask({ durationMs: 1000 });
    const { code, stdout, stderr } = await run([...(await clbArgs(id)), "--json"], pipelineEnv());
    expect(code).toBe(3);
    expect(stderr).toContain("no Tencent Cloud credentials found");
    expect(stderr).toContain("TENCENTCLOUD_SECRET_ID");
    expect(JSON.parse(stdout)[0]).toMatchObject({ taskId: id, status: "error", code: "NoCredentials", attempts: 0 });
  });
});

describe("several tasks", () => {
  test.concurrent("task ids and deal names wait together; the JSON follows argument order", async () => {
    // The first ends well after the others even when the command is slow to start.
    const first = await clbTask({ durationMs: 6000 });
    const dealName = `20261123${Date.now()}`;
    await clbTask({ durationMs: 1000, dealName });
    const last = await clbTask({ durationMs: 1000 });
    const { code, stdout, stderr } = await run([...(await clbArgs(first)), "--deal-name", dealName, last, "--json"]);
    expect(code).toBe(0);
    // Waited for together: the first task, the longest, is seen done last.
    const doneAt = (name: string) => stderr.indexOf(`clb ${name} (${region}): succeeded`);
    expect(doneAt(`task ${first}`)).toBeGreaterThan(doneAt(`deal ${dealName}`));
    expect(doneAt(`task ${first}`)).toBeGreaterThan(doneAt(`task ${last}`));
    const entries = JSON.parse(stdout);
    expect(entries.map((e: { taskId?: string; dealName?: string }) => e.taskId ?? e.dealName)).toEqual([first, dealName, last]);
    expect(entries.every((e: { status: string }) => e.status === "succeeded")).toBe(true);
  });

  test.concurrent("a success and a failure: exit 1, both in the JSON, the reason on stderr once", async () => {
    const ok = await clbTask({ durationMs: 1000 });
    const bad = await clbTask({ durationMs: 1000, outcome: "failed", message: "listener port 80 already in use" });
    const { code, stdout, stderr } = await run([...(await clbArgs(ok, bad)), "--json"]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject([
      { taskId: ok, status: "succeeded", rawStatus: 0 },
      { taskId: bad, status: "failed", rawStatus: 1, message: "listener port 80 already in use" },
    ]);
    expect(stderr.split(`clb task ${bad} (${region}) failed: listener port 80 already in use.`)).toHaveLength(2);
    // The closing line of a task that did not succeed says what to do, too.
    expect(stderr).toContain("Fix the cause and start a new task: waiting on this one again will not change its outcome.");
  });

  test.concurrent("the most severe outcome sets the exit status: timeout over failure", async () => {
    const failing = await clbTask({ durationMs: 500, outcome: "failed" });
    const slow = await clbTask({ durationMs: 60_000 });
    expect((await run([...(await clbArgs(failing, slow)), "--timeout", "2s"])).code).toBe(2);
  });

  test.concurrent("the most severe outcome sets the exit status: API error over timeout and failure", async () => {
    const failing = await redisTask({ durationMs: 500, outcome: "failed" });
    const slow = await redisTask({ durationMs: 60_000 });
    const { code, stderr } = await run([...(await redisArgs(failing, "987654321", slow)), "--timeout", "2"]);
    expect(code).toBe(3);
    // Each task that did not succeed has its own closing line.
    expect(stderr).toContain(`redis task ${failing} failed`);
    expect(stderr).toContain("redis task 987654321 failed: InvalidParameter");
    expect(stderr).toContain(`redis task ${slow} did not finish`);
  });
});

describe("--quiet", () => {
  test.concurrent("a success prints nothing", async () => {
    const id = await clbTask({ durationMs: 1000 });
    expect(await run([...(await clbArgs(id)), "--quiet"])).toMatchObject({ code: 0, stdout: "", stderr: "" });
  });

  test.concurrent("a failure prints only its error, and the JSON with --json", async () => {
    const id = await redisTask({ durationMs: 1000, outcome: "failed", message: "bad parameter" });
    const { code, stdout, stderr } = await run([...(await redisArgs(id)), "--quiet", "--json"]);
    expect(code).toBe(1);
    expect(stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(new RegExp(`^redis task ${id} failed: bad parameter\\.`))]);
    expect(JSON.parse(stdout)[0]).toMatchObject({ status: "failed", message: "bad parameter" });
  });
});

test.concurrent("on a terminal: one line per task redrawn in place, final lines left", async () => {
  // Long enough for several status calls each, even when the command is slow to start.
  const done = await clbTask({ durationMs: 4000 });
  const failed = await clbTask({ durationMs: 4500, outcome: "failed", message: "quota exceeded" });
  const { code, screen } = await onTerminal([process.execPath, CLI, ...(await clbArgs(done, failed))], pipelineEnv(credentialEnv));
  expect(code).toBe(1);
  const clearLine = "\r\x1b[2K";
  // Each frame starts by moving the cursor up over the two lines drawn before.
  const frames = screen.replace(/\r\n/g, "\n").split("\x1b[2A");
  // Drawn at start, redrawn on each status change and every second.
  expect(frames.length).toBeGreaterThanOrEqual(3);
  for (const frame of frames) expect(frame.split("\n").slice(0, 2).every((line) => line.startsWith(clearLine))).toBe(true);
  const last = frames[frames.length - 1].split("\n").map((line) => line.replace(clearLine, ""));
  expect(last[0]).toMatch(new RegExp(`^clb task ${done} \\(${region}\\): succeeded \\(Status 0\\) after \\ds, \\d+ status calls?$`));
  expect(last[1]).toMatch(new RegExp(`^clb task ${failed} \\(${region}\\): failed \\(Status 1\\) after \\ds, \\d+ status calls?; reason: quota exceeded$`));
  expect(last[2]).toContain(`clb task ${failed} (${region}) failed: quota exceeded.`);
  expectNoSecrets({ screen });
});

describe("interrupted", () => {
  test.concurrent.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)("%s: exit %d within 2 s, listing the pending task and how to resume", async (signal, status) => {
    const done = await clbTask({ durationMs: 300 });
    const pending = await clbTask({ durationMs: 60_000 });
    const cli = start([...(await clbArgs(done, pending)), "--json"]);
    await cli.stderrShows(`clb task ${done} (${region}): succeeded`, `clb task ${pending} (${region}): in progress (Status 2)`);
    const sent = Date.now();
    cli.child.kill(signal);
    const { code, stdout, stderr } = await cli.finished;
    expect(Date.now() - sent).toBeLessThan(2000);
    expect(code).toBe(status);
    expect(stdout).toBe("");
    const report = stderr.slice(stderr.indexOf(`interrupted by ${signal}`));
    expect(report).toMatch(new RegExp(`^interrupted by ${signal}; still pending:\\n  clb task ${pending} \\(${region}\\): in progress \\(Status 2\\), \\ds elapsed, \\d+ status calls?\\n`));
    expect(report).not.toContain(done);
    expect(report).toContain("run the same command again to resume");
  });
});

describe("usage", () => {
  test.concurrent.each([
    [[], "missing the service"],
    [["ecs", "ins-1"], '"ecs"'],
    [["clb", "--region", region], "<taskId>"],
    [["redis", "--deal-name", "20261123000001"], "--deal-name"],
    [["clb", "bad id!", "--region", region], '<taskId>: expected the RequestId string answered by the CLB call, such as "55c85074-3e7f-4c6d-864f-673660d4f8de" (letters, digits, "-" and "_", at most 128), got "bad id!"'],
    [["redis", "12a"], "<taskId>"],
    [["clb", "task-1"], "--region"],
    [["clb", "task-1", "--region", region, "--timeout", "5x"], "--timeout"],
    [["clb", "task-1", "--region", region, "--timeout", "25h"], "--timeout 25h"],
    [["clb", "task-1", "--region", region, "--timeout", "0"], "--timeout 0"],
    [["clb", "task-1", "--region", region, "--endpoint", "http://example.com"], "--endpoint"],
    [["clb", "task-1", "--region", region, "--bogus"], "--bogus"],
    [["clb", "task-1", "--region"], "--region"],
  ])("%j: exit 64 naming %s", async (args, named) => {
    const { code, stdout, stderr } = await run(args);
    expect(code).toBe(64);
    expect(stdout).toBe("");
    expect(stderr).toContain(named);
    expect(stderr).toContain("Usage: tencentcloud-task-wait <service> <taskId>...");
  });

  test.concurrent("--help: the usage, every service, the budget variable and the exit statuses on stdout", async () => {
    const { code, stdout, stderr } = await run(["--help"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toContain("Usage: tencentcloud-task-wait <service> <taskId>...");
    for (const service of ["clb", "redis", "cdb", "cvm", "custom"]) expect(stdout).toContain(`  ${service} `);
    expect(stdout).toContain("TENCENTCLOUD_TASK_REQUESTS_PER_SECOND");
    expect(stdout).toContain("64 > 3 > 2 > 1 > 0");
  });

  test.concurrent("an unknown option is named plainly, without the parser's own advice", async () => {
    const { code, stderr } = await run(["clb", "task-1", "--region", region, "--frobnicate"]);
    expect(code).toBe(64);
    expect(stderr.split("\n")[0]).toBe("tencentcloud-task-wait: unknown option --frobnicate");
  });

  test.concurrent("a command has no stack config: a missing region names only what a command can set", async () => {
    const { stderr } = await run(["clb", "task-1"]);
    expect(stderr).toContain("--region: required for clb: a region such as ap-guangzhou (default: env TENCENTCLOUD_REGION, then the tccli profile's region)");
    expect(stderr).not.toContain("stack config");
  });

  test.concurrent("a malformed budget in the environment is a usage error (64) naming the variable; nothing is waited for", async () => {
    const { code, stdout, stderr } = await run(["clb", "task-1", "--region", region, "--json"], pipelineEnv({ ...credentialEnv, TENCENTCLOUD_TASK_REQUESTS_PER_SECOND: "abc" }));
    expect(code).toBe(64);
    expect(stdout).toBe("");
    expect(stderr).toContain('env TENCENTCLOUD_TASK_REQUESTS_PER_SECOND: expected requests per second from 1 to 100');
  });

  test.concurrent.each(["0x10", "1.5", "1e1", "0", "101", "-5", "20/s"])("a budget of %j is not a whole number from 1 to 100: exit 64", async (budget) => {
    // Against the emulator with a short timeout: a budget wrongly accepted fails fast, not after 30 minutes.
    const { code, stdout, stderr } = await run([...(await clbArgs("task-1")), "--timeout", "2"], pipelineEnv({ ...credentialEnv, TENCENTCLOUD_TASK_REQUESTS_PER_SECOND: budget }));
    expect(code).toBe(64);
    expect(stdout).toBe("");
    expect(stderr).toContain(`env TENCENTCLOUD_TASK_REQUESTS_PER_SECOND: expected requests per second from 1 to 100, a whole number`);
  });

  test.concurrent("a budget in range is used: the wait runs", async () => {
    const id = await clbTask({ durationMs: 0, outcome: "succeeded" });
    const { code } = await run(await clbArgs(id), pipelineEnv({ ...credentialEnv, TENCENTCLOUD_TASK_REQUESTS_PER_SECOND: " 100 " }));
    expect(code).toBe(0);
  });

  test.concurrent("--version: the package's version", async () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, "../package.json"), "utf8"));
    expect(await run(["--version"])).toMatchObject({ code: 0, stdout: `${version}\n` });
  });
});
