// How a block drives the lane state: the block tick and the proposer's index prices first, then the lane system
// calls among the block's transactions (lane-call.ts), then the lane's orders in fair order. Maps the signed
// order legs (order.ts) onto engine actions (derivatives/actions.ts). Pure; a refusal is data, never a throw.
// A client order id is the engine's per-account handle of the order it places (derivatives/account.ts nonces):
// use each once, increasing. Cancels name their target and spend no handle.

import { apply } from "../derivatives/engine.ts";
import type { EngineAction } from "../derivatives/actions.ts";
import type { EngineEvent } from "../derivatives/events.ts";
import type { TimeInForce } from "../derivatives/matching.ts";
import { acceptNonce, EMPTY_NONCE_WINDOW } from "./nonce-window.ts";
import { LaneOp, WEI_PER_QUOTE, type LaneCall } from "./lane-call.ts";
import { keysOfAccount, tradingKeyId, TRADING_KEYS_PER_ACCOUNT_MAX, accountIdOf, type LaneState } from "./lane-state.ts";
import type { IndexPriceSubmission } from "./lane-section.ts";
import { legProblem } from "./order-validation.ts";
import { ActionKind, MARKET_ALL, OrderFlag, Side, TriggerKind, type OrderActionBody, type OrderLeg } from "./order.ts";

export type LaneCallErrorCode =
  | "LANE_CALL_ERROR_VALUE_NOT_ALLOWED"
  | "LANE_CALL_ERROR_BAD_AMOUNT"
  | "LANE_CALL_ERROR_KEY_TAKEN"
  | "LANE_CALL_ERROR_KEY_REVOKED"
  | "LANE_CALL_ERROR_TOO_MANY_KEYS"
  | "LANE_CALL_ERROR_NOT_YOUR_KEY"
  | "LANE_CALL_ERROR_REFUSED"
  | "LANE_CALL_ERROR_NO_LANE";

export type LaneCallResult =
  | { ok: true; /** wei the escrow pays the sender (withdrawals) */ creditWei: bigint; /** wei the sender pays the escrow (deposits) */ debitWei: bigint; events: EngineEvent[] }
  | { ok: false; code: LaneCallErrorCode; message: string };

function refuse(code: LaneCallErrorCode, message: string): LaneCallResult {
  return { ok: false, code, message };
}

/** Applies one lane system call by `from` carrying `valueWei`; on refusal nothing changes. */
export function applyLaneCall(lane: LaneState, call: LaneCall, from: Uint8Array, valueWei: bigint): LaneCallResult {
  const account = accountIdOf(from);
  if (call.op !== LaneOp.Deposit && valueWei !== 0n) return refuse("LANE_CALL_ERROR_VALUE_NOT_ALLOWED", "only a deposit carries value");
  switch (call.op) {
    case LaneOp.RegisterKey: {
      const key = tradingKeyId(call.tradingKey);
      if (lane.revokedKeys.has(key)) return refuse("LANE_CALL_ERROR_KEY_REVOKED", "a revoked trading key cannot be registered again");
      if (lane.keys.has(key)) return refuse("LANE_CALL_ERROR_KEY_TAKEN", "this trading key is already registered");
      if (keysOfAccount(lane, account).length >= TRADING_KEYS_PER_ACCOUNT_MAX) {
        return refuse("LANE_CALL_ERROR_TOO_MANY_KEYS", `an account may hold ${TRADING_KEYS_PER_ACCOUNT_MAX} trading keys`);
      }
      lane.keys.set(key, { account, window: EMPTY_NONCE_WINDOW });
      return { ok: true, creditWei: 0n, debitWei: 0n, events: [] };
    }
    case LaneOp.RevokeKey: {
      const key = tradingKeyId(call.tradingKey);
      if (lane.keys.get(key)?.account !== account) return refuse("LANE_CALL_ERROR_NOT_YOUR_KEY", "the sender did not register this trading key");
      lane.keys.delete(key);
      lane.revokedKeys.add(key);
      return { ok: true, creditWei: 0n, debitWei: 0n, events: [] };
    }
    case LaneOp.Deposit: {
      if (valueWei <= 0n || valueWei % WEI_PER_QUOTE !== 0n) {
        return refuse("LANE_CALL_ERROR_BAD_AMOUNT", `a deposit is a positive multiple of ${WEI_PER_QUOTE} wei (one quote unit)`);
      }
      return engineCall(lane, { kind: "deposit", account, amountQuote: valueWei / WEI_PER_QUOTE }, 0n, valueWei);
    }
    case LaneOp.Withdraw:
      return engineCall(lane, { kind: "withdraw", account, amountQuote: call.amountQuote }, call.amountQuote * WEI_PER_QUOTE, 0n);
  }
}

function engineCall(lane: LaneState, action: EngineAction, creditWei: bigint, debitWei: bigint): LaneCallResult {
  const result = apply(lane.engine, action);
  if (result.rejection) return refuse("LANE_CALL_ERROR_REFUSED", `${result.rejection.code}: ${result.rejection.message}`);
  return { ok: true, creditWei, debitWei, events: result.events };
}

