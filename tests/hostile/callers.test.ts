import { getEventListeners } from "node:events";
import { DEFAULT_CREDENTIAL, startEmulator } from "../../emulator";
import { taskCompletionProvider as provider } from "../../provider/dynamicProvider";
import { TaskAbortedError, TaskApiError, TaskCallbackError, TaskCredentialError, TaskError, TaskInputError, TaskTimeoutError } from "../../provider/errors";
import { type ProgressEvent } from "../../provider/progress";
import { waitForTask, type WaitOptions } from "../../provider/wait";
import { TaskCompletion } from "../../sdk";
import { runProgram } from "../harness/program";
import { ProviderHost } from "../harness/providerHost";
import { freshRuntime, waitOn } from "../support/emulator";
import { answer } from "../support/hostileServer";
import { command, credentials, region, secretKey, server, taskId, useHostileServers, wait } from "./setup";

/** Callers: throwing callbacks, aborts, credential sources that never answer, inputs that cannot be read, pasted whitespace. */
useHostileServers();

describe("a throwing onProgress callback is the caller's failure, never the API's", () => {
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

describe("stray whitespace and control characters in credentials", () => {
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

describe("credentials and aborts are part of the wait", () => {
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

describe("many waits on one signal", () => {
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

describe("the provider's check never throws", () => {
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
