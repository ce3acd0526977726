import { randomBytes, createHash } from "node:crypto";
import type { Redis as RedisClient } from "ioredis";
import type { MachinePeers } from "./peers";
import type { Coordination } from "./settings";
import { HOLD_AFTER_ANSWER_MS, type MachinePlace, type Peers } from "./throttle";

/** The prefix of every key this package writes. */
export const REDIS_PREFIX = "tencentcloud-task-completion";
/** A call not settled after this long belongs to a process that died (or lost Redis): its place is taken back. */
const IN_FLIGHT_MAX_MS = 30_000;
/** Every key expires this long after its last change: a fleet that stops leaves nothing behind. */
const KEY_TTL_MS = 31_000;
/** A process's demand not rewritten for this long is ignored (it is rewritten every 250 ms while it calls). */
const STALE_DEMAND_MS = 2000;
/**
 * The share kept should Redis fail is the budget over the most processes seen calling within this
 * long: one that was idle for a moment is still counted, so that the shares never add up to more
 * than the budget.
 */
const FLEET_MEMORY_MS = 10_000;
/** Each Redis call is abandoned after this long of Redis's own time (time the event loop was busy is not counted). */
const CALL_TIMEOUT_MS = 100;
/** ...and after this long in any case, busy loop or not: a wait never blocks longer on Redis. */
const CALL_MAX_MS = 1000;
/** A call answered after more than this (of Redis's own time) is slow; SLOW_IN_A_ROW of them in a row are a fault. */
const SLOW_MS = 50;
const SLOW_IN_A_ROW = 3;
/** How long the first call waits for the connection (a name to resolve, a TLS handshake). */
const CONNECT_MS = 1000;
/** After a fault, Redis is tried again this often, in the background. */
const RETRY_MS = 2000;
/**
 * After a fault, how long a process that held places from Redis takes none on its machine: the
 * places the fleet was granted before the fault still hold their second at the API (in flight
 * calls a little longer), and no one can count them any more.
 */
const FALLBACK_PAUSE_MS = HOLD_AFTER_ANSWER_MS + 500;
/** The step of the timer that tells Redis's time from time the event loop was busy elsewhere. */
const TICK_MS = 10;

/**
 * Takes a place among `ARGV[2]` for call `ARGV[1]`: 0 if granted, else milliseconds until one may
 * free. A place is a member of the budget's sorted set scored with the moment it frees: in flight,
 * IN_FLIGHT_MAX_MS ahead; settled, HOLD_AFTER_ANSWER_MS after the settle (SETTLE). One clock, the
 * server's, for every machine.
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local hold = tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  return 0
end
local first = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
if first > now + hold then return hold end
return math.max(1, first - now)
`;

/** Call `ARGV[1]` settled: its place frees HOLD_AFTER_ANSWER_MS from now (nothing if it is gone). */
const SETTLE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 0
`;

/** Writes this process's demand `ARGV[2]` and answers how many processes call, dropping entries older than `ARGV[3]` ms. */
const DEMAND = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. now)
local processes = 0
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local demand, at = string.match(all[i + 1], '^(%d+):(%d+)$')
  if demand == nil or tonumber(at) < now - tonumber(ARGV[3]) then
    redis.call('HDEL', KEYS[1], all[i])
  else
    processes = processes + 1
  end
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return processes
`;

interface FleetCommands {
  tcReserve(key: string, id: string, places: number, inFlightMs: number, ttlMs: number, holdMs: number): Promise<number>;
  tcSettle(key: string, id: string, holdMs: number, ttlMs: number): Promise<number>;
  tcDemand(key: string, id: string, demand: number, staleMs: number, ttlMs: number): Promise<number>;
}
type Client = RedisClient & FleetCommands;

type Timed<T> = { value: T; ownMs: number } | { fault: string };

