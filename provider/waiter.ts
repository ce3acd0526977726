import * as http from "node:http";
import type { AbstractClient } from "tencentcloud-sdk-nodejs/tencentcloud/common/abstract_client";
import { linkSignals, systemClock, type Clock } from "./clock";
import { resolveCredentials, MissingCredentialsError, type CredentialSource, type ResolvedCredentials, type StackCredentials } from "./credentials";
import { TaskApiError, TaskFailedError, TaskInputError, redact } from "./errors";
import { checkTaskInputs, parseEndpoint, toTaskSpec, type Endpoint, type TaskInputs, type TaskSpec } from "./inputs";
import { pollUntilDone } from "./poller";
import type { ProgressEvent } from "./progress";
import { adapters, UnexpectedAnswerError, type ServiceAdapter } from "./services";
import { SharedCalls } from "./sharedCalls";
import type { TaskObservation, TaskResult } from "./task";
import { DEFAULT_REQUESTS_PER_SECOND, Throttle } from "./throttle";

export interface WaitOptions extends TaskInputs {
  /** Default: stack config (in the provider), env TENCENTCLOUD_SECRET_ID / _KEY, profile file, instance role. */
  credentials?: CredentialSource;
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
}

/** The process-wide pieces a wait runs on; tests and the benchmark replace them. */
export interface WaitRuntime {
  clock: Clock;
  throttle: Throttle;
  sharedCalls: SharedCalls<TaskObservation>;
  /** A status call that has not answered after this long is abandoned and retried. */
  requestTimeoutMs: number;
}

/** How one wait is run, beyond its inputs. */
export interface RunOptions extends Pick<WaitOptions, "credentials" | "signal" | "onProgress"> {
  /** Stack config credentials, consulted after `credentials` (the provider passes them). */
  stackCredentials?: StackCredentials;
}

/** Far below the SDK's 60 s: a stalled connection costs one retry, not a minute. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** Environment variable overriding the throttle's budget (requests per second per action). */
export const REQUESTS_PER_SECOND_ENV = "TENCENTCLOUD_TASK_REQUESTS_PER_SECOND";

let processRuntime: WaitRuntime | undefined;

/** One throttle and one call-sharing table for every wait in this process. */
export function sharedRuntime(): WaitRuntime {
  processRuntime ??= {
    clock: systemClock,
    throttle: new Throttle({ requestsPerSecond: requestsPerSecondFrom(process.env[REQUESTS_PER_SECOND_ENV], `env ${REQUESTS_PER_SECOND_ENV}`) ?? DEFAULT_REQUESTS_PER_SECOND }),
    sharedCalls: new SharedCalls<TaskObservation>(),
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
  };
  return processRuntime;
}

/** Replaces the process's budget (stack config takes precedence over the environment). */
export function setRequestsPerSecond(requestsPerSecond: number): void {
  sharedRuntime().throttle = new Throttle({ requestsPerSecond });
}

/** Parses a budget setting; undefined when unset, an error naming the setting when malformed. */
export function requestsPerSecondFrom(value: string | undefined, setting: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 1 || n > 20) {
    throw new Error(`${setting}: expected requests per second from 1 to 20 (the API allows 20), got ${JSON.stringify(value)}`);
  }
  return n;
}

/**
 * Waits until a CLB or Redis task finishes: the engine behind the TaskCompletion resource,
 * usable without Pulumi. Resolves with the result; rejects with TaskInputError (bad options,
 * nothing sent), TaskFailedError, TaskTimeoutError, TaskApiError or TaskAbortedError.
 */
export async function waitForTask(options: WaitOptions): Promise<TaskResult> {
  const { credentials, signal, onProgress, ...raw } = options;
  const { inputs, failures } = checkTaskInputs(raw as Record<string, unknown>, { region: process.env.TENCENTCLOUD_REGION });
  if (failures.length > 0) throw new TaskInputError(failures);
  return runWait(toTaskSpec(inputs), { credentials, signal, onProgress });
}

