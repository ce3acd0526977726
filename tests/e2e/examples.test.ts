import * as path from "node:path";
import { programModule, runProgram, type RegisteredResource } from "../harness/program";
import { ProviderHost } from "../harness/providerHost";
import { credentialEnv, useEmulator } from "../support/emulator";
import { expectNoSecrets } from "../support/secrets";

/**
 * The example programs, run as `pulumi up` runs them: under the real provider host, against the
 * emulator, configured through stack config only.
 */
const emulator = useEmulator({ taskDefaults: { durationMs: 1500 } });
let host: ProviderHost;

beforeAll(async () => {
  host = await ProviderHost.start({ env: credentialEnv });
  await host.configure({ "tencentcloud:region": "ap-guangzhou" });
});
afterAll(() => host.stop());

function runExample(name: "clb-listener" | "redis-params" | "mysql-params", config: Record<string, string>): Promise<RegisteredResource[]> {
  return runProgram(programModule(path.resolve(__dirname, "../../examples", name)), {
    project: name,
    config: { "tencentcloud:region": "ap-guangzhou", [`${name}:endpoint`]: emulator.current.url, ...config },
    host,
  });
}

const byName = (resources: RegisteredResource[], name: string) => resources.find((r) => r.name === name)!;

/** What `pulumi up` does next time with unchanged code and state: Check, then Diff. */
async function upAgain(resource: RegisteredResource) {
  const { inputs } = await host.check(resource.inputs, resource.outputs!);
  return host.diff(resource.id!, resource.outputs!, inputs);
}

test("clb-listener: the second listener is created only after the first has finished", async () => {
  const resources = await runExample("clb-listener", { "clb-listener:loadBalancerId": "lb-e2e00001" });
  expect(resources.map((r) => [r.name, r.error?.message])).toEqual([
    ["http", undefined],
    ["http-ready", undefined],
    ["https", undefined],
    ["https-ready", undefined],
  ]);
  const httpReady = byName(resources, "http-ready");
  const http = byName(resources, "http");
  expect(httpReady.outputs).toMatchObject({
    service: "clb",
    taskId: http.outputs!.requestId,
    region: "ap-guangzhou",
    status: "succeeded",
    rawStatus: 0,
    loadBalancerIds: ["lb-e2e00001"],
    timeoutSeconds: 600,
    failOnTaskFailure: true,
  });
  expect(httpReady.outputs!.attempts).toBeGreaterThanOrEqual(2);
  expect(httpReady.outputs!.waitedSeconds).toBeGreaterThan(1);
  expect(Date.parse(httpReady.outputs!.completedAt as string)).not.toBeNaN();
  // Without the wait, CLB would have refused the second listener (FailedOperation.ResourceInOperating).
  expect(byName(resources, "https-ready").outputs).toMatchObject({ status: "succeeded" });

  // Refresh returns the recorded state, an unchanged program shows no diff, destroy succeeds.
  for (const resource of resources.filter((r) => r.type.endsWith(":TaskCompletion"))) {
    const read = await host.read(resource.id!, resource.outputs!);
    expect(read).toEqual({ id: resource.id, properties: resource.outputs });
    expect(await upAgain(resource)).toEqual({ changes: "none", replaces: [] });
  }
  for (const resource of [...resources].reverse()) await host.delete(resource.id!, resource.outputs!);
  expectNoSecrets({ resources, logs: host.logs, stdout: host.stdout, stderr: host.stderr });
});

test("redis-params: outputs carry the task's type, instance and start time", async () => {
  const resources = await runExample("redis-params", { "redis-params:instanceId": "crs-e2e00001" });
  expect(resources.filter((r) => r.error)).toEqual([]);
  const live = byName(resources, "eviction-live");
  expect(live.outputs).toMatchObject({
    service: "redis",
    taskId: byName(resources, "eviction").outputs!.taskId,
    status: "succeeded",
    rawStatus: "succeed",
    instanceId: "crs-e2e00001",
    taskType: "Configure",
    startTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
  });
  expect(await upAgain(live)).toEqual({ changes: "none", replaces: [] });
  await host.delete(live.id!, live.outputs!);
});

test("mysql-params: a producer of another family, CDB ModifyInstanceParam, waited on with service cdb before the next change", async () => {
  const resources = await runExample("mysql-params", { "mysql-params:instanceId": "cdb-e2e00001" });
  expect(resources.map((r) => [r.name, r.error?.message])).toEqual([
    ["max-connections", undefined],
    ["max-connections-applied", undefined],
    ["wait-timeout", undefined],
    ["wait-timeout-applied", undefined],
  ]);
  const applied = byName(resources, "max-connections-applied");
  expect(applied.outputs).toMatchObject({
    service: "cdb",
    taskId: byName(resources, "max-connections").outputs!.asyncRequestId,
    region: "ap-guangzhou",
    status: "succeeded",
    rawStatus: "SUCCESS",
  });
  expect(applied.outputs!.attempts).toBeGreaterThanOrEqual(2);
  // The second change started only after the first request had finished.
  const second = await emulator.current.getTask(byName(resources, "wait-timeout").outputs!.asyncRequestId as string);
  const first = await emulator.current.getTask(applied.outputs!.taskId as string);
  expect(Date.parse(second!.createdAt)).toBeGreaterThanOrEqual(Date.parse(first!.completesAt));
  expect(await upAgain(applied)).toEqual({ changes: "none", replaces: [] });
  for (const resource of [...resources].reverse()) await host.delete(resource.id!, resource.outputs!);
  expectNoSecrets({ resources, logs: host.logs });
});

test("progress lines reach the engine's log while a task is pending", async () => {
  const lines = host.logs.map((l) => l.message);
  expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^clb task [0-9a-f-]{36} \(ap-guangzhou\): waiting \(timeout 10m\)$/)]));
  expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/: in progress \(Status 2\), \d+s elapsed, 1 status call$/)]));
  expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^redis task \d+ \(ap-guangzhou\): in progress \(Status (preparing|running)\), \d+s elapsed/)]));
  expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/: succeeded \(Status 0\) after \d+s, \d+ status calls$/)]));
});