/**
 * Processes of a fleet (CI runners on separate machines) share each budget through one Redis
 * server: every call takes one of the budget's places in a sorted set, atomically (a Lua script
 * on the server's clock), held while the call is in flight and HOLD_AFTER_ANSWER_MS after it
 * settled, as the machine's ledger does (ledger.ts). No second at the API then receives more calls
 * than the budget, whatever the number of machines. Each process also writes its demand (calls
 * waiting or in flight), so that it knows how many processes call, and so its share of the fleet
 * should Redis fail.
 *
 * A fault (unreachable, closed, an error, a call past CALL_TIMEOUT_MS, SLOW_IN_A_ROW slow calls)
 * never fails a wait: the process warns once, shares its budgets as machine-local processes do
 * (`machine`), keeping to its last share of the fleet, and tries Redis again every RETRY_MS. One
 * backend at a time: back on Redis, it leaves the machine's directory.
 *
 * Keys hold no credential (a budget is named by a hash of its key); the URL's password is never
 * in a message.
 */
export class RedisPeers implements Peers {
  private readonly id = `${process.pid}-${randomBytes(4).toString("hex")}`;
  private calls = 0;
  private client: Client | undefined;
  /** Resolves once the client is ready (true), or failed to be within CONNECT_MS (false). */
  private ready: Promise<boolean> | undefined;
  private mode: "redis" | "machine" = "redis";
  private warned = false;
  private slowInARow = 0;
  private retrying: NodeJS.Timeout | undefined;
  private closed = false;
  /** Whether Redis ever granted this process a place: then a fault pauses it (FALLBACK_PAUSE_MS). */
  private granted = false;
  /** After a fault, no place on the machine before this (performance.now()). */
  private pausedUntil = -Infinity;
  /** The most processes seen calling per key lately, and when: the share of the fleet a process keeps to once on its own. */
  private readonly fleet = new Map<string, { processes: number; at: number }>();
  /**
   * This process's places from Redis per key, by call: when it settled (performance.now()), or
   * null while in flight. Should Redis fail, they still hold their second at the API, and the
   * machine's ledger does not know of them.
   */
  private readonly fromRedis = new Map<string, Map<string, number | null>>();
  /** Keys whose demand is being written: one write at a time per key. */
  private readonly writing = new Set<string>();

  constructor(
    private readonly redis: Extract<Coordination, { kind: "redis" }>,
    private readonly machine: MachinePeers,
  ) {}

  /** Which backend this process uses now, for tests and the benchmark. */
  get backend(): "redis" | "machine" {
    return this.mode;
  }

  allowance(key: string, mine: { demand: number; rate: number }, ceiling: number): number {
    // On the machine: its share of the fleet is the budget there (the ledger's places too), so that the fleet stays within it.
    if (this.mode === "machine") return this.machine.allowance(key, mine, this.shareOf(key, ceiling));
    void this.writeDemand(key, Math.max(1, Math.round(mine.demand)));
    // Every call takes a place of the fleet's: the whole budget is the pace, the places the bound.
    return ceiling;
  }

  async reserve(key: string, places: number): Promise<MachinePlace | { retryInMs: number }> {
    if (this.mode === "redis") {
      const id = `${this.id}:${++this.calls}`;
      const placesKey = redisKey("budget", key);
      const answer = await this.timed((client) => client.tcReserve(placesKey, id, places, IN_FLIGHT_MAX_MS, KEY_TTL_MS, HOLD_AFTER_ANSWER_MS));
      if ("value" in answer) {
        if (answer.value > 0) return { retryInMs: answer.value };
        const mine = this.placesFromRedis(key);
        mine.set(id, null);
        this.granted = true;
        return {
          release: () => {
            mine.set(id, performance.now());
            void this.timed((client) => client.tcSettle(placesKey, id, HOLD_AFTER_ANSWER_MS, KEY_TTL_MS)).then((settled) => this.judge(settled));
          },
        };
      }
      this.judge(answer);
      // A place taken by a call Redis answered too late holds until IN_FLIGHT_MAX_MS: lost, never doubled.
    }
    // On the machine: nothing while the fleet's last places from Redis hold; then its share of the fleet, less those it still holds.
    const paused = this.pausedUntil - performance.now();
    if (paused > 0) return { retryInMs: paused };
    const share = Math.max(1, Math.floor(this.shareOf(key, places)));
    const stillHeld = this.placesFromRedis(key).size;
    if (stillHeld >= share) return { retryInMs: 50 };
    // Joins the key now (the allowance refreshes it within 250 ms), so that this call is counted.
    this.machine.allowance(key, { demand: 1, rate: 0 }, share);
    return this.machine.reserve(key, share - stillHeld);
  }

