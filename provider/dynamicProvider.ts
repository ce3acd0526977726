import * as pulumi from "@pulumi/pulumi";
import { formatDuration } from "./errors";
import { formatProgress, isRoutine } from "./progress";
import { checkResource, createResource, diffResource, updateResource, type Configured, type StepOptions } from "./resource";
import { parseSettings, stackConfiguration } from "./settings";
import { printable } from "./text";

/** Stack config, parsed once by `configure` in the provider process: never captured into state. */
let configured: Configured = parseSettings(stackConfiguration(() => undefined));

/** Aborted on SIGINT/SIGTERM so that every running wait stops and reports where it was. */
const interruption = new AbortController();
const running = new Map<Promise<unknown>, { label: string; since: number }>();

/**
 * The TaskCompletion resource's provider. It runs in Pulumi's dynamic-provider host, loaded by
 * the small stub that the resource serializes into `__provider`. The steps are the resource's
 * (resource.ts), shared with the provider plugin; this edge adds stack config and log lines.
 */
export const taskCompletionProvider: pulumi.dynamic.ResourceProvider = {
  async configure(req) {
    // Bad stack config is kept: the host configures a provider once, so every Check reports it.
    configured = parseSettings(stackConfiguration((key) => req.config.get(key) || undefined));
    stopWaitsOnSignals();
  },

  /** Never throws: whatever the engine passes, problems come back as failures naming the property. */
  async check(_olds, news) {
    return checkResource(news, configured);
  },

  async diff(_id, olds, news) {
    return diffResource(olds, news);
  },

  async create(inputs) {
    return withLogLines((options) => createResource(inputs, configured, options));
  },

  /** Resumes a wait left unfinished by a timeout or an interruption; otherwise keeps the outputs. */
  async update(_id, olds, news) {
    return withLogLines((options) => updateResource(olds, news, configured, options));
  },

  /** The recorded state: an expired task record must never make the resource vanish. */
  async read(id, props) {
    return { id, props };
  },

  /** Nothing exists in the cloud for a wait. */
  async delete() {},
};

/**
 * Runs a step with its progress as log lines. Lines travel on their own; the last one is awaited
 * so that it shows before the step ends. A line that cannot be sent is lost; it never fails the wait.
 */
async function withLogLines<T>(step: (options: StepOptions) => Promise<T>): Promise<T> {
  let logged = Promise.resolve();
  const options: StepOptions = {
    signal: interruption.signal,
    onProgress: (event) => {
      if (!isRoutine(event)) logged = pulumi.log.info(formatProgress(event)).catch(() => undefined);
    },
    onStart: (label, wait) => {
      running.set(wait, { label, since: Date.now() });
      void wait.finally(() => running.delete(wait)).catch(() => undefined);
    },
  };
  try {
    return await step(options);
  } finally {
    await logged;
  }
}

let signalHandlersInstalled = false;

/**
 * On SIGINT (Ctrl-C at a terminal) or SIGTERM (a CI runner cancelling a job): stop polling, let
 * each running wait answer the engine with its partial state (so the next `up` resumes it), say
 * what was pending, and leave. A second signal finds no handler left and ends the process at once.
 */
function stopWaitsOnSignals(): void {
  if (signalHandlersInstalled) return;
  signalHandlersInstalled = true;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      const pending = [...running.values()];
      interruption.abort(new Error(`interrupted by ${signal}`));
      if (pending.length > 0) {
        const lines = pending.map(({ label, since }) => `  ${printable(label)}, waited ${formatDuration((Date.now() - since) / 1000)}`);
        console.error(
          `tencentcloud-task-completion: ${signal} while waiting for ${pending.length} task(s):\n${lines.join("\n")}\n` +
            "They are recorded as not yet initialized; the next `pulumi up` resumes each wait.",
        );
      }
      // Give the aborted operations a moment to reach the engine, then leave.
      const settled = Promise.allSettled(running.keys());
      const grace = new Promise((resolve) => setTimeout(resolve, 1000));
      void Promise.race([settled, grace]).then(() => setTimeout(() => process.exit(signal === "SIGINT" ? 130 : 143), 200));
    });
  }
}
