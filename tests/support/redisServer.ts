import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A real `redis-server` (Debian's `redis-server` package) for one test file: a free port on the
 * loopback, a temp directory of its own, nothing saved to disk; stopped (or killed) by the test.
 */
export class RedisServer {
  private constructor(
    readonly port: number,
    private readonly child: ChildProcess,
    private readonly dir: string,
  ) {}

  /** `redis://127.0.0.1:<port>`, with `auth` (`user:password@` or `:password@`) if given. */
  url(auth = ""): string {
    return `redis://${auth}127.0.0.1:${this.port}`;
  }

  /** Starts a server with extra configuration lines as arguments (`["--requirepass", "x"]`). */
  static async start(config: string[] = [], port?: number): Promise<RedisServer> {
    const free = port ?? (await freePort());
    const dir = mkdtempSync(join(tmpdir(), "redis-server-"));
    const child = spawn(
      REDIS_SERVER!,
      ["--port", String(free), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no", "--enable-debug-command", "local", "--loglevel", "notice", ...config],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    // Never outlives its test or bench, even one stopped by a signal.
    const orphan = () => child.kill("SIGKILL");
    process.once("exit", orphan);
    child.once("exit", () => process.off("exit", orphan));
    let output = "";
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString("utf8");
        if (output.includes("Ready to accept connections")) resolve();
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      child.once("exit", (code) => reject(new Error(`redis-server exited with ${code} before it was ready:\n${output}`)));
    });
    const timeout = setTimeout(() => child.kill("SIGKILL"), 10_000);
    try {
      await ready;
    } finally {
      clearTimeout(timeout);
    }
    return new RedisServer(free, child, dir);
  }

  /** Kills the server at once, as a crash would (SIGKILL), or stops it (SIGTERM). */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = once(this.child, "exit");
      this.child.kill(signal);
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A port nothing listens on, just now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, "close");
  return port;
}

/** The `redis-server` on PATH (or Debian's), or undefined. */
function findRedisServer(): string | undefined {
  for (const candidate of ["redis-server", "/usr/bin/redis-server", "/usr/local/bin/redis-server"]) {
    const found = spawnSync(candidate, ["--version"], { encoding: "utf8" });
    if (found.status === 0 && /Redis server/.test(found.stdout)) return candidate;
  }
  return undefined;
}

export const REDIS_SERVER = findRedisServer();

/**
 * `describe`, or a loud skip when `redis-server` is missing: a failure in CI (env CI set), which
 * must run these suites; elsewhere a line on stderr saying which suite was skipped and why.
 */
export function describeWithRedis(suite: string): jest.Describe {
  if (REDIS_SERVER) return describe;
  const why = `redis-server is not installed (Debian: \`apt-get install redis-server\`)`;
  if (process.env.CI) throw new Error(`${suite}: ${why}; CI must run this suite (.ci/run installs it)`);
  process.stderr.write(`\nSKIPPED ${suite}: ${why}.\n\n`);
  return describe.skip;
}
