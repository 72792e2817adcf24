// What the node's order lane offers JSON-RPC (node/rpc/lane-methods.ts) and the CLI: the committed lane state,
// order status and fills kept from executed blocks, an RPC path for orders beside the UDP lane, and a feed of
// committed lane blocks for WebSocket subscriptions. Implemented by node/lane/lane-service.ts.

import type { EngineEvent } from "../../consensus/derivatives/events.ts";
import type { LaneOrderOutcome } from "../../consensus/lane/lane-execution.ts";
import type { LaneState } from "../../consensus/lane/lane-state.ts";

export type LaneOrderStatus =
  /** Received (stamped by this validator or relayed), not yet in a finalized block. */
  | "pending"
  /** In a finalized block; `outcome` says what each leg did. */
  | "executed"
  /** In a finalized block but refused as a whole (unregistered key, stale nonce, expired): see outcome.rejected. */
  | "rejected";

export interface LaneOrderRecord {
  /** Hex order id (sha256 of the signed bytes), no 0x. */
  orderId: string;
  /** Lowercase 0x address. */
  account: string;
  status: LaneOrderStatus;
  /** This validator's receive stamp, µs since the Unix epoch, when it stamped the order itself. */
  receivedAtUs?: number;
  blockHeight?: number;
  /** Index in the block's lane (fair order). */
  position?: number;
  /** What each leg did (or why the whole action was refused). Absent while pending. */
  outcome?: LaneOrderOutcome;
}

/** One fill of a finalized block, as an account sees it. */
export interface LaneFill {
  blockHeight: number;
  marketId: number;
  priceTicks: number;
  lots: number;
  side: "buy" | "sell";
  /** The client order id of the account's order (engine nonce). */
  clientOrderId: number;
  liquidity: "maker" | "taker";
  feeQuote: bigint;
  counterparty: string;
}

/** A finalized block's lane activity, for subscriptions (lane_subscribe "fills" and "book"). */
export interface LaneBlockSummary {
  height: number;
  hash: string;
  timestampMs: number;
  cutoffUs: number;
  orders: LaneOrderOutcome[];
  /** Tick, price and lane-call events, then every order's events, in execution order. */
  events: EngineEvent[];
  /** Markets whose book changed in this block. */
  booksChanged: number[];
}

export type SubmitOrderResult = { ok: true; orderId: string } | { ok: false; code: string; message: string };

export interface LaneInfo {
  /** Where clients send order datagrams: this validator's lane host and UDP port. */
  host: string;
  port: number;
  ingest: "xdp" | "udp";
  /** Why this ingest path (e.g. why AF_XDP is not used). */
  reason: string;
  deltaMs: number;
}

export interface LaneBackend {
  /** The lane state after the last finalized block. Read only: never change it. */
  state(): LaneState;
  /** Height of the last finalized block. */
  headHeight(): number;
  info(): LaneInfo;
  orderStatus(orderIdHex: string): LaneOrderRecord | undefined;
  /** Most recent first, at most `limit` (bounded retention: the last LANE_FILLS_KEPT fills per account). */
  fills(account: string, limit: number): LaneFill[];
  /** Same checks as the UDP lane (decode, chain id, signature, duplicate), then stamped and relayed. */
  submitOrder(bytes: Uint8Array): SubmitOrderResult;
  /** Calls `listener` after each finalized block that ran the lane; returns the unsubscribe function. */
  onBlock(listener: (summary: LaneBlockSummary) => void): () => void;
}
