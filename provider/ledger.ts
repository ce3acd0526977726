import { linkSync, lstatSync, renameSync, unlinkSync } from "node:fs";
import * as path from "node:path";
import { readUserFile, writeUserFile } from "./files";
import { HOLD_AFTER_ANSWER_MS } from "./throttle";

/**
 * A call of a process that has not settled after this long belongs to a process that died: its
 * place is taken back. Far above the 10 s after which a call is abandoned (and so settles).
 */
const IN_FLIGHT_MAX_MS = 30_000;
/**
 * The lock is held for one read and one write (microseconds). One older than this, or whose
 * process is gone, was left by a process that died or hung holding it.
 */
const STALE_LOCK_MS = 10_000;
/** How long a reservation tries for the lock (held for microseconds) before it tells the caller to come back. */
const LOCK_TRY_MS = 5;
/** Settling retries this often while the lock is busy, for at most SETTLE_TRIES. */
const SETTLE_RETRY_MS = 10;
const SETTLE_TRIES = 100;

/**
 * Far above what the ledger holds (about 50 bytes per call, a few hundred calls at most) and the
 * lock (a pid and an owner): a larger file is not ours.
 */
const LEDGER_MAX_BYTES = 1024 * 1024;
const LOCK_MAX_BYTES = 256;

/** The ledger and its lock, in a budget's folder; a lock being taken is first written as `ledger.lock.<owner>`. */
export const LEDGER_FILE = "ledger.json";
export const LOCK_FILE = "ledger.lock";

/** One call in the ledger: the process, when it was granted, and when it settled (null: in flight). */
type LedgerCall = [owner: string, grantedAt: number, settledAt: number | null];

/**
 * The places of one budget among the processes of a machine: `ledger.json` in the budget's
 * folder, changed under `ledger.lock`. A place is held while its call is in flight and
 * HOLD_AFTER_ANSWER_MS after it settled, as within a process.
 *
 * Every method throws on a file-system error other than a busy lock, and on a ledger or lock that
 * is not a regular file of its size (a directory, a pipe, a link: never read, never waited on);
 * the caller decides what that means (see MachinePeers).
 */
export class Ledger {
  private readonly file: string;
  private readonly lock: string;

  /** `now`: wall-clock milliseconds, the one clock processes share. */
  constructor(
    folder: string,
    private readonly owner: string,
    private readonly now: () => number,
  ) {
    this.file = path.join(folder, LEDGER_FILE);
    this.lock = path.join(folder, LOCK_FILE);
  }

  /** Takes one of `places`: when it was granted, how long until one may be free, or undefined while the lock stays busy. */
  reserve(places: number): { grantedAt: number } | { retryInMs: number } | undefined {
    return this.change((calls, now): { grantedAt: number } | { retryInMs: number } => {
      if (calls.length < Math.max(1, Math.floor(places))) {
        calls.push([this.owner, now, null]);
        return { grantedAt: now };
      }
      // The first place to free: the oldest settled call's; while all are in flight, none before
      // one settles and a second passes.
      const freeAt = Math.min(...calls.map(([, , settledAt]) => (settledAt === null ? Infinity : settledAt + HOLD_AFTER_ANSWER_MS)));
      return { retryInMs: Number.isFinite(freeAt) ? Math.max(1, freeAt - now) : HOLD_AFTER_ANSWER_MS };
    });
  }

  /** Marks the call granted at `grantedAt` settled at `settledAt`, retrying in the background while the lock is busy. */
  settle(grantedAt: number, settledAt: number, onError: (error: unknown) => void, tries = 0): void {
    try {
      const done = this.change((calls) => {
        const call = calls.find(([owner, at, settled]) => owner === this.owner && at === grantedAt && settled === null);
        if (call) call[2] = settledAt;
        return true;
      });
      if (done === undefined && tries < SETTLE_TRIES) setTimeout(() => this.settle(grantedAt, settledAt, onError, tries + 1), SETTLE_RETRY_MS).unref();
    } catch (error) {
      onError(error);
    }
  }

  /** Marks every call of this process still in flight settled now: it leaves, and its abandoned calls should not hold their places for IN_FLIGHT_MAX_MS. */
  settleAll(): void {
    this.change((calls, now) => {
      for (const call of calls) if (call[0] === this.owner && call[2] === null) call[2] = now;
    });
  }

