import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CREDENTIAL, startEmulator } from "../../emulator";
import { formatProgress, type ProgressEvent } from "../../provider/progress";
import { answer } from "../support/hostileServer";
import { CLI, command, region, server, taskId, useHostileServers, wait } from "./setup";

/** The terminal: text from the API is shown, never obeyed; closed pipes. */
useHostileServers();

describe("text from the API is shown, never obeyed by a terminal", () => {
  test("ESC, OSC, BEL, CR and newlines in a message are escaped in progress lines and errors", async () => {
    const evil = "port in use\u001b[2J\u001b]0;pwned\u0007\r\nclb task x: succeeded (Status 0)\u009b31m";
    server.script(answer({ Status: 2, Message: evil }), answer({ Status: 1, Message: evil }));
    const lines: string[] = [];
    const error = await wait({ onProgress: (e: ProgressEvent) => lines.push(formatProgress(e)) }).catch((e) => e);
    // eslint-disable-next-line no-control-regex -- control characters are what this looks for
    const control = /[\u0000-\u001f\u007f-\u009f]/;
    for (const text of [...lines, error.message]) expect(text).not.toMatch(control);
    expect(error.message).toContain("\\u001b[2J");
    expect(error.result.message).toBe(evil);
  });

  test("... and in what the command prints, on stderr and in its JSON", async () => {
    const evil = "port in use\u001b[2J\u001b]0;pwned\u0007\r\nclb task x: succeeded (Status 0)\u009b31m\u2028";
    server.script(answer({ Status: 2, Message: evil }), answer({ Status: 1, Message: evil }));
    const { code, stdout, stderr } = await command(["clb", taskId, "--region", region, "--endpoint", server.url, "--json"]);
    expect(code).toBe(1);
    // eslint-disable-next-line no-control-regex -- control characters are what this looks for
    expect(stderr.replace(/\n/g, "")).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028]/);
    // eslint-disable-next-line no-control-regex -- control characters are what this looks for
    expect(stdout.replace(/\n/g, "")).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028]/);
    expect(JSON.parse(stdout)[0].message).toBe(evil);
    // The fake line never stands on its own: wherever it shows, it is escaped text inside the real one.
    const lines = stderr.split("\n");
    expect(lines.some((line) => line.startsWith("clb task x"))).toBe(false);
    for (const line of lines.filter((l) => l.includes("clb task x"))) expect(line).toContain("\\r\\nclb task x: succeeded");
  });
});

describe("the command with a closed pipe", () => {
  test("stdout and stderr closed by their reader: the waits finish quietly and the exit status is the tasks'", async () => {
    const emulator = await startEmulator();
    try {
      const ok = await emulator.createTask({ service: "clb", durationMs: 1500, region });
      const failed = await emulator.createTask({ service: "clb", durationMs: 1500, region, outcome: "failed" });
      const home = mkdtempSync(join(tmpdir(), "task-wait-home-"));
      const run = (ids: string[]) => {
        const child = spawn(process.execPath, [CLI, "clb", ...ids, "--region", region, "--endpoint", emulator.url, "--json"], {
          env: { PATH: process.env.PATH, HOME: home, TENCENTCLOUD_SECRET_ID: DEFAULT_CREDENTIAL.secretId, TENCENTCLOUD_SECRET_KEY: DEFAULT_CREDENTIAL.secretKey },
          stdio: ["ignore", "pipe", "pipe"],
        });
        // The reader goes away at once, as `| true` does.
        child.stdout.destroy();
        child.stderr.destroy();
        return once(child, "close").then(([code]) => code);
      };
      expect(await run([ok.taskId])).toBe(0);
      expect(await run([ok.taskId, failed.taskId])).toBe(1);
      rmSync(home, { recursive: true });
    } finally {
      await emulator.close();
    }
  });
});

describe("--help and --version count only alone", () => {
  const custom = ["custom", "--product", "cvm", "--action", "DescribeInstances", "--status-path", "InstanceSet[0].InstanceState", "--pending", "PENDING", "--success", "RUNNING"];
  test.each([
    ["a bare --version after a task", ["clb", taskId, "--region", region, "--version"]],
    ["a bare --version after a task, with --json", ["clb", taskId, "--region", region, "--json", "--version"]],
    ["a bare --version before a task", ["clb", "--version", "--region", region, taskId]],
    ["a custom wait whose --version value is missing (an empty variable)", [...custom, "--region", region, "--version"]],
    ["--help among a wait's arguments", ["clb", taskId, "--region", region, "--help"]],
    ["-h among a wait's arguments, with --json", ["clb", taskId, "--region", region, "--json", "-h"]],
    ["--version and --help together", ["--version", "--help"]],
  ])("%s: a usage error (64), nothing on stdout, nothing sent", async (_name, args) => {
    const { code, stdout, stderr } = await command([...args, "--endpoint", server.url]);
    expect(code).toBe(64);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/--version|--help/);
    expect(server.requests).toHaveLength(0);
  });

  test("alone, each does its job; --version V is a custom wait's API version", async () => {
    expect(await command(["--version"])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
    expect(await command(["-h"])).toMatchObject({ code: 0, stdout: expect.stringContaining("Usage:") });
    server.script(answer({ InstanceSet: [{ InstanceState: "RUNNING" }] }));
    const { code, stdout } = await command([...custom, "--version", "2017-03-12", "--region", region, "--endpoint", server.url, "--json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)[0]).toMatchObject({ status: "succeeded", rawStatus: "RUNNING" });
  });
});
