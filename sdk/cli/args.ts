import { parseArgs } from "node:util";
import { parseTaskInputsWith, type TaskSpec } from "../../provider/inputs";
import { adapterFor, SERVICES, type ServiceAdapter } from "../../provider/services";
import type { CommandLineInput } from "../../provider/services/adapter";
import { COORDINATION_ENV, NO_CONFIGURATION, parseSettings, REQUESTS_PER_SECOND_ENV, type Settings } from "../../provider/settings";

const NAME = "tencentcloud-task-wait";

export const USAGE = `Usage: ${NAME} <service> <taskId>... [options]
       ${NAME} cvm <RequestId>... --instance-id ins-... [options]
       ${NAME} custom --product P --version V --action A --status-path PATH --pending V --success V [options]
Services: ${SERVICES.join(", ")}. See --help.
`;

/** Bad arguments: reported with the usage text and exit status 64. */
export class UsageError extends Error {}

export interface WaitCommand {
  kind: "wait";
  tasks: TaskSpec[];
  /** The environment's settings, parsed once. */
  settings: Settings;
  json: boolean;
  quiet: boolean;
}

export type Command = { kind: "help" } | { kind: "version" } | WaitCommand;

/** Flags that are not inputs of any one service. */
const COMMAND_FLAGS = {
  region: { type: "string" },
  endpoint: { type: "string" },
  timeout: { type: "string" },
  profile: { type: "string" },
  "role-arn": { type: "string" },
  "role-session-name": { type: "string" },
  json: { type: "boolean" },
  quiet: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "string" },
} as const;

interface ServiceFlag extends CommandLineInput {
  input: string;
  flag: string;
}

