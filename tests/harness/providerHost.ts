import * as grpc from "@grpc/grpc-js";
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";
import * as anyproto from "google-protobuf/google/protobuf/any_pb";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineproto from "@pulumi/pulumi/proto/engine_pb";
import * as providerrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";

/**
 * Pulumi's real dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`), started and driven
 * over gRPC the way `pulumi up` drives it: Configure first, then Check / Diff / Create / Read /
 * Update / Delete with `__provider` in every property bag. A fake Engine service receives the
 * host's log messages.
 */

export type Props = Record<string, unknown>;

export interface HostOptions {
  /** The Pulumi project's folder, the host's working directory. Default: this repository. */
  cwd?: string;
  project?: string;
  /** Environment of the host process, on top of this process's. */
  env?: NodeJS.ProcessEnv;
  /** Called for each log message as it arrives, e.g. to show progress live. */
  onLog?: (line: LogLine) => void;
  /**
   * Serve a fake Engine service that receives the host's log messages (default). Without it the
   * host runs as `pulumi up` starts it today, with no engine connection (pulumi/pulumi#6065):
   * log messages then go to its standard output.
   */
  engine?: boolean;
}

export interface LogLine {
  severity: "debug" | "info" | "warning" | "error";
  message: string;
  /** The resource the line is about, when the sender says. */
  urn?: string;
}

/** A failed gRPC call; `initFailed` is set for ErrorResourceInitFailed (created but not initialized). */
export class HostCallError extends Error {
  constructor(
    message: string,
    readonly grpcCode: number,
    readonly initFailed?: { id: string; properties: Props; reasons: string[] },
  ) {
    super(message);
  }
}

const SEVERITIES: Record<number, LogLine["severity"]> = {
  [engineproto.LogSeverity.DEBUG]: "debug",
  [engineproto.LogSeverity.INFO]: "info",
  [engineproto.LogSeverity.WARNING]: "warning",
  [engineproto.LogSeverity.ERROR]: "error",
};

const ROOT = path.resolve(__dirname, "../..");
/** The engine's marker for a secret value on the wire. */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const URN = "urn:pulumi:test::project::pulumi-nodejs:dynamic/tencentcloud:TaskCompletion::wait";

export class ProviderHost {
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly process: ChildProcess,
    private readonly client: InstanceType<typeof providerrpc.ResourceProviderClient>,
    private readonly engine: grpc.Server | undefined,
    /** Log messages the host sent to the engine (progress lines among them). */
    readonly logs: LogLine[],
    private readonly output: { stdout: string; stderr: string },
  ) {
    this.exited = new Promise((resolve) => process.once("exit", (code, signal) => resolve(code ?? (signal ? -1 : null))));
  }

  /** What the host printed after its port line. */
  get stdout(): string {
    return this.output.stdout;
  }

  get stderr(): string {
    return this.output.stderr;
  }

  static async start(options: HostOptions = {}): Promise<ProviderHost> {
    const logs: LogLine[] = [];
    const engine =
      options.engine === false
        ? undefined
        : await startFakeEngine((line) => {
            logs.push(line);
            options.onLog?.(line);
          });
    const entry = require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js");
    const child = spawn(process.execPath, [entry, "127.0.0.1:1"], {
      cwd: options.cwd ?? ROOT,
      env: {
        ...process.env,
        PULUMI_NODEJS_PROJECT: options.project ?? "project",
        PULUMI_NODEJS_STACK: "test",
        PULUMI_NODEJS_ENGINE: engine ? `127.0.0.1:${engine.port}` : "",
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output = { stdout: "", stderr: "" };
    child.stderr!.on("data", (chunk) => (output.stderr += chunk));
    const lines = readline.createInterface({ input: child.stdout! });
    // The host's first line is the port it listens on.
    const port = await new Promise<string>((resolve, reject) => {
      lines.once("line", resolve);
      child.once("exit", (code) => reject(new Error(`provider host exited with ${code} before listening: ${output.stderr}`)));
    });
    lines.on("line", (line) => (output.stdout += `${line}\n`));
    const client = new providerrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new ProviderHost(child, client, engine?.server, logs, output);
  }

  /** Namespaced stack config, as the engine sends it (`tencentcloud:region`, ...); `secretKeys` go as secrets. */
  async configure(config: Record<string, string> = {}, secretKeys: string[] = []): Promise<void> {
    const args = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, secretKeys.includes(k) ? { [SECRET_SIG_KEY]: SECRET_SIG, value: v } : v]));
    const req = new providerproto.ConfigureRequest();
    req.setArgs(toStruct(args));
    req.setAcceptsecrets(true);
    await this.call("configure", req);
  }

  async check(news: Props, olds: Props = {}): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const req = new providerproto.CheckRequest();
    req.setUrn(URN);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    const resp = await this.call<providerproto.CheckResponse>("check", req);
    return {
      inputs: resp.getInputs()?.toJavaScript() ?? {},
      failures: resp.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(id: string, olds: Props, news: Props): Promise<{ changes: "none" | "some" | "unknown"; replaces: string[] }> {
    const req = new providerproto.DiffRequest();
    req.setId(id);
    req.setUrn(URN);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    const resp = await this.call<providerproto.DiffResponse>("diff", req);
    const changes = { [providerproto.DiffResponse.DiffChanges.DIFF_NONE]: "none", [providerproto.DiffResponse.DiffChanges.DIFF_SOME]: "some" } as const;
    return { changes: changes[resp.getChanges() as 1 | 2] ?? "unknown", replaces: resp.getReplacesList() };
  }

  async create(properties: Props): Promise<{ id: string; properties: Props }> {
    const req = new providerproto.CreateRequest();
    req.setUrn(URN);
    req.setProperties(toStruct(properties));
    const resp = await this.call<providerproto.CreateResponse>("create", req);
    return { id: resp.getId(), properties: resp.getProperties()?.toJavaScript() ?? {} };
  }

  async read(id: string, properties: Props): Promise<{ id: string; properties: Props }> {
    const req = new providerproto.ReadRequest();
    req.setId(id);
    req.setUrn(URN);
    req.setProperties(toStruct(properties));
    const resp = await this.call<providerproto.ReadResponse>("read", req);
    return { id: resp.getId(), properties: resp.getProperties()?.toJavaScript() ?? {} };
  }

  async update(id: string, olds: Props, news: Props): Promise<Props> {
    const req = new providerproto.UpdateRequest();
    req.setId(id);
    req.setUrn(URN);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    const resp = await this.call<providerproto.UpdateResponse>("update", req);
    return resp.getProperties()?.toJavaScript() ?? {};
  }

  async delete(id: string, properties: Props): Promise<void> {
    const req = new providerproto.DeleteRequest();
    req.setId(id);
    req.setUrn(URN);
    req.setProperties(toStruct(properties));
    await this.call("delete", req);
  }

  /** Resolves with the exit code once the host process has ended. */
  exit(): Promise<number | null> {
    return this.exited;
  }

  async stop(): Promise<void> {
    this.client.close();
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill("SIGKILL");
    await this.exited;
    await new Promise<void>((resolve) => (this.engine ? this.engine.tryShutdown(() => resolve()) : resolve()));
  }

  private call<T>(method: string, req: unknown): Promise<T> {
    return new Promise((resolve, reject) => {
      const fn = (this.client as unknown as Record<string, (r: unknown, cb: (e: grpc.ServiceError | null, v: T) => void) => void>)[method];
      fn.call(this.client, req, (error, value) => (error ? reject(toHostError(error)) : resolve(value)));
    });
  }
}

