import { ApiError, invalidParameterValue, missingParameter } from "./apiError";

/** A request parameter's rule: its JSON type, and which values of that type are valid. */
export interface ParameterType {
  /** What a valid value is, for error messages: "a string", ... */
  expected: string;
  /** The JSON type the API declares; a value of another type is an `InvalidParameter`. */
  type?: JsonType;
  /** Whether a value (of the right type) is valid; an invalid one is an `InvalidParameterValue`. */
  accepts(value: unknown): boolean;
}

export interface Parameter extends ParameterType {
  required: boolean;
}

export type JsonType = "string" | "integer" | "boolean" | "array" | "object";

const IS_TYPE: Record<JsonType, (value: unknown) => boolean> = {
  string: (v) => typeof v === "string",
  integer: Number.isInteger,
  boolean: (v) => typeof v === "boolean",
  array: Array.isArray,
  object: (v) => typeof v === "object" && v !== null && !Array.isArray(v),
};

export const anyString: ParameterType = { expected: "a string", type: "string", accepts: () => true };
export const nonEmptyString: ParameterType = { expected: "a non-empty string", type: "string", accepts: (v) => v !== "" };
export const integer: ParameterType = { expected: "an integer", type: "integer", accepts: () => true };
export const positiveInteger: ParameterType = { expected: "a positive integer", type: "integer", accepts: (v) => (v as number) > 0 };
export const boolean: ParameterType = { expected: "true or false", type: "boolean", accepts: () => true };
export const stringArray: ParameterType = {
  expected: "an array of strings",
  type: "array",
  accepts: (v) => (v as unknown[]).every((item) => typeof item === "string"),
};
export const nonEmptyStringArray: ParameterType = {
  expected: "a non-empty array of non-empty strings",
  type: "array",
  accepts: (v) => (v as unknown[]).length > 0 && (v as unknown[]).every((item) => typeof item === "string" && item !== ""),
};
/** Real parameters the emulator accepts but ignores. */
export const ignored: ParameterType = { expected: "any value", accepts: () => true };

export function oneOf(...values: string[]): ParameterType {
  return { expected: `one of ${values.join(", ")}`, type: "string", accepts: (v) => values.includes(v as string) };
}

/** A non-empty array of objects, each with exactly these string-valued keys. */
export function records(...keys: string[]): ParameterType {
  return {
    expected: `a non-empty array of {${keys.join(", ")}} objects with string values`,
    type: "array",
    accepts: (v) =>
      (v as unknown[]).length > 0 &&
      (v as unknown[]).every(
        (item) =>
          typeof item === "object" &&
          item !== null &&
          Object.keys(item).length === keys.length &&
          keys.every((key) => typeof (item as Record<string, unknown>)[key] === "string"),
      ),
  };
}

export function required(type: ParameterType): Parameter {
  return { ...type, required: true };
}

export function optional(type: ParameterType): Parameter {
  return { ...type, required: false };
}

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
    const parameter = parameters[name];
    if (parameter.type !== undefined && !IS_TYPE[parameter.type](value)) {
      throw new ApiError(
        "InvalidParameter",
        `The parameter \`${name}\` must be of type ${parameter.type}, got ${jsonTypeOf(value)} ${show(value)}.`,
      );
    }
    if (!parameter.accepts(value)) throw invalidParameterValue(name, parameter.expected, value);
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
