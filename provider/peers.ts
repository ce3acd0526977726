import { createHash, randomBytes } from "node:crypto";
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { HOLD_AFTER_ANSWER_MS, type MachinePlace, type Peers } from "./throttle";

/** Environment variable that turns coordination between this machine's processes off (`off`). */
export const COORDINATION_ENV = "TENCENTCLOUD_TASK_COORDINATION";

/** An entry not rewritten for this long belongs to a process that stopped calling (or died). */
const STALE_MS = 2000;
/** How long a process that joined a budget keeps to what the others leave free. */
const NEWCOMER_MS = 1000;
/** Entries of dead processes are removed after this long. */
const REMOVE_MS = 60_000;
/**
 * A call in the ledger that has not settled after this long belongs to a process that died: its
 * place is taken back. Far above the 10 s after which a call is abandoned (and so settles).
 */
const IN_FLIGHT_MAX_MS = 30_000;
/** A lock file older than this was left by a process that died inside the few microseconds it is held. */
const STALE_LOCK_MS = 1000;
/** How long a reservation tries for the ledger's lock before it tells the caller to come back. */
const LOCK_TRY_MS = 20;
/** Settling retries this often while the lock is busy, so that a settled call never holds its place longer than it should by more. */
const SETTLE_RETRY_MS = 2;

const LEDGER = "ledger.json";
/** One call in a budget's ledger: the process, when it was granted and when it settled (null: in flight). */
type LedgerCall = [owner: string, grantedAt: number, settledAt: number | null];

interface Entry {
  demand: number;
  rate: number;
  /** Wall-clock milliseconds: the one clock processes share. */
  at: number;
}

/**
 * Processes of one machine (a CI runner deploying stacks in parallel) share each budget through
 * a directory of the user's own in the temp directory: one small file per process and budget
 * with what it wants (calls waiting or in flight) and the rate it uses, rewritten while it calls.
 * Each process takes the part of the budget in proportion to its demand; in its first second,
 * never more than the others leave free, so that a newcomer does not add its share on top of
 * theirs for the moment before they hear of it.
 *
 * Parts alone keep the machine near its budget, not within it: sixteen processes with 1/16 of
 * 17/s each still send their calls when their own pacing says, and in some seconds more of them
 * fall together than the budget. So every call also takes one of the machine's places in a ledger
 * (one file per budget, changed under a lock file): a place is held while the call is in flight
 * and one second after it settled, as within a process, and there are as many as the budget has
 * requests per second. The machine then never has more calls in one of the API's seconds than its
 * budget, however its processes' timers fall.
 *
 * The files carry no credential: a budget is named by a hash of its key. Any file-system error
 * leaves the process on its own adaptation, never fails a wait.
 */
export class MachinePeers implements Peers {
  private readonly id = `${process.pid}-${randomBytes(4).toString("hex")}`;
  /** When this process joined each budget (wall clock). */
  private readonly joined = new Map<string, number>();
  private broken = false;

