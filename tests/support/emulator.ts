import { DEFAULT_CREDENTIAL, startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator";
import { systemClock } from "../../provider/clock";
import type { TaskObservation } from "../../provider/task";
import { SharedCalls } from "../../provider/sharedCalls";
import { Throttle } from "../../provider/throttle";
import type { WaitRuntime } from "../../provider/waiter";

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
  return {
    clock: systemClock,
    throttle: new Throttle({ requestsPerSecond: 15 }),
    sharedCalls: new SharedCalls<TaskObservation>(),
    requestTimeoutMs: 2000,
    ...overrides,
  };
}
