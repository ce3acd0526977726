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
  ])("exits 64 on %j naming %s", async (args, named) => {
    const cli = run(args);
    expect(await cli.exit).toBe(64);
    expect(cli.output().stderr).toContain(named);
    expect(cli.output().stderr).toContain("Usage:");
    expect(cli.output().stdout).toBe("");
  });
});
