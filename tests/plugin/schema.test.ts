import fc from "fast-check";
import { credentialSettings, knownSecrets } from "../../provider/credentials";
import { adapterFor, CONFIG_KEYS, INPUT_NAMES, inputNamesOf, parseConfiguration, SERVICES, TASK_OUTPUTS, TaskLifecycle, UPDATE_ON_CHANGE } from "../../provider/plugin/engine";
import { packageSchema, RESOURCE, type PackageSpec, type PropertySpec } from "../../provider/plugin/schema";
import { allows, objectAllows, TOKEN, typeProblems } from "../harness/schemaTypes";

/**
 * The package schema against Pulumi's metaschema and against what Check accepts: generated SDKs
 * let through exactly what the schema says, so a value the schema allows must pass Check where
 * nothing else constrains it, and one it does not allow must fail Check, naming the property.
 */
const schema: PackageSpec = packageSchema("1.2.3");
const resource = schema.resources[RESOURCE];
const lifecycle = new TaskLifecycle(parseConfiguration({ region: "ap-guangzhou", coordination: "off" }, {}));

/**
 * Values to build a valid task of each service from: every service's sample task (its
 * `definitions.example`, held against the SDK's models by the conformance test), and for `custom`
 * the values below.
 */
const CANDIDATES: Record<string, unknown[]> = {
  taskId: [12345],
  dealName: ["20191122000001"],
  instanceId: ["ins-0a1b2c3d", "lhins-0a1b2c3d"],
  product: ["cbs"],
  version: ["2017-03-12"],
  action: ["DescribeDisks"],
  request: [{ DiskIds: ["disk-1"] }],
  statusPath: ["DiskSet[0].DiskState"],
  pendingStatuses: [["ATTACHING"]],
  successStatuses: [["ATTACHED"]],
  failureStatuses: [["ERROR"]],
  messagePath: ["DiskSet[0].Message"],
};
for (const service of SERVICES)
  for (const api of adapterFor(service)!.statusApis)
    for (const [name, value] of Object.entries(api.definitions.example)) if (!(CANDIDATES[name] ??= []).includes(value)) CANDIDATES[name].push(value);

/** The smallest inputs of `service` that Check accepts, built from the candidates. */
async function minimalTask(service: string): Promise<Record<string, unknown>> {
  const own = Object.keys(adapterFor(service)!.inputs);
  const subsets = Array.from({ length: 2 ** own.length }, (_, mask) => own.filter((_, i) => mask & (1 << i))).sort((a, b) => a.length - b.length);
  for (const subset of subsets) {
    let combinations: Record<string, unknown>[] = [{ service }];
    for (const name of subset) combinations = combinations.flatMap((partial) => (CANDIDATES[name] ?? []).map((value) => ({ ...partial, [name]: value })));
    for (const inputs of combinations) if ((await lifecycle.check(inputs)).failures.length === 0) return inputs;
  }
  throw new Error(`no valid ${service} task from the candidates: add values for ${own.join(", ")} to CANDIDATES`);
}
let MINIMAL: Record<string, Record<string, unknown>>;
beforeAll(async () => {
  MINIMAL = Object.fromEntries(await Promise.all(SERVICES.map(async (service) => [service, await minimalTask(service)])));
});
const failuresOf = async (news: Record<string, unknown>) => (await lifecycle.check(news)).failures;

