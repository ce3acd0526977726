/**
 * Every call the provider plugin makes into the engine, in one place: its configuration parsed
 * once into Settings (the plugin's edge), and the resource's steps (resource.ts) run on them, as
 * the dynamic provider runs them. No other file of provider/plugin imports from the engine.
 */
import { readFileSync } from "node:fs";
import { credentialSettings, knownSecrets } from "../credentials";
import { UNKNOWN } from "../inputs";
import { formatProgress, isRoutine } from "../progress";
import { checkResource, createResource, diffResource, updateResource, type Configured } from "../resource";
import { parseSettings, type Configuration, type SettingName } from "../settings";
import type { InputFailure } from "../task";
import { printable, Secrets } from "../text";

export { ResourceInitError, TASK_OUTPUTS, UPDATE_ON_CHANGE } from "../resource";
export { INPUT_NAMES, inputNamesOf, MAX_TIMEOUT_SECONDS } from "../inputs";
export { adapterFor, DETAIL_KEYS, DETAILS, SERVICES, type DetailKind } from "../services";
export { printable } from "../text";

/** The package, as Pulumi names it: the plugin is `pulumi-resource-<PACKAGE>`, its configuration `<PACKAGE>:<key>`. */
export const PACKAGE = "tencentcloud-task-completion";

/** This package's version: what GetPluginInfo answers and the schema carries. */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(require.resolve(`${PACKAGE}/package.json`), "utf8")) as { version: string };
  return manifest.version;
}

/** Every setting, by the official provider's names: the provider's configuration keys. */
const SETTINGS: Record<SettingName, true> = {
  region: true,
  secretId: true,
  secretKey: true,
  securityToken: true,
  profile: true,
  sharedCredentialsDir: true,
  camRoleName: true,
  assumeRole: true,
  domain: true,
  requestsPerSecond: true,
  coordination: true,
};
export const CONFIG_KEYS = Object.keys(SETTINGS) as SettingName[];
export type ConfigKey = SettingName;

/** Keys the engine itself adds to a provider's inputs. */
export const ENGINE_KEYS = ["version", "pluginDownloadURL"];

/**
 * The plugin's configuration (Configure's arguments, CheckConfig's inputs; secrets unwrapped) as
 * the settings module reads an edge: values set here win over env and files, as in the official
 * provider. Objects (assumeRole) and numbers are read as the text stack config would hold. A
 * value still unknown (a preview, with a provider configured from another resource's output) is
 * taken as unset: the preview goes on, and `up` configures the plugin with the value.
 */
export function pluginConfiguration(values: Readonly<Record<string, unknown>>): Configuration {
  const key = (name: SettingName) => name;
  return {
    get: (name) => {
      const value = values[name];
      if (value === undefined || value === null || value === "" || value === UNKNOWN) return undefined;
      return typeof value === "string" ? value : JSON.stringify(value);
    },
    key,
    describe: (name) => `provider config ${PACKAGE}:${name}`,
  };
}

/** The configuration, parsed once: the settings every step runs on, or what is wrong with it (a key not of the configuration among it). */
export function parseConfiguration(values: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv = process.env): Configured {
  const strangers: InputFailure[] = Object.keys(values)
    .filter((key) => !(key in SETTINGS) && !ENGINE_KEYS.includes(key))
    .map((key) => {
      const near = CONFIG_KEYS.find((known) => known.toLowerCase() === key.toLowerCase());
      const known = near ? `did you mean "${near}"?` : `expected one of ${CONFIG_KEYS.join(", ")}`;
      return { property: key, reason: `provider config ${PACKAGE}:${key}: not a key of this provider's configuration; ${known}` };
    });
  const { settings, failures } = parseSettings(pluginConfiguration(values), env);
  const secrets = Secrets.from(knownSecrets(credentialSettings(settings)));
  return { settings, failures: [...strangers, ...failures].map((f) => ({ property: printable(secrets.scrub(f.property)), reason: printable(secrets.scrub(f.reason)) })) };
}

/** What the engine gives one Create or Update beyond its properties. */
export interface Step {
  /** The program's customTimeouts for this step, in seconds; 0: none. */
  timeoutSeconds: number;
  /** Aborted when the engine cancels. */
  signal: AbortSignal;
  /** A progress line worth showing, as the dynamic provider logs it. */
  onProgress(line: string): void;
}

/** The resource's steps, on the plugin's settings. */
export class TaskLifecycle {
  constructor(private readonly configured: Configured) {}

  check(news: Record<string, unknown>): Promise<{ inputs: Record<string, unknown>; failures: InputFailure[] }> {
    return checkResource(news, this.configured);
  }

  diff(olds: Record<string, unknown>, news: Record<string, unknown>): { changes: boolean; replaces: string[] } {
    return diffResource(olds, news);
  }

  async create(inputs: Record<string, unknown>, step: Step): Promise<{ id: string; properties: Record<string, unknown> }> {
    const { id, outs } = await createResource(inputs, this.configured, stepOptions(step));
    return { id, properties: outs };
  }

  async update(olds: Record<string, unknown>, news: Record<string, unknown>, step: Step): Promise<Record<string, unknown>> {
    return (await updateResource(olds, news, this.configured, stepOptions(step))).outs;
  }
}

function stepOptions(step: Step) {
  return {
    signal: step.signal,
    timeoutSeconds: step.timeoutSeconds,
    onProgress: (event: Parameters<typeof isRoutine>[0]) => {
      if (!isRoutine(event)) step.onProgress(formatProgress(event));
    },
  };
}
