import * as pulumi from "@pulumi/pulumi";
import { taskCompletionProvider as provider } from "../provider/dynamicProvider";
import { TaskCompletion } from "../sdk";
import { BAD_INPUTS } from "./support/badInputs";
import { credentialEnv, useEmulator } from "./support/emulator";

const emulator = useEmulator();
const region = "ap-guangzhou";
const savedEnv = { ...process.env };
const logged: string[] = [];

beforeAll(() => {
  Object.assign(process.env, credentialEnv);
  // Without an engine connection, pulumi.log writes progress to standard output.
  jest.spyOn(console, "log").mockImplementation((line: string) => void logged.push(line));
});
afterAll(() => {
  process.env = savedEnv;
  jest.restoreAllMocks();
});

/** Check, then create, as the engine does for a new resource. */
async function up(raw: Record<string, unknown>) {
  const checked = await provider.check!({}, { endpoint: emulator.current.url, ...raw });
  expect(checked.failures).toEqual([]);
  return { inputs: checked.inputs, ...(await provider.create(checked.inputs)) };
}

async function statusCalls(): Promise<number> {
  const { actions } = await emulator.current.stats();
  return (actions.DescribeTaskStatus?.received ?? 0) + (actions.DescribeTaskInfo?.received ?? 0);
}

describe("TaskCompletion provider against the emulator", () => {
  test("create: outputs are the inputs plus the documented task fields", async () => {
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 500, outcome: "succeeded", loadBalancerIds: ["lb-abcdefgh"] });
    const { id, outs, inputs } = await up({ service: "clb", taskId, region });
    expect(id).toBe(`clb/${region}/${taskId}`);
    expect(outs).toEqual({
      ...inputs,
      status: "succeeded",
      rawStatus: 0,
      loadBalancerIds: ["lb-abcdefgh"],
      completedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      attempts: 2,
      waitedSeconds: expect.any(Number),
    });
    expect(logged.some((line) => line.includes(`clb task ${taskId} (${region}): waiting`))).toBe(true);
  });

  test("create of a failed task: an error carrying the reason, task id, status and RequestId; no resource", async () => {
    const { taskId } = await emulator.current.createTask({ service: "redis", durationMs: 0, outcome: "failed", message: "param maxmemory-policy invalid" });
    const error = await up({ service: "redis", taskId, region: "ap-guangzhou" }).catch((e) => e);
    expect(error.message).toMatch(new RegExp(`redis task ${taskId} \\(ap-guangzhou\\) failed: param maxmemory-policy invalid\\. Status failed, wanted Status succeed; last RequestId [0-9a-f-]{36}`));
    expect(error.id).toBeUndefined();
  });

  test("failOnTaskFailure: false records the failure and succeeds", async () => {
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 0, outcome: "failed", message: "quota exceeded" });
    const { outs } = await up({ service: "clb", taskId, region, failOnTaskFailure: false });
    expect(outs).toMatchObject({ status: "failed", rawStatus: 1, message: "quota exceeded" });
  });

  test("timeout: partial state with id, properties and reasons; update resumes and completes", async () => {
    const { taskId } = await emulator.current.createTask({ service: "redis", durationMs: 3500, outcome: "succeeded" });
    const error = await up({ service: "redis", taskId, region: "ap-guangzhou", timeoutSeconds: 2 }).catch((e) => e);
    expect(error.id).toBe(`redis/ap-guangzhou/${taskId}`);
    expect(error.properties).toMatchObject({ service: "redis", taskId, status: "pending", rawStatus: "running", attempts: expect.any(Number) });
    expect(error.reasons).toEqual([error.message]);
    expect(error.message).toContain("Raise timeoutSeconds (now 2, at most 86400)");
    expect(error.message).toContain("the next `pulumi up` resumes this wait");

    const news = { ...error.properties, timeoutSeconds: 30 };
    delete news.status;
    // Past the 0.5 s in which a wait may reuse another wait's answer on the same task: every check is a call.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const diff = await provider.diff!(error.id, error.properties, news);
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs } = (await provider.update!(error.id, error.properties, news)) as { outs: Record<string, unknown> };
    expect(outs).toMatchObject({ status: "succeeded", rawStatus: "succeed", timeoutSeconds: 30 });
    expect(outs.attempts).toBe(await statusCalls());
    expect(outs.waitedSeconds).toBeGreaterThan(3);
  });

  test("update of a finished wait keeps its outputs and makes no status call", async () => {
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 0, outcome: "succeeded" });
    const { id, outs } = await up({ service: "clb", taskId, region });
    const before = await statusCalls();
    const news = { ...(await provider.check!(outs, { endpoint: emulator.current.url, service: "clb", taskId, region, timeoutSeconds: 60 })).inputs, __provider: "new code" };
    expect(await provider.diff!(id, { ...outs, __provider: "old code" }, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs: updated } = (await provider.update!(id, outs, news)) as { outs: Record<string, unknown> };
    expect(updated).toEqual({ ...outs, ...news });
    expect(await statusCalls()).toBe(before);
  });

  test("update refuses a recorded failure once failOnTaskFailure is true again", async () => {
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 0, outcome: "failed", message: "no capacity" });
    const { id, outs } = await up({ service: "clb", taskId, region, failOnTaskFailure: false });
    const error = await provider.update!(id, outs, { ...outs, failOnTaskFailure: true }).catch((e) => e);
    expect(error.message).toContain("recorded as failed: no capacity");
    expect(error.message).toContain("change taskId or triggers");
  });

  test(`check: the ${BAD_INPUTS.length} bad inputs of the table each fail naming the property, and no request is made`, async () => {
    for (const [name, raw, property] of BAD_INPUTS) {
      const { failures } = await provider.check!({}, { endpoint: emulator.current.url, ...raw });
      expect({ name, named: (failures ?? []).map((f) => f.property) }).toEqual({ name, named: expect.arrayContaining([property]) });
    }
    expect((await emulator.current.stats()).actions).toEqual({});
  });

  test("read returns the recorded state without calling the API; delete does nothing", async () => {
    const props = { service: "clb", taskId: "gone", region, status: "succeeded", rawStatus: 0 };
    await expect(provider.read!("clb/x", props)).resolves.toEqual({ id: "clb/x", props });
    await expect(provider.delete!("clb/x", props)).resolves.toBeUndefined();
    expect(await statusCalls()).toBe(0);
  });
});

