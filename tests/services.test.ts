import fc from "fast-check";
import { checkParameters } from "../emulator/parameters";
import { SERVICE_TABLE } from "../emulator/services";
import type { TaskPhase } from "../emulator/tasks";
import { UnexpectedAnswerError } from "../provider/callFailures";
import { TaskApiError, TaskFailedError, TaskTimeoutError } from "../provider/errors";
import { formatProgress, type ProgressEvent } from "../provider/progress";
import { adapterFor, catalogue, SERVICES } from "../provider/services";
import type { WaitOptions } from "../provider/wait";
import { credentials, freshRuntime, useEmulator, waitOn } from "./support/emulator";
import { BUILT_INS, CONTRACTS, CVM_INSTANCE, extraInputs, sampleId, taskFields, type BuiltIn } from "./support/services";

/** Every built-in service through the real SDK against the emulator, and `custom` on scripted answers. */
const emulator = useEmulator({ rateLimit: 1000 });
const region = "ap-guangzhou";

function wait(inputs: Record<string, unknown>, onProgress?: (event: ProgressEvent) => void) {
  return waitOn(freshRuntime(), { endpoint: emulator.current.url, region, credentials, timeoutSeconds: 20, ...inputs, onProgress } as WaitOptions);
}

async function startTask(service: BuiltIn, spec: Record<string, unknown>) {
  const { taskId } = await emulator.current.createTask({ service, region, ...taskFields(service), ...spec });
  return taskId as string | number;
}

/** The log entries of the status action of `service`. */
async function statusCalls(service: BuiltIn) {
  return (await emulator.current.requests()).filter((request) => request.action === CONTRACTS[service].action);
}

