import { systemClock, whenAborted, type Clock } from "./clock";

export interface ThrottleOptions {
  /** Whether a failed call was throttled by the API (RequestLimitExceeded). */
  isThrottled: (error: unknown) => boolean;
  clock?: Clock;
  /** Other processes of this machine on the same budgets (see peers.ts); without it, each process adapts alone. */
  peers?: Peers;
}

/**
 * What this process knows of the others on its machine that spend the same budget: it publishes
 * how many calls it wants and the rate it uses, and learns the rate it may use.
 */
export interface Peers {
  /** The rate (requests/second) this process may use on `key` of `ceiling`, given what every process on the machine wants. */
  allowance(key: string, mine: { demand: number; rate: number }, ceiling: number): number;
  /** This process no longer calls on `key`. */
  leave(key: string): void;
  /**
   * Takes one of the machine's (or the fleet's) `places` on `key` for a call about to leave: the
   * place, to give back once the call settled, or how long until one may be free. A backend over
   * the network (redisPeers.ts) answers later; it never rejects, and answers within a bounded time.
   */
  reserve(key: string, places: number): Reservation | Promise<Reservation>;
}

type Reservation = MachinePlace | { retryInMs: number };

/** A place among the machine's calls on one budget (see peers.ts). */
export interface MachinePlace {
  /** The call settled: its place frees HOLD_AFTER_ANSWER_MS later. */
  release(): void;
}

/** One budget: requests with the same key share it. */
export interface BudgetKey {
  key: string;
  /** The ceiling of this key, in requests per second. */
  requestsPerSecond: number;
}

/**
 * One request budget per key (action, API version, endpoint, account) for the whole process, shared
 * by every wait. Requests leave evenly spaced, in the order they asked (so no wait starves).
 * The rate is the budget until the API throttles; then it follows a cubic curve, as TCP CUBIC
 * and the AWS SDK's adaptive retry mode do: cut to half of what was being sent, back to 85 % of
 * that after RECOVERY_MS (longer for a small share), slow near it, and faster again only once it
 * has held. Processes that do not know of each other (CI runners on one account) converge on
 * shares below the account's limit; processes of one machine share the budget through `peers`.
 * docs/throttle.md has the figures.
 */
export class Throttle {
  private readonly budgets = new Map<string, Budget>();
  private readonly clock: Clock;

  constructor(private readonly options: ThrottleOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Runs `call` when the key's budget allows; rejects at once if `signal` aborts while queued. */
  async run<T>({ key, requestsPerSecond }: BudgetKey, signal: AbortSignal, call: () => Promise<T>): Promise<T> {
    let budget = this.budgets.get(key);
    if (!budget) {
      budget = new Budget(key, requestsPerSecond, this.clock, this.options.peers);
      this.budgets.set(key, budget);
    }
    // Stack config read after the first wait started still applies to the next call.
    budget.ceiling = requestsPerSecond;
    const { release, epoch } = await budget.acquire(signal);
    try {
      return await call();
    } catch (error) {
      if (this.options.isThrottled(error)) budget.onThrottled(epoch);
      throw error;
    } finally {
      release();
    }
  }

  /** The current rate of a key, for tests and the benchmark. */
  rateOf(key: string): number | undefined {
    return this.budgets.get(key)?.rate();
  }
}

interface Ticket {
  grant(machinePlace: MachinePlace | undefined): void;
}

interface Place {
  /** Gives the place back once the call has settled. */
  release(): void;
  /** Cuts made before the call was granted: an answer to a call sent before the last cut says nothing new. */
  epoch: number;
}

/** Multiplicative decrease: to half of the rate being sent when the API throttled. */
const BETA = 0.5;
/**
 * The cubic's plateau: 85 % of the rate that was throttled. Not 100 % as in TCP: the rate that was
 * throttled is where the account's limit is, and every probe of it costs the account's other
 * clients throttled answers too.
 */
const PLATEAU = 0.85;
/**
 * The plateau is reached RECOVERY_MS after the cut, times allowance / (rate that was throttled),
 * up to MAX_STRETCH times. Alone (the allowance is the budget), a process that was sending a small
 * part of its budget is likely one of many on separate machines: K processes probing as fast as
 * one would throttle K times as often, so each probes K times slower and the account sees about
 * as many throttled answers with 40 processes as with 4. On a machine the allowance already is
 * the process's part, so a small part alone does not slow it.
 */
const RECOVERY_MS = 10_000;
const MAX_STRETCH = 6;
/**
 * The lowest rate: one call every 10 s. Not a floor that holds the aggregate above a limit: it
 * takes 200 processes at it to make 20/s, and the poll schedule's backoff slows each wait further.
 */
const MIN_RATE = 0.1;
/** How often the allowance among this machine's processes is looked up while calls wait. */
const PEERS_REFRESH_MS = 250;

/**
 * How long a call holds its place after it settled. The server counted the request at some moment
 * between our grant and the answer, so a place held until the answer plus one second means no
 * `budget + 1` requests can ever fall into one second there, however late the first of them
 * arrived (a new connection, a busy event loop). The extra 25 ms covers a cancelled request whose
 * bytes were already on the wire.
 */
export const HOLD_AFTER_ANSWER_MS = 1000 + 25;
/**
 * Below a rate of 2/s, whole places per second would round 1.9/s down to 1/s; so places are also
 * counted over this longer window (rate x 10 of them), and per second the rate rounds up, but
 * never above the budget.
 */
const LONG_WINDOW_MS = 10_000;
const LONG_HOLD_MS = LONG_WINDOW_MS + 25;

class Budget {
  /** The last grant: the next is one interval (1/rate, at the rate of the moment) later. */
  private lastGrant = -Infinity;
  /** After a cut, no call before this. */
  private pausedUntil = -Infinity;
  /** The rate this process may use: the ceiling, or its allowance among the machine's processes. */
  private allowed: number;
  private allowedAt = -Infinity;
  /** The last cut, if the API ever throttled this budget: when, the rate it cut from, and the allowance then. */
  private cut: { at: number; from: number; allowed: number } | undefined;
  private epoch = 0;
  private readonly queue: Ticket[] = [];
  /** Calls granted and not yet settled. */
  private inFlight = 0;
  /** When recent calls settled, oldest first: each holds a place until HOLD_AFTER_ANSWER_MS (and LONG_HOLD_MS) later. */
  private readonly settled: number[] = [];
  private timer: AbortController | undefined;
  /** A place is being taken from a backend that answers later: no other grant meanwhile. */
  private reserving = false;

