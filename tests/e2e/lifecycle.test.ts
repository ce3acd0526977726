import { TaskCompletion, type TaskCompletionArgs } from "../../sdk";
import { runProgram } from "../harness/program";
import { HostCallError, ProviderHost, type Props } from "../harness/providerHost";
import { credentialEnv, useEmulator } from "../support/emulator";
import { expectNoSecrets } from "../support/secrets";

/** The engine's side of each lifecycle step, against the real provider host. */
const emulator = useEmulator();
const region = "ap-guangzhou";
let host: ProviderHost;

beforeAll(async () => {
  host = await ProviderHost.start({ env: credentialEnv });
  await host.configure({ "tencentcloud:region": region });
});
afterAll(async () => {
  expectNoSecrets({ logs: host.logs, stdout: host.stdout, stderr: host.stderr });
  await host.stop();
});

/** The inputs a program registers for one TaskCompletion, `__provider` included. */
async function inputsOf(args: TaskCompletionArgs): Promise<Props> {
  const [resource] = await runProgram(() => new TaskCompletion("wait", { ...args, endpoint: emulator.current.url }));
  return resource.inputs;
}

async function statusCalls(): Promise<number> {
  return (await emulator.current.stats()).actions.DescribeTaskStatus?.received ?? 0;
}

async function createFails(news: Props): Promise<HostCallError> {
  const { inputs } = await host.check(news);
  const error = await host.create(inputs).catch((e) => e);
  expect(error).toBeInstanceOf(HostCallError);
  return error;
}

test("a failed task fails the step with its reason and task id; nothing is recorded", async () => {
  const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 500, outcome: "failed", message: "Listener port 443 conflicts with lbl-0042" });
  const error = await createFails(await inputsOf({ service: "clb", taskId }));
  expect(error.message).toContain(`clb task ${taskId} (ap-guangzhou) failed: Listener port 443 conflicts with lbl-0042`);
  expect(error.message).toMatch(/Status 1, wanted Status 0; last RequestId [0-9a-f-]{36}/);
  expect(error.initFailed).toBeUndefined();
});

test("timeout: ErrorResourceInitFailed with id and partial state; the next Update resumes and completes", async () => {
  const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 4000, outcome: "succeeded", loadBalancerIds: ["lb-00000001"] });
  const news = await inputsOf({ service: "clb", taskId, timeoutSeconds: 2 });
  const error = await createFails(news);
  expect(error.message).toContain("did not finish within its timeout of 2s");
  expect(error.message).toContain("Raise timeoutSeconds (now 2, at most 86400)");
  expect(error.initFailed).toEqual({
    id: `clb/${region}/${taskId}`,
    properties: expect.objectContaining({ taskId, status: "pending", rawStatus: 2, attempts: expect.any(Number), waitedSeconds: expect.any(Number) }),
    reasons: [error.message],
  });
  const partial = error.initFailed!.properties;

  // The next `pulumi up` (same program, longer timeout) resumes the wait in Update.
  const { inputs } = await host.check({ ...news, timeoutSeconds: 30 }, partial);
  expect(await host.diff(error.initFailed!.id, partial, inputs)).toEqual({ changes: "some", replaces: [] });
  const outs = await host.update(error.initFailed!.id, partial, inputs);
  expect(outs).toMatchObject({ status: "succeeded", rawStatus: 0, loadBalancerIds: ["lb-00000001"], timeoutSeconds: 30 });
  expect(outs.attempts as number).toBeGreaterThan(partial.attempts as number);
  expect(outs.waitedSeconds as number).toBeGreaterThan(3);
});

test("new provider code only: an in-place update that keeps the outputs and makes no status call", async () => {
  const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 0, outcome: "succeeded" });
  const news = await inputsOf({ service: "clb", taskId });
  const created = await host.create((await host.check(news)).inputs);
  const before = await statusCalls();

  const upgraded = { ...news, __provider: `${news.__provider}\n// a newer version of the provider code\n` };
  const { inputs } = await host.check(upgraded, created.properties);
  expect(await host.diff(created.id, created.properties, inputs)).toEqual({ changes: "some", replaces: [] });
  const outs = await host.update(created.id, created.properties, inputs);
  expect(outs).toEqual({ ...created.properties, __provider: upgraded.__provider });
  expect(await statusCalls()).toBe(before);
});

test("a new taskId or new triggers ask for a replacement", async () => {
  const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 0, outcome: "succeeded" });
  const news = await inputsOf({ service: "clb", taskId, triggers: ["v1"] });
  const created = await host.create((await host.check(news)).inputs);
  for (const [change, replaces] of [
    [{ taskId: "1b2f9e0c-0000-4000-8000-000000000000" }, ["taskId"]],
    [{ triggers: ["v2"] }, ["triggers"]],
  ] as const) {
    const { inputs } = await host.check({ ...news, ...change }, created.properties);
    expect(await host.diff(created.id, created.properties, inputs)).toEqual({ changes: "some", replaces });
  }
});

test("bad inputs: Check names each property, and nothing reaches the API", async () => {
  const news = await inputsOf({ service: "clb", taskId: "not a request id", timeoutSeconds: 0 });
  const { failures } = await host.check({ ...news, region: "Guangzhou", dealName: "d" });
  expect(failures.map((f) => f.property).sort()).toEqual(["dealName", "region", "taskId", "timeoutSeconds"]);
  for (const failure of failures) expect(failure.reason).toMatch(/expected|give either/);
  const redis = await host.check(await inputsOf({ service: "redis", taskId: "abc" }));
  expect(redis.failures).toEqual([{ property: "taskId", reason: expect.stringContaining("positive integer") }]);
  expect((await emulator.current.stats()).actions).toEqual({});
});

test("during a preview, unknown values pass Check", async () => {
  const news = await inputsOf({ service: "clb", taskId: "x" });
  const { failures } = await host.check({ ...news, taskId: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" });
  expect(failures).toEqual([]);
});
