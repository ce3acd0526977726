import type { FaultStore } from "./faults";
import type { RateLimiter } from "./rateLimit";
import type { RequestLog } from "./requestLog";
import type { ScriptStore } from "./scripts";
import type { Credential } from "./signature";
import type { Stats } from "./stats";
import type { Sts } from "./sts";
import type { TaskStore } from "./tasks";

/** Everything one emulator instance keeps between requests. */
export interface EmulatorState {
  credentials: readonly Credential[];
  tasks: TaskStore;
  faults: FaultStore;
  scripts: ScriptStore;
  limiter: RateLimiter;
  stats: Stats;
  requests: RequestLog;
  /** AssumeRole, temporary credentials and the tasks of other accounts (sts.ts). */
  sts: Sts;
}
