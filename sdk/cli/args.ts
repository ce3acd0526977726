import { parseArgs } from "node:util";
import { checkTaskInputs, toTaskSpec, type TaskSpec } from "../../provider/inputs";
import { SERVICES, type Service } from "../../provider/task";

export const USAGE = `Usage: tencentcloud-task-wait clb <taskId>... [--deal-name NAME]... [--region R] [options]
       tencentcloud-task-wait redis <taskId>... [options]
Options: --endpoint URL, --timeout 30m, --json, --quiet, --help, --version
`;

export const HELP = `Usage: tencentcloud-task-wait clb <taskId>... [--deal-name NAME]... [--region R] [options]
       tencentcloud-task-wait redis <taskId>... [options]

Waits until asynchronous Tencent Cloud CLB or Redis tasks have finished. Several tasks wait
together, within one budget of status calls that stays under the API's rate limit.

Tasks:
  clb <taskId>...       the RequestId answered by the asynchronous CLB call
  --deal-name NAME      a CLB order id instead of a task id; repeatable
  redis <taskId>...     the integer TaskId answered by the Redis call

Options:
  --region R            region of the CLB tasks (default: env TENCENTCLOUD_REGION)
  --endpoint URL        API host or URL, such as clb.intl.tencentcloudapi.com
  --timeout D           how long each task may take: 90, 90s, 15m or 1h, from 1s to 24h
                        (default 30m)
  --json                print the results on stdout as a JSON array, in argument order
  --quiet               print nothing but errors (and the JSON with --json)
  -h, --help            show this text
  --version             show the version

Output: progress goes to stderr, as a live line per task on a terminal and otherwise as one
line per status change (repeated at least every 30 s). A JSON entry has the fields of the
TaskCompletion resource's outputs (status "succeeded" or "failed", rawStatus, message, ...); a
task that did not finish has status "timeout" or "error", its last rawStatus, attempts,
waitedSeconds, error and, for API errors, code.

Credentials: env TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (plus
TENCENTCLOUD_SESSION_TOKEN or TENCENTCLOUD_SECURITY_TOKEN for temporary ones), then the profile
file ~/.tencentcloud/credentials, then the CVM instance role, then TKE OIDC.

Exit status, with several tasks the most severe in the order 64 > 3 > 2 > 1 > 0:
  0     every task succeeded
  1     a task failed
  2     a task did not finish within --timeout
  3     an API or credential error
  64    bad arguments; nothing was waited for
  130   interrupted by SIGINT (143: SIGTERM); nothing is printed on stdout. Waiting is
        idempotent: run the same command again to resume.
`;

/** Bad arguments: reported with the usage text and exit status 64. */
export class UsageError extends Error {}

export interface WaitCommand {
  kind: "wait";
  tasks: TaskSpec[];
  json: boolean;
  quiet: boolean;
}

export type Command = { kind: "help" } | { kind: "version" } | WaitCommand;

/** Parses and validates the arguments; throws UsageError naming the bad one. */
export function parseCommandLine(args: string[]): Command {
  const { values, tokens } = parseFlags(args);
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };

  const positionals = tokens.filter((token) => token.kind === "positional");
  const service = positionals[0]?.value;
  if (service === undefined) throw new UsageError("missing the service: clb or redis");
  if (!SERVICES.includes(service as Service)) throw new UsageError(`unknown service ${JSON.stringify(service)}: expected clb or redis`);

  const common = {
    service: service as Service,
    region: values.region,
    endpoint: values.endpoint,
    timeoutSeconds: values.timeout === undefined ? undefined : parseDuration(values.timeout),
  };
  // Tokens rather than values keep task ids and deal names in argument order, as the JSON lists them.
  const tasks = tokens.slice(tokens.indexOf(positionals[0]) + 1).flatMap((token): Record<string, unknown>[] => {
    if (token.kind === "positional") return [{ ...common, taskId: token.value }];
    if (token.kind === "option" && token.name === "deal-name") return [{ ...common, dealName: token.value }];
    return [];
  });
  if (tasks.length === 0) throw new UsageError(`missing <taskId>: name at least one ${service} task${service === "clb" ? " (or --deal-name)" : ""}`);

  // The engine's own rules, so that the command accepts exactly what the resource accepts.
  const checked = tasks.map((task) => checkTaskInputs(task, { region: process.env.TENCENTCLOUD_REGION }));
  const problems = new Set(checked.flatMap(({ failures }) => failures.map((f) => `${argumentFor(f.property, values.timeout)}: ${f.reason}`)));
  if (problems.size > 0) throw new UsageError([...problems].join("\n"));
  return { kind: "wait", tasks: checked.map(({ inputs }) => toTaskSpec(inputs)), json: values.json ?? false, quiet: values.quiet ?? false };
}

function parseFlags(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      tokens: true,
      options: {
        "deal-name": { type: "string", multiple: true },
        region: { type: "string" },
        endpoint: { type: "string" },
        timeout: { type: "string" },
        json: { type: "boolean" },
        quiet: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean" },
      },
    });
  } catch (error) {
    // parseArgs names the unknown option or the one missing its value.
    throw new UsageError((error as Error).message);
  }
}

const UNIT_SECONDS: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600 };

/** "90", "90s", "15m", "1h" to seconds; the range is the engine's to check. */
export function parseDuration(text: string): number {
  const match = /^(\d+)([smh]?)$/.exec(text);
  if (!match) throw new UsageError(`--timeout: expected a duration such as 90, 90s, 15m or 1h, got ${JSON.stringify(text)}`);
  return Number(match[1]) * UNIT_SECONDS[match[2]];
}

/** The command-line argument behind an input property the engine rejected. */
function argumentFor(property: string, timeout: string | undefined): string {
  const names: Record<string, string> = { taskId: "<taskId>", dealName: "--deal-name", region: "--region", endpoint: "--endpoint", timeoutSeconds: `--timeout ${timeout}` };
  return names[property] ?? property;
}
