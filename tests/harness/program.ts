import * as pulumi from "@pulumi/pulumi";
import { SECRET_SIG, SECRET_SIG_KEY, type Props, type ProviderHost } from "./providerHost";

export interface RegisteredResource {
  type: string;
  name: string;
  /** Inputs as the engine would pass them to a provider that does not accept secrets. */
  inputs: Props;
  /** Set when the resource was created through the provider host. */
  id?: string;
  outputs?: Props;
  /** Why Check or Create failed, when it did. */
  error?: Error;
  /** Registered after another resource had failed: the engine would never have created it. */
  skipped?: boolean;
}

export interface ProgramOptions {
  project?: string;
  /** Stack config as `pulumi config set` leaves it: namespaced keys (`tencentcloud:region`, `project:endpoint`). */
  config?: Record<string, string>;
  /** Keys of `config` set with `--secret`. */
  secretKeys?: string[];
  /** With a host, dynamic resources are checked and created for real and their outputs flow back into the program. */
  host?: ProviderHost;
  /** Called when a resource starts being created and when it is done (or failed). */
  onResource?: (resource: RegisteredResource, phase: "creating" | "created" | "failed") => void;
}

/**
 * Runs a Pulumi program as `pulumi up` does on a new stack. Registration goes through Pulumi's
 * mocks; each dynamic resource is handed to the real provider host (Check, then Create) and its
 * real outputs are returned to the program. A resource registers only once its dependencies
 * (inputs and `dependsOn`) have been created, so the order is the engine's. Once a Check or
 * Create fails, nothing more is created, as the engine stops the update; the failure is recorded
 * on the resource instead of failing the program, so that a test can look at it.
 */
export async function runProgram(program: () => unknown, options: ProgramOptions = {}): Promise<RegisteredResource[]> {
  const project = options.project ?? "project";
  const resources: RegisteredResource[] = [];
  pulumi.runtime.setAllConfig(options.config ?? {}, options.secretKeys);
  pulumi.runtime.setMocks(
    {
      newResource: async (args) => {
        const resource: RegisteredResource = { type: args.type, name: args.name, inputs: unwrapSecrets(args.inputs) as Props };
        resources.push(resource);
        if (!options.host || !args.type.startsWith("pulumi-nodejs:dynamic")) {
          return { id: `${args.name}-id`, state: args.inputs };
        }
        if (resources.some((r) => r.error)) {
          resource.skipped = true;
          return { id: undefined, state: {} };
        }
        options.onResource?.(resource, "creating");
        try {
          const checked = await options.host.check(resource.inputs);
          if (checked.failures.length > 0) {
            throw new Error(`check failed: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
          }
          const created = await options.host.create(checked.inputs);
          resource.id = created.id;
          resource.outputs = created.properties;
          options.onResource?.(resource, "created");
          return { id: created.id, state: created.properties };
        } catch (error) {
          resource.error = error as Error;
          options.onResource?.(resource, "failed");
          return { id: undefined, state: {} };
        }
      },
      call: (args) => args.inputs,
    },
    project,
    "test",
    false,
  );
  await program();
  // Waits until every registration (and so every Create) has finished.
  await pulumi.runtime.disconnect();
  return resources;
}

/** A program kept in its own module (like the examples): it runs when the module is loaded. */
export function programModule(path: string): () => unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return () => require(path);
}

function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[SECRET_SIG_KEY] === SECRET_SIG) return unwrapSecrets(record.value);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}