  /**
   * Runs `edit` on the ledger under the lock and writes it back; undefined if the lock stayed busy
   * for LOCK_TRY_MS. Calls that no longer hold a place are dropped on the way: settled more than
   * HOLD_AFTER_ANSWER_MS ago, in flight for IN_FLIGHT_MAX_MS, or ahead of the clock (a wall clock
   * set back, a corrupt file), which would otherwise hold a place for long.
   */
  private change<T>(edit: (calls: LedgerCall[], now: number) => T): T | undefined {
    const token = `${process.pid} ${this.owner}`;
    if (!this.acquire(token)) return undefined;
    try {
      const now = this.now();
      const ahead = now + HOLD_AFTER_ANSWER_MS;
      const calls = readLedger(this.file).filter(([, grantedAt, settledAt]) =>
        settledAt === null ? grantedAt > now - IN_FLIGHT_MAX_MS && grantedAt <= ahead : settledAt + HOLD_AFTER_ANSWER_MS > now && settledAt <= ahead,
      );
      const result = edit(calls, now);
      const temporary = `${this.file}.${this.owner}.tmp`;
      writeUserFile(temporary, JSON.stringify(calls));
      // Broken as stale while we hung (over 10 s): what we read may be old, so write nothing.
      if (readText(this.lock) !== token) {
        tryUnlink(temporary);
        return undefined;
      }
      renameSync(temporary, this.file);
      return result;
    } finally {
      // Only our own lock: had ours been broken as stale, the file may be another holder's now.
      if (readText(this.lock) === token) tryUnlink(this.lock);
    }
  }

  /**
   * Links a file holding our token as the lock (so a lock is never seen empty); breaks a stale
   * one. False if it stayed busy for LOCK_TRY_MS.
   */
  private acquire(token: string): boolean {
    const mine = `${this.lock}.${this.owner}`;
    writeUserFile(mine, token);
    try {
      const started = performance.now();
      for (;;) {
        try {
          linkSync(mine, this.lock);
          return true;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        }
        // A lock that is not a regular file (a directory, a pipe) is never freed: this throws.
        const held = readText(this.lock);
        // Ours, left by a change that threw or by a fresh lock put back after its holder was done:
        // this process is not inside a change (it runs one at a time), so it is free.
        if (held === token) tryUnlink(this.lock);
        else if (held !== undefined && isStale(this.lock, held)) breakLock(this.lock, held, this.owner);
        else if (performance.now() - started >= LOCK_TRY_MS) return false;
        else Atomics.wait(SLEEPER, 0, 0, 1);
      }
    } finally {
      tryUnlink(mine);
    }
  }
}

/** For sleeping a millisecond while another process holds the lock. */
const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

/** A lock whose process is gone, or far older or newer than the clock (a holder hung, a clock set back). */
function isStale(lock: string, token: string): boolean {
  const pid = Number(token.split(" ")[0]);
  if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) return true;
  try {
    return Math.abs(Date.now() - lstatSync(lock).mtimeMs) > STALE_LOCK_MS;
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, and another user's (it cannot be: the directory is ours, but be safe).
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/**
 * Removes a stale lock, only if it is still the one found stale: the rename moves exactly one
 * file, so two processes breaking it at once cannot both remove a fresh lock taken in between;
 * one that moved a fresh lock by mistake puts it back.
 */
function breakLock(lock: string, staleToken: string, owner: string): void {
  const moved = `${lock}.${owner}.broken`;
  try {
    renameSync(lock, moved);
  } catch {
    return; // Someone else broke it first.
  }
  if (readText(moved) !== staleToken) {
    try {
      // A fresh lock: back where it was, unless yet another was taken meanwhile (link, unlike
      // rename, never replaces one).
      linkSync(moved, lock);
    } catch {
      // Another holder now: the one we moved loses its lock, and writes its change all the same.
    }
  }
  tryUnlink(moved);
}

/** The ledger's calls; a missing or corrupt ledger is empty, and a malformed call is dropped. Throws if it is not a regular file. */
function readLedger(file: string): LedgerCall[] {
  const text = readUserFile(file, { maxBytes: LEDGER_MAX_BYTES, followLinks: false });
  let value: unknown;
  try {
    value = JSON.parse(text ?? "[]");
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  return value.filter(
    (call): call is LedgerCall =>
      Array.isArray(call) && call.length === 3 && typeof call[0] === "string" && Number.isFinite(call[1]) && (call[2] === null || Number.isFinite(call[2])),
  );
}

/** A lock's token; undefined when there is none. Throws if it is not a small regular file. */
function readText(file: string): string | undefined {
  return readUserFile(file, { maxBytes: LOCK_MAX_BYTES, followLinks: false });
}

export function tryUnlink(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}
