import { packageVersion } from "../../provider/plugin/engine";
import { TaskCompletion } from "../../sdk";
import { packageSchema, RESOURCE, type PackageSpec } from "../../provider/plugin/schema";
import { runProgram } from "../harness/program";
import { HostCallError, ProviderHost, SECRET_SIG, SECRET_SIG_KEY, type Props } from "../harness/providerHost";
import { PluginHost, URN } from "../harness/pluginHost";
import { objectAllows } from "../harness/schemaTypes";
import { credentials, useEmulator } from "../support/emulator";
import { expectNoSecrets } from "../support/secrets";

/** The plugin driven over gRPC as the engine drives it, against the emulator. */
const emulator = useEmulator();
const region = "ap-guangzhou";
/** No credentials but the provider configuration's. */
const noCredentialEnv = { TENCENTCLOUD_SECRET_ID: "", TENCENTCLOUD_SECRET_KEY: "", TENCENTCLOUD_SESSION_TOKEN: "", TENCENTCLOUD_SECURITY_TOKEN: "", TENCENTCLOUD_REGION: "", HOME: "/nonexistent" };
const keys = { secretId: credentials.secretId, secretKey: credentials.secretKey };
const hosts: PluginHost[] = [];
let plugin: PluginHost;

async function startPlugin(env: NodeJS.ProcessEnv = {}): Promise<PluginHost> {
  const host = await PluginHost.start({ env: { ...noCredentialEnv, TENCENTCLOUD_TASK_COORDINATION: "off", ...env } });
  hosts.push(host);
  return host;
}

beforeAll(async () => {
  plugin = await startPlugin();
  await plugin.configure({ region, ...keys }, ["secretKey"]);
});
afterAll(async () => {
  for (const host of hosts) {
    // Nothing the plugin answered, logged or printed holds a key.
    expectNoSecrets({ answers: host.answers, logs: host.logs, stdout: host.stdout, stderr: host.stderr }, [credentials.secretKey, "wrong-secret-key-000000000000000000"]);
    await host.stop();
  }
});

async function statusCalls(): Promise<number> {
  return (await emulator.current.stats()).actions.DescribeTaskStatus?.received ?? 0;
}

/** Check then Create, as the engine runs a new resource. */
async function create(host: PluginHost, news: Props, options: { timeout?: number } = {}) {
  const { inputs, failures } = await host.check(news);
  expect(failures).toEqual([]);
  return { inputs, ...(await host.create(inputs, options)) };
}

async function createFails(host: PluginHost, news: Props, options: { timeout?: number } = {}): Promise<HostCallError> {
  const error = await create(host, news, options).catch((e) => e);
  expect(error).toBeInstanceOf(HostCallError);
  return error;
}

const secret = (value: unknown) => ({ [SECRET_SIG_KEY]: SECRET_SIG, value });
const clb = (taskId: string, extra: Props = {}) => ({ service: "clb", taskId, endpoint: emulator.current.url, ...extra });