  /** `now`: wall-clock milliseconds, the one clock processes share (tests pass a virtual one). */
  constructor(
    private readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {}

  allowance(key: string, mine: { demand: number; rate: number }, ceiling: number): number {
    if (this.broken) return ceiling;
    try {
      const folder = this.folder(key);
      if (!this.joined.has(key)) {
        mkdirSync(folder, { recursive: true, mode: 0o700 });
        // Another user's directory could starve us with made-up demand: coordinate only in our own.
        if (typeof process.getuid === "function" && lstatSync(this.dir).uid !== process.getuid()) throw new Error("not our directory");
        this.joined.set(key, this.now());
        joinedPeers.add(this);
      }
      const now = this.now();
      const own: Entry = { demand: Math.max(1, mine.demand), rate: mine.rate, at: now };
      const file = path.join(folder, `${this.id}.json`);
      writeFileSync(`${file}.tmp`, JSON.stringify(own), { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
      let demand = own.demand;
      let othersRate = 0;
      for (const name of readdirSync(folder)) {
        if (!name.endsWith(".json") || name === `${this.id}.json` || name === LEDGER) continue;
        const entry = readEntry(path.join(folder, name));
        if (!entry) continue;
        if (entry.at < now - REMOVE_MS) tryUnlink(path.join(folder, name));
        if (entry.at < now - STALE_MS) continue;
        demand += entry.demand;
        othersRate += entry.rate;
      }
      const share = (ceiling * own.demand) / demand;
      // A newcomer also keeps within what the others leave free until they have heard of it
      // (they look every 250 ms); after that, shares alone add up to the budget.
      const newcomer = now - (this.joined.get(key) ?? now) < NEWCOMER_MS;
      return Math.max(0, newcomer ? Math.min(share, ceiling - othersRate) : share);
    } catch {
      this.broken = true;
      return ceiling;
    }
  }

  reserve(key: string, places: number): MachinePlace | { retryInMs: number } {
    // Not joined (a file-system error, or never asked for an allowance): on its own.
    if (this.broken || !this.joined.has(key)) return NO_PLACE;
    try {
      const folder = this.folder(key);
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      // The ledger holds only calls that hold a place: in flight, or settled within HOLD_AFTER_ANSWER_MS.
      const taken = this.underLock(folder, (calls, now): { grantedAt: number } | { retryInMs: number } => {
        if (calls.length < Math.max(1, Math.floor(places))) {
          calls.push([this.id, now, null]);
          return { grantedAt: now };
        }
        // The first place to free: the oldest settled call's, or (all in flight) soon, when one settles.
        const freeAt = Math.min(...calls.map(([, , settledAt]) => (settledAt === null ? Infinity : settledAt + HOLD_AFTER_ANSWER_MS)));
        return { retryInMs: Number.isFinite(freeAt) ? Math.max(1, freeAt - now) : 50 };
      });
      if (taken === undefined) return { retryInMs: 5 };
      if ("retryInMs" in taken) return taken;
      return { release: () => this.settle(folder, taken.grantedAt, this.now()) };
    } catch {
      this.broken = true;
      return NO_PLACE;
    }
  }

  /** Marks this process's call granted at `grantedAt` settled at `settledAt`; retries while the lock is busy. */
  private settle(folder: string, grantedAt: number, settledAt: number, attempts = 0): void {
    if (this.broken) return;
    try {
      const done = this.underLock(folder, (calls) => {
        const call = calls.find(([owner, at, settled]) => owner === this.id && at === grantedAt && settled === null);
        if (call) call[2] = settledAt;
        return true;
      });
      if (done === undefined && attempts < 500) setTimeout(() => this.settle(folder, grantedAt, settledAt, attempts + 1), SETTLE_RETRY_MS).unref();
    } catch {
      this.broken = true;
    }
  }

  /**
   * Marks every call of this process still in flight on `key` settled now: it leaves as it exits,
   * and its abandoned calls should not hold their places until IN_FLIGHT_MAX_MS.
   */
  private settleAll(key: string): void {
    if (this.broken) return;
    try {
      this.underLock(this.folder(key), (calls, now) => {
        for (const call of calls) if (call[0] === this.id && call[2] === null) call[2] = now;
      });
    } catch {
      // Leaving: nothing to report to.
    }
  }

  /**
   * Runs `change` on the budget's ledger under its lock file and writes the ledger back; undefined
   * if the lock stayed busy for LOCK_TRY_MS. The lock is held for one read and one write.
   */
  private underLock<T>(folder: string, change: (calls: LedgerCall[], now: number) => T): T | undefined {
    const lock = path.join(folder, "ledger.lock");
    const started = Date.now();
    for (;;) {
      try {
        closeSync(openSync(lock, "wx", 0o600));
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        if (lockIsStale(lock)) tryUnlink(lock);
        else if (Date.now() - started >= LOCK_TRY_MS) return undefined;
        else Atomics.wait(SLEEPER, 0, 0, 1);
      }
    }
    try {
      const file = path.join(folder, LEDGER);
      const now = this.now();
      // Dropped: settled calls whose place is free, calls of processes that died in flight, and
      // times ahead of the clock (a wall clock set back, a corrupt file) that would hold a place for long.
      const calls = readLedger(file).filter(([, grantedAt, settledAt]) =>
        settledAt === null
          ? grantedAt > now - IN_FLIGHT_MAX_MS && grantedAt <= now + HOLD_AFTER_ANSWER_MS
          : settledAt + HOLD_AFTER_ANSWER_MS > now && settledAt <= now + HOLD_AFTER_ANSWER_MS,
      );
      const result = change(calls, now);
      writeFileSync(`${file}.${this.id}.tmp`, JSON.stringify(calls), { mode: 0o600 });
      renameSync(`${file}.${this.id}.tmp`, file);
      return result;
    } finally {
      tryUnlink(lock);
    }
  }

  leave(key: string): void {
    if (this.joined.delete(key)) {
      this.remove(key);
      this.settleAll(key);
    }
    if (this.joined.size === 0) joinedPeers.delete(this);
  }

  /** Removes this process's files, as it exits. */
  leaveAll(): void {
    for (const key of [...this.joined.keys()]) this.leave(key);
  }

  private folder(key: string): string {
    return path.join(this.dir, createHash("sha256").update(key).digest("hex").slice(0, 32));
  }

  private remove(key: string): void {
    tryUnlink(path.join(this.folder(key), `${this.id}.json`));
  }
}

/** One exit hook for every instance that has files to remove (Node warns past ten listeners). */
const joinedPeers = new Set<MachinePeers>();
process.once("exit", () => {
  for (const peers of [...joinedPeers]) peers.leaveAll();
});

/** A place that holds nothing: the machine's ledger could not be used, the process adapts alone. */
const NO_PLACE: MachinePlace = { release: () => undefined };

/** For sleeping a millisecond while another process holds the ledger's lock (a few microseconds). */
const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

function lockIsStale(lock: string): boolean {
  try {
    return Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS;
  } catch {
    return false;
  }
}

/** The ledger's calls; a missing or corrupt ledger is empty, and a corrupt call is dropped. */
function readLedger(file: string): LedgerCall[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  return value.filter(
    (call): call is LedgerCall =>
      Array.isArray(call) &&
      call.length === 3 &&
      typeof call[0] === "string" &&
      Number.isFinite(call[1]) &&
      (call[2] === null || Number.isFinite(call[2])),
  );
}

function readEntry(file: string): Entry | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(file, "utf8"));
    if (typeof value !== "object" || value === null) return undefined;
    const { demand, rate, at } = value as Record<string, unknown>;
    if (![demand, rate, at].every((n) => typeof n === "number" && Number.isFinite(n) && n >= 0)) return undefined;
    // Bounded, so that a corrupt file cannot take every share.
    return { demand: Math.min(demand as number, 10_000), rate: Math.min(rate as number, 1000), at: at as number };
  } catch {
    return undefined;
  }
}

function tryUnlink(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}

/** The machine's coordination, unless the environment turns it off. */
export function machinePeersFromEnv(env: NodeJS.ProcessEnv = process.env): MachinePeers | undefined {
  if (env[COORDINATION_ENV]?.trim().toLowerCase() === "off") return undefined;
  const uid = typeof process.getuid === "function" ? process.getuid() : "user";
  return new MachinePeers(path.join(tmpdir(), `tencentcloud-task-completion-${uid}`));
}
