import { readFileSync } from "node:fs";
import ts from "typescript";
import { startEmulator, type EmulatedStatus, type RunningEmulator } from "../../emulator";
import { idSpaceOf, SERVICE_NAMES, SERVICE_TABLE, type EmulatedService, type IdSpace, type ServiceEntry } from "../../emulator/services";
import { modelsFile } from "../../scripts/requestParameters";
import { FakeClock, REGION, sendRaw } from "./helpers";

/** Each service's id spaces, with the action that reads their status (the first of the table's actions in that space). */
const SPACES = SERVICE_NAMES.flatMap((service) => {
  const entry: ServiceEntry = SERVICE_TABLE[service];
  return [entry, ...(entry.otherIdSpaces ?? [])].map((space) => {
    const action = entry.actions.find((candidate) => (candidate.idSpace ?? entry.name) === space.name)!;
    return { key: `${service} ${space.name}`, service, entry, space: space as IdSpace, action: action.name };
  });
});

/** The doc comment of `Interface.Field` in a product's SDK models. */
function docOf(entry: ServiceEntry, field: string): string {
  const file = modelsFile(entry.product, entry.version);
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const [name, member] = field.split(".");
  const declaration = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
  const property = declaration?.members.find((m) => m.name?.getText(source) === member);
  if (!property) throw new Error(`${entry.product} ${entry.version} declares no ${field}`);
  return (ts.getLeadingCommentRanges(source.text, property.getFullStart()) ?? []).map((range) => source.text.slice(range.pos, range.end)).join("\n");
}

/** Words of a doc comment that are no values: the SDK's "may return null" note, and CDB's mention of the request's `WaitSwitch = true`. */
const NOT_VALUES: Record<string, string[]> = { all: ["null"], "cdb AsyncRequestId": ["WaitSwitch", "true"] };

/** The values a doc comment lists: the words (or, for a numeric field, the numbers) outside its HTML tags. */
function listedValues(doc: string, numeric: boolean, key = ""): EmulatedStatus[] {
  const text = doc.replace(/<[^>]*>/g, " ");
  const words = text.match(numeric ? /\b\d+\b/g : /\b[A-Za-z][A-Za-z_]*\b/g) ?? [];
  const not = [...NOT_VALUES.all, ...(NOT_VALUES[key] ?? [])];
  return [...new Set(words)].filter((word) => !not.includes(word)).map((word) => (numeric ? Number(word) : word));
}

/** Values documented elsewhere than at the status field, with where. */
const ALSO_DOCUMENTED: Partial<Record<string, { field: string; values: EmulatedStatus[] }>> = {
  "teo-prefetch JobId": { field: "DescribePrefetchTasksRequest.Filters", values: ["invalid"] },
};

describe("every status value the definitions document, and no other", () => {
  test.each(SPACES.map((s) => [s.key, s] as const))("%s", (key, { entry, space }) => {
    const numeric = typeof space.statusValues[0] === "number";
    const listed = listedValues(docOf(entry, space.statusField), numeric, key);
    if (!space.documented) {
      // Stand-ins where the definitions list nothing; this fails once they do.
      expect({ key, listed }).toEqual({ key, listed: [] });
      return;
    }
    const elsewhere = ALSO_DOCUMENTED[key];
    if (elsewhere) expect(listedValues(docOf(entry, elsewhere.field), numeric)).toEqual(expect.arrayContaining(elsewhere.values));
    const sort = (values: readonly EmulatedStatus[]) => [...values].map(String).sort();
    expect({ key, values: sort(space.statusValues) }).toEqual({ key, values: sort([...listed, ...(elsewhere?.values ?? [])]) });
    for (const status of Object.values(space.statuses)) expect(space.statusValues).toContain(status);
  });
});

