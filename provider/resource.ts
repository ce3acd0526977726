import { isDeepStrictEqual } from "node:util";
import { credentialSettings, knownSecrets } from "./credentials";
import { MAX_INPUT_TEXT, TaskAbortedError, TaskFailedError, TaskTimeoutError } from "./errors";
import { inputNamesOf, MAX_TIMEOUT_SECONDS, parseTaskInputsWith, type TaskSpec } from "./inputs";
import type { ProgressEvent } from "./progress";
import { sharedRuntime } from "./runtime";
import { DETAIL_KEYS } from "./services";
import type { Settings } from "./settings";
import type { InputFailure, TaskResult } from "./task";
import { cut, printable, Secrets } from "./text";
import { runOptions, runWait } from "./wait";

/**
 * The TaskCompletion resource's steps, whichever edge serves them: the dynamic provider
 * (dynamicProvider.ts) and the provider plugin. Each edge parses its configuration into
 * `Settings` once and passes it here with the properties the engine sent.
 */

/** Changing only these (or the dynamic provider's code) is an in-place update that does not wait again; any other input is a new task. */
export const UPDATE_ON_CHANGE = ["timeoutSeconds", "failOnTaskFailure", "__provider"];
/** What a wait adds to the inputs. */
export const TASK_OUTPUTS = ["status", "rawStatus", "message", ...DETAIL_KEYS, "completedAt", "attempts", "waitedSeconds"];

/** An edge's settings, and what was wrong with its configuration (reported by every Check). */
export interface Configured {
  settings: Settings;
  failures: InputFailure[];
}

/** Check: the inputs as the resource records them (defaults applied), and every problem; never throws. */
export async function checkResource(news: Record<string, unknown>, { settings, failures: settingFailures }: Configured): Promise<{ inputs: Record<string, unknown>; failures: InputFailure[] }> {
  const { inputs, failures } = await parseTaskInputsWith(news, settings);
  const secrets = Secrets.from(knownSecrets(credentialSettings(settings)));
  const shown = (text: string) => printable(cut(secrets.scrub(text), MAX_INPUT_TEXT));
  return { inputs, failures: [...settingFailures, ...failures].map((f) => ({ property: shown(f.property), reason: shown(f.reason) })) };
}

/** Diff: which inputs force a new wait (a replacement), and whether anything changed at all. */
export function diffResource(olds: Record<string, unknown>, news: Record<string, unknown>): { changes: boolean; replaces: string[]; deleteBeforeReplace: false } {
  const differs = (key: string) => !isDeepStrictEqual(olds[key] ?? null, news[key] ?? null);
  const inputs = new Set([...inputNamesOf(olds.service), ...inputNamesOf(news.service)]);
  const replaces = [...inputs].filter((key) => !UPDATE_ON_CHANGE.includes(key) && differs(key));
  const changes = replaces.length > 0 || UPDATE_ON_CHANGE.some(differs) || !isFinished(olds);
  return { changes, replaces, deleteBeforeReplace: false };
}

/** How an edge runs a step's wait. */
export interface StepOptions {
  /** Aborted when the edge is cancelled or interrupted: the wait stops and keeps its place. */
  signal: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /** The engine's own limit for the step (a provider plugin's `customTimeouts`), if any: the smaller of it and `timeoutSeconds` applies. */
  timeoutSeconds?: number;
  /** Called with the running wait, for an edge that reports what is pending on interruption. */
  onStart?: (label: string, running: Promise<unknown>) => void;
}

/** Create: waits until the task ends; a timeout or interruption is a ResourceInitError that the next `up` resumes. */
export async function createResource(inputs: Record<string, unknown>, configured: Configured, options: StepOptions): Promise<{ id: string; outs: Record<string, unknown> }> {
  const spec = await specOf(inputs, configured.settings, options.timeoutSeconds);
  const result = await waitOrKeepPlace(spec, inputs, configured.settings, options, NO_PROGRESS);
  return { id: spec.query.id, outs: outputs(inputs, result) };
}

