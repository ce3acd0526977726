import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_ACCOUNT, DEFAULT_CREDENTIAL, type Credential } from "../emulator";
import { credentialSettings, type CredentialSource } from "../provider/credentials";
import { parseEndpoint, type Endpoint } from "../provider/endpoint";
import { TaskApiError, TaskCredentialError, TaskInputError } from "../provider/errors";
import { parseTaskInputs } from "../provider/inputs";
import { parseSettings, stackConfiguration, type ConfiguredCredentials } from "../provider/settings";
import { parseWaitOptions, runWait, type WaitOptions } from "../provider/wait";
import { freshRuntime, useEmulator } from "./support/emulator";
import { expectNoSecrets } from "./support/secrets";

/** Base keys, each in an account of its own: a wait succeeds only with the keys of the task's account. */
const key = (name: string, account: string): Credential => ({
  secretId: `AKID${name.toUpperCase().padEnd(32, "0")}`,
  secretKey: `${name}-secret-key-0000000000000000`,
  account,
});
const STACK = key("stack", "100000000011");
const ENV = key("env", "100000000012");
const PROFILE = key("profile", "100000000013");
const NAMED = key("named", "100000000014");
const INI = key("ini", "100000000015");
const ROLE_ACCOUNT = "200000000002";
const ROLE = `qcs::cam::uin/${ROLE_ACCOUNT}:roleName/deployer`;
const OTHER_ROLE = "qcs::cam::uin/300000000003:roleName/auditor";
const LOCKED_ROLE = "qcs::cam::uin/400000000004:roleName/locked";
/** Temporary credentials of two CVM roles, as the metadata service hands them out. */
const CVM = { ...key("cvm", "100000000016"), token: "cvm-role-token-00000000000000000000" };
const CVM_NAMED = { ...key("cvmnamed", "100000000017"), token: "cvm-named-token-0000000000000000000" };
const BASES = [DEFAULT_CREDENTIAL, STACK, ENV, PROFILE, NAMED, INI, CVM, CVM_NAMED];

const emulator = useEmulator({
  credentials: BASES,
  roles: [{ roleArn: ROLE }, { roleArn: OTHER_ROLE, lifetimeSeconds: 3600 }, { roleArn: LOCKED_ROLE, allowedSecretIds: [STACK.secretId] }],
});
const secrets = [...BASES.map((c) => c.secretKey), CVM.token, CVM_NAMED.token];
let sts: Endpoint;
beforeAll(() => {
  sts = parseEndpoint(emulator.current.url) as Endpoint;
});

/** Env with no credentials anywhere, and a HOME without profile files. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { HOME: mkdtempSync(join(tmpdir(), "home-")), TENCENTCLOUD_STS_ENDPOINT: emulator.current.url, ...extra };
}

/** Sorted keys, two spaces, no final newline: what `tccli configure` writes (Python's json.dump with indent=2, sort_keys=True). */
function tccliJson(value: Record<string, unknown>): string {
  const sort = (v: unknown): unknown =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v;
  return JSON.stringify(sort(value), null, 2);
}

/** A tccli profile as `tccli configure --profile NAME` leaves it. */
function writeProfile(folder: string, name: string, credential: Record<string, string>, region = "ap-guangzhou"): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, `${name}.credential`), tccliJson(credential));
  writeFileSync(
    join(folder, `${name}.configure`),
    tccliJson({ _sys_param: { arrayCount: 10, output: "json", region, warning: "off" }, clb: { endpoint: "clb.tencentcloudapi.com", version: "2018-03-17" } }),
  );
}

async function taskIn(account: string): Promise<string> {
  return (await emulator.current.account(account).createTask({ service: "clb", durationMs: 0 })).taskId;
}

/** Where a wait's credentials may come from, as the provider sees them: stack config, env, and waitForTask's option. */
interface Sources {
  stack?: Omit<ConfiguredCredentials, "keysOrigin" | "assumeRoleOrigin">;
  env: NodeJS.ProcessEnv;
  explicit?: CredentialSource;
}

/** The credential settings the provider parses from `sources`, with STS at the emulator. */
function credentialsOf({ stack = {}, env, explicit }: Sources, identity?: Parameters<typeof credentialSettings>[1]) {
  const config = (key: string) => {
    const value = (stack as Record<string, unknown>)[key.replace(/^tencentcloud:/, "")];
    return typeof value === "object" ? JSON.stringify(value) : (value as string | undefined);
  };
  const { settings, failures } = parseSettings(stackConfiguration(config), env);
  if (failures.length > 0) throw new Error(JSON.stringify(failures));
  return { ...credentialSettings(settings, identity, explicit), sts };
}

