import type { UnknownId } from "./adapter";

/**
 * How long an id that the API does not know yet is taken for the API's read-after-write lag.
 * The vendor documents no such delay; the Terraform provider retries the status read after each
 * asynchronous call (MongoDB `DescribeAsyncRequestInfo` on any error, PostgreSQL `DescribeTasks`
 * on an empty `TaskSet`, TDSQL-C `DescribeTasks` on an empty `TaskList`), and callers of SCF
 * catch `ResourceNotFound.AsyncEvent` right after an asynchronous Invoke. A wrong id costs these
 * seconds, and then fails saying it was never seen (docs/services.md).
 */
export const LAG_SECONDS = 10;

/** The not-found codes every service may answer: `ResourceNotFound` and its sub-codes. */
const RESOURCE_NOT_FOUND = ["ResourceNotFound", "ResourceNotFound."];

/** The grace of a service whose unknown id is answered with `codes` (besides `ResourceNotFound*`), or an empty list entry. */
export function lag(...codes: string[]): UnknownId {
  return { codes: [...RESOURCE_NOT_FOUND, ...codes], graceSeconds: LAG_SECONDS };
}