/** Update: resumes a wait left unfinished by a timeout or an interruption; otherwise keeps the outputs. */
export async function updateResource(olds: Record<string, unknown>, news: Record<string, unknown>, configured: Configured, options: StepOptions): Promise<{ outs: Record<string, unknown> }> {
  const spec = await specOf(news, configured.settings, options.timeoutSeconds);
  if (!isFinished(olds)) {
    const previous = { attempts: Number(olds.attempts) || 0, waitedSeconds: Number(olds.waitedSeconds) || 0 };
    return { outs: outputs(news, await waitOrKeepPlace(spec, news, configured.settings, options, previous), previous) };
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
  return { outs: { ...news, ...pick(olds, TASK_OUTPUTS) } };
}

/**
 * A create that did not finish: the engine records the resource as created but not initialized,
 * with these properties, and the next `pulumi up` calls Update on it to resume the wait.
 */
export class ResourceInitError extends Error {
  readonly reasons: string[];
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Record<string, unknown>,
  ) {
    super(message);
    this.name = "ResourceInitError";
    this.reasons = [message];
  }
}

/** The spec of inputs the engine has checked (recorded outputs beside them are left out); anything else is a defect worth a loud error. */
async function specOf(props: Record<string, unknown>, settings: Settings, engineTimeoutSeconds: number | undefined): Promise<TaskSpec> {
  const inputs = Object.fromEntries(inputNamesOf(props.service).filter((key) => Object.hasOwn(props, key)).map((key) => [key, props[key]]));
  const { spec, failures } = await parseTaskInputsWith(inputs, settings);
  if (!spec) throw new Error(printable(`inputs that passed Check no longer parse: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`));
  if (engineTimeoutSeconds !== undefined && engineTimeoutSeconds > 0 && engineTimeoutSeconds < spec.timeoutSeconds) return { ...spec, timeoutSeconds: engineTimeoutSeconds };
  return spec;
}

type Progress = { attempts: number; waitedSeconds: number };
const NO_PROGRESS: Progress = { attempts: 0, waitedSeconds: 0 };

/** Runs a wait; a timeout or interruption becomes a ResourceInitError carrying the partial state. */
async function waitOrKeepPlace(spec: TaskSpec, inputs: Record<string, unknown>, settings: Settings, options: StepOptions, previous: Progress): Promise<TaskResult> {
  const running = runWait(spec, runOptions(settings, spec, { signal: options.signal, onProgress: options.onProgress }), sharedRuntime(settings.coordination));
  options.onStart?.(spec.query.label, running);
  try {
    return await running;
  } catch (error) {
    if (error instanceof TaskTimeoutError || error instanceof TaskAbortedError) {
      const partial = { ...inputs, status: "pending", ...(error.last ? { rawStatus: error.last.rawStatus } : {}), ...sum(previous, error) };
      // The engine's limit (customTimeouts) ended the wait when it was below the input's.
      const engineLimit = spec.timeoutSeconds < Number(inputs.timeoutSeconds);
      const raise = !(error instanceof TaskTimeoutError)
        ? ""
        : engineLimit
          ? ` Raise the resource's customTimeouts (now ${spec.timeoutSeconds}s; timeoutSeconds is ${inputs.timeoutSeconds}) to wait longer: the smaller of the two applies.`
          : ` Raise timeoutSeconds (now ${spec.timeoutSeconds}, at most ${MAX_TIMEOUT_SECONDS}) to wait longer.`;
      const resume = " The resource is recorded as not yet initialized; the next `pulumi up` resumes this wait.";
      throw new ResourceInitError(`${error.message}${raise}${resume}`, spec.query.id, partial);
    }
    if (error instanceof TaskFailedError) {
      throw new Error(
        `${error.message} Fix the cause and wait on a new task (a new taskId, or new triggers); set failOnTaskFailure: false to record failures without failing the deployment.`,
        { cause: error },
      );
    }
    throw error;
  }
}

function outputs(inputs: Record<string, unknown>, result: TaskResult, previous: Progress = NO_PROGRESS): Record<string, unknown> {
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
