/**
 * The ResourceProvider gRPC service, on the protobufs that ship in @pulumi/pulumi: the wire format
 * (Structs, secrets, ErrorResourceInitFailed), the engine's log, Cancel. What each method means
 * is the lifecycle's (engine.ts).
 */
import type * as grpcTypes from "@grpc/grpc-js";
import type * as anyTypes from "google-protobuf/google/protobuf/any_pb";
import type * as emptyTypes from "google-protobuf/google/protobuf/empty_pb";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";
import type * as engineRpcTypes from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as engineTypes from "@pulumi/pulumi/proto/engine_pb";
import type * as pluginTypes from "@pulumi/pulumi/proto/plugin_pb";
import type * as providerRpcTypes from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as providerTypes from "@pulumi/pulumi/proto/provider_pb";
import type * as statusTypes from "@pulumi/pulumi/proto/status_pb";
import { createRequire } from "node:module";
import { CONFIG_KEYS, ENGINE_KEYS, PACKAGE, packageVersion, parseConfiguration, printable, ResourceInitError, TaskLifecycle, type Step } from "./engine";
import { packageSchema, SECRET_CONFIG_KEYS } from "./schema";

// The stubs, and the very gRPC and protobuf copies they are built on, from the installed @pulumi/pulumi.
const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const grpc = fromPulumi("@grpc/grpc-js") as typeof grpcTypes;
const { Any } = fromPulumi("google-protobuf/google/protobuf/any_pb") as typeof anyTypes;
const { Empty } = fromPulumi("google-protobuf/google/protobuf/empty_pb") as typeof emptyTypes;
const { Struct } = fromPulumi("google-protobuf/google/protobuf/struct_pb") as typeof structTypes;
const { EngineClient } = fromPulumi("./proto/engine_grpc_pb") as typeof engineRpcTypes;
const engine = fromPulumi("./proto/engine_pb") as typeof engineTypes;
const { PluginInfo } = fromPulumi("./proto/plugin_pb") as typeof pluginTypes;
const { ResourceProviderService } = fromPulumi("./proto/provider_grpc_pb") as typeof providerRpcTypes;
const provider = fromPulumi("./proto/provider_pb") as typeof providerTypes;
const { Status } = fromPulumi("./proto/status_pb") as typeof statusTypes;

type Props = Record<string, unknown>;
type Struct = structTypes.Struct;

/** The engine's marker of a secret value on the wire. */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** How long a log line may take to reach the engine before it is dropped. */
const LOG_DEADLINE_MS = 5000;

/** A usage error of the engine or the program, answered as INVALID_ARGUMENT or FAILED_PRECONDITION. */
class RequestError extends Error {
  constructor(
    message: string,
    readonly code: grpcTypes.status,
  ) {
    super(message);
  }
}

export interface Plugin {
  port: number;
  /** Ends every wait in flight, as Cancel does. */
  cancel(reason: string): void;
  /** Resolves once every operation in flight has answered. */
  settled(): Promise<void>;
}