/** One wait on a new task of `account`, with the credentials of `sources` (as the provider passes them). */
async function waitIn(account: string, sources: Sources, inputs: Record<string, unknown> = {}) {
  const taskId = await taskIn(account);
  const { spec, failures } = parseTaskInputs({ service: "clb", taskId, region: "ap-guangzhou", endpoint: emulator.current.url, timeoutSeconds: 20, ...inputs });
  if (!spec) throw new Error(JSON.stringify(failures));
  return runWait(spec, { credentials: credentialsOf(sources, spec.identity) }, freshRuntime());
}

/** `waitForTask` with `env` as the environment. */
async function waitForTaskIn(account: string, env: NodeJS.ProcessEnv, options: Partial<WaitOptions> = {}) {
  const taskId = await taskIn(account);
  const { spec, run } = await parseWaitOptions({ service: "clb", taskId, region: "ap-guangzhou", endpoint: emulator.current.url, timeoutSeconds: 20, ...options } as WaitOptions, env);
  return runWait(spec, run, freshRuntime());
}

const CLI = join(__dirname, "../dist/sdk/cli.js");

/** The command `tencentcloud-task-wait clb TASK... --json` in a process of its own, with exactly `env`. */
function command(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, "clb", ...args, "--region", "ap-guangzhou", "--endpoint", emulator.current.url, "--json", "--timeout", "20"], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

const stackKeys = { secretId: STACK.secretId, secretKey: STACK.secretKey };
const envKeys = { TENCENTCLOUD_SECRET_ID: ENV.secretId, TENCENTCLOUD_SECRET_KEY: ENV.secretKey };
const asTccli = (c: Credential) => ({ secretId: c.secretId, secretKey: c.secretKey });

describe("each link of the chain alone", () => {
  test("stack config keys", async () => {
    await expect(waitIn(STACK.account!, { stack: stackKeys, env: cleanEnv() })).resolves.toMatchObject({ status: "succeeded" });
  });

  test("env keys", async () => {
    await expect(waitIn(ENV.account!, { env: cleanEnv(envKeys) })).resolves.toMatchObject({ status: "succeeded" });
  });

  test("the default tccli profile in ~/.tccli, as tccli configure writes it, region from its .configure", async () => {
    const env = cleanEnv();
    writeProfile(join(env.HOME!, ".tccli"), "default", asTccli(PROFILE), "ap-shanghai");
    // No region given: the profile's.
    const taskId = (await emulator.current.account(PROFILE.account!).createTask({ service: "clb", durationMs: 0, region: "ap-shanghai" })).taskId;
    const { spec, run } = await parseWaitOptions({ service: "clb", taskId, endpoint: emulator.current.url, timeoutSeconds: 20 }, env);
    expect(spec.query.request.region).toBe("ap-shanghai");
    await expect(runWait(spec, run, freshRuntime())).resolves.toMatchObject({ status: "succeeded", region: "ap-shanghai" });
  });

  test("a named profile (TENCENTCLOUD_PROFILE) in another folder (TENCENTCLOUD_SHARED_CREDENTIALS_DIR)", async () => {
    const folder = mkdtempSync(join(tmpdir(), "tccli-"));
    writeProfile(folder, "ci", asTccli(NAMED));
    writeProfile(folder, "default", asTccli(PROFILE));
    const env = cleanEnv({ TENCENTCLOUD_PROFILE: "ci", TENCENTCLOUD_SHARED_CREDENTIALS_DIR: folder });
    await expect(waitForTaskIn(NAMED.account!, env)).resolves.toMatchObject({ status: "succeeded" });
  });

  test("stack config tencentcloud:profile and tencentcloud:sharedCredentialsDir", async () => {
    const folder = mkdtempSync(join(tmpdir(), "tccli-"));
    writeProfile(folder, "ci", asTccli(NAMED));
    await expect(waitIn(NAMED.account!, { stack: { profile: "ci", sharedCredentialsDir: folder }, env: cleanEnv() })).resolves.toMatchObject({ status: "succeeded" });
  });

  test("the SDK's INI file ~/.tencentcloud/credentials (through the command: the SDK reads the process's home)", async () => {
    const env = cleanEnv();
    mkdirSync(join(env.HOME!, ".tencentcloud"));
    writeFileSync(join(env.HOME!, ".tencentcloud", "credentials"), `[default]\nsecret_id = ${INI.secretId}\nsecret_key = ${INI.secretKey}\n`);
    const run = await command([await taskIn(INI.account!)], env);
    expect(run).toMatchObject({ code: 0 });
    expectNoSecrets({ run }, secrets);
  });

  test("nothing anywhere: NoCredentials before any request, naming what was tried", async () => {
    const error = await waitForTaskIn(DEFAULT_ACCOUNT, cleanEnv()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskCredentialError);
    expect((error as TaskCredentialError).message).toContain("tccli profile `default` in ~/.tccli: none");
    expect((error as TaskCredentialError).message).toContain("tccli configure");
    expect((await emulator.current.stats()).actions.DescribeTaskStatus).toBeUndefined();
  });
});

