import { getEventListeners } from "node:events";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { RateLimiter } from "../emulator/rateLimit";
import { ApiAnswerError, isThrottled } from "../provider/callFailures";
import { MachinePeers } from "../provider/peers";
import { SharedCalls } from "../provider/sharedCalls";
import { Throttle, type Peers } from "../provider/throttle";
import { VirtualClock } from "./support/virtualClock";

const throttled = () => new ApiAnswerError("RequestLimitExceeded", "Your current request times equals to `21` in a second", "r-1");

/** Most requests in any window of `windowMs` (inclusive at both ends). */
function busiestWindow(times: number[], windowMs = 1000): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] > windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe("Throttle on virtual time", () => {
  test("500 waits asking at once: evenly spaced, never more than the budget in any second", async () => {
    const clock = new VirtualClock();
    const throttle = new Throttle({ isThrottled, clock });
    const k = { key: "k", requestsPerSecond: 15 };
    const sent: number[] = [];
    const all = Promise.all(
      Array.from({ length: 500 }, () => throttle.run(k, new AbortController().signal, async () => void sent.push(clock.now()))),
    );
    await clock.run(all);
    expect(sent).toHaveLength(500);
    expect(busiestWindow(sent)).toBeLessThanOrEqual(15);
    // ...and not much slower than the budget allows.
    expect(sent[499] / 1000).toBeLessThan((500 / 15) * 1.06);
  });

  test("a slow first answer cannot put budget + 1 requests into one second where the API counts them", async () => {
    const clock = new VirtualClock();
    const throttle = new Throttle({ isThrottled, clock });
    const k = { key: "k", requestsPerSecond: 3 };
    // The API counts a request at some moment between our send and its answer: here at the
    // answer, the latest it can. The first call is slow (a new connection), the rest are quick.
    const counted: number[] = [];
    const call = (latencyMs: number) => async () => {
      await clock.sleep(latencyMs);
      counted.push(clock.now());
    };
    const all = Promise.all(Array.from({ length: 12 }, (_, i) => throttle.run(k, new AbortController().signal, call(i === 0 ? 300 : 5))));
    await clock.run(all);
    expect(counted).toHaveLength(12);
    expect(busiestWindow(counted)).toBeLessThanOrEqual(3);
  });

  test("calls of varied latency, counted anywhere within them: never more than the budget in any second", async () => {
    const clock = new VirtualClock();
    const throttle = new Throttle({ isThrottled, clock });
    const k = { key: "k", requestsPerSecond: 7 };
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const counted: number[] = [];
    const call = async () => {
      const latency = 400 * random() ** 3;
      const countedAfter = latency * random();
      await clock.sleep(countedAfter);
      counted.push(clock.now());
      await clock.sleep(latency - countedAfter);
    };
    await clock.run(Promise.all(Array.from({ length: 200 }, () => throttle.run(k, new AbortController().signal, call))));
    expect(busiestWindow(counted)).toBeLessThanOrEqual(7);
    // ...at close to the budget: the place of a call is held until its answer plus a second.
    expect(clock.now() / 1000).toBeLessThan((200 / 7) * 1.25);
  });

  test("many waits queued on one signal: no listener warning, and no listener left on it", async () => {
    const clock = new VirtualClock();
    const throttle = new Throttle({ isThrottled, clock });
    const k = { key: "k", requestsPerSecond: 5 };
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const controller = new AbortController();
      const granted = Promise.all(Array.from({ length: 40 }, () => throttle.run(k, controller.signal, async () => undefined)));
      expect(getEventListeners(controller.signal, "abort").length).toBeLessThanOrEqual(1);
      await clock.run(granted);
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
      // Aborting a signal that many waits are queued on rejects them all, and leaves nothing behind.
      const queued = Array.from({ length: 40 }, () => throttle.run(k, controller.signal, async () => undefined).catch((e: unknown) => e));
      controller.abort(new Error("shutdown"));
      expect(await Promise.all(queued)).toEqual(Array.from({ length: 40 }, () => new Error("shutdown")));
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  test("fair: requests leave in the order they asked, so no wait starves", async () => {
    const clock = new VirtualClock();
    const throttle = new Throttle({ isThrottled, clock });
    const k = { key: "k", requestsPerSecond: 10 };
    const order: number[] = [];
    // 20 waits, each asking 5 times in a row: round robin is the only fair order.
    const wait = async (id: number) => {
      for (let i = 0; i < 5; i++) await throttle.run(k, new AbortController().signal, async () => void order.push(id));
    };
    await clock.run(Promise.all(Array.from({ length: 20 }, (_, id) => wait(id))));
    for (let round = 0; round < 5; round++) {
      expect(new Set(order.slice(round * 20, round * 20 + 20)).size).toBe(20);
    }
  });

  test("separate keys have separate budgets", async () => {
    const clock = new VirtualClock();
    const throttle = new Throttle({ isThrottled, clock });
    const k = { key: "k", requestsPerSecond: 5 };
    const sent: Record<string, number[]> = { a: [], b: [] };
    const burst = (key: string) =>
      Array.from({ length: 10 }, () => throttle.run({ key, requestsPerSecond: k.requestsPerSecond }, new AbortController().signal, async () => void sent[key].push(clock.now())));
    await clock.run(Promise.all([...burst("a"), ...burst("b")]));
    expect(busiestWindow(sent.a)).toBe(5);
    expect(busiestWindow(sent.b)).toBe(5);
    expect(Math.max(...sent.a, ...sent.b)).toBeLessThan(2100);
  });

  test("RequestLimitExceeded cuts to half of what was being sent, once per cut; the rate is back to 85 % of it after 10 s, then probes upward", async () => {
    const clock = new VirtualClock();
    const throttle = new Throttle({ isThrottled, clock });
    const k = { key: "k", requestsPerSecond: 16 };
    const signal = new AbortController().signal;
    // Sixteen calls in a second, then three sent before the first answer: all throttled, one cut.
    await clock.run(Promise.all(Array.from({ length: 16 }, () => throttle.run(k, signal, async () => clock.sleep(20)))));
    let cutAt = 0;
    const rejected = async () => {
      await clock.sleep(200);
      cutAt ||= clock.now();
      throw throttled();
    };
    await clock.run(Promise.all(Array.from({ length: 3 }, () => throttle.run(k, signal, rejected).catch(() => undefined))));
    // 15 were in flight or answered within the second: the rate is half of that (and rising).
    expect(clock.now() - cutAt).toBeLessThan(200);
    expect(throttle.rateOf("k")).toBeCloseTo(7.5, 0);
    // The plateau comes 10 s after the cut, stretched by budget / rate throttled (16 / 15).
    await clock.advance(cutAt + 10_000 * (16 / 15) - clock.now());
    expect(throttle.rateOf("k")).toBeCloseTo(15 * 0.85);
    await clock.advance(5000);
    expect(throttle.rateOf("k")).toBeGreaterThan(15 * 0.85);
    await clock.advance(20_000);
    expect(throttle.rateOf("k")).toBe(16);
  });

  test("cut while it had a small part of the machine's budget, a process takes the whole budget back when the others leave", async () => {
    const clock = new VirtualClock();
    // Fifteen others on the machine, then none: its allowance goes from 1/16 of the budget to all of it.
    let others = 15;
    const peers: Peers = {
      allowance: (_key, _mine, ceiling) => ceiling / (1 + others),
      leave: () => undefined,
      reserve: () => ({ release: () => undefined }),
    };
    const throttle = new Throttle({ isThrottled, clock, peers });
    const k = { key: "k", requestsPerSecond: 16 };
    const signal = new AbortController().signal;
    await clock.run(throttle.run(k, signal, async () => clock.sleep(20)));
    expect(throttle.rateOf("k")).toBe(1);
    // A neighbour's burst throttles it once: cut to half of its part.
    await clock.run(throttle.run(k, signal, () => Promise.reject(throttled())).catch(() => undefined));
    expect(throttle.rateOf("k")).toBeCloseTo(0.5, 1);
    others = 0;
    const sent: number[] = [];
    const started = clock.now();
    await clock.run(Promise.all(Array.from({ length: 300 }, () => throttle.run(k, signal, async () => void sent.push(clock.now() - started)))));
    // The cut is kept as a part of the allowance: 85 % of the whole budget 10 s after the cut
    // (it was sending all of its part, so no stretch), not 85 % of 1/s after a minute.
    expect(throttle.rateOf("k")).toBeGreaterThan(16 * 0.85);
    expect(sent.filter((at) => at > 20_000 && at <= 21_000).length).toBeGreaterThanOrEqual(13);
    expect(clock.now() - started).toBeLessThan(40_000);
  });

  test("throttled for a long time, the rate falls to one call per 10 s: no floor holds a crowd of processes above the limit", async () => {
    const clock = new VirtualClock();
    const throttle = new Throttle({ isThrottled, clock });
    const k = { key: "k", requestsPerSecond: 16 };
    const signal = new AbortController().signal;
    await clock.run(Promise.all(Array.from({ length: 40 }, () => throttle.run(k, signal, () => Promise.reject(throttled())).catch(() => undefined))));
    expect(throttle.rateOf("k")).toBeLessThanOrEqual(0.2);
    expect(throttle.rateOf("k")).toBeGreaterThanOrEqual(0.1);
  });

  test("an abort while queued rejects at once and frees the place", async () => {
    const clock = new VirtualClock();
    const throttle = new Throttle({ isThrottled, clock });
    const k = { key: "k", requestsPerSecond: 1 };
    const controller = new AbortController();
    const ran: string[] = [];
    const first = throttle.run(k, new AbortController().signal, async () => void ran.push("first"));
    const second = throttle.run(k, controller.signal, async () => void ran.push("second")).catch((e) => e);
    const third = throttle.run(k, new AbortController().signal, async () => void ran.push("third"));
    controller.abort(new Error("gave up"));
    await clock.run(Promise.all([first, second, third]));
    expect(await second).toEqual(new Error("gave up"));
    expect(ran).toEqual(["first", "third"]);
    expect(clock.now()).toBeLessThan(1100);
  });
});

interface Contention {
  processes: number;
  waitsPerProcess: number;
  seconds: number;
  /** Each process's budget; default 15/s. */
  budget?: number;
  /** Each process's view of the others on its machine, on the simulation's clock; none: each adapts alone, as on separate machines. */
  peers?: (now: () => number) => Peers;
}

interface Tally {
  sent: number;
  throttled: number;
  /** Calls throttled after the first 10 s. */
  lateThrottled: number;
  lateSent: number;
}

/**
 * Processes on one account, each with its own throttle (budget 15/s unless told) and waits that poll every
 * 0.5 s, next to a neighbour polling at 2/s, against the API's limit of 20/s per second, on
 * virtual time. The API counts a request halfway through its 3-7 ms.
 */
async function contend({ processes, waitsPerProcess, seconds, budget = 15, peers }: Contention) {
  const clock = new VirtualClock();
  const api = new RateLimiter(20);
  let seed = 42;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const tally = (): Tally => ({ sent: 0, throttled: 0, lateThrottled: 0, lateSent: 0 });
  const ours = Array.from({ length: processes }, tally);
  const neighbour = tally();
  const accepted: number[] = [];
  const oursAccepted: number[] = [];
  const end = seconds * 1000;
  const call = async (who: Tally) => {
    await clock.sleep(1.5 + 2 * random());
    const late = clock.now() > 10_000;
    who.sent++;
    if (late) who.lateSent++;
    try {
      api.take("DescribeTaskStatus", "AKID", clock.now());
      accepted.push(clock.now());
      if (who !== neighbour) oursAccepted.push(clock.now());
    } catch {
      who.throttled++;
      if (late) who.lateThrottled++;
      await clock.sleep(1.5 + 2 * random());
      throw throttled();
    }
    await clock.sleep(1.5 + 2 * random());
  };
  const runs = ours.map(async (counts, p) => {
    const throttle = new Throttle({ isThrottled, clock, peers: peers?.(() => clock.now()) });
    // Processes start a little apart, as CI jobs do.
    await clock.sleep(p * 37);
    await Promise.all(
      Array.from({ length: waitsPerProcess }, async () => {
        while (clock.now() < end) {
          await throttle.run({ key: "k", requestsPerSecond: budget }, new AbortController().signal, () => call(counts)).catch(() => undefined);
          await clock.sleep(500);
        }
      }),
    );
  });
  const neighbourRun = (async () => {
    while (clock.now() < end) {
      await call(neighbour).catch(() => undefined);
      await clock.sleep(500);
    }
  })();
  await clock.run(Promise.all([...runs, neighbourRun]));
  const sum = (key: keyof Tally) => ours.reduce((total, counts) => total + counts[key], 0);
  const lastHalf = accepted.filter((at) => at > end / 2 && at <= end).length;
  const result = {
    ours: sum("throttled") / sum("sent"),
    oursAfter10s: sum("lateThrottled") / sum("lateSent"),
    neighbour: neighbour.throttled / neighbour.sent,
    /** Requests accepted per second over the second half, ours and the neighbour's. */
    acceptedPerSecond: lastHalf / (seconds / 2),
    busiestSecond: busiestWindow(accepted, 999),
    /** Most of our requests in any one of the API's seconds. */
    oursBusiestSecond: busiestWindow(oursAccepted, 999),
    /** The least any process got accepted, as a share of an even split of what was accepted. */
    leastShare: Math.min(...ours.map((c) => c.sent - c.throttled)) / ((sum("sent") - sum("throttled")) / processes),
  };
  if (process.env.SHOW_CONTENTION) console.log(result);
  return result;
}

describe("several processes on one account, on virtual time", () => {
  test("eight processes that do not know of each other converge on shares of the limit", async () => {
    const result = await contend({ processes: 8, waitsPerProcess: 30, seconds: 60 });
    // Each started at the budget (eight times what fits): after the first seconds, few throttled answers.
    expect(result.oursAfter10s).toBeLessThan(0.05);
    expect(result.neighbour).toBeLessThan(0.05);
    // ...and the limit is used, not abandoned: each process found a share.
    expect(result.acceptedPerSecond).toBeGreaterThan(14);
    expect(result.leastShare).toBeGreaterThan(0.4);
    expect(result.busiestSecond).toBeLessThanOrEqual(20);
  });

  test("no floor: forty processes still converge below the limit", async () => {
    const result = await contend({ processes: 40, waitsPerProcess: 5, seconds: 90 });
    expect(result.oursAfter10s).toBeLessThan(0.1);
    expect(result.neighbour).toBeLessThan(0.05);
    expect(result.acceptedPerSecond).toBeGreaterThan(12);
  });

  test("processes of one machine share the budget through the temp directory: no throttled answer, the neighbour untouched", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "peers-"));
    try {
      const result = await contend({ processes: 8, waitsPerProcess: 30, seconds: 30, peers: (now) => new MachinePeers(dir, now) });
      expect(result.ours).toBe(0);
      expect(result.neighbour).toBe(0);
      // Together they use about one budget (15/s, plus the neighbour's 2/s), below the limit.
      expect(result.busiestSecond).toBeLessThanOrEqual(20);
      expect(result.acceptedPerSecond).toBeGreaterThan(15);
      expect(result.acceptedPerSecond).toBeLessThan(18);
      expect(result.leastShare).toBeGreaterThan(0.7);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("MachinePeers", () => {

  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), "peers-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("sixteen processes of one machine at 17/s: never more than 17 of their calls in one of the API's seconds, however their timers fall", async () => {
    const result = await contend({ processes: 16, waitsPerProcess: 30, seconds: 30, budget: 17, peers: (now) => new MachinePeers(dir, now) });
    // Parts alone (each 17/16 per second) let some seconds take more than 17: the ledger does not.
    expect(result.oursBusiestSecond).toBeLessThanOrEqual(17);
    expect(result.ours).toBe(0);
    expect(result.neighbour).toBe(0);
    expect(result.acceptedPerSecond).toBeGreaterThan(17);
  });

  test("parts in proportion to demand; a newcomer keeps to what the others leave free at first", () => {
    const [a, b] = [new MachinePeers(dir), new MachinePeers(dir)];
    expect(a.allowance("k", { demand: 30, rate: 15 }, 15)).toBe(15);
    // b arrives while a still sends 15/s: nothing free yet, whatever its demand.
    expect(b.allowance("k", { demand: 10, rate: 0.1 }, 15)).toBe(0);
    // a hears of b and keeps 3/4 of the budget, in proportion to its demand.
    expect(a.allowance("k", { demand: 30, rate: 15 }, 15)).toBeCloseTo(11.25);
    expect(a.allowance("k", { demand: 30, rate: 11.25 }, 15)).toBeCloseTo(11.25);
    // Now b has room for its part.
    expect(b.allowance("k", { demand: 10, rate: 0.1 }, 15)).toBeCloseTo(3.75);
    // Separate budgets do not mix, and the files name no key.
    expect(a.allowance("other", { demand: 1, rate: 15 }, 15)).toBe(15);
    expect(readdirSync(dir).every((name) => /^[0-9a-f]{32}$/.test(name))).toBe(true);
  });

  test("an entry of a process that stopped, or a corrupt one, takes no part; leaving gives the part back", () => {
    const [a, b] = [new MachinePeers(dir), new MachinePeers(dir)];
    a.allowance("k", { demand: 1, rate: 1 }, 15);
    const [folder] = readdirSync(dir);
    writeFileSync(path.join(dir, folder, "1-dead.json"), JSON.stringify({ demand: 100, rate: 15, at: Date.now() - 5000 }));
    writeFileSync(path.join(dir, folder, "2-corrupt.json"), "{ not json");
    writeFileSync(path.join(dir, folder, "3-negative.json"), JSON.stringify({ demand: -1e9, rate: -5, at: Date.now() }));
    expect(b.allowance("k", { demand: 1, rate: 1 }, 15)).toBeCloseTo(7.5);
    a.leave("k");
    expect(b.allowance("k", { demand: 1, rate: 7.5 }, 15)).toBe(15);
  });
  test("the ledger: a place is held while its call is in flight and a second after; stale locks, dead processes and corrupt files do not block", () => {
    let now = 1_000_000;
    const clock = () => now;
    const [a, b] = [new MachinePeers(dir, clock), new MachinePeers(dir, clock)];
    const places = (peers: MachinePeers, count = 2) => peers.reserve("k", count);
    // Not joined yet (no allowance asked): a place that holds nothing, and no ledger.
    expect("release" in places(a)).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
    a.allowance("k", { demand: 1, rate: 1 }, 2);
    b.allowance("k", { demand: 1, rate: 1 }, 2);
    const first = places(a);
    const second = places(b);
    if (!("release" in first) || !("release" in second)) throw new Error("expected two places");
    // Both places in flight: none frees before one settles and a second passes.
    expect(places(a)).toEqual({ retryInMs: 1025 });
    now += 100;
    first.release();
    // Free 1025 ms after the answer, not before.
    expect(places(b)).toEqual({ retryInMs: 1025 });
    now += 1025;
    expect("release" in places(b)).toBe(true);
    // b's calls never settle (its process died): the place of the first comes back 30 s after it was granted.
    now += 28_000;
    expect(places(a)).toEqual({ retryInMs: 1025 });
    now += 1_000;
    expect("release" in places(a)).toBe(true);

    const [folder] = readdirSync(dir);
    const lock = path.join(dir, folder, "ledger.lock");
    // From here on, each place taken is given back at once and freed a second later.
    now += 31_000;
    const takes = (peers: MachinePeers) => {
      const place = places(peers);
      if (!("release" in place)) return false;
      place.release();
      now += 1100;
      return true;
    };
    // A lock held by a live process (this one), recently: busy, come back soon.
    writeFileSync(lock, `${process.pid} someone`);
    expect(places(a)).toEqual({ retryInMs: 5 });
    // ...older than 10 s (a hung holder), or from far in the future (a clock set back): broken.
    utimesSync(lock, new Date(Date.now() - 11_000), new Date(Date.now() - 11_000));
    expect(takes(a)).toBe(true);
    writeFileSync(lock, `${process.pid} someone`);
    utimesSync(lock, new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));
    expect(takes(b)).toBe(true);
    // ...left by a process that is gone: broken at once.
    writeFileSync(lock, "999999999 gone");
    expect(takes(a)).toBe(true);
    expect(readdirSync(path.join(dir, folder)).filter((name) => name.includes("lock"))).toEqual([]);

    // A corrupt ledger, or one with times far ahead of the clock, holds no place.
    writeFileSync(path.join(dir, folder, "ledger.json"), '[["x", 1, null], {"not": "a call"}');
    expect(takes(a)).toBe(true);
    writeFileSync(path.join(dir, folder, "ledger.json"), JSON.stringify([["x", now + 60_000, null], ["y", now, now + 60_000]]));
    expect(takes(a)).toBe(true);
    // A process with a smaller budget on the same account: both keep to it while it calls, so
    // the larger cannot fill the ledger beyond what the smaller may ever take.
    b.allowance("k", { demand: 1, rate: 1 }, 1);
    a.allowance("k", { demand: 1, rate: 1 }, 2);
    expect("release" in places(a, 2)).toBe(true);
    expect(places(a, 2)).toEqual({ retryInMs: 1025 });
    expect(places(b, 1)).toEqual({ retryInMs: 1025 });
    // Leaving settles what the process still had in flight.
    a.leave("k");
    b.leave("k");
    expect(readdirSync(path.join(dir, folder))).toEqual(["ledger.json"]);
    const ledger = JSON.parse(readFileSync(path.join(dir, folder, "ledger.json"), "utf8")) as unknown[][];
    expect(ledger.length).toBeGreaterThan(0);
    expect(ledger.every((call) => call[2] === now)).toBe(true);
  });

  test("a file-system error: on its own, at its last part, for a while; then back on the directory", () => {
    let now = 1_000_000;
    const peers = new MachinePeers(dir, () => now);
    expect(peers.allowance("k", { demand: 1, rate: 1 }, 10)).toBe(10);
    const other = new MachinePeers(dir, () => now);
    other.allowance("k", { demand: 3, rate: 1 }, 10);
    now += 1500;
    expect(peers.allowance("k", { demand: 1, rate: 1 }, 10)).toBeCloseTo(2.5);
    // A temp cleaner removes the whole directory: made again at the next look.
    rmSync(dir, { recursive: true, force: true });
    expect(peers.allowance("k", { demand: 1, rate: 1 }, 10)).toBe(10);
    expect(readdirSync(dir)).toHaveLength(1);
    other.allowance("k", { demand: 3, rate: 1 }, 10);
    expect(peers.allowance("k", { demand: 1, rate: 1 }, 10)).toBeCloseTo(2.5);
    // Something that cannot be a directory in its place: its last part, and no ledger, for 10 s.
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(dir, "not a directory");
    expect(peers.allowance("k", { demand: 1, rate: 1 }, 10)).toBeCloseTo(2.5);
    rmSync(dir);
    mkdirSync(dir);
    now += 9_000;
    expect(peers.allowance("k", { demand: 1, rate: 1 }, 10)).toBeCloseTo(2.5);
    expect(peers.reserve("k", 10)).toEqual({ release: expect.any(Function) });
    expect(readdirSync(dir)).toEqual([]);
    // Then back on the directory.
    now += 1_001;
    other.allowance("k", { demand: 3, rate: 1 }, 10);
    expect(peers.allowance("k", { demand: 1, rate: 1 }, 10)).toBeCloseTo(2.5);
    expect(readdirSync(dir)).toHaveLength(1);
    peers.reserve("k", 1);
    expect(readdirSync(path.join(dir, readdirSync(dir)[0]))).toContain("ledger.json");
  });
});