describe("the schema, as Pulumi's metaschema defines it", () => {
  test("name, version, tokens; every type reference of one form, every $ref resolving", () => {
    expect(schema.name).toMatch(/^[a-zA-Z][-a-zA-Z0-9_]*$/);
    expect(schema.version).toBe("1.2.3");
    for (const token of [...Object.keys(schema.types), ...Object.keys(schema.resources)]) expect(token).toMatch(TOKEN);
    const properties: [string, PropertySpec][] = [
      ...Object.entries(schema.config.variables).map(([name, spec]) => [`config.${name}`, spec] as [string, PropertySpec]),
      ...Object.entries(schema.provider.inputProperties).map(([name, spec]) => [`provider.${name}`, spec] as [string, PropertySpec]),
      ...Object.entries(schema.types).flatMap(([token, type]) => ("properties" in type ? Object.entries(type.properties).map(([name, spec]) => [`${token}.${name}`, spec] as [string, PropertySpec]) : [])),
      ...Object.entries(resource.inputProperties).map(([name, spec]) => [`inputs.${name}`, spec] as [string, PropertySpec]),
      ...Object.entries(resource.properties).map(([name, spec]) => [`outputs.${name}`, spec] as [string, PropertySpec]),
    ];
    expect(properties.flatMap(([where, spec]) => typeProblems(spec, schema, where))).toEqual([]);
    expect(properties.filter(([, spec]) => !spec.description?.trim()).map(([where]) => where)).toEqual([]);
  });

  test("required lists name properties; enums are strings; the provider's inputs are its configuration", () => {
    expect(resource.requiredInputs.filter((name) => !resource.inputProperties[name])).toEqual([]);
    expect(resource.required.filter((name) => !resource.properties[name])).toEqual([]);
    for (const type of Object.values(schema.types)) {
      if ("enum" in type) expect(type.enum.every((option) => typeof option.value === "string")).toBe(true);
      else expect((type.required ?? []).filter((name) => !type.properties[name])).toEqual([]);
    }
    expect(schema.provider.inputProperties).toEqual(schema.config.variables);
    expect(Object.keys(schema.language).sort()).toEqual(["csharp", "go", "java", "nodejs", "python"]);
  });
});

describe("generated from the catalogue and the lifecycle", () => {
  test("inputs are every input of every service, outputs every output besides; the service enum is the catalogue", () => {
    expect(Object.keys(resource.inputProperties).sort()).toEqual([...INPUT_NAMES].sort());
    expect(Object.keys(resource.properties).sort()).toEqual([...new Set([...INPUT_NAMES, ...TASK_OUTPUTS])].sort());
    const service = schema.types["tencentcloud-task-completion:index:Service"];
    expect("enum" in service && service.enum.map((option) => option.value)).toEqual(SERVICES);
  });

  test("each service's description of its input reaches the schema", () => {
    for (const service of SERVICES) {
      for (const [name, description] of Object.entries(adapterFor(service)!.inputs)) {
        expect({ service, name, described: resource.inputProperties[name].description.includes(description) }).toEqual({ service, name, described: true });
      }
    }
  });

  test("the configuration is what the plugin parses", () => {
    expect(Object.keys(schema.config.variables).sort()).toEqual([...CONFIG_KEYS].sort());
  });

  test("secret: exactly the configuration values that every message is scrubbed of, and the coordination, whose Redis URL may hold a password", () => {
    const textKeys = CONFIG_KEYS.filter((key) => "type" in schema.config.variables[key] && (schema.config.variables[key] as { type: string }).type === "string");
    const scrubbed = textKeys.filter((key) => {
      const value = `value-of-${key}`;
      const { settings: parsed } = parseConfiguration({ [key]: key === "coordination" ? "off" : value, coordination: "off" }, {});
      return knownSecrets(credentialSettings(parsed)).includes(value);
    });
    const secret = CONFIG_KEYS.filter((key) => schema.config.variables[key].secret);
    expect(secret.sort()).toEqual([...scrubbed, "coordination"].sort());
    expect(secret.sort()).toEqual(["coordination", "secretKey", "securityToken"]);
    // The coordination's password is never quoted rather than scrubbed: not by a failure, nor by the settings' display.
    const password = "value-of-redis-password";
    for (const url of [`redis://fleet:${password}@redis.internal:6379/0`, `redis//fleet:${password}@redis.internal:6379`]) {
      const { settings: parsed, failures } = parseConfiguration({ coordination: url }, {});
      expect(JSON.stringify(failures)).not.toContain(password);
      if (parsed.coordination.kind === "redis") expect(parsed.coordination.display).not.toContain(password);
    }
    // Nothing the resource takes or gives is ever a credential.
    expect(Object.values(resource.properties).filter((spec) => spec.secret)).toEqual([]);
  });

  test("willReplaceOnChanges: exactly the inputs whose change Diff answers with a replacement", async () => {
    for (const [service, task] of Object.entries(MINIMAL)) {
      const olds = { ...(await lifecycle.check(task)).inputs, status: "succeeded" };
      for (const name of inputNamesOf(service)) {
        const replaces = lifecycle.diff(olds, { ...olds, [name]: `changed ${name}` }).replaces;
        expect({ service, name, replaces }).toEqual({ service, name, replaces: resource.inputProperties[name].willReplaceOnChanges ? [name] : [] });
      }
    }
    expect(INPUT_NAMES.filter((name) => !resource.inputProperties[name].willReplaceOnChanges)).toEqual(INPUT_NAMES.filter((name) => UPDATE_ON_CHANGE.includes(name)));
  });
});

