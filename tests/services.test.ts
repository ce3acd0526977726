import fc from "fast-check";
import { checkParameters } from "../emulator/parameters";
import { SERVICE_TABLE, type IdSpace } from "../emulator/services";
import type { TaskPhase } from "../emulator/tasks";
import { UnexpectedAnswerError } from "../provider/callFailures";
import type { Clock } from "../provider/clock";
import { TaskApiError, TaskFailedError, TaskInputError } from "../provider/errors";
import { formatProgress, type ProgressEvent } from "../provider/progress";
import { adapterFor, catalogue, SERVICES } from "../provider/services";
import type { WaitOptions } from "../provider/wait";
import { credentials, freshRuntime, useEmulator, waitOn } from "./support/emulator";
import { MovableClock } from "./support/movableClock";
import { answerWith, CASES, CONTRACTS, CVM_INSTANCE, sentId, type Case, type Contract } from "./support/services";

/** Every built-in service through the real SDK against the emulator, and `custom` on scripted answers. */
const emulator = useEmulator({ rateLimit: 1000 });
const region = "ap-guangzhou";

function wait(inputs: Record<string, unknown>, onProgress?: (event: ProgressEvent) => void, clock?: Clock) {
  const runtime = freshRuntime(clock ? { clock } : {});
  return waitOn(runtime, { endpoint: emulator.current.url, region, credentials, timeoutSeconds: 20, ...inputs, onProgress } as WaitOptions);
}

const contractOf = (name: Case): Contract => CONTRACTS[name];

/** Starts a task of `name`'s service on the emulator's own timeline. */
async function startTask(name: Case, spec: Record<string, unknown>) {
  const contract = contractOf(name);
  const { taskId } = await emulator.current.createTask({ service: contract.service, region, idSpace: contract.idSpace, ...(contract.instance ? { instanceId: contract.instance } : {}), ...spec });
  return taskId as string | number;
}

/** The log entries of the status action of `name`. */
async function statusCalls(name: Case) {
  return (await emulator.current.requests()).filter((request) => request.action === contractOf(name).action);
}

/** Answers `responses` in turn to the status request of task `id`, and to nothing else. */
function script(name: Case, id: string | number, responses: Record<string, unknown>[]) {
  const { action, version, product, request } = contractOf(name);
  return emulator.current.addScript({ action, version, product, match: request(sentId(name, id)), responses });
}

