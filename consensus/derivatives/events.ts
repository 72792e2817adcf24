// What the engine reports: the receipts of the order lane and the input of JSON-RPC subscriptions. Events are
// outputs only; the state hash covers the state, not the events.

import type { EngineRejectCode } from "./engine-errors.ts";
import type { OrderSide } from "./actions.ts";

export type OrderDoneReason =
  | "filled" | "cancelled" | "self-trade" | "reduce-only" | "expired" | "ioc-remainder" | "book-full" | "replaced" | "liquidation";

export type EngineEvent =
  | { type: "deposited"; account: string; amountQuote: bigint }
  | { type: "withdrawn"; account: string; amountQuote: bigint }
  | { type: "order-accepted"; account: string; marketId: number; nonce: number; side: OrderSide; priceTicks: number; lots: number }
  | { type: "order-rested"; account: string; marketId: number; nonce: number; orderId: number; lots: number }
  | {
      type: "fill"; marketId: number; priceTicks: number; lots: number; taker: string; takerNonce: number; takerSide: OrderSide;
      maker: string; makerNonce: number; takerFeeQuote: bigint; makerFeeQuote: bigint;
    }
  | { type: "order-done"; account: string; marketId: number; nonce: number; reason: OrderDoneReason }
  | { type: "trigger-armed"; account: string; marketId: number; nonce: number }
  | { type: "trigger-fired"; account: string; marketId: number; nonce: number; markTicks: number }
  | { type: "trigger-rejected"; account: string; marketId: number; nonce: number; code: EngineRejectCode }
  | { type: "trigger-cancelled"; account: string; marketId: number; nonce: number }
  | { type: "mark"; marketId: number; indexTicks: number; markTicks: number }
  | { type: "funding"; marketId: number; rateBps: number; fundingIndex: bigint }
  | { type: "liquidation"; account: string; equityQuote: bigint; insurancePaidQuote: bigint; penaltyQuote: bigint }
  | { type: "adl"; marketId: number; account: string; counterparty: string; lots: number; priceTicks: number };
