import { Agent } from "node:http";
import * as clb from "tencentcloud-sdk-nodejs/tencentcloud/services/clb";
import * as redis from "tencentcloud-sdk-nodejs/tencentcloud/services/redis";
import { DEFAULT_CREDENTIAL, signTc3, type Credential, type RunningEmulator } from "../../emulator";

export const REGION = "ap-guangzhou";

export interface ClientOptions {
  credential?: Credential;
  /** null: send no X-TC-Region. */
  region?: string | null;
  /** Seconds, as the SDK counts; default 60 like the SDK. */
  reqTimeout?: number;
}

/** A running emulator, or just its URL. */
type Endpoint = Pick<RunningEmulator, "url">;

// The SDK routes through $http_proxy unless given an agent.
const agent = new Agent({ keepAlive: true });

function config(emulator: Endpoint, options: ClientOptions) {
  return {
    credential: options.credential ?? DEFAULT_CREDENTIAL,
    region: options.region === null ? undefined : (options.region ?? REGION),
    profile: {
      httpProfile: {
        endpoint: new URL(emulator.url).host,
        protocol: "http://",
        agent,
        reqTimeout: options.reqTimeout ?? 60,
      },
    },
  };
}

export function clbClient(emulator: Endpoint, options: ClientOptions = {}) {
  return new clb.clb.v20180317.Client(config(emulator, options));
}

export function redisClient(emulator: Endpoint, options: ClientOptions = {}) {
  return new redis.redis.v20180412.Client(config(emulator, options));
}

/** What the SDK throws: `code` for API errors, `httpCode` for other HTTP statuses, else only a message. */
export interface SdkError {
  message: string;
  code?: string;
  httpCode?: number;
  requestId?: string;
}

/** The rejection of `promise`, which must reject. */
export async function failure(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error("expected the call to fail");
}

/** A task clock that tests move by hand. */
export class FakeClock {
  private time = 0;
  set(iso: string): void {
    this.time = Date.parse(iso);
  }
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

export interface RawRequest {
  action: string;
  version: string;
  body: string;
  region?: string;
  credential?: Credential;
  /** Unix seconds; default now. */
  timestamp?: number;
  /** The host to sign; default the emulator's host with port, as fetch sends it. */
  signedHost?: string;
  /** The service to sign for; default `clb`. */
  service?: string;
  headers?: Record<string, string>;
}

/** Sends a request signed by hand with `signTc3`, without the SDK. */
export async function sendRaw(
  emulator: RunningEmulator,
  request: RawRequest,
): Promise<{ Response: Record<string, unknown> }> {
  const credential = request.credential ?? DEFAULT_CREDENTIAL;
  const timestamp = request.timestamp ?? Math.floor(Date.now() / 1000);
  const contentType = "application/json";
  const { authorization } = signTc3({
    secretId: credential.secretId,
    secretKey: credential.secretKey,
    service: request.service ?? "clb",
    timestamp,
    headers: { "content-type": contentType, host: request.signedHost ?? new URL(emulator.url).host },
    payload: request.body,
  });
  const response = await fetch(emulator.url, {
    method: "POST",
    headers: {
      authorization,
      "content-type": contentType,
      "x-tc-action": request.action,
      "x-tc-version": request.version,
      "x-tc-timestamp": String(timestamp),
      ...(request.region === undefined ? {} : { "x-tc-region": request.region }),
      ...(credential.token === undefined ? {} : { "x-tc-token": credential.token }),
      ...request.headers,
    },
    body: request.body,
  });
  return (await response.json()) as { Response: Record<string, unknown> };
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
