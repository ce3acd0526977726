import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEndpoint, type Endpoint } from "../../provider/endpoint";
import { renewal } from "../../provider/credentials/sts";
import { TaskCredentialError, TaskTimeoutError } from "../../provider/errors";
import { parseTaskInputs } from "../../provider/inputs";
import { runWait } from "../../provider/wait";
import { freshRuntime } from "../support/emulator";
import { answer, raw, redirect, startHostileServer, type Handler, type HostileServer } from "../support/hostileServer";
import { expectNoSecrets } from "../support/secrets";
import { CLI, credentials, region, secretKey, taskId } from "./setup";

/**
 * STS under attack: an STS of the test's own that answers expired credentials, redirects, hangs,
 * fails or answers 50 MB, on every path to it (TKE OIDC, a web identity token, AssumeRole with
 * keys). Each runs the command, as a pipeline would, with TENCENTCLOUD_STS_ENDPOINT pointing at it.
 */

const ROLE = "qcs::cam::uin/100000000001:roleName/tke-deployer";
const WEB_TOKEN = "eyJhbGciOiJSUzI1NiJ9.hostile-web-identity-token-0000.sig";
const TMP = { TmpSecretId: "AKIDTMPHOSTILE00000000000000000000001", TmpSecretKey: "tmp-hostile-secret-key-000000000000001", Token: "tmp-hostile-session-token-0000000000001" };
const SECRETS = [secretKey, WEB_TOKEN, TMP.TmpSecretKey, TMP.Token];

let tokenFile: string;
beforeAll(() => {
  tokenFile = join(mkdtempSync(join(tmpdir(), "tke-token-")), "token");
  writeFileSync(tokenFile, `${WEB_TOKEN}\n`);
});

/**
 * Each test has an STS and an API of its own (the API answers "running" unless told otherwise),
 * so that the tests, each a command of its own, run side by side.
 */
async function withServers(test: (servers: { sts: HostileServer; api: HostileServer }) => Promise<void>): Promise<void> {
  const [sts, api] = await Promise.all([startHostileServer(), startHostileServer()]);
  api.script(answer({ Status: 2 }));
  try {
    await test({ sts, api });
  } finally {
    await Promise.all([sts.close(), api.close()]);
  }
}

/** Credentials that STS says expire `seconds` from now (by this machine's clock). */
const issued = (seconds: number) => answer({ Credentials: TMP, ExpiredTime: Math.floor(Date.now() / 1000) + seconds, Expiration: new Date(Date.now() + seconds * 1000).toISOString() });
/** Accepts the request and never answers. */
const never: Handler = () => undefined;

/** The three ways to STS: TKE OIDC, a web identity token in env, AssumeRole with env keys. */
const PATHS = {
  "TKE OIDC": { TKE_ROLE_ARN: ROLE, TKE_PROVIDER_ID: "tke-oidc-provider", TKE_WEB_IDENTITY_TOKEN_FILE: "<token file>", TKE_REGION: "ap-shanghai" },
  "a web identity token": { TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN: WEB_TOKEN, TENCENTCLOUD_ASSUME_ROLE_PROVIDER_ID: "github-actions", TENCENTCLOUD_ASSUME_ROLE_ARN: ROLE },
  AssumeRole: { TENCENTCLOUD_SECRET_ID: credentials.secretId, TENCENTCLOUD_SECRET_KEY: secretKey, TENCENTCLOUD_ASSUME_ROLE_ARN: ROLE, TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: "ci" },
} as const;
type Path = keyof typeof PATHS;

/**
 * The command waiting for a CLB task on `api`, its credentials from STS at `stsUrl` along `path`.
 * `lingeredMs`: how long the process stayed after printing its result (the wait's end).
 */
