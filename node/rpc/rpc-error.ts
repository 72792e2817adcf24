// Errors a JSON-RPC call answers with, and the server's own operating errors. Method handlers throw RpcError;
// the dispatcher (json-rpc.ts) turns it into the response's error member and nothing escapes the boundary.
// Numeric codes follow JSON-RPC 2.0 and EIP-1474; the string code names the case for callers and logs.

import { XdpchainError } from "../../consensus/errors.ts";

export const RPC_CODES = {
  RPC_ERROR_PARSE: -32700,
  RPC_ERROR_INVALID_REQUEST: -32600,
  RPC_ERROR_METHOD_NOT_FOUND: -32601,
  RPC_ERROR_INVALID_PARAMS: -32602,
  RPC_ERROR_INTERNAL: -32603,
  /** EIP-1474 "invalid input" / go-ethereum's generic server error: rejected transactions, unavailable state. */
  RPC_ERROR_SERVER: -32000,
  RPC_ERROR_RESOURCE_NOT_FOUND: -32001,
  RPC_ERROR_METHOD_NOT_SUPPORTED: -32004,
  RPC_ERROR_LIMIT_EXCEEDED: -32005,
} as const;

export type RpcErrorCode = keyof typeof RPC_CODES;

/** A JSON-RPC error response in the making: `detail` is the wire message, `rpcData` the optional data member. */
export class RpcError extends XdpchainError<RpcErrorCode, { rpcCode: number; detail: string; rpcData?: unknown }> {
  constructor(code: RpcErrorCode, detail: string, rpcData?: unknown) {
    super(code, detail, rpcData === undefined ? { rpcCode: RPC_CODES[code], detail } : { rpcCode: RPC_CODES[code], detail, rpcData });
  }
}

export function invalidParams(detail: string): RpcError {
  return new RpcError("RPC_ERROR_INVALID_PARAMS", detail);
}

/** Operating errors of the server itself (binding the port, closing). */
export type RpcServerErrorCode = "RPC_SERVER_ERROR_LISTEN" | "RPC_SERVER_ERROR_CONFIG";

export class RpcServerError extends XdpchainError<RpcServerErrorCode> {}
