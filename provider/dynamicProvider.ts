import * as pulumi from "@pulumi/pulumi";
import { isDeepStrictEqual } from "node:util";
import type { StackCredentials } from "./credentials";
import { TaskAbortedError, TaskFailedError, TaskTimeoutError, formatDuration } from "./errors";
import { MAX_TIMEOUT_SECONDS, checkTaskInputs, toTaskSpec, type InputDefaults, type TaskSpec } from "./inputs";
import { formatProgress, isRoutine } from "./progress";
import { describeTask, type TaskResult } from "./task";
import { requestsPerSecondFrom, runWait, setRequestsPerSecond } from "./waiter";

/** Changing any of these means waiting on another task: a replacement. */
const REPLACE_ON_CHANGE = ["service", "taskId", "dealName", "region", "endpoint", "triggers"];
/** Changing only these (or the provider code) is an in-place update that does not wait again. */
const UPDATE_ON_CHANGE = ["timeoutSeconds", "failOnTaskFailure", "__provider"];
/** What a wait adds to the inputs. */
const TASK_OUTPUTS = ["status", "rawStatus", "message", "loadBalancerIds", "instanceId", "taskType", "startTime", "completedAt", "attempts", "waitedSeconds"] as const;

/** Stack config read by `configure`, in the provider process, never captured into state. */
let defaults: InputDefaults = {};
let stackCredentials: StackCredentials = {};
/** Bad stack config. The host configures a provider once, so every Check reports it, not just the first. */
let configError: Error | undefined;

/** Aborted on SIGINT/SIGTERM so that every running wait stops and reports where it was. */
const interruption = new AbortController();
const running = new Map<Promise<unknown>, { spec: TaskSpec; since: number }>();

/**
 * The TaskCompletion resource's provider. It runs in Pulumi's dynamic-provider host, loaded by
 * the small stub that the resource serializes into `__provider`.
 */
export const taskCompletionProvider: pulumi.dynamic.ResourceProvider = {
  async configure(req) {
    const get = (key: string): string | undefined => req.config.get(key) || undefined;
    defaults = { region: get("tencentcloud:region") ?? (process.env.TENCENTCLOUD_REGION || undefined), domain: get("tencentcloud:domain") };
    stackCredentials = { secretId: get("tencentcloud:secretId"), secretKey: get("tencentcloud:secretKey"), securityToken: get("tencentcloud:securityToken") };
    const budgetKey = "tencentcloud-task-completion:requestsPerSecond";
    try {
      const budget = requestsPerSecondFrom(get(budgetKey), `stack config ${budgetKey}`);
      if (budget !== undefined) setRequestsPerSecond(budget);
    } catch (error) {
      configError = error as Error;
    }
    stopWaitsOnSignals();
  },

  async check(_olds, news) {
    if (configError) throw configError;
    return checkTaskInputs(news, defaults);
  },

  async diff(_id, olds, news) {
    const differs = (key: string) => !isDeepStrictEqual(olds[key] ?? null, news[key] ?? null);
    const replaces = REPLACE_ON_CHANGE.filter(differs);
    const changes = replaces.length > 0 || UPDATE_ON_CHANGE.some(differs) || !isFinished(olds);
    return { changes, replaces, deleteBeforeReplace: false };
  },

  async create(inputs) {
    const spec = toTaskSpec(inputs);
    const id = resourceId(spec);
    const result = await wait(id, inputs, { attempts: 0, waitedSeconds: 0 });
    return { id, outs: outputs(inputs, result) };
  },

  /** Resumes a wait left unfinished by a timeout or an interruption; otherwise keeps the outputs. */
  async update(id, olds, news) {
    if (!isFinished(olds)) {
      const previous = { attempts: Number(olds.attempts) || 0, waitedSeconds: Number(olds.waitedSeconds) || 0 };
      return { outs: outputs(news, await wait(id, news, previous), previous) };
    }
    if (olds.status === "failed" && news.failOnTaskFailure) {
      throw new Error(
        `${describeTask(toTaskSpec(news))} is recorded as failed${olds.message ? `: ${olds.message}` : ""}, and failOnTaskFailure is now true. ` +
          "Wait on a new task (change taskId or triggers), or set failOnTaskFailure: false.",
      );
    }
    return { outs: { ...news, ...pick(olds, TASK_OUTPUTS) } };
  },

  /** The recorded state: an expired task record must never make the resource vanish. */
  async read(id, props) {
    return { id, props };
  },

  /** Nothing exists in the cloud for a wait. */
  async delete() {},
};

type Progress = { attempts: number; waitedSeconds: number };

/** Runs a wait; a timeout or interruption becomes a partial-success error that the next `up` resumes. */
async function wait(id: string, inputs: Record<string, unknown>, previous: Progress): Promise<TaskResult> {
  const spec = toTaskSpec(inputs);
  // Log lines travel on their own; the last one is awaited so that it shows before the step ends.
  let logged = Promise.resolve();
  const promise = runWait(spec, {
    stackCredentials,
    signal: interruption.signal,
    onProgress: (event) => {
      if (!isRoutine(event)) logged = pulumi.log.info(formatProgress(event));
    },
  });
  running.set(promise, { spec, since: Date.now() });
  try {
    return await promise;
  } catch (error) {
    if (error instanceof TaskTimeoutError || error instanceof TaskAbortedError) {
      const partial = {
        ...inputs,
        status: "pending",
        ...(error.last ? { rawStatus: error.last.rawStatus } : {}),
        ...sum(previous, error),
      };
      const raise = error instanceof TaskTimeoutError ? ` Raise timeoutSeconds (now ${spec.timeoutSeconds}, at most ${MAX_TIMEOUT_SECONDS}) to wait longer.` : "";
      const resume = " The resource is recorded as not yet initialized; the next `pulumi up` resumes this wait.";
      throw new ResourceInitError(`${error.message}${raise}${resume}`, id, partial);
    }
    if (error instanceof TaskFailedError) {
      error.message +=
        " Fix the cause and wait on a new task (a new taskId, or new triggers); set failOnTaskFailure: false to record failures without failing the deployment.";
    }
    throw error;
  } finally {
    running.delete(promise);
    await logged;
  }
}

/** The host turns an error carrying id, properties and reasons into ErrorResourceInitFailed. */
class ResourceInitError extends Error {
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

function outputs(inputs: Record<string, unknown>, result: TaskResult, previous: Progress = { attempts: 0, waitedSeconds: 0 }): Record<string, unknown> {
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

function resourceId(spec: TaskSpec): string {
  return [spec.service, spec.region, spec.taskId ?? spec.dealName].filter((part) => part !== undefined).join("/");
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
        const lines = pending.map(({ spec, since }) => `  ${describeTask(spec)}, waited ${formatDuration((Date.now() - since) / 1000)}`);
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
