import { Agent, request as httpRequest } from "node:http";
import type { ClientConfig } from "tencentcloud-sdk-nodejs/tencentcloud/common/interface";
import * as as from "tencentcloud-sdk-nodejs/tencentcloud/services/as";
import * as cdb from "tencentcloud-sdk-nodejs/tencentcloud/services/cdb";
import * as cdn from "tencentcloud-sdk-nodejs/tencentcloud/services/cdn";
import * as cvm from "tencentcloud-sdk-nodejs/tencentcloud/services/cvm";
import * as cynosdb from "tencentcloud-sdk-nodejs/tencentcloud/services/cynosdb";
import * as gwlb from "tencentcloud-sdk-nodejs/tencentcloud/services/gwlb";
import * as scf from "tencentcloud-sdk-nodejs/tencentcloud/services/scf";
import * as ssl from "tencentcloud-sdk-nodejs/tencentcloud/services/ssl";
import * as tat from "tencentcloud-sdk-nodejs/tencentcloud/services/tat";
import * as teo from "tencentcloud-sdk-nodejs/tencentcloud/services/teo";
import * as vpc from "tencentcloud-sdk-nodejs/tencentcloud/services/vpc";
import { DEFAULT_CREDENTIAL, LIMITS, MAX_API_BODY_BYTES, startEmulator, type RunningEmulator } from "../../emulator";
import { failure, FakeClock, REGION, sendRaw, UUID } from "./helpers";

/** SDK clients aimed at the emulator sign for its host's first label (`127`), which it takes for the product asked. */
function client<T>(Client: new (config: ClientConfig) => T, emulator: RunningEmulator): T {
  return new Client({
    credential: DEFAULT_CREDENTIAL,
    region: REGION,
    profile: { httpProfile: { endpoint: new URL(emulator.url).host, protocol: "http://", agent: new Agent() } },
  });
}

