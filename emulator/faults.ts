import { DEFAULT_RATE_LIMIT, requestLimitExceeded } from "./rateLimit";

/** Faults of the transport, or answers no real API would give, rather than API errors. */
export const TRANSPORT_FAULT_KINDS = ["http500", "http502", "http503", "reset", "stall", "malformed", "empty", "answer"] as const;
export type TransportFaultKind = (typeof TRANSPORT_FAULT_KINDS)[number];

/**
 * - `http500` / `http502` / `http503`: that status with a short HTML body;
 * - `reset`: the connection is destroyed without an answer;
 * - `stall`: no answer for `delayMs`, then the request is processed normally;
 * - `malformed`: HTTP 200 with a body that is not valid JSON;
 * - `empty`: HTTP 200 with an empty body;
 * - `answer`: HTTP 200 with `answer` as the `Response` (plus a RequestId), to test what a client
 *   makes of an unexpected one: a missing `Status`, an unknown value, a huge `Message`;
 * - any API error code (`InternalError`, `ResourceUnavailable`, ...): answered as that API error.
 *
 * (`string & {}` keeps editor completion for the transport kinds while accepting any code.)
 */
export type FaultKind = TransportFaultKind | (string & {});

export interface FaultSpec {
  kind: FaultKind;
  /** Only requests with this `X-TC-Action`; default every request. */
  action?: string;
  /** Fire at most this many times; default unlimited. */
  count?: number;
  /** Chance of firing per matching request, 0..1; default 1. */
  probability?: number;
  /** How long a `stall` holds the request; default 30000 ms. */
  delayMs?: number;
  /** Active for this long from now, in real time; default until cleared. */
  durationMs?: number;
  /** The `Response` object of an `answer` fault. */
  answer?: Record<string, unknown>;
}

export interface FaultView extends FaultSpec {
  id: number;
  /** How many requests it has hit so far. */
  fired: number;
  /** When it stops being active (ISO-8601), or null if it stays until cleared. */
  expiresAt: string | null;
}

export const DEFAULT_STALL_MS = 30_000;

const API_ERROR_CODE = /^[A-Z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/;

export function isFaultKind(kind: string): boolean {
  return (TRANSPORT_FAULT_KINDS as readonly string[]).includes(kind) || API_ERROR_CODE.test(kind);
}

interface Fault {
  spec: FaultSpec;
  id: number;
  fired: number;
  /** Epoch milliseconds, or null for "until cleared". */
  expiresAt: number | null;
}

/** Active faults, in the order they were added; the first that fires for a request wins. */
export class FaultStore {
  private faults: Fault[] = [];
  private nextId = 1;

  constructor(private readonly random: () => number = Math.random) {}

  add(spec: FaultSpec, now: number = Date.now()): FaultView {
    const expiresAt = spec.durationMs === undefined ? null : now + spec.durationMs;
    const fault = { spec, id: this.nextId++, fired: 0, expiresAt };
    this.faults.push(fault);
    return view(fault);
  }

  list(now: number = Date.now()): FaultView[] {
    this.dropExpired(now);
    return this.faults.map(view);
  }

  clear(): void {
    this.faults = [];
  }

  /** The fault that hits a request with this `X-TC-Action`, if any; counts it as fired. */
  fire(action: string | undefined, now: number = Date.now()): FaultSpec | undefined {
    this.dropExpired(now);
    const fault = this.faults.find(
      ({ spec, fired }) =>
        (spec.action === undefined || spec.action === action) &&
        (spec.count === undefined || fired < spec.count) &&
        this.random() < (spec.probability ?? 1),
    );
    if (fault) fault.fired++;
    return fault?.spec;
  }

  private dropExpired(now: number): void {
    this.faults = this.faults.filter((f) => f.expiresAt === null || f.expiresAt > now);
  }
}

function view({ spec, id, fired, expiresAt }: Fault): FaultView {
  return { id, ...spec, fired, expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString() };
}

const API_ERROR_MESSAGES = new Map<string, string>([
  ["InternalError", "An internal error has occurred. Retry your request, but if the problem persists, contact us."],
  ["RequestLimitExceeded", requestLimitExceeded(DEFAULT_RATE_LIMIT + 1, DEFAULT_RATE_LIMIT).message],
  ["ResourceUnavailable", "The resource is unavailable."],
  ["ResourceInUse", "The resource is in use."],
  ["UnsupportedRegion", "The action does not support this region."],
  [
    "AuthFailure.SignatureFailure",
    "The provided credentials could not be validated. Please check your signature is correct.",
  ],
  ["AuthFailure.SignatureExpire", "Signature expired. Timestamp and server time may differ by at most five minutes."],
  ["AuthFailure.SecretIdNotFound", "The SecretId is not found, please ensure that your SecretId is correct."],
  ["AuthFailure.TokenFailure", "Token error."],
  ["AuthFailure.UnauthorizedOperation", "The request is not authorized: the CAM policy does not allow this action."],
  ["FailedOperation.ResourceInOperating", "Your task is working: the resource is being changed by another task."],
]);

/** The message an injected API error is answered with. */
export function apiErrorMessage(code: string): string {
  return API_ERROR_MESSAGES.get(code) ?? `The request failed with error \`${code}\`.`;
}
