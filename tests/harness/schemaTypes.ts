import type { PackageSpec, PropertySpec, TypeSpec } from "../../provider/plugin/schema";

/**
 * Pulumi's package metaschema, as far as this package uses it (pkg/codegen/schema/pulumi.json in
 * pulumi/pulumi): the forms a type reference may take, and whether a value is of a type.
 */

/** A type token: `package:module:name`. */
export const TOKEN = /^[a-zA-Z][-a-zA-Z0-9_]*:([^0-9][a-zA-Z0-9._/-]*)?:[^0-9][a-zA-Z0-9._/-]*$/;
/** The built-in types another document may be referred to for. */
const BUILT_INS = ["pulumi.json#/Any", "pulumi.json#/Json", "pulumi.json#/Archive", "pulumi.json#/Asset"];
const PRIMITIVES = ["boolean", "integer", "number", "string"];

/** What is wrong with a type reference, as the metaschema's forms say (one form exactly, every $ref resolving); empty when nothing. */
export function typeProblems(spec: TypeSpec, schema: PackageSpec, where: string): string[] {
  const fields = spec as Record<string, unknown>;
  const forms = [
    "$ref" in fields,
    "oneOf" in fields,
    fields.type === "array",
    fields.type === "object" && !("$ref" in fields),
    PRIMITIVES.includes(fields.type as string) && !("oneOf" in fields),
  ].filter(Boolean).length;
  if (forms !== 1) return [`${where}: not exactly one of the metaschema's type forms: ${JSON.stringify(spec)}`];
  if ("$ref" in spec) {
    if (BUILT_INS.includes(spec.$ref)) return [];
    const token = spec.$ref.startsWith("#/types/") ? spec.$ref.slice("#/types/".length) : undefined;
    return token !== undefined && schema.types[token] ? [] : [`${where}: $ref ${spec.$ref} does not resolve`];
  }
  if ("oneOf" in spec) {
    if (spec.oneOf.length < 2) return [`${where}: oneOf with fewer than 2 types`];
    return spec.oneOf.flatMap((option, i) => typeProblems(option, schema, `${where}.oneOf[${i}]`));
  }
  if (spec.type === "array") return spec.items ? typeProblems(spec.items, schema, `${where}.items`) : [`${where}: array without items`];
  if (spec.type === "object") return spec.additionalProperties ? typeProblems(spec.additionalProperties, schema, `${where}.additionalProperties`) : [];
  return [];
}

/** Whether `value` is of the type, as a generated SDK would let it through. */
export function allows(spec: TypeSpec, value: unknown, schema: PackageSpec): boolean {
  if ("$ref" in spec) {
    if (BUILT_INS.includes(spec.$ref)) return true;
    const type = schema.types[spec.$ref.slice("#/types/".length)];
    if ("enum" in type) return type.enum.some((option) => option.value === value);
    return isRecord(value) && objectAllows(type.properties, type.required ?? [], value, schema);
  }
  if ("oneOf" in spec) return spec.oneOf.some((option) => allows(option, value, schema));
  switch (spec.type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value) && value.every((item) => allows(spec.items, item, schema));
    case "object":
      return isRecord(value) && Object.values(value).every((item) => allows(spec.additionalProperties ?? { type: "string" }, item, schema));
  }
}

/** Whether an object of these properties may be `value`: every required one present, no other, each of its type. */
export function objectAllows(properties: Record<string, PropertySpec>, required: readonly string[], value: Record<string, unknown>, schema: PackageSpec): boolean {
  return (
    required.every((name) => value[name] !== undefined) &&
    Object.entries(value).every(([name, item]) => item === undefined || (properties[name] !== undefined && allows(properties[name], item, schema)))
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