/** Runs one wait for validated inputs. */
export async function runWait(
  spec: TaskSpec,
  options: RunOptions,
  runtime: WaitRuntime = sharedRuntime(),
): Promise<TaskResult> {
  const adapter = adapters[spec.service];
  const started = runtime.clock.now();
  let credentials: ResolvedCredentials;
  try {
    credentials = await resolveCredentials({ explicit: options.credentials, stack: options.stackCredentials });
  } catch (error) {
    if (!(error instanceof MissingCredentialsError)) throw error;
    throw new TaskApiError(error.message, error.code, { task: spec, attempts: 0, waitedSeconds: 0 });
  }
  const endpoint = endpointFor(adapter, spec);
  const client = adapter.newClient({
    credential: credentials.source,
    region: spec.region,
    profile: { httpProfile: { endpoint: endpoint.host, protocol: endpoint.protocol, reqTimeout: Math.ceil(runtime.requestTimeoutMs / 1000), agent: endpoint.loopback ? loopbackAgent : undefined } },
  });
  const clean = (text: string) => redact(text, credentials.secrets);
  const budgetKey = [adapter.action, endpoint.host, spec.region ?? "", credentials.secretId].join("|");
  const taskKey = `${budgetKey}|${spec.taskId ?? `deal:${spec.dealName}`}`;

  const waiter = {};
  const describe = async (signal: AbortSignal): Promise<TaskObservation> => {
    try {
      const observation = await runtime.sharedCalls.run(taskKey, waiter, signal, (shared) =>
        runtime.throttle.run(budgetKey, shared, () => callStatus(adapter, client, spec, shared, runtime.requestTimeoutMs)),
      );
      return observation.message ? { ...observation, message: clean(observation.message) } : observation;
    } catch (error) {
      if (error instanceof Error) error.message = clean(error.message);
      throw error;
    }
  };

  options.onProgress?.({ kind: "started", task: spec, timeoutSeconds: spec.timeoutSeconds });
  let outcome;
  try {
    outcome = await pollUntilDone({
      task: spec,
      describe,
      timeoutSeconds: spec.timeoutSeconds,
      signal: options.signal,
      onProgress: options.onProgress,
      clock: runtime.clock,
    });
  } catch (error) {
    if (error instanceof TaskApiError && error.code?.startsWith("AuthFailure")) {
      error.message += ` Credentials came from ${credentials.origin}.`;
    }
    throw error;
  }
  const { observation } = outcome;
  const result: TaskResult = compact({
    service: spec.service,
    taskId: spec.taskId,
    dealName: spec.dealName,
    region: spec.region,
    status: observation.state === "succeeded" ? "succeeded" : "failed",
    rawStatus: observation.rawStatus,
    message: observation.message,
    loadBalancerIds: observation.loadBalancerIds,
    instanceId: observation.instanceId,
    taskType: observation.taskType,
    startTime: observation.startTime,
    completedAt: runtime.clock.date().toISOString(),
    attempts: outcome.attempts,
    waitedSeconds: Math.round(runtime.clock.now() - started) / 1000,
    requestId: outcome.requestId,
  });
  options.onProgress?.({ kind: "finished", task: spec, result });
  if (result.status === "failed" && spec.failOnTaskFailure) throw new TaskFailedError(result);
  return result;
}

/** One status call with its own timeout. */
async function callStatus(adapter: ServiceAdapter, client: AbstractClient, spec: TaskSpec, signal: AbortSignal, timeoutMs: number): Promise<TaskObservation> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const linked = linkSignals(signal, timeout);
  try {
    const response: unknown = await client.request(adapter.action, adapter.toRequest(spec), { signal: linked.signal });
    if (typeof response !== "object" || response === null) {
      throw new UnexpectedAnswerError(adapter.action, `a Response that is not an object: ${String(response).slice(0, 80)}`);
    }
    return adapter.normalize(response);
  } catch (error) {
    if (timeout.aborted && !signal.aborted) throw new Error(`no answer within ${timeoutMs / 1000}s`, { cause: error });
    throw error;
  } finally {
    linked.dispose();
  }
}

/** The SDK sends every request through `http_proxy` unless given an agent: keep loopback local. */
const loopbackAgent = new http.Agent({ keepAlive: true });

function endpointFor(adapter: ServiceAdapter, spec: Pick<TaskSpec, "endpoint" | "region">): Endpoint {
  if (spec.endpoint) {
    const parsed = parseEndpoint(spec.endpoint);
    if ("error" in parsed) throw new TaskInputError([{ property: "endpoint", reason: parsed.error }]);
    return parsed;
  }
  const host = spec.region?.endsWith("-fsi") ? `${adapter.service}.${spec.region}.tencentcloudapi.com` : adapter.host;
  return { protocol: "https://", host, loopback: false };
}

/** Drops undefined fields: Pulumi's wire format cannot carry them. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
