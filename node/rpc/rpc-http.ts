// The HTTP side of the JSON-RPC server: POST / with a JSON body (size-capped before and while reading), CORS
// for allowed browser origins with OPTIONS preflight, and GET /health for container health checks.
// Like go-ethereum, a request from an origin not on the list is still served, just without CORS headers, so
// browsers cannot read it; only its preflight is refused. WebSocket upgrades are handled in rpc-websocket.ts.

import type { IncomingMessage, ServerResponse } from "node:http";
import { errorResponse } from "./json-rpc.ts";
import { RpcError } from "./rpc-error.ts";
import type { OriginPolicy, RpcLimits, RpcLog } from "./rpc-options.ts";

export interface HttpDeps {
  limits: RpcLimits;
  origins: OriginPolicy;
  log: RpcLog;
  /** Handles one JSON-RPC message text; undefined means "nothing to answer" (notifications). */
  handle: (text: string) => Promise<string | undefined>;
  health: () => { ok: boolean; body: Record<string, unknown> };
}

const CORS_METHODS = "POST, GET, OPTIONS";
const CORS_HEADERS_DEFAULT = "content-type";
const CORS_MAX_AGE_SECONDS = "600";

function setCors(req: IncomingMessage, res: ServerResponse, origins: OriginPolicy): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  const allowed = origins.allowOrigin(origin);
  res.setHeader("Vary", "Origin");
  if (allowed === undefined) return false;
  res.setHeader("Access-Control-Allow-Origin", allowed);
  return true;
}

function sendJson(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), ...extra });
  res.end(text);
}

function tooLarge(res: ServerResponse, limit: number): void {
  const err = new RpcError("RPC_ERROR_LIMIT_EXCEEDED", `request body exceeds ${limit} bytes`);
  sendJson(res, 413, JSON.stringify(errorResponse(null, err)), { Connection: "close" });
}

function preflight(req: IncomingMessage, res: ServerResponse, origins: OriginPolicy): void {
  if (!setCors(req, res, origins)) {
    res.writeHead(403, { "Content-Type": "text/plain" });
    res.end("origin not allowed\n");
    return;
  }
  const requested = req.headers["access-control-request-headers"];
  const headers = typeof requested === "string" && /^[A-Za-z0-9\-_, ]{1,512}$/.test(requested) ? requested : CORS_HEADERS_DEFAULT;
  res.writeHead(204, {
    "Access-Control-Allow-Methods": CORS_METHODS,
    "Access-Control-Allow-Headers": headers,
    "Access-Control-Max-Age": CORS_MAX_AGE_SECONDS,
  });
  res.end();
}

function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const type = value.split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || type === "application/json-rpc" || type === "application/jsonrequest";
}

/** Reads the body up to `limit` bytes; resolves undefined (after answering 413) when it is larger. */
function readBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (text: string | undefined): void => {
      if (done) return;
      done = true;
      resolve(text);
    };
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        tooLarge(res, limit);
        finish(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => finish(Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => finish(undefined));
    req.on("close", () => finish(undefined));
  });
}

async function handlePost(req: IncomingMessage, res: ServerResponse, deps: HttpDeps): Promise<void> {
  if (!isJsonContentType(req.headers["content-type"])) {
    res.writeHead(415, { "Content-Type": "text/plain" });
    res.end("content type must be application/json\n");
    return;
  }
  const limit = deps.limits.httpBodyBytesMax;
  const declared = Number(req.headers["content-length"] ?? "0");
  if (Number.isFinite(declared) && declared > limit) {
    tooLarge(res, limit);
    req.resume();
    return;
  }
  const text = await readBody(req, res, limit);
  if (text === undefined || res.headersSent || res.destroyed) return;
  const answer = await deps.handle(text);
  if (res.destroyed) return;
  if (answer === undefined) {
    res.writeHead(204);
    res.end();
    return;
  }
  sendJson(res, 200, answer);
}

function handleHealth(res: ServerResponse, deps: HttpDeps): void {
  let status = 503;
  let body: Record<string, unknown> = { status: "error" };
  try {
    const h = deps.health();
    status = h.ok ? 200 : 503;
    body = h.body;
  } catch (err) {
    deps.log("error", "rpc health check failed", { err: String(err) });
  }
  sendJson(res, status, JSON.stringify(body), { "Cache-Control": "no-store" });
}

/** The request listener. Never throws; failures end the response with 500. */
export function handleHttp(req: IncomingMessage, res: ServerResponse, deps: HttpDeps): void {
  const path = (req.url ?? "/").split("?")[0];
  setCors(req, res, deps.origins);
  const run = async (): Promise<void> => {
    if (req.method === "OPTIONS") return preflight(req, res, deps.origins);
    if (req.method === "GET" && path === "/health") return handleHealth(res, deps);
    if (path !== "/") {
      res.writeHead(404, { "Content-Type": "text/plain" });
      res.end("not found\n");
      return;
    }
    if (req.method !== "POST") {
      res.writeHead(405, { "Content-Type": "text/plain", Allow: CORS_METHODS });
      res.end("JSON-RPC requests are POST; WebSocket clients upgrade on the same path\n");
      return;
    }
    await handlePost(req, res, deps);
  };
  run().catch((err: unknown) => {
    deps.log("error", "rpc http handler failed", { err: String(err) });
    if (!res.headersSent && !res.destroyed) {
      res.writeHead(500, { "Content-Type": "text/plain" });
      res.end("internal error\n");
    } else {
      res.destroy();
    }
  });
}