  /** This process's part of `budget` on `key` once on its own: the whole, if it never learnt how many call. */
  private shareOf(key: string, budget: number): number {
    return budget / (this.fleet.get(key)?.processes ?? 1);
  }

  /** This process's places from Redis on `key` that still hold (in flight, or settled less than a second ago). */
  private placesFromRedis(key: string): Map<string, number | null> {
    let mine = this.fromRedis.get(key);
    if (!mine) this.fromRedis.set(key, (mine = new Map()));
    const now = performance.now();
    for (const [id, settledAt] of mine) if (settledAt !== null && settledAt + HOLD_AFTER_ANSWER_MS <= now) mine.delete(id);
    return mine;
  }

  leave(key: string): void {
    if (this.mode === "machine") return this.machine.leave(key);
    const demandKey = redisKey("demand", key);
    void this.timed((client) => client.hdel(demandKey, this.id));
  }

  /** Stops using Redis (a host shutting down, a test's end): no more retries, the connection closed. */
  close(): void {
    this.closed = true;
    clearTimeout(this.retrying);
    this.retrying = undefined;
    this.disconnect();
  }

  private async writeDemand(key: string, demand: number): Promise<void> {
    if (this.writing.has(key)) return;
    this.writing.add(key);
    try {
      const answer = await this.timed((client) => client.tcDemand(redisKey("demand", key), this.id, demand, STALE_DEMAND_MS, KEY_TTL_MS));
      this.judge(answer);
      // An even share: demands change with every poll, so a share by demand would leave some processes a sliver.
      if ("value" in answer) {
        const now = performance.now();
        const seen = this.fleet.get(key);
        if (!seen || answer.value >= seen.processes || now - seen.at > FLEET_MEMORY_MS) this.fleet.set(key, { processes: Math.max(1, answer.value), at: now });
      }
    } finally {
      this.writing.delete(key);
    }
  }

  /** Takes a fault (or a slow call) into account: SLOW_IN_A_ROW slow calls are one. */
  private judge(answer: Timed<unknown>): void {
    if ("fault" in answer) return this.fallBack(answer.fault);
    this.slowInARow = answer.ownMs > SLOW_MS ? this.slowInARow + 1 : 0;
    if (this.slowInARow >= SLOW_IN_A_ROW) this.fallBack(`answered ${SLOW_IN_A_ROW} calls in a row in more than ${SLOW_MS} ms`);
  }

  private fallBack(reason: string): void {
    if (this.mode === "machine" || this.closed) return;
    this.mode = "machine";
    this.slowInARow = 0;
    if (this.granted) this.pausedUntil = performance.now() + FALLBACK_PAUSE_MS;
    this.disconnect();
    if (!this.warned) {
      this.warned = true;
      process.emitWarning(
        `Redis coordination at ${this.redis.display}: ${this.scrub(reason)}. This process now shares its budgets with the processes of its machine only, ` +
          `keeping to its last share of the fleet, and tries Redis again every ${RETRY_MS / 1000} s.`,
        { code: "TENCENTCLOUD_TASK_REDIS" },
      );
    }
    this.retryLater();
  }

  /** Tries Redis again in RETRY_MS: back on it once a PING answers in time. */
  private retryLater(): void {
    if (this.retrying || this.closed) return;
    this.retrying = setTimeout(() => {
      this.retrying = undefined;
      void this.timed((client) => client.ping(), true).then((answer) => {
        if ("value" in answer && answer.ownMs <= SLOW_MS) {
          this.mode = "redis";
          this.machine.leaveAll();
        } else {
          this.disconnect();
          this.retryLater();
        }
      });
    }, RETRY_MS);
    this.retrying.unref();
  }

