#!/usr/bin/env node
/**
 * pulumi-resource-tencentcloud-task-completion: the provider plugin. The Pulumi CLI starts it with
 * the engine's address as its argument (after flags of its own) and reads the port it serves on
 * from its first line of output. It also starts when Pulumi's Node.js plugin runner loads this
 * package from source (PulumiPlugin.yaml), which makes this file the package's `main`; loaded any
 * other way, it does nothing.
 */
import type { Plugin } from "./server";

const NAME = "pulumi-resource-tencentcloud-task-completion";

/** The engine's address: the first argument that is not one of the CLI's logging or tracing flags. */
export function engineAddressOf(args: readonly string[]): string | undefined {
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--logtostderr" || args[i].startsWith("-v=")) continue;
    if (args[i] === "--tracing") {
      i += 1;
      continue;
    }
    rest.push(args[i]);
  }
  return rest[0];
}

function start(): void {
  try {
    require.resolve("@pulumi/pulumi/proto/provider_grpc_pb");
  } catch {
    console.error(`${NAME}: @pulumi/pulumi is not installed beside this package. It is an optional peer dependency, left out of installs for the command alone: run \`npm install @pulumi/pulumi\` where tencentcloud-task-completion is installed.`);
    process.exit(1);
  }
  // Loaded only now: the check above must run first.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { serve } = require("./server") as typeof import("./server");
  serve(engineAddressOf(process.argv.slice(2))).then(
    (plugin) => {
      console.log(String(plugin.port));
      stopOnSignals(plugin);
    },
    (error: unknown) => {
      console.error(`${NAME}: could not start: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}

/**
 * SIGINT (Ctrl-C reaches the whole process group) or SIGTERM: every wait in flight answers with
 * its partial state, as after Cancel, so that the next `pulumi up` resumes it; then the plugin
 * leaves. A second signal finds no handler left and ends it at once.
 */
function stopOnSignals(plugin: Plugin): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      plugin.cancel(`interrupted by ${signal}`);
      const grace = new Promise((resolve) => setTimeout(resolve, 1000).unref());
      void Promise.race([plugin.settled(), grace]).then(() => setTimeout(() => process.exit(signal === "SIGINT" ? 130 : 143), 200));
    });
  }
}

/** Pulumi's Node.js plugin runner (`@pulumi/pulumi/cmd/run-plugin`) loads a plugin's package by its `main`. */
const loadedByPulumi = /[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/]run-plugin[\\/]/.test(require.main?.filename ?? "");

if (require.main === module || loadedByPulumi) start();
