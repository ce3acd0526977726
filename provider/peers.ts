import { createHash, randomBytes } from "node:crypto";
import { lstatSync, mkdirSync, readdirSync, renameSync, rmdirSync, type Stats } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { kindOf, readUserFile, UserFileError, writeUserFile } from "./files";
import { Ledger, LEDGER_FILE, LOCK_FILE, tryUnlink } from "./ledger";
import type { MachinePlace, Peers } from "./throttle";

/** An entry not rewritten for this long belongs to a process that stopped calling (or died). */
const STALE_MS = 2000;
/** How long a process that joined a budget keeps to what the others leave free. */
const NEWCOMER_MS = 1000;
/** Entries of dead processes are removed after this long. */
const REMOVE_MS = 60_000;
/** After a file-system error, a process adapts alone this long before it tries the directory again. */
const BROKEN_MS = 10_000;
/**
 * An entry written this far ahead of the clock is stale too: the processes of a machine share
 * its wall clock, so it is corrupt or planted, and would otherwise take a part for ever.
 */
const AHEAD_MS = 2000;
/** An entry is a few numbers: a larger file is not one. */
const ENTRY_MAX_BYTES = 4096;
/** A budget's folder untouched this long is removed (every write to it renames a file in it). */
const FOLDER_UNUSED_MS = 24 * 3600_000;

interface Entry {
  demand: number;
  rate: number;
  /** The places of this process's budget (requests per second). */
  places: number;
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
 * (ledger.ts): a place is held while the call is in flight and one second after it settled, as
 * within a process, and there are as many as the budget has requests per second. The machine
 * then never has more calls in one of the API's seconds than its budget, however its processes'
 * timers fall.
 *
 * The files carry no credential: a budget is named by a hash of its key. Only this user's own
 * directories are used, each checked (a real directory, not a link, not writable by others)
 * before anything is made in it; only regular files are read, never through a link and never
 * more than their cap, so that nothing planted there (a pipe, a link to /dev/zero) can hang the
 * process or fill its memory. A file-system error or a folder it cannot use never fails a wait:
 * the process keeps to its last part and adapts alone for BROKEN_MS, then tries the directory
 * again, and says so once (a warning). Budget folders untouched for a day are removed.
 */
export class MachinePeers implements Peers {
  private readonly id = `${process.pid}-${randomBytes(4).toString("hex")}`;
  /**
   * The budgets this process coordinates on: when it joined (wall clock), its ledger, its last
   * allowance, and the machine's places: the smallest budget among the processes calling on it,
   * so that one configured lower is not starved by those that fill the ledger to theirs.
   */
  private readonly joined = new Map<string, { at: number; ledger: Ledger; allowance: number; places: number }>();
  /** After a file-system error, on its own until then (wall clock): a temp cleaner, a full disk. */
  private brokenUntil = -Infinity;
  /** Whether the folders of budgets no longer used were looked for (once). */
  private swept = false;

