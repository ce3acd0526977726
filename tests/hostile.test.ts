import { spawn } from "node:child_process";
import { once } from "node:events";
import { getEventListeners } from "node:events";
import { createServer } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { DEFAULT_CREDENTIAL, startEmulator, type RunningEmulator } from "../emulator";
import { taskCompletionProvider as provider } from "../provider/dynamicProvider";
import { TaskAbortedError, TaskApiError, TaskCallbackError, TaskCredentialError, TaskError, TaskFailedError, TaskInputError, TaskTimeoutError } from "../provider/errors";
import { formatProgress, type ProgressEvent } from "../provider/progress";
import { parseWaitOptions, runWait, waitForTask, type WaitOptions } from "../provider/wait";
import { TaskCompletion } from "../sdk";
import { runProgram } from "./harness/program";
import { ProviderHost } from "./harness/providerHost";
import { freshRuntime, waitOn } from "./support/emulator";
import { answer, corruptGzip, cutAfterHeaders, makeCertificates, raw, redirect, resetMidBody, startHostileServer, startTlsProxy, type Handler, type HostileServer } from "./support/hostileServer";
import { expectNoSecrets } from "./support/secrets";

/**
 * Every promise of the README against servers, answers and callers that the project's own
 * emulator never produces: a server of the test's own cuts bodies, resets, redirects, answers
 * wrong types and echoes secrets; callers throw, paste secrets with newlines, close pipes.
 */
const CLI = join(__dirname, "../dist/sdk/cli.js");
const region = "ap-guangzhou";
const taskId = "55c85074-3e7f-4c6d-864f-673660d4f8de";
const secretKey = "Q9zK7-hostile-secret-key-00000000000001";
const token = "hostile-session-token-00000000000000000002";
const credentials = { secretId: "AKIDHOSTILE0000000000000000000000001", secretKey };

let server: HostileServer;
let other: HostileServer;
beforeAll(async () => {
  [server, other] = await Promise.all([startHostileServer(), startHostileServer()]);
});
afterAll(async () => {
  await Promise.all([server.close(), other.close()]);
});
beforeEach(() => {
  server.requests.length = 0;
  other.requests.length = 0;
});

/** The command against the hostile server, with the test's credentials in its environment; stdout and stderr collected. */
async function command(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH, HOME: tmpdir(), TENCENTCLOUD_SECRET_ID: credentials.secretId, TENCENTCLOUD_SECRET_KEY: secretKey, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  const [code] = await once(child, "close");
  return { code: code as number, stdout, stderr };
}

/** A CLB wait against the hostile server, on a runtime of its own (no shared answers, no shared budget). */
function wait(options: Partial<WaitOptions> = {}) {
  return waitOn(freshRuntime({ requestTimeoutMs: 1000 }), { service: "clb", taskId, region, endpoint: server.url, credentials, timeoutSeconds: 10, ...options } as WaitOptions);
}

describe("1. transport and body errors are transient, never the API's error", () => {
  test.each([
    ["the connection dropped after the headers", cutAfterHeaders],
    ["a reset in the middle of the body", resetMidBody],
    ["a corrupt gzip body", corruptGzip],
    ["HTTP 502 with an HTML body", raw(502, "<html>Bad Gateway</html>", { "content-type": "text/html" })],
    ["a body that is not JSON", raw(200, "<html>captive portal</html>")],
  ])("%s: retried, and the task's true outcome is reported", async (_name, hostile) => {
    server.script(hostile, hostile, answer({ Status: 0 }));
    const result = await wait();
    expect(result).toMatchObject({ status: "succeeded", attempts: 3 });
    expect(server.requests).toHaveLength(3);
  });

  test("after the last call, nothing keeps the process alive (no timer, no keep-alive socket)", async () => {
    server.script(answer({ Status: 2 }), answer({ Status: 0 }));
    const script = `
      const { waitForTask } = require(${JSON.stringify(join(__dirname, "../dist/sdk"))});
      waitForTask({ service: "clb", taskId: "${taskId}", region: "${region}", endpoint: "${server.url}", credentials: ${JSON.stringify(credentials)} })
        .then((r) => process.stdout.write(Date.now() + " " + r.status));`;
    const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk));
    const [code] = await once(child, "exit");
    const exitedAt = Date.now();
    expect(code).toBe(0);
    expect(out).toMatch(/^\d+ succeeded$/);
    expect(exitedAt - Number(out.split(" ")[0])).toBeLessThan(500);
  });
});

