import { ApiError, invalidParameterValue, missingParameter } from "./apiError";
import { REQUEST_PARAMETERS } from "./requestParameters";

/** A request field's JSON type as the SDK's request model declares it (`number` covers API Integer and Float). */
export type SdkType = "string" | "number" | "boolean" | "object" | "string[]" | "number[]" | "boolean[]" | "object[]";

/** A request parameter as the SDK's request model declares it (emulator/requestParameters.ts). */
export interface SdkParameter {
  type: SdkType;
  required: boolean;
}

/** The emulator's own rule for a parameter, on top of its SDK type: which values it takes. */
export interface ParameterRule {
  /** What a valid value is, for error messages: "a non-empty string", ... */
  expected: string;
  /** A number that is not an integer is a type error (`InvalidParameter`), as for the API's Integer fields. */
  integer?: boolean;
  /** Whether a value of the right type is valid; an invalid one is an `InvalidParameterValue`. */
  accepts(value: unknown): boolean;
}

/** A parameter as the pipeline checks it: the SDK's declaration and the emulator's rule, if any. */
export interface Parameter extends SdkParameter {
  rule?: ParameterRule;
}

export const nonEmptyString: ParameterRule = { expected: "a non-empty string", accepts: (v) => v !== "" };
export const integer: ParameterRule = { expected: "an integer", integer: true, accepts: () => true };
export const positiveInteger: ParameterRule = { expected: "a positive integer", integer: true, accepts: (v) => (v as number) > 0 };
export const nonEmptyStringArray: ParameterRule = {
  expected: "a non-empty array of non-empty strings",
  accepts: (v) => (v as unknown[]).length > 0 && (v as unknown[]).every((item) => item !== ""),
};

export function oneOf(...values: string[]): ParameterRule {
  return { expected: `one of ${values.join(", ")}`, accepts: (v) => values.includes(v as string) };
}

/** A non-empty array of objects, each with exactly these string-valued keys. */
export function records(...keys: string[]): ParameterRule {
  return {
    expected: `a non-empty array of {${keys.join(", ")}} objects with string values`,
    accepts: (v) =>
      (v as object[]).length > 0 &&
      (v as Record<string, unknown>[]).every((item) => Object.keys(item).length === keys.length && keys.every((key) => typeof item[key] === "string")),
  };
}

/**
 * An action's parameters: exactly those of its SDK request model, each with the emulator's rule
 * where it has one. A rule for a parameter the model does not declare, or an action the generated
 * file lacks, is a mistake of the table, reported with its fix.
 */
export function sdkParameters(product: string, version: string, action: string, rules: Readonly<Record<string, ParameterRule>>): Record<string, Parameter> {
  const declared = REQUEST_PARAMETERS[`${product} ${version}`]?.[action];
  if (!declared) throw new Error(`emulator/requestParameters.ts has no ${product} ${version} ${action}: run npm run generate:parameters.`);
  const stray = Object.keys(rules).find((name) => !Object.hasOwn(declared, name));
  if (stray !== undefined) throw new Error(`The rule for ${action} \`${stray}\` names no parameter of the ${product} ${version} request model.`);
  return Object.fromEntries(Object.entries(declared).map(([name, parameter]) => [name, { ...parameter, rule: rules[name] }]));
}

const IS_TYPE: Record<SdkType, (value: unknown) => boolean> = {
  string: (v) => typeof v === "string",
  number: (v) => typeof v === "number",
  boolean: (v) => typeof v === "boolean",
  object: (v) => typeof v === "object" && v !== null && !Array.isArray(v),
  "string[]": (v) => Array.isArray(v) && v.every(IS_TYPE.string),
  "number[]": (v) => Array.isArray(v) && v.every(IS_TYPE.number),
  "boolean[]": (v) => Array.isArray(v) && v.every(IS_TYPE.boolean),
  "object[]": (v) => Array.isArray(v) && v.every(IS_TYPE.object),
};

const TYPE_NAME: Record<SdkType, string> = {
  string: "string",
  number: "number",
  boolean: "boolean",
  object: "object",
  "string[]": "array of strings",
  "number[]": "array of numbers",
  "boolean[]": "array of booleans",
  "object[]": "array of objects",
};

/**
 * Checks a request against its parameters the way API 3.0 does: a missing required one is a
 * `MissingParameter`, an undeclared one an `UnknownParameter`, a value of the wrong JSON type an
 * `InvalidParameter` (the common error for format and type errors), a value of the right type
 * that is not valid an `InvalidParameterValue`.
 */
export function checkParameters(parameters: Readonly<Record<string, Parameter>>, request: Record<string, unknown>): void {
  for (const [name, parameter] of Object.entries(parameters)) {
    if (parameter.required && !Object.hasOwn(request, name)) throw missingParameter(name);
  }
  for (const [name, value] of Object.entries(request)) {
    if (!Object.hasOwn(parameters, name)) {
      throw new ApiError("UnknownParameter", `The parameter \`${name}\` is not recognized.`);
    }
    const { type, rule } = parameters[name];
    const integer = rule?.integer === true && type === "number";
    if (integer ? !Number.isInteger(value) : !IS_TYPE[type](value)) {
      const typeName = integer ? "integer" : TYPE_NAME[type];
      throw new ApiError("InvalidParameter", `The parameter \`${name}\` must be of type ${typeName}, got ${jsonTypeOf(value)} ${show(value)}.`);
    }
    if (rule && !rule.accepts(value)) throw invalidParameterValue(name, rule.expected, value);
  }
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** A value as an error message quotes it, bounded: requests may be up to the body limit. */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
