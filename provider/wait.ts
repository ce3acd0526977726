import { CredentialProblem } from "./callFailures";
import { linkSignals, raceSignal } from "./clock";
import { credentialSettings, knownSecrets, resolveIdentity, type CredentialSettings, type CredentialSource, type Identity } from "./credentials";
import { Deadline } from "./deadline";
import { abortReason, describeThrown, TaskAbortedError, TaskCallbackError, TaskCredentialError, TaskFailedError, TaskInputError, TaskTimeoutError, type TaskErrorContext } from "./errors";
import { parseTaskInputsWith, readInputs, type TaskInputs, type TaskSpec } from "./inputs";
import { pollUntilDone } from "./poller";
import { ProgressChannel, type ProgressEvent } from "./progress";
import { taskResult } from "./result";
import { sharedRuntime, type WaitRuntime } from "./runtime";
import { NO_CONFIGURATION, parseSettings, type Settings } from "./settings";
import { statusCalls } from "./statusCalls";
import type { InputFailure, TaskRef, TaskResult } from "./task";
import { cut, Secrets } from "./text";

/** `waitForTask`'s options: the resource's inputs, plus what only a program can give. */
export type WaitOptions = TaskInputs & {
  /** Default: env TENCENTCLOUD_SECRET_ID / _KEY, the tccli profile, the SDK's profile file, the CVM role, TKE OIDC (docs/credentials.md). */
  credentials?: CredentialSource;
  /** Aborting it ends the wait at once with TaskAbortedError. */
  signal?: AbortSignal;
  /** Called for every status answer and retry; a callback that throws ends the wait with TaskCallbackError. */
  onProgress?: (event: ProgressEvent) => void;
};

/** How one wait is run, beyond its checked inputs: who it acts as and how it reports, from its edge's settings. */
export interface RunOptions {
  credentials: CredentialSettings;
  /** The budget setting (default: 85 % of each action's documented limit). */
  requestsPerSecond?: number;
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
}

/** The run options of a wait on `settings` (the edge's), acting as `spec.identity` says. */
export function runOptions(settings: Settings, spec: TaskSpec, extra: Pick<RunOptions, "signal" | "onProgress"> & { credentials?: CredentialSource } = {}): RunOptions {
  const { credentials, ...rest } = extra;
  return { credentials: credentialSettings(settings, spec.identity, credentials), requestsPerSecond: settings.requestsPerSecond, ...rest };
}

/**
 * Waits until a Tencent Cloud task finishes: the engine behind the TaskCompletion resource,
 * usable without Pulumi. Resolves with the result; rejects only with its own errors:
 * TaskInputError (bad options, nothing sent), TaskFailedError, TaskTimeoutError, TaskApiError
 * (TaskCredentialError among them), TaskAbortedError or TaskCallbackError.
 */
export async function waitForTask(options: WaitOptions): Promise<TaskResult> {
  const { spec, run, settings } = await parseWaitOptions(options);
  return runWait(spec, run, sharedRuntime(settings.coordination));
}

/** `waitForTask`'s options and the environment, checked at the edge: the spec and how to run it, or TaskInputError naming every problem. */
export async function parseWaitOptions(options: WaitOptions, env: NodeJS.ProcessEnv = process.env): Promise<{ spec: TaskSpec; run: RunOptions; settings: Settings }> {
  const { settings, failures: settingFailures } = parseSettings(NO_CONFIGURATION, env);
  const scrubbed = (failures: InputFailure[]) => {
    const secrets = Secrets.from(knownSecrets(credentialSettings(settings, undefined, snapshotCredentials(options))));
    return failures.map((f) => ({ property: secrets.scrub(f.property), reason: secrets.scrub(f.reason) }));
  };
  const snapshot = readInputs(options, ["credentials", "signal", "onProgress"]);
  if ("error" in snapshot) throw new TaskInputError(scrubbed([{ property: "(options)", reason: snapshot.error }]));
  const { credentials, signal, onProgress, ...raw } = snapshot.values as Partial<Pick<WaitOptions, "credentials" | "signal" | "onProgress">>;
  const checked = await parseTaskInputsWith(raw, settings);
  const failures = [...checked.failures, ...settingFailures];
  if (credentials !== undefined && (raw as Record<string, unknown>).profile !== undefined) failures.push({ property: "profile", reason: "give either credentials or profile, not both" });
  if (signal !== undefined && !(signal instanceof AbortSignal)) failures.push({ property: "signal", reason: "expected an AbortSignal" });
  if (onProgress !== undefined && typeof onProgress !== "function") failures.push({ property: "onProgress", reason: "expected a function" });
  if (failures.length > 0 || !checked.spec) throw new TaskInputError(scrubbed(failures));
  return { spec: checked.spec, run: runOptions(settings, checked.spec, { credentials, signal, onProgress }), settings };
}

function snapshotCredentials(options: unknown): CredentialSource | undefined {
  try {
    return (options as WaitOptions).credentials;
  } catch {
    return undefined;
  }
}

