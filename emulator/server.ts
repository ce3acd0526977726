import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { handleApiRequest } from "./api";
import { CONTROL_PREFIX, handleControlRequest } from "./controlApi";
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
  const body = await readBody(req);
  const method = req.method ?? "GET";
  const path = new URL(req.url ?? "/", "http://emulator").pathname;
  if (method === "POST" && path === "/") return handleApiRequest(req, res, body, state);
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

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
