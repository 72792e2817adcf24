// A minimal JSON-RPC client for the devnet launcher and tests: one POST per call with a timeout, errors as
// coded exceptions carrying the JSON-RPC code. Wallet traffic in tests goes through viem; this is for status.

import { XdpchainError } from "../../consensus/errors.ts";

export type RpcClientErrorCode = "RPC_CLIENT_ERROR_UNREACHABLE" | "RPC_CLIENT_ERROR_RESPONSE";

export class RpcClientError extends XdpchainError<RpcClientErrorCode, { rpcCode?: number }> {}

let nextId = 1;

export async function rpcCall<T = unknown>(url: string, method: string, params: unknown[] = [], timeoutMs = 2_000): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new RpcClientError("RPC_CLIENT_ERROR_UNREACHABLE", `${url}: ${(err as Error).message}`, {});
  }
  const body = (await res.json().catch(() => null)) as { result?: T; error?: { code: number; message: string } } | null;
  if (!body) throw new RpcClientError("RPC_CLIENT_ERROR_RESPONSE", `${url}: HTTP ${res.status} without a JSON body`, {});
  if (body.error) throw new RpcClientError("RPC_CLIENT_ERROR_RESPONSE", `${method}: ${body.error.message}`, { rpcCode: body.error.code });
  return body.result as T;
}
