import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CREDENTIAL, startEmulator, type RunningEmulator } from "../../emulator";
import { taskCompletionProvider as provider } from "../../provider/dynamicProvider";
import { TaskApiError, TaskInputError } from "../../provider/errors";
import { type ProgressEvent } from "../../provider/progress";
import { parseWaitOptions, waitForTask, type WaitOptions } from "../../provider/wait";
import { freshRuntime, waitOn } from "../support/emulator";
import { answer, corruptGzip, cutAfterHeaders, makeCertificates, raw, redirect, resetMidBody, startTlsProxy, type Handler } from "../support/hostileServer";
import { expectNoSecrets } from "../support/secrets";
import { CLI, command, credentials, fragmentsOf, other, region, secretKey, server, taskId, token, useHostileServers, wait } from "./setup";

/** Transport: bodies cut, connections reset, redirects, TLS, proxies. */
useHostileServers();

describe("transport and body errors are transient, never the API's error", () => {
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
      const { waitForTask } = require(${JSON.stringify(join(__dirname, "../../dist/sdk"))});
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

describe("redirects are never followed", () => {
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

describe("https endpoints on loopback", () => {
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

describe("hosts come only from checked settings: a region, domain or profile from any source gets the same verdict", () => {
  /** A region that, spliced into a finance region's host name, would send the signed call (and its token) to `other`. */
  const hijack = () => `x@${other.url.slice("http://".length)}/?-fsi`;

  test.each([
    ["env TENCENTCLOUD_REGION", () => ({ TENCENTCLOUD_REGION: hijack() })],
    ["env TENCENTCLOUD_REGION with a line break", () => ({ TENCENTCLOUD_REGION: "ap-guangzhou\r\n" })],
    ["env TENCENTCLOUD_DOMAIN", () => ({ TENCENTCLOUD_REGION: region, TENCENTCLOUD_DOMAIN: `${other.url.slice("http://".length)}/x` })],
    ["env TENCENTCLOUD_PROFILE naming a path", () => ({ TENCENTCLOUD_REGION: region, TENCENTCLOUD_PROFILE: "../../x" })],
  ])("%s: waitForTask and the command refuse it as an input error; nothing is sent anywhere", async (setting, env) => {
    const error = await parseWaitOptions({ service: "clb", taskId, credentials, timeoutSeconds: 5 }, { ...env(), HOME: tmpdir() }).catch((e) => e);
    expect(error).toBeInstanceOf(TaskInputError);
    expect(error.message).toContain(setting.split(" ").slice(0, 2).join(" "));
    const { code, stderr } = await command(["clb", taskId, "--timeout", "5"], env());
    expect(code).toBe(64);
    expect(stderr).toContain(setting.split(" ").slice(0, 2).join(" "));
    expect(other.requests).toHaveLength(0);
    expect(server.requests).toHaveLength(0);
  });

  test("a tccli profile's region (_sys_param.region) is checked by the same parser", async () => {
    const home = mkdtempSync(join(tmpdir(), "home-"));
    try {
      mkdirSync(join(home, ".tccli"));
      writeFileSync(join(home, ".tccli", "default.configure"), JSON.stringify({ _sys_param: { region: hijack() } }));
      const error = await parseWaitOptions({ service: "clb", taskId, credentials, timeoutSeconds: 5 }, { HOME: home }).catch((e) => e);
      expect(error).toBeInstanceOf(TaskInputError);
      expect(error.message).toContain("_sys_param.region of tccli profile `default`");
      const { code } = await command(["clb", taskId, "--timeout", "5"], { HOME: home });
      expect(code).toBe(64);
      expect(other.requests).toHaveLength(0);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  test("stack config tencentcloud:region: the provider's Check names it", async () => {
    await provider.configure!({ config: { get: (key: string) => (key === "tencentcloud:region" ? hijack() : undefined) } } as never);
    try {
      const { failures } = await provider.check!({}, { service: "clb", taskId });
      expect(failures).toContainEqual({ property: "tencentcloud:region", reason: expect.stringContaining("stack config tencentcloud:region: expected a region name") });
    } finally {
      await provider.configure!({ config: { get: () => undefined } } as never);
    }
  });
});
