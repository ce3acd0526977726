import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { DEFAULT_CREDENTIAL } from "../../emulator";
import { TaskCompletion } from "../../sdk";
import { programModule, runProgram } from "../harness/program";
import { HostCallError, ProviderHost, type Props } from "../harness/providerHost";
import { useEmulator } from "../support/emulator";
import { SESSION_TOKEN, expectNoSecrets } from "../support/secrets";

/** Temporary credentials: a SecretId, a SecretKey and the session token that must go with them. */
const temporary = { secretId: "AKIDTEMPORARY0000000000000000000000", secretKey: "temporary-secret-key-0000000000000", token: SESSION_TOKEN };
/** The account the deployer role belongs to: the stack's keys assume it, as the official provider does with tencentcloud:assumeRole. */
const ROLE_ACCOUNT = "200000000002";
const ROLE = `qcs::cam::uin/${ROLE_ACCOUNT}:roleName/deployer`;
const emulator = useEmulator({ credentials: [DEFAULT_CREDENTIAL, temporary], roles: [{ roleArn: ROLE, allowedSecretIds: [DEFAULT_CREDENTIAL.secretId] }] });
const secrets = [DEFAULT_CREDENTIAL.secretKey, temporary.secretKey, SESSION_TOKEN];
const noCredentialEnv = { TENCENTCLOUD_SECRET_ID: "", TENCENTCLOUD_SECRET_KEY: "", TENCENTCLOUD_SESSION_TOKEN: "", TENCENTCLOUD_SECURITY_TOKEN: "", HOME: "/nonexistent" };
const hosts: ProviderHost[] = [];

afterAll(async () => {
  for (const host of hosts) {
    expectNoSecrets({ logs: host.logs, stdout: host.stdout, stderr: host.stderr }, secrets);
    await host.stop();
  }
});

async function startHost(env: NodeJS.ProcessEnv, config: Record<string, string> = {}, secretKeys: string[] = []): Promise<ProviderHost> {
  const host = await ProviderHost.start({ env: { ...noCredentialEnv, ...env } });
  hosts.push(host);
  await host.configure({ "tencentcloud:region": "ap-guangzhou", ...config }, secretKeys);
  return host;
}

/** `pulumi up` of a program with one wait on a new CLB task. */
async function up(host: ProviderHost, config: Record<string, string> = {}, secretKeys: string[] = []): Promise<{ inputs: Props; outputs?: Props; error?: Error }> {
  const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 300, outcome: "succeeded" });
  const [resource] = await runProgram(() => new TaskCompletion("wait", { service: "clb", taskId, endpoint: emulator.current.url }), { host, config, secretKeys });
  return resource;
}

test("from stack config, as secrets: temporary credentials with their session token", async () => {
  const config = { "tencentcloud:secretId": temporary.secretId, "tencentcloud:secretKey": temporary.secretKey, "tencentcloud:securityToken": temporary.token };
  const secretKeys = ["tencentcloud:secretKey", "tencentcloud:securityToken"];
  const host = await startHost({}, config, secretKeys);
  const result = await up(host, config, secretKeys);
  expect(result.outputs).toMatchObject({ status: "succeeded" });
  expectNoSecrets({ inputs: result.inputs, outputs: result.outputs }, secrets);
});

test("from env, with TENCENTCLOUD_SECURITY_TOKEN as the session token (the Terraform provider's name)", async () => {
  const host = await startHost({ TENCENTCLOUD_SECRET_ID: temporary.secretId, TENCENTCLOUD_SECRET_KEY: temporary.secretKey, TENCENTCLOUD_SECURITY_TOKEN: temporary.token });
  const result = await up(host);
  expect(result.outputs).toMatchObject({ status: "succeeded" });
  expectNoSecrets({ inputs: result.inputs, outputs: result.outputs }, secrets);
});

