import type { ChildProcess } from "node:child_process";

const children = new Set<ChildProcess>();

/** Kills `child` if the bench exits first (an error or a signal), so that no host or emulator outlives it. */
export function killOnExit(child: ChildProcess): void {
  children.add(child);
  child.once("exit", () => children.delete(child));
}

process.once("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});
