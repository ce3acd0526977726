import { classifyCallError, CredentialProblem, hintFor, type CallFailure } from "./callFailures";
import { linkSignals, raceSignal } from "./clock";
import { credentialFingerprint, knownSecrets, profileRegion, resolveIdentity, stsEndpoint, type CredentialSettings, type CredentialSource, type Identity } from "./credentials";
import { abortReason, describeThrown, TaskAbortedError, TaskCallbackError, TaskCredentialError, TaskFailedError, TaskInputError, TaskTimeoutError, type TaskErrorContext } from "./errors";
import { parseTaskInputs, readInputs, type InputDefaults, type TaskInputs, type TaskSpec } from "./inputs";
import { pollUntilDone } from "./poller";
import { ProgressChannel, type ProgressEvent } from "./progress";
import { budgetFor, BudgetSettingError, requestsPerSecondFromEnv, sharedRuntime, type WaitRuntime } from "./runtime";
import { DETAIL_KEYS } from "./services";
import type { InputFailure, TaskDetails, TaskObservation, TaskResult } from "./task";
import { cut, Secrets } from "./text";
import type { UnknownId } from "./services";
import { callApi } from "./transport";

/** `waitForTask`'s options: the resource's inputs, plus what only a program can give. */
export type WaitOptions = TaskInputs & {
  /** Default: env TENCENTCLOUD_SECRET_ID / _KEY, the tccli profile, the SDK's profile file, the CVM role, TKE OIDC (docs/credentials.md). */
  credentials?: CredentialSource;
  /** Aborting it ends the wait at once with TaskAbortedError. */
  signal?: AbortSignal;
  /** Called for every status answer and retry; a callback that throws ends the wait with TaskCallbackError. */
  onProgress?: (event: ProgressEvent) => void;
};

/** How one wait is run, beyond its checked inputs. */
export interface RunOptions {
  credentials: CredentialSettings;
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
}

/** The inputs' defaults outside a Pulumi program: the environment, then the tccli profile. */
export function environmentDefaults(env: NodeJS.ProcessEnv = process.env): InputDefaults {
  return {
    region: (profile) => env.TENCENTCLOUD_REGION || profileRegion(profile, env),
    regionSources: "env TENCENTCLOUD_REGION, then the tccli profile's region",
    domain: env.TENCENTCLOUD_DOMAIN || undefined,
  };
}

/**
 * Waits until a Tencent Cloud task finishes: the engine behind the TaskCompletion resource,
 * usable without Pulumi. Resolves with the result; rejects only with its own errors:
 * TaskInputError (bad options, nothing sent), TaskFailedError, TaskTimeoutError, TaskApiError
 * (TaskCredentialError among them), TaskAbortedError or TaskCallbackError.
 */
export async function waitForTask(options: WaitOptions): Promise<TaskResult> {
  const { spec, run } = parseWaitOptions(options);
  return runWait(spec, run);
}

/** `waitForTask`'s options, checked at the edge: the spec and how to run it, or TaskInputError naming every problem. */
export function parseWaitOptions(options: WaitOptions, env: NodeJS.ProcessEnv = process.env): { spec: TaskSpec; run: RunOptions } {
  const scrubbed = (failures: InputFailure[], settings: CredentialSettings = { env }) => {
    const secrets = Secrets.from(knownSecrets(settings));
    return failures.map((f) => ({ property: secrets.scrub(f.property), reason: secrets.scrub(f.reason) }));
  };
  const snapshot = readInputs(options, ["credentials", "signal", "onProgress"]);
  if ("error" in snapshot) throw new TaskInputError(scrubbed([{ property: "(options)", reason: snapshot.error }]));
  const { credentials, signal, onProgress, ...raw } = snapshot.values as Partial<Pick<WaitOptions, "credentials" | "signal" | "onProgress">>;
  const sts = stsEndpoint(env, env.TENCENTCLOUD_DOMAIN || undefined);
  const settings: CredentialSettings = { explicit: credentials, env, ...("error" in sts ? {} : { sts }) };
  const checked = parseTaskInputs(raw, environmentDefaults(env));
  const failures = [...checked.failures];
  if ("error" in sts) failures.push({ property: sts.setting, reason: sts.error });
  if (credentials !== undefined && (raw as Record<string, unknown>).profile !== undefined) failures.push({ property: "profile", reason: "give either credentials or profile, not both" });
  if (signal !== undefined && !(signal instanceof AbortSignal)) failures.push({ property: "signal", reason: "expected an AbortSignal" });
  if (onProgress !== undefined && typeof onProgress !== "function") failures.push({ property: "onProgress", reason: "expected a function" });
  try {
    requestsPerSecondFromEnv(env);
  } catch (error) {
    if (!(error instanceof BudgetSettingError)) throw error;
    failures.push({ property: error.setting, reason: error.message.slice(error.setting.length + 2) });
  }
  if (failures.length > 0 || !checked.spec) throw new TaskInputError(scrubbed(failures, settings));
  return { spec: checked.spec, run: { credentials: { ...settings, identity: checked.spec.identity }, signal, onProgress } };
}

