import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MachinePeers } from "../../provider/peers";
import { credentials, measured, other, region, secretKey, server, taskId, useHostileServers } from "./setup";

/**
 * The folder in the temp directory where the processes of a machine share each budget, with
 * things planted in it by the same user: a directory or a named pipe as the lock, pipes and links
 * to /dev/zero as the ledger or a process's entry, an entry dated in the future, a folder that is
 * a link or another user's, folders of budgets no longer used. Every wait still ends in its
 * task's true outcome, within its timeout plus one second and 300 MB; a folder or file the
 * budget cannot use turns coordination off for the process, said by one warning.
 */
useHostileServers();

const TIMEOUT_S = 4;
/** The wait's timeout plus one second, counted from the spawn of the command: its start included. */
const WITHIN_MS = TIMEOUT_S * 1000 + 1000;
const MAX_RSS_MB = 300;
const WARNING = "TENCENTCLOUD_TASK_COORDINATION_OFF";
const uid = process.getuid?.() ?? "user";
const isRoot = process.getuid?.() === 0;

let temp: string;
/** This user's coordination folder in the test's temp directory, and the budget's folder in it. */
let machine: string;
let budget: string;
/** The budget folder's name: a hash of the budget's key (action, endpoint, account), learnt once from a first run. */
let budgetName: string;

beforeEach(() => {
  temp = mkdtempSync(join(tmpdir(), "hostile-budget-"));
  machine = join(temp, `tencentcloud-task-completion-${uid}`);
});
afterEach(() => rmSync(temp, { recursive: true, force: true }));

/** Waits for `tasks` CLB tasks (all succeeded on the server) with the test's TMPDIR. */
function run(tasks = 1) {
  const ids = Array.from({ length: tasks }, (_, i) => (i === 0 ? taskId : `55c85074-3e7f-4c6d-864f-${String(i).padStart(12, "0")}`));
  const env = { HOME: temp, TMPDIR: temp, TENCENTCLOUD_SECRET_ID: credentials.secretId, TENCENTCLOUD_SECRET_KEY: secretKey };
  return measured(["clb", ...ids, "--region", region, "--endpoint", server.url, "--timeout", `${TIMEOUT_S}s`, "--json"], env, WITHIN_MS + 3000);
}

/** Every wait succeeded (the server's answer), within its time and memory; nothing went anywhere but the server. */
function expectTrueOutcome(result: Awaited<ReturnType<typeof run>>, tasks = 1): void {
  expect({ code: result.code, signal: result.signal }).toEqual({ code: 0, signal: null });
  const statuses = (JSON.parse(result.stdout) as { status: string }[]).map((entry) => entry.status);
  expect(statuses).toEqual(Array(tasks).fill("succeeded"));
  expect(result.elapsedMs).toBeLessThan(WITHIN_MS);
  expect(result.peakRssMb).toBeLessThan(MAX_RSS_MB);
  expect(server.requests.length).toBeGreaterThanOrEqual(tasks);
  expect(other.requests).toHaveLength(0);
}

/** The warnings of the run: one, naming `file` and what it is, or none. */
function warnings(result: Awaited<ReturnType<typeof run>>): string[] {
  return result.stderr.split("\n").filter((line) => line.includes(WARNING));
}

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), "hostile-budget-"));
  try {
    expectTrueOutcome(await run());
    [budgetName] = readdirSync(join(temp, `tencentcloud-task-completion-${uid}`));
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
});

/** This user's folder and the budget's, as a run before would have left them. */
function budgetFolder(): string {
  budget = join(machine, budgetName);
  mkdirSync(budget, { recursive: true, mode: 0o700 });
  return budget;
}

describe("files planted in the budget's folder", () => {
  const PLANTS = {
    "a directory": { plant: (file: string) => mkdirSync(file), what: "is a directory, not a regular file" },
    "a named pipe": { plant: (file: string) => execFileSync("mkfifo", [file]), what: "is a named pipe (FIFO), not a regular file" },
    "a link to /dev/zero": { plant: (file: string) => symlinkSync("/dev/zero", file), what: "is a symbolic link, not a regular file" },
  };
  const unusable = (["ledger.lock", "ledger.json"] as const).flatMap((name) => (Object.keys(PLANTS) as (keyof typeof PLANTS)[]).map((kind) => [name, kind] as const));

  test.each(unusable)("%s is %s: every wait ends in its true outcome, alone, with one warning naming it", async (name, kind) => {
    PLANTS[kind].plant(join(budgetFolder(), name));
    const result = await run(3);
    expectTrueOutcome(result, 3);
    expect(warnings(result)).toEqual([expect.stringContaining(`${join(budget, name)} ${PLANTS[kind].what}`)]);
  });

  test.each(Object.keys(PLANTS) as (keyof typeof PLANTS)[])("another process's entry is %s: ignored, coordination goes on", async (kind) => {
    PLANTS[kind].plant(join(budgetFolder(), "4242-0badc0de.json"));
    const result = await run(3);
    expectTrueOutcome(result, 3);
    expect(warnings(result)).toEqual([]);
    expect(readdirSync(budget)).toContain("ledger.json");
  });

  test("an entry dated a day ahead, wanting the whole budget: stale, not a part for ever; 20 waits succeed", async () => {
    const entry = { demand: 10_000, rate: 1000, places: 1, at: Date.now() + 86_400_000 };
    writeFileSync(join(budgetFolder(), "4242-0badc0de.json"), JSON.stringify(entry), { mode: 0o600 });
    const result = await run(20);
    expectTrueOutcome(result, 20);
    expect(warnings(result)).toEqual([]);
  });
});

