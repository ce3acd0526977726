import { readFileSync } from "node:fs";
import { DEFAULT_CREDENTIAL } from "../emulator";
import { REQUESTS_PER_SECOND_ENV } from "../provider/settings";
import { ProviderHost } from "../tests/harness/providerHost";
import { killOnExit } from "./children";

export const REGION = "ap-guangzhou";

/**
 * Pulumi's dynamic-provider host, started and configured as `pulumi up` would (no engine
 * connection, so progress lines go to its standard output), with the stack's region, and the
 * emulator's credentials and the given request budget in its environment.
 */
export async function startHost(requestsPerSecond: number, env: Record<string, string> = {}): Promise<ProviderHost> {
  const host = await ProviderHost.start({
    engine: false,
    env: {
      TENCENTCLOUD_SECRET_ID: DEFAULT_CREDENTIAL.secretId,
      TENCENTCLOUD_SECRET_KEY: DEFAULT_CREDENTIAL.secretKey,
      [REQUESTS_PER_SECOND_ENV]: String(requestsPerSecond),
      ...env,
    },
  });
  killOnExit(host.process);
  try {
    await host.configure({ "tencentcloud:region": REGION });
  } catch (error) {
    await host.stop();
    throw error;
  }
  return host;
}

/** The most resident memory the process has used so far (Linux `VmHWM`), in MB. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kilobytes = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
  if (!kilobytes) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(kilobytes) / 1024;
}