describe("the plugin's own methods", () => {
  test("GetPluginInfo answers the package's version; GetSchema the schema generated from the catalogue", async () => {
    const version = packageVersion();
    expect(await plugin.getPluginInfo()).toBe(version);
    const schema = JSON.parse(await plugin.getSchema());
    expect(schema).toEqual(JSON.parse(JSON.stringify(packageSchema(version))));
  });

  test("CheckConfig: a failure per key, never quoting a value; good inputs come back as they came, secrets still secret", async () => {
    const good = await plugin.checkConfig({ region, ...keys, requestsPerSecond: 5, assumeRole: { roleArn: "qcs::cam::uin/100000000001:roleName/deployer" } }, ["secretKey"]);
    expect(good.failures).toEqual([]);
    expect(good.inputs).toEqual({ region, secretId: keys.secretId, secretKey: secret(keys.secretKey), requestsPerSecond: 5, assumeRole: { roleArn: "qcs::cam::uin/100000000001:roleName/deployer" } });
    // A key given in plain text (a YAML program without fn::secret) comes back a secret, so state keeps it encrypted.
    expect((await plugin.checkConfig({ ...keys, securityToken: "token-0001" })).inputs).toEqual({ secretId: keys.secretId, secretKey: secret(keys.secretKey), securityToken: secret("token-0001") });

    const bad = await plugin.checkConfig({ requestsPerSecond: "lots", assumeRole: { roleArn: "deployer" }, secretkey: credentials.secretKey, coordination: "everywhere", region: 7 });
    // A misspelt key may hold a secret: it comes back as one.
    expect(bad.inputs.secretkey).toEqual(secret(credentials.secretKey));
    expect(bad.failures.map((f) => f.property).sort()).toEqual(["assumeRole", "coordination", "region", "requestsPerSecond", "secretkey"]);
    const reason = (property: string) => bad.failures.find((f) => f.property === property)!.reason;
    expect(reason("requestsPerSecond")).toContain("provider config tencentcloud-task-completion:requestsPerSecond: expected requests per second from 1 to 100");
    expect(reason("assumeRole")).toContain("assumeRole.roleArn: expected a role ARN");
    expect(reason("secretkey")).toBe('provider config tencentcloud-task-completion:secretkey: not a key of this provider\'s configuration; did you mean "secretKey"?');
    expect(reason("coordination")).toContain('provider config tencentcloud-task-completion:coordination: expected "machine", "off"');
    expect(reason("region")).toBe('provider config tencentcloud-task-completion:region: expected a region name such as "ap-guangzhou", got "7"');
  });

  test("a value still unknown during a preview is taken as unset: CheckConfig and Configure let the preview go on", async () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    expect((await plugin.checkConfig({ region: unknown, assumeRole: unknown })).failures).toEqual([]);
    const previewing = await startPlugin();
    await previewing.configure({ region: unknown, ...keys }, ["secretKey"]);
    expect((await previewing.check({ service: "redis", taskId: 1, region })).failures).toEqual([]);
  });

  test("DiffConfig: a changed key is an update of the provider, never a replacement", async () => {
    expect(await plugin.diffConfig({ region, ...keys }, { region, ...keys })).toEqual({ changes: "none", replaces: [], diffs: [] });
    expect(await plugin.diffConfig({ region, ...keys }, { region: "ap-shanghai", ...keys, secretKey: "another" })).toEqual({ changes: "some", replaces: [], diffs: ["region", "secretKey"] });
  });

  test("Configure: no secrets, resources or previews asked for; a bad configuration is refused, and so is Check before Configure", async () => {
    const fresh = await startPlugin();
    await expect(fresh.check(clb("55c85074-3e7f-4c6d-864f-673660d4f8de"))).rejects.toThrow("the provider is not configured");
    await expect(fresh.configure({ requestsPerSecond: 0 })).rejects.toThrow(/the provider's configuration is not valid: .*requestsPerSecond: expected requests per second from 1 to 100/);
    expect(await fresh.configure({ region })).toEqual({ acceptSecrets: false, supportsPreview: false });
  });

  test("Configure's older form, variables `tencentcloud-task-completion:config:<key>` with objects as JSON text", async () => {
    const older = await startPlugin();
    await older.configure({ region, ...keys, assumeRole: { roleArn: "deployer" } }, [], "variables").catch((e: Error) => expect(e.message).toContain("assumeRole.roleArn"));
    await older.configure({ region, ...keys, requestsPerSecond: 7 }, [], "variables");
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 0 });
    expect((await create(older, clb(taskId))).properties).toMatchObject({ status: "succeeded", region });
  });
});

