import type { Identity } from "../provider/credentials";
import { parseEndpoint, type Endpoint } from "../provider/endpoint";
import { newRuntime } from "../provider/runtime";
import { catalogue, type TaskQuery } from "../provider/services";
import { statusQuery } from "../provider/services/adapter";
import { statusCalls } from "../provider/statusCalls";
import { Secrets } from "../provider/text";
import { answer, startHostileServer, type HostileServer } from "./support/hostileServer";

/**
 * One wait's status calls, without the emulator: a server of the test's own answers, and the
 * module's keys, sharing, classification, renewal and unknown-id grace are read off what it
 * received and what the calls returned.
 */
let server: HostileServer;
let endpoint: Endpoint;
beforeAll(async () => {
  server = await startHostileServer();
  endpoint = parseEndpoint(server.url) as Endpoint;
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const credential = { secretId: "AKIDSTATUSCALLS000000000000000000001", secretKey: "status-calls-secret-key-0000000001" };
const identity = (overrides: Partial<Identity> = {}): Identity => ({ origin: "the test", current: async () => credential, ...overrides });
const clb = (taskId: string): TaskQuery => catalogue.clb.parse({ taskId }, "ap-guangzhou").query!;

function callsFor(query: TaskQuery, options: { identity?: Identity; elapsedMs?: () => number; runtime?: ReturnType<typeof newRuntime>; secrets?: Secrets } = {}) {
  return statusCalls({
    spec: { query, endpoint },
    identity: options.identity ?? identity(),
    secrets: options.secrets ?? Secrets.from([credential.secretKey]),
    runtime: options.runtime ?? newRuntime({ requestTimeoutMs: 2000 }),
    elapsedMs: options.elapsedMs ?? (() => 0),
  });
}

test("one call reads the answer by the wait's rule, with the service's details", async () => {
  server.script(answer({ Status: 0, LoadBalancerIds: ["lb-0a1b2c3d"] }));
  const observation = await callsFor(clb("55c85074-3e7f-4c6d-864f-673660d4f8de")).call(new AbortController().signal);
  expect(observation).toMatchObject({ state: "succeeded", rawStatus: 0, loadBalancerIds: ["lb-0a1b2c3d"] });
  expect(server.requests[0].headers["x-tc-action"]).toBe("DescribeTaskStatus");
  expect(server.requests[0].headers["x-tc-region"]).toBe("ap-guangzhou");
});

test("waits share a call only when they send the very same request: another task id or region is a call of its own", async () => {
  server.script(answer({ Status: 2 }));
  const runtime = newRuntime({ requestTimeoutMs: 2000 });
  const signal = new AbortController().signal;
  const inGuangzhou = catalogue.clb.parse({ taskId: "task-a" }, "ap-guangzhou").query!;
  const inShanghai = catalogue.clb.parse({ taskId: "task-a" }, "ap-shanghai").query!;
  await Promise.all([callsFor(inGuangzhou, { runtime }).call(signal), callsFor(inGuangzhou, { runtime }).call(signal)]);
  expect(server.requests).toHaveLength(1);
  await Promise.all([callsFor(clb("task-b"), { runtime }).call(signal), callsFor(inShanghai, { runtime }).call(signal)]);
  expect(server.requests).toHaveLength(3);
});

test("a failure's reason, code and RequestId are scrubbed of the wait's secrets before anything leaves", async () => {
  const secret = credential.secretKey;
  server.script(answer({ Error: { Code: "InvalidParameter", Message: `no such task; you sent ${secret}` }, RequestId: `r-${secret}` }));
  const calls = callsFor(clb("task-c"));
  const error = await calls.call(new AbortController().signal).catch((e: unknown) => e);
  const failure = calls.classify(error);
  expect(failure).toMatchObject({ retry: false, code: "InvalidParameter" });
  expect(JSON.stringify(failure)).not.toContain(secret);
  expect(failure.reason).toContain("***");
});

test("AuthFailure.TokenFailure is retried once when the identity can renew its token, then final", async () => {
  let renewals = 0;
  const calls = callsFor(clb("task-d"), { identity: identity({ renewAfterTokenFailure: () => ++renewals === 1 }) });
  server.script(answer({ Error: { Code: "AuthFailure.TokenFailure", Message: "expired" } }));
  const error = await calls.call(new AbortController().signal).catch((e: unknown) => e);
  expect(calls.classify(error)).toMatchObject({ retry: true });
  expect(calls.classify(error)).toMatchObject({ retry: false, code: "AuthFailure.TokenFailure" });
});

describe("an id the API does not know yet", () => {
  const query = (): TaskQuery => {
    const base = clb("task-e");
    return { ...statusQuery({ ...base, rule: { status: "Status", pending: [2], success: [0], failure: [1] } }), unknownId: { codes: ["InvalidParameter.TaskNotFound"], graceSeconds: 10 } };
  };
  const notFound = answer({ Error: { Code: "InvalidParameter.TaskNotFound", Message: "no such task" } });

  test("within the grace: retried as read-after-write lag; after it: TaskNotFound saying the id was never seen", async () => {
    let elapsed = 0;
    const calls = callsFor(query(), { elapsedMs: () => elapsed });
    server.script(notFound);
    const first = await calls.call(new AbortController().signal).catch((e: unknown) => e);
    expect(calls.classify(first)).toMatchObject({ retry: true, reason: expect.stringContaining("retrying for up to 10s") });
    elapsed = 10_000;
    const late = calls.classify(await calls.call(new AbortController().signal).catch((e: unknown) => e));
    expect(late).toMatchObject({ retry: false, code: "TaskNotFound", reason: expect.stringContaining("was never seen") });
  });

  test("an id that was seen and then vanishes is not lag: final at once, saying so", async () => {
    const calls = callsFor(query(), { elapsedMs: () => 0 });
    server.script(answer({ Status: 2 }), notFound);
    await calls.call(new AbortController().signal);
    const vanished = calls.classify(await calls.call(new AbortController().signal).catch((e: unknown) => e));
    expect(vanished).toMatchObject({ retry: false, code: "TaskNotFound", reason: expect.stringContaining("was seen, then DescribeTaskStatus no longer knew it") });
  });

  test("a service without a grace: not-found is final at once, with the API's own code", async () => {
    const calls = callsFor(clb("task-f"));
    server.script(notFound);
    expect(calls.classify(await calls.call(new AbortController().signal).catch((e: unknown) => e))).toMatchObject({ retry: false, code: "InvalidParameter.TaskNotFound" });
  });
});
