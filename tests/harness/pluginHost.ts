import * as grpc from "@grpc/grpc-js";
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as providerrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerproto from "@pulumi/pulumi/proto/provider_pb";
import { SECRET_SIG, SECRET_SIG_KEY, startFakeEngine, toHostError, toStruct, type LogLine, type Props } from "./providerHost";

/**
 * The provider plugin, started and driven the way the Pulumi engine does: its built bin (what
 * `node_modules/.bin/pulumi-resource-tencentcloud-task-completion` runs) with the engine's address
 * as argument, its port read from its first line, then GetPluginInfo / GetSchema / CheckConfig /
 * Configure and the resource methods over gRPC. A fake Engine service receives its log lines.
 * Every answer is kept (values it marks secret hidden, as the engine hides them), so that a test
 * can look for secrets in all of them.
 */

export const ROOT = path.resolve(__dirname, "../..");
export const PLUGIN_BIN = path.join(ROOT, "dist/provider/plugin/main.js");
export const URN = "urn:pulumi:test::project::tencentcloud-task-completion:index:TaskCompletion::wait";

export interface PluginOptions {
  /** Environment of the plugin, on top of this process's. */
  env?: NodeJS.ProcessEnv;
  /** The command that starts the plugin (default: node and the built bin); the engine's address is appended. */
  command?: string[];
  cwd?: string;
}

