import { once } from "node:events";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { EmulatorControl } from "./control";
import { FaultStore } from "./faults";
import { RateLimiter, type RateLimitOption } from "./rateLimit";
import { describeRange, inRange, LIMITS } from "./limits";
import { RequestLog } from "./requestLog";
import { ScriptStore } from "./scripts";
import { createEmulatorServer } from "./server";
import type { Credential } from "./signature";
import { Stats } from "./stats";
import { Sts, type RoleSpec } from "./sts";
import { TaskStore, type EmulatorClock, type TaskDefaults } from "./tasks";

export { EmulatorControl } from "./control";
export { signTc3, type Credential, type Tc3Input, type Tc3Signature } from "./signature";
export type { FaultKind, FaultSpec, FaultView } from "./faults";
export { LIMITS, MAX_API_BODY_BYTES, MAX_CONTROL_BODY_BYTES, type Range } from "./limits";
export type { ScriptSpec, ScriptView } from "./scripts";
export { SERVICE_NAMES, type EmulatedService, type EmulatedTaskId } from "./services";
export type { RateLimitOption } from "./rateLimit";
export type { LoggedRequest } from "./requestLog";
export { DEFAULT_ACCOUNT, type RoleSpec, type SessionView } from "./sts";
export type { ActionStats, RequestOutcome, StatsSnapshot } from "./stats";
export type {
  EmulatedPhase,
  EmulatedPhaseSpec,
  EmulatedStatus,
  EmulatedTaskDetails,
  EmulatedTaskSpec,
  EmulatedTaskView,
  EmulatorClock,
  TaskDefaults,
  TaskOutcome,
} from "./tasks";

/** The credential the emulator accepts unless told otherwise. Obviously fake, never valid on Tencent Cloud. */
export const DEFAULT_CREDENTIAL: Readonly<Credential> = {
  secretId: "AKIDEMULATOR000000000000000000000000",
  secretKey: "emulator-secret-key-not-a-secret",
};

export interface EmulatorOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** The credentials to accept; default `[DEFAULT_CREDENTIAL]`. */
  credentials?: Credential[];
  /** Accepted requests per sliding second per action and SecretId; default 20. */
  rateLimit?: RateLimitOption;
  /** Drives task timelines only; default real time. */
  clock?: EmulatorClock;
  /** For tasks started by the API's mutating actions (CreateListener, ...); default 3000 ms, succeeded. */
  taskDefaults?: TaskDefaults;
  /** Roles callers may assume with STS AssumeRole; more can be added through the control API. */
  roles?: RoleSpec[];
}

export interface RunningEmulator extends EmulatorControl {
  /** `http://HOST:PORT`, the endpoint is `HOST:PORT`. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and drops open connections, keep-alive and stalled ones included. */
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  checkOptions(options);
  const newTaskStore = () =>
    new TaskStore(options.clock ?? { now: () => Date.now() }, {
      durationMs: options.taskDefaults?.durationMs ?? 3000,
      outcome: options.taskDefaults?.outcome ?? "succeeded",
      message: options.taskDefaults?.message,
    });
  const server = createEmulatorServer({
    credentials: options.credentials ?? [DEFAULT_CREDENTIAL],
    tasks: newTaskStore(),
    sts: new Sts(newTaskStore, options.roles),
    faults: new FaultStore(),
    scripts: new ScriptStore(),
    limiter: new RateLimiter(options.rateLimit),
    stats: new Stats(),
    requests: new RequestLog(),
  });
  server.listen(options.port ?? 0, options.host ?? "127.0.0.1");
  await once(server, "listening");
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  return new LocalEmulator(`http://${host}:${port}`, port, server);
}

/** The numbers of the options, against the documented ranges of `LIMITS`. */
function checkOptions({ port, rateLimit, taskDefaults }: EmulatorOptions): void {
  const rates = typeof rateLimit === "object" ? { ...rateLimit.actions, default: rateLimit.default } : { rateLimit };
  const checks: [string, unknown, (typeof LIMITS)[keyof typeof LIMITS]][] = [
    ["port", port, LIMITS.port],
    ["taskDefaults.durationMs", taskDefaults?.durationMs, LIMITS.taskDurationMs],
    ...Object.entries(rates).map(([name, value]): [string, unknown, (typeof LIMITS)["rateLimit"]] => [`rateLimit ${name}`, value, LIMITS.rateLimit]),
  ];
  for (const [name, value, range] of checks) {
    if (value !== undefined && !inRange(value, range)) throw new RangeError(`${name} must be ${describeRange(range)}, not ${String(value)}`);
  }
}

class LocalEmulator extends EmulatorControl implements RunningEmulator {
  constructor(
    url: string,
    readonly port: number,
    private readonly server: Server,
  ) {
    super(url);
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }
}
