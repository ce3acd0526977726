/**
 * Every number the emulator takes, from its command line and its control API, with its range.
 * A value outside is refused (control API: HTTP 400; command line: exit status 64), so that no
 * setting can break the emulator later (a date out of range, a timer that overflows).
 */
export interface Range {
  min: number;
  max: number;
  /** Whole numbers only. */
  integer: boolean;
}

const DAY_MS = 86_400_000;

export const LIMITS = {
  /** `--port`. */
  port: { min: 0, max: 65_535, integer: true },
  /** `--rate-limit`, and the emulator's `rateLimit` option: accepted requests per second. */
  rateLimit: { min: 1, max: 1_000_000, integer: true },
  /** A task's `durationMs` (and `--task-duration-ms`): up to 30 days. */
  taskDurationMs: { min: 0, max: 30 * DAY_MS, integer: false },
  /** A fault's `delayMs` (how long a `stall` holds a request): up to one hour. */
  faultDelayMs: { min: 0, max: 3_600_000, integer: false },
  /** A fault's `durationMs` (how long it stays active): up to 30 days. */
  faultDurationMs: { min: 0, max: 30 * DAY_MS, integer: false },
  /** A fault's `count`. */
  faultCount: { min: 1, max: 1_000_000_000, integer: true },
  /** A fault's `probability`. */
  probability: { min: 0, max: 1, integer: false },
  /** `--credential-lifetime` and a role's `lifetimeSeconds`: how long STS temporary credentials live (STS allows up to 12 hours; fractions let tests outlive them quickly). */
  credentialLifetimeSeconds: { min: 0.1, max: 43_200, integer: false },
  /** How many phases a task's timeline has. */
  taskPhases: { min: 1, max: 100, integer: true },
  /** How many answers a script holds. */
  scriptResponses: { min: 1, max: 1000, integer: true },
} as const satisfies Record<string, Range>;

/** Largest API request body (`POST /`); a bigger one is answered HTTP 413 without being read. */
export const MAX_API_BODY_BYTES = 1024 * 1024;
/** Largest control API body: scripts of many answers are bigger than any API request. */
export const MAX_CONTROL_BODY_BYTES = 16 * 1024 * 1024;

export function inRange(value: unknown, range: Range): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= range.min && value <= range.max && (!range.integer || Number.isInteger(value));
}

/** "an integer from 0 to 65535", "a number from 0 to 1". */
export function describeRange(range: Range): string {
  return `${range.integer ? "an integer" : "a number"} from ${range.min} to ${range.max}`;
}
