import { inspect } from "node:util";
import { DEFAULT_CREDENTIAL, startEmulator, type RunningEmulator } from "../../emulator";
import { TaskApiError, TaskFailedError, TaskInputError } from "../../provider/errors";
import { formatProgress, type ProgressEvent } from "../../provider/progress";
import { parseWaitOptions, runWait, type WaitOptions } from "../../provider/wait";
import { freshRuntime, waitOn } from "../support/emulator";
import { answer, redirect } from "../support/hostileServer";
import { expectNoSecrets } from "../support/secrets";
import { command, credentials, fragmentsOf, other, region, secretKey, server, surfacesOf, taskId, token, useHostileServers, wait } from "./setup";

/** Secrets: no key or token leaves a wait, on any surface, whatever the server echoes. */
useHostileServers();

describe("shared status calls identify the whole credential", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ credentials: [DEFAULT_CREDENTIAL, { secretId: "AKIDTOKEN000000000000000000000000001", secretKey: "token-key-00000000000001", token }] });
  });
  afterEach(() => emulator.reset());
  afterAll(() => emulator.close());

  test("waits with the same SecretId but another key or token never share an answer", async () => {
    const { taskId: id } = await emulator.createTask({ service: "clb", durationMs: 1500, region });
    const runtime = freshRuntime();
    const base = { service: "clb", taskId: id, region, endpoint: emulator.url } as WaitOptions;
    const [good, wrongKey, bogusToken] = await Promise.allSettled([
      waitOn(runtime, { ...base, credentials: DEFAULT_CREDENTIAL }),
      waitOn(runtime, { ...base, credentials: { ...DEFAULT_CREDENTIAL, secretKey: "wrong-key-000000000000000000" } }),
      waitOn(runtime, { ...base, credentials: { ...DEFAULT_CREDENTIAL, token: "bogus-token-0000000000" } }),
    ]);
    expect(good).toMatchObject({ status: "fulfilled", value: { status: "succeeded" } });
    expect(wrongKey).toMatchObject({ status: "rejected", reason: { code: "AuthFailure.SignatureFailure" } });
    expect(bogusToken).toMatchObject({ status: "rejected", reason: { code: "AuthFailure.TokenFailure" } });
  });

  test("a correct wait never joins a call made with a wrong key", async () => {
    const { taskId: id } = await emulator.createTask({ service: "clb", durationMs: 0, region });
    const runtime = freshRuntime();
    const base = { service: "clb", taskId: id, region, endpoint: emulator.url } as WaitOptions;
    const wrong = waitOn(runtime, { ...base, credentials: { ...DEFAULT_CREDENTIAL, secretKey: "wrong-key-000000000000000000" } }).catch((e) => e);
    const right = waitOn(runtime, { ...base, credentials: DEFAULT_CREDENTIAL });
    await expect(right).resolves.toMatchObject({ status: "succeeded" });
    expect(await wrong).toMatchObject({ code: "AuthFailure.SignatureFailure" });
    expect((await emulator.stats()).actions.DescribeTaskStatus.received).toBe(2);
  });
});

