import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import ts from "typescript";

/**
 * The vendor's API definitions, as the installed `tencentcloud-sdk-nodejs` declares them: each
 * product version's `*_models.d.ts` (request and answer shapes, with the doc comments tccli is
 * generated from) and `*_client.d.ts` (the actions and their doc comments), read with the
 * TypeScript compiler. Upgrading the SDK changes what these return.
 */
const SDK = dirname(require.resolve("tencentcloud-sdk-nodejs/package.json"));

export interface Member {
  name: string;
  /** The declared type as written: `number`, `string`, `Array<TaskSet>`, `TaskStatusResponse`. */
  type: string;
  optional: boolean;
  /** The doc comment, without its `/** *\/` and leading stars. */
  doc: string;
}

export interface ProductDefinitions {
  /** Interfaces of the models file, by name. */
  interfaces: Map<string, Map<string, Member>>;
  /** The client's actions, with their doc comments. */
  actions: Map<string, string>;
}

const cache = new Map<string, ProductDefinitions>();

/** The definitions of `product` at `version` ("2018-03-17"); throws if the SDK has no such version. */
export function definitionsOf(product: string, version: string): ProductDefinitions {
  const key = `${product}@${version}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const folder = join(SDK, "tencentcloud", "services", product, `v${version.replace(/-/g, "")}`);
  const models = parse(join(folder, `${product}_models.d.ts`));
  const client = parse(join(folder, `${product}_client.d.ts`));
  const interfaces = new Map<string, Map<string, Member>>();
  for (const statement of models.statements) {
    if (!ts.isInterfaceDeclaration(statement)) continue;
    const members = new Map<string, Member>();
    for (const member of statement.members) {
      if (!ts.isPropertySignature(member) || !member.type) continue;
      const name = member.name.getText(models);
      members.set(name, { name, type: member.type.getText(models), optional: member.questionToken !== undefined, doc: docOf(member, models) });
    }
    interfaces.set(statement.name.text, members);
  }
  const actions = new Map<string, string>();
  for (const statement of client.statements) {
    if (!ts.isClassDeclaration(statement)) continue;
    for (const member of statement.members) {
      if (ts.isMethodDeclaration(member) && member.name && ts.isIdentifier(member.name)) actions.set(member.name.text, docOf(member, client));
    }
  }
  const found = { interfaces, actions };
  cache.set(key, found);
  return found;
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
}

function docOf(node: ts.Node, source: ts.SourceFile): string {
  return ts
    .getJSDocCommentsAndTags(node)
    .map((doc) => doc.getText(source))
    .join("\n")
    .replace(/^\/\*\*|\*\/$/g, "")
    .split("\n")
    .map((line) => line.replace(/^\s*\*?\s?/, ""))
    .join("\n")
    .trim();
}

/** The member at `path` ("TaskSet[].Status", "Result.Status") below interface `start`, or why there is none. */
export function memberAt(definitions: ProductDefinitions, start: string, path: string): Member | string {
  let current = start;
  let member: Member | undefined;
  for (const segment of path.split(".")) {
    const name = segment.replace(/\[\]$/, "");
    const members = definitions.interfaces.get(current);
    if (!members) return `${current} is not an interface of the models`;
    member = members.get(name);
    if (!member) return `${current} has no member ${name}`;
    if (segment.endsWith("[]") && !/^Array<.+>$/.test(member.type)) return `${current}.${name} is ${member.type}, not a list`;
    current = elementType(member.type);
  }
  return member ?? `empty path below ${start}`;
}

/** `Array<TaskSet>` -> `TaskSet`; other types as they are. */
export function elementType(type: string): string {
  const match = /^Array<(.+)>$/.exec(type);
  return match ? match[1] : type;
}

/** Every interface reachable from `start` through its members, `start` included. */
export function reachable(definitions: ProductDefinitions, start: string): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name) || !definitions.interfaces.has(name)) return;
    seen.add(name);
    for (const member of definitions.interfaces.get(name)!.values()) visit(elementType(member.type));
  };
  visit(start);
  return seen;
}

/** Lines a doc comment carries about every field, and hyperlinks: never status values. */
const BOILERPLATE = [/注意：此字段可能返回 (null|空值)，表示取不到有效值。?/g, /https?:\/\/\S+/g, /<\/?[a-z]+>/g];

/**
 * The words of a doc comment that may be status values: for a string field every word of Latin
 * letters, digits and `_`; for a number field every whole number. The Chinese prose around them
 * is left out; what else a comment names (a parameter, `true`) the service lists as not a value.
 */
export function valuesIn(doc: string, type: string): string[] {
  const text = BOILERPLATE.reduce((rest, pattern) => rest.replace(pattern, " "), doc);
  // A value ends where a word does; `initial-初始化` (a value, a dash, its meaning) ends at the dash.
  const pattern = type === "number" ? /(?<![\w.])\d+(?![\w.])/g : /(?<![\w-])[A-Za-z][A-Za-z0-9_]*(?!\w|-[A-Za-z0-9])/g;
  return [...new Set(text.match(pattern) ?? [])];
}
