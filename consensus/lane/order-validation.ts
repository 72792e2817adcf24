// Semantic rules for a decoded order action: chain id, leg kinds and fields consistent with each kind, batch
// limits, expiry, signature. Returns a verdict (peer input is data); it does not consult state: whether the
// trading key is registered and the nonce fresh are checked by the caller (state, nonce-window.ts).

import type { Ed25519Verify } from "../crypto/ed25519.ts";
import type { Verdict } from "../errors.ts";
import { ACCEPT } from "../errors.ts";
import { verifyOrderAction } from "./order-codec.ts";
import {
  ActionKind,
  MARKET_ALL,
  ORDER_FLAGS_ALL,
  ORDER_LEGS_MAX,
  ORDER_VERSION,
  OrderFlag,
  Side,
  TIME_IN_FORCE_MASK,
  TriggerKind,
  type OrderAction,
  type OrderLeg,
} from "./order.ts";

export type OrderErrorCode =
  | "ORDER_ERROR_VERSION"
  | "ORDER_ERROR_WRONG_CHAIN"
  | "ORDER_ERROR_LEG_COUNT"
  | "ORDER_ERROR_EXPIRED"
  | "ORDER_ERROR_BAD_LEG"
  | "ORDER_ERROR_DUPLICATE_CLIENT_ID"
  | "ORDER_ERROR_INVALID_SIGNATURE";

export interface OrderValidationContext {
  chainId: bigint;
  /** Height the action would execute at; an action past its good-til-block is ignored (it was valid once). */
  heightBlocks: bigint;
  verify: Ed25519Verify;
}

function isOneBit(x: number): boolean {
  return x !== 0 && (x & (x - 1)) === 0;
}

/** Place and replace: a side, one time-in-force, post-only only as GTC, positive price and size, sane trigger. */
function tradingLegProblem(leg: OrderLeg): string | undefined {
  if (leg.marketId === MARKET_ALL) return "market 0xffff is not tradable";
  if (leg.side !== Side.Buy && leg.side !== Side.Sell) return "a trading leg needs a side";
  if (!isOneBit(leg.flags & TIME_IN_FORCE_MASK)) return "exactly one of GTC, IOC, FOK";
  const postOnly = (leg.flags & OrderFlag.PostOnly) !== 0;
  if (postOnly && (leg.flags & OrderFlag.Gtc) === 0) return "post-only must be GTC";
  if (leg.priceTicks === 0n) return "price must be > 0";
  if (leg.sizeLots === 0n) return "size must be > 0";
  if (leg.clientOrderId === 0) return "client order id must be > 0";
  if (leg.triggerKind === TriggerKind.None) {
    if (leg.triggerPriceTicks !== 0n) return "trigger price without a trigger";
  } else {
    if (leg.triggerPriceTicks === 0n) return "trigger price must be > 0";
    if (postOnly) return "a triggered order cannot be post-only";
  }
  if (leg.action === ActionKind.Place && leg.targetClientOrderId !== 0) return "place has no target";
  if (leg.action === ActionKind.Replace && leg.targetClientOrderId === 0) return "replace needs a target";
  return undefined;
}

/** Cancel and cancel-all carry nothing but their market (and the target for cancel). */
function cancelLegProblem(leg: OrderLeg): string | undefined {
  const tradingFieldsZero =
    leg.side === Side.None && leg.flags === 0 && leg.triggerKind === TriggerKind.None &&
    leg.priceTicks === 0n && leg.sizeLots === 0n && leg.triggerPriceTicks === 0n && leg.clientOrderId === 0;
  if (!tradingFieldsZero) return "cancel legs carry no trading fields";
  if (leg.action === ActionKind.Cancel) {
    if (leg.marketId === MARKET_ALL) return "cancel names one market";
    if (leg.targetClientOrderId === 0) return "cancel needs a target";
  } else if (leg.targetClientOrderId !== 0) return "cancel-all has no target";
  return undefined;
}

export function legProblem(leg: OrderLeg): string | undefined {
  if ((leg.flags & ~ORDER_FLAGS_ALL) !== 0) return "unknown flag bits";
  if (leg.action === ActionKind.Place || leg.action === ActionKind.Replace) return tradingLegProblem(leg);
  return cancelLegProblem(leg);
}

/** Everything that can be said about an action without state. Cheap checks run before the signature. */
export function validateOrderAction(action: OrderAction, ctx: OrderValidationContext): Verdict<OrderErrorCode> {
  if (action.version !== ORDER_VERSION) return { action: "reject", code: "ORDER_ERROR_VERSION" };
  if (action.chainId !== ctx.chainId) return { action: "reject", code: "ORDER_ERROR_WRONG_CHAIN" };
  if (action.legs.length < 1 || action.legs.length > ORDER_LEGS_MAX) {
    return { action: "reject", code: "ORDER_ERROR_LEG_COUNT", detail: `${action.legs.length} legs` };
  }
  const placedIds = new Set<number>();
  for (let i = 0; i < action.legs.length; i++) {
    const leg = action.legs[i]!;
    const problem = legProblem(leg);
    if (problem !== undefined) return { action: "reject", code: "ORDER_ERROR_BAD_LEG", detail: `leg ${i}: ${problem}` };
    if (leg.action === ActionKind.Place || leg.action === ActionKind.Replace) {
      const key = leg.marketId * 2 ** 32 + leg.clientOrderId;
      if (placedIds.has(key)) return { action: "reject", code: "ORDER_ERROR_DUPLICATE_CLIENT_ID", detail: `leg ${i}` };
      placedIds.add(key);
    }
  }
  if (action.goodTilBlock !== 0n && action.goodTilBlock < ctx.heightBlocks) {
    return { action: "ignore", code: "ORDER_ERROR_EXPIRED" };
  }
  if (!verifyOrderAction(action, ctx.verify)) return { action: "reject", code: "ORDER_ERROR_INVALID_SIGNATURE" };
  return ACCEPT;
}
