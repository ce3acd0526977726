import { compile } from "@jmespath-community/jmespath";
import { adapterFor, SERVICES, type StatusApi } from "../provider/services";
import { definitionsOf, elementType, memberAt, reachable, valuesIn, type ProductDefinitions } from "./support/definitions";

/**
 * Every built-in service held against the vendor's own definitions, as the installed
 * `tencentcloud-sdk-nodejs` declares them (`*_models.d.ts`, `*_client.d.ts`, read with the
 * TypeScript compiler): the status action exists in that version's client; what the waiter sends
 * is what the request model takes; the status field is where the declaration says, of the type
 * its values have; every value the field's doc comment lists is classified exactly once, and none
 * is invented; and each call named as a source of ids really answers one. Upgrading the SDK makes
 * this fail wherever a definition moved.
 */
const builtIns = SERVICES.filter((service) => service !== "custom");
const apis = builtIns.flatMap((service) => adapterFor(service)!.statusApis.map((api) => [`${service} ${api.action}`, service, api] as const));

/** A path of plain fields ("TaskSet[].Status"), as opposed to an expression with functions or filters. */
const PLAIN = /^[A-Za-z_]\w*(\[\])?(\.[A-Za-z_]\w*(\[\])?)*$/;

/** Where the task's status field is in the answer model, by the rule: its list or parts, then the status. */
function ruleField(api: StatusApi): string | undefined {
  const { rule, list } = api;
  if (!PLAIN.test(rule.status)) return undefined;
  if (rule.parts !== undefined) return PLAIN.test(rule.parts) ? `${rule.parts.endsWith("[]") ? rule.parts : `${rule.parts}[]`}.${rule.status}` : undefined;
  return list ? `${list.path}[].${rule.status}` : rule.status;
}

/** The interface the rule's paths are read in: the task's entry, a part, or the answer. */
function readIn(definitions: ProductDefinitions, api: StatusApi): string {
  const response = `${api.action}Response`;
  const at = api.list?.path ?? (api.rule.parts && PLAIN.test(api.rule.parts) ? api.rule.parts.replace(/\[\]$/, "") : undefined);
  if (at === undefined) return response;
  const member = memberAt(definitions, response, at);
  if (typeof member === "string") throw new Error(member);
  return elementType(member.type);
}

/** Whether a JSON value sent is of the TypeScript type the request model declares. */
function fits(definitions: ProductDefinitions, type: string, value: unknown): string | undefined {
  if (type === "string" || type === "number" || type === "boolean") return typeof value === type ? undefined : `expected ${type}, sent ${JSON.stringify(value)}`;
  const element = /^Array<(.+)>$/.exec(type)?.[1];
  if (element) {
    if (!Array.isArray(value)) return `expected ${type}, sent ${JSON.stringify(value)}`;
    return value.map((item) => fits(definitions, element, item)).find((problem) => problem !== undefined);
  }
  const members = definitions.interfaces.get(type);
  if (!members) return `the model declares ${type}, which this test does not read`;
  return shape(definitions, type, value);
}

/** What is wrong with `value` as an instance of interface `name`: an unknown key, a wrong type, a required member left out. */
function shape(definitions: ProductDefinitions, name: string, value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return `expected ${name}, sent ${JSON.stringify(value)}`;
  const members = definitions.interfaces.get(name)!;
  for (const [key, item] of Object.entries(value)) {
    const member = members.get(key);
    if (!member) return `${name} has no member ${key}`;
    const problem = fits(definitions, member.type, item);
    if (problem) return `${name}.${key}: ${problem}`;
  }
  const missing = [...members.values()].find((member) => !member.optional && !(member.name in value));
  return missing && `${name}.${missing.name} is required and not sent`;
}

/** The field names a JMESPath expression reads. */
function fieldsOf(expression: string): string[] {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (typeof node !== "object" || node === null) return;
    if (Array.isArray(node)) return node.forEach(visit);
    const typed = node as { type?: string; name?: unknown };
    if (typed.type === "Field" && typeof typed.name === "string") names.add(typed.name);
    Object.values(node).forEach(visit);
  };
  visit(compile(expression));
  return [...names];
}

