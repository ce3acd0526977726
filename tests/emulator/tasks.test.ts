import { startEmulator, type RunningEmulator } from "../../emulator";
import { clbClient, FakeClock, failure, REGION, redisClient, sendRaw, UUID } from "./helpers";

describe("task timelines", () => {
  const clock = new FakeClock();
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ clock });
  });
  beforeEach(() => clock.set("2025-06-01T00:00:00Z"));
  afterEach(() => emulator.reset());
  afterAll(() => emulator.close());

  it("moves a CLB task from in progress (2) to succeeded (0)", async () => {
    const { taskId } = await emulator.createTask({
      service: "clb",
      durationMs: 10_000,
      loadBalancerIds: ["lb-0a1b2c3d"],
    });
    expect(taskId).toMatch(UUID);
    const clb = clbClient(emulator);
    await expect(clb.DescribeTaskStatus({ TaskId: taskId })).resolves.toMatchObject({
      Status: 2,
      LoadBalancerIds: ["lb-0a1b2c3d"],
      Message: null,
    });
    clock.advance(10_000);
    await expect(clb.DescribeTaskStatus({ TaskId: taskId })).resolves.toMatchObject({ Status: 0, Message: null });
  });

  it("reports a failed CLB task as 1 with its Message; CLB has no separate error status", async () => {
    const failed = await emulator.createTask({
      service: "clb",
      durationMs: 1000,
      outcome: "failed",
      message: "port 80 is in use",
    });
    const errored = await emulator.createTask({ service: "clb", durationMs: 1000, outcome: "error" });
    const clb = clbClient(emulator);
    await expect(clb.DescribeTaskStatus({ TaskId: failed.taskId })).resolves.toMatchObject({
      Status: 2,
      Message: null,
    });
    clock.advance(1000);
    await expect(clb.DescribeTaskStatus({ TaskId: failed.taskId })).resolves.toMatchObject({
      Status: 1,
      Message: "port 80 is in use",
      LoadBalancerIds: null,
    });
    await expect(clb.DescribeTaskStatus({ TaskId: errored.taskId })).resolves.toMatchObject({
      Status: 1,
      Message: expect.stringContaining("internal error"),
    });
  });

  it.each([
    ["succeeded", "succeed", ""],
    ["failed", "failed", "not enough memory"],
    ["error", "error", "not enough memory"],
  ] as const)("moves a Redis task through preparing and running to %s", async (outcome, finalStatus, taskMessage) => {
    const { taskId } = await emulator.createTask({
      service: "redis",
      durationMs: 10_000,
      outcome,
      message: "not enough memory",
      instanceId: "crs-0a1b2c3d",
      taskType: "Upgrade Version",
    });
    expect(Number.isInteger(taskId) && taskId >= 1000).toBe(true);
    const redis = redisClient(emulator);
    // Beijing time (UTC+8) of the clock's start.
    const expected = { TaskType: "Upgrade Version", InstanceId: "crs-0a1b2c3d", StartTime: "2025-06-01 08:00:00" };
    await expect(redis.DescribeTaskInfo({ TaskId: taskId })).resolves.toMatchObject({
      ...expected,
      Status: "preparing",
      TaskMessage: "",
    });
    clock.advance(1000);
    await expect(redis.DescribeTaskInfo({ TaskId: taskId })).resolves.toMatchObject({
      ...expected,
      Status: "running",
      TaskMessage: "",
    });
    clock.advance(9000);
    await expect(redis.DescribeTaskInfo({ TaskId: taskId })).resolves.toMatchObject({
      ...expected,
      Status: finalStatus,
      TaskMessage: taskMessage,
    });
  });

  it("finds a CLB task by DealName as well", async () => {
    const { taskId } = await emulator.createTask({ service: "clb", dealName: "20250601000001", durationMs: 0 });
    await expect(clbClient(emulator).DescribeTaskStatus({ DealName: "20250601000001" })).resolves.toMatchObject({
      Status: 0,
    });
    await expect(clbClient(emulator).DescribeTaskStatus({ TaskId: taskId })).resolves.toMatchObject({ Status: 0 });
  });

  it("scopes tasks with a region to that region", async () => {
    const scoped = await emulator.createTask({ service: "clb", region: "ap-shanghai" });
    const global = await emulator.createTask({ service: "clb" });
    const shanghai = clbClient(emulator, { region: "ap-shanghai" });
    const guangzhou = clbClient(emulator, { region: "ap-guangzhou" });
    await expect(shanghai.DescribeTaskStatus({ TaskId: scoped.taskId })).resolves.toMatchObject({ Status: 2 });
    await expect(guangzhou.DescribeTaskStatus({ TaskId: global.taskId })).resolves.toMatchObject({ Status: 2 });
    const error = await failure(guangzhou.DescribeTaskStatus({ TaskId: scoped.taskId }));
    expect(error).toMatchObject({ code: "InvalidParameter", message: expect.stringContaining("ap-guangzhou") });

    // Redis takes no region: its task ids are found from anywhere.
    const redisTask = await emulator.createTask({ service: "redis", region: "ap-shanghai" });
    await expect(
      redisClient(emulator, { region: "ap-shanghai" }).DescribeTaskInfo({ TaskId: redisTask.taskId }),
    ).resolves.toBeDefined();
    await expect(redisClient(emulator).DescribeTaskInfo({ TaskId: redisTask.taskId })).resolves.toBeDefined();
  });

  it("answers unknown task ids with the documented InvalidParameter codes, never 'in progress'", async () => {
    const clbError = await failure(
      clbClient(emulator).DescribeTaskStatus({ TaskId: "0a7ef3f1-0000-4000-8000-000000000000" }),
    );
    expect(clbError).toMatchObject({
      code: "InvalidParameter",
      message: expect.stringMatching(/TaskId `0a7ef3f1-.*` was not found/),
    });
    const dealError = await failure(clbClient(emulator).DescribeTaskStatus({ DealName: "nope" }));
    expect(dealError).toMatchObject({
      code: "InvalidParameter",
      message: expect.stringContaining("DealName `nope` was not found"),
    });
    const redisError = await failure(redisClient(emulator).DescribeTaskInfo({ TaskId: 999_999 }));
    expect(redisError).toMatchObject({
      code: "InvalidParameter.InvalidParameter",
      message: expect.stringContaining("TaskId `999999`"),
    });
  });

  it("starts a CLB task with CreateListener, whose RequestId is the task id", async () => {
    const clb = clbClient(emulator);
    const created = await clb.CreateListener({
      LoadBalancerId: "lb-0a1b2c3d",
      Ports: [80, 443],
      Protocol: "HTTP",
      ListenerNames: ["a", "b"],
    });
    expect(created.ListenerIds).toEqual([
      expect.stringMatching(/^lbl-[0-9a-z]{8}$/),
      expect.stringMatching(/^lbl-[0-9a-z]{8}$/),
    ]);
    const taskId = String(created.RequestId);
    await expect(clb.DescribeTaskStatus({ TaskId: taskId })).resolves.toMatchObject({
      Status: 2,
      LoadBalancerIds: ["lb-0a1b2c3d"],
    });
    await expect(emulator.getTask(taskId)).resolves.toMatchObject({ region: REGION, durationMs: 3000 });

    const busy = await failure(clb.CreateListener({ LoadBalancerId: "lb-0a1b2c3d", Ports: [8080], Protocol: "TCP" }));
    expect(busy).toMatchObject({
      code: "FailedOperation.ResourceInOperating",
      message: expect.stringContaining(taskId),
    });
    await expect(
      clb.CreateListener({ LoadBalancerId: "lb-99999999", Ports: [8080], Protocol: "TCP" }),
    ).resolves.toBeDefined();
    clock.advance(3000);
    await expect(clb.DescribeTaskStatus({ TaskId: taskId })).resolves.toMatchObject({ Status: 0 });
    await expect(
      clb.CreateListener({ LoadBalancerId: "lb-0a1b2c3d", Ports: [8080], Protocol: "TCP" }),
    ).resolves.toBeDefined();
  });

  it("starts a CLB task with DeleteListener, refused while the load balancer is busy", async () => {
    const clb = clbClient(emulator);
    const deleted = await clb.DeleteListener({ LoadBalancerId: "lb-d1d2d3d4", ListenerId: "lbl-00000001" });
    await expect(clb.DescribeTaskStatus({ TaskId: String(deleted.RequestId) })).resolves.toMatchObject({
      Status: 2,
      LoadBalancerIds: ["lb-d1d2d3d4"],
    });
    const busy = await failure(clb.DeleteListener({ LoadBalancerId: "lb-d1d2d3d4", ListenerId: "lbl-00000002" }));
    expect(busy.code).toBe("FailedOperation.ResourceInOperating");
    expect((await failure(clb.request("DeleteListener", { LoadBalancerId: "lb-d1d2d3d4" }))).code).toBe(
      "MissingParameter",
    );
  });

  it("starts a Redis task with ModifyInstanceParams", async () => {
    const redis = redisClient(emulator);
    const modified = await redis.ModifyInstanceParams({
      InstanceId: "crs-0a1b2c3d",
      InstanceParams: [{ Key: "timeout", Value: "120" }],
    });
    expect(modified).toMatchObject({ Changed: true, TaskId: expect.any(Number) });
    await expect(redis.DescribeTaskInfo({ TaskId: Number(modified.TaskId) })).resolves.toMatchObject({
      Status: "preparing",
      InstanceId: "crs-0a1b2c3d",
      TaskType: "Configure",
    });
  });

  it("uses taskDefaults for tasks started through the API", async () => {
    const failing = await startEmulator({
      clock,
      taskDefaults: { durationMs: 500, outcome: "failed", message: "quota exceeded" },
    });
    try {
      const created = await clbClient(failing).CreateListener({
        LoadBalancerId: "lb-0a1b2c3d",
        Ports: [80],
        Protocol: "TCP",
      });
      clock.advance(500);
      await expect(clbClient(failing).DescribeTaskStatus({ TaskId: String(created.RequestId) })).resolves.toMatchObject(
        {
          Status: 1,
          Message: "quota exceeded",
        },
      );
    } finally {
      await failing.close();
    }
  });

  it("gives every answer a fresh UUID RequestId", async () => {
    const { taskId } = await emulator.createTask({ service: "clb" });
    const clb = clbClient(emulator);
    const ok = await Promise.all([
      clb.DescribeTaskStatus({ TaskId: taskId }),
      clb.DescribeTaskStatus({ TaskId: taskId }),
    ]);
    const errors = await Promise.all([
      failure(clb.DescribeTaskStatus({ TaskId: "x" })),
      failure(clb.DescribeTaskStatus({ TaskId: "x" })),
    ]);
    const ids = [...ok.map((a) => a.RequestId), ...errors.map((e) => e.requestId)];
    ids.forEach((id) => expect(id).toMatch(UUID));
    expect(new Set(ids).size).toBe(4);
  });
});

