import { tmpdir } from "node:os";
import { TaskApiError } from "../../provider/errors";
import { type WaitOptions } from "../../provider/wait";
import { answer, raw } from "../support/hostileServer";
import { freshRuntime, waitOn } from "../support/emulator";
import { credentials, expectEnded, measured, other, region, secretKey, server, taskId, useHostileServers, wait } from "./setup";

/** Answers: wrong types, malformed errors, oversized values, statuses read by each wait's own rule. */
useHostileServers();

describe("malformed error objects are unexpected answers that name the task", () => {
  test.each([
    ["a number as Error.Code", { Error: { Code: 42, Message: "x" } }],
    ["a string as Error", { Error: "denied" }],
    ["an empty Error object", { Error: {} }],
    ["a code with spaces", { Error: { Code: "Auth Failure", Message: "x" } }],
  ])("%s", async (_name, response) => {
    server.script(answer(response));
    const error = await wait().catch((e) => e);
    expect(error).toBeInstanceOf(TaskApiError);
    expect(error.code).toBe("UnexpectedAnswer");
    expect(error.message).toContain(`clb task ${taskId}`);
    expect(server.requests).toHaveLength(1);
  });

  test.each([
    ["Response null", raw(200, '{"Response":null}')],
    ["no Response", raw(200, '{"error":"bad gateway"}')],
    ["a JSON array", raw(200, "[1,2,3]")],
  ])("%s: an unexpected answer, not a success", async (_name, hostile) => {
    server.script(hostile);
    const error = await wait().catch((e) => e);
    expect(error).toMatchObject({ code: "UnexpectedAnswer" });
  });
});

describe("answers are bounded", () => {
  test("a 5 MB load balancer id and a thousand of them are cut before they reach results and state", async () => {
    server.script(answer({ Status: 0, LoadBalancerIds: [`lb-${"x".repeat(5_000_000)}`, ...Array.from({ length: 1000 }, (_, i) => `lb-${i}`)] }));
    const result = await wait();
    expect(result.loadBalancerIds!.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(result).length).toBeLessThan(5000);
  });
});

describe("answers nested deeper than any API answer", () => {
  /** A CLB answer whose Status is fine, with an extra field nested `depth` levels. */
  const nested = (depth: number) => raw(200, `{"Response":{"RequestId":"r-1","Status":0,"Extra":${"[".repeat(depth)}${"]".repeat(depth)}}}`);

  test("10,000 levels: UnexpectedAnswer saying so, not a stack overflow; at once, in the command too", async () => {
    server.script(nested(10_000));
    const error = await wait().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "UnexpectedAnswer", message: expect.stringContaining("answered JSON nested deeper than 64 levels") });
    expect((error as Error).message).not.toContain("RangeError");

    server.requests.length = 0;
    const env = { HOME: tmpdir(), TENCENTCLOUD_SECRET_ID: credentials.secretId, TENCENTCLOUD_SECRET_KEY: secretKey };
    const result = await measured(["clb", taskId, "--region", region, "--endpoint", server.url, "--timeout", "4s"], env, 8000);
    expectEnded(result, 3, "UnexpectedAnswer: DescribeTaskStatus answered JSON nested deeper than 64 levels", 5000);
    expect(server.requests).toHaveLength(1);
    expect(other.requests).toHaveLength(0);
  });

  test("60 levels (with brackets inside strings, which do not count) are read as usual", async () => {
    server.script(raw(200, `{"Response":{"RequestId":"r-1","Status":0,"Note":"[[[{{{\\"","Extra":${"[".repeat(60)}${"]".repeat(60)}}}`));
    await expect(wait()).resolves.toMatchObject({ status: "succeeded" });
  });
});

describe("answers of instance products", () => {
  test("a CVM instance that reports no operation yet (LatestOperationState null) is pending, not an unexpected answer", async () => {
    const instance = (state: string | null, request: string | null) => answer({ TotalCount: 1, InstanceSet: [{ InstanceId: "ins-0a1b2c3d", LatestOperationState: state, LatestOperationRequestId: request }] });
    server.script(instance(null, null), instance("SUCCESS", taskId));
    const result = await wait({ service: "cvm", instanceId: "ins-0a1b2c3d" } as Partial<WaitOptions>);
    expect(result).toMatchObject({ status: "succeeded", attempts: 2 });
  });
});

