import { DEFAULT_CREDENTIAL } from "../../emulator";
import { TaskCompletion } from "../../sdk";
import { runProgram } from "../harness/program";
import { HostCallError, ProviderHost, type Props } from "../harness/providerHost";
import { useEmulator } from "../support/emulator";
import { SESSION_TOKEN, expectNoSecrets } from "../support/secrets";

/** Temporary credentials: a SecretId, a SecretKey and the session token that must go with them. */
const temporary = { secretId: "AKIDTEMPORARY0000000000000000000000", secretKey: "temporary-secret-key-0000000000000", token: SESSION_TOKEN };
const emulator = useEmulator({ credentials: [DEFAULT_CREDENTIAL, temporary] });
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
