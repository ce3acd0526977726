import { randomUUID } from "node:crypto";
import { STATUS_CODES, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { findAction, isServedAction, parseBody, runAction, signedFor, type Signing } from "./actions";
import { ApiError } from "./apiError";
import { apiErrorMessage, DEFAULT_STALL_MS, type FaultSpec } from "./faults";
import { sendJson } from "./respond";
import { verifyTc3, type RequestHeaders } from "./signature";
import type { EmulatorState } from "./state";
import type { RequestOutcome } from "./stats";

/** Answers one API 3.0 request (`POST /`), counting it in the stats and the request log. */
export async function handleApiRequest(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  state: EmulatorState,
): Promise<void> {
  const at = Date.now();
  const headers = singleValued(req.headers);
  const action = headers["x-tc-action"];
  const statsKey = statsKeyOf(action, state);
  state.stats.received(statsKey);
  const seen: Seen = {};
  const outcome = await answer({ req, res, headers, body, action, statsKey, seen }, state);
  state.requests.add({ at, action: statsKey, outcome, ...seen });
}

/**
 * The key a request counts under in the stats and the log: its action if the emulator serves it
 * or a script answers it; `(unknown)` for any other action, so that junk actions cannot grow
 * the stats; `(none)` without one. Requests of both kinds still show, so that misdirected
 * traffic is visible.
 */
export function statsKeyOf(action: string | undefined, state: EmulatorState): string {
  if (action === undefined) return "(none)";
  return isServedAction(action) || state.sts.serves(action) || state.sts.servesUnsigned(action) || state.scripts.hasAction(action) ? action : "(unknown)";
}

/** What the log shows of a request once known: the service it was signed for, its version. */
interface Seen {
  service?: string;
  version?: string;
}

interface ApiRequest {
  req: IncomingMessage;
  res: ServerResponse;
  headers: RequestHeaders;
  body: Buffer;
  action: string | undefined;
  statsKey: string;
  seen: Seen;
}

/**
 * Answers the request and returns how (a stalled request that is answered later: as answered).
 * Order: injected faults, signature, scripted answers, action, version and signing service,
 * rate limit, parameters, the action itself.
 */
async function answer(request: ApiRequest, state: EmulatorState): Promise<RequestOutcome> {
  const { req, res, headers, body, action, statsKey, seen } = request;
  const fault = state.faults.fire(action);
  if (fault) {
    state.stats.count(statsKey, "faulted");
    if (fault.kind !== "stall") {
      injectFault(req, res, fault);
      return "faulted";
    }
    if (!(await stall(res, fault.delayMs ?? DEFAULT_STALL_MS))) return "faulted";
  }
  const requestId = randomUUID();
  try {
    // Signatures and rate limits use real time: clients sign with it.
    let response: object;
    if (state.sts.servesUnsigned(action)) {
      state.stats.accepted(statsKey);
      response = state.sts.answerUnsigned(action!, headers["x-tc-version"], body, Date.now());
      sendJson(res, 200, { Response: { ...response, RequestId: requestId } });
      state.stats.count(statsKey, "ok");
      return "ok";
    }
    const { credential, service } = verifyTc3(headers, body, state.sts.accepted(state.credentials), Date.now());
    state.sts.checkCurrent(credential, Date.now());
    seen.service = service.slice(0, 64);
    const signing: Signing = { service, host: headers.host ?? "" };
    const version = headers["x-tc-version"];
    seen.version = version?.slice(0, 32);
    let scriptedRequestId: unknown;
    if (state.sts.serves(action)) {
      state.limiter.take(action!, credential.secretId);
      state.stats.accepted(statsKey);
      response = state.sts.answer(action!, version, body, credential, Date.now());
    } else {
      const scripted = action === undefined ? undefined : scriptedAnswer(action, version, signing, body, state);
      const definition = scripted ? undefined : findAction(action, version, signing);
      state.limiter.take(definition?.name ?? (action as string), credential.secretId);
      state.stats.accepted(statsKey);
      // Each account sees only its own tasks.
      const tasks = state.sts.tasksOf(state.sts.accountOf(credential), state.tasks);
      response = scripted ?? runAction(definition!, parseBody(body), { requestId, region: headers["x-tc-region"], tasks });
      scriptedRequestId = scripted?.RequestId;
    }
    sendJson(res, 200, { Response: { ...response, RequestId: scriptedRequestId ?? requestId } });
    state.stats.count(statsKey, "ok");
    return "ok";
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const outcome = outcomeOf(error);
    state.stats.count(statsKey, outcome);
    sendApiError(res, error, requestId);
    return outcome;
  }
}

/** The next scripted answer for this request, if a script matches it. */
function scriptedAnswer(action: string, version: string | undefined, signing: Signing, body: Buffer, state: EmulatorState): Record<string, unknown> | undefined {
  if (!state.scripts.hasAction(action)) return undefined;
  let params: Record<string, unknown> = {};
  try {
    params = parseBody(body);
  } catch {
    // A body that is not a JSON object matches only scripts without `match`.
  }
  return state.scripts.answer({ action, version, params, signedFor: (product) => signedFor(signing, product) });
}

function sendApiError(res: ServerResponse, error: ApiError, requestId: string): void {
  sendJson(res, 200, { Response: { Error: { Code: error.code, Message: error.message }, RequestId: requestId } });
}

function outcomeOf(error: ApiError): RequestOutcome {
  if (error.code.startsWith("AuthFailure")) return "authRejected";
  if (error.code === "RequestLimitExceeded") return "throttled";
  return "rejected";
}

function injectFault(req: IncomingMessage, res: ServerResponse, { kind, answer }: FaultSpec): void {
  switch (kind) {
    case "http500":
    case "http502":
    case "http503": {
      const status = Number(kind.slice("http".length));
      const title = `${status} ${STATUS_CODES[status]}`;
      res.writeHead(status, { "content-type": "text/html" });
      res.end(`<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>\n`);
      return;
    }
    case "reset":
      req.socket.destroy();
      return;
    case "malformed":
      // Cut off mid-object, as by a proxy that drops the connection.
      res.writeHead(200, { "content-type": "application/json" }).end(`{"Response":{"RequestId":"${randomUUID()}"`);
      return;
    case "empty":
      res.writeHead(200, { "content-type": "application/json" }).end();
      return;
    case "answer":
      sendJson(res, 200, { Response: { ...answer, RequestId: randomUUID() } });
      return;
    default:
      sendApiError(res, new ApiError(kind, apiErrorMessage(kind)), randomUUID());
  }
}

/** Holds a request for `ms`; false if the connection closed meanwhile (client gone or emulator closing). */
function stall(res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off("close", onClose);
      resolve(true);
    }, ms);
    res.once("close", onClose);
  });
}

function singleValued(headers: IncomingHttpHeaders): RequestHeaders {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : value]),
  );
}