/** Start of a block: the engine's tick, then the proposer's index prices (it is an oracle when genesis says so). */
export function beginLaneBlock(lane: LaneState, height: number, oracle: string, prices: readonly IndexPriceSubmission[]): EngineEvent[] {
  const tick = apply(lane.engine, { kind: "block", height });
  if (tick.rejection) throw new Error(`lane tick at ${height}: ${tick.rejection.message}`); // execution checked the height
  const events = [...tick.events];
  for (const p of prices) {
    const r = apply(lane.engine, { kind: "index-price", oracle, marketId: p.marketId, priceTicks: p.priceTicks });
    events.push(...r.events);
  }
  return events;
}

export type LaneRejectCode = "LANE_REJECT_UNREGISTERED_KEY" | "LANE_REJECT_WRONG_ACCOUNT" | "LANE_REJECT_STALE_NONCE" | "LANE_REJECT_EXPIRED" | "LANE_REJECT_BAD_LEG";

export interface LegOutcome {
  ok: boolean;
  /** Engine or lane reason a leg was refused (the other legs still ran). */
  code?: string;
  message?: string;
}

export interface LaneOrderOutcome {
  /** Hex order id. */
  orderId: string;
  account: string;
  nonce: bigint;
  /** The whole action was refused before any leg ran. */
  rejected?: { code: LaneRejectCode; message: string };
  legs: LegOutcome[];
  events: EngineEvent[];
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** u64 order fields as engine integers; out-of-range values become 0, which every engine range check refuses. */
function int(v: bigint): number {
  return v <= SAFE ? Number(v) : 0;
}

function timeInForce(flags: number): TimeInForce {
  if ((flags & OrderFlag.Ioc) !== 0) return "ioc";
  if ((flags & OrderFlag.Fok) !== 0) return "fok";
  return (flags & OrderFlag.PostOnly) !== 0 ? "post-only" : "gtc";
}

/** One leg as the engine action it means. */
export function legAction(account: string, body: OrderActionBody, leg: OrderLeg): EngineAction {
  switch (leg.action) {
    case ActionKind.Place: {
      const place = {
        kind: "place" as const, account, nonce: leg.clientOrderId, marketId: leg.marketId,
        side: leg.side === Side.Buy ? "buy" as const : "sell" as const,
        priceTicks: int(leg.priceTicks), sizeLots: int(leg.sizeLots), tif: timeInForce(leg.flags),
        reduceOnly: (leg.flags & OrderFlag.ReduceOnly) !== 0, goodTilBlock: int(body.goodTilBlock),
      };
      if (leg.triggerKind === TriggerKind.None) return place;
      return { ...place, trigger: { kind: leg.triggerKind === TriggerKind.Stop ? "stop" : "take-profit", triggerTicks: int(leg.triggerPriceTicks) } };
    }
    case ActionKind.Cancel:
      return { kind: "cancel", account, nonce: 0, orderNonce: leg.targetClientOrderId };
    case ActionKind.CancelAll:
      return leg.marketId === MARKET_ALL ? { kind: "cancel-all", account, nonce: 0 } : { kind: "cancel-all", account, nonce: 0, marketId: leg.marketId };
    case ActionKind.Replace:
      return {
        kind: "replace", account, nonce: leg.clientOrderId, orderNonce: leg.targetClientOrderId,
        priceTicks: int(leg.priceTicks), sizeLots: int(leg.sizeLots), postOnly: (leg.flags & OrderFlag.PostOnly) !== 0,
      };
  }
}

/**
 * Executes one signed action at `height`: the trading key must be registered to the signing account, the nonce
 * fresh in the key's window (spent even if every leg is refused: the action ran), the action unexpired; then
 * each leg in order. A refused leg does not undo the legs before it.
 */
export function executeLaneOrder(lane: LaneState, body: OrderActionBody, orderIdHex: string, height: number): LaneOrderOutcome {
  const account = accountIdOf(body.account);
  const outcome: LaneOrderOutcome = { orderId: orderIdHex, account, nonce: body.nonce, legs: [], events: [] };
  const refuse = (code: LaneRejectCode, message: string): LaneOrderOutcome => ({ ...outcome, rejected: { code, message } });
  const record = lane.keys.get(tradingKeyId(body.tradingKey));
  if (record === undefined) return refuse("LANE_REJECT_UNREGISTERED_KEY", "the trading key is not registered (or was revoked)");
  if (record.account !== account) return refuse("LANE_REJECT_WRONG_ACCOUNT", "the trading key belongs to another account");
  if (body.goodTilBlock !== 0n && body.goodTilBlock < BigInt(height)) return refuse("LANE_REJECT_EXPIRED", `good-til-block ${body.goodTilBlock} < ${height}`);
  const nonce = acceptNonce(record.window, body.nonce);
  if (!nonce.ok) return refuse("LANE_REJECT_STALE_NONCE", nonce.code);
  record.window = nonce.window;
  for (const leg of body.legs) {
    const problem = legProblem(leg);
    if (problem !== undefined) {
      outcome.legs.push({ ok: false, code: "LANE_REJECT_BAD_LEG", message: problem });
      continue;
    }
    const r = apply(lane.engine, legAction(account, body, leg));
    if (r.rejection) outcome.legs.push({ ok: false, code: r.rejection.code, message: r.rejection.message });
    else outcome.legs.push({ ok: true });
    outcome.events.push(...r.events);
  }
  return outcome;
}
