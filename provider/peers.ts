import { createHash, randomBytes } from "node:crypto";
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
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
 * The files carry no credential: a budget is named by a hash of its key. A file-system error
 * never fails a wait: the process keeps to its last part and adapts alone for BROKEN_MS, then
 * tries the directory again.
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
      const folder = this.folder(key);
      let joined = this.joined.get(key);
      // Every time: a temp cleaner may have removed it since, and someone else made it again.
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      // Another user's directory could starve us with made-up demand: coordinate only in our own.
      if (typeof process.getuid === "function" && lstatSync(this.dir).uid !== process.getuid()) throw new Error("not our directory");
      const places = Math.max(1, Math.floor(ceiling));
      if (!joined) {
        joined = { at: now, ledger: new Ledger(folder, this.id, this.now), allowance: ceiling, places };
        this.joined.set(key, joined);
        joinedPeers.add(this);
      }
      const own: Entry = { demand: Math.max(1, mine.demand), rate: mine.rate, places, at: now };
      const file = path.join(folder, `${this.id}.json`);
      writeFileSync(`${file}.tmp`, JSON.stringify(own), { mode: 0o600 });
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
        if (!entry) continue;
        if (entry.at < now - REMOVE_MS) tryUnlink(other);
        if (entry.at < now - STALE_MS) continue;
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
    } catch {
      this.brokenUntil = now + BROKEN_MS;
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
        mkdirSync(this.folder(key), { recursive: true, mode: 0o700 });
        taken = joined.ledger.reserve(limit);
      }
      if (taken === undefined) return { retryInMs: 5 };
      if ("retryInMs" in taken) return taken;
      return { release: () => joined.ledger.settle(taken.grantedAt, this.now(), () => this.break()) };
    } catch {
      this.break();
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

  private break(): void {
    this.brokenUntil = this.now() + BROKEN_MS;
  }

  private folder(key: string): string {
    return path.join(this.dir, createHash("sha256").update(key).digest("hex").slice(0, 32));
  }
}

/** A place that holds nothing: the machine's ledger could not be used, the process adapts alone. */
const NO_PLACE: MachinePlace = { release: () => undefined };

function isOlderThan(file: string, ms: number): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs > ms;
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
    const value: unknown = JSON.parse(readFileSync(file, "utf8"));
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
