import type * as pulumi from "@pulumi/pulumi";
import { isDeepStrictEqual } from "node:util";
import { knownSecrets, parseStackCredentials, profileRegion, stsEndpoint, type StackCredentials } from "./credentials";
import type { Endpoint } from "./endpoint";
import { MAX_INPUT_TEXT, TaskAbortedError, TaskFailedError, TaskTimeoutError, formatDuration } from "./errors";
import { inputNamesOf, MAX_TIMEOUT_SECONDS, parseTaskInputs, type InputDefaults, type TaskSpec } from "./inputs";
import { formatProgress, isRoutine } from "./progress";
import { parseRequestsPerSecond, REQUESTS_PER_SECOND_CONFIG, REQUESTS_PER_SECOND_ENV, sharedRuntime } from "./runtime";
import type { InputFailure, TaskDetails, TaskResult } from "./task";
import { cut, printable, Secrets } from "./text";
import { runWait } from "./wait";

/** Changing only these (or the provider code) is an in-place update that does not wait again; any other input is a new task. */
export const UPDATE_ON_CHANGE = ["timeoutSeconds", "failOnTaskFailure", "__provider"];
/** What a wait adds to the inputs. */
const DETAILS: (keyof TaskDetails)[] = ["loadBalancerIds", "instanceId", "taskType", "startTime", "endTime", "progress", "operation"];
export const TASK_OUTPUTS = ["status", "rawStatus", "message", ...DETAILS, "completedAt", "attempts", "waitedSeconds"];

/** Stack config read by `configure`, in the provider process, never captured into state. */
let defaults: InputDefaults = {};
let stackCredentials: StackCredentials = {};
let stackSts: Endpoint | undefined;
/** Bad stack config. The host configures a provider once, so every Check reports it, not just the first. */
let configFailures: InputFailure[] = [];

/** Aborted on SIGINT/SIGTERM so that every running wait stops and reports where it was. */
const interruption = new AbortController();
const running = new Map<Promise<unknown>, { label: string; since: number }>();

/**
 * The TaskCompletion resource's provider. It runs in Pulumi's dynamic-provider host, loaded by
 * the small stub that the resource serializes into `__provider`.
 */
export const taskCompletionProvider: pulumi.dynamic.ResourceProvider = {
  async configure(req) {
    const get = (key: string): string | undefined => req.config.get(key) || undefined;
    const env = process.env;
    const region = get("tencentcloud:region") ?? (env.TENCENTCLOUD_REGION || undefined);
    const domain = get("tencentcloud:domain") ?? (env.TENCENTCLOUD_DOMAIN || undefined);
    const parsed = parseStackCredentials(get);
    stackCredentials = parsed.stack;
    defaults = {
      region: (profile) => region ?? profileRegion(profile ?? stackCredentials.profile, env, stackCredentials.sharedCredentialsDir),
      regionSources: "stack config tencentcloud:region, env TENCENTCLOUD_REGION, then the tccli profile's region",
      domain,
    };
    configFailures = [...parsed.failures];
    const sts = stsEndpoint(env, domain);
    if ("error" in sts) configFailures.push({ property: sts.setting, reason: sts.error });
    stackSts = "error" in sts ? undefined : sts;
    try {
      const budget =
        parseRequestsPerSecond(get(REQUESTS_PER_SECOND_CONFIG), `stack config ${REQUESTS_PER_SECOND_CONFIG}`) ??
        parseRequestsPerSecond(env[REQUESTS_PER_SECOND_ENV], `env ${REQUESTS_PER_SECOND_ENV}`);
      sharedRuntime().requestsPerSecond = budget;
    } catch (error) {
      configFailures.push({ property: REQUESTS_PER_SECOND_CONFIG, reason: (error as Error).message });
    }
    stopWaitsOnSignals();
  },

  /** Never throws: whatever the engine passes, problems come back as failures naming the property. */
  async check(_olds, news) {
    return checkTask(news, defaults, stackCredentials, configFailures);
  },

  async diff(_id, olds, news) {
    return diffTask(olds, news);
  },

  async create(inputs) {
    const spec = specOf(inputs);
    const result = await wait(spec, inputs, { attempts: 0, waitedSeconds: 0 });
    return { id: spec.query.id, outs: outputs(inputs, result) };
  },

  /** Resumes a wait left unfinished by a timeout or an interruption; otherwise keeps the outputs. */
  async update(_id, olds, news) {
    const spec = specOf(news);
    return { outs: await updateTask(olds, news, spec, (previous) => wait(spec, news, previous)) };
  },

  /** The recorded state: an expired task record must never make the resource vanish. */
  async read(id, props) {
    return { id, props };
  },

  /** Nothing exists in the cloud for a wait. */
  async delete() {},
};

