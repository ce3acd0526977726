import { spawn } from "node:child_process";
import { join } from "node:path";
import { clb } from "tencentcloud-sdk-nodejs/tencentcloud/services/clb";
import { sts } from "tencentcloud-sdk-nodejs/tencentcloud/services/sts";
import type { Credential } from "tencentcloud-sdk-nodejs/tencentcloud/common/interface";
import { DEFAULT_ACCOUNT, DEFAULT_CREDENTIAL } from "../emulator";
import { NO_CONFIGURATION, parseSettings } from "../provider/settings";
import { useEmulator } from "./support/emulator";

/** The emulator's STS and accounts, driven through the SDK's own clients, as any program would. */
const OTHER = { secretId: "AKIDOTHER000000000000000000000000000", secretKey: "other-secret-key-000000000000000000" };
const ROLE = "qcs::cam::uin/200000000002:roleName/deployer";
const emulator = useEmulator({ credentials: [DEFAULT_CREDENTIAL, OTHER], roles: [{ roleArn: ROLE, allowedSecretIds: [DEFAULT_CREDENTIAL.secretId] }] });

const profile = () => ({ httpProfile: { endpoint: new URL(emulator.current.url).host, protocol: "http://" } });
const stsClient = (credential: Credential) => new sts.v20180813.Client({ credential, region: "ap-guangzhou", profile: profile() });
const clbClient = (credential: Credential) => new clb.v20180317.Client({ credential, region: "ap-guangzhou", profile: profile() });

async function assume(credential: Credential = DEFAULT_CREDENTIAL, params: Partial<{ RoleArn: string; DurationSeconds: number; ExternalId: string }> = {}) {
  const answer = await stsClient(credential).AssumeRole({ RoleArn: ROLE, RoleSessionName: "test", ...params });
  return { answer, credential: { secretId: answer.Credentials!.TmpSecretId, secretKey: answer.Credentials!.TmpSecretKey, token: answer.Credentials!.Token } };
}