/** Starts the service on a free loopback port; `engineAddress` receives progress lines, if given. */
export async function serve(engineAddress: string | undefined): Promise<Plugin> {
  let lifecycle: TaskLifecycle | undefined;
  const cancellation = new AbortController();
  const inFlight = new Set<Promise<unknown>>();
  const log = engineLog(engineAddress);
  const version = packageVersion();
  let schema: string | undefined;

  const configured = (): TaskLifecycle => {
    if (!lifecycle) throw new RequestError("the provider is not configured: the engine calls Configure before any resource operation", grpc.status.FAILED_PRECONDITION);
    return lifecycle;
  };
  /** Runs one Create or Update; its last progress line reaches the engine before it answers. */
  const run = async <T>(urn: string, timeoutSeconds: number, operation: (step: Step) => Promise<T>): Promise<T> => {
    let logged = Promise.resolve();
    try {
      return await operation({ timeoutSeconds, signal: cancellation.signal, onProgress: (line) => (logged = log(urn, line)) });
    } finally {
      await logged;
    }
  };

  const handlers: Partial<providerRpcTypes.IResourceProviderServer> = {
    getPluginInfo: unary(() => new PluginInfo().setVersion(version)),
    getSchema: unary(() => new provider.GetSchemaResponse().setSchema((schema ??= JSON.stringify(packageSchema(version))))),

    checkConfig: unary((req: providerTypes.CheckRequest) => {
      const news = (req.getNews()?.toJavaScript() ?? {}) as Props;
      const { failures } = parseConfiguration(unwrapSecrets(news) as Props);
      // The inputs as they came, but a key is a secret even if it came plain, and so is what might be a
      // misspelt one: state keeps them encrypted.
      const open = (key: string) => (CONFIG_KEYS as readonly string[]).includes(key) && !SECRET_CONFIG_KEYS.includes(key);
      const inputs = Object.fromEntries(Object.entries(news).map(([key, value]) => [key, open(key) || ENGINE_KEYS.includes(key) ? value : secret(value)]));
      return new provider.CheckResponse().setInputs(toStruct(inputs)).setFailuresList(failures.map(checkFailure));
    }),
    diffConfig: unary((req: providerTypes.DiffRequest) => {
      const olds = fromStruct(req.getOlds());
      const news = fromStruct(req.getNews());
      const changed = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]));
      // New credentials or settings never replace the waits made with the old ones.
      const changes = changed.length > 0 ? provider.DiffResponse.DiffChanges.DIFF_SOME : provider.DiffResponse.DiffChanges.DIFF_NONE;
      return new provider.DiffResponse().setChanges(changes).setDiffsList(changed);
    }),
    configure: unary((req: providerTypes.ConfigureRequest) => {
      const configured = parseConfiguration(configurationOf(req));
      // A configuration key's failure names it; an env variable's is named by its property.
      const failures = configured.failures.map((f) => (f.reason.startsWith("provider config") ? f.reason : `${f.property}: ${f.reason}`));
      if (failures.length > 0) throw new RequestError(`the provider's configuration is not valid: ${failures.join("; ")}`, grpc.status.INVALID_ARGUMENT);
      lifecycle = new TaskLifecycle(configured);
      // The engine unwraps secrets for us and marks outputs named like secret inputs secret.
      return new provider.ConfigureResponse().setAcceptsecrets(false).setSupportspreview(false).setAcceptresources(false).setAcceptoutputs(false);
    }),

    check: unary(async (req: providerTypes.CheckRequest) => {
      const { inputs, failures } = await configured().check(fromStruct(req.getNews()));
      return new provider.CheckResponse().setInputs(toStruct(inputs)).setFailuresList(failures.map(checkFailure));
    }),
    diff: unary((req: providerTypes.DiffRequest) => {
      const { changes, replaces } = configured().diff(fromStruct(req.getOlds()), fromStruct(req.getNews()));
      return new provider.DiffResponse()
        .setChanges(changes ? provider.DiffResponse.DiffChanges.DIFF_SOME : provider.DiffResponse.DiffChanges.DIFF_NONE)
        .setReplacesList(replaces)
        .setDeletebeforereplace(false);
    }),
    create: unary(
      tracked(inFlight, async (req: providerTypes.CreateRequest) => {
        const inputs = fromStruct(req.getProperties());
        if (req.getPreview()) return new provider.CreateResponse().setProperties(toStruct(inputs));
        try {
          const { id, properties } = await run(req.getUrn(), req.getTimeout(), (step) => configured().create(inputs, step));
          return new provider.CreateResponse().setId(id).setProperties(toStruct(properties));
        } catch (error) {
          throw error instanceof ResourceInitError ? Object.assign(error, { inputs }) : error;
        }
      }),
    ),
    read: unary((req: providerTypes.ReadRequest) => {
      const properties = fromStruct(req.getProperties());
      if (Object.keys(properties).length === 0) {
        throw new RequestError(`a ${PACKAGE} TaskCompletion cannot be imported: declare it in the program, and the wait runs when it is created`, grpc.status.INVALID_ARGUMENT);
      }
      // The recorded state: an expired task record must never make the resource vanish.
      return new provider.ReadResponse().setId(req.getId()).setProperties(req.getProperties()).setInputs(req.getInputs());
    }),
    update: unary(
      tracked(inFlight, async (req: providerTypes.UpdateRequest) => {
        const news = fromStruct(req.getNews());
        if (req.getPreview()) return new provider.UpdateResponse().setProperties(toStruct(news));
        try {
          const properties = await run(req.getUrn(), req.getTimeout(), (step) => configured().update(fromStruct(req.getOlds()), news, step));
          return new provider.UpdateResponse().setProperties(toStruct(properties));
        } catch (error) {
          throw error instanceof ResourceInitError ? Object.assign(error, { inputs: news }) : error;
        }
      }),
    ),
    // Nothing exists in the cloud for a wait.
    delete: unary(() => new Empty()),
    cancel: unary(() => {
      cancellation.abort(new Error("the engine cancelled the deployment"));
      return new Empty();
    }),
  };

  const server = new grpc.Server();
  server.addService(ResourceProviderService, { ...unimplemented(), ...handlers } as providerRpcTypes.IResourceProviderServer);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    port,
    cancel: (reason) => cancellation.abort(new Error(reason)),
    settled: async () => {
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** Runs `handle`, answering with its result or its error as the engine reads errors. */
function unary<Req, Res>(handle: (req: Req) => Res | Promise<Res>): grpcTypes.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handle(call.request))
      .then(
        (response) => callback(null, response),
        (error: unknown) => callback(serviceError(error)),
      );
  };
}