describe("the service table through SDK clients", () => {
  const clock = new FakeClock();
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ clock, taskDefaults: { durationMs: 1000 } });
  });
  beforeEach(() => clock.set("2026-01-01T00:00:00Z"));
  afterEach(() => emulator.reset());
  afterAll(() => emulator.close());

  it("CDB ModifyInstanceParam starts a request whose AsyncRequestId goes INITIAL, RUNNING, SUCCESS", async () => {
    const mysql = client(cdb.cdb.v20170320.Client, emulator);
    const { AsyncRequestId } = await mysql.ModifyInstanceParam({ InstanceIds: ["cdb-0a1b2c3d"], ParamList: [{ Name: "max_connections", CurrentValue: "2000" }] });
    expect(AsyncRequestId).toMatch(UUID);
    const status = async () => (await mysql.DescribeAsyncRequestInfo({ AsyncRequestId: String(AsyncRequestId) })).Status;
    expect(await status()).toBe("INITIAL");
    clock.advance(500);
    expect(await status()).toBe("RUNNING");
    clock.advance(500);
    expect(await status()).toBe("SUCCESS");
    expect(await emulator.getTask(String(AsyncRequestId))).toMatchObject({ service: "cdb", instanceId: "cdb-0a1b2c3d", status: "SUCCESS" });
  });

  it("VPC AssignPrivateIpAddresses: the call's RequestId is the TaskId of DescribeVpcTaskResult", async () => {
    const network = client(vpc.vpc.v20170312.Client, emulator);
    const assigned = await network.AssignPrivateIpAddresses({ NetworkInterfaceId: "eni-0a1b2c3d", SecondaryPrivateIpAddressCount: 2 });
    expect(assigned.PrivateIpAddressSet).toHaveLength(2);
    await expect(network.DescribeVpcTaskResult({ TaskId: String(assigned.RequestId) })).resolves.toMatchObject({ Status: "RUNNING", Output: "" });
    clock.advance(1000);
    await expect(network.DescribeVpcTaskResult({ TaskId: String(assigned.RequestId) })).resolves.toMatchObject({ Status: "SUCCESS" });
  });

  it("EIP ModifyAddressesBandwidth answers its TaskId as a string; DescribeTaskResult takes it as an integer", async () => {
    const network = client(vpc.vpc.v20170312.Client, emulator);
    const { TaskId } = await network.ModifyAddressesBandwidth({ AddressIds: ["eip-0a1b2c3d"], InternetMaxBandwidthOut: 10 });
    expect(TaskId).toMatch(/^\d+$/);
    await expect(network.DescribeTaskResult({ TaskId: Number(TaskId) })).resolves.toMatchObject({ Result: "RUNNING", TaskId: Number(TaskId) });
    const wrongType = await failure(network.DescribeTaskResult({ TaskId: TaskId as unknown as number }));
    expect(wrongType).toMatchObject({ code: "InvalidParameter", message: expect.stringContaining("`TaskId` must be of type integer") });
  });

  it("CVM StartInstances: each instance's latest operation is the call, named by its RequestId", async () => {
    const compute = client(cvm.cvm.v20170312.Client, emulator);
    const started = await compute.StartInstances({ InstanceIds: ["ins-00000001", "ins-00000002"] });
    clock.advance(1000);
    const rebooted = await compute.RebootInstances({ InstanceIds: ["ins-00000002"] });
    const { InstanceSet } = await compute.DescribeInstances({ InstanceIds: ["ins-00000001", "ins-00000002"] });
    expect(InstanceSet).toEqual([
      expect.objectContaining({ InstanceId: "ins-00000001", LatestOperation: "StartInstances", LatestOperationState: "SUCCESS", LatestOperationRequestId: started.RequestId }),
      expect.objectContaining({ InstanceId: "ins-00000002", LatestOperation: "RebootInstances", LatestOperationState: "OPERATING", LatestOperationRequestId: rebooted.RequestId }),
    ]);
    expect((await failure(compute.DescribeInstances({ InstanceIds: ["ins-nothing"] }))).code).toBe("InvalidInstanceId.NotFound");
  });

  it("refuses a request signed for another product, and names the product to sign for", async () => {
    const { taskId } = await emulator.createTask({ service: "cdb" });
    const body = JSON.stringify({ AsyncRequestId: taskId });
    const request = { action: "DescribeAsyncRequestInfo", version: "2017-03-20", region: REGION, body };
    expect((await sendRaw(emulator, { ...request, service: "cdb" })).Response).toMatchObject({ Status: "INITIAL" });
    expect((await sendRaw(emulator, { ...request, service: "127" })).Response).toMatchObject({ Status: "INITIAL" });
    const wrong = (await sendRaw(emulator, { ...request, service: "mongodb" })).Response.Error;
    expect(wrong).toMatchObject({ Code: "AuthFailure.SignatureFailure", Message: expect.stringContaining("sign it for `cdb`") });
    // One action name and version, two products: the signing service picks the product.
    const flowBody = JSON.stringify({ FlowId: 1 });
    const mariadb = await sendRaw(emulator, { action: "DescribeFlow", version: "2017-03-12", region: REGION, body: flowBody, service: "mariadb" });
    expect(mariadb.Response.Error).toMatchObject({ Code: "ResourceNotFound" });
    const versions = await sendRaw(emulator, { action: "DescribeFlow", version: "2020-01-01", region: REGION, body: flowBody, service: "dcdb" });
    expect(versions.Response.Error).toMatchObject({ Code: "NoSuchVersion", Message: expect.stringContaining("dcdb uses `2018-04-11`") });
  });
});

