/**
 * Every call the provider plugin makes into the engine, in one place: the plugin's configuration
 * parsed once (its edge, like the dynamic provider's stack config), and the dynamic provider's
 * TaskCompletion lifecycle (Check, Diff, Create, Update with partial state) run on it. No other
 * file of provider/plugin imports from the engine.
 */
import { readFileSync } from "node:fs";
import { isThrottled } from "../callFailures";
import { systemClock } from "../clock";
import { knownSecrets, profileRegion, stsEndpoint, type StackCredentials } from "../credentials";
import { checkTask, diffTask, outputs, ResourceInitError, specOf, TASK_OUTPUTS, UPDATE_ON_CHANGE, updateTask, waitFailure, type Progress } from "../dynamicProvider";
import type { Endpoint } from "../endpoint";
import { parseAssumeRole, type AssumeRoleInputs, type InputDefaults, type TaskSpec } from "../inputs";
import { COORDINATION_ENV, machinePeersFromEnv } from "../peers";
import { formatProgress, isRoutine } from "../progress";
import { BudgetSettingError, newRuntime, parseRequestsPerSecond, REQUESTS_PER_SECOND_ENV, type WaitRuntime } from "../runtime";
import type { InputFailure, TaskResult } from "../task";
import { printable, Secrets } from "../text";
import { Throttle } from "../throttle";
import { runWait } from "../wait";

export { ResourceInitError, TASK_OUTPUTS, UPDATE_ON_CHANGE };
export { INPUT_NAMES, inputNamesOf, MAX_TIMEOUT_SECONDS } from "../inputs";
export { adapterFor, SERVICES } from "../services";
export { printable } from "../text";

/** The package, as Pulumi names it: the plugin is `pulumi-resource-<PACKAGE>`, its configuration `<PACKAGE>:<key>`. */
export const PACKAGE = "tencentcloud-task-completion";

/** This package's version: what GetPluginInfo answers and the schema carries. */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(require.resolve(`${PACKAGE}/package.json`), "utf8")) as { version: string };
  return manifest.version;
}

/** The provider's configuration, as the official TencentCloud provider names it, plus this package's own two. */
export const CONFIG_KEYS = ["region", "secretId", "secretKey", "securityToken", "profile", "sharedCredentialsDir", "camRoleName", "assumeRole", "domain", "requestsPerSecond", "coordination"] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** Keys the engine itself adds to a provider's inputs. */
export const ENGINE_KEYS = ["version", "pluginDownloadURL"];

/** The configuration, parsed once when the engine configures the plugin: what every step runs on. */
export interface PluginSettings {
  defaults: InputDefaults;
  stack: StackCredentials;
  sts?: Endpoint;
  env: NodeJS.ProcessEnv;
  runtime: WaitRuntime;
}

/** How messages name a key of the configuration. */
export const settingName = (key: ConfigKey) => `provider configuration ${PACKAGE}:${key}`;

/**
 * The plugin's configuration (Configure's arguments, or CheckConfig's inputs, secrets unwrapped),
 * checked once. A value set here wins over its environment variable and over files, as in the
 * official provider. Failures name the key and never quote a value.
 */
