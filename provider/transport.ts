import * as http from "node:http";
import * as https from "node:https";
import createHttpsProxyAgent from "https-proxy-agent";
import { HttpConnection } from "tencentcloud-sdk-nodejs-common/tencentcloud/common/http/http_connection";
import type { Credential } from "tencentcloud-sdk-nodejs-common/tencentcloud/common/interface";
import { sdkVersion } from "tencentcloud-sdk-nodejs-common/tencentcloud/common/sdk_version";
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
 * API answers nest a few levels; one nested deeper than this is no answer, and reading it (a
 * status path, scrubbing secrets, copying it) would overflow the stack.
 */
export const MAX_ANSWER_DEPTH = 64;

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
  const connection = new ConnectionWatch();
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
        agent: agentFor(request.endpoint, connection),
        signal: linked.signal,
        skipSign: request.unsigned,
      });
    } catch (error) {
      throw sendFailure(error);
    }
    return await readAnswer(answer, request.action, connection);
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

async function readAnswer(answer: FetchedAnswer, action: string, connection: ConnectionWatch): Promise<Record<string, unknown>> {
  if (answer.status >= 300 && answer.status < 400) {
    throw redirectRefused(answer.headers.get("location"), `HTTP ${answer.status}`);
  }
  if (answer.status === 407) {
    throw new EndpointError(
      "ProxyAuthenticationRequired",
      "the HTTPS proxy refused the connection: it wants credentials (HTTP 407)",
      "check the proxy URL in env HTTPS_PROXY (or https_proxy / http_proxy): give it the user and password the proxy expects, or unset it",
    );
  }
  const text = await readBody(answer.body, connection);
  if (answer.status !== 200) {
    throw new TransportError(`HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ""}`);
  }
  if (nestedDeeperThan(text, MAX_ANSWER_DEPTH)) {
    throw new UnexpectedAnswerError(`${action} answered JSON nested deeper than ${MAX_ANSWER_DEPTH} levels: too deeply nested to be an API answer`);
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

async function readBody(body: NodeJS.ReadableStream, connection: ConnectionWatch): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  // node-fetch leaves the body open when the connection closes short of its Content-Length.
  const stopWatching = connection.onCutShort(() => (body as NodeJS.ReadableStream & { destroy?(error: Error): void }).destroy?.(new TransportError("the connection closed before the whole answer arrived")));
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
  } finally {
    stopWatching();
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Watches the one response of a call: when its connection closes before the body is complete,
 * whoever is reading the body is told at once, instead of at the call's timeout.
 */
class ConnectionWatch {
  private cutShort = false;
  private listener?: () => void;

  /** For the agent: the request this call sends. */
  watch(request: http.ClientRequest): void {
    request.once("response", (response: http.IncomingMessage) => {
      response.once("close", () => {
        if (response.complete) return;
        this.cutShort = true;
        this.listener?.();
      });
    });
  }

  /** Calls `listener` when (or if already) the response was cut short; returns how to stop. */
  onCutShort(listener: () => void): () => void {
    if (this.cutShort) listener();
    else this.listener = listener;
    return () => (this.listener = undefined);
  }
}

/** Certificate problems: a TLS proxy or private endpoint whose CA this process does not trust. */
const UNTRUSTED_CERTIFICATE = /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|CERT_UNTRUSTED|CERT_REJECTED|HOSTNAME_MISMATCH)$/;

/** node-fetch's words for a redirect it could not follow: the Location is no http(s) URL. */
const UNFOLLOWABLE_REDIRECT = /^(invalid-redirect|max-redirect|unsupported-redirect)$/;

/** The request did not get an answer: retried, unless no retry can fix the cause. */
function sendFailure(error: unknown): Error {
  if (error instanceof EndpointError) return error;
  const type = (error as { type?: unknown })?.type;
  if ((typeof type === "string" && UNFOLLOWABLE_REDIRECT.test(type)) || (error instanceof TypeError && /Only HTTP\(S\) protocols are supported/.test(error.message))) {
    // Our endpoint is always http(s): this is the URL of a redirect the API would never send.
    return redirectRefused(undefined, "its Location is not an http(s) URL");
  }
  const code = (error as { code?: unknown })?.code;
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return new EndpointError(
      "CertificateNameMismatch",
      "the endpoint's TLS certificate is for another host name (ERR_TLS_CERT_ALTNAME_INVALID)",
      "use the host name the certificate was issued for in endpoint (a TLS proxy's certificate must name the host or IP address you connect to)",
    );
  }
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
  return new TransportError(reason, typeof code === "string" ? code : undefined);
}

