// The inputs of the derivatives engine. Deposits and withdrawals come from chain transactions (value moves
// between the account's native balance and its engine collateral); place/cancel/replace come from the order lane
// in fair order; index prices from validators; a block tick starts every block. All fields are integers.

import type { TriggerKind } from "./engine-state.ts";
import type { TimeInForce } from "./matching.ts";

export type OrderSide = "buy" | "sell";

export interface PlaceAction {
  readonly kind: "place";
  readonly account: string;
  /** Larger than every nonce the account used before; also the order's handle for cancel and replace. */
  readonly nonce: number;
  readonly marketId: number;
  readonly side: OrderSide;
  readonly priceTicks: number;
  readonly sizeLots: number;
  readonly tif: TimeInForce;
  readonly reduceOnly?: boolean;
  /** Last block in which the order may rest or fire; 0 or absent: until cancelled. */
  readonly goodTilBlock?: number;
  /** Stop / take-profit: armed now, placed as this order when the mark crosses triggerTicks. */
  readonly trigger?: { readonly kind: TriggerKind; readonly triggerTicks: number };
}

export type EngineAction =
  | { readonly kind: "deposit"; readonly account: string; readonly amountQuote: bigint }
  | { readonly kind: "withdraw"; readonly account: string; readonly amountQuote: bigint }
  | PlaceAction
  | { readonly kind: "cancel"; readonly account: string; readonly nonce: number; readonly orderNonce: number }
  | { readonly kind: "cancel-all"; readonly account: string; readonly nonce: number; readonly marketId?: number }
  | {
      readonly kind: "replace"; readonly account: string; readonly nonce: number; readonly orderNonce: number;
      readonly priceTicks: number; readonly sizeLots: number; readonly postOnly?: boolean;
    }
  | { readonly kind: "index-price"; readonly oracle: string; readonly marketId: number; readonly priceTicks: number }
  | { readonly kind: "block"; readonly height: number };

export type EngineActionKind = EngineAction["kind"];