describe("2. malformed error objects are unexpected answers that name the task", () => {
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

describe("3. a throwing onProgress callback is the caller's failure, never the API's", () => {
  test("an EACCES from a log file stops the wait with TaskCallbackError carrying it", async () => {
    server.script(answer({ Status: 2 }));
    const eacces = Object.assign(new Error("EACCES: permission denied, open '/var/log/deploy.log'"), { code: "EACCES" });
    let calls = 0;
    const error = await wait({
      onProgress: (event: ProgressEvent) => {
        if (event.kind === "status" && ++calls === 2) throw eacces;
      },
    }).catch((e) => e);
    expect(error).toBeInstanceOf(TaskCallbackError);
    expect(error).not.toBeInstanceOf(TaskApiError);
    expect(error.cause).toBe(eacces);
    expect(error.message).toContain("onProgress callback threw (EACCES");
    expect(error.message).toContain("the task was not judged");
    expect(server.requests).toHaveLength(2);
  });

  test("a callback whose promise rejects stops the wait too, with no unhandled rejection", async () => {
    server.script(answer({ Status: 2 }));
    const error = await wait({ onProgress: (async () => Promise.reject(new Error("log service down"))) as unknown as WaitOptions["onProgress"] }).catch((e) => e);
    expect(error).toBeInstanceOf(TaskCallbackError);
    expect(error.message).toContain("log service down");
  });
});

describe("4. redirects are never followed", () => {
  test("a 307 to another host: refused at once, and nothing (no token) reaches the other host", async () => {
    server.script(redirect(`${other.url}/`));
    other.script(answer({ Status: 0 }));
    const error = await wait({ credentials: { ...credentials, token } }).catch((e) => e);
    expect(error).toBeInstanceOf(TaskApiError);
    expect(error.code).toBe("RedirectRefused");
    expect(error.message).toContain(other.url);
    expect(other.requests).toHaveLength(0);
    expect(server.requests).toHaveLength(1);
  });

  test.each([301, 302, 303, 308])("HTTP %d, and a redirect without a Location, are refused too", async (status) => {
    server.script(redirect("http://198.51.100.7/", status));
    await expect(wait()).rejects.toMatchObject({ code: "RedirectRefused" });
    server.script(raw(307, ""));
    await expect(wait()).rejects.toMatchObject({ code: "RedirectRefused", message: expect.stringContaining("without a Location") });
  });
});

describe("5. https endpoints on loopback", () => {
  const certificates = makeCertificates();
  let emulator: RunningEmulator;
  let proxy: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    emulator = await startEmulator();
    proxy = await startTlsProxy(emulator.url, certificates);
  });
  afterAll(async () => {
    await proxy.close();
    await emulator.close();
    certificates.remove();
  });

  function cli(args: string[], env: NodeJS.ProcessEnv) {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH, HOME: certificates.dir, TENCENTCLOUD_SECRET_ID: DEFAULT_CREDENTIAL.secretId, TENCENTCLOUD_SECRET_KEY: DEFAULT_CREDENTIAL.secretKey, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    return once(child, "close").then(([code]) => ({ code: code as number, stderr }));
  }

  test.each([["https://127.0.0.1:PORT"], ["https://localhost:PORT"]])("a TLS proxy in front of the emulator at %s works with its CA in NODE_EXTRA_CA_CERTS", async (form) => {
    const { taskId: id } = await emulator.createTask({ service: "clb", durationMs: 0, region });
    const endpoint = form.replace("PORT", new URL(proxy.url).port);
    const started = Date.now();
    const { code, stderr } = await cli(["clb", id, "--region", region, "--endpoint", endpoint], { NODE_EXTRA_CA_CERTS: certificates.caFile });
    expect({ code, stderr }).toMatchObject({ code: 0, stderr: expect.stringContaining("succeeded (Status 0)") });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test("without the CA: fails at once, naming NODE_EXTRA_CA_CERTS, after one attempt", async () => {
    const started = Date.now();
    const { code, stderr } = await cli(["clb", taskId, "--region", region, "--endpoint", proxy.url], {});
    expect(code).toBe(3);
    expect(stderr).toContain("UntrustedCertificate");
    expect(stderr).toContain("NODE_EXTRA_CA_CERTS");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test("a certificate for another host name: fails at once, saying so rather than pointing at NODE_EXTRA_CA_CERTS", async () => {
    const elsewhere = makeCertificates("DNS:api.example.test");
    const misnamed = await startTlsProxy(emulator.url, elsewhere);
    try {
      const { code, stderr } = await cli(["clb", taskId, "--region", region, "--endpoint", misnamed.url], { NODE_EXTRA_CA_CERTS: elsewhere.caFile });
      expect(code).toBe(3);
      expect(stderr).toContain("CertificateNameMismatch");
      expect(stderr).toContain("host name");
      expect(stderr).not.toContain("NODE_EXTRA_CA_CERTS=");
    } finally {
      await misnamed.close();
      elsewhere.remove();
    }
  });

  test("a bare 127.0.0.1:PORT means https: against a plain-http emulator it fails at once, saying to use http://", async () => {
    const started = Date.now();
    const error = await waitForTask({ service: "clb", taskId, region, endpoint: emulator.url.replace("http://", ""), credentials: DEFAULT_CREDENTIAL }).catch((e) => e);
    expect(error).toMatchObject({ code: "NotTls" });
    expect(error.message).toContain("use an http:// endpoint");
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe("6. stray whitespace and control characters in credentials", () => {
  test("a trailing newline (a pasted CI secret) is trimmed, as the official provider does", async () => {
    server.script(answer({ Status: 0 }));
    await expect(wait({ credentials: { secretId: `${credentials.secretId}\n`, secretKey: ` ${secretKey}\r\n` } })).resolves.toMatchObject({ status: "succeeded" });
    expect(server.requests[0].headers.authorization).toContain(`Credential=${credentials.secretId}/`);
  });

  test.each([
    ["a line break inside the key", { ...credentials, secretKey: "abc\r\ndef-0000000000" }],
    ["a NUL in the id", { ...credentials, secretId: "AKID\u0000X" }],
    ["a space inside the token", { ...credentials, token: "tok en-000000000000" }],
  ])("%s: a credential error before any request, with no header value printed", async (_name, bad) => {
    const error = await wait({ credentials: bad }).catch((e) => e);
    expect(error).toBeInstanceOf(TaskCredentialError);
    expect(error.code).toBe("InvalidCredentials");
    expect(error.message).toContain("the credentials option");
    expect(error.message).not.toMatch(/Authorization|TC3-HMAC/);
    expect(server.requests).toHaveLength(0);
  });
});

describe("7. shared status calls identify the whole credential", () => {
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

describe("8. and 9. credentials and aborts are part of the wait", () => {
  const never = { getCredential: () => new Promise<never>(() => undefined) };

  test("a credential source that never answers is bounded by the timeout", async () => {
    const started = Date.now();
    const error = await wait({ credentials: never as never, timeoutSeconds: 1 }).catch((e) => e);
    expect(error).toBeInstanceOf(TaskTimeoutError);
    expect(error.message).toContain("the credentials were still being looked up");
    expect(Date.now() - started).toBeLessThan(1500);
    expect(server.requests).toHaveLength(0);
  });

  test("... and by the abort, within 100 ms", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const error = await wait({ credentials: never as never, signal: controller.signal }).catch((e) => e);
    expect(error).toBeInstanceOf(TaskAbortedError);
  });

  test("an already-aborted signal rejects at once, with no request", async () => {
    const controller = new AbortController();
    controller.abort(new Error("deploy cancelled"));
    const error = await wait({ signal: controller.signal }).catch((e) => e);
    expect(error).toBeInstanceOf(TaskAbortedError);
    expect(error.message).toContain("deploy cancelled");
    expect(error.attempts).toBe(0);
    expect(server.requests).toHaveLength(0);
  });
});

describe("10. no secret leaves the waiter, on any surface", () => {
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

describe("11. text from the API is shown, never obeyed by a terminal", () => {
  test("ESC, OSC, BEL, CR and newlines in a message are escaped in progress lines and errors", async () => {
    const evil = "port in use\u001b[2J\u001b]0;pwned\u0007\r\nclb task x: succeeded (Status 0)\u009b31m";
    server.script(answer({ Status: 2, Message: evil }), answer({ Status: 1, Message: evil }));
    const lines: string[] = [];
    const error = await wait({ onProgress: (e: ProgressEvent) => lines.push(formatProgress(e)) }).catch((e) => e);
    // eslint-disable-next-line no-control-regex -- control characters are what this looks for
    const control = /[\u0000-\u001f\u007f-\u009f]/;
    for (const text of [...lines, error.message]) expect(text).not.toMatch(control);
    expect(error.message).toContain("\\u001b[2J");
    expect(error.result.message).toBe(evil);
  });

  test("... and in what the command prints, on stderr and in its JSON", async () => {
    const evil = "port in use\u001b[2J\u001b]0;pwned\u0007\r\nclb task x: succeeded (Status 0)\u009b31m\u2028";
    server.script(answer({ Status: 2, Message: evil }), answer({ Status: 1, Message: evil }));
    const { code, stdout, stderr } = await command(["clb", taskId, "--region", region, "--endpoint", server.url, "--json"]);
    expect(code).toBe(1);
    // eslint-disable-next-line no-control-regex -- control characters are what this looks for
    expect(stderr.replace(/\n/g, "")).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028]/);
    // eslint-disable-next-line no-control-regex -- control characters are what this looks for
    expect(stdout.replace(/\n/g, "")).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028]/);
    expect(JSON.parse(stdout)[0].message).toBe(evil);
    // The fake line never stands on its own: wherever it shows, it is escaped text inside the real one.
    const lines = stderr.split("\n");
    expect(lines.some((line) => line.startsWith("clb task x"))).toBe(false);
    for (const line of lines.filter((l) => l.includes("clb task x"))) expect(line).toContain("\\r\\nclb task x: succeeded");
  });
});

describe("12. answers are bounded", () => {
  test("a 5 MB load balancer id and a thousand of them are cut before they reach results and state", async () => {
    server.script(answer({ Status: 0, LoadBalancerIds: [`lb-${"x".repeat(5_000_000)}`, ...Array.from({ length: 1000 }, (_, i) => `lb-${i}`)] }));
    const result = await wait();
    expect(result.loadBalancerIds!.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(result).length).toBeLessThan(5000);
  });
});

describe("13. many waits on one signal", () => {
  test("no MaxListenersExceededWarning for a dozen waits, and no listener left behind", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      server.script(answer({ Status: 2 }), answer({ Status: 2 }), answer({ Status: 0 }));
      const controller = new AbortController();
      const runtime = freshRuntime();
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          waitOn(runtime, { service: "clb", taskId: `task-${i}`, region, endpoint: server.url, credentials, signal: controller.signal } as WaitOptions),
        ),
      );
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    } finally {
      process.off("warning", onWarning);
    }
  });

  test("the command with a dozen tasks, quiet or not, prints no warning", async () => {
    server.script(answer({ Status: 2 }), answer({ Status: 0 }));
    const ids = Array.from({ length: 12 }, (_, i) => `task-${i}`);
    for (const quiet of [[], ["--quiet"]]) {
      const { code, stderr } = await command(["clb", ...ids, "--region", region, "--endpoint", server.url, ...quiet]);
      expect(code).toBe(0);
      expect(stderr).not.toContain("Warning");
    }
  });

  test("the provider host with a dozen waits on its shutdown signal prints no warning", async () => {
    const emulator = await startEmulator();
    const host = await ProviderHost.start({ env: { TENCENTCLOUD_SECRET_ID: DEFAULT_CREDENTIAL.secretId, TENCENTCLOUD_SECRET_KEY: DEFAULT_CREDENTIAL.secretKey } });
    try {
      await host.configure({ "tencentcloud:region": region });
      const tasks = await Promise.all(Array.from({ length: 12 }, () => emulator.createTask({ service: "clb", durationMs: 1200, region })));
      const [resource] = await runProgram(() => new TaskCompletion("wait", { service: "clb", taskId: "placeholder", endpoint: emulator.url }));
      await Promise.all(tasks.map(async ({ taskId: id }) => host.create((await host.check({ ...resource.inputs, taskId: id })).inputs)));
      expect(host.stderr).not.toContain("Warning");
      expect(host.stdout).not.toContain("Warning");
    } finally {
      await host.stop();
      await emulator.close();
    }
  });
});

describe("14. the command with a closed pipe", () => {
  test("stdout and stderr closed by their reader: the waits finish quietly and the exit status is the tasks'", async () => {
    const emulator = await startEmulator();
    try {
      const ok = await emulator.createTask({ service: "clb", durationMs: 1500, region });
      const failed = await emulator.createTask({ service: "clb", durationMs: 1500, region, outcome: "failed" });
      const home = mkdtempSync(join(tmpdir(), "task-wait-home-"));
      const run = (ids: string[]) => {
        const child = spawn(process.execPath, [CLI, "clb", ...ids, "--region", region, "--endpoint", emulator.url, "--json"], {
          env: { PATH: process.env.PATH, HOME: home, TENCENTCLOUD_SECRET_ID: DEFAULT_CREDENTIAL.secretId, TENCENTCLOUD_SECRET_KEY: DEFAULT_CREDENTIAL.secretKey },
          stdio: ["ignore", "pipe", "pipe"],
        });
        // The reader goes away at once, as `| true` does.
        child.stdout.destroy();
        child.stderr.destroy();
        return once(child, "close").then(([code]) => code);
      };
      expect(await run([ok.taskId])).toBe(0);
      expect(await run([ok.taskId, failed.taskId])).toBe(1);
      rmSync(home, { recursive: true });
    } finally {
      await emulator.close();
    }
  });
});

describe("15. the provider's check never throws", () => {
  const throwing = Object.defineProperty({ service: "clb" }, "taskId", {
    enumerable: true,
    get() {
      throw new Error("getter exploded");
    },
  });
  const proxy = new Proxy(
    {},
    {
      ownKeys() {
        throw new Error("trap exploded");
      },
    },
  );
  test.each([
    ["null", null],
    ["a string", "clb"],
    ["an object with a throwing getter", throwing],
    ["a Proxy whose traps throw", proxy],
  ])("%s: failures, not an exception", async (_name, news) => {
    const { failures } = await provider.check!({}, news as never);
    expect(failures!.length).toBeGreaterThan(0);
    expect(failures![0].reason.length).toBeGreaterThan(10);
  });

  test("waitForTask given the same: TaskInputError, never a TypeError", async () => {
    for (const options of [null, "clb", throwing, proxy]) {
      const error = await waitForTask(options as never).catch((e) => e);
      expect(error).toBeInstanceOf(TaskInputError);
      expect(error).not.toBeInstanceOf(TaskError);
    }
  });
});

/** The first characters and the last of a secret: a cut before scrubbing leaves one or the other behind. */
function fragmentsOf(...secrets: string[]): string[] {
  return secrets.flatMap((secret) => [secret.slice(0, 12), secret.slice(-12)]);
}

/** Everything an error lets out, as the scanner reads it. */
function surfacesOf(error: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { error, stack: (error as Error | undefined)?.stack, json: JSON.stringify(error), inspected: inspect(error, { depth: 10 }), ...extra };
}

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

describe("what callers throw, and abort with, is described safely", () => {
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const hostile: [string, unknown][] = [
    ["an object with no prototype", Object.create(null)],
    ["an Error whose message getter throws", Object.defineProperty(new Error("x"), "message", { get: () => { throw new Error("getter"); } })],
    ["a revoked Proxy", revoked.proxy],
    ["a value whose toString throws", { toString: () => { throw new Error("toString"); } }],
    ["a 1 MB string", "y".repeat(1_000_000)],
  ];

  test.each(hostile)("a callback that throws %s: TaskCallbackError with a short message", async (_name, thrown) => {
    server.script(answer({ Status: 2 }));
    const error = await wait({ onProgress: () => { throw thrown; } }).catch((e) => e);
    expect(error).toBeInstanceOf(TaskCallbackError);
    expect(error.message.length).toBeLessThan(1000);
  });

  test.each(hostile)("an abort with %s as its reason: TaskAbortedError with a short message", async (_name, reason) => {
    server.script(answer({ Status: 2 }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 100);
    const error = await wait({ signal: controller.signal }).catch((e) => e);
    expect(error).toBeInstanceOf(TaskAbortedError);
    expect(error.message.length).toBeLessThan(1000);
  });

  test("an onProgress that changes the final result it is shown cannot change the outcome", async () => {
    server.script(answer({ Status: 0 }));
    const result = await wait({
      onProgress: (event: ProgressEvent) => {
        if (event.kind === "finished") Object.assign(event.result as object, { status: "failed", message: "forged" });
      },
    }).catch((e) => e);
    expect(result).toMatchObject({ status: "succeeded" });
    expect(result.message).toBeUndefined();
  });
});

describe("inputs that cannot be read whole are input errors", () => {
  const getterThrows = Object.defineProperty({}, "x", { enumerable: true, get: () => { throw new Error("getter exploded"); } });
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const cyclic: unknown[] = [];
  cyclic.push(cyclic);
  let deep: unknown[] = [];
  for (let i = 0; i < 20_000; i++) deep = [deep];
  const cases: [string, Record<string, unknown>][] = [
    ["triggers holding a throwing getter", { triggers: [getterThrows] }],
    ["triggers holding a revoked Proxy", { triggers: [revoked.proxy] }],
    ["cyclic triggers", { triggers: cyclic }],
    ["triggers 20,000 arrays deep", { triggers: deep }],
    ["assumeRole as a revoked Proxy", { assumeRole: revoked.proxy }],
  ];

  test.each(cases)("%s: check returns failures, waitForTask rejects with TaskInputError", async (_name, extra) => {
    const inputs = { service: "clb", taskId, region, ...extra };
    const { failures } = await provider.check!({}, inputs as never);
    expect(failures!.length).toBeGreaterThan(0);
    const error = await wait(extra as Partial<WaitOptions>).catch((e) => e);
    expect(error).toBeInstanceOf(TaskInputError);
    expect(server.requests).toHaveLength(0);
  });
});

describe("transport failures are told apart", () => {
  test("a body cut short of its Content-Length is noticed when the connection closes, not at the call timeout", async () => {
    server.script(cutAfterHeaders, answer({ Status: 0 }));
    const started = Date.now();
    const result = await waitOn(freshRuntime({ requestTimeoutMs: 10_000 }), { service: "clb", taskId, region, endpoint: server.url, credentials } as WaitOptions);
    expect(result).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test.each([
    ["a Location that is no URL", "http://["],
    ["an ftp: Location", "ftp://198.51.100.7/x"],
    ["a data: Location", "data:text/plain,hello"],
  ])("a redirect with %s is refused at once, not retried", async (_name, location) => {
    server.script(redirect(location));
    const error = await wait().catch((e) => e);
    expect(error).toMatchObject({ code: "RedirectRefused" });
    expect(server.requests).toHaveLength(1);
  });

  test("a corrupt gzip body and an oversized answer header are described as what they are, not as a bad request header", async () => {
    const bigHeader: Handler = (_req, res) => res.writeHead(200, { "x-padding": "p".repeat(100_000) }).end("{}");
    const incorrectHeaderCheck = raw(200, "not gzip at all", { "content-type": "application/json", "content-encoding": "gzip" });
    // A pending answer between the failures: each retry line is then a first failure, and shown.
    server.script(incorrectHeaderCheck, answer({ Status: 2 }), bigHeader, answer({ Status: 2 }), corruptGzip, answer({ Status: 0 }));
    const reasons: string[] = [];
    await wait({ onProgress: (e: ProgressEvent) => e.kind === "retry" && reasons.push(e.reason) });
    expect(reasons).toHaveLength(3);
    for (const reason of reasons) expect(reason).not.toContain("request header");
    expect(reasons[1]).toContain("headers are larger");
  });

  test("a proxy that demands authentication fails at once, naming the proxy setting", async () => {
    const connects: string[] = [];
    // Only CONNECT reaches this server: it refuses every tunnel, as an authenticating proxy does.
    const authenticating = createServer();
    authenticating.on("connect", (req, socket) => {
      connects.push(String(req.url));
      socket.end("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n");
    });
    authenticating.listen(0, "127.0.0.1");
    await once(authenticating, "listening");
    const port = (authenticating.address() as { port: number }).port;
    try {
      const started = Date.now();
      const { code, stderr } = await command(["clb", taskId, "--region", region, "--timeout", "60"], { HTTPS_PROXY: `http://127.0.0.1:${port}` });
      expect(code).toBe(3);
      expect(stderr).toContain("HTTPS_PROXY");
      expect(connects.length).toBe(1);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      authenticating.close();
    }
  });

  test("a proxy setting that is no URL fails at once, without echoing it", async () => {
    const { code, stderr } = await command(["clb", taskId, "--region", region, "--timeout", "60"], { HTTPS_PROXY: `::not a url ${secretKey}` });
    expect(code).toBe(3);
    expect(stderr).toContain("HTTPS_PROXY");
    expectNoSecrets({ stderr }, fragmentsOf(secretKey));
  });
});

describe("review findings", () => {
  test("STS quoting the base token in a refusal: no part of the token in the credential error", async () => {
    server.script(answer({ Error: { Code: "InvalidParameter", Message: `${"m".repeat(270)} token ${token}` } }));
    const options = { service: "clb", taskId, region, endpoint: other.url, credentials: { ...credentials, token }, assumeRole: { roleArn: "qcs::cam::uin/200000000002:roleName/deployer" } };
    const { spec, run } = parseWaitOptions(options as WaitOptions, { TENCENTCLOUD_STS_ENDPOINT: server.url });
    const error = await runWait(spec, run, freshRuntime()).catch((e) => e);
    expect(error).toMatchObject({ code: "AssumeRoleFailed" });
    expect(other.requests).toHaveLength(0);
    expectNoSecrets(surfacesOf(error), fragmentsOf(token));
  });

  test("the command's JSON for a task that ended in an error never echoes a key pasted as its id", async () => {
    // A final refusal: an InvalidParameter for an unknown CLB id is first waited out for the API's lag (docs/services.md).
    server.script(answer({ Error: { Code: "InvalidParameterValue", Message: "unknown task" } }));
    const { code, stdout, stderr } = await command(["clb", secretKey, "--region", region, "--endpoint", server.url, "--json"]);
    expect(code).toBe(3);
    expect(JSON.parse(stdout)[0]).toMatchObject({ status: "error", code: "InvalidParameterValue" });
    expectNoSecrets({ stdout, stderr }, fragmentsOf(secretKey));
  });

  test("a CVM instance that reports no operation yet (LatestOperationState null) is pending, not an unexpected answer", async () => {
    const instance = (state: string | null, request: string | null) => answer({ TotalCount: 1, InstanceSet: [{ InstanceId: "ins-0a1b2c3d", LatestOperationState: state, LatestOperationRequestId: request }] });
    server.script(instance(null, null), instance("SUCCESS", taskId));
    const result = await wait({ service: "cvm", instanceId: "ins-0a1b2c3d" } as Partial<WaitOptions>);
    expect(result).toMatchObject({ status: "succeeded", attempts: 2 });
  });
});