describe("a web identity token (OIDC), the last link", () => {
  const OIDC_ROLE = "qcs::cam::uin/900000000009:roleName/ci-oidc";
  const TOKEN = "eyJhbGciOiJSUzI1NiJ9.web-identity-token-0000.signature";
  beforeEach(() => emulator.current.addRole({ roleArn: OIDC_ROLE, webIdentity: { providerId: "github-actions", token: TOKEN } }));
  const oidcEnv = (file: string) =>
    cleanEnv({ TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE: file, TENCENTCLOUD_ASSUME_ROLE_PROVIDER_ID: "github-actions", TENCENTCLOUD_ASSUME_ROLE_ARN: OIDC_ROLE, TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: "ci-run" });

  test("from a token file: AssumeRoleWithWebIdentity, the wait in the role's account", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "oidc-")), "token");
    writeFileSync(file, `${TOKEN}\n`);
    const result = await waitIn("900000000009", { env: oidcEnv(file) });
    expect(result.status).toBe("succeeded");
    expect((await emulator.current.sessions())[0]).toMatchObject({ roleArn: OIDC_ROLE, sessionName: "ci-run" });
    expectNoSecrets({ result }, [...secrets, TOKEN]);
  });

  test("keys found earlier in the chain win over it", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "oidc-")), "token");
    writeFileSync(file, TOKEN);
    await expect(waitIn(ENV.account!, { env: { ...oidcEnv(file), ...envKeys } })).resolves.toMatchObject({ status: "succeeded" });
    expect(await emulator.current.sessions()).toEqual([]);
  });

  test("a token STS refuses, and a token file that cannot be read: named, never quoted", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "oidc-")), "token");
    writeFileSync(file, "not-the-token-0000000000");
    const refused = await waitIn("900000000009", { env: oidcEnv(file) }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "AssumeRoleFailed" });
    expect((refused as Error).message).toContain(`assuming role ${OIDC_ROLE} (env TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE) with the web identity token of provider github-actions`);
    expect((refused as Error).message).toContain("InvalidParameter.WebIdentityTokenError");
    expectNoSecrets({ refused }, ["not-the-token-0000000000"]);
    const missing = await waitIn("900000000009", { env: oidcEnv(join(file, "nope")) }).catch((e: unknown) => e);
    expect((missing as Error).message).toContain("the web identity token file of env TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE cannot be read (an error ENOTDIR)");
  });
});