describe("parameter validation", () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it.each([
    ["clb", "DescribeTaskStatus", {}, "MissingParameter", "`TaskId` or `DealName`"],
    ["clb", "DescribeTaskStatus", { TaskId: "a", DealName: "b" }, "InvalidParameter", "`TaskId` and `DealName`"],
    // A value of the wrong JSON type is the common InvalidParameter ("format and type errors").
    ["clb", "DescribeTaskStatus", { TaskId: 5 }, "InvalidParameter", "`TaskId` must be of type string"],
    ["clb", "DescribeTaskStatus", { TaskId: "a", Limit: 1 }, "UnknownParameter", "`Limit`"],
    ["clb", "CreateListener", { Ports: [80], Protocol: "TCP" }, "MissingParameter", "`LoadBalancerId`"],
    [
      "clb",
      "CreateListener",
      { LoadBalancerId: "lb-1", Ports: [], Protocol: "TCP" },
      "InvalidParameterValue",
      "`Ports`",
    ],
    [
      "clb",
      "CreateListener",
      { LoadBalancerId: "lb-1", Ports: [70000], Protocol: "TCP" },
      "InvalidParameterValue",
      "`Ports`",
    ],
    [
      "clb",
      "CreateListener",
      { LoadBalancerId: "lb-1", Ports: [80], Protocol: "SMTP" },
      "InvalidParameterValue",
      "`Protocol`",
    ],
    ["redis", "DescribeTaskInfo", {}, "MissingParameter", "`TaskId`"],
    ["redis", "DescribeTaskInfo", { TaskId: "1000" }, "InvalidParameter", "`TaskId` must be of type integer"],
    ["redis", "DescribeTaskInfo", { TaskId: 1.5 }, "InvalidParameter", "`TaskId` must be of type integer"],
    [
      "redis",
      "ModifyInstanceParams",
      { InstanceId: "crs-1", InstanceParams: [] },
      "InvalidParameterValue",
      "`InstanceParams`",
    ],
    [
      "redis",
      "ModifyInstanceParams",
      { InstanceId: "crs-1", InstanceParams: [{ Key: "a", Value: 1 }] },
      "InvalidParameterValue",
      "`InstanceParams`",
    ],
  ])("%s %s %j → %s naming %s", async (service, action, params, code, field) => {
    const client = service === "clb" ? clbClient(emulator) : redisClient(emulator);
    const error = await failure(client.request(action, params));
    expect(error).toMatchObject({ code, message: expect.stringContaining(field) });
  });

  it("requires a known region for CLB, and checks one if sent to Redis", async () => {
    const missing = await failure(clbClient(emulator, { region: null }).DescribeTaskStatus({ TaskId: "a" }));
    expect(missing).toMatchObject({ code: "MissingParameter", message: expect.stringContaining("`Region`") });
    const unknown = await failure(clbClient(emulator, { region: "ap-atlantis" }).DescribeTaskStatus({ TaskId: "a" }));
    expect(unknown).toMatchObject({
      code: "InvalidParameter.RegionNotFound",
      message: expect.stringContaining("ap-atlantis"),
    });
    const redisUnknown = await failure(
      redisClient(emulator, { region: "ap-atlantis" }).DescribeTaskInfo({ TaskId: 1 }),
    );
    expect(redisUnknown.code).toBe("InvalidParameter.RegionNotFound");
    const { taskId } = await emulator.createTask({ service: "redis" });
    await expect(redisClient(emulator, { region: null }).DescribeTaskInfo({ TaskId: taskId })).resolves.toBeDefined();
    // A finance region is a region: the answer is about the task, not the region.
    expect(
      (await failure(clbClient(emulator, { region: "ap-shanghai-fsi" }).DescribeTaskStatus({ TaskId: "a" }))).code,
    ).toBe("InvalidParameter");
  });

  it("dispatches on action and version", async () => {
    expect((await failure(clbClient(emulator).request("DescribeNothing", {}))).code).toBe("InvalidAction");
    expect((await failure(redisClient(emulator).request("DescribeTaskStatus", { TaskId: "a" }))).code).toBe(
      "NoSuchVersion",
    );
  });

  it("answers a body that is not JSON with InvalidParameter", async () => {
    const answer = await sendRaw(emulator, { action: "DescribeTaskInfo", version: "2018-04-12", service: "redis", body: "{TaskId: 1" });
    expect(answer.Response.Error).toMatchObject({ Code: "InvalidParameter" });
    expect(answer.Response.RequestId).toMatch(UUID);
  });
});