describe("the resource's lifecycle", () => {
  const schema: PackageSpec = packageSchema("0.0.0");
  const resource = schema.resources[RESOURCE];

  test("Check: a failure per property, the very failures the dynamic provider gives; nothing reaches the API", async () => {
    const dynamic = await ProviderHost.start({ env: noCredentialEnv });
    try {
      await dynamic.configure({ "tencentcloud:region": region });
      const cases: Props[] = [
        { service: "clb", taskId: "not a request id", timeoutSeconds: 0, region: "Guangzhou", dealName: "d" },
        { service: "redis", taskId: "abc", region },
        { service: "cvm", taskId: "55c85074-3e7f-4c6d-864f-673660d4f8de", region, failOnTaskFailure: "yes", triggers: "v1" },
        { service: "nope", taskid: 1 },
        { service: "custom", product: "CBS", statusPath: "[", pendingStatuses: [], successStatuses: ["A"] },
      ];
      // The dynamic provider's inputs carry its code, as a program registers them.
      const [registered] = await runProgram(() => new TaskCompletion("wait", { service: "clb", taskId: "x" }));
      for (const news of cases) {
        const ours = await plugin.check(news);
        const theirs = await dynamic.check({ ...news, __provider: registered.inputs.__provider });
        expect(ours.failures.length).toBeGreaterThan(0);
        expect(ours.failures).toEqual(theirs.failures);
        expect({ ...ours.inputs, __provider: registered.inputs.__provider }).toEqual(theirs.inputs);
      }
    } finally {
      await dynamic.stop();
    }
    expect((await emulator.current.stats()).actions).toEqual({});
  });

  test("Diff: the dynamic provider's rules: a new task replaces, a new timeout updates, a finished wait with the same inputs is no change", async () => {
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 0 });
    const created = await create(plugin, clb(taskId, { triggers: ["v1"] }));
    const diff = async (change: Props) => plugin.diff(created.id, created.properties, (await plugin.check({ ...created.inputs, ...change }, created.properties)).inputs);
    expect(await diff({})).toEqual({ changes: "none", replaces: [] });
    expect(await diff({ timeoutSeconds: 60 })).toEqual({ changes: "some", replaces: [] });
    expect(await diff({ triggers: ["v2"] })).toEqual({ changes: "some", replaces: ["triggers"] });
    expect(await diff({ taskId: "1b2f9e0c-0000-4000-8000-000000000000" })).toEqual({ changes: "some", replaces: ["taskId"] });
  });

  test("Create blocks until the task ends: outputs of the schema's types, progress in the engine's log; Read keeps them; Delete calls nothing", async () => {
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 600, loadBalancerIds: ["lb-00000001"] });
    const started = Date.now();
    const created = await create(plugin, clb(taskId));
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(created.id).toBe(`clb/${region}/${taskId}`);
    expect(created.properties).toMatchObject({ service: "clb", taskId, region, status: "succeeded", rawStatus: 0, loadBalancerIds: ["lb-00000001"], timeoutSeconds: 1800, failOnTaskFailure: true });
    expect(objectAllows(resource.properties, resource.required, created.properties, schema)).toBe(true);
    expect(plugin.logs).toContainEqual({ severity: "info", urn: URN, message: expect.stringContaining(`clb task ${taskId} (${region})`) });

    const calls = await statusCalls();
    expect(await plugin.read(created.id, created.properties, created.inputs)).toEqual({ id: created.id, properties: created.properties, inputs: created.inputs });
    await plugin.delete(created.id, created.properties);
    expect(await statusCalls()).toBe(calls);
    await expect(plugin.read(created.id, {})).rejects.toThrow("cannot be imported");
  });

  test("a failed task fails Create with its reason and the task's id; nothing is recorded", async () => {
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 200, outcome: "failed", message: "Listener port 443 conflicts with lbl-0042" });
    const error = await createFails(plugin, clb(taskId));
    expect(error.message).toContain(`clb task ${taskId} (${region}) failed: Listener port 443 conflicts with lbl-0042`);
    expect(error.message).toContain("set failOnTaskFailure: false to record failures");
    expect(error.initFailed).toBeUndefined();
  });

  test("customTimeouts (CreateRequest.timeout) below timeoutSeconds end the wait there; it keeps its place and Update resumes it", async () => {
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 3000 });
    const started = Date.now();
    const error = await createFails(plugin, clb(taskId), { timeout: 1 });
    expect(Date.now() - started).toBeLessThan(2500);
    expect(error.message).toContain("did not finish within its timeout of 1s");
    expect(error.message).toContain("Raise the resource's customTimeouts (now 1s; timeoutSeconds is 1800) to wait longer: the smaller of the two applies.");
    expect(error.message).toContain("the next `pulumi up` resumes this wait");
    expect(error.initFailed).toEqual({
      id: `clb/${region}/${taskId}`,
      properties: expect.objectContaining({ taskId, status: "pending", rawStatus: 2, timeoutSeconds: 1800, attempts: expect.any(Number) }),
      reasons: [error.message],
    });
    const partial = error.initFailed!.properties;

    const { inputs } = await plugin.check(clb(taskId), partial);
    expect(await plugin.diff(error.initFailed!.id, partial, inputs)).toEqual({ changes: "some", replaces: [] });
    const outs = await plugin.update(error.initFailed!.id, partial, inputs);
    expect(outs).toMatchObject({ status: "succeeded", rawStatus: 0 });
    expect(outs.attempts as number).toBeGreaterThan(partial.attempts as number);
  });

  test("timeoutSeconds below customTimeouts ends the wait at timeoutSeconds, and says so", async () => {
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 3000 });
    const error = await createFails(plugin, clb(taskId, { timeoutSeconds: 1 }), { timeout: 600 });
    expect(error.message).toContain("did not finish within its timeout of 1s");
    expect(error.message).toContain("Raise timeoutSeconds (now 1, at most 86400)");
    expect(error.initFailed?.properties).toMatchObject({ status: "pending", timeoutSeconds: 1 });
  });

  test("Update of a finished wait keeps its outputs without a status call; a recorded failure with failOnTaskFailure now true is an error", async () => {
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 0, outcome: "failed", message: "quota exceeded" });
    const created = await create(plugin, clb(taskId, { failOnTaskFailure: false }));
    expect(created.properties).toMatchObject({ status: "failed", message: "quota exceeded" });
    const calls = await statusCalls();
    const longer = (await plugin.check({ ...created.inputs, timeoutSeconds: 60 }, created.properties)).inputs;
    expect(await plugin.update(created.id, created.properties, longer)).toEqual({ ...created.properties, timeoutSeconds: 60 });
    const strict = (await plugin.check({ ...created.inputs, failOnTaskFailure: true }, created.properties)).inputs;
    await expect(plugin.update(created.id, created.properties, strict)).rejects.toThrow(`clb task ${taskId} (${region}) is recorded as failed: quota exceeded, and failOnTaskFailure is now true`);
    expect(await statusCalls()).toBe(calls);
  });

  test("a Create of a preview returns the inputs and calls nothing", async () => {
    const { inputs } = await plugin.check(clb("55c85074-3e7f-4c6d-864f-673660d4f8de"));
    expect(await plugin.create(inputs, { preview: true })).toEqual({ id: "", properties: inputs });
    expect((await emulator.current.stats()).actions).toEqual({});
  });
});

