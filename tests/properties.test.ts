import fc from "fast-check";
import { UnexpectedAnswerError } from "../provider/callFailures";
import { TaskError, TaskInputError } from "../provider/errors";
import { INPUT_NAMES, parseTaskInputs } from "../provider/inputs";
import { SERVICES } from "../provider/services";
import { waitForTask, type WaitOptions } from "../provider/wait";
import { credentials, freshRuntime, useEmulator, waitOn } from "./support/emulator";
import { answerWith, CASES, CONTRACTS, sentId, type Case, type Contract } from "./support/services";

const contractOf = (name: Case): Contract => CONTRACTS[name];

/**
 * Property-based checks over arbitrary inputs and answers, against the test table of each
 * service (tests/support/services.ts: which request parameters carry the id, in which JSON type,
 * and what reads as success), not the implementation's rules.
 */

/** Values near the documented forms as well as anything at all. */
const value = fc.oneof(
  fc.anything(),
  fc.constantFrom(...SERVICES, "CLB", "", " ", "ap-guangzhou", "Guangzhou", "ap-shanghai-fsi", "0", "18215", "-1", "1e3", "55c85074-3e7f-4c6d", "ins-0a1b2c3d", "zone-2o1xvpmq7nn", "\u001b[2J"),
  fc.integer({ min: -5, max: 100_000 }),
  fc.double(),
  fc.boolean(),
  fc.array(fc.anything(), { maxLength: 3 }),
);
const inputs = fc.record(
  { service: value, taskId: value, flowId: value, dealName: value, instanceId: value, zoneId: value, region: value, timeoutSeconds: value, failOnTaskFailure: value, triggers: value, endpoint: value },
  { requiredKeys: [] },
);

describe("parseTaskInputs over arbitrary inputs", () => {
  test("never throws, whatever it is given, and every failure names a given or documented property, with a reason", () => {
    fc.assert(
      fc.property(fc.oneof(inputs, fc.dictionary(fc.string(), fc.anything()), fc.anything()), (raw) => {
        const { failures } = parseTaskInputs(raw);
        for (const failure of failures) {
          const given = typeof raw === "object" && raw !== null ? Object.keys(raw) : [];
          expect([...given, ...INPUT_NAMES, "(inputs)"]).toContain(failure.property);
          expect(failure.reason.length).toBeGreaterThan(5);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test("a task id it accepts is sent as the API expects it: the right parameters, the right JSON type, the same value", () => {
    fc.assert(
      fc.property(fc.constantFrom(...CASES), value, (name, taskId) => {
        const contract = contractOf(name);
        const { spec, failures } = parseTaskInputs({ service: contract.service, region: "ap-guangzhou", ...contract.inputs(taskId as string) });
        if (!spec) {
          expect(failures.length).toBeGreaterThan(0);
          return;
        }
        expect(typeof taskId === "string" || typeof taskId === "number").toBe(true);
        expect(spec.query.request.params).toEqual(contract.request(sentId(name, taskId as string | number)));
        expect(spec.query.request.action).toBe(contract.action);
      }),
      { numRuns: 3000 },
    );
  });

  test("accepts every id of the documented forms: positive integers (also as numeric strings) and RequestId strings", () => {
    const requestId = fc.uuid();
    fc.assert(
      fc.property(fc.constantFrom(...CASES), fc.integer({ min: 1 }), requestId, fc.boolean(), (name, n, uuid, asString) => {
        const contract = contractOf(name);
        const taskId = contract.type === "number" ? (asString ? String(n) : n) : uuid;
        const raw = { service: contract.service, region: "ap-guangzhou", ...contract.inputs(taskId) };
        expect(parseTaskInputs(raw).failures).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("reading arbitrary answers", () => {
  const statusLike = fc.oneof(
    fc.anything(),
    fc.constantFrom(0, 1, 2, 6, "0", "succeed", "SUCCEED", "success", "SUCCESS", "Success", "done", "FINISHED", "SuccessTotalCount", "running", "RUNNING", "OPERATING", "UNDEFINED", "WaitSwitch", "FAILED", "Fail", "paused", "process"),
  );

  test("every service: success only when its success value is there; anything it does not understand is UnexpectedAnswer, never a wait forever", () => {
    fc.assert(
      fc.property(fc.constantFrom(...CASES), statusLike, fc.dictionary(fc.string(), fc.anything()), fc.boolean(), (name, status, extra, shaped) => {
        const contract = contractOf(name);
        const id = contract.sampleId;
        const { spec } = parseTaskInputs({ service: contract.service, region: "ap-guangzhou", ...contract.inputs(id) });
        // An answer of the service's shape with any status, or anything at all.
        const full = shaped ? { ...extra, ...answerWith(name, status as string, sentId(name, id)) } : { ...extra, Status: status };
        let state: string;
        try {
          state = spec!.query.read(full).state;
        } catch (error) {
          expect(error).toBeInstanceOf(UnexpectedAnswerError);
          return;
        }
        expect(state === "succeeded").toBe(contract.succeeded(full, sentId(name, id)));
      }),
      { numRuns: 4000 },
    );
  });
});

describe("the waiter over arbitrary answers, through the real SDK", () => {
  const emulator = useEmulator();

  test("never rejects with anything but its own errors, and never reports success unless the success value is there", async () => {
    const { taskId } = await emulator.current.createTask({ service: "clb", durationMs: 0, outcome: "succeeded", region: "ap-guangzhou" });
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string({ maxLength: 12 }), fc.anything({ maxDepth: 2 })), fc.oneof(fc.anything(), fc.constantFrom(0, 1, 2)), async (answer, status) => {
        await emulator.current.clearFaults();
        const response = { ...answer, Status: status };
        await emulator.current.addFault({ kind: "answer", answer: response, action: "DescribeTaskStatus" });
        const options = { service: "clb", taskId, region: "ap-guangzhou", endpoint: emulator.current.url, credentials, timeoutSeconds: 1 } as WaitOptions;
        // A runtime of its own: waits in one process share fresh answers, and the last run's must not be this one's.
        const outcome = await waitOn(freshRuntime(), options).then(
          (result) => ({ result }),
          (error: unknown) => ({ error }),
        );
        if ("error" in outcome) expect(outcome.error).toBeInstanceOf(TaskError);
        else expect(outcome.result.status === "succeeded").toBe(status === 0);
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  test("invalid options reject with TaskInputError and never call the API", async () => {
    await fc.assert(
      fc.asyncProperty(inputs, async (raw) => {
        if (parseTaskInputs(raw).failures.length === 0) return; // valid by chance: not this property's business
        const options = { ...raw, endpoint: emulator.current.url, credentials } as unknown as WaitOptions;
        const error = await waitForTask(options).catch((e) => e);
        expect(error).toBeInstanceOf(TaskInputError);
      }),
      { numRuns: 300 },
    );
    expect((await emulator.current.stats()).actions).toEqual({});
  });
});