describe.each(CASES)("%s", (name) => {
  const contract = contractOf(name);

  test("on the emulator's own timeline: the API's success value, the id sent as the API types it, the right version and signing service", async () => {
    const taskId = await startTask(name, { durationMs: contract.pending === undefined ? 0 : 400, outcome: "succeeded" });
    const events: ProgressEvent[] = [];
    // Numeric ids given as strings, as a Pulumi output often carries them: sent as integers all the same.
    const given = contract.type === "number" ? String(taskId) : taskId;
    const result = await wait({ service: contract.service, ...contract.inputs(given) }, (event) => events.push(event));
    expect(result).toMatchObject({ status: "succeeded", rawStatus: contract.success });
    const calls = await statusCalls(name);
    expect(calls.length).toBe(result.attempts);
    // The emulator refuses a wrong parameter name or JSON type, a wrong version and another product's signature.
    for (const call of calls) expect(call).toMatchObject({ outcome: "ok", version: contract.version, service: contract.product });
  });

  test("an unknown status value: UnexpectedAnswer after one call, never success, never an endless wait", async () => {
    const id = contract.sampleId;
    await script(name, id, [contract.unknown(sentId(name, id))]);
    const error = await wait({ service: contract.service, ...contract.inputs(id) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskApiError);
    expect((error as TaskApiError).code).toBe("UnexpectedAnswer");
    expect(await statusCalls(name)).toHaveLength(1);
  });

  test("the id in the parameters and JSON types the API takes: a script matching only those answers, pending then done", async () => {
    const id = contract.sampleId;
    // Given in the other JSON type where the service accepts it; sent in the API's own.
    const given = contract.type === "number" ? String(id) : name === "mongodb" ? Number(id) : id;
    const pending = contract.pending === undefined ? [] : [answerWith(name, contract.pending, sentId(name, id))];
    await script(name, id, [...pending, answerWith(name, contract.success, sentId(name, id))]);
    const events: ProgressEvent[] = [];
    await expect(wait({ service: contract.service, ...contract.inputs(given) }, (event) => events.push(event))).resolves.toMatchObject({ status: "succeeded", attempts: pending.length + 1 });
    expect(events.filter((e) => e.kind === "status" && e.observation.state === "pending")).toHaveLength(pending.length);
  });
});

describe("failure", () => {
  test.each(CASES.filter((name) => contractOf(name).failure !== undefined))("%s: TaskFailedError with the task's own message where the answer has one", async (name) => {
    const contract = contractOf(name);
    const id = contract.sampleId;
    const reason = `${name} says: quota exceeded`;
    await script(name, id, [answerWith(name, contract.failure!, sentId(name, id), reason)]);
    const error = await wait({ service: contract.service, ...contract.inputs(id) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskFailedError);
    const failed = error as TaskFailedError;
    expect(failed.result.rawStatus).toBe(contract.failure);
    expect(failed.result.attempts).toBe(1);
    if (contract.hasMessage) {
      expect(failed.result.message).toContain(reason);
      expect(failed.message).toContain(reason);
    } else {
      expect(failed.message).toContain("the API gave no reason");
    }
  });
});

describe("an id not known right after the call", () => {
  test("is retried within the grace, then read: read-after-write lag never fails the wait", async () => {
    const notFound = { Error: { Code: "ResourceNotFound", Message: "The task `4242` was not found." } };
    await script("sqlserver", 4242, [notFound, { Status: 2 }, { Status: 0 }]);
    const events: ProgressEvent[] = [];
    const result = await wait({ service: "sqlserver", taskId: 4242 }, (event) => events.push(event));
    expect(result).toMatchObject({ status: "succeeded", attempts: 3 });
    expect(events.some((e) => e.kind === "retry" && e.reason.includes("ResourceNotFound"))).toBe(true);
  });

  test.each([
    ["clb", "the emulator's own not-found error (InvalidParameter)"],
    ["postgres", "an empty TaskSet"],
    ["tat", "an empty InvocationSet"],
    ["cdn-purge", "no purge record"],
  ] as const)("%s answering %s: after the grace, TaskNotFound saying the id was never seen", async (name, _what) => {
    const contract = contractOf(name);
    if (name !== "clb") await script(name, contract.sampleId, [{ TotalCount: 0, TaskSet: [], InvocationSet: [], PurgeLogs: [] }]);
    const clock = new MovableClock();
    const graceMs = adapterFor(contract.service)!.statusApis[0].unknownId.graceSeconds * 1000;
    // At the first retry, the grace has passed.
    const onProgress = (event: ProgressEvent) => event.kind === "retry" && clock.forward(graceMs);
    const error = await wait({ service: contract.service, ...contract.inputs(contract.sampleId) }, onProgress, clock).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskApiError);
    expect(error).toMatchObject({ code: "TaskNotFound", attempts: 2 });
    expect((error as Error).message).toContain(`the id was never seen: no answer knew it within ${graceMs / 1000}s of the wait's start`);
  });

  test("a task seen and then not found: TaskNotFound saying it vanished, without waiting out any grace", async () => {
    await script("postgres", 77, [{ TotalCount: 1, TaskSet: [{ TaskId: 77, Status: "Running" }] }, { TotalCount: 0, TaskSet: [] }]);
    const error = await wait({ service: "postgres", taskId: 77 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "TaskNotFound", attempts: 2 });
    expect((error as Error).message).toContain("the task was seen earlier in this wait and is no longer found");
  });
});

describe("CVM and Lighthouse: the task is the instance's latest operation", () => {
  const ours = "5f1c2b3a-0d4e-4f5a-8b6c-7d8e9f0a1b2c";
  const newer = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b";
  const instance = (requestId: string, state: string, operation = "StartInstances") => ({
    TotalCount: 1,
    InstanceSet: [{ InstanceId: CVM_INSTANCE, LatestOperation: operation, LatestOperationState: state, LatestOperationRequestId: requestId }],
  });

  test("ours seen, then another: OperationReplaced at once, naming the newer operation, never success", async () => {
    await script("cvm", ours, [instance(ours, "OPERATING"), instance(newer, "SUCCESS", "StopInstances")]);
    const error = await wait({ service: "cvm", taskId: ours, instanceId: CVM_INSTANCE }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskApiError);
    expect(error).toMatchObject({ code: "OperationReplaced", attempts: 2 });
    const message = (error as Error).message;
    expect(message).toContain(`operation ${newer} (StopInstances)`);
    expect(message).toContain(`operation ${ours} was replaced`);
    expect(message).toContain("its outcome is unknown");
  });

  test("ours never seen, and the instance then reports another operation than at first: replaced, never success", async () => {
    const older = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
    await script("lighthouse", ours, [instance(older, "SUCCESS"), instance(newer, "SUCCESS", "RebootInstances")].map((answer) => ({ ...answer, InstanceSet: [{ ...answer.InstanceSet[0], InstanceId: "lhins-0a1b2c3d" }] })));
    const error = await wait({ service: "lighthouse", taskId: ours, instanceId: "lhins-0a1b2c3d" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "OperationReplaced", attempts: 2 });
    expect((error as Error).message).toContain(`never reported operation ${ours}`);
  });

  test("an older operation's SUCCESS is not ours: retried while the instance still reports it, then ours is read", async () => {
    const older = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
    await startTask("cvm", { durationMs: 0, outcome: "succeeded", taskType: "StopInstances", taskId: older });
    const events: ProgressEvent[] = [];
    const waiting = wait({ service: "cvm", taskId: ours, instanceId: CVM_INSTANCE }, (event) => events.push(event));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await startTask("cvm", { taskId: ours, durationMs: 0, outcome: "succeeded", taskType: "StartInstances" });
    await expect(waiting).resolves.toMatchObject({ status: "succeeded", operation: "StartInstances", taskId: ours });
    const retries = events.filter((e) => e.kind === "retry").map(formatProgress);
    expect(retries.join("\n")).toContain(`does not report operation ${ours} yet: its latest is operation ${older} (StopInstances)`);
  });

  test("a wait on an older operation's RequestId, once a newer one ran: never success; after the grace, never seen", async () => {
    const older = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
    await startTask("cvm", { taskId: older, durationMs: 0, outcome: "succeeded", taskType: "StopInstances" });
    await startTask("cvm", { durationMs: 0, outcome: "succeeded", taskType: "StartInstances" });
    // Replaced before the wait began: the answers cannot tell it from an operation not visible yet.
    const clock = new MovableClock();
    const error = await wait({ service: "cvm", taskId: older, instanceId: CVM_INSTANCE }, (event) => event.kind === "retry" && clock.forward(30_000), clock).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "TaskNotFound", attempts: 2 });
  });

  test("ours never seen while the instance keeps reporting the older one: after the grace, TaskNotFound saying it was never seen", async () => {
    const older = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
    await script("cvm", ours, [instance(older, "SUCCESS")]);
    const clock = new MovableClock();
    const error = await wait({ service: "cvm", taskId: ours, instanceId: CVM_INSTANCE }, (event) => event.kind === "retry" && clock.forward(30_000), clock).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "TaskNotFound", attempts: 2 });
    expect((error as Error).message).toContain("the id was never seen");
    expect((error as Error).message).toContain(`its latest is operation ${older}`);
  });
});