/** Pulumi's Struct conversion throws on `undefined`: a JSON round trip drops it, as the engine would. */
export function toStruct(value: Props): structproto.Struct {
  return structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));
}

export function toHostError(error: grpc.ServiceError): HostCallError {
  const details = error.metadata?.get("grpc-status-details-bin")?.[0];
  if (details) {
    const status = statusproto.Status.deserializeBinary(details as Uint8Array);
    for (const any of status.getDetailsList() as anyproto.Any[]) {
      if (any.getTypeName() === "pulumirpc.ErrorResourceInitFailed") {
        const init = providerproto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
        return new HostCallError(error.details, error.code, {
          id: init.getId(),
          properties: init.getProperties()?.toJavaScript() ?? {},
          reasons: init.getReasonsList(),
        });
      }
    }
  }
  return new HostCallError(error.details, error.code);
}

/** The Engine service the host logs to when PULUMI_NODEJS_ENGINE points at it. */
export async function startFakeEngine(onLog: (line: LogLine) => void): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server();
  const empty = (_call: unknown, callback: grpc.sendUnaryData<emptyproto.Empty>) => callback(null, new emptyproto.Empty());
  server.addService(enginerpc.EngineService, {
    log: (call: grpc.ServerUnaryCall<engineproto.LogRequest, emptyproto.Empty>, callback: grpc.sendUnaryData<emptyproto.Empty>) => {
      onLog({ severity: SEVERITIES[call.request.getSeverity()] ?? "info", message: call.request.getMessage(), urn: call.request.getUrn() || undefined });
      callback(null, new emptyproto.Empty());
    },
    getRootResource: (_call: unknown, callback: grpc.sendUnaryData<engineproto.GetRootResourceResponse>) =>
      callback(null, new engineproto.GetRootResourceResponse()),
    setRootResource: (_call: unknown, callback: grpc.sendUnaryData<engineproto.SetRootResourceResponse>) =>
      callback(null, new engineproto.SetRootResourceResponse()),
    startDebugging: empty,
    requirePulumiVersion: (_call: unknown, callback: grpc.sendUnaryData<engineproto.RequirePulumiVersionResponse>) =>
      callback(null, new engineproto.RequirePulumiVersionResponse()),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { server, port };
}