/**
 * Runs one wait for checked inputs: credentials within the deadline, then status calls until the
 * task ends, then its result. Every text that leaves the wait (events, results, errors) is built
 * from parts scrubbed of every secret the wait knows at that moment.
 */
export async function runWait(spec: TaskSpec, options: RunOptions, runtime: WaitRuntime = sharedRuntime()): Promise<TaskResult> {
  const { query } = spec;
  const deadline = new Deadline(runtime.clock, runtime.clock.now(), spec.timeoutSeconds);
  const secrets = Secrets.from(knownSecrets(options.credentials));
  const naming = nameTask(spec, secrets);
  const context = (): TaskErrorContext => ({ ...naming, attempts: 0, waitedSeconds: deadline.elapsedMs() / 1000 });
  // The caller sees a scrubbed copy of each event: what its callback does to it changes nothing here.
  const onProgress = options.onProgress;
  const progress = new ProgressChannel(onProgress && ((event) => onProgress(secrets.scrubDeep(structuredClone(event)))));
  // The wait's own signal: however many waits share the caller's signal, it gets one listener.
  const own = linkSignals(options.signal, progress.signal);
  try {
    if (options.signal?.aborted) throw new TaskAbortedError(abortReason(options.signal, (text) => secrets.scrub(text)), context());
    const identity = await lookUpIdentity(options, { deadline, signal: own.signal, runtime, secrets, context, wanted: query.wanted });
    // A key found by the look-up may have been pasted into an input: the task is named again.
    Object.assign(naming, nameTask(spec, secrets));

    progress.send({ kind: "started", ...naming, timeoutSeconds: spec.timeoutSeconds });
    const failed = progress.failed();
    if (failed) throw new TaskCallbackError(failed.thrown, context(), (text) => secrets.scrub(text));

    const calls = statusCalls({ spec, identity, secrets, runtime, requestsPerSecond: options.requestsPerSecond, elapsedMs: () => deadline.elapsedMs() });
    const outcome = await pollUntilDone({
      ...naming,
      call: calls.call,
      classify: calls.classify,
      statusText: query.statusText,
      wanted: query.wanted,
      deadline,
      signal: own.signal,
      progress,
      clock: runtime.clock,
      scrub: (text) => secrets.scrub(text),
    });
    const result = secrets.scrubDeep(taskResult(naming.task, outcome, runtime.clock, deadline.elapsedMs()));
    // The task is judged: a callback failing on this last event does not change the outcome.
    progress.send({ kind: "finished", ...naming, result, status: query.statusText(outcome.observation) });
    if (result.status === "failed" && spec.failOnTaskFailure) {
      throw new TaskFailedError(result, { label: naming.label, status: query.statusValue(outcome.observation.rawStatus), wanted: query.wanted });
    }
    return result;
  } finally {
    own.dispose();
    deadline.dispose();
  }
}

/** The task as results, events and errors name it, scrubbed of the secrets known now (inputs can hold a pasted key). */
function nameTask({ query }: TaskSpec, secrets: Secrets): { task: TaskRef; label: string } {
  return { task: secrets.scrubDeep(query.ref), label: secrets.scrub(query.label) };
}

/**
 * Credentials first, bounded by the deadline and the wait's signal: the look-up registers every
 * secret it finds (a source is asked once), so that a key given only when asked is known before
 * any line names the task.
 */
async function lookUpIdentity(
  options: RunOptions,
  { deadline, signal, runtime, secrets, context, wanted }: { deadline: Deadline; signal: AbortSignal; runtime: WaitRuntime; secrets: Secrets; context: () => TaskErrorContext; wanted: string },
): Promise<Identity> {
  const lookup = linkSignals(signal, deadline.reached);
  // What the look-up waits for or last failed at (an STS call, its role, what went wrong), said if the deadline comes first.
  let state: (() => string) | undefined;
  try {
    const register = (...values: (string | undefined)[]) => secrets.add(...values);
    const note = (next: () => string) => (state = next);
    return await raceSignal(resolveIdentity(options.credentials, { signal: lookup.signal, timeoutMs: runtime.requestTimeoutMs, clock: runtime.clock, register, note }), lookup.signal);
  } catch (error) {
    if (options.signal?.aborted) throw new TaskAbortedError(abortReason(options.signal, (text) => secrets.scrub(text)), context());
    if (deadline.reached.aborted) {
      const lookingUp = state ? cut(secrets.scrub(state()), 1000) : "";
      throw new TaskTimeoutError({ timeoutSeconds: deadline.timeoutSeconds, wanted, lookingUp }, context());
    }
    const problem = error instanceof CredentialProblem ? error : new CredentialProblem("NoCredentials", `looking up credentials failed: ${describeThrown(error)}`);
    throw new TaskCredentialError({ code: problem.code, problem: cut(secrets.scrub(problem.message), 1000) }, context());
  } finally {
    lookup.dispose();
  }
}
