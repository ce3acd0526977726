import { DEFAULT_RATE_LIMIT } from "../emulator/rateLimit";
import { EmulatorProcess } from "./emulatorProcess";
import { peakRssMb, REGION, startHost } from "./hostProcess";
import { median } from "./summary";
import { taskCompletionInputs } from "./taskInputs";

/** Part (c): what one TaskCompletion costs before any waiting. */

export interface ResourceCost {
  /** Size of `__provider`, stored in state as an input and an output of every resource. */
  providerBytes: number;
  runs: number;
  /** Create sent to the first status call arriving at the emulator: the first Create of a new host process. */
  firstCreateMs: number[];
  /** The same for a later Create in that process. */
  laterCreateMs: number[];
  medianFirstCreateMs: number;
  medianLaterCreateMs: number;
  /** Peak RSS of a host that has been configured and has run one wait, the base of part (b)'s figures. */
  medianHostRssMb: number;
}

const STATUS_ACTION = "DescribeTaskStatus";

export async function measureResourceCost(runs: number, budget: number): Promise<ResourceCost> {
  const emulator = await EmulatorProcess.start(DEFAULT_RATE_LIMIT);
  try {
    const template = await taskCompletionInputs({ service: "clb", taskId: "placeholder", endpoint: emulator.url });
    const firstCreateMs: number[] = [];
    const laterCreateMs: number[] = [];
    const hostRssMb: number[] = [];
    for (let run = 0; run < runs; run++) {
      const host = await startHost(budget);
      try {
        for (const delays of [firstCreateMs, laterCreateMs]) {
          await emulator.reset();
          const { taskId } = await emulator.createTask({ service: "clb", region: REGION, durationMs: 0 });
          const checked = await host.check({ ...template, taskId });
          const sentAt = Date.now();
          await host.create(checked.inputs);
          const first = (await emulator.requests()).find((request) => request.action === STATUS_ACTION);
          if (!first) throw new Error("the wait finished without a status call reaching the emulator");
          delays.push(first.at - sentAt);
        }
        hostRssMb.push(peakRssMb(host.process.pid!));
      } finally {
        await host.stop();
      }
    }
    return {
      providerBytes: Buffer.byteLength(String(template.__provider)),
      runs,
      firstCreateMs,
      laterCreateMs,
      medianFirstCreateMs: median(firstCreateMs),
      medianLaterCreateMs: median(laterCreateMs),
      medianHostRssMb: median(hostRssMb),
    };
  } finally {
    await emulator.stop();
  }
}
