import type { AbstractClient } from "tencentcloud-sdk-nodejs/tencentcloud/common/abstract_client";
import type { ClientConfig } from "tencentcloud-sdk-nodejs/tencentcloud/common/interface";
import type { Service, TaskObservation, TaskRef } from "../task";

/**
 * One Tencent service's status API: how to ask it about a task and how to read its answer.
 * Everything else (retries, throttling, deadlines) is the same for every service.
 */
export interface ServiceAdapter<Request = unknown, Response = unknown> {
  service: Service;
  /** The status action: also the unit the API's rate limit counts. */
  action: string;
  /** Default host; finance regions (`*-fsi`) use `<service>.<region>.tencentcloudapi.com`. */
  host: string;
  regionRequired: boolean;
  newClient(config: ClientConfig): AbstractClient;
  toRequest(task: TaskRef): Request;
  /** Maps an answer to a state; throws UnexpectedAnswerError for anything it does not understand. */
  normalize(response: Response): TaskObservation;
}

/**
 * A well-formed answer the waiter does not understand (an unknown status, a missing field). It
 * is never read as success and never retried: waiting longer would not make it understandable.
 */
export class UnexpectedAnswerError extends Error {
  readonly code = "UnexpectedAnswer";
  constructor(
    action: string,
    problem: string,
    readonly requestId?: string,
  ) {
    super(`${action} answered ${problem}`);
    this.name = "UnexpectedAnswerError";
  }
}

/** Failure reasons are stored in state and printed: keep a runaway answer from flooding either. */
const MAX_TEXT = 2000;

export function text(value: unknown): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}... (${value.length} characters)` : value;
}

export function requestIdOf(response: { RequestId?: unknown }): string | undefined {
  return typeof response.RequestId === "string" ? response.RequestId : undefined;
}
