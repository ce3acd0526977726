/**
 * `npm run demo`: what `pulumi up` and `pulumi destroy` do with the three examples, offline. The
 * local emulator stands in for Tencent Cloud; Pulumi's real dynamic-provider host runs the
 * resources, driven over gRPC the way the engine drives it (see tests/harness).
 */
import { DEFAULT_CREDENTIAL, startEmulator } from "tencentcloud-task-completion/emulator";
import { TaskCompletion } from "tencentcloud-task-completion";
import { formatDuration } from "../provider/errors";
import * as path from "node:path";
import { programModule, runProgram, type RegisteredResource } from "../tests/harness/program";
import { ProviderHost } from "../tests/harness/providerHost";

const REGION = "ap-guangzhou";
const started = Date.now();
const say = (line = "") => console.log(line);
// Durations as the progress lines show them, so that a wait reads the same in both.
const seconds = (ms: number) => formatDuration(ms / 1000);
const shortType = (type: string) => type.split(":").pop();

async function main(): Promise<void> {
  const emulator = await startEmulator({ taskDefaults: { durationMs: 2000 } });
  say(`Tencent Cloud API emulator listening on ${emulator.url} (tasks take 2 s)`);
  const host = await ProviderHost.start({
    env: { TENCENTCLOUD_SECRET_ID: DEFAULT_CREDENTIAL.secretId, TENCENTCLOUD_SECRET_KEY: DEFAULT_CREDENTIAL.secretKey },
    onLog: (line) => say(`      | ${line.message}`),
  });
  say(`Pulumi dynamic-provider host running (pid ${host.process.pid}), stack config tencentcloud:region=${REGION}`);
  await host.configure({ "tencentcloud:region": REGION });
  const created: RegisteredResource[] = [];
  const startedAt = new Map<RegisteredResource, number>();
  const show = (resource: RegisteredResource, phase: "creating" | "created" | "failed") => {
    if (phase === "creating") {
      startedAt.set(resource, Date.now());
      say(`  + ${shortType(resource.type)} ${resource.name}: creating`);
      return;
    }
    const took = seconds(Date.now() - startedAt.get(resource)!);
    if (phase === "failed") {
      say(`  x ${shortType(resource.type)} ${resource.name}: failed after ${took}. pulumi up would print:`);
      say(`      error: ${resource.error!.message}`);
      return;
    }
    created.push(resource);
    say(`  + ${shortType(resource.type)} ${resource.name}: created in ${took}`);
    say(`      outputs: ${describeOutputs(resource.outputs!)}`);
  };

  try {
    const examples: { project: string; about: string; config: Record<string, string> }[] = [
      { project: "clb-listener", about: "two listeners on one load balancer; the second waits for the first", config: { "tencentcloud:region": REGION, "clb-listener:loadBalancerId": "lb-demo0001" } },
      { project: "redis-params", about: "two parameter changes on one instance", config: { "redis-params:instanceId": "crs-demo0001" } },
      { project: "mysql-params", about: "two MySQL parameter changes, waited on with service cdb", config: { "tencentcloud:region": REGION, "mysql-params:instanceId": "cdb-demo0001" } },
    ];
    for (const { project, about, config } of examples) {
      say(`\n== pulumi up: examples/${project} (${about})`);
      await runProgram(programModule(path.join(__dirname, project)), { project, config: { ...config, [`${project}:endpoint`]: emulator.url }, host, onResource: show });
    }

    say("\n== pulumi up: a wait on a CLB task that fails");
    const { taskId } = await emulator.createTask({
      service: "clb",
      durationMs: 1500,
      outcome: "failed",
      message: "Listener port 443 conflicts with an existing listener (lbl-2kd8x0qs)",
    });
    await runProgram(() => new TaskCompletion("listener-ready", { service: "clb", taskId, region: REGION, endpoint: emulator.url }), {
      host,
      onResource: show,
    });

    say("\n== pulumi destroy");
    for (const resource of created.reverse()) {
      const deleting = Date.now();
      await host.delete(resource.id!, resource.outputs!);
      say(`  - ${shortType(resource.type)} ${resource.name}: deleted in ${seconds(Date.now() - deleting)}`);
    }

    const { actions } = await emulator.stats();
    const calls = ["DescribeTaskStatus", "DescribeTaskInfo", "DescribeAsyncRequestInfo"].reduce((sum, action) => sum + (actions[action]?.received ?? 0), 0);
    const busiest = Math.max(...Object.values(actions).map((a) => a.maxPerSecond));
    say(`\nDone in ${seconds(Date.now() - started)}: ${created.length} resources created and deleted, one failure reported as a user sees it.`);
    say(`The emulator answered ${calls} status calls, at most ${busiest} requests in any second (the API allows 20).`);
  } finally {
    await host.stop();
    await emulator.close();
  }
}

function describeOutputs(outputs: Record<string, unknown>): string {
  const shown = ["status", "rawStatus", "message", "loadBalancerIds", "instanceId", "taskType", "attempts", "waitedSeconds", "requestId", "listenerIds", "taskId", "asyncRequestId", "changed"];
  return shown
    .filter((key) => outputs[key] !== undefined)
    .map((key) => `${key}=${JSON.stringify(outputs[key])}`)
    .join(" ");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