describe("diff", () => {
  const olds = {
    service: "clb",
    taskId: "a",
    region,
    timeoutSeconds: 1800,
    failOnTaskFailure: true,
    triggers: [1],
    status: "succeeded",
    attempts: 3,
    __provider: "p",
  };
  const news = { service: "clb", taskId: "a", region, timeoutSeconds: 1800, failOnTaskFailure: true, triggers: [1], __provider: "p" };

  test.each([
    ["nothing", {}, { changes: false, replaces: [] }],
    ["taskId", { taskId: "b" }, { changes: true, replaces: ["taskId"] }],
    ["dealName", { taskId: undefined, dealName: "d" }, { changes: true, replaces: ["taskId", "dealName"] }],
    ["service", { service: "redis" }, { changes: true, replaces: ["service"] }],
    ["region", { region: "ap-beijing" }, { changes: true, replaces: ["region"] }],
    ["endpoint", { endpoint: "clb.intl.tencentcloudapi.com" }, { changes: true, replaces: ["endpoint"] }],
    ["triggers", { triggers: [2] }, { changes: true, replaces: ["triggers"] }],
    ["taskId unknown during preview", { taskId: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }, { changes: true, replaces: ["taskId"] }],
    ["timeoutSeconds only", { timeoutSeconds: 60 }, { changes: true, replaces: [] }],
    ["failOnTaskFailure only", { failOnTaskFailure: false }, { changes: true, replaces: [] }],
    ["provider code only", { __provider: "q" }, { changes: true, replaces: [] }],
  ])("%s changed", async (_name, change, expected) => {
    await expect(provider.diff!("id", olds, { ...news, ...change })).resolves.toEqual({ ...expected, deleteBeforeReplace: false });
  });

  test("a wait left unfinished always needs an update, which resumes it", async () => {
    await expect(provider.diff!("id", { ...olds, status: "pending" }, news)).resolves.toMatchObject({ changes: true, replaces: [] });
  });
});

describe("the serialized provider (__provider)", () => {
  test("is under 4 KB and holds no credential, even with credentials in env and secret stack config", async () => {
    const secretKey = credentialEnv.TENCENTCLOUD_SECRET_KEY;
    const token = "stack-config-session-token";
    process.env.TENCENTCLOUD_SESSION_TOKEN = token;
    pulumi.runtime.setAllConfig({ "tencentcloud:secretKey": "stack-secret-key", "tencentcloud:securityToken": token }, ["tencentcloud:secretKey", "tencentcloud:securityToken"]);
    let captured: Record<string, unknown> | undefined;
    pulumi.runtime.setMocks({ newResource: (args) => ((captured = args.inputs), { id: "x", state: args.inputs }), call: () => ({}) }, "project", "test", false);
    new TaskCompletion("wait", { service: "redis", taskId: 1 });
    await pulumi.runtime.disconnect();
    delete process.env.TENCENTCLOUD_SESSION_TOKEN;

    const text = captured!.__provider as string;
    expect(Buffer.byteLength(text)).toBeLessThan(4096);
    for (const secret of [secretKey, token, "stack-secret-key", credentialEnv.TENCENTCLOUD_SECRET_ID]) expect(text).not.toContain(secret);
  });
});