async function run(api: HostileServer, path: Path, timeoutSeconds: number, stsUrl: string) {
  const pathEnv = Object.fromEntries(Object.entries(PATHS[path]).map(([name, value]) => [name, value === "<token file>" ? tokenFile : value]));
  const env = { PATH: process.env.PATH, HOME: tmpdir(), TENCENTCLOUD_STS_ENDPOINT: stsUrl, ...pathEnv };
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, "clb", taskId, "--region", region, "--endpoint", api.url, "--timeout", `${timeoutSeconds}s`, "--json"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let printedAt = Infinity;
  child.stdout.on("data", (chunk: Buffer) => {
    printedAt = Math.min(printedAt, Date.now());
    stdout += chunk;
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  const [code] = await once(child, "close");
  const exitedAt = Date.now();
  const entry = (JSON.parse(stdout) as { waitedSeconds: number; error?: string; code?: string }[])[0];
  expectNoSecrets({ stdout, stderr }, SECRETS);
  return { code: code as number, stderr, entry, elapsedMs: exitedAt - started, lingeredMs: exitedAt - printedAt };
}

/**
 * Starting node and loading the command, before the wait's clock starts, and leaving it after the
 * result is printed: generous, for a loaded machine running the tests side by side. Without the
 * fix an STS call that never answers keeps the process 10 s (its call timeout) past its result.
 */
const STARTUP_MS = 4000;
const EXIT_MS = 1500;

describe("TKE OIDC goes through the waiter's own transport", () => {
  test.concurrent("TENCENTCLOUD_STS_ENDPOINT is honoured: AssumeRoleWithWebIdentity there, with TKE's token, provider and region", () =>
    withServers(async ({ sts, api }) => {
      sts.script(issued(7200));
      api.script(answer({ Status: 0 }));
      const { code, stderr } = await run(api, "TKE OIDC", 5, sts.url);
      expect({ code, stderr }).toMatchObject({ code: 0, stderr: expect.stringContaining("succeeded") });
      expect(sts.requests).toHaveLength(1);
      const [request] = sts.requests;
      expect(request.headers["x-tc-action"]).toBe("AssumeRoleWithWebIdentity");
      expect(request.headers["x-tc-region"]).toBe("ap-shanghai");
      expect(JSON.parse(request.body)).toMatchObject({ RoleArn: ROLE, ProviderId: "tke-oidc-provider", WebIdentityToken: WEB_TOKEN });
      expect(api.requests[0].headers["x-tc-token"]).toBe(TMP.Token);
    }),
  );

  test.concurrent("a 307 from STS is refused: nothing, no token, reaches the other port; exit 3 naming STS and the role", () =>
    withServers(async ({ sts, api }) => {
      let connections = 0;
      const target: Server = createServer((socket) => {
        connections++;
        socket.destroy();
      });
      target.listen(0, "127.0.0.1");
      await once(target, "listening");
      try {
        sts.script(redirect(`http://127.0.0.1:${(target.address() as AddressInfo).port}/`));
        const { code, stderr, entry } = await run(api, "TKE OIDC", 5, sts.url);
        expect(code).toBe(3);
        expect(entry.code).toBe("AssumeRoleFailed");
        expect(stderr).toContain("RedirectRefused");
        expect(stderr).toContain(`role ${ROLE}`);
        expect(stderr).toContain("STS AssumeRoleWithWebIdentity");
        expect(sts.requests).toHaveLength(1);
        expect(connections).toBe(0);
        expect(api.requests).toHaveLength(0);
      } finally {
        target.close();
      }
    }),
  );
});

describe("renewal is bounded", () => {
  test.concurrent.each<Path>(["TKE OIDC", "a web identity token"])("%s: an ExpiredTime already past (a clock ahead of STS) is used for a while, not renewed in a loop", (path) =>
    withServers(async ({ sts, api }) => {
      const timeoutSeconds = 2;
      sts.script(issued(-3600));
      const { code, entry, lingeredMs } = await run(api, path, timeoutSeconds, sts.url);
      expect(code).toBe(2);
      // Status calls were made with the credentials: several, each without a new AssumeRole.
      expect(api.requests.length).toBeGreaterThanOrEqual(3);
      expect(api.requests.every((r) => r.headers["x-tc-token"] === TMP.Token)).toBe(true);
      expect(sts.requests).toHaveLength(1);
      expect(entry.waitedSeconds).toBeLessThanOrEqual(timeoutSeconds + 1);
      expect(lingeredMs).toBeLessThan(EXIT_MS);
    }),
  );
});

describe("renewal, by the numbers", () => {
  test("an expiry already past counts as a minute; nothing is renewed sooner than a second after it was issued", () => {
    expect(renewal(-3_600_000)).toEqual({ renewInMs: 45_000, lifetimeMs: 60_000 });
    expect(renewal(0)).toEqual({ renewInMs: 45_000, lifetimeMs: 60_000 });
    expect(renewal(200).renewInMs).toBe(1000);
    expect(renewal(2000).renewInMs).toBe(1500);
    expect(renewal(7_200_000).renewInMs).toBe(6_900_000);
  });
});

describe("TKE OIDC settings", () => {
  test.each([
    [{ TKE_ROLE_ARN: ROLE }, "env TKE_ROLE_ARN is set (TKE OIDC): it needs env TKE_PROVIDER_ID and TKE_WEB_IDENTITY_TOKEN_FILE too"],
    [{ TKE_ROLE_ARN: ROLE, TKE_PROVIDER_ID: "p", TKE_WEB_IDENTITY_TOKEN_FILE: "/nonexistent", TKE_REGION: "ap guangzhou\r\n" }, "env TKE_REGION (TKE OIDC): "],
  ])("incomplete or malformed: NoCredentials naming the variable (%j)", async (env, message) => {
    const { spec } = parseTaskInputs({ service: "clb", taskId, region, endpoint: "http://127.0.0.1:9", timeoutSeconds: 5 });
    const error = await runWait(spec!, { credentials: { env, sts: parseEndpoint("http://127.0.0.1:9") as Endpoint } }, freshRuntime()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskCredentialError);
    expect(error).toMatchObject({ code: "NoCredentials", message: expect.stringContaining(message) });
  });
});

describe("an STS that never answers is abandoned at the deadline", () => {
  test.concurrent.each<Path>(["TKE OIDC", "a web identity token", "AssumeRole"])("%s: the command exits by its timeout + 1 s, naming STS and the role", (path) =>
    withServers(async ({ sts, api }) => {
      const timeoutSeconds = 1;
      sts.script(never);
      const { code, stderr, entry, elapsedMs, lingeredMs } = await run(api, path, timeoutSeconds, sts.url);
      expect(code).toBe(2);
      expect(entry.waitedSeconds).toBeLessThanOrEqual(timeoutSeconds + 1);
      // The process ends with the wait: the STS call was aborted, not left to its 10 s call timeout.
      expect(lingeredMs).toBeLessThan(EXIT_MS);
      expect(elapsedMs).toBeLessThan((timeoutSeconds + 1) * 1000 + STARTUP_MS);
      expect(stderr).toMatch(/the credentials were still being looked up: STS .* had not answered/);
      expect(stderr).toContain(`role ${ROLE}`);
      expect(stderr).toContain(sts.url);
      expect(sts.requests).toHaveLength(1);
    }),
  );
});

describe("one STS call shared by waits", () => {
  test.concurrent("goes on when one wait gives up, and is aborted when the last one does", () =>
    withServers(async ({ sts, api }) => {
      // STS answers 1.5 s late: wait A (1 s timeout) gives up, B (5 s) still gets the shared answer.
      sts.script((_req, res) => void setTimeout(() => issued(7200)(_req, res, ""), 1500));
      api.script(answer({ Status: 0 }));
      const runtime = freshRuntime({ requestTimeoutMs: 10_000 });
      const env = { ...PATHS["a web identity token"] };
      const credentials = { env, sts: parseEndpoint(sts.url) as Endpoint };
      const waitFor = (timeoutSeconds: number) => {
        const { spec } = parseTaskInputs({ service: "clb", taskId, region, endpoint: api.url, timeoutSeconds });
        return runWait(spec!, { credentials }, runtime);
      };
      const [a, b] = await Promise.allSettled([waitFor(1), waitFor(5)]);
      expect(a).toMatchObject({ status: "rejected", reason: expect.any(TaskTimeoutError) });
      expect(b).toMatchObject({ status: "fulfilled", value: { status: "succeeded" } });
      expect(sts.requests).toHaveLength(1);

      // Alone, a wait that gives up takes the call with it: the connection is closed at its deadline.
      sts.requests.length = 0;
      let closedAt = 0;
      sts.script((req) => void req.socket.once("close", () => (closedAt = Date.now())));
      const alone = runWait(parseTaskInputs({ service: "clb", taskId, region, endpoint: api.url, timeoutSeconds: 1 }).spec!, { credentials: { ...credentials, env: { ...env, TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: "alone" } } }, runtime);
      await expect(alone).rejects.toBeInstanceOf(TaskTimeoutError);
      const endedAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(sts.requests).toHaveLength(1);
      expect(closedAt).toBeGreaterThan(0);
      expect(closedAt - endedAt).toBeLessThan(100);
    }),
  );
});

describe("STS failures name STS, the role and what went wrong", () => {
  const fiftyMegabytes: Handler = (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    const more = () => {
      while (sent < 50 && !res.destroyed) {
        sent++;
        if (!res.write(chunk)) return void res.once("drain", more);
      }
      res.end();
    };
    res.on("error", () => undefined);
    more();
  };

  // The 50 MB answer gets 3 s: on a loaded machine, reading its first 16 MB may take a second or more.
  test.concurrent.each<[string, Handler, RegExp, number]>([
    ["HTTP 500", raw(500, "<html>oops</html>", { "content-type": "text/html" }), /HTTP 500/, 1],
    ["InternalError", answer({ Error: { Code: "InternalError", Message: "try later" } }), /STS answered InternalError: try later/, 1],
    ["a 50 MB answer", fiftyMegabytes, /larger than 16 MB/, 3],
  ])("%s: retried until the deadline, then exit 2 saying so", (_name, handler, what, timeoutSeconds) =>
    withServers(async ({ sts, api }) => {
      sts.script(handler);
      const { code, stderr, entry, lingeredMs } = await run(api, "TKE OIDC", timeoutSeconds, sts.url);
      expect(code).toBe(2);
      expect(stderr).toMatch(/the credentials were still being looked up: .*STS AssumeRoleWithWebIdentity/);
      expect(stderr).toContain(`role ${ROLE}`);
      expect(stderr).toMatch(what);
      expect(stderr).toMatch(/retried until the deadline/);
      expect(entry.waitedSeconds).toBeLessThanOrEqual(timeoutSeconds + 1);
      expect(lingeredMs).toBeLessThan(EXIT_MS);
    }),
  );

  test.concurrent.each<[string, Handler, string]>([
    ["AuthFailure", answer({ Error: { Code: "AuthFailure", Message: "the web identity token is not trusted" } }), "STS answered AuthFailure"],
    ["role not found", answer({ Error: { Code: "ResourceNotFound.RoleNotExist", Message: "no such role" } }), "STS answered ResourceNotFound.RoleNotExist"],
  ])("%s: exit 3 at once, naming STS, the role and STS's code", (_name, handler, what) =>
    withServers(async ({ sts, api }) => {
      sts.script(handler);
      const { code, stderr, entry } = await run(api, "TKE OIDC", 10, sts.url);
      expect(code).toBe(3);
      expect(entry.code).toBe("AssumeRoleFailed");
      expect(stderr).toContain(what);
      expect(stderr).toContain(`role ${ROLE}`);
      expect(entry.waitedSeconds).toBeLessThan(1);
      expect(sts.requests).toHaveLength(1);
    }),
  );

  test.concurrent("an STS host that cannot be resolved: exit 3 at once, a setting to fix, not a wait to repeat", () =>
    withServers(async ({ api }) => {
      const { code, stderr, entry } = await run(api, "TKE OIDC", 10, "https://sts.nonexistent.invalid");
      expect(code).toBe(3);
      expect(entry.code).toBe("AssumeRoleFailed");
      expect(stderr).toContain("sts.nonexistent.invalid cannot be resolved");
      expect(stderr).toContain(`role ${ROLE}`);
      expect(stderr).toContain("TENCENTCLOUD_STS_ENDPOINT");
      expect(entry.waitedSeconds).toBeLessThan(1);
    }),
  );
});
