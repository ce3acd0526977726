/** An error answered the API 3.0 way: HTTP 200 with `Response.Error.Code` and `Message`. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function missingParameter(name: string): ApiError {
  return new ApiError("MissingParameter", `The request is missing a required parameter \`${name}\`.`);
}

export function invalidParameterValue(name: string, expected: string, value: unknown): ApiError {
  return new ApiError(
    "InvalidParameterValue",
    `The value ${JSON.stringify(value)} of parameter \`${name}\` is not valid: expected ${expected}.`,
  );
}