/** How each id space's status action names a task, and where its answer holds the status. */
const READERS: Record<string, { ask: (id: string | number) => Record<string, unknown>; at: string }> = {
  "clb TaskId": { ask: (id) => ({ TaskId: id }), at: "Status" },
  "redis TaskId": { ask: (id) => ({ TaskId: id }), at: "Status" },
  "keewidb TaskId": { ask: (id) => ({ TaskId: id }), at: "Status" },
  "cdb AsyncRequestId": { ask: (id) => ({ AsyncRequestId: id }), at: "Status" },
  "mongodb AsyncRequestId": { ask: (id) => ({ AsyncRequestId: id }), at: "Status" },
  "postgres TaskId": { ask: (id) => ({ TaskId: id }), at: "TaskSet.0.Status" },
  "sqlserver FlowId": { ask: (id) => ({ FlowId: id }), at: "Status" },
  "mariadb FlowId": { ask: (id) => ({ FlowId: id }), at: "Status" },
  "dcdb FlowId": { ask: (id) => ({ FlowId: id }), at: "Status" },
  "cynosdb FlowId": { ask: (id) => ({ FlowId: id }), at: "Status" },
  "cynosdb TaskId": { ask: (id) => ({ Filters: [{ Names: ["TaskId"], Values: [String(id)] }] }), at: "TaskList.0.Status" },
  "vpc TaskId": { ask: (id) => ({ TaskId: id }), at: "Status" },
  "gaap TaskId": { ask: (id) => ({ TaskId: id }), at: "Status" },
  "ckafka FlowId": { ask: (id) => ({ FlowId: id }), at: "Result.Status" },
  "eip TaskId": { ask: (id) => ({ TaskId: id }), at: "Result" },
  "cvm LatestOperationRequestId": { ask: () => ({ InstanceIds: [INSTANCE] }), at: "InstanceSet.0.LatestOperationState" },
  "lighthouse LatestOperationRequestId": { ask: () => ({ InstanceIds: [INSTANCE] }), at: "InstanceSet.0.LatestOperationState" },
  "tat InvocationId": { ask: (id) => ({ InvocationIds: [id] }), at: "InvocationSet.0.InvocationStatus" },
  "as ActivityId": { ask: (id) => ({ ActivityIds: [id] }), at: "ActivitySet.0.StatusCode" },
  "scf InvokeRequestId": { ask: (id) => ({ InvokeRequestId: id }), at: "Result.Status" },
  "gwlb TaskId": { ask: (id) => ({ TaskId: id }), at: "Status" },
  "cdn-purge TaskId": { ask: (id) => ({ TaskId: id }), at: "PurgeLogs.0.Status" },
  "cdn-push TaskId": { ask: (id) => ({ TaskId: id }), at: "PushLogs.0.Status" },
  "teo-purge JobId": { ask: (id) => ({ Filters: [{ Name: "job-id", Values: [id] }] }), at: "Tasks.0.Status" },
  "teo-prefetch JobId": { ask: (id) => ({ Filters: [{ Name: "job-id", Values: [id] }] }), at: "Tasks.0.Status" },
  "ssl-deploy DeployRecordId": { ask: (id) => ({ DeployRecordId: String(id) }), at: "DeployRecordDetailList.0.Status" },
  "ssl-update DeployRecordId": { ask: (id) => ({ DeployRecordId: String(id) }), at: "RecordDetailList.0.List.0.Status" },
};
const INSTANCE = "ins-0a1b2c3d";

function at(answer: Record<string, unknown>, path: string): unknown {
  return path.split(".").reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], answer);
}