describe("the schema and Check agree", () => {
  test("every service has a task Check accepts; its checked inputs are of the schema's types", async () => {
    for (const [service, task] of Object.entries(MINIMAL)) {
      const { inputs, failures } = await lifecycle.check(task);
      expect({ service, failures }).toEqual({ service, failures: [] });
      expect({ service, allowed: objectAllows(resource.inputProperties, resource.requiredInputs, inputs, schema) }).toEqual({ service, allowed: true });
    }
  });

  test("required: without service Check fails on it; every other input is optional for some service", async () => {
    expect(resource.requiredInputs).toEqual(["service"]);
    for (const task of Object.values(MINIMAL)) {
      const rest = Object.fromEntries(Object.entries(task).filter(([name]) => name !== "service"));
      expect((await failuresOf(rest)).map((f) => f.property)).toContain("service");
    }
    for (const name of INPUT_NAMES.filter((name) => name !== "service")) {
      expect({ name, optionalSomewhere: Object.values(MINIMAL).some((task) => task[name] === undefined) }).toEqual({ name, optionalSomewhere: true });
    }
  });

  test("a value the schema does not allow fails Check, naming the property", async () => {
    const task = fc.constantFrom(...SERVICES).chain((service) => fc.record({ service: fc.constant(service), name: fc.constantFrom(...inputNamesOf(service)), value: fc.jsonValue({ maxDepth: 2 }) }));
    await fc.assert(
      fc.asyncProperty(task, async ({ service, name, value }) => {
        fc.pre(value !== null && !allows(resource.inputProperties[name], value, schema));
        expect((await failuresOf({ ...MINIMAL[service], [name]: value })).map((f) => f.property)).toContain(name);
      }),
      { numRuns: 400 },
    );
  });

  test("a value of a type nothing else constrains passes Check: booleans, arrays and objects of any values", async () => {
    // A request parameter named `__proto__` is refused by Check (it could not be sent as given), a
    // rule no schema type can say: the next test holds that refusal.
    const key = fc.string({ minLength: 1 }).filter((k) => k !== "__proto__");
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small", maxDepth: 2 }, fc.jsonValue({ maxDepth: 0 }), fc.array(tie("value"), { maxLength: 3 }), fc.dictionary(key, tie("value"), { maxKeys: 3 })),
    })).value;
    const cases = fc.oneof(
      fc.record({ service: fc.constantFrom(...SERVICES), name: fc.constant("failOnTaskFailure"), value: fc.boolean() }),
      fc.record({ service: fc.constantFrom(...SERVICES), name: fc.constant("triggers"), value: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }) }),
      fc.record({ service: fc.constant("custom"), name: fc.constant("request"), value: fc.dictionary(key, json, { maxKeys: 5 }) }),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ({ service, name, value }) => {
        expect(allows(resource.inputProperties[name], value, schema)).toBe(true);
        expect(await failuresOf({ ...MINIMAL[service], [name]: value })).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  test("a request parameter named __proto__, at any depth, fails Check naming request", async () => {
    for (const request of [JSON.parse('{"__proto__": {"x": 1}}'), { Filters: [JSON.parse('{"__proto__": 1}')] }])
      expect(await failuresOf({ ...MINIMAL.custom, request })).toEqual([{ property: "request", reason: expect.stringContaining('"__proto__"') }]);
  });
});
