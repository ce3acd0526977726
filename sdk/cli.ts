#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { constants } from "node:os";
import type { ProgressEvent } from "../provider/progress";
import { knownSecrets } from "../provider/credentials";
import { cut, printable, printableJson, Secrets } from "../provider/text";
import { sharedRuntime } from "../provider/runtime";
import { runOptions, runWait } from "../provider/wait";
import { USAGE, UsageError, helpText, parseCommandLine, type Command, type WaitCommand } from "./cli/args";
import { outputOf, ProgressLog, StatusBoard, type Display } from "./cli/display";
import { EXIT_ERROR, EXIT_USAGE, exitCode, failureLine, jsonEntry, newWait, statusLine, type Outcome, type Wait } from "./cli/report";

const NAME = "tencentcloud-task-wait";

/** After SIGINT or SIGTERM, waits that do not settle within this long are left behind. */
const EXIT_GRACE_MS = 1000;

/** Longest line a usage problem takes: it may quote an argument. */
const MAX_PROBLEM = 300;

const stdout = outputOf(process.stdout);
const stderr = outputOf(process.stderr);

async function main(): Promise<number> {
  // An argument can be a pasted key: what the command prints of its arguments is scrubbed against the environment's secrets.
  const secrets = Secrets.from(knownSecrets({ env: process.env }));
  let command: Command;
  try {
    command = await parseCommandLine(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const problems = error.message.split("\n").map((problem) => `${NAME}: ${printable(cut(secrets.scrub(problem), MAX_PROBLEM))}\n`);
    stderr.write(`${problems.join("")}\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (command.kind === "help") {
    stdout.write(helpText());
    return 0;
  }
  if (command.kind === "version") {
    // Resolved through the package's own name, so it works from the sources and from dist.
    const { version } = JSON.parse(readFileSync(require.resolve("tencentcloud-task-completion/package.json"), "utf8")) as { version: string };
    stdout.write(`${version}\n`);
    return 0;
  }
  return waitForAll(command, secrets);
}

async function waitForAll({ tasks, settings, json, quiet }: WaitCommand, secrets: Secrets): Promise<number> {
  const runtime = sharedRuntime(settings.coordination);
  const controller = new AbortController();
  const waits = tasks.map((task) => newWait(task, secrets));
  const display: Display | undefined = quiet ? undefined : StatusBoard.fits(stderr, waits.length) ? new StatusBoard(stderr, waits) : new ProgressLog(stderr);

  let interruptedBy: number | undefined;
  const interrupt = (signal: NodeJS.Signals) => {
    interruptedBy = 128 + constants.signals[signal];
    controller.abort();
    display?.finish();
    const now = performance.now();
    const pending = waits.filter((wait) => !wait.outcome).map((wait) => `  ${statusLine(wait, now)}\n`);
    stderr.write(`${NAME}: interrupted by ${signal}; still pending:\n${pending.join("")}Waiting is idempotent: run the same command again to resume.\n`);
    // Credential look-ups cannot be aborted; do not let one hold the exit.
    setTimeout(() => process.exit(interruptedBy), EXIT_GRACE_MS).unref();
  };
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);

  const waitFor = async (wait: Wait): Promise<Outcome> => {
    const onProgress = (event: ProgressEvent) => {
      if (controller.signal.aborted) return;
      wait.latest = event;
      display?.progress(event);
    };
    try {
      wait.outcome = { result: await runWait(wait.task, runOptions(settings, wait.task, { signal: controller.signal, onProgress }), runtime) };
    } catch (error) {
      wait.outcome = { error };
    }
    return wait.outcome;
  };
  const outcomes = await Promise.all(waits.map(waitFor));
  if (interruptedBy !== undefined) return interruptedBy;

  display?.finish();
  for (const outcome of outcomes) {
    const line = failureLine(outcome);
    if (line) stderr.write(`${line}\n`);
  }
  if (json) stdout.write(`${printableJson(outcomes.map((outcome, i) => jsonEntry(waits[i], outcome)), 2)}\n`);
  return Math.max(...outcomes.map(exitCode));
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    stderr.write(`${NAME}: ${printable(error instanceof Error ? error.message : String(error))}\n`);
    process.exitCode = EXIT_ERROR;
  },
);