describe("the services of deployment pipelines, through their own calls", () => {
  const clock = new FakeClock();
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ clock, taskDefaults: { durationMs: 1000 } });
  });
  beforeEach(() => clock.set("2026-01-01T00:00:00Z"));
  afterEach(() => emulator.reset());
  afterAll(() => emulator.close());

  it("TAT RunCommand and InvokeCommand: the InvocationId goes PENDING, RUNNING, SUCCESS, with a task per instance", async () => {
    const commands = client(tat.tat.v20201028.Client, emulator);
    const { InvocationId, CommandId } = await commands.RunCommand({ Content: "ZWNobyBoaQ==", InstanceIds: ["ins-00000001", "ins-00000002"], Timeout: 60, SaveCommand: false });
    expect(InvocationId).toMatch(/^inv-[0-9a-z]{8}$/);
    const status = async () => (await commands.DescribeInvocations({ InvocationIds: [String(InvocationId)] })).InvocationSet?.[0];
    await expect(status()).resolves.toMatchObject({ InvocationId, CommandId, InvocationStatus: "PENDING" });
    clock.advance(500);
    await expect(status()).resolves.toMatchObject({ InvocationStatus: "RUNNING", EndTime: "" });
    clock.advance(500);
    await expect(status()).resolves.toMatchObject({ InvocationStatus: "SUCCESS", EndTime: "2026-01-01T00:00:01Z" });
    const tasks = await commands.DescribeInvocationTasks({ Filters: [{ Name: "invocation-id", Values: [String(InvocationId)] }] });
    expect(tasks.InvocationTaskSet?.map((t) => [t.InstanceId, t.TaskStatus])).toEqual([["ins-00000001", "SUCCESS"], ["ins-00000002", "SUCCESS"]]);
    const invoked = await commands.InvokeCommand({ CommandId: "cmd-0a1b2c3d", InstanceIds: ["ins-00000003"] });
    await expect(commands.DescribeInvocations({ Filters: [{ Name: "invocation-id", Values: [String(invoked.InvocationId)] }] })).resolves.toMatchObject({ TotalCount: 1 });
    // An id that names nothing: an empty list, as the list actions answer.
    await expect(commands.DescribeInvocations({ InvocationIds: ["inv-nothing0"] })).resolves.toMatchObject({ TotalCount: 0, InvocationSet: [] });
    expect((await failure(commands.DescribeInvocations({ InvocationIds: ["inv-1"], Filters: [] }))).code).toBe("InvalidParameter");
  });

  it("AS ScaleOutInstances, ScaleInInstances and ExecuteScalingPolicy answer an ActivityId that goes INIT, RUNNING, SUCCESSFUL", async () => {
    const scaling = client(as.as.v20180419.Client, emulator);
    const out = await scaling.ScaleOutInstances({ AutoScalingGroupId: "asg-0a1b2c3d", ScaleOutNumber: 2 });
    const inward = await scaling.ScaleInInstances({ AutoScalingGroupId: "asg-0a1b2c3d", ScaleInNumber: 1 });
    const policy = await scaling.ExecuteScalingPolicy({ AutoScalingPolicyId: "asp-0a1b2c3d", HonorCooldown: true });
    expect(out.ActivityId).toMatch(/^asa-[0-9a-z]{8}$/);
    const activities = async (ActivityIds: string[]) => (await scaling.DescribeAutoScalingActivities({ ActivityIds })).ActivitySet?.map((a) => [a.ActivityType, a.StatusCode]);
    await expect(activities([String(out.ActivityId), String(inward.ActivityId), String(policy.ActivityId)])).resolves.toEqual([["SCALE_OUT", "INIT"], ["SCALE_IN", "INIT"], ["SCALE_OUT", "INIT"]]);
    clock.advance(1000);
    await expect(activities([String(out.ActivityId)])).resolves.toEqual([["SCALE_OUT", "SUCCESSFUL"]]);
    const byGroup = await scaling.DescribeAutoScalingActivities({ Filters: [{ Name: "auto-scaling-group-id", Values: ["asg-0a1b2c3d"] }] });
    expect(byGroup.TotalCount).toBe(2);
  });

  it("SCF Invoke with InvocationType Event: its RequestId is the InvokeRequestId of GetAsyncEventStatus; a synchronous Invoke starts no task", async () => {
    const functions = client(scf.scf.v20180416.Client, emulator);
    const invoked = await functions.Invoke({ FunctionName: "deploy-hook", InvocationType: "Event", Namespace: "default" });
    expect(invoked.Result?.FunctionRequestId).toBe(invoked.RequestId);
    const status = async () => (await functions.GetAsyncEventStatus({ InvokeRequestId: String(invoked.RequestId) })).Result;
    await expect(status()).resolves.toMatchObject({ Status: "RUNNING", InvokeRequestId: invoked.RequestId });
    clock.advance(1000);
    await expect(status()).resolves.toMatchObject({ Status: "FINISHED" });
    const synchronous = await functions.Invoke({ FunctionName: "deploy-hook" });
    expect((await failure(functions.GetAsyncEventStatus({ InvokeRequestId: String(synchronous.RequestId) }))).code).toBe("ResourceNotFound.AsyncEvent");
  });

  it("GWLB DisassociateTargetGroups and RegisterTargetGroupInstances: the call's RequestId is the TaskId of DescribeTaskStatus 2024-09-06", async () => {
    const gateway = client(gwlb.gwlb.v20240906.Client, emulator);
    const call = await gateway.DisassociateTargetGroups({ Associations: [{ LoadBalancerId: "gwlb-0a1b2c3d", TargetGroupId: "lbtg-0a1b2c3d" }] });
    await expect(gateway.DescribeTaskStatus({ TaskId: String(call.RequestId) })).resolves.toMatchObject({ Status: 2, LoadBalancerIds: ["gwlb-0a1b2c3d"] });
    clock.advance(1000);
    await expect(gateway.DescribeTaskStatus({ TaskId: String(call.RequestId) })).resolves.toMatchObject({ Status: 0 });
    const registered = await gateway.RegisterTargetGroupInstances({ TargetGroupId: "lbtg-0a1b2c3d", TargetGroupInstances: [{ BindIP: "10.0.0.8", Port: 6081 }] });
    await expect(gateway.DescribeTaskStatus({ TaskId: String(registered.RequestId) })).resolves.toMatchObject({ Status: 2 });
    expect((await failure(gateway.DescribeTaskStatus({}))).code).toBe("MissingParameter");
    expect((await failure(gateway.DescribeTaskStatus({ TaskId: "nothing" }))).code).toBe("InvalidParameter");
  });

  it("CDN PurgeUrlsCache, PurgePathCache and PushUrlsCache: a TaskId with one record per URL", async () => {
    const content = client(cdn.cdn.v20180606.Client, emulator);
    const urls = await content.PurgeUrlsCache({ Urls: ["https://www.example.com/a.js", "https://www.example.com/b.js"] });
    const paths = await content.PurgePathCache({ Paths: ["https://www.example.com/static/"], FlushType: "flush" });
    const purges = async (TaskId: string) => (await content.DescribePurgeTasks({ TaskId })).PurgeLogs?.map((log) => [log.Url, log.PurgeType, log.Status]);
    await expect(purges(String(urls.TaskId))).resolves.toEqual([["https://www.example.com/a.js", "url", "process"], ["https://www.example.com/b.js", "url", "process"]]);
    clock.advance(1000);
    await expect(purges(String(paths.TaskId))).resolves.toEqual([["https://www.example.com/static/", "path", "done"]]);
    const pushed = await content.PushUrlsCache({ Urls: ["https://www.example.com/c.js"], Area: "global" });
    await expect(content.DescribePushTasks({ TaskId: String(pushed.TaskId) })).resolves.toMatchObject({ TotalCount: 1, PushLogs: [{ Status: "process", Percent: 0 }] });
    // Purge and push records are apart.
    await expect(content.DescribePushTasks({ TaskId: String(urls.TaskId) })).resolves.toMatchObject({ TotalCount: 0 });
    expect((await failure(content.DescribePurgeTasks({}))).code).toBe("MissingParameter");
    await expect(content.DescribePurgeTasks({ TaskId: String(urls.TaskId), PurgeType: "path" })).resolves.toMatchObject({ TotalCount: 0 });
    // A task of the control API is a URL purge of a sample URL.
    const { taskId } = await emulator.createTask({ service: "cdn-purge" });
    await expect(content.DescribePurgeTasks({ TaskId: taskId, PurgeType: "url" })).resolves.toMatchObject({ TotalCount: 1, PurgeLogs: [{ Url: expect.stringMatching(/^https:\/\//) }] });
  });

  it("EdgeOne CreatePurgeTask and CreatePrefetchTask: a JobId with one task per target, found by the job-id filter", async () => {
    const edge = client(teo.teo.v20220901.Client, emulator);
    const purge = await edge.CreatePurgeTask({ ZoneId: "zone-0a1b2c3d", Type: "purge_url", Targets: ["https://www.example.com/a.js"] });
    expect(purge).toMatchObject({ JobId: expect.stringMatching(/^[0-9a-z]{14}$/), FailedList: [] });
    const byJob = (JobId: string) => ({ ZoneId: "zone-0a1b2c3d", Filters: [{ Name: "job-id", Values: [JobId] }] });
    await expect(edge.DescribePurgeTasks(byJob(String(purge.JobId)))).resolves.toMatchObject({ TotalCount: 1, Tasks: [{ Target: "https://www.example.com/a.js", Type: "purge_url", Status: "processing" }] });
    const prefetch = await edge.CreatePrefetchTask({ ZoneId: "zone-0a1b2c3d", Targets: ["https://www.example.com/b.js"] });
    clock.advance(1000);
    await expect(edge.DescribePrefetchTasks(byJob(String(prefetch.JobId)))).resolves.toMatchObject({ TotalCount: 1, Tasks: [{ Status: "success" }] });
    await expect(edge.DescribePrefetchTasks(byJob(String(purge.JobId)))).resolves.toMatchObject({ TotalCount: 0 });
  });

  it("SSL DeployCertificateInstance and UpdateCertificateInstance: a DeployRecordId whose record counts its entries by status", async () => {
    const certificates = client(ssl.ssl.v20191205.Client, emulator);
    const deployed = await certificates.DeployCertificateInstance({ CertificateId: "cert-0a1b2c3d", InstanceIdList: ["lb-00000001|lbl-00000001", "lb-00000002|lbl-00000002"], ResourceType: "clb" });
    expect(deployed).toMatchObject({ DeployRecordId: expect.any(Number), DeployStatus: 1 });
    const record = () => certificates.DescribeHostDeployRecordDetail({ DeployRecordId: String(deployed.DeployRecordId) });
    await expect(record()).resolves.toMatchObject({ TotalCount: 2, PendingTotalCount: 2, RunningTotalCount: 0, DeployRecordDetailList: [{ InstanceId: "lb-00000001", Status: 0 }, { InstanceId: "lb-00000002", Status: 0 }] });
    clock.advance(1000);
    await expect(record()).resolves.toMatchObject({ TotalCount: 2, SuccessTotalCount: 2, FailedTotalCount: 0 });
    const updated = await certificates.UpdateCertificateInstance({ OldCertificateId: "cert-00000001", CertificateId: "cert-00000002", ResourceTypes: ["clb", "cdn"] });
    await expect(certificates.DescribeHostUpdateRecordDetail({ DeployRecordId: String(updated.DeployRecordId) })).resolves.toMatchObject({
      TotalCount: 2,
      PendingTotalCount: 2,
      RecordDetailList: [{ ResourceType: "clb", List: [{ Status: 0 }] }, { ResourceType: "cdn", List: [{ Status: 0 }] }],
    });
    // Deployment and update records are apart.
    expect((await failure(certificates.DescribeHostUpdateRecordDetail({ DeployRecordId: String(deployed.DeployRecordId) }))).code).toBe("FailedOperation.CertificateDeployNotExist");
  });

  it("TDSQL-C CreateAccounts answers a TaskId polled with DescribeTasks and a TaskId filter; OpenSSL answers a TaskId and a FlowId", async () => {
    const tdsql = client(cynosdb.cynosdb.v20190107.Client, emulator);
    const { TaskId } = await tdsql.CreateAccounts({ ClusterId: "cynosdbmysql-0a1b2c3d", Accounts: [{ AccountName: "app", AccountPassword: "not-a-secret-1", Host: "%" }] });
    const byTaskId = (id: number) => tdsql.DescribeTasks({ Filters: [{ Names: ["TaskId"], Values: [String(id)], ExactMatch: true }] });
    await expect(byTaskId(Number(TaskId))).resolves.toMatchObject({ TotalCount: 1, TaskList: [{ ID: TaskId, ClusterId: "cynosdbmysql-0a1b2c3d", TaskType: "CreateAccounts", Status: "running" }] });
    clock.advance(1000);
    await expect(byTaskId(Number(TaskId))).resolves.toMatchObject({ TaskList: [{ Status: "success" }] });
    const ssl = await tdsql.OpenSSL({ ClusterId: "cynosdbmysql-0a1b2c3d", InstanceId: "cynosdbmysql-ins-0a1b2c3d" });
    expect(ssl.TaskId).not.toBe(ssl.FlowId);
    await expect(byTaskId(Number(ssl.TaskId))).resolves.toMatchObject({ TaskList: [{ Status: "running" }] });
    await expect(tdsql.DescribeFlow({ FlowId: Number(ssl.FlowId) })).resolves.toMatchObject({ Status: 2 });
    await expect(byTaskId(Number(ssl.FlowId))).resolves.toMatchObject({ TotalCount: 0 });
  });
});

describe("scripted answers", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterEach(() => emulator.reset());
  afterAll(() => emulator.close());

  const describeDisks = (body: object, service = "cbs") => sendRaw(emulator, { action: "DescribeDisks", version: "2017-03-12", region: REGION, body: JSON.stringify(body), service });

  it("answer in turn, the last one repeated, only requests that match; a RequestId is added", async () => {
    await emulator.addScript({ action: "DescribeDisks", product: "cbs", version: "2017-03-12", match: { DiskIds: ["disk-1"] }, responses: [{ State: "A" }, { State: "B" }] });
    const states = [];
    for (let i = 0; i < 3; i++) states.push((await describeDisks({ DiskIds: ["disk-1"] })).Response);
    expect(states.map((r) => r.State)).toEqual(["A", "B", "B"]);
    for (const answer of states) expect(answer.RequestId).toMatch(UUID);
    expect((await describeDisks({ DiskIds: ["disk-2"] })).Response.Error).toMatchObject({ Code: "InvalidAction" });
    expect((await describeDisks({ DiskIds: ["disk-1"] }, "cvm")).Response.Error).toMatchObject({ Code: "InvalidAction" });
    await expect(emulator.listScripts()).resolves.toEqual([expect.objectContaining({ id: expect.any(Number), action: "DescribeDisks", answered: 3 })]);
    expect((await emulator.stats()).actions.DescribeDisks).toMatchObject({ received: 5, ok: 3 });
  });

  it("can answer an API error, and go before a served action", async () => {
    await emulator.addScript({ action: "DescribeFlowStatus", responses: [{ Error: { Code: "InternalError", Message: "scripted" } }, { Status: 0 }] });
    const body = JSON.stringify({ FlowId: 5 });
    const call = () => sendRaw(emulator, { action: "DescribeFlowStatus", version: "2018-03-28", region: REGION, body, service: "sqlserver" });
    expect((await call()).Response.Error).toMatchObject({ Code: "InternalError", Message: "scripted" });
    expect((await call()).Response).toMatchObject({ Status: 0 });
    await emulator.clearScripts();
    expect((await call()).Response.Error).toMatchObject({ Code: "ResourceNotFound" });
  });

  it.each([
    ["`action` is required", { responses: [{}] }],
    ["`responses` must be an array of 1 to 1000", { action: "DescribeDisks", responses: [] }],
    ["`responses` must be an array of 1 to 1000", { action: "DescribeDisks", responses: Array.from({ length: 1001 }, () => ({})) }],
    ["`responses`", { action: "DescribeDisks", responses: [1] }],
    ["`version`", { action: "DescribeDisks", version: "v1", responses: [{}] }],
    ["`match`", { action: "DescribeDisks", match: [], responses: [{}] }],
    ["Unknown field `when`", { action: "DescribeDisks", responses: [{}], when: 1 }],
  ])("refuses a script naming %s", async (named, spec) => {
    const response = await fetch(`${emulator.url}/_emulator/scripts`, { method: "POST", body: JSON.stringify(spec) });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.stringContaining(named) });
  });
});