describe("which link wins", () => {
  test("explicit over stack config over env over the tccli profile", async () => {
    const folder = mkdtempSync(join(tmpdir(), "tccli-"));
    writeProfile(folder, "default", asTccli(PROFILE));
    const env = cleanEnv({ ...envKeys, TENCENTCLOUD_SHARED_CREDENTIALS_DIR: folder });
    await expect(waitIn(DEFAULT_ACCOUNT, { explicit: DEFAULT_CREDENTIAL, stack: stackKeys, env })).resolves.toMatchObject({ status: "succeeded" });
    await expect(waitIn(STACK.account!, { stack: stackKeys, env })).resolves.toMatchObject({ status: "succeeded" });
    await expect(waitIn(ENV.account!, { env })).resolves.toMatchObject({ status: "succeeded" });
    const noEnvKeys = { ...env, TENCENTCLOUD_SECRET_ID: "", TENCENTCLOUD_SECRET_KEY: "" };
    await expect(waitIn(PROFILE.account!, { env: noEnvKeys })).resolves.toMatchObject({ status: "succeeded" });
    // The losers' accounts do not know the task: the keys used were the winner's.
    await expect(waitIn(ENV.account!, { stack: stackKeys, env })).rejects.toMatchObject({ code: "InvalidParameter" });
  });

  test("the tccli profile over the SDK's INI file", async () => {
    const env = cleanEnv();
    writeProfile(join(env.HOME!, ".tccli"), "default", asTccli(PROFILE));
    mkdirSync(join(env.HOME!, ".tencentcloud"));
    writeFileSync(join(env.HOME!, ".tencentcloud", "credentials"), `[default]\nsecret_id = ${INI.secretId}\nsecret_key = ${INI.secretKey}\n`);
    expect(await command([await taskIn(PROFILE.account!)], env)).toMatchObject({ code: 0 });
  });

  test("a resource's own profile over stack config and env", async () => {
    const folder = mkdtempSync(join(tmpdir(), "tccli-"));
    writeProfile(folder, "ci", asTccli(NAMED));
    const env = cleanEnv({ ...envKeys, TENCENTCLOUD_SHARED_CREDENTIALS_DIR: folder });
    await expect(waitIn(NAMED.account!, { stack: stackKeys, env }, { profile: "ci" })).resolves.toMatchObject({ status: "succeeded" });
  });
});

describe("the command's identity flags", () => {
  test("--profile NAME and --role-arn ARN --role-session-name NAME", async () => {
    const folder = mkdtempSync(join(tmpdir(), "tccli-"));
    writeProfile(folder, "ci", asTccli(NAMED));
    const env = cleanEnv({ ...envKeys, TENCENTCLOUD_SHARED_CREDENTIALS_DIR: folder });
    expect(await command([await taskIn(NAMED.account!), "--profile", "ci"], env)).toMatchObject({ code: 0 });
    const run = await command([await taskIn(ROLE_ACCOUNT), "--role-arn", ROLE, "--role-session-name", "from-command"], env);
    expect(run).toMatchObject({ code: 0 });
    expect((await emulator.current.sessions())[0]).toMatchObject({ sessionName: "from-command" });
    const refused = await command([await taskIn(ROLE_ACCOUNT), "--role-arn", LOCKED_ROLE], env);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`assuming role ${LOCKED_ROLE}`);
    expectNoSecrets({ run, refused }, secrets);
  });
});

describe("profile files that are wrong", () => {
  test("a named profile that does not exist is an error naming it, not a fall-through", async () => {
    const folder = mkdtempSync(join(tmpdir(), "tccli-"));
    const error = await waitForTaskIn(DEFAULT_ACCOUNT, cleanEnv({ TENCENTCLOUD_PROFILE: "nope", TENCENTCLOUD_SHARED_CREDENTIALS_DIR: folder })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskCredentialError);
    expect((error as Error).message).toContain(`tccli profile \`nope\` in ${folder} does not exist`);
  });

  test("a credential file that is not JSON: named, described, its text never quoted", async () => {
    const folder = mkdtempSync(join(tmpdir(), "tccli-"));
    writeFileSync(join(folder, "default.credential"), `{"secretId": "${PROFILE.secretId}", "secretKey": "${PROFILE.secretKey}",,}`);
    const error = await waitForTaskIn(DEFAULT_ACCOUNT, cleanEnv({ TENCENTCLOUD_SHARED_CREDENTIALS_DIR: folder })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskCredentialError);
    expect((error as Error).message).toContain(`default.credential of tccli profile \`default\` in ${folder} is not valid JSON`);
    expect((error as Error).message).not.toContain(PROFILE.secretId);
    expectNoSecrets({ error }, [PROFILE.secretKey, ",,"]);
  });

  test("values are trimmed, as the official provider trims them", async () => {
    const folder = mkdtempSync(join(tmpdir(), "tccli-"));
    writeProfile(folder, "default", { secretId: ` ${PROFILE.secretId}\n`, secretKey: `${PROFILE.secretKey}\n` });
    await expect(waitForTaskIn(PROFILE.account!, cleanEnv({ TENCENTCLOUD_SHARED_CREDENTIALS_DIR: folder }))).resolves.toMatchObject({ status: "succeeded" });
  });
});

