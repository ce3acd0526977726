import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { packageSchema, RESOURCE } from "../../provider/plugin/schema";
import type { Props } from "../harness/providerHost";
import { PluginHost, ROOT } from "../harness/pluginHost";
import { credentialEnv, useEmulator } from "../support/emulator";

/**
 * examples/yaml and examples/python, as far as can be shown without the Pulumi CLI: each names
 * the plugin where the CLI looks for it, uses only what the schema declares, and its resources,
 * handed to the plugin the way the engine would, wait on their tasks for real.
 */
const emulator = useEmulator();
const schema = packageSchema("0.0.0");
const resource = schema.resources[RESOURCE];
const yaml = createRequire(require.resolve("@pulumi/pulumi/package.json"))("js-yaml") as { load(text: string): unknown };
const EXAMPLES = path.join(ROOT, "examples");

interface Project {
  name: string;
  runtime: string | { name: string };
  plugins?: { providers: { name: string; path: string }[] };
  packages?: Record<string, { source: string }>;
  config: Record<string, unknown>;
  resources?: Record<string, { type: string; properties: Props; options?: { customTimeouts?: { create?: string }; dependsOn?: string[] } }>;
  outputs?: Record<string, string>;
}

function project(name: string): Project {
  return yaml.load(readFileSync(path.join(EXAMPLES, name, "Pulumi.yaml"), "utf8")) as Project;
}

/** The provider's configuration a project sets itself (`tencentcloud-task-completion:<key>: value`). */
function providerConfig(config: Project["config"]): Props {
  const prefix = `${schema.name}:`;
  return Object.fromEntries(Object.entries(config).filter(([key]) => key.startsWith(prefix)).map(([key, value]) => [key.slice(prefix.length), value]));
}