describe.each(apis)("%s", (_name, service, api) => {
  const definitions = definitionsOf(api.product, api.version);
  const response = `${api.action}Response`;

  test("the status action exists in this version's client", () => {
    expect([...definitions.actions.keys()]).toContain(api.action);
  });

  test("what is sent for a sample task is what the request model takes: the id's parameter, its JSON type, every required member", () => {
    const parsed = adapterFor(service)!.parse(api.definitions.example, "ap-guangzhou");
    expect(parsed.failures).toEqual([]);
    const { request } = parsed.query!;
    expect(request.action).toBe(api.action);
    expect(shape(definitions, `${api.action}Request`, request.params)).toBeUndefined();
  });

  test("the status field is where the rule reads it, of the type of its values", () => {
    const fields = api.definitions.fields;
    const expected = ruleField(api);
    if (expected !== undefined) expect(fields).toEqual([expected]);
    const values = [...api.rule.pending, ...api.rule.success, ...api.rule.failure];
    for (const field of fields) {
      const member = memberAt(definitions, response, field);
      if (typeof member === "string") throw new Error(member);
      // A status of counts is read as the names of its counts above zero.
      const valueType = fields.length > 1 ? "number" : typeof values[0];
      expect({ field, type: member.type }).toEqual({ field, type: valueType });
    }
    if (api.list) expect(memberAt(definitions, response, `${api.list.path}[].${api.list.key}`)).toMatchObject({ name: api.list.key });
    if (api.operation) expect(memberAt(definitions, response, `${api.list!.path}[].${api.operation}`)).toMatchObject({ type: "string" });
  });

  test("every value the field's doc comment lists is classified exactly once, and none is invented", () => {
    const { fields, notValues = [], elsewhere, documented } = api.definitions;
    const classified = [...api.rule.pending, ...api.rule.success, ...api.rule.failure].map(String);
    expect(new Set(classified).size).toBe(classified.length);
    for (const parked of Object.keys(api.rule.parked ?? {})) expect(api.rule.pending).toContain(parked);
    const fromElsewhere = (elsewhere?.values ?? []).map(String);
    if (fields.length > 1) {
      // Counts: the values are the counts' names.
      expect([...fromElsewhere].sort()).toEqual([...fields].sort());
    } else {
      const member = memberAt(definitions, response, fields[0]);
      if (typeof member === "string") throw new Error(member);
      const listed = valuesIn(member.doc, member.type).filter((word) => !notValues.includes(word));
      expect([...listed].sort()).toEqual(classified.filter((value) => !fromElsewhere.includes(value)).sort());
      for (const value of fromElsewhere) expect(listed).not.toContain(value);
      // The declaration quotes what the comment says of each value, for a reviewer.
      for (const value of listed) expect(documented).toMatch(new RegExp(`(^|[^\\w])${value}([^\\w]|$)`));
      if (listed.length === 0) expect(elsewhere?.source).toMatch(/\S{10,}/);
    }
    if (elsewhere) expect(elsewhere.source.length).toBeGreaterThan(20);
  });

  test("the message and details are read from fields the answer model has", () => {
    const at = readIn(definitions, api);
    const paths = [api.rule.message, ...Object.values(api.rule.details ?? {})].filter((path): path is string => path !== undefined);
    const known = new Set([...reachable(definitions, response)].flatMap((name) => [...definitions.interfaces.get(name)!.keys()]));
    for (const path of paths) {
      if (PLAIN.test(path)) expect({ path, member: typeof memberAt(definitions, at, path) === "string" ? memberAt(definitions, at, path) : "found" }).toEqual({ path, member: "found" });
      else for (const field of fieldsOf(path)) expect({ path, field, known: known.has(field) }).toEqual({ path, field, known: true });
    }
  });

  test("a status whose other values are read by its message: the message is documented as the task's failure information", () => {
    if (api.rule.unlisted !== "pendingUntilMessage") return;
    const member = memberAt(definitions, readIn(definitions, api), api.rule.message ?? "");
    expect(typeof member === "string" ? member : member.doc).toMatch(/失败/);
  });

  test("each call named as a source of ids answers one: a field of its answer, or a RequestId its doc comment sends to the status action", () => {
    expect(api.definitions.origins.length).toBeGreaterThan(0);
    for (const { action, field } of api.definitions.origins) {
      const doc = definitions.actions.get(action);
      expect({ action, inClient: doc !== undefined }).toEqual({ action, inClient: true });
      if (field === "RequestId") {
        expect({ action, sendsTo: doc!.includes(api.action) }).toEqual({ action, sendsTo: true });
      } else {
        const member = memberAt(definitions, `${action}Response`, field);
        expect({ action, field, answered: typeof member === "string" ? member : "yes" }).toEqual({ action, field, answered: "yes" });
      }
    }
  });
});

test("every built-in service has its status APIs held here", () => {
  expect(new Set(apis.map(([, service]) => service))).toEqual(new Set(builtIns));
});
