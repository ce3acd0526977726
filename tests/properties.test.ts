import fc from "fast-check";
import { TaskInputError } from "../provider/errors";
import { checkTaskInputs } from "../provider/inputs";
import { adapters, UnexpectedAnswerError } from "../provider/services";
import { waitForTask, type WaitOptions } from "../provider/waiter";
import { credentials, useEmulator } from "./support/emulator";

/**
 * Property-based checks over arbitrary inputs and answers. The documented forms are restated here
 * independently of the implementation (README, "Inputs"), so that a property can catch a rule
 * that drifted.
 */
const documented = {
  service: (v: unknown) => v === "clb" || v === "redis",
  region: (v: unknown) => typeof v === "string" && /^[a-z]{2,3}(-[a-z0-9]+)+$/.test(v),
  timeoutSeconds: (v: unknown) => typeof v === "number" && v >= 1 && v <= 86400,
  failOnTaskFailure: (v: unknown) => typeof v === "boolean",
  triggers: (v: unknown) => Array.isArray(v),
  clbTaskId: (v: unknown) => typeof v === "string" && /^[A-Za-z0-9_-]{1,128}$/.test(v),
  redisTaskId: (v: unknown) => {
    const text = typeof v === "number" ? String(v) : v;
    return typeof text === "string" && /^[1-9][0-9]*$/.test(text) && Number.isSafeInteger(Number(text));
  },
};

const given = (v: unknown) => v !== undefined && v !== null;

/** Values near the documented forms as well as anything at all. */
const value = fc.oneof(
  fc.anything(),
  fc.constantFrom("clb", "redis", "CLB", "", " ", "ap-guangzhou", "Guangzhou", "ap-shanghai-fsi", "0", "18215", "-1", "1e3", "55c85074-3e7f-4c6d"),
  fc.integer({ min: -5, max: 100_000 }),
  fc.double(),
  fc.boolean(),
  fc.array(fc.anything(), { maxLength: 3 }),
);
const inputs = fc.record(
  {
    service: value,
    taskId: value,
    dealName: value,
    region: value,
    timeoutSeconds: value,
    failOnTaskFailure: value,
    triggers: value,
  },
  { requiredKeys: [] },
);

describe("checkTaskInputs over arbitrary inputs", () => {
  test("never throws, and every failure names a given or documented property, with a reason", () => {
    const properties = ["service", "taskId", "dealName", "region", "endpoint", "timeoutSeconds", "failOnTaskFailure", "triggers"];
    fc.assert(
      fc.property(fc.oneof(inputs, fc.dictionary(fc.string(), fc.anything())), (raw) => {
        const { failures } = checkTaskInputs(raw);
        for (const failure of failures) {
          expect([...Object.keys(raw), ...properties]).toContain(failure.property);
          expect(failure.reason.length).toBeGreaterThan(5);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test("rejects every value outside the documented forms, naming its field", () => {
    fc.assert(
      fc.property(inputs, (raw) => {
        const named = new Set(checkTaskInputs(raw).failures.map((f) => f.property));
        if (!documented.service(raw.service)) expect(named).toContain("service");
        for (const field of ["region", "timeoutSeconds", "failOnTaskFailure", "triggers"] as const) {
          if (given(raw[field]) && !documented[field](raw[field])) expect(named).toContain(field);
        }
        if (raw.service === "clb" && given(raw.taskId) && !documented.clbTaskId(raw.taskId)) expect(named).toContain("taskId");
        if (raw.service === "redis" && !documented.redisTaskId(raw.taskId)) expect(named).toContain("taskId");
        if (raw.service === "redis" && given(raw.dealName)) expect(named).toContain("dealName");
      }),
      { numRuns: 3000 },
    );
  });

  test("accepts everything inside the documented forms", () => {
    const valid = fc.oneof(
      fc.record({
        service: fc.constant("clb"),
        taskId: fc.stringMatching(/^[A-Za-z0-9_-]{1,128}$/),
        region: fc.stringMatching(/^[a-z]{2,3}(-[a-z0-9]{1,10}){1,3}$/),
      }),
      fc.record({ service: fc.constant("redis"), taskId: fc.oneof(fc.integer({ min: 1 }), fc.integer({ min: 1 }).map(String)) }),
    );
    const options = fc.record(
      { timeoutSeconds: fc.double({ min: 1, max: 86400, noNaN: true }), failOnTaskFailure: fc.boolean(), triggers: fc.array(fc.jsonValue()) },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(valid, options, (task, extra) => {
        expect(checkTaskInputs({ ...task, ...extra }).failures).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("waitForTask with invalid options", () => {
  const emulator = useEmulator();

  test("rejects with TaskInputError and never calls the API", async () => {
    await fc.assert(
      fc.asyncProperty(inputs, async (raw) => {
        if (checkTaskInputs(raw).failures.length === 0) return; // valid by chance: not this property's business
        const options = { ...raw, endpoint: emulator.current.url, credentials } as unknown as WaitOptions;
        const error = await waitForTask(options).catch((e) => e);
        expect(error).toBeInstanceOf(TaskInputError);
      }),
      { numRuns: 300 },
    );
    expect((await emulator.current.stats()).actions).toEqual({});
  });
});

describe("status normalization over arbitrary answers", () => {
  const answer = fc.record(
    { Status: fc.oneof(fc.anything(), fc.constantFrom(0, 1, 2, 3, -1, "0", "succeed", "SUCCEED", "Succeed ", "success", "running", "Error", "done", "")) },
    { requiredKeys: [] },
  );

  test("CLB: only Status 0 is success, only 2 is pending; anything unknown is an error, never a wait", () => {
    fc.assert(
      fc.property(answer, fc.dictionary(fc.string(), fc.anything()), (response, extra) => {
        const input = { ...extra, ...response };
        const status = "Status" in response ? response.Status : undefined;
        if (status === 0 || status === 1 || status === 2) {
          const { state } = adapters.clb.normalize(input);
          expect(state).toBe(status === 0 ? "succeeded" : status === 1 ? "failed" : "pending");
        } else {
          expect(() => adapters.clb.normalize(input)).toThrow(UnexpectedAnswerError);
        }
      }),
      { numRuns: 3000 },
    );
  });

  test("Redis: only succeed (any case) is success; unknown values are errors", () => {
    const known: Record<string, string> = { preparing: "pending", running: "pending", succeed: "succeeded", failed: "failed", error: "failed" };
    fc.assert(
      fc.property(answer, (response) => {
        const status = "Status" in response ? response.Status : undefined;
        const expected = typeof status === "string" ? known[status.toLowerCase()] : undefined;
        if (expected && Object.hasOwn(known, (status as string).toLowerCase())) {
          expect(adapters.redis.normalize(response).state).toBe(expected);
        } else {
          expect(() => adapters.redis.normalize(response)).toThrow(UnexpectedAnswerError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