describe("assume role", () => {
  test("from stack config: the wait acts in the role's account, and the temporary secrets never show", async () => {
    const events: unknown[] = [];
    const taskId = await taskIn(ROLE_ACCOUNT);
    const { spec } = parseTaskInputs({ service: "clb", taskId, region: "ap-guangzhou", endpoint: emulator.current.url });
    const result = await runWait(spec!, { credentials: credentialsOf({ stack: { ...stackKeys, assumeRole: { roleArn: ROLE, sessionName: "deploy" } }, env: cleanEnv() }), onProgress: (e) => events.push(e) }, freshRuntime());
    expect(result.status).toBe("succeeded");
    const [session] = await emulator.current.sessions();
    expect(session).toMatchObject({ roleArn: ROLE, account: ROLE_ACCOUNT, sessionName: "deploy" });
    expectNoSecrets({ result, events }, secrets);
  });

  test("from env (ARN and session name), on top of env keys", async () => {
    const env = cleanEnv({ ...envKeys, TENCENTCLOUD_ASSUME_ROLE_ARN: ROLE, TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: "ci", TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION: "900" });
    await expect(waitForTaskIn(ROLE_ACCOUNT, env)).resolves.toMatchObject({ status: "succeeded" });
    expect((await emulator.current.sessions())[0]).toMatchObject({ sessionName: "ci" });
  });

  test("from env, an ARN without a session name is not assumed, as the official provider does", async () => {
    await expect(waitForTaskIn(ENV.account!, cleanEnv({ ...envKeys, TENCENTCLOUD_ASSUME_ROLE_ARN: ROLE }))).resolves.toMatchObject({ status: "succeeded" });
    expect(await emulator.current.sessions()).toEqual([]);
  });

  test("from the tccli profile's role-arn and role-session-name, with the profile's keys", async () => {
    const folder = mkdtempSync(join(tmpdir(), "tccli-"));
    writeProfile(folder, "ci", { ...asTccli(NAMED), "role-arn": ROLE, "role-session-name": "from-profile" });
    await expect(waitForTaskIn(ROLE_ACCOUNT, cleanEnv({ TENCENTCLOUD_PROFILE: "ci", TENCENTCLOUD_SHARED_CREDENTIALS_DIR: folder }))).resolves.toMatchObject({ status: "succeeded" });
    expect((await emulator.current.sessions())[0]).toMatchObject({ sessionName: "from-profile" });
  });

  test("stack config over env over the profile; a resource's own over all of them", async () => {
    const folder = mkdtempSync(join(tmpdir(), "tccli-"));
    writeProfile(folder, "default", { ...asTccli(PROFILE), "role-arn": OTHER_ROLE, "role-session-name": "from-profile" });
    const env = cleanEnv({ TENCENTCLOUD_SHARED_CREDENTIALS_DIR: folder, TENCENTCLOUD_ASSUME_ROLE_ARN: OTHER_ROLE, TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: "from-env" });
    await expect(waitIn(ROLE_ACCOUNT, { stack: { assumeRole: { roleArn: ROLE } }, env })).resolves.toMatchObject({ status: "succeeded" });
    await expect(waitIn(ROLE_ACCOUNT, { stack: { assumeRole: { roleArn: OTHER_ROLE } }, env }, { assumeRole: { roleArn: ROLE } })).resolves.toMatchObject({ status: "succeeded" });
    await expect(waitIn("300000000003", { env })).resolves.toMatchObject({ status: "succeeded" });
  });

  test("per resource: two waits with two identities in one process", async () => {
    const folder = mkdtempSync(join(tmpdir(), "tccli-"));
    writeProfile(folder, "ci", asTccli(NAMED));
    const env = cleanEnv({ ...envKeys, TENCENTCLOUD_SHARED_CREDENTIALS_DIR: folder });
    const [a, b] = await Promise.all([waitIn(ROLE_ACCOUNT, { env }, { assumeRole: { roleArn: ROLE, sessionName: "per-resource" } }), waitIn(NAMED.account!, { env }, { profile: "ci" })]);
    expect([a.status, b.status]).toEqual(["succeeded", "succeeded"]);
  });

  test("waitForTask's assumeRole option on top of its credentials option", async () => {
    await expect(waitForTaskIn(ROLE_ACCOUNT, cleanEnv(), { credentials: DEFAULT_CREDENTIAL, assumeRole: { roleArn: ROLE } })).resolves.toMatchObject({ status: "succeeded" });
  });

  test("with the base keys, a task of the role's account is unknown, as in the cloud", async () => {
    const error = await waitIn(ROLE_ACCOUNT, { stack: stackKeys, env: cleanEnv() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskApiError);
    expect((error as TaskApiError).code).toBe("InvalidParameter");
  });

  test("a role that cannot be assumed ends the wait at once, naming the role and the STS error; no status call", async () => {
    for (const [roleArn, code] of [
      [LOCKED_ROLE, "UnauthorizedOperation"],
      ["qcs::cam::uin/500000000005:roleName/missing", "ResourceNotFound.RoleNotExist"],
    ]) {
      const error = await waitIn(ROLE_ACCOUNT, { env: cleanEnv(envKeys) }, { assumeRole: { roleArn } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TaskCredentialError);
      expect(error).toMatchObject({ code: "AssumeRoleFailed", attempts: 0 });
      expect((error as Error).message).toContain(`assuming role ${roleArn} (the assumeRole input) with the keys from env TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY`);
      expect((error as Error).message).toContain(`STS answered ${code}`);
      expectNoSecrets({ error }, secrets);
    }
    expect((await emulator.current.stats()).actions.DescribeTaskStatus).toBeUndefined();
  });

  test("a transient STS failure (InternalError, a reset connection) is retried within the deadline", async () => {
    const flaky = "qcs::cam::uin/300000000003:roleName/flaky";
    await emulator.current.addRole({ roleArn: flaky });
    await emulator.current.addFault({ kind: "InternalError", action: "AssumeRole", count: 1 });
    await emulator.current.addFault({ kind: "reset", action: "AssumeRole", count: 1 });
    await expect(waitIn("300000000003", { env: cleanEnv(envKeys) }, { assumeRole: { roleArn: flaky } })).resolves.toMatchObject({ status: "succeeded" });
    expect((await emulator.current.stats()).actions.AssumeRole.received).toBe(3);
  });

  test("a wait that outlives two credential lifetimes keeps working, renewing before each expiry", async () => {
    await emulator.current.addRole({ roleArn: "qcs::cam::uin/600000000006:roleName/short", lifetimeSeconds: 2 });
    const { taskId } = await emulator.current.account("600000000006").createTask({ service: "clb", durationMs: 5500 });
    const { spec } = parseTaskInputs({ service: "clb", taskId, region: "ap-guangzhou", endpoint: emulator.current.url, timeoutSeconds: 30 });
    const events: unknown[] = [];
    const result = await runWait(spec!, { credentials: { sts, explicit: DEFAULT_CREDENTIAL, identity: { assumeRole: { roleArn: "qcs::cam::uin/600000000006:roleName/short" } } }, onProgress: (e) => events.push(e) }, freshRuntime());
    expect(result.status).toBe("succeeded");
    const stats = await emulator.current.stats();
    expect(stats.actions.AssumeRole.received).toBeGreaterThanOrEqual(3);
    // Renewed in time: no status call was refused for an expired token.
    expect(stats.actions.DescribeTaskStatus.authRejected ?? 0).toBe(0);
    expectNoSecrets({ result, events }, secrets);
  }, 20_000);

  test("AuthFailure.TokenFailure (credentials revoked mid-wait) renews once and the wait goes on", async () => {
    const { taskId } = await emulator.current.account("300000000003").createTask({ service: "clb", durationMs: 2500 });
    const { spec } = parseTaskInputs({ service: "clb", taskId, region: "ap-guangzhou", endpoint: emulator.current.url, timeoutSeconds: 30 });
    const wait = runWait(spec!, { credentials: { sts, explicit: DEFAULT_CREDENTIAL, identity: { assumeRole: { roleArn: OTHER_ROLE } } } }, freshRuntime());
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await emulator.current.expireSessions()).toBeGreaterThanOrEqual(1);
    await expect(wait).resolves.toMatchObject({ status: "succeeded" });
    const stats = await emulator.current.stats();
    expect(stats.actions.DescribeTaskStatus.authRejected).toBe(1);
    expect(stats.actions.AssumeRole.received).toBe(2);
  });
});

describe("malformed credentials are input errors before any request", () => {
  test.each([
    ["a zero-width space", "\u200b"],
    ["a word joiner", "\u2060"],
    ["a CJK character", "密"],
    ["an emoji", "🔑"],
    ["a space inside", "a b"],
  ])("%s in the SecretKey: InvalidCredentials naming the field and the source", async (_what, bad) => {
    const error = await waitForTaskIn(DEFAULT_ACCOUNT, cleanEnv({ TENCENTCLOUD_SECRET_ID: DEFAULT_CREDENTIAL.secretId, TENCENTCLOUD_SECRET_KEY: `${DEFAULT_CREDENTIAL.secretKey.slice(0, 10)}${bad}${DEFAULT_CREDENTIAL.secretKey.slice(10)}` })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskCredentialError);
    expect(error).toMatchObject({ code: "InvalidCredentials" });
    expect((error as Error).message).toContain("the SecretKey from env TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY contains");
    expect((await emulator.current.stats()).actions).toEqual({});
  });

  test("an invisible character in a tccli profile's secretId names the profile", async () => {
    const folder = mkdtempSync(join(tmpdir(), "tccli-"));
    writeProfile(folder, "default", { secretId: `${PROFILE.secretId}\u200b`, secretKey: PROFILE.secretKey });
    const error = await waitForTaskIn(DEFAULT_ACCOUNT, cleanEnv({ TENCENTCLOUD_SHARED_CREDENTIALS_DIR: folder })).catch((e: unknown) => e);
    expect((error as Error).message).toContain(`the SecretId from tccli profile \`default\` in ${folder} contains the character U+200B`);
  });

  test("bad identity inputs name the field", async () => {
    await expect(parseWaitOptions({ service: "clb", taskId: "x", assumeRole: { roleArn: "arn:aws:iam::1:role/x" } } as WaitOptions, cleanEnv())).rejects.toThrow(/assumeRole: assumeRole\.roleArn: expected a role ARN/);
    await expect(parseWaitOptions({ service: "clb", taskId: "x", assumeRole: { roleArn: ROLE, sessionDuration: 5 } } as WaitOptions, cleanEnv())).rejects.toThrow(/assumeRole\.sessionDuration: expected whole seconds from 900 to 43200/);
    await expect(parseWaitOptions({ service: "clb", taskId: "x", profile: "../etc" } as WaitOptions, cleanEnv())).rejects.toThrow(/profile: expected a tccli profile name/);
    await expect(parseWaitOptions({ service: "clb", taskId: "x", credentials: DEFAULT_CREDENTIAL, profile: "ci" } as WaitOptions, cleanEnv())).rejects.toThrow(TaskInputError);
    await expect(parseWaitOptions({ service: "clb", taskId: "x" } as WaitOptions, { TENCENTCLOUD_STS_ENDPOINT: "http://sts.example.com" })).rejects.toThrow(/env TENCENTCLOUD_STS_ENDPOINT: plain http/);
  });
});

describe("a credentials source object that refreshes", () => {
  test("a refresh that fails once is retried; the wait succeeds", async () => {
    let calls = 0;
    const source = {
      getCredential: async () => {
        calls++;
        if (calls === 2) throw new Error(`metadata said ${DEFAULT_CREDENTIAL.secretKey}`);
        return { ...DEFAULT_CREDENTIAL };
      },
    };
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 1500 });
    const events: { kind: string; reason?: string }[] = [];
    const { spec, run } = await parseWaitOptions({ service: "clb", taskId, region: "ap-guangzhou", endpoint: emulator.current.url, credentials: source, onProgress: (e) => events.push(e as never) }, cleanEnv());
    await expect(runWait(spec, run, freshRuntime())).resolves.toMatchObject({ status: "succeeded" });
    expect(events.find((e) => e.kind === "retry")?.reason).toBe("refreshing the credentials from the credentials option failed (an error); retrying");
    expectNoSecrets({ events }, secrets);
  });

  test("a refresh that hangs is bounded by the per-call timeout, then retried", async () => {
    let calls = 0;
    const source = { getCredential: () => (++calls === 2 ? new Promise<never>(() => undefined) : Promise.resolve({ ...DEFAULT_CREDENTIAL })) };
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 1000 });
    const { spec, run } = await parseWaitOptions({ service: "clb", taskId, region: "ap-guangzhou", endpoint: emulator.current.url, credentials: source, timeoutSeconds: 60 }, cleanEnv());
    const started = Date.now();
    await expect(runWait(spec, run, freshRuntime({ requestTimeoutMs: 500 }))).resolves.toMatchObject({ status: "succeeded" });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test("a refresh that keeps failing is a credential error", async () => {
    let calls = 0;
    const source = { getCredential: async () => (++calls === 1 ? { ...DEFAULT_CREDENTIAL } : Promise.reject(new TypeError("boom"))) };
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 60_000 });
    const { spec, run } = await parseWaitOptions({ service: "clb", taskId, region: "ap-guangzhou", endpoint: emulator.current.url, credentials: source, timeoutSeconds: 60 }, cleanEnv());
    const error = await runWait(spec, run, freshRuntime()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskCredentialError);
    expect((error as Error).message).toContain("refreshing the credentials from the credentials option failed (TypeError), 3 times in a row");
  }, 20_000);
});