test("stack config wins over env", async () => {
  const host = await startHost(
    { TENCENTCLOUD_SECRET_ID: "AKIDSOMEONEELSE000000000000000000000", TENCENTCLOUD_SECRET_KEY: "not-this-one" },
    { "tencentcloud:secretId": DEFAULT_CREDENTIAL.secretId, "tencentcloud:secretKey": DEFAULT_CREDENTIAL.secretKey },
    ["tencentcloud:secretKey"],
  );
  await expect(up(host)).resolves.toMatchObject({ outputs: { status: "succeeded" } });
});

test("a wrong key: a clear AuthFailure after one request, naming where the credentials came from", async () => {
  const wrongKey = "wrong-secret-key-000000000000000000";
  const host = await startHost({}, { "tencentcloud:secretId": DEFAULT_CREDENTIAL.secretId, "tencentcloud:secretKey": wrongKey }, ["tencentcloud:secretKey"]);
  const { error } = await up(host);
  expect(error).toBeInstanceOf(HostCallError);
  expect(error!.message).toContain("AuthFailure.SignatureFailure");
  expect(error!.message).toContain("check that the SecretKey (from stack config tencentcloud:secretId / tencentcloud:secretKey) belongs to its SecretId");
  expect(error!.message).toContain("stack config tencentcloud:secretId / tencentcloud:secretKey");
  expect((await emulator.current.stats()).actions.DescribeTaskStatus.received).toBe(1);
  expectNoSecrets({ error }, [...secrets, wrongKey]);
});

test("no credentials at all: the step fails before any request, saying where to put them", async () => {
  const host = await startHost({});
  const { error } = await up(host);
  expect(error!.message).toContain("no Tencent Cloud credentials found");
  expect(error!.message).toContain("pulumi config set --secret tencentcloud:secretKey");
  expect((await emulator.current.stats()).actions).toEqual({});
});