describe("the folders themselves", () => {
  test("the budget's folder removed between a look and a call (a temp cleaner): made again, a place taken, no warning", async () => {
    const warned: string[] = [];
    const listener = (warning: Error & { code?: string }) => warned.push(warning.code ?? "");
    process.on("warning", listener);
    try {
      const peers = new MachinePeers(machine);
      expect(peers.allowance("k", { demand: 1, rate: 1 }, 5)).toBe(5);
      rmSync(machine, { recursive: true });
      mkdirSync(machine, { mode: 0o700 });
      const place = peers.reserve("k", 5);
      expect(place).toEqual({ release: expect.any(Function) });
      expect(readdirSync(join(machine, readdirSync(machine)[0]))).toContain("ledger.json");
      peers.leaveAll();
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", listener);
    }
    expect(warned).toEqual([]);
  });

  test("this user's folder is a link to another directory: nothing is made through it; alone, with one warning", async () => {
    const target = join(temp, "elsewhere");
    mkdirSync(target, { mode: 0o700 });
    symlinkSync(target, machine);
    const result = await run(3);
    expectTrueOutcome(result, 3);
    expect(warnings(result)).toEqual([expect.stringContaining(`${machine} is a symbolic link, not a directory`)]);
    expect(readdirSync(target)).toEqual([]);
  });

  test("the budget's folder is a link: nothing is made through it", async () => {
    const target = join(temp, "elsewhere");
    mkdirSync(target, { mode: 0o700 });
    mkdirSync(machine, { mode: 0o700 });
    symlinkSync(target, join(machine, budgetName));
    const result = await run();
    expectTrueOutcome(result);
    expect(warnings(result)).toEqual([expect.stringContaining("is a symbolic link, not a directory")]);
    expect(readdirSync(target)).toEqual([]);
  });

  test("this user's folder can be written by others: not used, one warning", async () => {
    mkdirSync(machine);
    chmodSync(machine, 0o777);
    const result = await run();
    expectTrueOutcome(result);
    expect(warnings(result)).toEqual([expect.stringContaining(`${machine} can be written by other users (mode 777)`)]);
    expect(readdirSync(machine)).toEqual([]);
  });

  (isRoot ? test : test.skip)("the folder is another user's: nothing is made in it; alone, with one warning", async () => {
    mkdirSync(machine, { mode: 0o700 });
    chownSync(machine, 65534, 65534);
    const result = await run();
    expectTrueOutcome(result);
    expect(warnings(result)).toEqual([expect.stringContaining(`${machine} is owned by another user (uid 65534)`)]);
    expect(readdirSync(machine)).toEqual([]);
  });

  test("budget folders untouched for a day are removed; fresh ones, links and what holds a directory are left", async () => {
    mkdirSync(machine, { mode: 0o700 });
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    const folder = (name: string, files: string[] = ["ledger.json"]) => {
      const path = join(machine, name);
      mkdirSync(path, { mode: 0o700 });
      for (const file of files) writeFileSync(join(path, file), "[]");
      return path;
    };
    const old = [folder("0".repeat(32)), folder("1".repeat(32), ["ledger.json", "4242-0badc0de.json"])];
    symlinkSync("/dev/zero", join(old[1], "ledger.lock"));
    const fresh = folder("2".repeat(32));
    const holdingADirectory = folder("3".repeat(32));
    mkdirSync(join(holdingADirectory, "keep"));
    const target = join(temp, "target");
    mkdirSync(target, { mode: 0o700 });
    writeFileSync(join(target, "ledger.json"), "[]");
    const link = join(machine, "4".repeat(32));
    symlinkSync(target, link);
    for (const path of [...old, holdingADirectory, target]) utimesSync(path, twoDaysAgo, twoDaysAgo);
    // lutimes: the link's own time, not its target's.
    execFileSync("touch", ["-h", "-d", twoDaysAgo.toISOString(), link]);

    expectTrueOutcome(await run());
    for (const path of old) expect(existsSync(path)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(join(holdingADirectory, "keep"))).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readdirSync(target)).toEqual(["ledger.json"]);
  });
});
