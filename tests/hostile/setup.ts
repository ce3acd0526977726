import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import type { WaitOptions } from "../../provider/wait";
import { freshRuntime, waitOn } from "../support/emulator";
import { startHostileServer, type HostileServer } from "../support/hostileServer";

/**
 * What the hostile suites share: every promise of the README against servers, answers and
 * callers that the project's own emulator never produces. A server of the test's own cuts
 * bodies, resets, redirects, answers wrong types and echoes secrets; callers throw, paste secrets
 * with newlines, close pipes. One file per surface: transport, answers, callers, secrets,
 * terminal (and the files, STS and budget-folder suites beside them).
 */
export const CLI = join(__dirname, "../../dist/sdk/cli.js");
export const region = "ap-guangzhou";
export const taskId = "55c85074-3e7f-4c6d-864f-673660d4f8de";
export const secretKey = "Q9zK7-hostile-secret-key-00000000000001";
export const token = "hostile-session-token-00000000000000000002";
export const credentials = { secretId: "AKIDHOSTILE0000000000000000000000001", secretKey };

/** The test's hostile server, and a second one that nothing may ever reach (a redirect's target, a proxy). */
export let server: HostileServer;
export let other: HostileServer;

/** Starts both servers for the file, and forgets their requests between tests. */
export function useHostileServers(): void {
  beforeAll(async () => {
    [server, other] = await Promise.all([startHostileServer(), startHostileServer()]);
  });
  afterAll(async () => {
    await Promise.all([server.close(), other.close()]);
  });
  beforeEach(() => {
    server.requests.length = 0;
    other.requests.length = 0;
  });
}

/** The command against the hostile server, with the test's credentials in its environment; stdout and stderr collected. */
export async function command(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH, HOME: tmpdir(), TENCENTCLOUD_SECRET_ID: credentials.secretId, TENCENTCLOUD_SECRET_KEY: secretKey, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  const [code] = await once(child, "close");
  return { code: code as number, stdout, stderr };
}

/** A CLB wait against the hostile server, on a runtime of its own (no shared answers, no shared budget). */
export function wait(options: Partial<WaitOptions> = {}) {
  return waitOn(freshRuntime({ requestTimeoutMs: 1000 }), { service: "clb", taskId, region, endpoint: server.url, credentials, timeoutSeconds: 10, ...options } as WaitOptions);
}

/** The first characters and the last of a secret: a cut before scrubbing leaves one or the other behind. */
export function fragmentsOf(...secrets: string[]): string[] {
  return secrets.flatMap((secret) => [secret.slice(0, 12), secret.slice(-12)]);
}

/** Everything an error lets out, as the scanner reads it. */
export function surfacesOf(error: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { error, stack: (error as Error | undefined)?.stack, json: JSON.stringify(error), inspected: inspect(error, { depth: 10 }), ...extra };
}

/** A run of the command: how it ended, how long from spawn to exit, its peak resident memory, what it printed. */
export interface MeasuredRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  elapsedMs: number;
  peakRssMb: number;
  stdout: string;
  stderr: string;
}

/** The command ended by itself with `code`, saying `says`, within `withinMs` and under 300 MB (the hostile suites' bounds). */
export function expectEnded(result: MeasuredRun, code: number, says: string, withinMs: number): void {
  expect({ code: result.code, signal: result.signal }).toEqual({ code, signal: null });
  expect(result.stderr).toContain(says);
  expect(result.elapsedMs).toBeLessThan(withinMs);
  expect(result.peakRssMb).toBeLessThan(300);
}

/** A run past this is stopped: the test fails on its figure instead of the machine running out of memory. */
const RSS_KILL_MB = 1000;

/**
 * The command with `args` and exactly `env` (plus PATH), its peak memory read from
 * /proc/<pid>/status (VmHWM) every 20 ms. Killed (SIGKILL) after `killAfterMs` or past
 * RSS_KILL_MB, so that a hang or a runaway read fails its test quickly instead of stalling it.
 */
export async function measured(args: string[], env: NodeJS.ProcessEnv, killAfterMs: number): Promise<MeasuredRun> {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let peakKb = 0;
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  const watch = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
    } catch {
      // Exited meanwhile.
    }
    if (peakKb / 1024 > RSS_KILL_MB) child.kill("SIGKILL");
  }, 20);
  const kill = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
  try {
    const [code, signal] = (await once(child, "close")) as [number | null, NodeJS.Signals | null];
    return { code, signal, elapsedMs: Date.now() - started, peakRssMb: Math.round(peakKb / 1024), stdout, stderr };
  } finally {
    clearInterval(watch);
    clearTimeout(kill);
  }
}
