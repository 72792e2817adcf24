// Order-lane actions: the shapes a trader signs (place, cancel, cancel-all, replace; one leg or a batch of up to
// 32 legs under one signature). Shapes and semantic rules only; the byte layout is in order-codec.ts and the
// agreement on their order in fair-order.ts. Integers only: prices in ticks, sizes in lots (DESIGN "Order lane").

import type { Address, PublicKey, Signature } from "../types.ts";

export const ORDER_VERSION = 1;
/** Legs in one signed action; a market maker's 32-leg requote still fits one 1472-byte UDP payload. */
export const ORDER_LEGS_MAX = 32;
/** Market id that a cancel-all leg uses to mean "every market". Never a tradable market. */
export const MARKET_ALL = 0xffff;

export const ActionKind = { Place: 1, Cancel: 2, CancelAll: 3, Replace: 4 } as const;
export type ActionKind = (typeof ActionKind)[keyof typeof ActionKind];
export const ACTION_KINDS: readonly ActionKind[] = [1, 2, 3, 4];

/** None is for legs that do not trade (cancel, cancel-all). */
export const Side = { None: 0, Buy: 1, Sell: 2 } as const;
export type Side = (typeof Side)[keyof typeof Side];
export const SIDES: readonly Side[] = [0, 1, 2];

/** Order kind flags: exactly one time-in-force bit on a trading leg, optionally post-only / reduce-only. */
export const OrderFlag = { Gtc: 0x01, Ioc: 0x02, Fok: 0x04, PostOnly: 0x08, ReduceOnly: 0x10 } as const;
export const ORDER_FLAGS_ALL = 0x1f;
export const TIME_IN_FORCE_MASK = OrderFlag.Gtc | OrderFlag.Ioc | OrderFlag.Fok;

/** A trigger arms the leg when the mark price crosses triggerPriceTicks (stop: against the position, take-profit: with it). */
export const TriggerKind = { None: 0, Stop: 1, TakeProfit: 2 } as const;
export type TriggerKind = (typeof TriggerKind)[keyof typeof TriggerKind];
export const TRIGGER_KINDS: readonly TriggerKind[] = [0, 1, 2];

/**
 * One instruction. A resting order is named by (account, market, clientOrderId); cancel and replace name their target by
 * targetClientOrderId, which keeps a leg at 38 bytes (a 32-byte hash per leg would not fit 32 legs in a frame).
 * Fields a kind does not use must be zero (validateOrderAction).
 */
export interface OrderLeg {
  marketId: number; // u16
  action: ActionKind;
  side: Side;
  flags: number; // u8, OrderFlag bits
  triggerKind: TriggerKind;
  priceTicks: bigint; // u64
  sizeLots: bigint; // u64
  triggerPriceTicks: bigint; // u64
  clientOrderId: number; // u32, > 0 on place/replace
  targetClientOrderId: number; // u32, > 0 on cancel/replace
}

/** What the trading key signs: one or more legs, executed in leg order at one assigned time. */
export interface OrderActionBody {
  version: number;
  chainId: bigint;
  account: Address;
  /** ed25519 key the account registered on chain for trading (checked against state by the engine). */
  tradingKey: PublicKey;
  /** Replay protection: each nonce is accepted once per trading key (nonce-window.ts). */
  nonce: bigint;
  /** Last block height at which the action may execute, and the expiry of any order it leaves resting; 0 = none. */
  goodTilBlock: bigint;
  legs: OrderLeg[];
}

export interface OrderAction extends OrderActionBody {
  signature: Signature;
}

/** Ordering class inside a block (fair-order.ts): cancels first, then post-only, then the rest. */
export const LaneClass = { Cancel: 0, PostOnly: 1, Other: 2 } as const;
export type LaneClass = (typeof LaneClass)[keyof typeof LaneClass];

function legClass(leg: OrderLeg): LaneClass {
  if (leg.action === ActionKind.Cancel || leg.action === ActionKind.CancelAll) return LaneClass.Cancel;
  if ((leg.flags & OrderFlag.PostOnly) !== 0) return LaneClass.PostOnly;
  return LaneClass.Other;
}

/**
 * An action's class is its latest leg class: a requote of cancels plus post-only places is post-only, and any
 * taking leg makes the whole action "other", so a batch can never pull a taking leg ahead of its class.
 */
export function laneClassOf(body: OrderActionBody): LaneClass {
  let cls: LaneClass = LaneClass.Cancel;
  for (const leg of body.legs) {
    const c = legClass(leg);
    if (c > cls) cls = c;
  }
  return cls;
}