describe("control API", () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it("shows tasks with their status now", async () => {
    const { taskId } = await emulator.createTask({ service: "redis", durationMs: 60_000, region: "ap-beijing" });
    const task = await emulator.getTask(taskId);
    expect(task).toMatchObject({
      service: "redis",
      taskId,
      status: "preparing",
      outcome: "succeeded",
      region: "ap-beijing",
    });
    expect(Date.parse(task?.completesAt ?? "") - Date.parse(task?.createdAt ?? "")).toBe(60_000);
    await expect(emulator.listTasks()).resolves.toContainEqual(task);
    await expect(emulator.getTask(123_456)).resolves.toBeUndefined();
  });

  it.each([
    [{ service: "ecs" }, "`service`"],
    [{ service: "clb", durationMs: -1 }, "`durationMs`"],
    [{ service: "clb", outcome: "done" }, "`outcome`"],
    [{ service: "clb", region: "mars-1" }, "`region`"],
    [{ service: "clb", instanceId: "crs-1" }, "`instanceId`"],
    [{ service: "redis", loadBalancerIds: "lb-1" }, "`loadBalancerIds`"],
  ])("rejects the task %j naming %s", async (spec, field) => {
    const response = await fetch(`${emulator.url}/_emulator/tasks`, { method: "POST", body: JSON.stringify(spec) });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.stringContaining(field) });
  });

  it("rejects bad fault specs and unknown routes", async () => {
    await expect(emulator.addFault({ kind: "explode" })).rejects.toThrow(/HTTP 400: `kind` must be/);
    await expect(emulator.addFault({ kind: "InternalError", probability: 2 })).rejects.toThrow(/`probability`/);
    expect((await fetch(`${emulator.url}/_emulator/nothing`)).status).toBe(404);
    expect((await fetch(`${emulator.url}/elsewhere`)).status).toBe(404);
  });
});