/** Node's and node-fetch's refusals of a header value we would send; they quote the value whole. */
const BAD_REQUEST_HEADER = /^(ERR_INVALID_CHAR|ERR_INVALID_HTTP_TOKEN|ERR_HTTP_INVALID_HEADER_VALUE)$/;

/** A short reason for a network error, without header values: node-fetch quotes a refused header value whole. */
function networkReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  if ((typeof code === "string" && BAD_REQUEST_HEADER.test(code)) || /is not a legal HTTP header (value|name)/.test(error.message)) {
    return "a request header has a character HTTP does not allow";
  }
  if (code === "HPE_HEADER_OVERFLOW" || /Header overflow/i.test(error.message)) return "the answer's headers are larger than Node.js accepts";
  const reason = error.message.replace(/^request to \S+ failed, reason: /, "");
  return typeof code === "string" && !reason.includes(code) ? `${code}: ${reason}` : reason;
}

/** The Location is quoted whole: the wait scrubs the message of secrets, and only then cuts it. */
function redirectRefused(location: string | null | undefined, how: string): EndpointError {
  const target = location ? ` to ${location}` : location === null ? " without a Location" : "";
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
function agentFor(endpoint: Endpoint, connection: ConnectionWatch): http.Agent {
  let calls = 0;
  const choose = (url: URL): http.Agent => {
    if (++calls > 1) throw redirectRefused(url.href, "followed by the HTTP client");
    return watched(url.protocol === "http:" ? loopbackHttp : endpoint.loopback ? directHttps : (proxyAgent() ?? directHttps), connection);
  };
  // node-fetch documents `agent` as an Agent or a function of the URL; the SDK's type knows only the first.
  return choose as unknown as http.Agent;
}

/** The proxy the SDK would use (`http_proxy`, then HTTPS_PROXY / https_proxy), if one is set. */
function proxyAgent(): http.Agent | undefined {
  const setting = ["http_proxy", "HTTPS_PROXY", "https_proxy"].find((name) => process.env[name]);
  if (!setting) return undefined;
  const proxy = process.env[setting]!;
  let agent = proxies.get(proxy);
  if (!agent) {
    if (!URL.canParse(proxy)) {
      // Not quoted: a proxy URL can carry a password.
      throw new EndpointError("InvalidProxy", `env ${setting} is not a URL`, `set ${setting} to the proxy's URL, such as http://proxy.example:3128, or unset it`);
    }
    agent = createHttpsProxyAgent(proxy) as unknown as http.Agent;
    proxies.set(proxy, agent);
  }
  return agent;
}

/**
 * The pooled `agent`, seen by one call: each request it is given is watched for a response cut
 * short. Everything else (the pool, its sockets) is the shared agent's own.
 */
function watched(agent: http.Agent, connection: ConnectionWatch): http.Agent {
  const view = Object.create(agent) as http.Agent & { addRequest(request: http.ClientRequest, options: unknown): void };
  const shared = agent as typeof view;
  view.addRequest = (request, options) => {
    connection.watch(request);
    shared.addRequest(request, options);
  };
  return view;
}

/** Whether the JSON `text` nests objects and arrays deeper than `max`, counted in one pass without parsing it. */
function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") {
      if (++depth > max) return true;
    } else if (c === "}" || c === "]") depth--;
  }
  return false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A value as the answer had it, whole: the wait scrubs messages of secrets first and cuts them after. */
function describeValue(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