describe("credentials", () => {
  test("the provider's configuration wins over env: its keys and its region", async () => {
    const host = await startPlugin({ TENCENTCLOUD_SECRET_ID: "AKIDSOMEONEELSE000000000000000000000", TENCENTCLOUD_SECRET_KEY: "not-this-one", TENCENTCLOUD_REGION: "ap-shanghai" });
    await host.configure({ region, ...keys }, ["secretKey"]);
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 0, region });
    expect((await create(host, clb(taskId))).properties).toMatchObject({ status: "succeeded", region });
  });

  test("without keys in the configuration, env's are used", async () => {
    const host = await startPlugin({ TENCENTCLOUD_SECRET_ID: keys.secretId, TENCENTCLOUD_SECRET_KEY: keys.secretKey, TENCENTCLOUD_REGION: region });
    await host.configure({});
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 0 });
    expect((await create(host, clb(taskId))).properties).toMatchObject({ status: "succeeded", region });
  });

  test("a wrong key: AuthFailure after one request, the key nowhere", async () => {
    const host = await startPlugin();
    await host.configure({ region, secretId: keys.secretId, secretKey: "wrong-secret-key-000000000000000000" }, ["secretKey"]);
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 0 });
    const error = await createFails(host, clb(taskId));
    expect(error.message).toContain("AuthFailure.SignatureFailure");
    expect(await statusCalls()).toBe(1);
  });
});
