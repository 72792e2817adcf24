// The lane's JSON-RPC methods as the client uses them (node/rpc lane methods; node/lane/lane-backend.ts says what
// they mean): typed wrappers that check the shapes they rely on, fail over between several nodes' URLs when one
// does not answer, and ask every node for an order's status (the most advanced answer wins). Quote amounts
// arrive as decimal strings, ticks, lots and heights as numbers. Not the UDP path: see order-sender.ts.

import { RpcClientError, rpcCall } from "../../devnet/rpc-client.ts";
import { LaneClientError } from "./lane-client-error.ts";
import { parseLaneMarkets, type LaneMarket } from "./market-units.ts";

export const RPC_TIMEOUT_MS = 3_000;

export interface LaneInfo {
  host: string;
  port: number;
  ingest: string;
  reason: string;
  deltaMs: number;
  /** Absent when the node does not report it (then eth_chainId is asked). */
  chainId?: bigint;
}

export type LaneOrderState = "pending" | "executed" | "rejected";

export interface LaneOrderLegOutcome {
  ok: boolean;
  code?: string;
  message?: string;
}

/** lane_orderStatus as JSON (LaneOrderRecord of lane-backend.ts; bigints as decimal strings). */
export interface LaneOrderStatus {
  orderId: string;
  account: string;
  status: LaneOrderState;
  blockHeight?: number;
  outcome?: {
    rejected?: { code: string; message: string };
    legs?: LaneOrderLegOutcome[];
    events?: Record<string, unknown>[];
  };
}

function responseError(method: string, why: string): LaneClientError {
  return new LaneClientError("LANE_CLIENT_ERROR_RESPONSE", `${method}: ${why}`, { method });
}

/** Chain ids arrive as numbers, decimal strings or 0x quantities depending on the method. */
export function parseChainId(v: unknown, method = "chainId"): bigint {
  if (typeof v === "number" && Number.isSafeInteger(v) && v > 0) return BigInt(v);
  if (typeof v === "string" && /^(0x[0-9a-fA-F]{1,16}|\d{1,20})$/.test(v)) return BigInt(v);
  throw responseError(method, `chain id must be a positive integer, got ${JSON.stringify(v)}`);
}

function parseInfo(v: unknown): LaneInfo {
  const o = v as Record<string, unknown> | null;
  if (typeof o !== "object" || o === null) throw responseError("lane_info", "must return an object");
  if (typeof o.host !== "string" || o.host === "") throw responseError("lane_info", "host must be a string");
  if (typeof o.port !== "number" || !Number.isInteger(o.port) || o.port < 1 || o.port > 65_535) throw responseError("lane_info", "port must be 1..65535");
  return {
    host: o.host,
    port: o.port,
    ingest: typeof o.ingest === "string" ? o.ingest : "unknown",
    reason: typeof o.reason === "string" ? o.reason : "",
    deltaMs: typeof o.deltaMs === "number" ? o.deltaMs : 0,
    ...(o.chainId !== undefined && o.chainId !== null ? { chainId: parseChainId(o.chainId, "lane_info") } : {}),
  };
}

function parseStatus(v: unknown): LaneOrderStatus | null {
  if (v === null || v === undefined) return null;
  const o = v as Record<string, unknown>;
  if (typeof o !== "object" || (o.status !== "pending" && o.status !== "executed" && o.status !== "rejected")) {
    throw responseError("lane_orderStatus", `status must be pending, executed or rejected, got ${JSON.stringify((o as { status?: unknown })?.status)}`);
  }
  return o as unknown as LaneOrderStatus;
}

const RANK: Record<LaneOrderState, number> = { pending: 1, executed: 2, rejected: 2 };

export class LaneRpc {
  constructor(
    readonly urls: readonly string[],
    readonly timeoutMs = RPC_TIMEOUT_MS,
  ) {
    if (urls.length === 0) throw new RangeError("LaneRpc needs at least one URL");
  }

  /** Asks the URLs in order until one answers; an error answer (not a timeout) is final. */
  async call<T>(method: string, params: unknown[] = []): Promise<T> {
    let last: unknown;
    for (const url of this.urls) {
      try {
        return await rpcCall<T>(url, method, params, this.timeoutMs);
      } catch (err) {
        if (!(err instanceof RpcClientError) || err.code !== "RPC_CLIENT_ERROR_UNREACHABLE") throw err;
        last = err;
      }
    }
    throw last;
  }

  info(url: string): Promise<LaneInfo> {
    return rpcCall(url, "lane_info", [], this.timeoutMs).then(parseInfo);
  }

  async chainId(): Promise<bigint> {
    return parseChainId(await this.call("eth_chainId"), "eth_chainId");
  }

  async markets(): Promise<LaneMarket[]> {
    return parseLaneMarkets(await this.call("lane_markets"));
  }

  /** One node's answer: null when it does not know the order. */
  async orderStatusAt(url: string, orderIdHex: string): Promise<LaneOrderStatus | null> {
    return parseStatus(await rpcCall(url, "lane_orderStatus", [`0x${orderIdHex.replace(/^0x/, "")}`], this.timeoutMs));
  }

  /** Every node is asked; executed/rejected beats pending beats unknown. Throws only when no node answers. */
  async orderStatus(orderIdHex: string): Promise<LaneOrderStatus | null> {
    const answers = await Promise.allSettled(this.urls.map((u) => this.orderStatusAt(u, orderIdHex)));
    let best: LaneOrderStatus | null = null;
    let answered = false;
    for (const a of answers) {
      if (a.status !== "fulfilled") continue;
      answered = true;
      if (a.value && (best === null || RANK[a.value.status] > RANK[best.status])) best = a.value;
    }
    if (!answered) throw (answers[0] as PromiseRejectedResult).reason;
    return best;
  }

  account(address: string): Promise<Record<string, unknown>> {
    return this.call("lane_account", [address]);
  }

  /** The node's answer as sent: an array of orders, or an object holding them under `orders`. */
  openOrders(address: string): Promise<unknown> {
    return this.call("lane_openOrders", [address]);
  }

  fills(address: string, limit: number): Promise<unknown> {
    return this.call("lane_fills", [address, limit]);
  }

  book(marketId: number, depth: number): Promise<Record<string, unknown>> {
    return this.call("lane_book", [marketId, depth]);
  }

  sendOrder(bytesHex: string): Promise<{ orderId: string }> {
    return this.call("lane_sendOrder", [bytesHex]);
  }
}
