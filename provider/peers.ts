import { createHash, randomBytes } from "node:crypto";
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { Peers } from "./throttle";

/** Environment variable that turns coordination between this machine's processes off (`off`). */
export const COORDINATION_ENV = "TENCENTCLOUD_TASK_COORDINATION";

/** An entry not rewritten for this long belongs to a process that stopped calling (or died). */
const STALE_MS = 2000;
/** How long a process that joined a budget keeps to what the others leave free. */
const NEWCOMER_MS = 1000;
/** Entries of dead processes are removed after this long. */
const REMOVE_MS = 60_000;

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
 * theirs for the moment before they hear of it. The files carry no credential: a budget is named by a hash of its key.
 * Any file-system error leaves the process on its own adaptation, never fails a wait.
 */
export class MachinePeers implements Peers {
  private readonly id = `${process.pid}-${randomBytes(4).toString("hex")}`;
  /** When this process joined each budget (wall clock). */
  private readonly joined = new Map<string, number>();
  private broken = false;

  constructor(private readonly dir: string) {}

  allowance(key: string, mine: { demand: number; rate: number }, ceiling: number): number {
    if (this.broken) return ceiling;
    try {
      const folder = this.folder(key);
      if (!this.joined.has(key)) {
        mkdirSync(folder, { recursive: true, mode: 0o700 });
        // Another user's directory could starve us with made-up demand: coordinate only in our own.
        if (typeof process.getuid === "function" && lstatSync(this.dir).uid !== process.getuid()) throw new Error("not our directory");
        this.joined.set(key, Date.now());
        joinedPeers.add(this);
      }
      const now = Date.now();
      const own: Entry = { demand: Math.max(1, mine.demand), rate: mine.rate, at: now };
      const file = path.join(folder, `${this.id}.json`);
      writeFileSync(`${file}.tmp`, JSON.stringify(own), { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
      let demand = own.demand;
      let othersRate = 0;
      for (const name of readdirSync(folder)) {
        if (!name.endsWith(".json") || name === `${this.id}.json`) continue;
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

  leave(key: string): void {
    if (this.joined.delete(key)) this.remove(key);
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
