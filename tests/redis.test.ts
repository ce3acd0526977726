import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { createServer, connect, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { Redis } from "ioredis";
import { DEFAULT_CREDENTIAL, startEmulator, type RunningEmulator } from "../emulator";
import { MachinePeers } from "../provider/peers";
import { REDIS_PREFIX, RedisPeers } from "../provider/redisPeers";
import { NO_CONFIGURATION, parseCoordination, parseSettings, stackConfiguration } from "../provider/settings";
import type { MachinePlace } from "../provider/throttle";
import { describeWithRedis, freePort, RedisServer } from "./support/redisServer";
import { useTempDirs } from "./support/tempDirs";

// Runs the built command: `npm test` builds before jest.
const CLI = join(__dirname, "../dist/sdk/cli.js");
const REGION = "ap-guangzhou";
const PASSWORD = "s3cret-Pa55word";
const KEY_PATTERN = new RegExp(`^${REDIS_PREFIX}:(budget|demand):[0-9a-f]{64}$`);

const fresh = useTempDirs();

describe("the coordination setting", () => {
  test("redis:// and rediss:// URLs; the display never holds the password", () => {
    expect(parseCoordination(`redis://fleet:${PASSWORD}@redis.internal:6380/2`)).toEqual({
      value: { kind: "redis", url: `redis://fleet:${PASSWORD}@redis.internal:6380/2`, display: "redis://fleet:***@redis.internal:6380/2" },
    });
    expect(parseCoordination(`rediss://:${PASSWORD}@10.0.0.5:6379`)).toEqual({ value: { kind: "redis", url: `rediss://:${PASSWORD}@10.0.0.5:6379`, display: "rediss://:***@10.0.0.5:6379" } });
    expect(parseCoordination("redis://127.0.0.1:6379")).toMatchObject({ value: { display: "redis://127.0.0.1:6379" } });
  });

  test.each([
    ["another scheme", `http://fleet:${PASSWORD}@redis.internal:6379`, "neither"],
    ["no host", "redis:///0", "no host"],
    ["a port out of range", `redis://:${PASSWORD}@redis.internal:70000`, "malformed"],
    ["a path that is no database", `redis://:${PASSWORD}@redis.internal:6379/cache`, "database number"],
    ["options", `redis://:${PASSWORD}@redis.internal:6379?tls=true`, "options are not taken"],
  ])("a URL with %s is a failure naming the setting, never quoting the value", (_name, url, why) => {
    for (const { failures } of [parseSettings(NO_CONFIGURATION, { TENCENTCLOUD_TASK_COORDINATION: url }), parseSettings(stackConfiguration((key) => (key === "tencentcloud-task-completion:coordination" ? url : undefined)), {})]) {
      expect(failures).toHaveLength(1);
      expect(failures[0].reason).toContain("redis://[user:password@]host:port[/db]");
      expect(failures[0].reason).toContain(why);
      expect(JSON.stringify(failures)).not.toContain(PASSWORD);
    }
  });

  test("the command: a wrong URL is a usage error naming the variable, without the password", async () => {
    const { code, stdout, stderr } = await runCommand(["clb", "1", "--region", REGION], { TENCENTCLOUD_TASK_COORDINATION: `redis//fleet:${PASSWORD}@redis.internal:6379` });
    expect(code).toBe(64);
    expect(stderr).toContain("env TENCENTCLOUD_TASK_COORDINATION");
    expect(stderr).toContain("redis://[user:password@]host:port[/db]");
    expect(stdout + stderr).not.toContain(PASSWORD);
  });
});

describeWithRedis("tests/redis.test.ts (a real redis-server)")("a fleet coordinated through Redis", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    // No limit of its own: what the processes send together is seen whole.
    emulator = await startEmulator({ rateLimit: 1000 });
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  test("four processes, each its own machine (temp directory): together never more than the budget in any second", async () => {
    const BUDGET = 6;
    const server = await RedisServer.start(["--requirepass", PASSWORD]);
    try {
      const temps: string[] = [];
      const runs = await Promise.all(
        Array.from({ length: 4 }, async (_, p) => {
          // Eight waits of up to 2 calls/s each: 16/s wanted by each process, 64/s by the four.
          const ids = await Promise.all(Array.from({ length: 8 }, async (_, i) => (await emulator.createTask({ service: "clb", region: REGION, durationMs: 4000 + 300 * ((p + i) % 4) })).taskId));
          const temp = fresh("fleet-machine-");
          temps.push(temp);
          return runCommand(["clb", ...ids, "--region", REGION, "--endpoint", emulator.url, "--quiet"], {
            TMPDIR: temp,
            TENCENTCLOUD_TASK_REQUESTS_PER_SECOND: String(BUDGET),
            TENCENTCLOUD_TASK_COORDINATION: server.url(`:${PASSWORD}@`),
          });
        }),
      );
      // No warning: Redis was used throughout, and no machine directory either (no mixing).
      for (const run of runs) expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: "" });
      for (const temp of temps) expect(existsSync(join(temp, `tencentcloud-task-completion-${process.getuid?.() ?? "user"}`))).toBe(false);
      const stats = (await emulator.stats()).actions.DescribeTaskStatus;
      // Each process alone would send up to 6 in a second: four of them, up to 24.
      expect(stats.maxPerSecond).toBeLessThanOrEqual(BUDGET);
      expect(stats.maxPerSecond).toBeGreaterThanOrEqual(BUDGET - 1);

      // What an operator sees: two keys per budget, hashed, expiring, no credential.
      const redis = new Redis(server.url(`:${PASSWORD}@`));
      try {
        const keys = await redis.keys("*");
        expect(keys.length).toBeGreaterThanOrEqual(1);
        for (const key of keys) {
          expect(key).toMatch(KEY_PATTERN);
          expect(key).not.toContain(DEFAULT_CREDENTIAL.secretId);
          const ttl = await redis.pttl(key);
          expect(ttl).toBeGreaterThan(0);
          expect(ttl).toBeLessThanOrEqual(31_000);
        }
      } finally {
        redis.disconnect();
      }
    } finally {
      await server.stop();
    }
  }, 30_000);

  test("Redis unreachable at start: the wait ends in its outcome, one warning, no password", async () => {
    const port = await freePort();
    const { taskId } = await emulator.createTask({ service: "clb", region: REGION, durationMs: 1500 });
    const temp = fresh("fleet-down-");
    const run = await runCommand(["clb", taskId, "--region", REGION, "--endpoint", emulator.url, "--json", "--quiet"], {
      TMPDIR: temp,
      TENCENTCLOUD_TASK_COORDINATION: `redis://fleet:${PASSWORD}@127.0.0.1:${port}`,
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject([{ taskId, status: "succeeded" }]);
    expect(warnings(run.stderr)).toEqual([expect.stringContaining("Redis coordination at redis://fleet:***@127.0.0.1:")]);
    expect(run.stderr).toContain("machine only");
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    // It fell back on the machine's directory.
    expect(existsSync(join(temp, `tencentcloud-task-completion-${process.getuid?.() ?? "user"}`))).toBe(true);
  }, 15_000);

  test("a wrong password: the same fallback, and the password is never printed", async () => {
    const server = await RedisServer.start(["--requirepass", PASSWORD]);
    try {
      const { taskId } = await emulator.createTask({ service: "clb", region: REGION, durationMs: 1000 });
      const wrong = `${PASSWORD}-wrong`;
      const run = await runCommand(["clb", taskId, "--region", REGION, "--endpoint", emulator.url, "--json", "--quiet"], {
        TMPDIR: fresh("fleet-wrongpass-"),
        TENCENTCLOUD_TASK_COORDINATION: server.url(`:${wrong}@`),
      });
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject([{ taskId, status: "succeeded" }]);
      expect(warnings(run.stderr)).toEqual([expect.stringMatching(/Redis coordination at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: answered an error \(WRONGPASS/)]);
      expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    } finally {
      await server.stop();
    }
  }, 15_000);

  test("Redis killed mid-run: every wait ends in its outcome, with one warning", async () => {
    const server = await RedisServer.start();
    try {
      const ids = await Promise.all([5000, 5500, 6000].map(async (durationMs, i) => (await emulator.createTask({ service: "clb", region: REGION, durationMs, outcome: i === 1 ? "failed" : "succeeded" })).taskId));
      const temp = fresh("fleet-killed-");
      const running = runCommand(["clb", ...ids, "--region", REGION, "--endpoint", emulator.url, "--json", "--quiet"], {
        TMPDIR: temp,
        TENCENTCLOUD_TASK_COORDINATION: server.url(),
      });
      // Killed once the process has taken places through Redis (its start takes longer on a loaded
      // machine), while its tasks still run.
      let keys: string[] = [];
      for (const started = Date.now(); keys.length === 0 && Date.now() - started < 4000; ) {
        await sleep(100);
        keys = await keysOf(server.url());
      }
      await server.stop("SIGKILL");
      const run = await running;
      // Redis held the places until it died; then the machine's directory did.
      expect(keys.length).toBeGreaterThan(0);
      expect(JSON.parse(run.stdout)).toMatchObject([
        { taskId: ids[0], status: "succeeded" },
        { taskId: ids[1], status: "failed" },
        { taskId: ids[2], status: "succeeded" },
      ]);
      expect(warnings(run.stderr)).toHaveLength(1);
      expect(existsSync(join(temp, `tencentcloud-task-completion-${process.getuid?.() ?? "user"}`))).toBe(true);
    } finally {
      await server.stop();
    }
  }, 20_000);
});

describeWithRedis("tests/redis.test.ts (a real redis-server)")("RedisPeers: faults, auth, a busy event loop", () => {
  let server: RedisServer;
  let warned: { message: string }[];
  const made: RedisPeers[] = [];
  beforeAll(async () => {
    server = await RedisServer.start([
      "--requirepass",
      PASSWORD,
      // A narrow ACL user: the commands the backend sends (the scripts' too), on its own keys only.
      "--user",
      "fleet",
      "on",
      `>${PASSWORD}`,
      `~${REDIS_PREFIX}:*`,
      "+evalsha",
      "+eval",
      "+ping",
      "+hdel",
      "+time",
      "+zremrangebyscore",
      "+zcard",
      "+zadd",
      "+zrange",
      "+pexpire",
      "+hset",
      "+hgetall",
    ]);
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    warned = [];
    jest.spyOn(process, "emitWarning").mockImplementation((warning: string | Error) => void warned.push({ message: String(warning) }));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    made.splice(0).forEach((peers) => peers.close());
  });

  const peersAt = (url: string) => {
    const peers = new RedisPeers({ kind: "redis", url, display: url.replace(PASSWORD, "***") }, new MachinePeers(fresh("peers-machine-")));
    made.push(peers);
    return peers;
  };
  /** Reserves like a throttle: the allowance first, then a place. */
  const take = async (peers: RedisPeers, key: string, places = 5) => {
    peers.allowance(key, { demand: 1, rate: 1 }, places);
    return peers.reserve(key, places);
  };

  test("a password, or an ACL user with only what the backend needs: places are taken and held", async () => {
    for (const url of [server.url(`:${PASSWORD}@`), server.url(`fleet:${PASSWORD}@`)]) {
      const peers = peersAt(url);
      const key = `acl ${url}`;
      const places = await Promise.all([1, 2, 3].map(() => take(peers, key, 2)));
      expect(places.map((place) => "release" in place)).toEqual([true, true, false]);
      expect(places[2]).toEqual({ retryInMs: 1025 });
      (places[0] as MachinePlace).release();
      await sleep(50);
      // Settled: it frees a second after its answer, not before.
      const next = await take(peers, key, 2);
      expect("retryInMs" in next && next.retryInMs).toBeGreaterThan(900);
      expect(peers.backend).toBe("redis");
    }
    await sleep(10);
    expect(warned).toEqual([]);
  });

  test("a busy event loop is not a slow Redis", async () => {
    const peers = peersAt(server.url(`:${PASSWORD}@`));
    await take(peers, "busy");
    for (let i = 0; i < 5; i++) {
      const reserved = take(peers, "busy", 100);
      // The loop is busy for 300 ms while the answer waits: timers fire late, Redis answered in time.
      const until = performance.now() + 300;
      while (performance.now() < until);
      expect("release" in (await reserved)).toBe(true);
    }
    expect(peers.backend).toBe("redis");
    await sleep(10);
    expect(warned).toEqual([]);
  });

  test("a Redis that stops answering (DEBUG SLEEP): the machine within a bounded time, one warning, Redis again once it answers", async () => {
    const peers = peersAt(server.url(`:${PASSWORD}@`));
    await take(peers, "sleepy");
    const admin = new Redis(server.url(`:${PASSWORD}@`));
    try {
      void admin.call("DEBUG", "SLEEP", "1");
      await sleep(20);
      const started = performance.now();
      // No answer within 100 ms: on the machine, after the second the fleet's last places from Redis hold.
      const paused = await take(peers, "sleepy");
      expect(performance.now() - started).toBeLessThan(400);
      expect(peers.backend).toBe("machine");
      expect("retryInMs" in paused && paused.retryInMs).toBeGreaterThan(1000);
      await sleep((paused as { retryInMs: number }).retryInMs);
      expect("release" in (await take(peers, "sleepy"))).toBe(true);
      // A second fault of the same process says nothing more.
      await take(peers, "sleepy");
      await sleep(2500);
      expect(peers.backend).toBe("redis");
      expect(warned.map((w) => w.message)).toEqual([expect.stringContaining("no answer within 100 ms")]);
    } finally {
      admin.disconnect();
    }
  }, 10_000);

  test("a Redis slow on every call (a proxy adding 70 ms): the machine after three slow calls", async () => {
    const proxy = await delayingProxy(server.port, 70);
    try {
      const peers = peersAt(`redis://:${PASSWORD}@127.0.0.1:${proxy.port}`);
      for (let i = 0; i < 3; i++) {
        expect(peers.backend).toBe("redis");
        await take(peers, "slow");
      }
      expect(peers.backend).toBe("machine");
      expect(warned.map((w) => w.message)).toEqual([expect.stringContaining("answered 3 calls in a row in more than 50 ms")]);
    } finally {
      proxy.close();
    }
  });

  test("a server answering errors, and an ACL that forbids a command: the machine, one warning, no password", async () => {
    const stub = await errorServer();
    try {
      const peers = peersAt(`redis://:${PASSWORD}@127.0.0.1:${stub.port}`);
      expect("release" in (await take(peers, "stub"))).toBe(true);
      expect(peers.backend).toBe("machine");
    } finally {
      stub.server.close();
    }
    await sleep(10);
    expect(warned).toHaveLength(1);
    expect(warned[0].message).toContain("answered an error");

    // Another user, with PING only: the first script is refused.
    const admin = new Redis(server.url(`:${PASSWORD}@`));
    await admin.call("ACL", "SETUSER", "pinger", "on", `>${PASSWORD}`, `~${REDIS_PREFIX}:*`, "+ping");
    admin.disconnect();
    warned = [];
    const peers = peersAt(server.url(`pinger:${PASSWORD}@`));
    expect("release" in (await take(peers, "acl"))).toBe(true);
    expect(peers.backend).toBe("machine");
    await sleep(10);
    expect(warned.map((w) => w.message)).toEqual([expect.stringContaining("NOPERM")]);
    expect(warned[0].message).not.toContain(PASSWORD);
  });
});

async function runCommand(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: fresh("fleet-home-"),
      TMPDIR: fresh("fleet-tmp-"),
      TENCENTCLOUD_SECRET_ID: DEFAULT_CREDENTIAL.secretId,
      TENCENTCLOUD_SECRET_KEY: DEFAULT_CREDENTIAL.secretKey,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, "close")) as [number | null];
  return { code, stdout, stderr };
}

/** Node's warning lines of the backend. */
function warnings(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line.includes("TENCENTCLOUD_TASK_REDIS"));
}

async function keysOf(url: string): Promise<string[]> {
  const redis = new Redis(url);
  try {
    return await redis.keys(`${REDIS_PREFIX}:*`);
  } finally {
    redis.disconnect();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A TCP proxy to `port` that holds every chunk from the server `delayMs` before passing it on. */
async function delayingProxy(port: number, delayMs: number): Promise<{ port: number; close: () => void }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(port, "127.0.0.1");
    sockets.add(client).add(upstream);
    client.on("data", (chunk) => upstream.write(chunk));
    upstream.on("data", (chunk) => setTimeout(() => client.write(chunk), delayMs));
    for (const socket of [client, upstream]) socket.on("error", () => undefined).on("close", () => (client.destroy(), upstream.destroy()));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    port: (server.address() as { port: number }).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

/** A server that answers every command with an error, as a misconfigured proxy or a wrong service would. */
async function errorServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    socket.on("error", () => undefined);
    socket.on("data", () => socket.write("-ERR this is not the Redis you are looking for\r\n"));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, port: (server.address() as { port: number }).port };
}
