import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { handleApiRequest, statsKeyOf } from "./api";
import { CONTROL_PREFIX, handleControlRequest } from "./controlApi";
import { MAX_API_BODY_BYTES, MAX_CONTROL_BODY_BYTES } from "./limits";
import { sendJson } from "./respond";
import type { EmulatorState } from "./state";

/** Routes `POST /` to the API 3.0 pipeline and `/_emulator/...` to the control API. */
export function createEmulatorServer(state: EmulatorState): Server {
  return createServer((req, res) => {
    route(req, res, state).catch((error: unknown) => {
      // A bug of the emulator, not an emulated failure: show it to the client.
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(`Emulator error: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  });
}

async function route(req: IncomingMessage, res: ServerResponse, state: EmulatorState): Promise<void> {
  const method = req.method ?? "GET";
  const path = new URL(req.url ?? "/", "http://emulator").pathname;
  const api = method === "POST" && path === "/";
  const limit = api ? MAX_API_BODY_BYTES : MAX_CONTROL_BODY_BYTES;
  const body = await readBody(req, limit);
  if (!body) return tooLarge(req, res, limit, api, state);
  if (api) return handleApiRequest(req, res, body, state);
  if (path.startsWith(CONTROL_PREFIX)) {
    const answer = handleControlRequest(method, path, body, state);
    if (answer.body === undefined) res.writeHead(answer.status).end();
    else sendJson(res, answer.status, answer.body);
    return;
  }
  sendJson(res, 404, {
    error: `Nothing at ${method} ${path}: API 3.0 requests go to POST /, the control API is under ${CONTROL_PREFIX}.`,
  });
}

/** The body, or undefined as soon as it is known to be longer than `limit` (the rest is not read). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers["content-length"] ?? 0) > limit) return resolve(undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off("data", onData);
      req.pause();
      resolve(undefined);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

/**
 * HTTP 413, and the connection closed after it: the rest of the body is never read, so that a
 * huge request costs the emulator nothing. API requests answer in the API's error format.
 */
function tooLarge(req: IncomingMessage, res: ServerResponse, limit: number, api: boolean, state: EmulatorState): void {
  const message = `The request body is larger than ${limit / 1024 / 1024} MB.`;
  res.shouldKeepAlive = false;
  res.once("finish", () => req.socket.destroy());
  if (!api) return sendJson(res, 413, { error: message });
  const action = req.headers["x-tc-action"];
  const statsKey = statsKeyOf(typeof action === "string" ? action : undefined, state);
  state.stats.received(statsKey);
  state.stats.count(statsKey, "rejected");
  state.requests.add({ at: Date.now(), action: statsKey, outcome: "rejected" });
  sendJson(res, 413, { Response: { Error: { Code: "RequestSizeLimitExceeded", Message: message }, RequestId: randomUUID() } });
}
