// Stop and take-profit orders: armed with a trigger price, fired at a block tick when the mark crosses it, then
// checked and run like any new order (margin is judged at firing time, not at arming). A stop buys when the mark
// rises to the trigger and sells when it falls to it; a take-profit does the opposite. Triggers fire in arming
// order; one already satisfied when armed is refused. Expired triggers (good-til-block passed) are dropped.

import type { Account } from "./account.ts";
import type { PlaceAction } from "./actions.ts";
import { ENGINE_REJECT, reject, type EngineRejection } from "./engine-errors.ts";
import type { EngineState, MarketState, Trigger } from "./engine-state.ts";
import type { EngineEvent } from "./events.ts";
import { BUY } from "./order-book.ts";
import { checkOrder, executeOrder, isWholeIn, sideOf } from "./order-flow.ts";

export function triggerFires(t: Trigger, markTicks: number): boolean {
  const onRise = (t.kind === "stop") === (t.side === BUY);
  return onRise ? markTicks >= t.triggerTicks : markTicks <= t.triggerTicks;
}

/** Arms a trigger for a checked place action (tick, lot, expiry and market already validated). */
export function armTrigger(state: EngineState, account: Account, ms: MarketState, action: PlaceAction, events: EngineEvent[]): EngineRejection | undefined {
  const spec = action.trigger!;
  if (!isWholeIn(spec.triggerTicks, 1, ms.market.maxPriceTicks)) return reject(ENGINE_REJECT.BAD_TRIGGER, `trigger ${spec.triggerTicks}`);
  if (account.triggerNonces.size >= state.limits.maxTriggersPerAccount || ms.triggers.length >= state.limits.maxTriggersPerMarket) {
    return reject(ENGINE_REJECT.TOO_MANY_ORDERS, "triggers");
  }
  const t: Trigger = {
    seq: state.nextTriggerSeq, owner: account.index, nonce: action.nonce, kind: spec.kind, triggerTicks: spec.triggerTicks,
    side: sideOf(action.side), priceTicks: action.priceTicks, lots: action.sizeLots, tif: action.tif,
    reduceOnly: action.reduceOnly ?? false, goodTilBlock: action.goodTilBlock ?? 0,
  };
  if (triggerFires(t, ms.markTicks)) return reject(ENGINE_REJECT.BAD_TRIGGER, `mark ${ms.markTicks} already past ${spec.triggerTicks}`);
  state.nextTriggerSeq++;
  ms.triggers.push(t);
  account.triggerNonces.add(action.nonce);
  events.push({ type: "trigger-armed", account: account.id, marketId: ms.market.id, nonce: action.nonce });
  return undefined;
}

export function findTrigger(state: EngineState, account: Account, nonce: number): { ms: MarketState; trigger: Trigger } | undefined {
  if (!account.triggerNonces.has(nonce)) return undefined;
  for (const ms of state.markets.values()) {
    const trigger = ms.triggers.find((t) => t.owner === account.index && t.nonce === nonce);
    if (trigger !== undefined) return { ms, trigger };
  }
  return undefined;
}

export function cancelTrigger(state: EngineState, ms: MarketState, trigger: Trigger, events: EngineEvent[]): void {
  const account = state.accountsByIndex[trigger.owner]!;
  ms.triggers = ms.triggers.filter((t) => t !== trigger);
  account.triggerNonces.delete(trigger.nonce);
  events.push({ type: "trigger-cancelled", account: account.id, marketId: ms.market.id, nonce: trigger.nonce });
}

/** At a block tick, after the mark is updated: drop expired triggers, then fire the crossed ones in arming order. */
export function fireTriggers(state: EngineState, ms: MarketState, events: EngineEvent[]): void {
  if (ms.triggers.length === 0) return;
  const fired: Trigger[] = [];
  const kept: Trigger[] = [];
  for (const t of ms.triggers) {
    if (t.goodTilBlock !== 0 && t.goodTilBlock < state.height) {
      const account = state.accountsByIndex[t.owner]!;
      account.triggerNonces.delete(t.nonce);
      events.push({ type: "trigger-cancelled", account: account.id, marketId: ms.market.id, nonce: t.nonce });
    } else if (triggerFires(t, ms.markTicks)) fired.push(t);
    else kept.push(t);
  }
  ms.triggers = kept;
  for (const t of fired) {
    const account = state.accountsByIndex[t.owner]!;
    account.triggerNonces.delete(t.nonce);
    events.push({ type: "trigger-fired", account: account.id, marketId: ms.market.id, nonce: t.nonce, markTicks: ms.markTicks });
    const order = { side: t.side, priceTicks: t.priceTicks, lots: t.lots, tif: t.tif, reduceOnly: t.reduceOnly, goodTilBlock: t.goodTilBlock };
    const checked = checkOrder(state, account, ms, order);
    if ("code" in checked) events.push({ type: "trigger-rejected", account: account.id, marketId: ms.market.id, nonce: t.nonce, code: checked.code });
    else executeOrder(state, account, ms, checked, t.nonce, events);
  }
}