/** Every service input but `taskId` (the positional arguments) as a flag, from the catalogue. */
function serviceFlags(adapter: ServiceAdapter): ServiceFlag[] {
  return Object.keys(adapter.inputs)
    .filter((input) => input !== "taskId")
    .map((input) => {
      const hint = adapter.commandLine?.[input] ?? {};
      return { input, ...hint, flag: hint.flag ?? input.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`) };
    });
}

const ALL_SERVICE_FLAGS = new Map(SERVICES.flatMap((service) => serviceFlags(adapterFor(service)!)).map((flag) => [flag.flag, flag]));

/**
 * Parses and checks the arguments and the environment with the engine's own rules; throws
 * UsageError naming the bad one. `--help` and `--version` count only alone: among a wait's
 * arguments (`clb <id> --version`) they would end the command without waiting, so they are
 * usage errors there; `--version V` is a custom wait's API version.
 */
export async function parseCommandLine(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Command> {
  if (args.length === 1 && (args[0] === "--help" || args[0] === "-h")) return { kind: "help" };
  if (args.length === 1 && args[0] === "--version") return { kind: "version" };
  const bareVersion = args.findIndex((arg, i) => arg === "--version" && (i === args.length - 1 || args[i + 1].startsWith("-")));
  if (bareVersion >= 0) throw new UsageError("--version: shows the version only alone; in a custom wait, --version V gives the API version (such as 2017-03-12)");
  const { values, tokens } = parseFlags(args);
  if (values.help) throw new UsageError("--help: shows the help only alone (tencentcloud-task-wait --help)");

  const service = tokens.find((token) => token.kind === "positional")?.value;
  if (service === undefined) throw new UsageError(`missing the service: one of ${SERVICES.join(", ")}`);
  const adapter = adapterFor(service);
  if (!adapter) throw new UsageError(`unknown service ${JSON.stringify(service)}: expected one of ${SERVICES.join(", ")}`);
  const { settings, failures } = parseSettings(NO_CONFIGURATION, env);
  if (failures.length > 0) throw new UsageError(failures.map((f) => `${f.property}: ${f.reason}`).join("\n"));

  const flags = serviceFlags(adapter);
  const shared: Record<string, unknown> = {
    service,
    region: values.region,
    endpoint: values.endpoint,
    timeoutSeconds: values.timeout === undefined ? undefined : parseDuration(values.timeout),
    profile: values.profile,
    version: values.version,
    assumeRole: values["role-arn"] === undefined ? undefined : { roleArn: values["role-arn"], sessionName: values["role-session-name"] },
  };
  if (values["role-session-name"] !== undefined && values["role-arn"] === undefined) throw new UsageError("--role-session-name: goes with --role-arn");
  const takesTaskId = Object.hasOwn(adapter.inputs, "taskId");
  const tasks: Record<string, unknown>[] = [];
  // One pass over the tokens keeps the tasks in argument order, as the JSON lists them.
  for (const token of tokens) {
    if (token.kind === "positional") {
      if (token.index === tokens.find((t) => t.kind === "positional")!.index) continue; // the service
      if (!takesTaskId) throw new UsageError(`<taskId>: ${service} takes no task id (got ${JSON.stringify(token.value)}); its options say what to call`);
      tasks.push({ taskId: token.value });
      continue;
    }
    if (token.kind !== "option" || token.name in COMMAND_FLAGS) continue;
    const flag = flags.find((f) => f.flag === token.name);
    if (!flag) {
      const owners = SERVICES.filter((s) => serviceFlags(adapterFor(s)!).some((f) => f.flag === token.name));
      throw new UsageError(`--${token.name}: not an option of ${service} (only ${owners.join(", ")} take it)`);
    }
    const value = token.value ?? "";
    if (flag.kind === "task") tasks.push({ [flag.input]: value });
    else if (flag.kind === "list") shared[flag.input] = [...((shared[flag.input] as string[] | undefined) ?? []), ...value.split(",").filter((v) => v !== "")];
    else if (flag.kind === "json") shared[flag.input] = parseJson(flag.flag, value);
    else shared[flag.input] = value;
  }
  if (!takesTaskId) tasks.push({});
  if (tasks.length === 0) {
    const alternatives = flags.filter((f) => f.kind === "task").map((f) => `--${f.flag}`);
    throw new UsageError(`missing <taskId>: name at least one ${service} task${alternatives.length > 0 ? ` (or ${alternatives.join(", ")})` : ""}`);
  }

  const checked = await Promise.all(tasks.map((task) => parseTaskInputsWith(dropUndefined({ ...shared, ...task }), settings)));
  const problems = new Set(checked.flatMap(({ failures }) => failures.map((f) => `${argumentFor(f.property, flags, values.timeout)}: ${f.reason}`)));
  if (problems.size > 0) throw new UsageError([...problems].join("\n"));
  return { kind: "wait", tasks: checked.map(({ spec }) => spec!), settings, json: values.json ?? false, quiet: values.quiet ?? false };
}

function parseFlags(args: string[]) {
  // A service input named like a command flag (custom's `version`) is read as that flag: a single string.
  const serviceOnly = [...ALL_SERVICE_FLAGS.keys()].filter((flag) => !Object.hasOwn(COMMAND_FLAGS, flag));
  const options = { ...COMMAND_FLAGS, ...Object.fromEntries(serviceOnly.map((flag) => [flag, { type: "string", multiple: true } as const])) };
  try {
    return parseArgs({ args, allowPositionals: true, tokens: true, options });
  } catch (error) {
    throw new UsageError(flagProblem(error as Error & { code?: string }));
  }
}

/** Node's parser messages, in this command's words. */
function flagProblem(error: Error & { code?: string }): string {
  const option = /'(-{1,2}[^'\s]+)/.exec(error.message)?.[1];
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `unknown option ${option ?? ""}`.trim();
  if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") return `${option ?? "an option"}: needs a value`;
  return error.message;
}

function parseJson(flag: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`--${flag}: expected JSON, such as '{"DiskIds":["disk-0a1b2c3d"]}'`);
  }
}

const UNIT_SECONDS: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600 };

/** "90", "90s", "15m", "1h" to seconds; the range is the engine's to check. */
function parseDuration(text: string): number {
  const match = /^(\d{1,9})([smh]?)$/.exec(text);
  if (!match) throw new UsageError(`--timeout: expected a duration such as 90, 90s, 15m or 1h, got ${JSON.stringify(text)}`);
  return Number(match[1]) * UNIT_SECONDS[match[2]];
}

/** The command-line argument behind an input property the engine rejected. */
function argumentFor(property: string, flags: ServiceFlag[], timeout: string | undefined): string {
  const common: Record<string, string> = { taskId: "<taskId>", region: "--region", endpoint: "--endpoint", timeoutSeconds: `--timeout ${timeout}`, profile: "--profile", assumeRole: "--role-arn" };
  const flag = flags.find((f) => f.input === property) ?? ALL_SERVICE_FLAGS.get(property.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));
  return common[property] ?? (flag ? `--${flag.flag}` : property);
}

function dropUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

/** The help text, generated from the catalogue so that it never drifts from what the command takes. */
export function helpText(): string {
  const width = Math.max(...SERVICES.map((service) => service.length));
  const indent = " ".repeat(width + 3);
  const services = SERVICES.map((service) => {
    const adapter = adapterFor(service)!;
    const options = serviceFlags(adapter).map((f) => `--${f.flag}${f.kind === "list" ? " V[,V]..." : ""}`);
    const named = Object.hasOwn(adapter.inputs, "taskId") ? `<taskId>: ${adapter.inputs.taskId}` : "no <taskId>";
    return `  ${service.padEnd(width)} ${adapter.api}${adapter.regionRequired ? "; needs --region" : ""}\n${indent}${named}${options.length ? `\n${indent}options: ${options.join(", ")}` : ""}`;
  });
  return `${USAGE}
Waits until asynchronous Tencent Cloud tasks have finished. Several tasks wait together, within
one budget of status calls per action that stays under the API's rate limit.

Services:
${services.join("\n")}

Options:
  --region R            region of the tasks (default: env TENCENTCLOUD_REGION, then the tccli
                        profile's region)
  --endpoint URL        API host or URL, such as clb.intl.tencentcloudapi.com (plain http:// only
                        for loopback hosts)
  --timeout D           how long each task may take: 90, 90s, 15m or 1h, from 1s to 24h
                        (default 30m)
  --profile NAME        wait with the credentials of tccli profile NAME (~/.tccli/NAME.credential)
  --role-arn ARN        assume this role (STS AssumeRole) for the wait; with --role-session-name
  --json                print the results on stdout as a JSON array, in argument order
  --quiet               print nothing but errors (and the JSON with --json)
  -h, --help            show this text (alone)
  --version             show the version (alone; in a custom wait, --version V is the API version)

Output: progress goes to stderr, as a live line per task on a terminal and otherwise as one
line per status change (repeated at least every 30 s). A JSON entry has the fields of the
TaskCompletion resource's outputs (status "succeeded" or "failed", rawStatus, message, ...); a
task that did not finish has status "timeout" or "error", its last rawStatus, attempts,
waitedSeconds, error and, for API errors, code. If stdout or stderr is closed early (a reader
that went away), the waits still finish and the exit status is theirs.

Credentials, as the TencentCloud Terraform and Pulumi providers find them: --profile, then env
TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (plus TENCENTCLOUD_SESSION_TOKEN or
TENCENTCLOUD_SECURITY_TOKEN for temporary ones), then the tccli profile (TENCENTCLOUD_PROFILE,
default "default", in TENCENTCLOUD_SHARED_CREDENTIALS_DIR or ~/.tccli), then the SDK's profile
file ~/.tencentcloud/credentials, then the CVM role (TENCENTCLOUD_CAM_ROLE_NAME), then TKE
OIDC, then a web identity token (TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN or _TOKEN_FILE).
A role is assumed with them when --role-arn, env TENCENTCLOUD_ASSUME_ROLE_ARN with
TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME, or the profile's role-arn names one; STS is
sts.tencentcloudapi.com, sts.<TENCENTCLOUD_DOMAIN>, or TENCENTCLOUD_STS_ENDPOINT.

Environment: ${REQUESTS_PER_SECOND_ENV}=N sets the budget of status calls per second per action
(1 to 100; each action is still held to its documented limit; default 85 % of it).
${COORDINATION_ENV} says how processes share that budget: machine (default: the processes of
this machine, through the temp directory) or off.

Exit status, with several tasks the most severe in the order 64 > 3 > 2 > 1 > 0:
  0     every task succeeded
  1     a task failed
  2     a task did not finish within --timeout
  3     an API or credential error
  64    bad arguments or settings; nothing was waited for
  130   interrupted by SIGINT (143: SIGTERM); nothing is printed on stdout. Waiting is
        idempotent: run the same command again to resume.
`;
}