describe("limits", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterEach(() => emulator.reset());
  afterAll(() => emulator.close());

  /** Streams `megabytes` of body, chunked or with a Content-Length, and reads the answer. */
  function post(path: string, megabytes: number, chunked: boolean): Promise<{ status?: number; body?: string; error?: string }> {
    return new Promise((resolve) => {
      const url = new URL(path, emulator.url);
      const total = megabytes * 1024 * 1024;
      const headers = { "x-tc-action": "DescribeTaskStatus", ...(chunked ? {} : { "content-length": String(total) }) };
      const req = httpRequest(url, { method: "POST", headers }, (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode, body }));
      });
      req.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code }));
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let sent = 0;
      const pump = () => {
        while (sent < total) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        req.end();
      };
      pump();
    });
  }

  it.each([true, false])("answers HTTP 413 past 1 MB without reading the rest (chunked: %s)", async (chunked) => {
    const rssBefore = process.memoryUsage().rss;
    const answer = await post("/", 64, chunked);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body ?? "{}")).toMatchObject({ Response: { Error: { Code: "RequestSizeLimitExceeded" } } });
    // The emulator runs in this process: 64 MB sent must not have been kept.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(48 * 1024 * 1024);
    expect((await emulator.stats()).actions.DescribeTaskStatus).toMatchObject({ received: 1, rejected: 1 });
    expect(MAX_API_BODY_BYTES).toBe(1024 * 1024);
  });

  it("lets the control API take bigger bodies, up to its own limit", async () => {
    const responses = Array.from({ length: 1000 }, () => ({ Padding: "x".repeat(1500) }));
    await expect(emulator.addScript({ action: "DescribeDisks", responses })).resolves.toMatchObject({ id: expect.any(Number) });
    expect((await post("/_emulator/scripts", 32, true)).status).toBe(413);
  });

  it.each([
    ["tasks", { service: "clb", durationMs: 1e16 }, "`durationMs` must be a number from 0 to 2592000000"],
    ["tasks", { service: "clb", durationMs: -1 }, "`durationMs`"],
    ["tasks", { service: "sqlserver", taskId: "x" }, "`taskId` can be given only"],
    ["faults", { kind: "stall", delayMs: 3e9 }, "`delayMs` must be a number from 0 to 3600000"],
    ["faults", { kind: "InternalError", count: 0.5 }, "`count` must be an integer from 1"],
    ["faults", { kind: "InternalError", durationMs: Infinity }, "`durationMs`"],
  ])("POST %s %j: 400 naming %s, and the emulator keeps working", async (route, spec, named) => {
    const response = await fetch(`${emulator.url}/_emulator/${route}`, { method: "POST", body: JSON.stringify(spec).replace("null", "1e999") });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.stringContaining(named) });
    await expect(emulator.listTasks()).resolves.toEqual([]);
  });

  it("refuses options out of range at start", async () => {
    await expect(startEmulator({ taskDefaults: { durationMs: 1e16 } })).rejects.toThrow(/taskDefaults.durationMs must be a number from 0 to/);
    await expect(startEmulator({ rateLimit: 0 })).rejects.toThrow(/rateLimit/);
    expect(LIMITS.scriptResponses).toEqual({ min: 1, max: 1000, integer: true });
  });

  it("counts actions it neither serves nor scripts under one key, (unknown)", async () => {
    for (let i = 0; i < 50; i++) await sendRaw(emulator, { action: `Junk${i}`, version: "2017-03-12", body: "{}" });
    await sendRaw(emulator, { action: "DescribeTaskStatus", version: "2018-03-17", region: REGION, body: JSON.stringify({ TaskId: "x" }) });
    const { actions } = await emulator.stats();
    expect(Object.keys(actions).sort()).toEqual(["(unknown)", "DescribeTaskStatus"]);
    expect(actions["(unknown)"]).toMatchObject({ received: 50, rejected: 50 });
    expect(new Set((await emulator.requests()).map((r) => r.action))).toEqual(new Set(["(unknown)", "DescribeTaskStatus"]));
  });
});
