import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, posix } from "node:path";
import { promisify } from "node:util";
import { DEFAULT_CREDENTIAL, EmulatorControl, startEmulator } from "../emulator";
import { PluginHost } from "./harness/pluginHost";

/**
 * The package as a user gets it: the tarball `npm pack` makes (from the build `npm test` makes
 * first), its file list, its types under each module resolution, and its two commands installed
 * from it. Nothing here reaches beyond npm's cache unless the cache lacks a package.
 */
const ROOT = join(__dirname, "..");
const run = promisify(execFile);
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as PackageJson;

interface PackageJson {
  name: string;
  license: string;
  main: string;
  types: string;
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
  typesVersions: Record<string, Record<string, string[]>>;
  files: string[];
  engines: { node: string };
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  devDependencies: Record<string, string>;
}

let work: string;
let tarball: string;
let files: Set<string>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "package-test-"));
  // `npm test` has just built dist/; the prepare script would build it again.
  const { stdout } = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work], { cwd: ROOT });
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  tarball = join(work, packed.filename);
  files = new Set(packed.files.map((file) => file.path));
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the tarball", () => {
  test("every relative link and image of the README resolves to a file in it, every #anchor to a heading", () => {
    const readme = withoutCode(readFileSync(join(ROOT, "README.md"), "utf8"));
    const anchors = new Set([...readme.matchAll(/^#+\s+(.+)$/gm)].map((match) => slug(match[1])));
    const targets = linksOf(readme);
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets.filter((t) => t.startsWith("#"))) {
      expect({ target, resolves: anchors.has(target.slice(1)) }).toEqual({ target, resolves: true });
    }
    expectPacked("README.md", targets);
  });

  test("so does every relative link of the docs it ships", () => {
    const docs = [...files].filter((file) => file.startsWith("docs/") && file.endsWith(".md"));
    expect(docs).toContain("docs/design.md");
    for (const doc of docs) expectPacked(doc, linksOf(withoutCode(readFileSync(join(ROOT, doc), "utf8"))));
  });

  test("every npx line of the README and the docs names the package: npx takes a command name for a package name", () => {
    const texts = ["README.md", ...[...files].filter((file) => file.startsWith("docs/") && file.endsWith(".md"))];
    const emulatorHelp = readFileSync(join(ROOT, "emulator/cli.ts"), "utf8");
    for (const [name, text] of [...texts.map((file) => [file, readFileSync(join(ROOT, file), "utf8")]), ["emulator/cli.ts", emulatorHelp]]) {
      // This repository's own tools run through npx from its devDependencies.
      const bare = [...text.matchAll(/npx (?!-p tencentcloud-task-completion )(?!(jest|tsc|eslint)\b)\S+/g)].map((match) => match[0]);
      expect({ name, bare }).toEqual({ name, bare: [] });
    }
    expect(readFileSync(join(ROOT, "README.md"), "utf8")).toContain("npx -p tencentcloud-task-completion tencentcloud-task-wait");
  });

  test("holds what package.json points at: main, types, exports, typesVersions, the commands and the plugin with a shebang, PulumiPlugin.yaml, LICENSE, docs", () => {
    const pointed = [
      manifest.main,
      manifest.types,
      ...Object.values(manifest.exports).flatMap((target) => (typeof target === "string" ? [target] : Object.values(target))),
      ...Object.values(manifest.typesVersions["*"]).flat(),
      ...Object.values(manifest.bin),
      "PulumiPlugin.yaml",
      "LICENSE",
      "README.md",
      "docs/design.md",
    ];
    for (const path of pointed) expect({ path, packed: files.has(posix.normalize(path)) }).toEqual({ path, packed: true });
    expect(Object.keys(manifest.bin).sort()).toEqual(["pulumi-resource-tencentcloud-task-completion", "tencentcloud-api-emulator", "tencentcloud-task-wait"]);
    for (const bin of Object.values(manifest.bin)) expect(readFileSync(join(ROOT, bin), "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
    // Tests, examples, sources and the bench's code stay out; its charts and summary come, for docs/performance.md.
    expect([...files].filter((file) => /^(tests|examples|sdk|provider|emulator)\//.test(file) || (file.startsWith("bench/") && !file.startsWith("bench/results/")))).toEqual([]);
  });

  test("LICENSE is the Apache License 2.0 that package.json names", () => {
    expect(manifest.license).toBe("Apache-2.0");
    const license = readFileSync(join(ROOT, "LICENSE"), "utf8");
    expect(license).toContain("Apache License");
    expect(license).toContain("Version 2.0, January 2004");
    expect(license).toContain("END OF TERMS AND CONDITIONS");
  });
});

describe("dependencies and engines", () => {
  test("@pulumi/pulumi is an optional peer (one copy in a Pulumi program, none for the command) and a devDependency here", () => {
    expect(manifest.dependencies["@pulumi/pulumi"]).toBeUndefined();
    expect(manifest.peerDependencies["@pulumi/pulumi"]).toBe(manifest.devDependencies["@pulumi/pulumi"]);
    expect(manifest.peerDependenciesMeta["@pulumi/pulumi"]).toEqual({ optional: true });
  });

  test("engines: what every dependency and the installed @pulumi/pulumi support, what the Node types describe, and this Node", () => {
    const ours = minimumMajor(manifest.engines.node);
    expect(manifest.engines.node).toBe(`>=${ours}`);
    for (const name of [...Object.keys(manifest.dependencies), "@pulumi/pulumi"]) {
      const engines = (JSON.parse(readFileSync(join(installedHere(name), "package.json"), "utf8")) as { engines?: { node?: string } }).engines;
      if (engines?.node) expect({ name, supportsOurs: minimumMajor(engines.node) <= ours }).toEqual({ name, supportsOurs: true });
    }
    // Pulumi's own floor is ours: a lower one would promise what a Pulumi program cannot do.
    const pulumi = JSON.parse(readFileSync(join(installedHere("@pulumi/pulumi"), "package.json"), "utf8")) as { engines: { node: string } };
    expect(minimumMajor(pulumi.engines.node)).toBe(ours);
    // Typed against the oldest Node it supports, so that nothing newer slips into the code.
    expect(manifest.devDependencies["@types/node"]).toMatch(new RegExp(`^\\^${ours}\\.`));
    expect(Number(process.versions.node.split(".")[0])).toBeGreaterThanOrEqual(ours);
  });

  test("the command never loads @pulumi/pulumi: a wait with a loader that refuses it", async () => {
    const emulator = await startEmulator();
    try {
      const { taskId } = await emulator.createTask({ service: "clb", region: "ap-guangzhou", durationMs: 0 });
      const guard = join(work, "no-pulumi.js");
      writeFileSync(
        guard,
        `const Module = require("module");
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === "@pulumi/pulumi" || request.startsWith("@pulumi/pulumi/")) throw new Error("the command loaded " + request);
  return load.call(this, request, ...rest);
};\n`,
      );
      const { stdout } = await run(process.execPath, ["--require", guard, join(ROOT, "dist/sdk/cli.js"), "clb", taskId, "--region", "ap-guangzhou", "--endpoint", emulator.url, "--json", "--quiet"], {
        env: commandEnv(),
      });
      expect(JSON.parse(stdout)).toMatchObject([{ taskId, status: "succeeded" }]);
    } finally {
      await emulator.close();
    }
  });
});

describe("types for a consumer", () => {
  let consumer: string;
  beforeAll(async () => {
    // The tarball's contents as node_modules holds them; its dependencies and peers from this repository's.
    consumer = join(work, "consumer");
    const installed = join(consumer, "node_modules", manifest.name);
    mkdirSync(installed, { recursive: true });
    await run("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"]);
    for (const name of [...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies), "@types/node"]) {
      const link = join(consumer, "node_modules", name);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(installedHere(name), link, "dir");
    }
    writeFileSync(
      join(consumer, "index.ts"),
      `import { TaskCompletion, TaskError, TaskTimeoutError, waitForTask, type TaskCompletionArgs, type TaskResult } from "${manifest.name}";
import { DEFAULT_CREDENTIAL, EmulatorControl, signTc3, startEmulator, type RunningEmulator } from "${manifest.name}/emulator";
import { taskCompletionProvider } from "${manifest.name}/provider";

export const used = [TaskCompletion, TaskError, TaskTimeoutError, waitForTask, DEFAULT_CREDENTIAL, EmulatorControl, signTc3, taskCompletionProvider];
export const args: TaskCompletionArgs = { service: "clb", taskId: "55c85074-3e7f-4c6d-864f-673660d4f8de", region: "ap-guangzhou" };
export async function check(): Promise<[TaskResult, RunningEmulator]> {
  const emulator = await startEmulator({ port: 0 });
  // Real types, not \`any\`: a wrong option is an error.
  // @ts-expect-error port is a number
  await startEmulator({ port: "9000" });
  return [await waitForTask({ service: "redis", taskId: 1000, endpoint: emulator.url }), emulator];
}
`,
    );
  }, 60_000);

  const resolutions: [string, Record<string, unknown>][] = [
    // Many Pulumi templates still say "node" (node10); TypeScript 6 wants its deprecation acknowledged.
    ["node", { module: "commonjs", moduleResolution: "node", ignoreDeprecations: "6.0" }],
    ["node16", { module: "node16", moduleResolution: "node16" }],
    ["nodenext", { module: "nodenext", moduleResolution: "nodenext" }],
    ["bundler", { module: "esnext", moduleResolution: "bundler" }],
  ];
  // One compiler at a time: four at once would starve the suites that time real waits.
  test.each(resolutions)("moduleResolution %s: the root, ./emulator and ./provider resolve with their types", async (name, options) => {
    const config = join(consumer, `tsconfig.${name}.json`);
    const compilerOptions = { ...options, target: "ES2022", strict: true, noEmit: true, types: ["node"], skipLibCheck: true };
    writeFileSync(config, JSON.stringify({ compilerOptions, files: ["index.ts"] }));
    const result = await run(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", config], { cwd: consumer }).catch((error: { stdout: string }) => error);
    expect(result.stdout).toBe("");
  }, 60_000);

  test("the provider plugin from the tarball, with @pulumi/pulumi beside it, serves its version and schema", async () => {
    const plugin = await PluginHost.start({ command: [process.execPath, join(consumer, "node_modules", manifest.name, "dist/provider/plugin/main.js")], cwd: consumer });
    try {
      expect(await plugin.getPluginInfo()).toBe((manifest as unknown as { version: string }).version);
      expect(JSON.parse(await plugin.getSchema())).toMatchObject({ name: manifest.name, resources: { "tencentcloud-task-completion:index:TaskCompletion": expect.any(Object) } });
    } finally {
      await plugin.stop();
    }
  });
});

describe("installed from the tarball, without @pulumi/pulumi", () => {
  let project: string;
  beforeAll(async () => {
    project = join(work, "pipeline");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "pipeline", private: true }));
    // npm's cache answers; the registry only for what it lacks.
    await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball], { cwd: project });
  }, 120_000);

  test("the command installs no @pulumi/pulumi", () => {
    expect(existsSync(join(project, "node_modules", manifest.name, "package.json"))).toBe(true);
    expect(existsSync(join(project, "node_modules", "@pulumi", "pulumi"))).toBe(false);
  });

  test("the provider plugin says what it needs: @pulumi/pulumi beside it", async () => {
    const failed = await run(join(project, "node_modules", ".bin", "pulumi-resource-tencentcloud-task-completion"), ["127.0.0.1:1"]).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 1, stderr: expect.stringContaining("npm install @pulumi/pulumi") });
  });

  test("only the SDK's common package (signing, HTTP, credentials) is installed, not the whole SDK: at most 15 MB in all", async () => {
    expect(existsSync(join(project, "node_modules", "tencentcloud-sdk-nodejs-common", "package.json"))).toBe(true);
    expect(existsSync(join(project, "node_modules", "tencentcloud-sdk-nodejs"))).toBe(false);
    const { stdout } = await run("du", ["-sk", join(project, "node_modules")]);
    expect(Number(stdout.split("\t")[0]) / 1024).toBeLessThanOrEqual(15);
  });

  test("tencentcloud-api-emulator serves, and tencentcloud-task-wait waits on its task; --help shows commands that work from the package", async () => {
    const bin = (name: string) => join(project, "node_modules", ".bin", name);
    const help = await run(bin("tencentcloud-api-emulator"), ["--help"]);
    expect(help.stdout).toContain("npx -p tencentcloud-task-completion tencentcloud-api-emulator");

    const emulator = spawn(bin("tencentcloud-api-emulator"), ["--port", "0", "--task-duration-ms", "500"], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      const [line] = (await once(emulator.stdout.setEncoding("utf8"), "data")) as [string];
      const url = /listening on (http:\S+)/.exec(line)?.[1];
      expect(url).toBeDefined();
      const { taskId } = await new EmulatorControl(url!).createTask({ service: "redis", durationMs: 500 });
      const { stdout } = await run(bin("tencentcloud-task-wait"), ["redis", String(taskId), "--region", "ap-guangzhou", "--endpoint", url!, "--json", "--quiet"], { env: commandEnv() });
      expect(JSON.parse(stdout)).toMatchObject([{ service: "redis", taskId, status: "succeeded" }]);
      const version = await run(bin("tencentcloud-task-wait"), ["--version"]);
      expect(version.stdout).toBe(`${(manifest as unknown as { version: string }).version}\n`);
    } finally {
      emulator.kill("SIGTERM");
      if (emulator.exitCode === null) await once(emulator, "exit");
    }
    expect(emulator.exitCode).toBe(0);
  });
});