describe("no secret leaves the waiter, on any surface", () => {
  const secrets = [secretKey, token];

  function everySurface(error: unknown, lines: string[], result?: unknown): Record<string, unknown> {
    return {
      result,
      error,
      stack: (error as Error | undefined)?.stack,
      json: JSON.stringify(error),
      inspected: inspect(error, { depth: 10 }),
      lines,
    };
  }

  test("a secret planted in every answer field, in a pending and then a failed answer", async () => {
    const echo = (s: string) => `echo ${s} ${s.slice(0, 10)}`;
    const planted = {
      Status: 2,
      Message: echo(secretKey),
      LoadBalancerIds: [secretKey, `lb-${token}`],
      RequestId: `req-${token}`,
    };
    server.script(answer(planted), answer({ ...planted, Status: 1 }));
    const lines: string[] = [];
    const events: ProgressEvent[] = [];
    const error = await wait({ credentials: { ...credentials, token }, onProgress: (e: ProgressEvent) => (events.push(e), lines.push(formatProgress(e))) }).catch((e) => e);
    expect(error).toBeInstanceOf(TaskFailedError);
    expectNoSecrets({ ...everySurface(error, lines, error.result), events }, secrets);
  });

  test("a secret in Redis's instance, task type and start time", async () => {
    server.script(answer({ Status: "failed", InstanceId: `crs-${secretKey}`, TaskType: token, StartTime: secretKey, TaskMessage: `${token}!` }));
    const error = await wait({ service: "redis", taskId: 18215, credentials: { ...credentials, token } } as Partial<WaitOptions>).catch((e) => e);
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(error.result).toMatchObject({ instanceId: "crs-***", taskType: "***" });
    expectNoSecrets(everySurface(error, [], error.result), secrets);
  });

  test("the command's stdout (--json) and stderr, with secrets in every answer field and the token in the environment", async () => {
    server.script(
      answer({ Status: 2, Message: secretKey, LoadBalancerIds: [token] }),
      answer({ Status: 1, Message: `${secretKey} ${token}`, LoadBalancerIds: [secretKey], RequestId: token }),
    );
    const { code, stdout, stderr } = await command(["clb", taskId, "--region", region, "--endpoint", server.url, "--json"], { TENCENTCLOUD_SECURITY_TOKEN: token });
    expect(code).toBe(1);
    expect(JSON.parse(stdout)[0]).toMatchObject({ status: "failed", message: "*** ***" });
    expectNoSecrets({ stdout, stderr }, secrets);
  });

  test("a secret as an API error code, message and RequestId", async () => {
    server.script(answer({ Error: { Code: "AuthFailure.SignatureFailure", Message: `bad key ${secretKey}` }, RequestId: token }));
    const error = await wait({ credentials: { ...credentials, token } }).catch((e) => e);
    expect(error).toBeInstanceOf(TaskApiError);
    expectNoSecrets(everySurface(error, []), secrets);
  });

  test("a secret straddling the 2,000-character cut leaves none of its characters", async () => {
    server.script(answer({ Status: 1, Message: `${"x".repeat(1995)}${secretKey}` }));
    const error = await wait().catch((e) => e);
    expect(error.result.message).toContain("x***");
    for (const text of [error.result.message, error.message]) expect(text).not.toContain(secretKey.slice(0, 5));
  });

  test("a rotated token, used only by a later call, is scrubbed too", async () => {
    const tokens = ["first-token-000000000000000001", "second-token-00000000000000002"];
    let calls = 0;
    const rotating = { getCredential: async () => ({ ...credentials, token: tokens[Math.min(calls++, 1)] }) };
    // The server echoes the token it was sent.
    server.script((req, res) => answer({ Status: 2, Message: `token ${req.headers["x-tc-token"]}` })(req, res, ""), (req, res) =>
      answer({ Status: 1, Message: `token ${req.headers["x-tc-token"]}` })(req, res, ""),
    );
    const lines: string[] = [];
    const error = await wait({ credentials: rotating as never, onProgress: (e: ProgressEvent) => lines.push(formatProgress(e)) }).catch((e) => e);
    expect(error).toBeInstanceOf(TaskFailedError);
    expectNoSecrets(everySurface(error, lines, error.result), tokens);
  });

  test("inputs echoed in errors: a key pasted as dealName, user info in an endpoint", async () => {
    for (const options of [{ taskId: undefined, dealName: `${secretKey} ` }, { endpoint: `https://user:${secretKey}@clb.tencentcloudapi.com` }]) {
      const error = await wait(options as Partial<WaitOptions>).catch((e) => e);
      expect(error).toBeInstanceOf(TaskInputError);
      expectNoSecrets(everySurface(error, []), secrets);
    }
  });
});

