import { spawn } from "node:child_process";
import { once } from "node:events";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_CREDENTIAL, startEmulator } from "../emulator";
import { useTempDirs } from "./support/tempDirs";

// Runs the built command: `npm test` builds before jest.
const CLI = join(__dirname, "../dist/sdk/cli.js");
const REGION = "ap-guangzhou";
const BUDGET = 6;

/**
 * Separate processes of one machine, as the parallel `pulumi up`s of a CI runner: real command
 * processes, one emulator, one account. The emulator's limit is lifted so that what the
 * processes send together is seen whole, not cut by RequestLimitExceeded.
 */
describe("several processes on one machine", () => {
  const fresh = useTempDirs();

  test("four commands at once, each wanting more than the budget: together never more than the budget in any second", async () => {
    const emulator = await startEmulator({ rateLimit: 1000 });
    try {
      // The machine's coordination directory lives in the temp directory: one of this test's own.
      const temp = fresh("task-wait-tmp-");
      const env = {
        PATH: process.env.PATH ?? "",
        HOME: fresh("task-wait-home-"),
        TMPDIR: temp,
        TENCENTCLOUD_SECRET_ID: DEFAULT_CREDENTIAL.secretId,
        TENCENTCLOUD_SECRET_KEY: DEFAULT_CREDENTIAL.secretKey,
        TENCENTCLOUD_TASK_REQUESTS_PER_SECOND: String(BUDGET),
      };
      const processes = await Promise.all(
        Array.from({ length: 4 }, async (_, p) => {
          // Eight waits of up to 2 calls/s each: 16/s wanted by each process, 64/s by the four.
          const ids = await Promise.all(
            Array.from({ length: 8 }, async (_, i) => (await emulator.createTask({ service: "clb", region: REGION, durationMs: 8000 + 500 * ((p + i) % 4), outcome: "succeeded" })).taskId),
          );
          const child = spawn(process.execPath, [CLI, "clb", ...ids, "--region", REGION, "--endpoint", emulator.url, "--quiet"], { env, stdio: ["ignore", "pipe", "pipe"] });
          let stderr = "";
          child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
          const [code] = (await once(child, "close")) as [number | null];
          return { code, stderr };
        }),
      );
      // --quiet: nothing but errors on stderr.
      for (const { code, stderr } of processes) expect({ code, errors: stderr.split("\n").filter((line) => /error/i.test(line)) }).toEqual({ code: 0, errors: [] });
      const stats = (await emulator.stats()).actions.DescribeTaskStatus;
      // Each process alone would send up to 6 in a second: four of them, up to 24.
      expect(stats.maxPerSecond).toBeLessThanOrEqual(BUDGET);
      // ...and the budget was used, not left idle (calls a second apart plus their latency: at least 5 of 6).
      expect(stats.maxPerSecond).toBeGreaterThanOrEqual(BUDGET - 1);
      // Every process removed its file as it exited; the ledger is all that remains.
      const [folder, ...others] = readdirSync(join(temp, `tencentcloud-task-completion-${process.getuid?.() ?? "user"}`));
      expect(others).toEqual([]);
      expect(readdirSync(join(temp, `tencentcloud-task-completion-${process.getuid?.() ?? "user"}`, folder))).toEqual(["ledger.json"]);
    } finally {
      await emulator.close();
    }
  }, 60_000);

  test("the ledger's lock: three processes changing it as fast as they can lose no update", async () => {
    const folder = fresh("task-wait-ledger-");
    const LEDGER = join(__dirname, "../dist/provider/ledger.js");
    const CHANGES = 300;
    // Places enough for every call: each reservation adds one call to the ledger, under the lock.
    const script = `
      const { Ledger } = require(${JSON.stringify(LEDGER)});
      const ledger = new Ledger(${JSON.stringify(folder)}, "p" + process.pid, Date.now);
      let done = 0, busy = 0;
      while (done < ${CHANGES}) {
        if (ledger.reserve(1e9) === undefined) busy++; else done++;
      }
      process.stdout.write(String(busy));`;
    const runs = await Promise.all(
      Array.from({ length: 3 }, async () => {
        const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
        let out = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
        const [code] = (await once(child, "close")) as [number | null];
        return { code, busy: Number(out) };
      }),
    );
    expect(runs.map((run) => run.code)).toEqual([0, 0, 0]);
    const calls = JSON.parse(readFileSync(join(folder, "ledger.json"), "utf8")) as unknown[];
    expect(calls).toHaveLength(3 * CHANGES);
    // Nothing left behind: no lock, no temporary file.
    expect(readdirSync(folder)).toEqual(["ledger.json"]);
  }, 60_000);
});
