import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { EmulatorControl } from "../../emulator";
import { clbClient } from "./helpers";

// Runs the built CLI: `npm test` builds before jest.
const CLI = join(__dirname, "../../dist/emulator/cli.js");

function run(args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exit = once(child, "exit").then(([code]) => code as number | null);
  const firstLine = () =>
    new Promise<string>((resolve, reject) => {
      const check = () => stdout.includes("\n") && resolve(stdout.split("\n")[0]);
      child.stdout.on("data", check);
      check();
      void exit.then(() => reject(new Error(`the CLI exited before printing a line; stderr: ${stderr}`)));
    });
  return { child, exit, firstLine, output: () => ({ stdout, stderr }) };
}

describe("emulator CLI", () => {
  it("prints one line with its URL, serves the API, and exits 0 on SIGTERM", async () => {
    const cli = run(["--port", "0", "--task-duration-ms", "0"]);
    const line = await cli.firstLine();
    const match = /^Tencent Cloud API emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
    expect(match).not.toBeNull();
    const url = match?.[1] ?? "";
    const { taskId } = await new EmulatorControl(url).createTask({ service: "clb" });
    await expect(clbClient({ url }).DescribeTaskStatus({ TaskId: taskId })).resolves.toMatchObject({ Status: 0 });
    cli.child.kill("SIGTERM");
    expect(await cli.exit).toBe(0);
    expect(cli.output().stdout).toBe(`${line}\n`);
  });

  it.each([
    [["--bogus"], "--bogus"],
    [["--port", "http"], "--port"],
    [["--secret-id", "AKIDONLY"], "--secret-key"],
    [["--task-outcome", "maybe"], "--task-outcome"],
    // Every number has a documented range (emulator/limits.ts).
    [["--task-duration-ms", "99999999999999999999"], "--task-duration-ms must be a number from 0 to 2592000000"],
    [["--task-duration-ms", "1e3"], "--task-duration-ms"],
    [["--rate-limit", "0"], "--rate-limit must be an integer from 1 to 1000000"],
    [["--rate-limit", "2.5"], "--rate-limit"],
    [["--port", "70000"], "--port must be an integer from 0 to 65535"],
  ])("exits 64 on %j naming %s", async (args, named) => {
    const cli = run(args);
    expect(await cli.exit).toBe(64);
    expect(cli.output().stderr).toContain(named);
    expect(cli.output().stderr).toContain("Usage:");
    expect(cli.output().stdout).toBe("");
  });

  it("--help lists every service's actions and the control API, scripts included", async () => {
    const cli = run(["--help"]);
    expect(await cli.exit).toBe(0);
    const { stdout } = cli.output();
    for (const served of [
      "cdb          cdb 2017-03-20: DescribeAsyncRequestInfo, ModifyInstanceParam",
      "cvm          cvm 2017-03-12: DescribeInstances, StartInstances",
      "teo-prefetch teo 2022-09-01: DescribePrefetchTasks, CreatePrefetchTask",
    ]) {
      expect(stdout).toContain(served);
    }
    expect(stdout).toContain("POST/GET/DELETE /_emulator/scripts");
    expect(stdout).toContain("phases?: [{status, durationMs?, message?}]");
    expect(stdout).toContain("1 MB (HTTP 413)");
  });
});