/** A reason from the API, as messages carry it: scrubbed, then cut. */
const MAX_REASON = 1000;

/** Runs one wait for checked inputs. */
export async function runWait(spec: TaskSpec, options: RunOptions, runtime: WaitRuntime = sharedRuntime()): Promise<TaskResult> {
  const { query } = spec;
  const { clock } = runtime;
  const started = clock.now();
  const secrets = Secrets.from(knownSecrets(options.credentials));
  // Inputs can hold a pasted secret too (a key in dealName): every text that leaves is scrubbed,
  // against every secret known at that moment, so task and label are rebuilt once the
  // credentials have been looked up.
  let task = secrets.scrubDeep(query.ref);
  let label = secrets.scrub(query.label);
  const scrub = (text: string) => secrets.scrub(text);
  const context = (): TaskErrorContext => ({ task, label, attempts: 0, waitedSeconds: (clock.now() - started) / 1000 });
  const aborted = () => new TaskAbortedError(options.signal ? abortReason(options.signal, scrub) : undefined, context());
  if (options.signal?.aborted) throw aborted();

  // The caller sees a scrubbed copy of each event: what its callback does to it changes nothing here.
  const onProgress = options.onProgress;
  const progress = new ProgressChannel(onProgress && ((event) => onProgress(secrets.scrubDeep(structuredClone(event)))));
  const callbackFailed = () => {
    const failed = progress.failed();
    return failed && new TaskCallbackError(failed.thrown, context(), scrub);
  };
  // The wait's own signal: however many waits share the caller's signal, it gets one listener.
  const own = linkSignals(options.signal, progress.signal);
  try {
    // Credentials first: the look-up registers every secret it finds (a source is asked once),
    // so that a key given only when asked is known before any line names the task.
    let identity: Identity;
    try {
      const register = (...values: (string | undefined)[]) => secrets.add(...values);
      identity = await withinDeadline((signal) => resolveIdentity(options.credentials, { signal, timeoutMs: runtime.requestTimeoutMs, clock, register }), started + spec.timeoutSeconds * 1000, own.signal, clock);
    } catch (error) {
      if (options.signal?.aborted) throw aborted();
      if (error instanceof DeadlineReached) {
        throw new TaskTimeoutError({ timeoutSeconds: spec.timeoutSeconds, wanted: query.wanted, lastFailure: "the credentials were still being looked up" }, context());
      }
      const problem = error instanceof CredentialProblem ? error : new CredentialProblem("NoCredentials", `looking up credentials failed: ${describeThrown(error)}`);
      throw new TaskCredentialError({ code: problem.code, problem: cut(secrets.scrub(problem.message), MAX_REASON) }, context());
    }
    task = secrets.scrubDeep(query.ref);
    label = secrets.scrub(query.label);

    progress.send({ kind: "started", task, label, timeoutSeconds: spec.timeoutSeconds });
    const stopped = callbackFailed();
    if (stopped) throw stopped;

    const budgetKey = (account: string) => [query.request.action, query.request.version, spec.endpoint.host, account].join("|");
    const requestsPerSecond = budgetFor(runtime, query.rateLimit);
    const wait = {};
    /** Whether an answer has shown the task: a not-found after that is no longer the API's lag. */
    let seen = false;
    const call = async (signal: AbortSignal): Promise<TaskObservation> => {
      const credential = await identity.current(signal);
      secrets.add(credential.secretKey, credential.token);
      // One budget per account: a role's temporary SecretId changes at every renewal, its budget does not.
      const budget = { key: budgetKey(identity.account ?? (credential.secretId as string)), requestsPerSecond };
      // Waits share an answer only when they would have sent the same request with the same credential.
      const shareKey = [budget.key, credentialFingerprint(credential), query.id, JSON.stringify(query.request.params)].join("|");
      const observation = await runtime.sharedCalls.run(shareKey, wait, signal, (shared) =>
        runtime.throttle.run(budget, shared, async () => {
          const response = await callApi({ endpoint: spec.endpoint, ...query.request }, credential, { signal: shared, timeoutMs: runtime.requestTimeoutMs });
          // Scrubbed before it is read: a cut must never leave part of a secret behind.
          return query.read(secrets.scrubDeep(response));
        }),
      );
      seen = true;
      return secrets.scrubDeep(observation);
    };

    const classify = (error: unknown): CallFailure => {
      const failure = classifyCallError(error);
      const reason = cut(secrets.scrub(failure.reason), MAX_REASON);
      const requestId = failure.requestId && cut(secrets.scrub(failure.requestId), 128);
      if (failure.retry) return { ...failure, reason, requestId };
      if (failure.code === "AuthFailure.TokenFailure" && identity.renewAfterTokenFailure?.()) {
        return { retry: true, throttled: false, reason, requestId, code: failure.code };
      }
      const unknown = unknownIdFailure(query.unknownId, failure.code, seen, clock.now() - started, reason);
      if (unknown?.retry) return { retry: true, throttled: false, reason, requestId, code: failure.code };
      const code = unknown ? "TaskNotFound" : cut(secrets.scrub(failure.code), 128);
      const hint = failure.hint ?? hintFor(code, { credentialOrigin: identity.origin, product: query.request.product });
      return { ...failure, code, reason: unknown?.reason ?? reason, requestId, hint };
    };

    const outcome = await pollUntilDone({
      task,
      label,
      call,
      statusText: query.statusText,
      wanted: query.wanted,
      timeoutSeconds: spec.timeoutSeconds,
      startedAt: started,
      signal: own.signal,
      progress,
      classify,
      clock,
      scrub,
    });
    const { observation } = outcome;
    const result: TaskResult = secrets.scrubDeep(
      compact({
        ...task,
        status: observation.state === "succeeded" ? "succeeded" : "failed",
        rawStatus: observation.rawStatus,
        message: observation.message,
        ...details(observation),
        completedAt: clock.date().toISOString(),
        attempts: outcome.attempts,
        waitedSeconds: Math.round(clock.now() - started) / 1000,
        requestId: outcome.requestId,
      }),
    );
    const status = query.statusText(observation);
    // The task is judged: a callback failing on this last event does not change the outcome.
    progress.send({ kind: "finished", task, label, result, status });
    if (result.status === "failed" && spec.failOnTaskFailure) {
      throw new TaskFailedError(result, { label, status: query.statusValue(observation.rawStatus), wanted: query.wanted });
    }
    return result;
  } finally {
    own.dispose();
  }
}