export class PluginHost {
  /** Every answer the plugin gave, errors included. */
  readonly answers: unknown[] = [];
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly process: ChildProcess,
    private readonly client: InstanceType<typeof providerrpc.ResourceProviderClient>,
    private readonly engine: grpc.Server,
    /** Log lines the plugin sent to the engine. */
    readonly logs: LogLine[],
    private readonly output: { stdout: string; stderr: string },
    /** Milliseconds from spawning the process to reading its port. */
    readonly startMs: number,
  ) {
    this.exited = new Promise((resolve) => process.once("exit", (code, signal) => resolve(code ?? (signal ? -1 : null))));
  }

  get stdout(): string {
    return this.output.stdout;
  }

  get stderr(): string {
    return this.output.stderr;
  }

  static async start(options: PluginOptions = {}): Promise<PluginHost> {
    const logs: LogLine[] = [];
    const engine = await startFakeEngine((line) => logs.push(line));
    const [command, ...args] = options.command ?? [process.execPath, PLUGIN_BIN];
    const started = performance.now();
    const child = spawn(command, [...args, `127.0.0.1:${engine.port}`], { cwd: options.cwd ?? ROOT, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
    const output = { stdout: "", stderr: "" };
    child.stderr!.on("data", (chunk) => (output.stderr += chunk));
    const lines = readline.createInterface({ input: child.stdout! });
    const port = await new Promise<string>((resolve, reject) => {
      lines.once("line", resolve);
      child.once("exit", (code) => reject(new Error(`the plugin exited with ${code} before listening: ${output.stderr}`)));
    });
    const startMs = performance.now() - started;
    lines.on("line", (line) => (output.stdout += `${line}\n`));
    const client = new providerrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new PluginHost(child, client, engine.server, logs, output, startMs);
  }

  async getPluginInfo(): Promise<string> {
    return this.answered((await this.call<{ getVersion(): string }>("getPluginInfo", new emptyproto.Empty())).getVersion());
  }

  async getSchema(): Promise<string> {
    return this.answered((await this.call<providerproto.GetSchemaResponse>("getSchema", new providerproto.GetSchemaRequest())).getSchema());
  }

  async checkConfig(news: Props, secretKeys: string[] = []): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const req = new providerproto.CheckRequest().setUrn(PROVIDER_URN).setOlds(toStruct({})).setNews(toStruct(withSecrets(news, secretKeys)));
    const resp = await this.call<providerproto.CheckResponse>("checkConfig", req);
    const answer = { inputs: resp.getInputs()?.toJavaScript() ?? {}, failures: resp.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) };
    // A value the answer marks secret stays encrypted in state and hidden in output.
    this.answers.push(hideSecrets(answer));
    return answer;
  }

  async diffConfig(olds: Props, news: Props): Promise<{ changes: "none" | "some" | "unknown"; replaces: string[]; diffs: string[] }> {
    const req = new providerproto.DiffRequest().setUrn(PROVIDER_URN).setOlds(toStruct(olds)).setNews(toStruct(news));
    const resp = await this.call<providerproto.DiffResponse>("diffConfig", req);
    return this.answered({ changes: changesOf(resp), replaces: resp.getReplacesList(), diffs: resp.getDiffsList() });
  }

  /** Configure, as the engine sends it: `args` (keys of `secretKeys` as secrets), or the older `variables` map. */
  async configure(config: Props = {}, secretKeys: string[] = [], form: "args" | "variables" = "args"): Promise<{ acceptSecrets: boolean; supportsPreview: boolean }> {
    const req = new providerproto.ConfigureRequest().setAcceptsecrets(true).setAcceptresources(true);
    if (form === "args") req.setArgs(toStruct(withSecrets(config, secretKeys)));
    else for (const [key, value] of Object.entries(config)) req.getVariablesMap().set(`tencentcloud-task-completion:config:${key}`, typeof value === "string" ? value : JSON.stringify(value));
    const resp = await this.call<providerproto.ConfigureResponse>("configure", req);
    return this.answered({ acceptSecrets: resp.getAcceptsecrets(), supportsPreview: resp.getSupportspreview() });
  }

  async check(news: Props, olds: Props = {}): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const req = new providerproto.CheckRequest().setUrn(URN).setOlds(toStruct(olds)).setNews(toStruct(news));
    const resp = await this.call<providerproto.CheckResponse>("check", req);
    return this.answered({ inputs: resp.getInputs()?.toJavaScript() ?? {}, failures: resp.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) });
  }

  async diff(id: string, olds: Props, news: Props): Promise<{ changes: "none" | "some" | "unknown"; replaces: string[] }> {
    const req = new providerproto.DiffRequest().setId(id).setUrn(URN).setOlds(toStruct(olds)).setNews(toStruct(news));
    const resp = await this.call<providerproto.DiffResponse>("diff", req);
    return this.answered({ changes: changesOf(resp), replaces: resp.getReplacesList() });
  }

  /** `timeout`: the program's customTimeouts.create, in seconds (0: none). */
  async create(properties: Props, options: { timeout?: number; preview?: boolean } = {}): Promise<{ id: string; properties: Props }> {
    const req = new providerproto.CreateRequest().setUrn(URN).setProperties(toStruct(properties)).setTimeout(options.timeout ?? 0).setPreview(options.preview ?? false);
    const resp = await this.call<providerproto.CreateResponse>("create", req);
    return this.answered({ id: resp.getId(), properties: resp.getProperties()?.toJavaScript() ?? {} });
  }

  async read(id: string, properties: Props, inputs: Props = {}): Promise<{ id: string; properties: Props; inputs: Props }> {
    const req = new providerproto.ReadRequest().setId(id).setUrn(URN).setProperties(toStruct(properties)).setInputs(toStruct(inputs));
    const resp = await this.call<providerproto.ReadResponse>("read", req);
    return this.answered({ id: resp.getId(), properties: resp.getProperties()?.toJavaScript() ?? {}, inputs: resp.getInputs()?.toJavaScript() ?? {} });
  }

  async update(id: string, olds: Props, news: Props, options: { timeout?: number } = {}): Promise<Props> {
    const req = new providerproto.UpdateRequest().setId(id).setUrn(URN).setOlds(toStruct(olds)).setNews(toStruct(news)).setTimeout(options.timeout ?? 0);
    const resp = await this.call<providerproto.UpdateResponse>("update", req);
    return this.answered(resp.getProperties()?.toJavaScript() ?? {});
  }

  async delete(id: string, properties: Props): Promise<void> {
    await this.call("delete", new providerproto.DeleteRequest().setId(id).setUrn(URN).setProperties(toStruct(properties)));
  }

  async cancel(): Promise<void> {
    await this.call("cancel", new emptyproto.Empty());
  }

  /** Calls a method by name, for the ones this harness has no wrapper of. */
  async raw(method: string, req: unknown): Promise<unknown> {
    return this.call(method, req);
  }

  exit(): Promise<number | null> {
    return this.exited;
  }

  async stop(): Promise<void> {
    this.client.close();
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill("SIGKILL");
    await this.exited;
    await new Promise<void>((resolve) => this.engine.tryShutdown(() => resolve()));
  }

  private answered<T>(answer: T): T {
    this.answers.push(answer);
    return answer;
  }

  private call<T>(method: string, req: unknown): Promise<T> {
    return new Promise((resolve, reject) => {
      const fn = (this.client as unknown as Record<string, (r: unknown, cb: (e: grpc.ServiceError | null, v: T) => void) => void>)[method];
      fn.call(this.client, req, (error, value) => {
        if (error) {
          const failure = toHostError(error);
          this.answers.push({ method, error: failure.message, initFailed: failure.initFailed });
          reject(failure);
        } else resolve(value);
      });
    });
  }
}

const PROVIDER_URN = "urn:pulumi:test::project::pulumi:providers:tencentcloud-task-completion::default";

function withSecrets(values: Props, secretKeys: string[]): Props {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, secretKeys.includes(k) ? { [SECRET_SIG_KEY]: SECRET_SIG, value: v } : v]));
}

function hideSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hideSecrets);
  if (value && typeof value === "object") {
    const record = value as Props;
    if (record[SECRET_SIG_KEY] === SECRET_SIG) return "[secret]";
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, hideSecrets(v)]));
  }
  return value;
}

function changesOf(resp: providerproto.DiffResponse): "none" | "some" | "unknown" {
  const changes = { [providerproto.DiffResponse.DiffChanges.DIFF_NONE]: "none", [providerproto.DiffResponse.DiffChanges.DIFF_SOME]: "some" } as const;
  return changes[resp.getChanges() as 1 | 2] ?? "unknown";
}
