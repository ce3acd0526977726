import { startEmulator, type FaultSpec, type RunningEmulator } from "../emulator";
import { TaskApiError, TaskFailedError, TaskTimeoutError } from "../provider/errors";
import type { TaskInputs } from "../provider/inputs";
import type { WaitRuntime } from "../provider/runtime";
import type { WaitOptions } from "../provider/wait";
import { credentials, freshRuntime, waitOn } from "./support/emulator";
import { expectNoSecrets } from "./support/secrets";

/**
 * The fault matrix: for each kind of fault, injected into 30 % of status calls, and for a mix of
 * all of them, 50 waits with mixed outcomes. Every wait must end in its task's true outcome, and
 * none may run past its timeout by more than 2 s. Scenarios run side by side, each against its own
 * emulator, with a per-request timeout of 0.5 s so that stalls cost seconds, not minutes.
 */
const KINDS = ["http500", "http502", "http503", "reset", "stall", "malformed", "InternalError", "RequestLimitExceeded", "ResourceUnavailable"];
const WAITS = 50;
const SHORT_TIMEOUT = 3;

type Outcome = "succeeded" | "failed" | "timeout" | "api error" | "other error";

interface Planned {
  inputs: TaskInputs;
  expected: Outcome;
}

/** 50 waits: 2 in 5 succeed, 2 in 5 fail (CLB failed, Redis failed or error), 1 in 5 outlives its timeout. */
async function plan(emulator: RunningEmulator, random: () => number): Promise<Planned[]> {
  return Promise.all(
    Array.from({ length: WAITS }, async (_, i): Promise<Planned> => {
      const service = i % 2 === 0 ? "clb" : "redis";
      const kind = (["succeeded", "succeeded", "failed", "error", "timeout"] as const)[i % 5];
      const outcome = kind === "timeout" ? "succeeded" : kind === "error" && service === "clb" ? "failed" : kind;
      const durationMs = kind === "timeout" ? 60_000 : 300 + Math.floor(random() * 2200);
      const { taskId } = await emulator.createTask({ service, durationMs, outcome, message: `planned ${outcome}` } as never);
      const expected: Outcome = kind === "timeout" ? "timeout" : outcome === "succeeded" ? "succeeded" : "failed";
      return { inputs: { service, taskId, region: "ap-guangzhou", endpoint: emulator.url, timeoutSeconds: kind === "timeout" ? SHORT_TIMEOUT : 30 } as TaskInputs, expected };
    }),
  );
}

async function observe(planned: Planned, runtime: WaitRuntime): Promise<{ outcome: Outcome; elapsedMs: number; error?: unknown }> {
  const started = Date.now();
  try {
    const result = await waitOn(runtime, { ...planned.inputs, credentials } as WaitOptions);
    return { outcome: result.status, elapsedMs: Date.now() - started };
  } catch (error) {
    const outcome: Outcome =
      error instanceof TaskFailedError ? "failed" : error instanceof TaskTimeoutError ? "timeout" : error instanceof TaskApiError ? "api error" : "other error";
    return { outcome, elapsedMs: Date.now() - started, error };
  }
}

/** A fixed sequence, so that a failing run can be repeated. */
function seeded(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

async function runScenario(name: string, faults: FaultSpec[], seed: number) {
  const emulator = await startEmulator();
  try {
    const planned = await plan(emulator, seeded(seed));
    for (const fault of faults) await emulator.addFault(fault);
    const runtime = freshRuntime({ requestTimeoutMs: 500 });
    const observed = await Promise.all(planned.map((p) => observe(p, runtime)));
    const stats = (await emulator.stats()).actions;
    const calls = Object.values(stats).reduce((sum, a) => sum + a.received, 0);
    const faulted = Object.values(stats).reduce((sum, a) => sum + a.faulted, 0);
    const rows = planned.map((p, i) => ({ ...observed[i], expected: p.expected, timeoutMs: (p.inputs.timeoutSeconds ?? 1800) * 1000 }));
    return {
      name,
      rows,
      calls,
      faulted,
      falseSuccesses: rows.filter((r) => r.outcome === "succeeded" && r.expected !== "succeeded").length,
      falseFailures: rows.filter((r) => r.outcome !== "succeeded" && r.expected === "succeeded").length,
      wrong: rows.filter((r) => r.outcome !== r.expected),
      maxOverrunMs: Math.max(...rows.map((r) => r.elapsedMs - r.timeoutMs)),
    };
  } finally {
    await emulator.close();
  }
}

test("fault matrix: every wait ends in its task's true outcome, none runs past its timeout by more than 2 s", async () => {
  const mixProbability = 1 - 0.7 ** (1 / KINDS.length); // all of them together hit 30 % of calls
  const scenarios = [
    ...KINDS.map((kind) => ({ name: kind, faults: [{ kind, probability: 0.3, delayMs: 1500 }] })),
    { name: "mix of all", faults: KINDS.map((kind) => ({ kind, probability: mixProbability, delayMs: 1500 })) },
  ];
  const results = await Promise.all(scenarios.map((s, i) => runScenario(s.name, s.faults, 1000 + i)));

  console.log(
    [
      "| fault (30 % of calls) | waits | status calls | faults injected | wrong outcomes | false successes | false failures | worst time past timeout |",
      "|---|---|---|---|---|---|---|---|",
      ...results.map((r) => `| ${r.name} | ${r.rows.length} | ${r.calls} | ${r.faulted} | ${r.wrong.length} | ${r.falseSuccesses} | ${r.falseFailures} | ${(Math.max(0, r.maxOverrunMs) / 1000).toFixed(2)} s |`),
    ].join("\n"),
  );
  for (const result of results) {
    expect(result.faulted).toBeGreaterThan(0);
    expect({ scenario: result.name, wrong: result.wrong }).toEqual({ scenario: result.name, wrong: [] });
    expect(result.maxOverrunMs).toBeLessThanOrEqual(2000);
    expectNoSecrets({ [result.name]: result.rows });
  }
}, 120_000);

test("burst: the API answers nothing but errors for 10 s, then recovers; every wait still succeeds", async () => {
  const emulator = await startEmulator();
  try {
    const tasks = await Promise.all(
      Array.from({ length: 20 }, (_, i) => emulator.createTask({ service: i % 2 ? "clb" : "redis", durationMs: 2000 + 100 * i, outcome: "succeeded" } as never)),
    );
    await emulator.addFault({ kind: "http503", durationMs: 10_000 });
    const runtime = freshRuntime({ requestTimeoutMs: 500 });
    const started = Date.now();
    const observed = await Promise.all(
      tasks.map(({ taskId }, i) =>
        observe({ inputs: { service: i % 2 ? "clb" : "redis", taskId, region: "ap-guangzhou", endpoint: emulator.url, timeoutSeconds: 60 } as TaskInputs, expected: "succeeded" }, runtime),
      ),
    );
    expect(observed.map((o) => o.outcome)).toEqual(tasks.map(() => "succeeded"));
    const last = Math.max(...observed.map((o) => o.elapsedMs));
    console.log(`burst: ${observed.length}/${tasks.length} waits succeeded; the last one ${((last - 10_000) / 1000).toFixed(1)} s after the outage ended`);
    // Seen within one backoff period (at most 10 s) after the recovery: retries back off, they do not give up.
    expect(Math.max(...observed.map((o) => o.elapsedMs))).toBeLessThan(10_000 + 10_000 + 1000);
    expect(Date.now() - started).toBeGreaterThan(10_000);
  } finally {
    await emulator.close();
  }
}, 60_000);