describe("every status value, produced through the control API and answered by the status action", () => {
  const clock = new FakeClock();
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ clock });
  });
  beforeEach(() => clock.set("2026-03-01T00:00:00Z"));
  afterEach(() => emulator.reset());
  afterAll(() => emulator.close());

  /** Starts a task of `service` in `idSpace` on `phases`, and returns a function reading its status now. */
  async function taskOn(service: EmulatedService, idSpace: string, phases: { status: EmulatedStatus; durationMs?: number; message?: string }[]) {
    const { entry, action } = SPACES.find((s) => s.key === `${service} ${idSpace}`)!;
    const instance = entry.details.includes("instanceId") ? { instanceId: INSTANCE } : {};
    const { taskId } = await emulator.createTask({ service, idSpace, phases, ...instance });
    const ask = async () => {
      const body = JSON.stringify(READERS[`${service} ${idSpace}`].ask(taskId));
      const { Response } = await sendRaw(emulator, { action, version: entry.version, service: entry.product, region: REGION, body });
      expect(Response.Error).toBeUndefined();
      return Response;
    };
    return { taskId, ask, status: async () => at(await ask(), READERS[`${service} ${idSpace}`].at) };
  }

  test("every id space has a reader here", () => {
    expect(Object.keys(READERS).sort()).toEqual(SPACES.map((s) => s.key).sort());
  });

  test.each(SPACES.map((s) => [s.key, s] as const))("%s: each value, as the only phase", async (_, { service, space }) => {
    for (const status of space.statusValues) {
      const { status: now } = await taskOn(service, space.name, [{ status }]);
      expect(await now()).toBe(status);
    }
  });

  test("phases follow each other on the clock, with their messages: CDB UNDEFINED until the maintenance window, then SUCCESS with its Info", async () => {
    const { taskId, ask } = await taskOn("cdb", "AsyncRequestId", [{ status: "UNDEFINED", durationMs: 60_000 }, { status: "RUNNING", durationMs: 1000 }, { status: "SUCCESS", message: "switched in the window" }]);
    await expect(ask()).resolves.toMatchObject({ Status: "UNDEFINED", Info: "" });
    clock.advance(60_000);
    await expect(ask()).resolves.toMatchObject({ Status: "RUNNING", Info: "" });
    clock.advance(1000);
    await expect(ask()).resolves.toMatchObject({ Status: "SUCCESS", Info: "switched in the window" });
    await expect(emulator.getTask(taskId)).resolves.toMatchObject({ outcome: null, durationMs: 61_000, status: "SUCCESS", message: "switched in the window", completesAt: "2026-03-01T00:01:01.000Z" });
  });

  test("PostgreSQL WaitSwitch, then Pause; MongoDB undoed; TAT PARTIAL_FAILED names the failed instance", async () => {
    const postgres = await taskOn("postgres", "TaskId", [{ status: "WaitSwitch", durationMs: 500 }, { status: "Pause", message: "paused by the user" }]);
    expect(await postgres.status()).toBe("WaitSwitch");
    clock.advance(500);
    await expect(postgres.ask()).resolves.toMatchObject({ TaskSet: [{ Status: "Pause", TaskDetail: { Message: "paused by the user" } }] });

    const mongodb = await taskOn("mongodb", "AsyncRequestId", [{ status: "undoed" }]);
    expect(await mongodb.status()).toBe("undoed");

    const { taskId } = await emulator.createTask({ service: "tat", targets: ["ins-00000001", "ins-00000002"], phases: [{ status: "PARTIAL_FAILED", message: "exit code 2" }] });
    const body = JSON.stringify({ Filters: [{ Name: "invocation-id", Values: [taskId] }] });
    const { Response } = await sendRaw(emulator, { action: "DescribeInvocationTasks", version: "2020-10-28", service: "tat", region: REGION, body });
    expect(Response).toMatchObject({
      TotalCount: 2,
      InvocationTaskSet: [
        { InstanceId: "ins-00000001", TaskStatus: "FAILED", ErrorInfo: "exit code 2" },
        { InstanceId: "ins-00000002", TaskStatus: "SUCCESS", ErrorInfo: "" },
      ],
    });
  });

  test("where the definitions list no values (TDSQL-C TaskId), a phase may name any value of the field's type", async () => {
    const cynosdb = await taskOn("cynosdb", "TaskId", [{ status: "pause" }]);
    expect(await cynosdb.status()).toBe("pause");
    const ssl = await taskOn("ssl-deploy", "DeployRecordId", [{ status: 7 }]);
    expect(await ssl.status()).toBe(7);
  });

  test.each([
    [{ service: "cdb", phases: [{ status: "DONE" }] }, "`phases[0].status` must be a documented AsyncRequestId status (DescribeAsyncRequestInfoResponse.Status): one of INITIAL, RUNNING"],
    [{ service: "clb", phases: [{ status: "0" }] }, "`phases[0].status` must be a documented TaskId status (DescribeTaskStatusResponse.Status): one of 0, 1, 2"],
    [{ service: "cynosdb", idSpace: "TaskId", phases: [{ status: 1 }] }, "`phases[0].status` must be a string: the definitions list no values of the TaskId status (BizTaskInfo.Status), such as running"],
    [{ service: "cynosdb", idSpace: "AsyncRequestId" }, "`idSpace` must be one of FlowId, TaskId for cynosdb tasks"],
    [{ service: "cdb", phases: [{ status: "RUNNING" }, { status: "SUCCESS" }] }, "`phases[0].durationMs` is required"],
    [{ service: "cdb", phases: [{ status: "SUCCESS", durationMs: 5 }] }, "`phases[0].durationMs` must be left out: the last phase lasts for ever"],
    [{ service: "cdb", phases: [{ status: "RUNNING", durationMs: -1 }, { status: "SUCCESS" }] }, "`phases[0].durationMs` must be a number from 0"],
    [{ service: "cdb", phases: [{ status: "SUCCESS", info: "x" }] }, "Unknown field `info` for phases[0]"],
    [{ service: "cdb", phases: [] }, "`phases` must be an array of 1 to 100 objects"],
    [{ service: "cdb", outcome: "failed", phases: [{ status: "SUCCESS" }] }, "`phases` is the whole timeline: leave out `outcome`"],
    [{ service: "tat", targets: "ins-1" }, "`targets` must be an array of strings"],
  ])("refuses %j naming what to fix", async (spec, named) => {
    const response = await fetch(`${emulator.url}/_emulator/tasks`, { method: "POST", body: JSON.stringify(spec) });
    expect(await response.json()).toEqual({ error: expect.stringContaining(named) });
    expect(response.status).toBe(400);
  });

  test("the id spaces of a service are apart: a TDSQL-C TaskId is not a FlowId", async () => {
    const { taskId } = await emulator.createTask({ service: "cynosdb", idSpace: "TaskId", phases: [{ status: "success" }] });
    const body = JSON.stringify({ FlowId: taskId });
    const { Response } = await sendRaw(emulator, { action: "DescribeFlow", version: "2019-01-07", service: "cynosdb", region: REGION, body });
    expect(Response.Error).toMatchObject({ Code: "ResourceNotFound" });
    expect(idSpaceOf(SERVICE_TABLE.cynosdb, "TaskId").ids).toBe("integer");
  });
});
