import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { expectNoSecrets } from "../support/secrets";
import { credentials, measured, other, region, secretKey, server, taskId, useHostileServers } from "./setup";

/**
 * Credential files that are not files: a named pipe (read, it blocks the process for ever, signals
 * included) or a link to /dev/zero or /dev/urandom (read, it fills memory by gigabytes), in every
 * place a wait reads one: the tccli `.credential`, its `.configure` when no region is given, the
 * SDK's `~/.tencentcloud/credentials`, a web identity token file. Each is refused at once, by an
 * error that names the file and what it is, and nothing is sent anywhere.
 */
useHostileServers();

const TIMEOUT_S = 4;
/** The wait's timeout plus one second, counted from the spawn of the command: its start included. */
const WITHIN_MS = TIMEOUT_S * 1000 + 1000;
const MAX_RSS_MB = 300;
const ROLE = "qcs::cam::uin/100000000001:roleName/tke-deployer";
const WEB_TOKEN = "eyJhbGciOiJSUzI1NiJ9.hostile-web-identity-token-0000.sig";

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "hostile-files-"));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

/** What is put in the file's place: nothing ever opens a pipe for writing, so nothing is left to clean but the pipe. */
const PLANTS = {
  "a named pipe": { plant: (file: string) => execFileSync("mkfifo", [file]), what: "is a named pipe (FIFO), not a regular file" },
  "a link to /dev/zero": { plant: (file: string) => symlinkSync("/dev/zero", file), what: "is a character device, not a regular file" },
  "a 2 MB file": { plant: (file: string) => writeFileSync(file, "x".repeat(2_000_000)), what: "is larger than 64 KiB" },
};
type Plant = keyof typeof PLANTS;
const plants = Object.keys(PLANTS) as Plant[];

function plant(kind: Plant, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  PLANTS[kind].plant(file);
}

/** The command waiting for a CLB task on the test's server, HOME and TMPDIR the test's own, with `env`. */
function run(env: NodeJS.ProcessEnv, args: string[] = ["--region", region]) {
  return measured(["clb", taskId, "--endpoint", server.url, "--timeout", `${TIMEOUT_S}s`, ...args], { HOME: home, TMPDIR: home, ...env }, WITHIN_MS + 3000);
}

/** Ended at once with `code` and a message naming the file and what it is; within its time and memory; nothing sent. */
function expectRefused(result: Awaited<ReturnType<typeof run>>, code: number, names: string, what: string): void {
  expect({ code: result.code, signal: result.signal }).toEqual({ code, signal: null });
  expect(result.stderr).toContain(`${names} ${what}`);
  expect(result.elapsedMs).toBeLessThan(WITHIN_MS);
  expect(result.peakRssMb).toBeLessThan(MAX_RSS_MB);
  expect(server.requests).toHaveLength(0);
  expect(other.requests).toHaveLength(0);
}

describe("the tccli profile", () => {
  test.each(plants)("its .credential is %s: NoCredentials naming the file, at once", async (kind) => {
    plant(kind, join(home, ".tccli", "default.credential"));
    const result = await run({});
    expectRefused(result, 3, "default.credential of tccli profile `default` in ~/.tccli", PLANTS[kind].what);
  });

  test.each(plants)("its .configure, read for a region none gave, is %s: a usage error naming the file, at once", async (kind) => {
    plant(kind, join(home, ".tccli", "default.configure"));
    const result = await run({ TENCENTCLOUD_SECRET_ID: credentials.secretId, TENCENTCLOUD_SECRET_KEY: secretKey }, []);
    expectRefused(result, 64, "default.configure of tccli profile `default` in ~/.tccli", PLANTS[kind].what);
  });
});

test("a link to /dev/urandom, as the profile's .credential: refused like /dev/zero", async () => {
  const file = join(home, ".tccli", "default.credential");
  mkdirSync(dirname(file));
  symlinkSync("/dev/urandom", file);
  const result = await run({});
  expectRefused(result, 3, "default.credential of tccli profile `default` in ~/.tccli", "is a character device, not a regular file");
});

describe("the SDK's INI file", () => {
  test.each(plants)("~/.tencentcloud/credentials is %s: NoCredentials naming the file, at once", async (kind) => {
    plant(kind, join(home, ".tencentcloud", "credentials"));
    const result = await run({});
    expectRefused(result, 3, "the SDK's profile file ~/.tencentcloud/credentials", PLANTS[kind].what);
  });

  test("read by our own reader as the SDK reads it: [default], comments, quotes; its keys sign the call", async () => {
    const file = join(home, ".tencentcloud", "credentials");
    mkdirSync(dirname(file));
    writeFileSync(file, `; written by hand\n[other]\nsecret_id = AKIDOTHER\n\n[default]\nsecret_id = ${credentials.secretId} ; the CI account\nsecret_key = "${secretKey}"\n`);
    const result = await run({});
    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0, stderr: expect.stringContaining("succeeded") });
    expect(server.requests[0].headers.authorization).toContain(`Credential=${credentials.secretId}/`);
    expectNoSecrets({ stdout: result.stdout, stderr: result.stderr }, [secretKey]);
  });
});

describe("a web identity token file", () => {
  const paths = {
    "TKE OIDC": (file: string) => ({ TKE_ROLE_ARN: ROLE, TKE_PROVIDER_ID: "tke-oidc-provider", TKE_WEB_IDENTITY_TOKEN_FILE: file }),
    "env TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE": (file: string) => ({
      TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE: file,
      TENCENTCLOUD_ASSUME_ROLE_PROVIDER_ID: "github-actions",
      TENCENTCLOUD_ASSUME_ROLE_ARN: ROLE,
    }),
  };
  const cases = Object.keys(paths).flatMap((path) => plants.map((kind) => [path, kind] as [keyof typeof paths, Plant]));

  test.each(cases)("%s, the file %s: NoCredentials naming the setting, at once; no STS call, and the process exits", async (path, kind) => {
    const file = join(home, "tokens", "token");
    plant(kind, file);
    // STS is the test's other server: nothing may reach it.
    const result = await run({ ...paths[path](file), TENCENTCLOUD_STS_ENDPOINT: other.url });
    const setting = path === "TKE OIDC" ? "env TKE_WEB_IDENTITY_TOKEN_FILE" : path;
    expectRefused(result, 3, `the web identity token file of ${setting}`, PLANTS[kind].what);
  });

  test("a link to a regular file (a Kubernetes projected token) is followed and read", async () => {
    const file = join(home, "tokens", "..data", "token");
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${WEB_TOKEN}\n`);
    symlinkSync(file, join(home, "token"));
    const result = await run({ ...paths["TKE OIDC"](join(home, "token")), TENCENTCLOUD_STS_ENDPOINT: other.url });
    // The token was read and sent to the STS of the settings; its answer (no credentials) is refused.
    expect(JSON.parse(other.requests[0].body)).toMatchObject({ WebIdentityToken: WEB_TOKEN });
    expect(result.code).toBe(3);
    expectNoSecrets({ stdout: result.stdout, stderr: result.stderr }, [WEB_TOKEN]);
  });
});