  /** `now`: wall-clock milliseconds, the one clock processes share (tests pass a virtual one). */
  constructor(
    private readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {}

  allowance(key: string, mine: { demand: number; rate: number }, ceiling: number): number {
    const now = this.now();
    // Broken for a while: keep to the last part known, not the whole budget.
    if (now < this.brokenUntil) return this.joined.get(key)?.allowance ?? ceiling;
    try {
      // Every time: a temp cleaner may have removed it since, and someone else made it again.
      const folder = this.ownFolder(key);
      let joined = this.joined.get(key);
      const places = Math.max(1, Math.floor(ceiling));
      if (!joined) {
        joined = { at: now, ledger: new Ledger(folder, this.id, this.now), allowance: ceiling, places };
        this.joined.set(key, joined);
        joinedPeers.add(this);
      }
      const own: Entry = { demand: Math.max(1, mine.demand), rate: mine.rate, places, at: now };
      const file = path.join(folder, `${this.id}.json`);
      writeUserFile(`${file}.tmp`, JSON.stringify(own));
      renameSync(`${file}.tmp`, file);
      let demand = own.demand;
      let othersRate = 0;
      let fewestPlaces = places;
      for (const name of readdirSync(folder)) {
        const other = path.join(folder, name);
        // Left by a process killed between a write and its rename, or while it held the lock.
        if (name.endsWith(".tmp") || name.endsWith(".broken") || name.startsWith(`${LOCK_FILE}.`)) {
          if (isOlderThan(other, REMOVE_MS)) tryUnlink(other);
          continue;
        }
        if (!name.endsWith(".json") || name === `${this.id}.json` || name === LEDGER_FILE) continue;
        const entry = readEntry(other);
        // Corrupt, or no regular file: no part, and gone once it is old.
        if (!entry) {
          if (isOlderThan(other, REMOVE_MS)) tryUnlink(other);
          continue;
        }
        if (Math.abs(entry.at - now) > REMOVE_MS) tryUnlink(other);
        if (entry.at < now - STALE_MS || entry.at > now + AHEAD_MS) continue;
        demand += entry.demand;
        othersRate += entry.rate;
        fewestPlaces = Math.min(fewestPlaces, entry.places);
      }
      joined.places = fewestPlaces;
      const share = (ceiling * own.demand) / demand;
      // A newcomer also keeps within what the others leave free until they have heard of it
      // (they look every 250 ms); after that, shares alone add up to the budget.
      const newcomer = now - joined.at < NEWCOMER_MS;
      joined.allowance = Math.max(0, newcomer ? Math.min(share, ceiling - othersRate) : share);
      return joined.allowance;
    } catch (error) {
      this.break(error);
      return this.joined.get(key)?.allowance ?? ceiling;
    }
  }

  reserve(key: string, places: number): MachinePlace | { retryInMs: number } {
    const joined = this.joined.get(key);
    // Not joined (never asked for an allowance) or broken for a while: on its own.
    if (!joined || this.now() < this.brokenUntil) return NO_PLACE;
    try {
      const limit = Math.min(places, joined.places);
      let taken;
      try {
        taken = joined.ledger.reserve(limit);
      } catch (error) {
        // A temp cleaner removed the folder since the last look: once more, in a new one.
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
        this.ownFolder(key);
        taken = joined.ledger.reserve(limit);
      }
      if (taken === undefined) return { retryInMs: 5 };
      if ("retryInMs" in taken) return taken;
      return { release: () => joined.ledger.settle(taken.grantedAt, this.now(), (error) => this.break(error)) };
    } catch (error) {
      this.break(error);
      return NO_PLACE;
    }
  }

  leave(key: string): void {
    const joined = this.joined.get(key);
    if (joined) {
      this.joined.delete(key);
      tryUnlink(path.join(this.folder(key), `${this.id}.json`));
      try {
        joined.ledger.settleAll();
      } catch {
        // Leaving: nothing to report to.
      }
    }
    if (this.joined.size === 0) joinedPeers.delete(this);
  }

  /** Removes this process's files and settles its calls, as it exits. */
  leaveAll(): void {
    for (const key of [...this.joined.keys()]) this.leave(key);
  }

  /** On its own for BROKEN_MS, said once per process. */
  private break(error: unknown): void {
    this.brokenUntil = this.now() + BROKEN_MS;
    warnCoordinationOff(error);
  }

  /**
   * The budget's folder, and this user's folder it is in: each made if missing, and checked to
   * be a real directory of this user's that no one else may write to, before anything is made in
   * it (another user's could starve us with made-up demand, or be a link to where we would
   * create files). Throws a UserFileError naming the one that is not.
   */
  private ownFolder(key: string): string {
    ownDirectory(this.dir);
    if (!this.swept) {
      this.swept = true;
      removeUnusedFolders(this.dir);
    }
    const folder = this.folder(key);
    ownDirectory(folder);
    return folder;
  }

  private folder(key: string): string {
    return path.join(this.dir, createHash("sha256").update(key).digest("hex").slice(0, 32));
  }
}

/** Makes `dir` (0700) if it is missing, then checks it: a directory, not a link, this user's, writable by no one else. */
function ownDirectory(dir: string): void {
  let stats = lstatIfAny(dir);
  if (!stats) {
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch (error) {
      // Made meanwhile by another process (of ours, or of another user: checked below).
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    stats = lstatSync(dir);
  }
  if (!stats.isDirectory()) throw new UserFileError(dir, `is ${kindOf(stats)}, not a directory`);
  // Owners and modes as POSIX has them (Windows has neither).
  if (typeof process.getuid !== "function") return;
  if (stats.uid !== process.getuid()) throw new UserFileError(dir, `is owned by another user (uid ${stats.uid})`);
  if ((stats.mode & 0o022) !== 0) throw new UserFileError(dir, `can be written by other users (mode ${(stats.mode & 0o777).toString(8)})`);
}

function lstatIfAny(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * Removes the budget folders (one per endpoint, account and action) of `dir` untouched for
 * FOLDER_UNUSED_MS: this user's real directories only, the files in them unlinked (a link is
 * removed, never followed), and a folder that holds a directory left alone.
 */
function removeUnusedFolders(dir: string): void {
  for (const name of readdirSync(dir)) {
    const folder = path.join(dir, name);
    try {
      const stats = lstatSync(folder);
      if (!stats.isDirectory() || (typeof process.getuid === "function" && stats.uid !== process.getuid())) continue;
      if (Date.now() - stats.mtimeMs <= FOLDER_UNUSED_MS) continue;
      for (const file of readdirSync(folder)) {
        if (!lstatSync(path.join(folder, file)).isDirectory()) tryUnlink(path.join(folder, file));
      }
      rmdirSync(folder);
    } catch {
      // In use again meanwhile, or not ours to remove: left as it is.
    }
  }
}

/** Whether the warning that coordination is off was given: once per process. */
let warned = false;

/** Says once per process that it keeps to its budgets alone, and why (the folder or file, never anything it holds). */
function warnCoordinationOff(error: unknown): void {
  if (warned) return;
  warned = true;
  const why = error instanceof Error ? error.message : String(error);
  process.emitWarning(
    `tencentcloud-task-completion: this process cannot share its request budgets with the other processes of this machine: ${why}. ` +
      `It keeps to its budgets alone, and tries again every ${BROKEN_MS / 1000} s; remove what is named (or set TMPDIR to a folder of your own), or set TENCENTCLOUD_TASK_COORDINATION=off to say that this is meant.`,
    { code: "TENCENTCLOUD_TASK_COORDINATION_OFF" },
  );
}

/** A place that holds nothing: the machine's ledger could not be used, the process adapts alone. */
const NO_PLACE: MachinePlace = { release: () => undefined };

function isOlderThan(file: string, ms: number): boolean {
  try {
    return Date.now() - lstatSync(file).mtimeMs > ms;
  } catch {
    return false;
  }
}

/** One exit hook for every instance that has files to remove (Node warns past ten listeners). */
const joinedPeers = new Set<MachinePeers>();
process.once("exit", () => {
  for (const peers of [...joinedPeers]) peers.leaveAll();
});

function readEntry(file: string): Entry | undefined {
  try {
    const value: unknown = JSON.parse(readUserFile(file, { maxBytes: ENTRY_MAX_BYTES, followLinks: false }) ?? "");
    if (typeof value !== "object" || value === null) return undefined;
    const { demand, rate, places, at } = value as Record<string, unknown>;
    if (![demand, rate, places, at].every((n) => typeof n === "number" && Number.isFinite(n) && n >= 0)) return undefined;
    // Bounded, so that a corrupt file cannot take every share, nor every place.
    return { demand: Math.min(demand as number, 10_000), rate: Math.min(rate as number, 1000), places: Math.max(1, Math.floor(places as number)), at: at as number };
  } catch {
    return undefined;
  }
}

/** The machine's coordination: a folder of this user's own in the temp directory. */
export function machinePeers(): MachinePeers {
  const uid = typeof process.getuid === "function" ? process.getuid() : "user";
  return new MachinePeers(path.join(tmpdir(), `tencentcloud-task-completion-${uid}`));
}
