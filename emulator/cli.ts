#!/usr/bin/env node
import { parseArgs } from "node:util";
import { DEFAULT_CREDENTIAL, startEmulator, type EmulatorOptions } from "./index";
import { describeRange, inRange, LIMITS, type Range } from "./limits";
import { SERVICE_NAMES, SERVICE_TABLE } from "./services";
import { accountOfRole } from "./sts";
import { isTaskOutcome, TASK_OUTCOMES } from "./tasks";

const USAGE = `Usage: tencentcloud-api-emulator [options]
       npx -p tencentcloud-task-completion tencentcloud-api-emulator [options]   (without installing)
       npm run emulator -- [options]   (in the package's own repository)

Serves a local Tencent Cloud API 3.0 emulator: the status action and a task-starting action of
every built-in service (listed below), STS AssumeRole, and a control API under /_emulator/.

  --port N               port to listen on (default 9000; 0 picks a free one)
  --host H               address to bind (default 127.0.0.1)
  --secret-id ID         SecretId to accept, with --secret-key (default ${DEFAULT_CREDENTIAL.secretId})
  --secret-key KEY       SecretKey to accept, with --secret-id (default ${DEFAULT_CREDENTIAL.secretKey})
  --token T              require this X-TC-Token, as temporary credentials do
  --role ARN             a role that callers may assume with STS AssumeRole (repeatable);
                         its temporary credentials act in the account of the ARN
  --credential-lifetime S  lifetime in seconds of those temporary credentials (default: the
                         DurationSeconds asked for, 7200 if none)
  --rate-limit N         accepted requests per second per action and SecretId (default 20)
  --task-duration-ms N   how long tasks started by the API run (default 3000)
  --task-outcome O       how they end: succeeded, failed or error (default succeeded)
  --help                 show this text
`;

/** Exit status for bad command-line arguments (EX_USAGE). */
const EXIT_USAGE = 64;

class UsageError extends Error {}

function parseCommandLine(args: string[]): EmulatorOptions | "help" {
  const values = parseFlags(args);
  if (values.help) return "help";
  const secretId = values["secret-id"];
  const secretKey = values["secret-key"];
  if ((secretId === undefined) !== (secretKey === undefined)) {
    throw new UsageError("--secret-id and --secret-key must be given together");
  }
  const outcome = values["task-outcome"];
  if (outcome !== undefined && !isTaskOutcome(outcome)) {
    throw new UsageError(`--task-outcome must be one of ${TASK_OUTCOMES.join(", ")}, not "${outcome}"`);
  }
  const roles = values.role ?? [];
  const badRole = roles.find((arn) => !accountOfRole(arn));
  if (badRole !== undefined) throw new UsageError(`--role must be a role ARN such as qcs::cam::uin/200000000002:roleName/deployer, not "${badRole}"`);
  const lifetimeSeconds = number("--credential-lifetime", values["credential-lifetime"], LIMITS.credentialLifetimeSeconds);
  return {
    roles: roles.map((roleArn) => ({ roleArn, lifetimeSeconds })),
    port: number("--port", values.port, LIMITS.port) ?? 9000,
    host: values.host,
    credentials: [
      {
        secretId: secretId ?? DEFAULT_CREDENTIAL.secretId,
        secretKey: secretKey ?? DEFAULT_CREDENTIAL.secretKey,
        token: values.token,
      },
    ],
    rateLimit: number("--rate-limit", values["rate-limit"], LIMITS.rateLimit),
    taskDefaults: {
      durationMs: number("--task-duration-ms", values["task-duration-ms"], LIMITS.taskDurationMs),
      outcome,
    },
  };
}

function parseFlags(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        "secret-id": { type: "string" },
        "secret-key": { type: "string" },
        token: { type: "string" },
        "rate-limit": { type: "string" },
        role: { type: "string", multiple: true },
        "credential-lifetime": { type: "string" },
        "task-duration-ms": { type: "string" },
        "task-outcome": { type: "string" },
        help: { type: "boolean" },
      },
    }).values;
  } catch (error) {
    // parseArgs names the unknown option or the one missing its value.
    throw new UsageError((error as Error).message);
  }
}

/** A number argument within its documented range (`LIMITS`). */
function number(name: string, value: string | undefined, range: Range): number | undefined {
  if (value === undefined) return undefined;
  const parsed = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!inRange(parsed, range)) throw new UsageError(`${name} must be ${describeRange(range)}, not "${value.slice(0, 40)}"`);
  return parsed;
}

/** What `--help` adds to the usage: the actions served, from the service table, and the control API. */
function servedHelp(): string {
  const rows = SERVICE_NAMES.map((name) => {
    const { product, version, actions } = SERVICE_TABLE[name];
    return `  ${name.padEnd(12)} ${product} ${version}: ${actions.map((action) => action.name).join(", ")}`;
  });
  return `
Actions served (status action first; the others start tasks or read more of them):
${rows.join("\n")}

Control API (JSON): POST /_emulator/tasks ({service, durationMs?, outcome?, message?, or
phases?: [{status, durationMs?, message?}] naming the service's raw status values, and its details}),
GET /_emulator/tasks, GET /_emulator/tasks/ID, POST/GET/DELETE /_emulator/faults,
POST/GET/DELETE /_emulator/scripts ({action, version?, product?, match?, responses: [1..1000 Response
objects, the last repeated]}), GET /_emulator/stats, GET /_emulator/requests, POST /_emulator/reset.
API request bodies are limited to 1 MB (HTTP 413), control bodies to 16 MB.
`;
}

async function main(): Promise<void> {
  let options: EmulatorOptions | "help";
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`emulator: ${error.message}\n\n${USAGE}`);
    process.exitCode = EXIT_USAGE;
    return;
  }
  if (options === "help") {
    process.stdout.write(USAGE + servedHelp());
    return;
  }
  const emulator = await startEmulator(options);
  process.stdout.write(`Tencent Cloud API emulator listening on ${emulator.url}\n`);
  const stop = () => void emulator.close();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