class DeadlineReached extends Error {}

/** Settles like `work`, unless `signal` aborts or the clock passes `deadline` first (then DeadlineReached); `work`'s own signal aborts then too. */
async function withinDeadline<T>(work: (signal: AbortSignal) => Promise<T>, deadline: number, signal: AbortSignal, clock: WaitRuntime["clock"]): Promise<T> {
  const timer = new AbortController();
  const reached = new AbortController();
  clock.sleep(deadline - clock.now(), timer.signal).then(
    () => reached.abort(new DeadlineReached()),
    () => undefined,
  );
  const linked = linkSignals(signal, reached.signal);
  try {
    return await raceSignal(work(linked.signal), linked.signal);
  } finally {
    timer.abort();
    linked.dispose();
  }
}

function details(observation: TaskObservation): TaskDetails {
  return Object.fromEntries(DETAIL_KEYS.filter((key) => observation[key] !== undefined).map((key) => [key, observation[key]]));
}

/**
 * A not-found answer (an API code of `unknownId`, or a reader's TaskNotFound): within the grace
 * after the wait's start, and while no answer has shown the task, it may be the API's lag and is
 * retried; after it, the wait ends saying the id was never seen (or, seen before, vanished).
 */
function unknownIdFailure(unknownId: UnknownId | undefined, code: string, seen: boolean, waitedMs: number, reason: string): { retry: true } | { retry: false; reason: string } | undefined {
  if (!unknownId) return undefined;
  const notFound = code === "TaskNotFound" || unknownId.codes.some((known) => (known.endsWith(".") ? code.startsWith(known) : code === known));
  if (!notFound) return undefined;
  if (!seen && waitedMs < unknownId.graceSeconds * 1000) return { retry: true };
  const what = seen
    ? "the task was seen earlier in this wait and is no longer found"
    : `the id was never seen: no answer knew it within ${unknownId.graceSeconds}s of the wait's start`;
  return { retry: false, reason: `TaskNotFound: ${what} (the last answer: ${reason})` };
}

/** Drops undefined fields: Pulumi's wire format cannot carry them. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