describe.each(BUILT_INS)("%s", (service) => {
  const contract = CONTRACTS[service];

  test("pending, then success: the API's success value, the id sent as the API types it, the right version and signing service", async () => {
    const taskId = await startTask(service, { durationMs: 400, outcome: "succeeded" });
    const events: ProgressEvent[] = [];
    // Numeric ids given as strings, as a Pulumi output often carries them: sent as integers all the same.
    const given = contract.type === "number" ? String(taskId) : taskId;
    const result = await wait({ service, taskId: given, ...extraInputs(service) }, (event) => events.push(event));
    expect(result).toMatchObject({ status: "succeeded", rawStatus: contract.success });
    const pending = events.filter((e) => e.kind === "status" && e.observation.state === "pending");
    expect(pending.length).toBeGreaterThan(0);
    const calls = await statusCalls(service);
    expect(calls.length).toBe(result.attempts);
    // The emulator refuses a wrong parameter name or JSON type (UnknownParameter, InvalidParameter),
    // a wrong version (NoSuchVersion) and another product's signature; the log shows what was signed.
    for (const call of calls) expect(call).toMatchObject({ outcome: "ok", version: contract.version, service: contract.product });
  });

  test("failure: TaskFailedError with the API's own message where it has one", async () => {
    const reason = `${service} says: quota exceeded`;
    const taskId = await startTask(service, { durationMs: 0, outcome: "failed", message: reason });
    const error = await wait({ service, taskId, ...extraInputs(service) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskFailedError);
    const failed = error as TaskFailedError;
    expect(failed.result.rawStatus).toBe(contract.failure);
    if (contract.hasMessage) {
      expect(failed.result.message).toBe(reason);
      expect(failed.message).toContain(reason);
    } else {
      expect(failed.message).toContain("the API gave no reason");
    }
    // Failure messages name the service's own success value.
    expect(failed.message).toContain(`wanted ${statusWording(service)}`);
  });

  test("an unknown status value: UnexpectedAnswer after one call, never success, never an endless wait", async () => {
    const taskId = await startTask(service, { durationMs: 0, outcome: "succeeded" });
    const sentId = contract.type === "number" ? Number(taskId) : taskId;
    await emulator.current.addScript({ action: contract.action, version: contract.version, responses: [contract.unknown(sentId)] });
    const error = await wait({ service, taskId, ...extraInputs(service) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskApiError);
    expect((error as TaskApiError).code).toBe("UnexpectedAnswer");
    expect(await statusCalls(service)).toHaveLength(1);
  });

  test("the id in the parameter and JSON type the API takes: a script matching only that answers", async () => {
    const taskId = sampleId(service);
    const sent = contract.instance ? [contract.instance] : taskId;
    // Given in the other JSON type where the service accepts it; sent in the API's own.
    const given = contract.type === "number" ? "4242" : service === "mongodb" ? 4242 : taskId;
    const success = answerWith(service, contract.success, taskId);
    await emulator.current.addScript({ action: contract.action, version: contract.version, product: contract.product, match: { [contract.param]: sent }, responses: [success] });
    await expect(wait({ service, taskId: given, ...extraInputs(service) })).resolves.toMatchObject({ status: "succeeded" });
  });
});

/** An answer of `service` with `status` for the task, in the shape of its status action. */
function answerWith(service: BuiltIn, status: string | number, taskId: string | number): Record<string, unknown> {
  const { instance } = CONTRACTS[service];
  if (instance) return { TotalCount: 1, InstanceSet: [{ InstanceId: instance, LatestOperationState: status, LatestOperationRequestId: taskId }] };
  switch (service) {
    case "postgres":
      return { TotalCount: 1, TaskSet: [{ TaskId: taskId, Status: status }] };
    case "ckafka":
      return { Result: { Status: status } };
    case "eip":
      return { Result: status };
    default:
      return { Status: status };
  }
}

/** How messages name a service's success value: "Status 0", "Result SUCCESS". */
function statusWording(service: BuiltIn): string {
  const path = { ckafka: "Result.Status", eip: "Result" } as Partial<Record<BuiltIn, string>>;
  return `${CONTRACTS[service].instance ? "LatestOperationState" : (path[service] ?? "Status")} ${CONTRACTS[service].success}`;
}

describe("tasks started by the API's own mutating actions", () => {
  test("CVM: an older operation's SUCCESS is not ours; the wait is pending until the instance reports our RequestId", async () => {
    await startTask("cvm", { durationMs: 0, outcome: "succeeded", taskType: "StopInstances" });
    const ours = "5f1c2b3a-0d4e-4f5a-8b6c-7d8e9f0a1b2c";
    const events: ProgressEvent[] = [];
    const waiting = wait({ service: "cvm", taskId: ours, instanceId: CVM_INSTANCE }, (event) => events.push(event));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await startTask("cvm", { taskId: ours, durationMs: 0, outcome: "succeeded", taskType: "StartInstances" });
    const result = await waiting;
    expect(result).toMatchObject({ status: "succeeded", operation: "StartInstances", taskId: ours });
    const before = events.filter((e) => e.kind === "status" && e.observation.state === "pending");
    expect(before.length).toBeGreaterThan(0);
    expect(before.map(formatProgress).join("\n")).toContain("waiting for the instance to report this operation as its latest");
  });

  test("CVM: a wait on an older operation's RequestId never succeeds once a newer one ran", async () => {
    const older = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
    await startTask("cvm", { taskId: older, durationMs: 0, outcome: "succeeded", taskType: "StopInstances" });
    await startTask("cvm", { durationMs: 0, outcome: "succeeded", taskType: "StartInstances" });
    const error = await wait({ service: "cvm", taskId: older, instanceId: CVM_INSTANCE, timeoutSeconds: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskTimeoutError);
  });

  test("CDB UNDEFINED and PostgreSQL WaitSwitch are pending, and the progress line says what they wait for", async () => {
    const lines: string[] = [];
    await emulator.current.addScript({ action: "DescribeAsyncRequestInfo", version: "2017-03-20", responses: [{ Status: "UNDEFINED", Info: "" }, { Status: "SUCCESS", Info: "" }] });
    await expect(wait({ service: "cdb", taskId: "a1b2c3d4-0000" }, (e) => lines.push(formatProgress(e)))).resolves.toMatchObject({ rawStatus: "SUCCESS" });
    await emulator.current.addScript({ action: "DescribeTasks", responses: [{ TaskSet: [{ TaskId: 77, Status: "WaitSwitch" }] }, { TaskSet: [{ TaskId: 77, Status: "Success" }] }] });
    await expect(wait({ service: "postgres", taskId: 77 }, (e) => lines.push(formatProgress(e)))).resolves.toMatchObject({ rawStatus: "Success" });
    expect(lines.join("\n")).toContain("waiting for the maintenance window (Status UNDEFINED)");
    expect(lines.join("\n")).toContain("waiting for the switch-over window (Status WaitSwitch)");
  });
});

describe("custom: any Describe action, on scripted answers", () => {
  const disk = { service: "custom", product: "cbs", version: "2017-03-12", action: "DescribeDisks", request: { DiskIds: ["disk-0a1b2c3d"] }, statusPath: "DiskSet[0].DiskState" };
  const lists = { pendingStatuses: ["ATTACHING"], successStatuses: ["ATTACHED"], failureStatuses: ["UNATTACHED"] };
  const script = (...states: (string | undefined)[]) =>
    emulator.current.addScript({
      action: "DescribeDisks",
      version: "2017-03-12",
      product: "cbs",
      match: { DiskIds: ["disk-0a1b2c3d"] },
      responses: states.map((state) => ({ TotalCount: 1, DiskSet: state === undefined ? [] : [{ DiskId: "disk-0a1b2c3d", DiskState: state }] })),
    });

  test("a status path into a list: pending, then success; signed for the product, in its version", async () => {
    await script("ATTACHING", "ATTACHING", "ATTACHED");
    await expect(wait({ ...disk, ...lists })).resolves.toMatchObject({ status: "succeeded", rawStatus: "ATTACHED", attempts: 3 });
    const calls = (await emulator.current.requests()).filter((r) => r.action === "DescribeDisks");
    for (const call of calls) expect(call).toMatchObject({ outcome: "ok", service: "cbs", version: "2017-03-12" });
  });

  test("a failure value, with the message at messagePath", async () => {
    await emulator.current.addScript({ action: "DescribeDisks", responses: [{ DiskSet: [{ DiskState: "UNATTACHED", Reason: "disk is locked" }] }] });
    const error = await wait({ ...disk, ...lists, messagePath: "DiskSet[0].Reason" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskFailedError);
    expect((error as TaskFailedError).message).toContain("disk is locked");
  });

  test("a value in no list: UnexpectedAnswer at once", async () => {
    await script("EXPANDING");
    const error = await wait({ ...disk, ...lists }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "UnexpectedAnswer", message: expect.stringContaining('"EXPANDING"') });
  });

  test("a path that is not in the answer: UnexpectedAnswer at once", async () => {
    await script(undefined);
    const error = await wait({ ...disk, ...lists }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "UnexpectedAnswer", message: expect.stringContaining("answered nothing at DiskSet[0].DiskState") });
  });

  test("an action nothing answers: the emulator's InvalidAction, counted under (unknown)", async () => {
    const error = await wait({ ...disk, ...lists, action: "DescribeNothing" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "InvalidAction" });
    expect(Object.keys((await emulator.current.stats()).actions)).toEqual(["(unknown)"]);
  });
});

describe("each adapter over arbitrary inputs and answers (production code on both sides)", () => {
  const anyValue = fc.oneof(fc.anything(), fc.integer({ min: -3, max: 1_000_000 }), fc.string(), fc.constantFrom("4242", "0", "-1", "1e3", " 42", "ins-0a1b2c3d", "3a1f2a64-6b2c-4b1e-9d1f-1c5e8b0c7a3d", null));
  const rawInputs = fc.record({ taskId: anyValue, dealName: anyValue, instanceId: anyValue }, { requiredKeys: [] });

  test.each(BUILT_INS)("%s: parse never throws; what it accepts, the emulator's status action accepts, in its product and version", (service) => {
    const adapter = adapterFor(service)!;
    const entry = SERVICE_TABLE[service];
    fc.assert(
      fc.property(rawInputs, (raw) => {
        const parsed = adapter.parse(raw, region);
        if (!parsed.query) return;
        expect(parsed.failures).toEqual([]);
        const { request } = parsed.query;
        expect([request.product, request.version, request.action]).toEqual([entry.product, entry.version, entry.actions[0].name]);
        expect(() => checkParameters(entry.actions[0].parameters, request.params)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  test.each(BUILT_INS)("%s: the emulator's answer in every phase reads as that phase; any other answer is read or refused, never success without the success value", (service) => {
    const taskId = sampleId(service);
    const { query } = adapterFor(service)!.parse({ taskId, ...extraInputs(service) }, region);
    const { statuses } = SERVICE_TABLE[service];
    const expected: Record<TaskPhase, string> = { preparing: "pending", running: "pending", succeeded: "succeeded", failed: "failed", error: "failed" };
    for (const [phase, status] of Object.entries(statuses) as [TaskPhase, string | number][]) {
      expect(query!.read(answerWith(service, status, taskId)).state).toBe(expected[phase]);
    }
    const statusLike = fc.oneof(fc.anything(), fc.constantFrom(...Object.values(statuses), "Success", "success", "0", "RUNNING"));
    fc.assert(
      fc.property(statusLike, fc.dictionary(fc.string(), fc.anything()), (status, extra) => {
        let state: string;
        try {
          state = query!.read({ ...extra, ...answerWith(service, status as string, taskId) }).state;
        } catch (error) {
          expect(error).toBeInstanceOf(UnexpectedAnswerError);
          return;
        }
        // `===`: a -0 is the 0 of JSON.
        if (state === "succeeded") expect(status === statuses.succeeded).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  test("custom: parse never throws; an accepted wait reads its answers by its own lists, nothing else as success", () => {
    const values = fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: 0, max: 5 }), fc.boolean()), { maxLength: 4 });
    const raw = fc.record(
      {
        product: fc.oneof(fc.constantFrom("cbs", "tke", "CBS", ""), fc.anything()),
        version: fc.oneof(fc.constantFrom("2017-03-12", "2017-3-12"), fc.anything()),
        action: fc.oneof(fc.constantFrom("DescribeDisks", "describeDisks"), fc.anything()),
        request: fc.oneof(fc.constant({}), fc.dictionary(fc.string(), fc.anything()), fc.anything()),
        statusPath: fc.oneof(fc.constantFrom("State", "DiskSet[0].DiskState", "[", ""), fc.string()),
        pendingStatuses: fc.oneof(values, fc.anything()),
        successStatuses: fc.oneof(values, fc.anything()),
        failureStatuses: fc.oneof(values, fc.anything()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(raw, fc.anything(), (inputs, state) => {
        const parsed = catalogue.custom.parse(inputs, region);
        if (!parsed.query) return;
        const success = (inputs.successStatuses as unknown[]).map(String);
        try {
          const observation = parsed.query.read({ State: state, DiskSet: [{ DiskState: state }] });
          if (observation.state === "succeeded") expect(success).toContain(String(observation.rawStatus));
        } catch (error) {
          expect(error).toBeInstanceOf(UnexpectedAnswerError);
        }
      }),
      { numRuns: 1000 },
    );
  });

  test("the catalogue and the emulator's table list the same built-in services", () => {
    expect(SERVICES.filter((s) => s !== "custom").sort()).toEqual(Object.keys(SERVICE_TABLE).sort());
  });
});