/** Check's answer: the checked inputs, and every failure of the configuration and of the inputs, scrubbed and cut. Never throws. */
export function checkTask(news: unknown, inputDefaults: InputDefaults, stack: StackCredentials, failuresOfConfig: readonly InputFailure[]): { inputs: Record<string, unknown>; failures: InputFailure[] } {
  const { inputs, failures } = parseTaskInputs(news, inputDefaults);
  const secrets = Secrets.from(knownSecrets({ stack }));
  const all = [...failuresOfConfig, ...failures].map((f) => ({ property: printable(cut(secrets.scrub(f.property), MAX_INPUT_TEXT)), reason: printable(cut(secrets.scrub(f.reason), MAX_INPUT_TEXT)) }));
  return { inputs, failures: all };
}

/** Diff's answer for recorded state `olds` and checked inputs `news`: a new task is a replacement; an unfinished wait is an update that resumes it. */
export function diffTask(olds: Record<string, unknown>, news: Record<string, unknown>): { changes: boolean; replaces: string[]; deleteBeforeReplace: false } {
  const differs = (key: string) => !isDeepStrictEqual(olds[key] ?? null, news[key] ?? null);
  const inputs = new Set([...inputNamesOf(olds.service), ...inputNamesOf(news.service)]);
  const replaces = [...inputs].filter((key) => !UPDATE_ON_CHANGE.includes(key) && differs(key));
  const changes = replaces.length > 0 || UPDATE_ON_CHANGE.some(differs) || !isFinished(olds);
  return { changes, replaces, deleteBeforeReplace: false };
}

/** Update's outputs: a wait left unfinished is resumed (`resume` runs it, counting on from `previous`); a finished one keeps its outputs. */
export async function updateTask(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  spec: TaskSpec,
  resume: (previous: Progress) => Promise<TaskResult>,
): Promise<Record<string, unknown>> {
  if (!isFinished(olds)) {
    const previous = { attempts: Number(olds.attempts) || 0, waitedSeconds: Number(olds.waitedSeconds) || 0 };
    return outputs(news, await resume(previous), previous);
  }
  if (olds.status === "failed" && news.failOnTaskFailure) {
    const reason = typeof olds.message === "string" ? `: ${olds.message}` : "";
    throw new Error(
      printable(
        `${spec.query.label} is recorded as failed${reason}, and failOnTaskFailure is now true. ` +
          "Wait on a new task (change taskId or triggers), or set failOnTaskFailure: false.",
      ),
    );
  }
  return { ...news, ...pick(olds, TASK_OUTPUTS) };
}

/** The spec of inputs the engine has checked (recorded outputs beside them are left out); anything else is a defect worth a loud error. */
export function specOf(props: Record<string, unknown>, inputDefaults: InputDefaults = defaults): TaskSpec {
  const inputs = Object.fromEntries(inputNamesOf(props.service).filter((key) => Object.hasOwn(props, key)).map((key) => [key, props[key]]));
  const { spec, failures } = parseTaskInputs(inputs, inputDefaults);
  if (!spec) throw new Error(printable(`inputs that passed Check no longer parse: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`));
  return spec;
}