describe("SharedCalls", () => {
  test("waits on one task share a call in flight and a fresh answer, but never reuse their own", async () => {
    const clock = new VirtualClock();
    const shared = new SharedCalls<number>(500, clock);
    let calls = 0;
    const call = async () => {
      await clock.sleep(100);
      return ++calls;
    };
    const [a, b] = [{}, {}];
    const signal = new AbortController().signal;
    // Both ask while the first call is in flight: one call.
    expect(await clock.run(Promise.all([shared.run("t", a, signal, call), shared.run("t", b, signal, call)]))).toEqual([1, 1]);
    // A third wait arriving within 0.5 s gets that answer; a wait asking again gets a new call.
    const c = {};
    expect(await clock.run(shared.run("t", c, signal, call))).toBe(1);
    expect(await clock.run(shared.run("t", a, signal, call))).toBe(2);
    expect(calls).toBe(2);
  });

  test("a shared call is cancelled only when every wait on it has given up", async () => {
    const clock = new VirtualClock();
    const shared = new SharedCalls<string>(500, clock);
    let cancelled = false;
    const call = (signal: AbortSignal) =>
      new Promise<string>((resolve, reject) => {
        signal.addEventListener("abort", () => ((cancelled = true), reject(signal.reason)));
        void clock.sleep(1000).then(() => resolve("done"));
      });
    const first = new AbortController();
    const second = new AbortController();
    const p1 = shared.run("t", {}, first.signal, call).catch((e) => e);
    const p2 = shared.run("t", {}, second.signal, call);
    first.abort(new Error("first gave up"));
    expect(cancelled).toBe(false);
    expect(await clock.run(p2)).toBe("done");
    expect(await p1).toEqual(new Error("first gave up"));
  });
});
