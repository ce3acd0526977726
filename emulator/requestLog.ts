import type { RequestOutcome } from "./stats";

export interface LoggedRequest {
  /** When the request arrived, epoch milliseconds of real time. */
  at: number;
  /** Its `X-TC-Action`, or `(unknown)` / `(none)` as in the stats. */
  action: string;
  outcome: RequestOutcome;
  /** The service it was signed for (the credential scope's), once its signature was checked. */
  service?: string;
  /** Its `X-TC-Version`, once its action was found. */
  version?: string;
}

/** Enough for a long benchmark run at the full 20 requests/second of several actions. */
const REQUEST_LOG_CAPACITY = 200_000;

/** The last API requests in arrival order, so that a client can see when each one came. */
export class RequestLog {
  // A ring buffer: once full, each new entry overwrites the oldest.
  private readonly entries: LoggedRequest[] = [];
  private next = 0;

  constructor(private readonly capacity = REQUEST_LOG_CAPACITY) {}

  add(request: LoggedRequest): void {
    this.entries[this.next] = request;
    this.next = (this.next + 1) % this.capacity;
  }

  list(): LoggedRequest[] {
    return [...this.entries.slice(this.next), ...this.entries.slice(0, this.next)];
  }

  clear(): void {
    this.entries.length = 0;
    this.next = 0;
  }
}