/** Attempts and time a wait has spent so far, over every try at creating the resource. */
export type Progress = { attempts: number; waitedSeconds: number };

/** Runs a wait; a timeout or interruption becomes a partial-success error that the next `up` resumes. */
async function wait(spec: TaskSpec, inputs: Record<string, unknown>, previous: Progress): Promise<TaskResult> {
  // Log lines travel on their own; the last one is awaited so that it shows before the step ends.
  // A log line that cannot be sent is lost; it never fails the wait.
  let logged = Promise.resolve();
  const promise = runWait(spec, {
    credentials: { stack: stackCredentials, identity: spec.identity, sts: stackSts },
    signal: interruption.signal,
    onProgress: (event) => {
      if (!isRoutine(event)) logged = pulumiLog().info(formatProgress(event)).catch(() => undefined);
    },
  });
  running.set(promise, { label: spec.query.label, since: Date.now() });
  try {
    return await promise;
  } catch (error) {
    throw waitFailure(error, spec, inputs, previous);
  } finally {
    running.delete(promise);
    await logged;
  }
}

/**
 * What a wait's error becomes for the engine: a timeout or interruption keeps its place as a
 * partial-success error that the next `up` resumes; a failed task says what to do next.
 * `raise` tells how to wait longer.
 */
export function waitFailure(
  error: unknown,
  spec: TaskSpec,
  inputs: Record<string, unknown>,
  previous: Progress,
  raise = `Raise timeoutSeconds (now ${spec.timeoutSeconds}, at most ${MAX_TIMEOUT_SECONDS}) to wait longer.`,
): unknown {
  if (error instanceof TaskTimeoutError || error instanceof TaskAbortedError) {
    const partial = {
      ...inputs,
      status: "pending",
      ...(error.last ? { rawStatus: error.last.rawStatus } : {}),
      ...sum(previous, error),
    };
    const hint = error instanceof TaskTimeoutError ? ` ${raise}` : "";
    const resume = " The resource is recorded as not yet initialized; the next `pulumi up` resumes this wait.";
    return new ResourceInitError(`${error.message}${hint}${resume}`, spec.query.id, partial);
  }
  if (error instanceof TaskFailedError) {
    return new Error(
      `${error.message} Fix the cause and wait on a new task (a new taskId, or new triggers); set failOnTaskFailure: false to record failures without failing the deployment.`,
      { cause: error },
    );
  }
  return error;
}

/** Pulumi's log, loaded when first used: the provider plugin runs this module's lifecycle without loading all of @pulumi/pulumi. */
function pulumiLog(): typeof pulumi.log {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("@pulumi/pulumi") as typeof pulumi).log;
}

/** The host turns an error carrying id, properties and reasons into ErrorResourceInitFailed. */
export class ResourceInitError extends Error {
  readonly reasons: string[];
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Record<string, unknown>,
  ) {
    super(message);
    this.reasons = [message];
  }
}

export function outputs(inputs: Record<string, unknown>, result: TaskResult, previous: Progress = { attempts: 0, waitedSeconds: 0 }): Record<string, unknown> {
  return { ...inputs, ...pick(result, TASK_OUTPUTS), ...sum(previous, result) };
}

/** The defined values of `keys`: Pulumi's wire format cannot carry undefined. */
function pick(from: object, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(from).filter(([key, value]) => keys.includes(key) && value !== undefined));
}

/** Attempts and time over every try at creating the resource (a timed-out create, then updates). */
function sum(previous: Progress, latest: Progress): Progress {
  return { attempts: previous.attempts + latest.attempts, waitedSeconds: Math.round((previous.waitedSeconds + latest.waitedSeconds) * 1000) / 1000 };
}

function isFinished(props: Record<string, unknown>): boolean {
  return props.status === "succeeded" || props.status === "failed";
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
