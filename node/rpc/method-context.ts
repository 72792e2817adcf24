// What a JSON-RPC method handler receives, and the dispatch from a method name to its handler. Method tables are
// Maps, so a name such as "constructor" or "__proto__" can never reach an object prototype.
// Not here: the methods themselves (eth-methods.ts, xdp-methods.ts, lane-methods.ts) or the envelope (json-rpc.ts).

import type { LaneBackend } from "../lane/lane-backend.ts";
import type { MethodCall } from "./json-rpc.ts";
import type { LaneTopic } from "./lane-subscriptions.ts";
import type { RpcBackend } from "./rpc-backend.ts";
import { RpcError } from "./rpc-error.ts";

/** eth_subscribe and lane_subscribe ids share one cap but each unsubscribe method ends only its own kind. */
export type SubscriptionNamespace = "eth" | "lane";

/** A connection's subscriptions (WebSocket only). */
export interface SubscriptionRegistry {
  /** Starts an eth_subscribe subscription and returns its id; throws RpcError (unknown kind, limit). */
  subscribe(kind: string): string;
  /** Starts a lane_subscribe subscription (topic already validated); throws RpcError (lane not enabled, limit). */
  subscribeLane(topic: LaneTopic): string;
  /** Ends a subscription of the namespace (default "eth"); false when no such id is active there. */
  unsubscribe(id: string, namespace?: SubscriptionNamespace): boolean;
}

export interface MethodContext {
  backend: RpcBackend;
  transport: "http" | "ws";
  /** The order lane, when this node runs one; lane_ methods answer "not enabled" without it. */
  lane?: LaneBackend;
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
