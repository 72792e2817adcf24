// The JSON-RPC 2.0 envelope, independent of transport: parse a message, validate each request, run single calls
// and batches, echo ids, answer nothing to notifications, and turn every failure into an error response.
// Not here: which methods exist (eth-methods.ts, xdp-methods.ts) or how bytes arrive (rpc-server.ts).
// Spec: https://www.jsonrpc.org/specification; error codes also per EIP-1474.

import { RPC_CODES, RpcError } from "./rpc-error.ts";

export type JsonRpcId = string | number | null;

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export type JsonRpcResponse =
  | { jsonrpc: "2.0"; id: JsonRpcId; result: unknown }
  | { jsonrpc: "2.0"; id: JsonRpcId; error: JsonRpcErrorObject };

/** Runs one method; throws RpcError for a protocol answer, anything else becomes -32603. */
export type MethodCall = (method: string, params: unknown[]) => Promise<unknown>;

export interface EnvelopeOptions {
  batchLengthMax: number;
  /** Called for exceptions that are not RpcError (a bug or a backend failure), so the server can log them. */
  onInternalError: (method: string, err: unknown) => void;
}

export function errorResponse(id: JsonRpcId, err: RpcError): JsonRpcResponse {
  const error: JsonRpcErrorObject = { code: err.data.rpcCode, message: err.data.detail };
  if (err.data.rpcData !== undefined) error.data = err.data.rpcData;
  return { jsonrpc: "2.0", id, error };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function validId(v: unknown): v is JsonRpcId {
  return v === null || typeof v === "string" || (typeof v === "number" && Number.isFinite(v));
}

type ParsedRequest =
  | { kind: "call"; id: JsonRpcId; notification: boolean; method: string; params: unknown[] }
  | { kind: "invalid"; id: JsonRpcId; notification: boolean; err: RpcError };

/** Checks one request object. An invalid request is answered even without an id (the spec answers with id null). */
export function parseRequest(value: unknown): ParsedRequest {
  if (!isPlainObject(value)) {
    return { kind: "invalid", id: null, notification: false, err: new RpcError("RPC_ERROR_INVALID_REQUEST", "request must be an object") };
  }
  const hasId = Object.hasOwn(value, "id");
  const id = hasId && validId(value.id) ? value.id : null;
  const invalid = (detail: string): ParsedRequest => ({
    kind: "invalid",
    id,
    notification: false,
    err: new RpcError("RPC_ERROR_INVALID_REQUEST", detail),
  });
  if (value.jsonrpc !== "2.0") return invalid('jsonrpc must be exactly "2.0"');
  if (hasId && !validId(value.id)) return invalid("id must be a string, a number or null");
  if (typeof value.method !== "string" || value.method.length === 0) return invalid("method must be a non-empty string");
  if (value.method.length > 128) return invalid("method name is too long");
  const notification = !hasId;
  const params = value.params;
  if (params === undefined || params === null) return { kind: "call", id, notification, method: value.method, params: [] };
  if (Array.isArray(params)) return { kind: "call", id, notification, method: value.method, params };
  if (isPlainObject(params)) {
    const err = new RpcError("RPC_ERROR_INVALID_PARAMS", "params must be an array: this server takes positional parameters only");
    return { kind: "invalid", id, notification, err };
  }
  return invalid("params must be an array or an object");
}

async function runOne(value: unknown, call: MethodCall, options: EnvelopeOptions): Promise<JsonRpcResponse | undefined> {
  const req = parseRequest(value);
  if (req.kind === "invalid") return req.notification ? undefined : errorResponse(req.id, req.err);
  let response: JsonRpcResponse;
  try {
    const result = await call(req.method, req.params);
    response = { jsonrpc: "2.0", id: req.id, result: result === undefined ? null : result };
  } catch (err) {
    if (err instanceof RpcError) {
      response = errorResponse(req.id, err);
    } else {
      options.onInternalError(req.method, err);
      response = errorResponse(req.id, new RpcError("RPC_ERROR_INTERNAL", "internal error"));
    }
  }
  return req.notification ? undefined : response;
}

/**
 * Handles one parsed message (a request or a batch). Returns the value to send back, or undefined when nothing is
 * to be sent (notifications only). Batches run one request at a time, so a batch costs no more than its parts.
 */
export async function handleMessage(message: unknown, call: MethodCall, options: EnvelopeOptions): Promise<unknown> {
  if (!Array.isArray(message)) return runOne(message, call, options);
  if (message.length === 0) return errorResponse(null, new RpcError("RPC_ERROR_INVALID_REQUEST", "empty batch"));
  if (message.length > options.batchLengthMax) {
    const detail = `batch of ${message.length} requests exceeds the limit of ${options.batchLengthMax}`;
    return errorResponse(null, new RpcError("RPC_ERROR_LIMIT_EXCEEDED", detail));
  }
  const out: JsonRpcResponse[] = [];
  for (const item of message) {
    const r = await runOne(item, call, options);
    if (r !== undefined) out.push(r);
  }
  return out.length === 0 ? undefined : out;
}

/** Parses text and handles it; returns the serialized answer or undefined. Never throws. */
export async function handleText(text: string, call: MethodCall, options: EnvelopeOptions): Promise<string | undefined> {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return JSON.stringify(errorResponse(null, new RpcError("RPC_ERROR_PARSE", "parse error: invalid JSON")));
  }
  const answer = await handleMessage(message, call, options);
  if (answer === undefined) return undefined;
  try {
    return JSON.stringify(answer);
  } catch (err) {
    options.onInternalError("(serialize)", err);
    return JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: RPC_CODES.RPC_ERROR_INTERNAL, message: "internal error" } });
  }
}
