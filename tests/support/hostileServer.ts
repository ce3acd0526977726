import { execFileSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A small server of the tests' own that answers the way the project's emulator never does: it
 * cuts bodies, resets connections, redirects, answers wrong types and echoes secrets. Each test
 * scripts its answers; every request is recorded with its headers, so that a test can see what
 * was sent (and to whom).
 */
export interface HostileServer {
  /** `http://127.0.0.1:PORT` (or https). */
  url: string;
  readonly requests: { headers: http.IncomingHttpHeaders; body: string }[];
  /** Answers the next requests with these handlers in order; the last one is repeated. */
  script(...handlers: Handler[]): void;
  close(): Promise<void>;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

export async function startHostileServer(tls?: { key: string; cert: string }): Promise<HostileServer> {
  let handlers: Handler[] = [answer({ Status: 0 })];
  const requests: HostileServer["requests"] = [];
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({ headers: req.headers, body });
      const handler = handlers.length > 1 ? handlers.shift()! : handlers[0];
      handler(req, res, body);
    });
  };
  const server = tls ? https.createServer(tls, listener) : http.createServer(listener);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    requests,
    script: (...next) => {
      handlers = next;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** HTTP 200 with `{"Response": response}` (a RequestId added unless given). */
export function answer(response: unknown): Handler {
  return (_req, res) => {
    const body = typeof response === "object" && response !== null && !Array.isArray(response) ? { RequestId: "r-hostile-0001", ...response } : response;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ Response: body }));
  };
}

/** Any body at all, as given. */
export function raw(status: number, body: string, headers: http.OutgoingHttpHeaders = { "content-type": "application/json" }): Handler {
  return (_req, res) => res.writeHead(status, headers).end(body);
}

/** Headers and half of a body, then the connection is closed: a proxy that gave up mid-answer. */
export const cutAfterHeaders: Handler = (_req, res) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": "400" });
  res.write('{"Response":{"Status":0,');
  setTimeout(() => res.socket?.destroy(), 20);
};

/** Part of a chunked body, then a TCP reset. */
export const resetMidBody: Handler = (_req, res) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.write('{"Response":{"Sta');
  setTimeout(() => res.socket?.resetAndDestroy(), 20);
};

/** A body announced as gzip that is not. */
export const corruptGzip: Handler = (_req, res) => {
  res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
  res.end(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x03, 0x42, 0x42, 0x42, 0x42]));
};

export function redirect(location: string, status = 307): Handler {
  return (_req, res) => res.writeHead(status, { location }).end();
}

/**
 * A certificate authority and a certificate for 127.0.0.1 and localhost signed by it, made with
 * openssl for this run: a TLS endpoint that Node trusts only when told about the CA.
 */
export function makeCertificates(names = "IP:127.0.0.1,DNS:localhost"): { dir: string; caFile: string; key: string; cert: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "task-wait-tls-"));
  const run = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=task-wait test CA");
  run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
  writeFileSync(join(dir, "san.ext"), `subjectAltName=${names}\n`);
  run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "san.ext");
  return {
    dir,
    caFile: join(dir, "ca.pem"),
    key: readFileSync(join(dir, "server.key"), "utf8"),
    cert: readFileSync(join(dir, "server.pem"), "utf8"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A TLS-terminating proxy in front of a plain-http server on loopback, as users put in front of the emulator. */
export async function startTlsProxy(targetUrl: string, tls: { key: string; cert: string }): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(targetUrl);
  const server = https.createServer(tls, (req, res) => {
    const forward = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on("error", () => res.writeHead(502).end());
    req.pipe(forward);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