/** Keeps each operation in `inFlight` until it answers. */
function tracked<Req, Res>(inFlight: Set<Promise<unknown>>, handle: (req: Req) => Promise<Res>): (req: Req) => Promise<Res> {
  return (req) => {
    const operation = handle(req);
    inFlight.add(operation);
    const done = () => inFlight.delete(operation);
    operation.then(done, done);
    return operation;
  };
}

/** Every other method of the service: not offered. */
function unimplemented(): Partial<providerRpcTypes.IResourceProviderServer> {
  const methods = Object.keys(ResourceProviderService) as (keyof providerRpcTypes.IResourceProviderServer)[];
  const refuse = (name: string) => (_call: unknown, callback: grpcTypes.sendUnaryData<never>) =>
    callback({ code: grpc.status.UNIMPLEMENTED, details: `${PACKAGE} does not offer ${name}` } as grpcTypes.ServiceError);
  return Object.fromEntries(methods.map((name) => [name, refuse(String(name))]));
}

/**
 * An error as the engine reads it: a wait that keeps its place carries its id, partial state and
 * reasons as ErrorResourceInitFailed in the status details (so the next `up` resumes it).
 */
function serviceError(error: unknown): Partial<grpcTypes.ServiceError> {
  const message = printable(error instanceof Error ? error.message : String(error));
  if (error instanceof ResourceInitError) {
    const detail = new provider.ErrorResourceInitFailed()
      .setId(error.id)
      .setProperties(toStruct(error.properties))
      .setReasonsList(error.reasons)
      .setInputs(toStruct((error as ResourceInitError & { inputs?: Props }).inputs ?? {}));
    const any = new Any();
    any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new Status().setCode(grpc.status.UNKNOWN).setMessage(message).setDetailsList([any]);
    const metadata = new grpc.Metadata();
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
    return { code: grpc.status.UNKNOWN, details: message, metadata };
  }
  return { code: error instanceof RequestError ? error.code : grpc.status.UNKNOWN, details: message };
}

function checkFailure(failure: { property: string; reason: string }): providerTypes.CheckFailure {
  return new provider.CheckFailure().setProperty(failure.property).setReason(failure.reason);
}

/** Configure's values: its arguments, or (from older engines) its variables `<package>:config:<key>`, objects as JSON text. */
function configurationOf(req: providerTypes.ConfigureRequest): Props {
  if (req.hasArgs()) return fromStruct(req.getArgs());
  const prefix = `${PACKAGE}:config:`;
  return Object.fromEntries([...req.getVariablesMap().entries()].filter(([key]) => key.startsWith(prefix)).map(([key, value]) => [key.slice(prefix.length), value]));
}

function fromStruct(struct: Struct | undefined): Props {
  return unwrapSecrets(struct?.toJavaScript() ?? {}) as Props;
}

/** Pulumi's Struct conversion throws on `undefined`: a JSON round trip drops it, as the engine would. */
function toStruct(value: Props): Struct {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));
}

function secret(value: unknown): unknown {
  const wrapped = typeof value === "object" && value !== null && (value as Props)[SECRET_SIG_KEY] === SECRET_SIG;
  return wrapped ? value : { [SECRET_SIG_KEY]: SECRET_SIG, value };
}

function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === "object") {
    const record = value as Props;
    if (record[SECRET_SIG_KEY] === SECRET_SIG) return unwrapSecrets(record.value);
    return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, unwrapSecrets(item)]));
  }
  return value;
}

/**
 * Progress lines to the engine's log, tied to their resource. A line that cannot be sent within
 * its deadline is dropped: it never fails or holds a wait.
 */
function engineLog(address: string | undefined): (urn: string, line: string) => Promise<void> {
  if (!address) return async () => undefined;
  let client: engineRpcTypes.EngineClient | undefined;
  return (urn, line) => {
    client ??= new EngineClient(address, grpc.credentials.createInsecure());
    const request = new engine.LogRequest().setSeverity(engine.LogSeverity.INFO).setMessage(line).setUrn(urn);
    return new Promise((resolve) => client!.log(request, new grpc.Metadata(), { deadline: Date.now() + LOG_DEADLINE_MS }, () => resolve()));
  };
}
