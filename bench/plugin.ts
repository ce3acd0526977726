import { DEFAULT_CREDENTIAL } from "../emulator";
import { packageVersion } from "../provider/plugin/engine";
import { packageSchema } from "../provider/plugin/schema";
import { PluginHost } from "../tests/harness/pluginHost";
import { EmulatorProcess } from "./emulatorProcess";
import { peakRssMb } from "./hostProcess";
import { median } from "./summary";

/**
 * `npm run build && npm exec -- tsx bench/plugin.ts`: the provider plugin's schema size, its start
 * time (to its port, and to its first answered GetSchema), and its peak memory while 100 creates
 * wait at once on tasks of 2 to 10 s, against the emulator in a process of its own.
 */
const STARTS = 7;
const CREATES = 100;
const env = { TENCENTCLOUD_SECRET_ID: DEFAULT_CREDENTIAL.secretId, TENCENTCLOUD_SECRET_KEY: DEFAULT_CREDENTIAL.secretKey, TENCENTCLOUD_TASK_COORDINATION: "off" };

async function main(): Promise<void> {
  const schema = JSON.stringify(packageSchema(packageVersion()));
  console.log(`schema: ${schema.length} bytes of JSON (${Buffer.byteLength(JSON.stringify(packageSchema(packageVersion()), null, 2))} indented)`);

  const toPort: number[] = [];
  const toSchema: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const started = performance.now();
    const plugin = await PluginHost.start({ env });
    await plugin.getSchema();
    toSchema.push(performance.now() - started);
    toPort.push(plugin.startMs);
    await plugin.stop();
  }
  console.log(`start: median ${Math.round(median(toPort))} ms to its port, ${Math.round(median(toSchema))} ms to its first schema (${STARTS} starts)`);

  const emulator = await EmulatorProcess.start(20);
  const plugin = await PluginHost.start({ env });
  try {
    await plugin.configure({ region: "ap-guangzhou" });
    const idleMb = peakRssMb(plugin.process.pid!);
    const tasks = await Promise.all(Array.from({ length: CREATES }, (_, i) => emulator.createTask({ service: "clb", durationMs: 2000 + ((i * 80) % 8000) })));
    const started = performance.now();
    const results = await Promise.all(
      tasks.map(async ({ taskId }) => {
        const { inputs } = await plugin.check({ service: "clb", taskId, endpoint: emulator.url });
        return (await plugin.create(inputs)).properties.status;
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const stats = (await emulator.stats()).actions.DescribeTaskStatus;
    console.log(
      `${CREATES} concurrent creates: ${results.filter((s) => s === "succeeded").length} succeeded in ${seconds.toFixed(1)} s; ` +
        `peak RSS ${peakRssMb(plugin.process.pid!).toFixed(0)} MB (${idleMb.toFixed(0)} MB once configured); ` +
        `${stats.received} status calls, at most ${stats.maxPerSecond}/s, ${stats.throttled} throttled`,
    );
  } finally {
    await plugin.stop();
    await emulator.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