describe("identities beyond the base keys", () => {
  const stackKeys = { "tencentcloud:secretId": DEFAULT_CREDENTIAL.secretId, "tencentcloud:secretKey": DEFAULT_CREDENTIAL.secretKey };
  const roleEnv = () => ({ TENCENTCLOUD_STS_ENDPOINT: emulator.current.url });

  /** The temporary keys and tokens the emulator issued: they must never show either. */
  async function temporarySecrets(): Promise<string[]> {
    return (await emulator.current.sessions()).flatMap((s) => [s.secretKey, s.token]);
  }

  test("stack config tencentcloud:assumeRole: the program waits in the role's account", async () => {
    const config = { ...stackKeys, "tencentcloud:assumeRole": JSON.stringify({ roleArn: ROLE, sessionName: "deploy", sessionDuration: 3600 }) };
    const host = await startHost(roleEnv(), config, ["tencentcloud:secretKey"]);
    const { taskId } = await emulator.current.account(ROLE_ACCOUNT).createTask({ service: "clb", durationMs: 300 });
    const [resource] = await runProgram(() => new TaskCompletion("wait", { service: "clb", taskId, endpoint: emulator.current.url }), { host, config, secretKeys: ["tencentcloud:secretKey"] });
    expect(resource.error).toBeUndefined();
    expect(resource.outputs).toMatchObject({ status: "succeeded" });
    expect(await emulator.current.sessions()).toEqual([expect.objectContaining({ roleArn: ROLE, sessionName: "deploy", account: ROLE_ACCOUNT })]);
    expectNoSecrets({ resource, logs: host.logs, stdout: host.stdout, stderr: host.stderr }, [...secrets, ...(await temporarySecrets())]);
  });

  test("the same program without the role asks the base account, which does not know the task", async () => {
    const host = await startHost(roleEnv(), stackKeys, ["tencentcloud:secretKey"]);
    const { taskId } = await emulator.current.account(ROLE_ACCOUNT).createTask({ service: "clb", durationMs: 300 });
    const [resource] = await runProgram(() => new TaskCompletion("wait", { service: "clb", taskId, endpoint: emulator.current.url }), { host, config: stackKeys, secretKeys: ["tencentcloud:secretKey"] });
    expect(resource.error!.message).toContain("InvalidParameter");
    expect(resource.error!.message).toContain("check the task id, region and account");
    // An unknown CLB id is waited out for the API's read-after-write lag first (docs/services.md).
  }, 60_000);

  test("a malformed tencentcloud:assumeRole fails every Check, naming the key and the field", async () => {
    const host = await startHost(roleEnv(), { ...stackKeys, "tencentcloud:assumeRole": JSON.stringify({ roleArn: "deployer" }) }, ["tencentcloud:secretKey"]);
    const [resource] = await runProgram(() => new TaskCompletion("wait", { service: "clb", taskId: "55c85074-0000-4000-8000-000000000000", endpoint: emulator.current.url }));
    for (let i = 0; i < 2; i++) {
      const { failures } = await host.check(resource.inputs);
      expect(failures).toEqual([{ property: "tencentcloud:assumeRole", reason: expect.stringContaining("stack config tencentcloud:assumeRole: assumeRole.roleArn: expected a role ARN") }]);
    }
  });

  test("stack config tencentcloud:profile in tencentcloud:sharedCredentialsDir, region from the profile", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "tccli-"));
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, "ci.credential"), JSON.stringify({ secretId: temporary.secretId, secretKey: temporary.secretKey, token: temporary.token }, null, 2));
    writeFileSync(path.join(folder, "ci.configure"), JSON.stringify({ _sys_param: { arrayCount: 10, output: "json", region: "ap-shanghai", warning: "off" } }, null, 2));
    const config = { "tencentcloud:profile": "ci", "tencentcloud:sharedCredentialsDir": folder };
    const host = await ProviderHost.start({ env: { ...noCredentialEnv } });
    hosts.push(host);
    await host.configure(config);
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 300, region: "ap-shanghai" });
    const [resource] = await runProgram(() => new TaskCompletion("wait", { service: "clb", taskId, endpoint: emulator.current.url }), { host, config });
    expect(resource.outputs).toMatchObject({ status: "succeeded", region: "ap-shanghai" });
  });

  test("examples/two-identities: one wait with the stack's keys, one in the role's account", async () => {
    const host = await startHost(roleEnv(), stackKeys, ["tencentcloud:secretKey"]);
    const main = await emulator.current.createTask({ service: "clb", durationMs: 800 });
    const shared = await emulator.current.account(ROLE_ACCOUNT).createTask({ service: "clb", durationMs: 800 });
    const config = {
      ...stackKeys,
      "tencentcloud:region": "ap-guangzhou",
      "two-identities:endpoint": emulator.current.url,
      "two-identities:mainTaskId": main.taskId,
      "two-identities:sharedTaskId": shared.taskId,
      "two-identities:sharedRoleArn": ROLE,
    };
    const resources = await runProgram(programModule(path.resolve(__dirname, "../../examples/two-identities")), { project: "two-identities", config, host, secretKeys: ["tencentcloud:secretKey"] });
    expect(resources.map((r) => [r.name, r.error?.message, r.outputs?.status])).toEqual([
      ["main-ready", undefined, "succeeded"],
      ["shared-ready", undefined, "succeeded"],
    ]);
    const sharedReady = resources.find((r) => r.name === "shared-ready")!;
    expect(sharedReady.outputs).toMatchObject({ assumeRole: { roleArn: ROLE, sessionName: "two-identities" } });
    // A new role is a new wait: the identity is part of what names the task.
    const { inputs } = await host.check({ ...sharedReady.inputs, assumeRole: { roleArn: "qcs::cam::uin/300000000003:roleName/other" } }, sharedReady.outputs!);
    expect(await host.diff(sharedReady.id!, sharedReady.outputs!, inputs)).toMatchObject({ changes: "some", replaces: ["assumeRole"] });
    expectNoSecrets({ resources, logs: host.logs, stdout: host.stdout, stderr: host.stderr }, [...secrets, ...(await temporarySecrets())]);
  });
});