describe("decisions the definitions leave open", () => {
  test("CDB UNDEFINED and PostgreSQL WaitSwitch are pending, and the progress line says what they wait for", async () => {
    const lines: string[] = [];
    await script("cdb", "a1b2c3d4-0000", [{ Status: "UNDEFINED", Info: "" }, { Status: "SUCCESS", Info: "" }]);
    await expect(wait({ service: "cdb", taskId: "a1b2c3d4-0000" }, (e) => lines.push(formatProgress(e)))).resolves.toMatchObject({ rawStatus: "SUCCESS" });
    await script("postgres", 77, [{ TaskSet: [{ TaskId: 77, Status: "WaitSwitch" }] }, { TaskSet: [{ TaskId: 77, Status: "Success" }] }]);
    await expect(wait({ service: "postgres", taskId: 77 }, (e) => lines.push(formatProgress(e)))).resolves.toMatchObject({ rawStatus: "Success" });
    expect(lines.join("\n")).toContain("waiting for the maintenance window (Status UNDEFINED)");
    expect(lines.join("\n")).toContain("waiting for the switch-over window (Status WaitSwitch)");
  });

  test("PostgreSQL Pause fails the wait, as the Terraform provider's does", async () => {
    await script("postgres", 78, [{ TaskSet: [{ TaskId: 78, Status: "Pause", TaskDetail: { Message: "paused by the operator" } }] }]);
    const error = await wait({ service: "postgres", taskId: 78 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(error).toMatchObject({ result: { rawStatus: "Pause", message: "paused by the operator" } });
  });

  test("message is the task's message in either outcome: a successful CDB task's Info", async () => {
    await script("cdb", "a1b2c3d4-0001", [{ Status: "SUCCESS", Info: "parameters applied on 2 instances" }]);
    await expect(wait({ service: "cdb", taskId: "a1b2c3d4-0001" })).resolves.toMatchObject({ status: "succeeded", message: "parameters applied on 2 instances" });
  });

  test("a partial success is a failure that carries what failed: TAT PARTIAL_FAILED, AS PARTIALLY_SUCCESSFUL, a CDN purge with a failed URL", async () => {
    await script("tat", "inv-0a1b2c3d", [
      {
        InvocationSet: [
          {
            InvocationId: "inv-0a1b2c3d",
            InvocationStatus: "PARTIAL_FAILED",
            InvocationTaskBasicInfoSet: [
              { InstanceId: "ins-00000001", TaskStatus: "SUCCESS" },
              { InstanceId: "ins-00000002", TaskStatus: "TIMEOUT" },
            ],
          },
        ],
      },
    ]);
    await expect(wait({ service: "tat", taskId: "inv-0a1b2c3d" })).rejects.toMatchObject({ result: { status: "failed", message: "ins-00000002 TIMEOUT", failedItems: ["ins-00000002"] } });
    await script("as", "asa-5l2ejpfo", [
      {
        ActivitySet: [
          {
            ActivityId: "asa-5l2ejpfo",
            StatusCode: "PARTIALLY_SUCCESSFUL",
            StatusMessage: "1 of 2 instances failed: stock sold out",
            RelatedInstanceSet: [
              { InstanceId: "ins-00000003", InstanceStatus: "SUCCESSFUL" },
              { InstanceId: "ins-00000004", InstanceStatus: "FAILED" },
            ],
          },
        ],
      },
    ]);
    await expect(wait({ service: "as", taskId: "asa-5l2ejpfo" })).rejects.toMatchObject({ result: { message: "1 of 2 instances failed: stock sold out", failedItems: ["ins-00000004"] } });
    const purge = "20d7c8b3-cd5a-4b33-9cd0-f3ec02b7d7a0";
    await script("cdn-purge", purge, [
      {
        PurgeLogs: [
          { TaskId: purge, Url: "https://example.com/a", Status: "fail" },
          { TaskId: purge, Url: "https://example.com/b", Status: "process" },
        ],
      },
      {
        PurgeLogs: [
          { TaskId: purge, Url: "https://example.com/a", Status: "fail" },
          { TaskId: purge, Url: "https://example.com/b", Status: "done" },
        ],
      },
    ]);
    // Pending while any part is, so that the failure names every part that failed.
    await expect(wait({ service: "cdn-purge", taskId: purge })).rejects.toMatchObject({ result: { rawStatus: "fail", message: "https://example.com/a", failedItems: ["https://example.com/a"], attempts: 2 } });
  });

  test("TDSQL-C: a taskId is polled with DescribeTasks, a flowId with DescribeFlow; exactly one of them", async () => {
    const taskId = await startTask("cynosdb/taskId", { durationMs: 0, outcome: "succeeded" });
    await expect(wait({ service: "cynosdb", taskId })).resolves.toMatchObject({ status: "succeeded", rawStatus: "success" });
    const flowId = await startTask("cynosdb", { durationMs: 0, outcome: "succeeded" });
    await expect(wait({ service: "cynosdb", flowId })).resolves.toMatchObject({ status: "succeeded", rawStatus: 0 });
    expect((await emulator.current.requests()).map((r) => r.action)).toEqual(["DescribeTasks", "DescribeFlow"]);
    const both = await wait({ service: "cynosdb", taskId, flowId }).catch((e: unknown) => e);
    expect(both).toBeInstanceOf(TaskInputError);
    expect((both as TaskInputError).failures).toEqual([{ property: "taskId", reason: "give exactly one of flowId or taskId for cynosdb, not both" }]);
    const neither = await wait({ service: "cynosdb" }).catch((e: unknown) => e);
    expect((neither as TaskInputError).failures[0]).toMatchObject({ property: "flowId", reason: expect.stringContaining("required for cynosdb: flowId or taskId") });
  });

  test("TDSQL-C: an undocumented BizTaskInfo status is in progress, as the Terraform provider takes it, until ErrMsg gives a reason", async () => {
    await script("cynosdb/taskId", 4242, [
      { TotalCount: 1, TaskList: [{ ID: 4242, Status: "pausing", ErrMsg: "" }] },
      { TotalCount: 1, TaskList: [{ ID: 4242, Status: "rollbacking", ErrMsg: "" }] },
      { TotalCount: 1, TaskList: [{ ID: 4242, Status: "rollbacked", ErrMsg: "disk quota exceeded" }] },
    ]);
    const error = await wait({ service: "cynosdb", taskId: 4242 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskFailedError);
    expect((error as TaskFailedError).result).toMatchObject({ status: "failed", rawStatus: "rollbacked", attempts: 3, message: "disk quota exceeded" });
    // A listed value wins over the rule for the others: success with a leftover message is a success.
    await script("cynosdb/taskId", 4243, [{ TotalCount: 1, TaskList: [{ ID: 4243, Status: "success", ErrMsg: "retried once" }] }]);
    await expect(wait({ service: "cynosdb", taskId: 4243 })).resolves.toMatchObject({ status: "succeeded", rawStatus: "success" });
  });

  test("Redis needs a region: an input error, nothing sent", async () => {
    const error = await waitOn(freshRuntime(), { service: "redis", taskId: 4242, endpoint: emulator.current.url, credentials } as WaitOptions).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskInputError);
    expect((error as TaskInputError).failures).toEqual([expect.objectContaining({ property: "region", reason: expect.stringContaining("required for redis") })]);
    expect((await emulator.current.stats()).actions).toEqual({});
  });
});

describe("custom: any Describe action, on scripted answers", () => {
  const disk = { service: "custom", product: "cbs", version: "2017-03-12", action: "DescribeDisks", request: { DiskIds: ["disk-0a1b2c3d"] }, statusPath: "DiskSet[0].DiskState" };
  const lists = { pendingStatuses: ["ATTACHING"], successStatuses: ["ATTACHED"], failureStatuses: ["UNATTACHED"] };
  const diskScript = (...states: (string | undefined)[]) =>
    emulator.current.addScript({
      action: "DescribeDisks",
      version: "2017-03-12",
      product: "cbs",
      match: { DiskIds: ["disk-0a1b2c3d"] },
      responses: states.map((state) => ({ TotalCount: 1, DiskSet: state === undefined ? [] : [{ DiskId: "disk-0a1b2c3d", DiskState: state }] })),
    });

  test("a status path into a list: pending, then success; signed for the product, in its version", async () => {
    await diskScript("ATTACHING", "ATTACHING", "ATTACHED");
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
    await diskScript("EXPANDING");
    const error = await wait({ ...disk, ...lists }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "UnexpectedAnswer", message: expect.stringContaining('"EXPANDING"') });
  });

  test("a path that is not in the answer: UnexpectedAnswer at once", async () => {
    await diskScript(undefined);
    const error = await wait({ ...disk, ...lists }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "UnexpectedAnswer", message: expect.stringContaining("answered nothing at DiskSet[0].DiskState") });
  });

  test("an action nothing answers: the emulator's InvalidAction, counted under (unknown)", async () => {
    const error = await wait({ ...disk, ...lists, action: "DescribeNothing" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "InvalidAction" });
    expect(Object.keys((await emulator.current.stats()).actions)).toEqual(["(unknown)"]);
  });

  test("a request with a __proto__ key is refused at input time, not silently sent without it", async () => {
    const request = JSON.parse('{"DiskIds":["disk-0a1b2c3d"],"__proto__":{"Limit":1}}') as Record<string, unknown>;
    const error = await wait({ ...disk, ...lists, request }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskInputError);
    expect((error as TaskInputError).failures).toEqual([{ property: "request", reason: 'a parameter named "__proto__" cannot be sent: remove it' }]);
    expect((await emulator.current.stats()).actions).toEqual({});
  });

  test("a status path whose functions would build gigabytes: refused when written, or stopped as UnexpectedAnswer when it runs", async () => {
    const refused = await wait({ ...disk, ...lists, statusPath: "pad_left(DiskSet[0].DiskState, `500000000`, 'x')" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TaskInputError);
    expect((refused as TaskInputError).failures[0]).toMatchObject({ property: "statusPath", reason: expect.stringContaining("pad_left() with a width of 500000000") });
    const repeated = await wait({ ...disk, ...lists, statusPath: "[@,@,@,@][].[@,@,@,@][].[@,@,@,@][].[@,@][] | [0].DiskSet[0].DiskState" }).catch((e: unknown) => e);
    expect((repeated as TaskInputError).failures[0]).toMatchObject({ property: "statusPath", reason: expect.stringContaining("repeat a value at most 64 times") });

    await emulator.current.addScript({ action: "DescribeDisks", responses: [{ Width: 500_000_000, DiskSet: [{ DiskState: "ATTACHED" }] }] });
    const before = process.memoryUsage().rss;
    const stopped = await wait({ ...disk, ...lists, statusPath: "pad_left(DiskSet[0].DiskState, Width, 'x')" }).catch((e: unknown) => e);
    expect(stopped).toMatchObject({ code: "UnexpectedAnswer", message: expect.stringContaining("pad_left() would build 500000000 characters") });
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });
});

describe("each adapter over arbitrary inputs and answers (production code on both sides)", () => {
  const anyValue = fc.oneof(fc.anything(), fc.integer({ min: -3, max: 1_000_000 }), fc.string(), fc.constantFrom("4242", "0", "-1", "1e3", " 42", CVM_INSTANCE, "zone-2o1xvpmq7nn", "3a1f2a64-6b2c-4b1e-9d1f-1c5e8b0c7a3d", null));
  const rawInputs = fc.record({ taskId: anyValue, flowId: anyValue, dealName: anyValue, instanceId: anyValue, zoneId: anyValue }, { requiredKeys: [] });
  const builtIns = SERVICES.filter((service) => service !== "custom");

  test.each(builtIns)("%s: parse never throws; what it accepts, the emulator's status action accepts, in its product and version", (service) => {
    const adapter = adapterFor(service)!;
    const entry = SERVICE_TABLE[service];
    fc.assert(
      fc.property(rawInputs, (raw) => {
        const parsed = adapter.parse(raw, region);
        if (!parsed.query) return;
        expect(parsed.failures).toEqual([]);
        const { request } = parsed.query;
        const action = entry.actions.find((a) => a.name === request.action);
        expect(action).toBeDefined();
        expect([request.product, request.version]).toEqual([entry.product, entry.version]);
        expect(() => checkParameters(action!.parameters, request.params)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  /** The emulator's id spaces whose values the definitions document, with the case that names their tasks. */
  const documentedSpaces = CASES.flatMap((name) => {
    const contract = contractOf(name);
    const entry = SERVICE_TABLE[contract.service];
    const space: IdSpace = [entry, ...(entry.otherIdSpaces ?? [])].find((s) => s.name === (contract.idSpace ?? entry.name))!;
    return space.documented ? [[name, space] as const] : [];
  });

  test.each(documentedSpaces)("%s: every documented value the emulator answers is one the rule knows; each phase reads as that phase; nothing else reads as success", (name, space) => {
    const contract = contractOf(name);
    const id = contract.sampleId;
    const { query } = adapterFor(contract.service)!.parse(contract.inputs(id), region);
    // The same documented values on both sides: none left out, none invented.
    const rule = adapterFor(contract.service)!.statusApis.find((api) => api.action === contract.action)!.rule;
    expect([...space.statusValues].sort()).toEqual([...rule.pending, ...rule.success, ...rule.failure].sort());
    const expected: Record<TaskPhase, string> = { preparing: "pending", running: "pending", succeeded: "succeeded", failed: "failed", error: "failed" };
    for (const [phase, status] of Object.entries(space.statuses) as [TaskPhase, string | number][]) {
      expect(query!.read(answerWith(name, status, sentId(name, id))).state).toBe(expected[phase]);
    }
    const statusLike = fc.oneof(fc.anything(), fc.constantFrom(...space.statusValues, "Success", "success", "0", "RUNNING"));
    fc.assert(
      fc.property(statusLike, fc.dictionary(fc.string(), fc.anything()), (status, extra) => {
        let state: string;
        // A reader of its own per answer: CVM's remembers what it saw.
        const fresh = adapterFor(contract.service)!.parse(contract.inputs(id), region).query!;
        const answer = { ...extra, ...answerWith(name, status as string, sentId(name, id)) };
        try {
          state = fresh.read(answer).state;
        } catch (error) {
          expect(error).toBeInstanceOf(UnexpectedAnswerError);
          return;
        }
        if (state === "succeeded") expect(contract.succeeded(answer, sentId(name, id))).toBe(true);
      }),
      { numRuns: 300 },
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
        statusPath: fc.oneof(fc.constantFrom("State", "DiskSet[0].DiskState", "[", "", "pad_left(State, `9`, 'x')"), fc.string()),
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
    expect(builtIns.sort()).toEqual(Object.keys(SERVICE_TABLE).sort());
  });

  test("the test table names every built-in service, and every way of naming a task", () => {
    expect([...new Set(CASES.map((name) => contractOf(name).service))].sort()).toEqual([...builtIns].sort());
  });
});
