import * as http from "node:http";
import * as https from "node:https";
import createHttpsProxyAgent from "https-proxy-agent";
import { HttpConnection } from "tencentcloud-sdk-nodejs/tencentcloud/common/http/http_connection";
import type { Credential } from "tencentcloud-sdk-nodejs/tencentcloud/common/interface";
import { sdkVersion } from "tencentcloud-sdk-nodejs/tencentcloud/common/sdk_version";
import { ApiAnswerError, EndpointError, TransportError, UnexpectedAnswerError } from "./callFailures";
import { linkSignals } from "./clock";
import { endpointUrl, type Endpoint } from "./endpoint";

/** One API 3.0 request: which action of which product, where, with which parameters. */
export interface ApiRequest {
  endpoint: Endpoint;
  /** Signs the request: `clb`, `cdb`, `vpc`, ... whatever the endpoint's host is called. */
  product: string;
  version: string;
  action: string;
  /** Sent as `X-TC-Region` when set. */
  region?: string;
  params: Record<string, unknown>;
  /** Sent without a signature (`Authorization: SKIP`), as STS AssumeRoleWithWebIdentity is. */
  unsigned?: boolean;
}

/** An answer bigger than this is not a status answer. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/**
 * Sends one signed request through the SDK's own signer and HTTP client and returns the answer's
 * `Response` object. Fails only with the kinds of `callFailures.ts`: `ApiAnswerError` for an
 * error the API answered, `TransportError` for anything lost on the way (retried),
 * `UnexpectedAnswerError` for an answer that is not API 3.0, `EndpointError` for a redirect or an
 * endpoint that TLS cannot trust. The signing service is `request.product`, never a guess from
 * the host, so that a loopback emulator or a TLS proxy in front of the API is signed for right.
 */
export async function callApi(request: ApiRequest, credential: Credential, options: { signal: AbortSignal; timeoutMs: number }): Promise<Record<string, unknown>> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const linked = linkSignals(options.signal, timeout);
  try {
    let answer;
    try {
      answer = await HttpConnection.doRequestWithSign3({
        method: "POST",
        url: `${endpointUrl(request.endpoint)}/`,
        data: request.params,
        service: request.product,
        action: request.action,
        version: request.version,
        // The SDK leaves out X-TC-Region and X-TC-Token when they are undefined.
        region: request.region as string,
        secretId: credential.secretId as string,
        secretKey: credential.secretKey as string,
        token: credential.token as string,
        requestClient: `SDK_NODEJS_${sdkVersion}`,
        language: undefined as unknown as string,
        timeout: options.timeoutMs,
        agent: agentFor(request.endpoint),
        signal: linked.signal,
        skipSign: request.unsigned,
      });
    } catch (error) {
      throw sendFailure(error);
    }
    return await readAnswer(answer, request.action);
  } catch (error) {
    // Whatever the timeout interrupted (connecting, waiting, reading the body), it is one thing.
    if (timeout.aborted && !options.signal.aborted) throw new TransportError(`no answer within ${options.timeoutMs / 1000}s`);
    throw error;
  } finally {
    linked.dispose();
  }
}

/** What node-fetch hands back; only what is read here. */
interface FetchedAnswer {
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
  body: NodeJS.ReadableStream;
}