  constructor(
    private readonly key: string,
    public ceiling: number,
    private readonly clock: Clock,
    private readonly peers: Peers | undefined,
  ) {
    this.allowed = ceiling;
  }

  /**
   * The rate now: the allowance, or less on the cubic curve since the last cut. The curve is kept
   * as a part of the allowance of the moment of the cut, so that a process cut while it had a
   * small part of the machine's budget takes the whole budget back when the others leave, rather
   * than probing up from its small part for minutes. Alone, the allowance is the ceiling.
   */
  rate(now = this.clock.now()): number {
    if (!this.cut) return this.allowed;
    const { at, from, allowed } = this.cut;
    const recovery = RECOVERY_MS * Math.min(MAX_STRETCH, Math.max(1, allowed / from));
    const t = (now - at) / recovery - 1;
    const curve = from * (PLATEAU + (PLATEAU - BETA) * t ** 3) * (this.allowed / allowed);
    return Math.max(MIN_RATE, Math.min(this.allowed, curve));
  }

  /** Resolves with the place granted, once the budget allows. */
  acquire(signal: AbortSignal): Promise<Place> {
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const ticket: Ticket = {
        grant: (machinePlace) => {
          forget();
          this.inFlight++;
          let released = false;
          const release = () => {
            if (released) return;
            released = true;
            this.inFlight--;
            this.settled.push(this.clock.now());
            machinePlace?.release();
            this.pump();
          };
          resolve({ release, epoch: this.epoch });
        },
      };
      // One listener on the signal however many waits queue on it, and none left once granted.
      const forget = whenAborted(signal, (reason) => {
        const index = this.queue.indexOf(ticket);
        if (index >= 0) this.queue.splice(index, 1);
        reject(reason);
        this.pump();
      });
      this.queue.push(ticket);
      this.pump();
    });
  }

  /**
   * Answered RequestLimitExceeded: cut to half of what this process was sending (in flight or
   * answered within the last second), or of its rate if that is lower, once per cut: answers to
   * calls sent before the last cut say nothing the cut did not already act on.
   */
  onThrottled(epoch: number): void {
    if (epoch !== this.epoch) return;
    const now = this.clock.now();
    this.forgetSettled(now);
    const sending = this.inFlight + this.settledWithin(HOLD_AFTER_ANSWER_MS, now);
    const from = Math.max(MIN_RATE, Math.min(this.rate(now), sending));
    this.cut = { at: now, from, allowed: Math.max(from, this.allowed) };
    this.epoch++;
    this.pausedUntil = now + 1000 / this.rate(now);
    this.pump();
  }

  /** Looks up this process's allowance among the machine's processes, at most every PEERS_REFRESH_MS. */
  private refreshAllowance(now: number): void {
    if (!this.peers) {
      this.allowed = this.ceiling;
      return;
    }
    const demand = this.queue.length + this.inFlight;
    // Idle for a second: the others may have its part (its last calls have left the API's second).
    if (demand === 0 && this.settledWithin(HOLD_AFTER_ANSWER_MS, now) === 0) {
      this.peers.leave(this.key);
      this.allowedAt = -Infinity;
      return;
    }
    if (now - this.allowedAt < PEERS_REFRESH_MS) return;
    this.allowedAt = now;
    this.allowed = Math.max(MIN_RATE, Math.min(this.ceiling, this.peers.allowance(this.key, { demand, rate: this.rate(now) }, this.ceiling)));
  }

  /**
   * Grants the queue in order, one interval (1/rate) apart and never more calls in flight or
   * answered within HOLD_AFTER_ANSWER_MS (or LONG_HOLD_MS) than there are places; otherwise
   * sleeps until the next place frees.
   */
  private pump(): void {
    if (this.reserving) return;
    this.timer?.abort();
    this.timer = undefined;
    this.refreshAllowance(this.clock.now());
    while (this.queue.length > 0) {
      const now = this.clock.now();
      const rate = this.rate(now);
      // Places in any one second: the rate, rounded down, and at least one.
      this.forgetSettled(now);
      const perSecond = Math.max(1, Math.min(Math.floor(this.ceiling), Math.ceil(rate - 1e-9)));
      const perLongWindow = Math.max(1, Math.floor((rate * LONG_WINDOW_MS) / 1000));
      const freeAt = Math.max(this.placeFreeAt(perSecond, HOLD_AFTER_ANSWER_MS, now), this.placeFreeAt(perLongWindow, LONG_HOLD_MS, now));
      // Every place is held by a call still in flight: its release pumps again.
      if (freeAt === Infinity) return;
      const at = Math.max(this.lastGrant + 1000 / rate, this.pausedUntil, freeAt);
      // With peers, wake for their news as well, so that a share that grew is used.
      if (now < at) return this.pumpIn(this.peers ? Math.min(at - now, PEERS_REFRESH_MS) : at - now);
      // Ready by this process's own pacing; with peers, it also takes one of the machine's places.
      const machinePlace = this.peers?.reserve(this.key, Math.floor(this.ceiling));
      if (machinePlace instanceof Promise) {
        this.reserving = true;
        void machinePlace.then(
          (place) => this.reserved(place),
          () => this.reserved(undefined),
        );
        return;
      }
      if (!this.grantHead(machinePlace)) return;
    }
  }

  /** A place came back from a backend that answers later: grant it, then go on. */
  private reserved(place: Reservation | undefined): void {
    this.reserving = false;
    if (this.grantHead(place)) this.pump();
  }

  /** Grants the head of the queue with `machinePlace`; false (and a timer set) if the machine said to come back later. */
  private grantHead(machinePlace: Reservation | undefined): boolean {
    if (machinePlace && "retryInMs" in machinePlace) {
      this.pumpIn(Math.min(machinePlace.retryInMs, PEERS_REFRESH_MS));
      return false;
    }
    const ticket = this.queue.shift();
    // The waiting call was cancelled meanwhile: the place goes back (held its second, as for a call).
    if (!ticket) {
      machinePlace?.release();
      return true;
    }
    this.lastGrant = this.clock.now();
    ticket.grant(machinePlace);
    return true;
  }

  private pumpIn(ms: number): void {
    const timer = new AbortController();
    this.timer = timer;
    this.clock.sleep(ms, timer.signal).then(
      () => this.pump(),
      () => undefined,
    );
  }

  /** When one of `places` is free in a window whose calls hold their place `holdMs` after settling: Infinity while all are in flight. */
  private placeFreeAt(places: number, holdMs: number, now: number): number {
    const held = this.settledWithin(holdMs, now);
    const excess = this.inFlight + held - places + 1;
    if (excess <= 0) return -Infinity;
    if (excess > held) return Infinity;
    return this.settled[this.settled.length - held + excess - 1] + holdMs;
  }

  /** Calls settled less than `holdMs` ago (the newest of `settled`). */
  private settledWithin(holdMs: number, now: number): number {
    let count = 0;
    for (let i = this.settled.length - 1; i >= 0 && this.settled[i] + holdMs > now; i--) count++;
    return count;
  }

  private forgetSettled(now: number): void {
    while (this.settled.length > 0 && this.settled[0] + LONG_HOLD_MS <= now) this.settled.shift();
  }
}