describe("secrets are scrubbed before anything is cut", () => {
  test("an invalid Error.Code holding a key: no part of the key in the UnexpectedAnswer error", async () => {
    server.script(answer({ Error: { Code: `${"A".repeat(60)} ${secretKey}`, Message: "x" } }));
    const error = await wait().catch((e) => e);
    expect(error).toMatchObject({ code: "UnexpectedAnswer" });
    expectNoSecrets(surfacesOf(error), fragmentsOf(secretKey));
  });

  test("a redirect whose Location holds a key past the first 200 characters", async () => {
    server.script(redirect(`${other.url}/${"x".repeat(160)}${secretKey}`));
    const error = await wait().catch((e) => e);
    expect(error).toMatchObject({ code: "RedirectRefused" });
    expectNoSecrets(surfacesOf(error), fragmentsOf(secretKey));
  });

  test("a malformed dealName or taskId holding a key: no part of it in TaskInputError", async () => {
    for (const options of [{ taskId: undefined, dealName: `${"a".repeat(60)} ${secretKey}` }, { taskId: `${"a".repeat(60)} ${secretKey}` }]) {
      const error = await wait(options as Partial<WaitOptions>).catch((e) => e);
      expect(error).toBeInstanceOf(TaskInputError);
      expectNoSecrets(surfacesOf(error), fragmentsOf(secretKey));
    }
  });

  test("the command's usage errors are scrubbed against the keys in its environment", async () => {
    for (const args of [["clb", `${"a".repeat(60)} ${secretKey}`, "--region", region], ["clb", taskId, `--x${secretKey}`]]) {
      const { code, stderr } = await command(args);
      expect(code).toBe(64);
      expectNoSecrets({ stderr }, fragmentsOf(secretKey));
    }
  });

  test("a key pasted as dealName, from a credential source that gives it only when asked: scrubbed from events, lines and errors", async () => {
    server.script(answer({ Status: 2 }), answer({ Status: 1, Message: "listener port in use" }));
    const source = { getCredential: async () => credentials };
    const events: ProgressEvent[] = [];
    const lines: string[] = [];
    const error = await wait({ taskId: undefined, dealName: secretKey, credentials: source as never, onProgress: (e: ProgressEvent) => (events.push(e), lines.push(formatProgress(e))) } as Partial<WaitOptions>).catch((e) => e);
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(events.map((e) => e.kind)).toEqual(["started", "status", "finished"]);
    expectNoSecrets(surfacesOf(error, { events, lines, result: error.result }), [secretKey]);
  });
});

describe("secrets quoted back by STS and by the command's JSON", () => {
  test("STS quoting the base token in a refusal: no part of the token in the credential error", async () => {
    server.script(answer({ Error: { Code: "InvalidParameter", Message: `${"m".repeat(270)} token ${token}` } }));
    const options = { service: "clb", taskId, region, endpoint: other.url, credentials: { ...credentials, token }, assumeRole: { roleArn: "qcs::cam::uin/200000000002:roleName/deployer" } };
    const { spec, run } = await parseWaitOptions(options as WaitOptions, { TENCENTCLOUD_STS_ENDPOINT: server.url });
    const error = await runWait(spec, run, freshRuntime()).catch((e) => e);
    expect(error).toMatchObject({ code: "AssumeRoleFailed" });
    expect(other.requests).toHaveLength(0);
    expectNoSecrets(surfacesOf(error), fragmentsOf(token));
  });

  test("the command's JSON for a task that ended in an error never echoes a key pasted as its id", async () => {
    server.script(answer({ Error: { Code: "InvalidParameter", Message: "unknown task" } }));
    const { code, stdout, stderr } = await command(["clb", secretKey, "--region", region, "--endpoint", server.url, "--json"]);
    expect(code).toBe(3);
    expect(JSON.parse(stdout)[0]).toMatchObject({ status: "error", code: "InvalidParameter" });
    expectNoSecrets({ stdout, stderr }, fragmentsOf(secretKey));
  });
});