// Last: the SDK keeps the instance role's credentials for the process, so that later look-ups would find them.
describe("the CVM role, from the metadata service (reached through http_proxy, as the SDK reaches it)", () => {
  let metadata: Server;
  let proxy: Server;
  let proxyBefore: string | undefined;
  beforeAll(async () => {
    const roles: Record<string, Credential & { token: string }> = { "ci-role": CVM, "named-role": CVM_NAMED };
    metadata = createServer((req, res) => {
      const name = /^\/latest\/meta-data\/cam\/security-credentials\/(.*)$/.exec(req.url ?? "")?.[1];
      if (name === "") return res.end("ci-role");
      const role = name !== undefined ? roles[name] : undefined;
      if (!role) return res.writeHead(404).end();
      const expires = Math.floor(Date.now() / 1000) + 3600;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ TmpSecretId: role.secretId, TmpSecretKey: role.secretKey, Token: role.token, ExpiredTime: expires, Expiration: new Date(expires * 1000).toISOString(), Code: "Success" }));
    });
    // metadata.tencentyun.com:80, tunnelled to the local metadata server.
    proxy = createServer();
    proxy.on("connect", (req: IncomingMessage, socket: Socket) => {
      const upstream = connect((metadata.address() as AddressInfo).port, "127.0.0.1", () => {
        socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.pipe(socket).pipe(upstream);
      });
      upstream.on("error", () => socket.destroy());
      socket.on("error", () => upstream.destroy());
    });
    await Promise.all([new Promise<void>((resolve) => metadata.listen(0, "127.0.0.1", resolve)), new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve))]);
    proxyBefore = process.env.http_proxy;
    process.env.http_proxy = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    if (proxyBefore === undefined) delete process.env.http_proxy;
    else process.env.http_proxy = proxyBefore;
    metadata.closeAllConnections();
    proxy.closeAllConnections();
    await Promise.all([new Promise((resolve) => metadata.close(resolve)), new Promise((resolve) => proxy.close(resolve))]);
  });

  test("the role bound to the instance, with its token", async () => {
    const result = await waitIn(CVM.account!, { env: cleanEnv() });
    expect(result.status).toBe("succeeded");
    expectNoSecrets({ result }, secrets);
  });

  test("a named role: TENCENTCLOUD_CAM_ROLE_NAME, or stack config tencentcloud:camRoleName", async () => {
    await expect(waitIn(CVM_NAMED.account!, { env: cleanEnv({ TENCENTCLOUD_CAM_ROLE_NAME: "named-role" }) })).resolves.toMatchObject({ status: "succeeded" });
    await expect(waitIn(CVM_NAMED.account!, { stack: { camRoleName: "named-role" }, env: cleanEnv() })).resolves.toMatchObject({ status: "succeeded" });
  });

  test("a role name the metadata service does not know: named in the error, with what was tried", async () => {
    const error = await waitIn(CVM.account!, { env: cleanEnv({ TENCENTCLOUD_CAM_ROLE_NAME: "nope" }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskCredentialError);
    expect((error as Error).message).toContain("CVM role nope: the CVM metadata service gave no credentials for role nope");
  });

  test("a role assumed on top of the instance role's credentials", async () => {
    await emulator.current.addRole({ roleArn: ROLE, allowedSecretIds: [CVM.secretId] });
    try {
      await expect(waitIn(ROLE_ACCOUNT, { env: cleanEnv() }, { assumeRole: { roleArn: ROLE } })).resolves.toMatchObject({ status: "succeeded" });
    } finally {
      await emulator.current.addRole({ roleArn: ROLE });
    }
  });
});