async function readAnswer(answer: FetchedAnswer, action: string): Promise<Record<string, unknown>> {
  if (answer.status >= 300 && answer.status < 400) {
    throw redirectRefused(answer.headers.get("location"), `HTTP ${answer.status}`);
  }
  const text = await readBody(answer.body);
  if (answer.status !== 200) {
    throw new TransportError(`HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ""}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new TransportError(`the answer is not valid JSON (${text.length === 0 ? "empty" : `${text.length} characters, cut short or not JSON`})`);
  }
  const response = isRecord(body) ? body.Response : undefined;
  if (!isRecord(response)) {
    throw new UnexpectedAnswerError(`${action} answered without a Response object`);
  }
  const requestId = typeof response.RequestId === "string" ? response.RequestId : undefined;
  if (response.Error !== undefined) {
    const { Code, Message } = isRecord(response.Error) ? response.Error : { Code: undefined, Message: undefined };
    if (typeof Code !== "string" || !API_ERROR_CODE.test(Code)) {
      throw new UnexpectedAnswerError(`${action} answered an Error without a valid Code (${describeValue(Code)})`, requestId);
    }
    throw new ApiAnswerError(Code, typeof Message === "string" ? Message : "", requestId);
  }
  return response;
}

/** `AuthFailure.SignatureFailure`, `RequestLimitExceeded`, ...: dotted names, as API 3.0 writes them. */
const API_ERROR_CODE = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9_]+)*$/;

async function readBody(body: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      size += buffer.length;
      if (size > MAX_ANSWER_BYTES) {
        (body as NodeJS.ReadableStream & { destroy?(): void }).destroy?.();
        throw new TransportError(`the answer is larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MB`);
      }
      chunks.push(buffer);
    }
  } catch (error) {
    if (error instanceof TransportError) throw error;
    throw new TransportError(`the answer was cut off or corrupt (${networkReason(error)})`);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Certificate problems: a TLS proxy or private endpoint whose CA this process does not trust. */
const UNTRUSTED_CERTIFICATE = /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|CERT_UNTRUSTED|CERT_REJECTED|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH)$/;

/** The request did not get an answer: retried, unless no retry can fix the cause. */
function sendFailure(error: unknown): Error {
  if (error instanceof EndpointError) return error;
  const code = (error as { code?: unknown })?.code;
  if (typeof code === "string" && UNTRUSTED_CERTIFICATE.test(code)) {
    return new EndpointError(
      "UntrustedCertificate",
      `the endpoint's TLS certificate is not trusted (${code})`,
      "if the endpoint is a TLS proxy or a private deployment, give this process its CA certificate with env NODE_EXTRA_CA_CERTS=/path/to/ca.pem; otherwise check endpoint",
    );
  }
  const reason = networkReason(error);
  const notTls = /wrong version number|packet length too long|unknown protocol|http request/i.exec(reason);
  if (notTls) {
    return new EndpointError(
      "NotTls",
      `the endpoint does not speak TLS (${notTls[0]})`,
      "it serves plain http: use an http:// endpoint (allowed for loopback hosts only) or the port that serves https",
    );
  }
  return new TransportError(reason);
}

/** A short reason for a network error, without header values: node-fetch quotes a refused header value whole. */
function networkReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  if (/header/i.test(error.message) && !(typeof code === "string" && code.startsWith("E"))) {
    return "a request header has a character HTTP does not allow";
  }
  const reason = error.message.replace(/^request to \S+ failed, reason: /, "");
  return typeof code === "string" && !reason.includes(code) ? `${code}: ${reason}` : reason;
}

function redirectRefused(location: string | null, how: string): EndpointError {
  const target = location ? ` to ${location.slice(0, 200)}` : " without a Location";
  return new EndpointError(
    "RedirectRefused",
    `the endpoint answered with a redirect${target} (${how}); the Tencent Cloud API never redirects, and requests carry credentials, so it is not followed`,
    "check endpoint: it must be the Tencent Cloud API itself, not a page or proxy in front of it",
  );
}

// One keep-alive pool per kind of connection for the whole process. Idle sockets in a pool do
// not keep the process alive.
const loopbackHttp = new http.Agent({ keepAlive: true });
const directHttps = new https.Agent({ keepAlive: true });
const proxies = new Map<string, http.Agent>();

/**
 * The connection agent for an endpoint, as a function of the URL: node-fetch calls it for the
 * request and again for every redirect it would follow, so the second call refuses the redirect
 * before anything (the session token in particular) is sent to the new location. A loopback
 * endpoint never goes through a proxy; others honour `http_proxy` as the SDK does.
 */
function agentFor(endpoint: Endpoint): http.Agent {
  let calls = 0;
  const choose = (url: URL): http.Agent => {
    if (++calls > 1) throw redirectRefused(url.href, "followed by the HTTP client");
    if (url.protocol === "http:") return loopbackHttp;
    const proxy = endpoint.loopback ? undefined : process.env.http_proxy || process.env.HTTPS_PROXY || process.env.https_proxy;
    if (!proxy) return directHttps;
    let agent = proxies.get(proxy);
    if (!agent) {
      agent = createHttpsProxyAgent(proxy) as unknown as http.Agent;
      proxies.set(proxy, agent);
    }
    return agent;
  };
  // node-fetch documents `agent` as an Agent or a function of the URL; the SDK's type knows only the first.
  return choose as unknown as http.Agent;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describeValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