/** The plugin from the folder a project names, started as the Node.js language host runs a plugin with PulumiPlugin.yaml. */
async function pluginFrom(folder: string): Promise<PluginHost> {
  expect(readFileSync(path.join(folder, "PulumiPlugin.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
  const runner = require.resolve("@pulumi/pulumi/cmd/run-plugin", { paths: [folder] });
  return PluginHost.start({ command: [process.execPath, runner, folder], env: { ...credentialEnv, TENCENTCLOUD_TASK_COORDINATION: "off" } });
}

/** "5m" -> 300: customTimeouts as Pulumi writes them. */
function seconds(duration: string | undefined): number {
  if (duration === undefined) return 0;
  const match = /^(\d+)([smh])$/.exec(duration);
  if (!match) throw new Error(`unexpected duration ${duration}`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as "s" | "m" | "h"];
}

/** The engine's side of one new TaskCompletion: Check, then Create; the test adds the emulator's endpoint. */
async function up(plugin: PluginHost, properties: Props, timeout: number): Promise<Props> {
  for (const name of Object.keys(properties)) expect({ name, declared: name in resource.inputProperties }).toEqual({ name, declared: true });
  const { inputs, failures } = await plugin.check({ ...properties, endpoint: emulator.current.url });
  expect(failures).toEqual([]);
  return (await plugin.create(inputs, { timeout })).properties;
}

async function tasks() {
  const listener = await emulator.current.createTask({ service: "clb", durationMs: 500, loadBalancerIds: ["lb-0000yaml"] });
  const params = await emulator.current.createTask({ service: "redis", durationMs: 300, outcome: "failed", message: "parameter maxmemory-policy rejected" });
  return { listenerRequestId: listener.taskId, redisTaskId: params.taskId };
}

test("examples/yaml: the plugin from plugins.providers, each resource of the program created through it, its outputs resolved", async () => {
  const program = project("yaml");
  expect(program.runtime).toBe("yaml");
  const [entry] = program.plugins!.providers;
  expect(entry.name).toBe(schema.name);
  const plugin = await pluginFrom(path.resolve(EXAMPLES, "yaml", entry.path));
  try {
    await plugin.configure(providerConfig(program.config));
    const config: Props = await tasks();
    const created: Record<string, Props> = {};
    for (const [name, declared] of Object.entries(program.resources!)) {
      expect(declared.type).toBe(RESOURCE);
      for (const dependency of declared.options?.dependsOn ?? []) expect(created[/^\$\{(\w+)\}$/.exec(dependency)![1]]).toBeDefined();
      // `${key}` alone is the config value itself, as Pulumi YAML reads it.
      const properties = Object.fromEntries(Object.entries(declared.properties).map(([key, value]) => [key, typeof value === "string" && /^\$\{\w+\}$/.test(value) ? config[value.slice(2, -1)] : value]));
      created[name] = await up(plugin, properties, seconds(declared.options?.customTimeouts?.create));
    }
    const outputs = Object.fromEntries(
      Object.entries(program.outputs!).map(([key, expression]) => {
        const [, name, property] = /^\$\{(\w+)\.(\w+)\}$/.exec(expression)!;
        expect({ property, declared: property in resource.properties }).toEqual({ property, declared: true });
        return [key, created[name][property]];
      }),
    );
    expect(outputs).toEqual({ listenerStatus: "succeeded", loadBalancerIds: ["lb-0000yaml"], paramsStatus: "failed", paramsMessage: "parameter maxmemory-policy rejected" });
  } finally {
    await plugin.stop();
  }
});

describe("examples/python", () => {
  const source = readFileSync(path.join(EXAMPLES, "python", "__main__.py"), "utf8");
  const python = schema.language.python as { packageName: string };
  const camel = (name: string) => name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
  /** Each `x = module.TaskCompletion("name", key=value, ...)`: its variable and its keyword arguments as Python text. */
  const declarations = [...source.matchAll(/^(\w+) = (\w+)\.TaskCompletion\(\s*"(\w+)",([\s\S]*?)^\)/gm)].map(([, variable, module, name, body]) => ({
    variable,
    module,
    name,
    args: Object.fromEntries([...body.matchAll(/^\s{4}(\w+)=(.+?),?$/gm)].map(([, key, value]) => [key, value])),
  }));

  test("it is Python; it imports the module the schema names, and uses only the schema's inputs, outputs and service values", async () => {
    const compiler = await promisify(execFile)("python3", ["--version"]).then(
      () => true,
      () => false,
    );
    if (compiler) {
      const out = mkdtempSync(path.join(tmpdir(), "pyc-"));
      try {
        await promisify(execFile)("python3", ["-c", `import py_compile; py_compile.compile(${JSON.stringify(path.join(EXAMPLES, "python", "__main__.py"))}, cfile=${JSON.stringify(path.join(out, "main.pyc"))}, doraise=True)`]);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    } else console.warn("python3 is not installed: examples/python/__main__.py was not compiled, only read");

    expect(source).toContain(`import ${python.packageName} as taskcompletion\n`);
    expect(declarations.map((d) => d.module)).toEqual(["taskcompletion", "taskcompletion"]);
    const services = (schema.types[`${schema.name}:index:Service`] as { enum: { value: string }[] }).enum.map((option) => option.value);
    for (const { args, variable } of declarations) {
      for (const key of Object.keys(args).filter((key) => key !== "opts")) expect({ key, declared: camel(key) in resource.inputProperties }).toEqual({ key, declared: true });
      const service = /^taskcompletion\.Service\.(\w+)$/.exec(args.service)![1];
      expect(services).toContain(service.toLowerCase().replace(/_/g, "-"));
      for (const [, property] of source.matchAll(new RegExp(`\\b${variable}\\.(\\w+)`, "g"))) expect({ property, declared: camel(property) in resource.properties }).toEqual({ property, declared: true });
    }
    const program = project("python");
    const folder = path.resolve(EXAMPLES, "python", program.packages![schema.name].source);
    expect(existsSync(path.join(folder, "PulumiPlugin.yaml"))).toBe(true);
  });

  test("its resources, created through the plugin as the engine would, wait on their tasks", async () => {
    const program = project("python");
    const plugin = await pluginFrom(path.resolve(EXAMPLES, "python", program.packages![schema.name].source));
    try {
      await plugin.configure(providerConfig(program.config));
      const config: Props = await tasks();
      const value = (text: string): unknown => {
        const required = /^config\.require(?:_int)?\("(\w+)"\)$/.exec(text);
        if (required) return config[required[1]];
        const service = /^taskcompletion\.Service\.(\w+)$/.exec(text);
        if (service) return service[1].toLowerCase().replace(/_/g, "-");
        if (text === "True" || text === "False") return text === "True";
        if (/^\d+$/.test(text)) return Number(text);
        throw new Error(`unexpected argument ${text}`);
      };
      const created: Record<string, Props> = {};
      for (const { name, args } of declarations) {
        const timeout = /custom_timeouts=pulumi\.CustomTimeouts\(create="(\w+)"\)/.exec(args.opts ?? "")?.[1];
        const properties = Object.fromEntries(Object.entries(args).filter(([key]) => key !== "opts").map(([key, text]) => [camel(key), value(text)]));
        created[name] = await up(plugin, properties, seconds(timeout));
      }
      expect(created.listenerReady).toMatchObject({ status: "succeeded", loadBalancerIds: ["lb-0000yaml"] });
      expect(created.paramsApplied).toMatchObject({ status: "failed", message: "parameter maxmemory-policy rejected" });
    } finally {
      await plugin.stop();
    }
  });
});