  /**
   * Runs one Redis call, bounded: past CALL_TIMEOUT_MS of Redis's own time (the time the event
   * loop ran other work, measured by a timer's lateness, is not Redis's), or CALL_MAX_MS in any
   * case, it is a fault. So a starved loop (many processes on few cores) is not taken for a slow
   * Redis.
   */
  private async timed<T>(run: (client: Client) => Promise<T>, probe = false): Promise<Timed<T>> {
    // On the machine, only the background probe talks to Redis (a place's settle is lost: it frees after IN_FLIGHT_MAX_MS).
    if ((this.mode === "machine" && !probe) || this.closed) return { fault: "not in use" };
    const client = this.connect();
    if (!client) return { fault: "the optional dependency ioredis is not installed (npm install ioredis)" };
    if (!(await this.ready)) return { fault: "unreachable" };
    const started = performance.now();
    return new Promise((resolve) => {
      let late = 0;
      let last = started;
      let tick: NodeJS.Timeout | undefined;
      const ownMs = () => {
        const now = performance.now();
        return now - started - late - Math.max(0, now - last - TICK_MS);
      };
      const done = (result: Timed<T>) => {
        clearTimeout(tick);
        resolve(result);
      };
      const check = () => {
        const now = performance.now();
        late += Math.max(0, now - last - TICK_MS);
        last = now;
        if (now - started - late >= CALL_TIMEOUT_MS || now - started >= CALL_MAX_MS) done({ fault: `no answer within ${CALL_TIMEOUT_MS} ms` });
        else tick = setTimeout(check, TICK_MS);
      };
      tick = setTimeout(check, TICK_MS);
      run(client).then(
        (value) => done({ value, ownMs: ownMs() }),
        (error: unknown) => done({ fault: `answered an error (${error instanceof Error ? error.message : String(error)})` }),
      );
    });
  }

  /** The client, made on first use; undefined if ioredis is not installed. */
  private connect(): Client | undefined {
    if (this.client) return this.client;
    let Redis: typeof RedisClient;
    try {
      // Loaded only when Redis is configured: an optional dependency.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      ({ Redis } = require("ioredis") as typeof import("ioredis"));
    } catch {
      return undefined;
    }
    const client = new Redis(this.redis.url, {
      // Ours to decide: no queue for a closed connection, no retries that would run a reservation late.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      reconnectOnError: () => false,
      autoResendUnfulfilledCommands: false,
      enableReadyCheck: false,
      connectTimeout: CONNECT_MS,
      // Its timer to destroy a socket that does not close holds the process open: short.
      disconnectTimeout: CALL_TIMEOUT_MS,
      // A plain handshake (AUTH, SELECT), which any Redis 5+ and a narrow ACL accept.
      protocol: 2,
      disableClientInfo: true,
      maintNotifications: "disabled",
    }) as Client;
    client.defineCommand("tcReserve", { numberOfKeys: 1, lua: RESERVE });
    client.defineCommand("tcSettle", { numberOfKeys: 1, lua: SETTLE });
    client.defineCommand("tcDemand", { numberOfKeys: 1, lua: DEMAND });
    // The connection never holds the process open: a command exits when its waits are done.
    client.on("connect", () => client.stream?.unref?.());
    this.client = client;
    this.ready = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), CONNECT_MS);
      timer.unref();
      client.once("ready", () => {
        clearTimeout(timer);
        resolve(true);
      });
      client.once("end", () => resolve(false));
    });
    client.on("error", (error: Error) => {
      if (this.client === client) this.fallBack(`answered an error (${error.message})`);
    });
    client.on("end", () => {
      if (this.client === client) this.fallBack("closed the connection");
    });
    return client;
  }

  private disconnect(): void {
    const client = this.client;
    this.client = undefined;
    this.ready = undefined;
    client?.disconnect();
  }

  /** Error texts come from the network and the server: never let the URL's password through. */
  private scrub(text: string): string {
    const url = new URL(this.redis.url);
    const secrets = [url.password, safeDecode(url.password)].filter((secret) => secret.length > 0);
    return secrets.reduce((out, secret) => out.split(secret).join("***"), text);
  }
}

/** `tencentcloud-task-completion:<kind>:<sha256 of the budget key>`: no credential in a key. */
export function redisKey(kind: "budget" | "demand", key: string): string {
  return `${REDIS_PREFIX}:${kind}:${createHash("sha256").update(key).digest("hex")}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
