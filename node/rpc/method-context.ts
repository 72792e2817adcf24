// What a JSON-RPC method handler receives, and the dispatch from a method name to its handler. Method tables are
// Maps, so a name such as "constructor" or "__proto__" can never reach an object prototype.
// Not here: the methods themselves (eth-methods.ts, xdp-methods.ts) or the envelope (json-rpc.ts).

import type { MethodCall } from "./json-rpc.ts";
import type { RpcBackend } from "./rpc-backend.ts";
import { RpcError } from "./rpc-error.ts";

/** A connection's subscriptions (WebSocket only). */
export interface SubscriptionRegistry {
  /** Starts a subscription and returns its id; throws RpcError (unknown kind, limit). */
  subscribe(kind: string): string;
  unsubscribe(id: string): boolean;
}

export interface MethodContext {
  backend: RpcBackend;
  transport: "http" | "ws";
  /** Present on WebSocket connections only. */
  subscriptions?: SubscriptionRegistry;
}

export type MethodHandler = (params: unknown[], ctx: MethodContext) => unknown;
export type MethodTable = ReadonlyMap<string, MethodHandler>;

export function mergeTables(...tables: MethodTable[]): MethodTable {
  const out = new Map<string, MethodHandler>();
  for (const t of tables) for (const [name, fn] of t) out.set(name, fn);
  return out;
}

export function methodCaller(table: MethodTable, ctx: MethodContext): MethodCall {
  return async (method, params) => {
    const handler = table.get(method);
    if (!handler) throw new RpcError("RPC_ERROR_METHOD_NOT_FOUND", `the method ${method} does not exist/is not available`);
    return await handler(params, ctx);
  };
}