describe("waits that share one answer each read it by their own rule", () => {
  /** An instance whose own state is fine while its latest operation failed: two rules, two verdicts. */
  const instance = answer({ InstanceSet: [{ InstanceId: "ins-0a1b2c3d", InstanceState: "RUNNING", LatestOperationState: "FAILED", LatestOperationErrorMsg: "disk busy" }] });
  const custom = {
    service: "custom",
    product: "cvm",
    version: "2017-03-12",
    action: "DescribeInstances",
    request: { InstanceIds: ["ins-0a1b2c3d"] },
    region,
    endpoint: "",
    credentials,
    failOnTaskFailure: false,
    timeoutSeconds: 10,
  };
  const onState = { ...custom, statusPath: "InstanceSet[0].InstanceState", pendingStatuses: ["PENDING"], successStatuses: ["RUNNING"], failureStatuses: ["LAUNCH_FAILED"] };
  const onOperation = {
    ...custom,
    statusPath: "InstanceSet[0].LatestOperationState",
    pendingStatuses: ["OPERATING"],
    successStatuses: ["SUCCESS"],
    failureStatuses: ["FAILED"],
    messagePath: "InstanceSet[0].LatestOperationErrorMsg",
  };

  test.each([
    ["the instance's state first", [onState, onOperation], 1],
    ["the operation's state first", [onOperation, onState], 0],
  ])("two custom waits on one request, %s: each gets its own verdict, from one shared call", async (_name, order, operationAt) => {
    server.script(instance);
    const runtime = freshRuntime();
    const results = await Promise.all(order.map((options) => waitOn(runtime, { ...options, endpoint: server.url } as unknown as WaitOptions)));
    const operation = results[operationAt];
    const state = results[1 - operationAt];
    expect(state).toMatchObject({ status: "succeeded", rawStatus: "RUNNING" });
    expect(state.message).toBeUndefined();
    expect(operation).toMatchObject({ status: "failed", rawStatus: "FAILED", message: "disk busy" });
    expect(server.requests).toHaveLength(1);
  });

  test("the same status path with another messagePath: each wait reads its own message", async () => {
    server.script(answer({ InstanceSet: [{ InstanceState: "LAUNCH_FAILED", Reason: "quota", LatestOperationErrorMsg: "other" }] }));
    const runtime = freshRuntime();
    const [a, b] = await Promise.all(
      ["InstanceSet[0].Reason", "InstanceSet[0].LatestOperationErrorMsg"].map((messagePath) => waitOn(runtime, { ...onState, messagePath, endpoint: server.url } as unknown as WaitOptions)),
    );
    expect([a.message, b.message]).toEqual(["quota", "other"]);
  });

  test("CVM waits on one instance with different RequestIds: the other operation's success is never ours", async () => {
    const ours = "3a1f2a64-6b2c-4b1e-9d1f-1c5e8b0c7a3d";
    server.script(answer({ TotalCount: 1, InstanceSet: [{ InstanceId: "ins-0a1b2c3d", LatestOperationState: "SUCCESS", LatestOperationRequestId: taskId }] }));
    const runtime = freshRuntime();
    const cvm = (requestId: string) => waitOn(runtime, { service: "cvm", taskId: requestId, instanceId: "ins-0a1b2c3d", region, endpoint: server.url, credentials, timeoutSeconds: 2 } as WaitOptions);
    const [theirs, mine] = await Promise.allSettled([cvm(taskId), cvm(ours)]);
    expect(theirs).toMatchObject({ status: "fulfilled", value: { status: "succeeded", taskId } });
    expect(mine.status).toBe("rejected");
  });
});

describe("status paths that would cost gigabytes", () => {
  const env = { HOME: tmpdir(), TENCENTCLOUD_SECRET_ID: credentials.secretId, TENCENTCLOUD_SECRET_KEY: secretKey };
  const custom = (statusPath: string) => [
    "custom",
    "--product", "cbs", "--version", "2017-03-12", "--action", "DescribeDisks",
    "--status-path", statusPath, "--pending", "ATTACHING", "--success", "ATTACHED",
    "--region", region, "--endpoint", server.url, "--timeout", "4s",
  ];

  test("a width written in the path: a usage error naming --status-path, before any call, in the command", async () => {
    const result = await measured(custom("pad_left(DiskSet[0].DiskState, `500000000`, 'x')"), env, 8000);
    expectEnded(result, 64, "--status-path: pad_left() with a width of 500000000: at most 1048576", 5000);
    expect(server.requests).toHaveLength(0);
  });

  test("a width taken from the answer: UnexpectedAnswer at run time, in the command, under 300 MB", async () => {
    server.script(answer({ DiskSet: [{ DiskState: "ATTACHED" }], Width: 500_000_000 }));
    const result = await measured(custom("pad_left(DiskSet[0].DiskState, Width, 'x')"), env, 8000);
    expectEnded(result, 3, "pad_left() would build 500000000 characters", 5000);
    expect(server.requests).toHaveLength(1);
    expect(other.requests).toHaveLength(0);
  });
});