test("AssumeRole answers temporary credentials that act in the role's account", async () => {
  const before = Math.floor(Date.now() / 1000);
  const { answer, credential } = await assume(DEFAULT_CREDENTIAL, { DurationSeconds: 900 });
  expect(answer.ExpiredTime).toBeGreaterThanOrEqual(before + 899);
  expect(answer.ExpiredTime).toBeLessThanOrEqual(before + 901);
  expect(answer.Expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const inRole = await emulator.current.account("200000000002").createTask({ service: "clb", durationMs: 0 });
  const inBase = await emulator.current.createTask({ service: "clb", durationMs: 0 });
  await expect(clbClient(credential).DescribeTaskStatus({ TaskId: inRole.taskId })).resolves.toMatchObject({ Status: 0 });
  // Each account knows only its own tasks: the API's unknown-task answer.
  await expect(clbClient(credential).DescribeTaskStatus({ TaskId: inBase.taskId })).rejects.toMatchObject({ code: "InvalidParameter" });
  await expect(clbClient(DEFAULT_CREDENTIAL).DescribeTaskStatus({ TaskId: inRole.taskId })).rejects.toMatchObject({ code: "InvalidParameter" });
  expect(await emulator.current.account("200000000002").listTasks()).toHaveLength(1);
  expect((await emulator.current.account(DEFAULT_ACCOUNT).listTasks()).map((t) => t.taskId)).toEqual([inBase.taskId]);
});

test("the token must go with the temporary keys, and expires", async () => {
  const { credential } = await assume();
  const { taskId } = await emulator.current.account("200000000002").createTask({ service: "clb", durationMs: 0 });
  await expect(clbClient({ ...credential, token: undefined }).DescribeTaskStatus({ TaskId: taskId })).rejects.toMatchObject({ code: "AuthFailure.TokenFailure" });
  await expect(clbClient({ ...credential, token: "not-the-token" }).DescribeTaskStatus({ TaskId: taskId })).rejects.toMatchObject({ code: "AuthFailure.TokenFailure" });
  expect(await emulator.current.expireSessions()).toBe(1);
  await expect(clbClient(credential).DescribeTaskStatus({ TaskId: taskId })).rejects.toMatchObject({ code: "AuthFailure.TokenFailure", message: expect.stringContaining("expired") });
  expect((await emulator.current.sessions())[0]).toMatchObject({ expired: true, roleArn: ROLE, account: "200000000002" });
});

test("a configured lifetime overrides DurationSeconds; tokens stop working when it ends", async () => {
  await emulator.current.addRole({ roleArn: "qcs::cam::uin/700000000007:roleName/brief", lifetimeSeconds: 1 });
  const { credential } = await assume(DEFAULT_CREDENTIAL, { RoleArn: "qcs::cam::uin/700000000007:roleName/brief", DurationSeconds: 7200 });
  const { taskId } = await emulator.current.account("700000000007").createTask({ service: "clb", durationMs: 0 });
  await expect(clbClient(credential).DescribeTaskStatus({ TaskId: taskId })).resolves.toMatchObject({ Status: 0 });
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await expect(clbClient(credential).DescribeTaskStatus({ TaskId: taskId })).rejects.toMatchObject({ code: "AuthFailure.TokenFailure" });
});

test("who may assume a role, and the errors STS answers", async () => {
  await expect(assume(OTHER)).rejects.toMatchObject({ code: "UnauthorizedOperation" });
  await expect(assume(DEFAULT_CREDENTIAL, { RoleArn: "qcs::cam::uin/1:roleName/none" })).rejects.toMatchObject({ code: "ResourceNotFound.RoleNotExist" });
  await expect(assume(DEFAULT_CREDENTIAL, { RoleArn: "deployer" })).rejects.toMatchObject({ code: "InvalidParameterValue" });
  await emulator.current.addRole({ roleArn: "qcs::cam::uin/800000000008:roleName/partner", externalId: "shared-secret-id" });
  await expect(assume(DEFAULT_CREDENTIAL, { RoleArn: "qcs::cam::uin/800000000008:roleName/partner" })).rejects.toMatchObject({ code: "UnauthorizedOperation" });
  await expect(assume(OTHER, { RoleArn: "qcs::cam::uin/800000000008:roleName/partner", ExternalId: "shared-secret-id" })).resolves.toBeDefined();
  expect((await emulator.current.listRoles()).map((r) => r.roleArn)).toContain("qcs::cam::uin/800000000008:roleName/partner");
  await expect(emulator.current.addRole({ roleArn: "not-a-role" })).rejects.toThrow(/roleArn/);
});

test("reset ends issued credentials (TokenFailure, as revoked ones), forgets every account's tasks, keeps the roles", async () => {
  const { credential } = await assume();
  const { taskId } = await emulator.current.account("200000000002").createTask({ service: "clb", durationMs: 0 });
  await emulator.current.reset();
  expect(await emulator.current.sessions()).toEqual([]);
  await expect(clbClient(credential).DescribeTaskStatus({ TaskId: taskId })).rejects.toMatchObject({ code: "AuthFailure.TokenFailure" });
  expect(await emulator.current.account("200000000002").listTasks()).toEqual([]);
  expect((await emulator.current.listRoles()).map((r) => r.roleArn)).toContain(ROLE);
});

test("the emulator command: --role and --credential-lifetime", async () => {
  const cli = join(__dirname, "../dist/emulator/cli.js");
  const child = spawn(process.execPath, [cli, "--port", "0", "--role", ROLE, "--credential-lifetime", "60"], { stdio: ["ignore", "pipe", "pipe"] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        const match = /listening on (\S+)/.exec(chunk.toString());
        if (match) resolve(match[1]);
      });
      child.on("exit", () => reject(new Error("the emulator exited")));
    });
    const roles = (await (await fetch(`${url}/_emulator/roles`)).json()) as { roles: unknown[] };
    expect(roles.roles).toEqual([{ roleArn: ROLE, lifetimeSeconds: 60 }]);
  } finally {
    child.kill();
  }
  const bad = spawn(process.execPath, [cli, "--role", "deployer"], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  bad.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  expect(await new Promise((resolve) => bad.on("close", resolve))).toBe(64);
  expect(stderr).toContain("--role must be a role ARN");
});

test("where the waiter sends AssumeRole", () => {
  const stsEndpoint = (env: NodeJS.ProcessEnv) => {
    const { settings, failures } = parseSettings(NO_CONFIGURATION, env);
    return failures.length > 0 ? failures : settings.sts;
  };
  expect(stsEndpoint({})).toEqual({ protocol: "https:", host: "sts.tencentcloudapi.com", loopback: false });
  expect(stsEndpoint({ TENCENTCLOUD_DOMAIN: "intl.tencentcloudapi.com" })).toMatchObject({ host: "sts.intl.tencentcloudapi.com" });
  expect(stsEndpoint({ TENCENTCLOUD_STS_ENDPOINT: "http://127.0.0.1:9000", TENCENTCLOUD_DOMAIN: "intl.tencentcloudapi.com" })).toEqual({ protocol: "http:", host: "127.0.0.1:9000", loopback: true });
  expect(stsEndpoint({ TENCENTCLOUD_STS_ENDPOINT: "https://sts.internal.example" })).toMatchObject({ protocol: "https:", host: "sts.internal.example" });
  expect(stsEndpoint({ TENCENTCLOUD_STS_ENDPOINT: "http://sts.internal.example" })).toEqual([{ property: "env TENCENTCLOUD_STS_ENDPOINT", reason: expect.stringContaining("plain http://") }]);
});