/** Markdown without its code blocks and code spans, where a link is not a link. */
function withoutCode(markdown: string): string {
  return markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
}

/** The targets of a markdown text's links and images. */
function linksOf(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1]);
}

/** Every relative link of `from` (a packed file) names a packed file or folder. */
function expectPacked(from: string, targets: string[]): void {
  for (const target of targets) {
    if (/^[a-z]+:/i.test(target) || target.startsWith("#")) continue;
    const path = posix.normalize(posix.join(posix.dirname(from), decodeURIComponent(target.split("#")[0]))).replace(/\/$/, "");
    const resolves = files.has(path) || [...files].some((file) => file.startsWith(`${path}/`));
    expect({ from, target, resolves }).toEqual({ from, target, resolves: true });
  }
}

/** Where this repository's npm install put a package (some packages' exports hide their package.json). */
function installedHere(name: string): string {
  return join(ROOT, "node_modules", name);
}

/** The environment of a pipeline with the emulator's credential, none of this machine's settings. */
function commandEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("TENCENTCLOUD_")));
  return { ...env, HOME: work, TENCENTCLOUD_SECRET_ID: DEFAULT_CREDENTIAL.secretId, TENCENTCLOUD_SECRET_KEY: DEFAULT_CREDENTIAL.secretKey };
}

/** ">=20", ">=20.0.0", "^20.17.0 || >=22.9.0" -> the lowest major version it admits. */
function minimumMajor(range: string): number {
  return Math.min(...[...range.matchAll(/(\d+)(?:\.\d+){0,2}/g)].map((match) => Number(match[1])));
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}
