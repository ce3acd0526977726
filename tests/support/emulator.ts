import { DEFAULT_CREDENTIAL, startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator";
import { newRuntime, type WaitRuntime } from "../../provider/runtime";
import { parseWaitOptions, runWait, type RunOptions, type WaitOptions } from "../../provider/wait";

export const credentials = DEFAULT_CREDENTIAL;
/** Credentials in the environment variables the SDK's chain reads. */
export const credentialEnv = { TENCENTCLOUD_SECRET_ID: credentials.secretId, TENCENTCLOUD_SECRET_KEY: credentials.secretKey };

/** Starts an emulator for the test file and closes it afterwards; faults and stats reset between tests. */
export function useEmulator(options: EmulatorOptions = {}): { readonly current: RunningEmulator } {
  const holder = {} as { current: RunningEmulator };
  beforeAll(async () => {
    holder.current = await startEmulator(options);
  });
  afterEach(async () => {
    await holder.current.reset();
  });
  afterAll(async () => {
    await holder.current.close();
  });
  return holder;
}

/** A fresh throttle and call-sharing table, so that one test's budget never slows another's. */
export function freshRuntime(overrides: Partial<WaitRuntime> = {}): WaitRuntime {
  return newRuntime({ requestTimeoutMs: 2000, ...overrides });
}

/** `waitForTask` on a runtime of the test's own: the same parsing and the same wait (with a budget of the test's own, if given). */
export async function waitOn(runtime: WaitRuntime, options: WaitOptions, budget: Pick<RunOptions, "requestsPerSecond"> = {}) {
  const { spec, run } = await parseWaitOptions(options);
  return runWait(spec, { ...run, ...budget }, runtime);
}