export function parseConfiguration(values: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv = process.env): { settings?: PluginSettings; failures: InputFailure[] } {
  const failures: InputFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  for (const key of Object.keys(values)) {
    if ((CONFIG_KEYS as readonly string[]).includes(key) || ENGINE_KEYS.includes(key)) continue;
    const near = CONFIG_KEYS.find((known) => known.toLowerCase() === key.toLowerCase());
    fail(key, near ? `unknown provider configuration key; did you mean "${near}"?` : `unknown provider configuration key; expected one of ${CONFIG_KEYS.join(", ")}`);
  }
  const given = (key: ConfigKey) => values[key] !== undefined && values[key] !== null && values[key] !== "";
  const text = (key: ConfigKey): string | undefined => {
    if (!given(key)) return undefined;
    if (typeof values[key] === "string") return values[key] as string;
    fail(key, `${settingName(key)}: expected a string, got a value of type ${typeof values[key]}`);
    return undefined;
  };

  const stack: StackCredentials = {
    secretId: text("secretId"),
    secretKey: text("secretKey"),
    securityToken: text("securityToken"),
    profile: text("profile"),
    sharedCredentialsDir: text("sharedCredentialsDir"),
    camRoleName: text("camRoleName"),
  };
  if (given("assumeRole")) {
    const role = objectOf(values.assumeRole);
    const { policy, ...rest } = role ?? {};
    const checked = role ? parseAssumeRole(rest) : { reason: "expected an object { roleArn, sessionName?, sessionDuration?, externalId?, policy? }" };
    if ("reason" in checked) fail("assumeRole", `${settingName("assumeRole")}: ${checked.reason}`);
    else if (policy !== undefined && typeof policy !== "string") fail("assumeRole", `${settingName("assumeRole")}: assumeRole.policy: expected a policy document as a string`);
    else stack.assumeRole = { ...(checked.value as AssumeRoleInputs), ...(policy !== undefined ? { policy: policy as string } : {}) };
  }

  const region = text("region") ?? (env.TENCENTCLOUD_REGION || undefined);
  const domain = text("domain") ?? (env.TENCENTCLOUD_DOMAIN || undefined);
  const defaults: InputDefaults = {
    region: (profile) => region ?? profileRegion(profile ?? stack.profile, env, stack.sharedCredentialsDir),
    regionSources: `${settingName("region")}, env TENCENTCLOUD_REGION, then the tccli profile's region`,
    domain,
  };
  const sts = stsEndpoint(env, domain);
  if ("error" in sts) fail("domain", `${sts.setting}: ${sts.error}`);

  let requestsPerSecond: number | undefined;
  try {
    const configured = values.requestsPerSecond;
    requestsPerSecond = given("requestsPerSecond")
      ? parseRequestsPerSecond(typeof configured === "number" ? String(configured) : (configured as string), settingName("requestsPerSecond"))
      : parseRequestsPerSecond(env[REQUESTS_PER_SECOND_ENV], `env ${REQUESTS_PER_SECOND_ENV}`);
  } catch (error) {
    if (!(error instanceof BudgetSettingError)) throw error;
    fail("requestsPerSecond", error.message);
  }

  // Until the fleet backend lands: the machine's processes share each budget, or ("off") each adapts alone.
  const coordination = (text("coordination") ?? env[COORDINATION_ENV] ?? "machine").trim().toLowerCase();
  if (coordination !== "machine" && coordination !== "off") {
    fail("coordination", `${given("coordination") ? settingName("coordination") : `env ${COORDINATION_ENV}`}: expected "machine" or "off"`);
  }

  const secrets = Secrets.from(knownSecrets({ stack, env }));
  const scrubbed = failures.map((f) => ({ property: printable(secrets.scrub(f.property)), reason: printable(secrets.scrub(f.reason)) }));
  if (scrubbed.length > 0) return { failures: scrubbed };
  const peers = machinePeersFromEnv({ [COORDINATION_ENV]: coordination });
  const runtime = newRuntime({ requestsPerSecond, throttle: new Throttle({ isThrottled, clock: systemClock, peers }) });
  return { settings: { defaults, stack, sts: "error" in sts ? undefined : sts, env, runtime }, failures: [] };
}

/** An object, or the JSON text of one (stack config holds objects as text). */
function objectOf(value: unknown): Record<string, unknown> | undefined {
  let parsed = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
}

/** What the engine gives one Create or Update beyond its properties. */
export interface Step {
  /** Which step, for messages: "create" or "update". */
  name: "create" | "update";
  /** The program's customTimeouts for this step, in seconds; 0: none. */
  timeoutSeconds: number;
  /** Aborted when the engine cancels. */
  signal: AbortSignal;
  /** A progress line worth showing, as the dynamic provider logs it. */
  onProgress(line: string): void;
}

const NOTHING_YET: Progress = { attempts: 0, waitedSeconds: 0 };

/** The dynamic provider's lifecycle, on the plugin's settings. */
export class TaskLifecycle {
  constructor(private readonly settings: PluginSettings) {}

  check(news: unknown): { inputs: Record<string, unknown>; failures: InputFailure[] } {
    return checkTask(news, this.settings.defaults, this.settings.stack, []);
  }

  diff(olds: Record<string, unknown>, news: Record<string, unknown>): { changes: boolean; replaces: string[] } {
    return diffTask(olds, news);
  }

  async create(inputs: Record<string, unknown>, step: Step): Promise<{ id: string; properties: Record<string, unknown> }> {
    const spec = specOf(inputs, this.settings.defaults);
    return { id: spec.query.id, properties: outputs(inputs, await this.wait(spec, inputs, NOTHING_YET, step)) };
  }

  async update(olds: Record<string, unknown>, news: Record<string, unknown>, step: Step): Promise<Record<string, unknown>> {
    const spec = specOf(news, this.settings.defaults);
    return updateTask(olds, news, spec, (previous) => this.wait(spec, news, previous, step));
  }

  /** One wait, within the smaller of timeoutSeconds and the program's customTimeouts. */
  private async wait(spec: TaskSpec, inputs: Record<string, unknown>, previous: Progress, step: Step): Promise<TaskResult> {
    const limit = step.timeoutSeconds > 0 && step.timeoutSeconds < spec.timeoutSeconds ? step.timeoutSeconds : undefined;
    const { stack, sts, env, runtime } = this.settings;
    try {
      return await runWait(
        limit === undefined ? spec : { ...spec, timeoutSeconds: limit },
        {
          credentials: { stack, identity: spec.identity, sts, env },
          signal: step.signal,
          onProgress: (event) => {
            if (!isRoutine(event)) step.onProgress(formatProgress(event));
          },
        },
        runtime,
      );
    } catch (error) {
      const raise =
        limit === undefined
          ? undefined
          : `Raise the resource's customTimeouts ${step.name} (now ${limit}s; timeoutSeconds is ${spec.timeoutSeconds}) to wait longer: the smaller of the two wins.`;
      throw waitFailure(error, spec, inputs, previous, raise);
    }
  }
}
