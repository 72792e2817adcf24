// Liquidation of accounts whose equity fell below the maintenance requirement, run at each block tick in account
// index order (at most maxLiquidationsPerBlock). Steps: cancel the account's orders and triggers; if equity is
// negative the insurance fund pays in what it can; then each position (market id order) is closed by an IOC
// against the book limited at its bankruptcy price (the price at which closing it all leaves equity zero,
// other positions at mark), so book fills never create a deficit; what the book cannot take is auto-deleveraged
// against opposite positions, most profitable first (ties: lower account index): at the mark while the account is
// solvent, at the bankruptcy price when it is not (the fund was empty), so the loss lands on those winners.
// Last, a penalty of liquidationFeeBps on the notional closed goes to the insurance fund from what remains.

import { pruneAccountMarket, type Account } from "./account.ts";
import type { EngineState, MarketState } from "./engine-state.ts";
import type { EngineEvent } from "./events.ts";
import { settleFunding } from "./funding.ts";
import { equityQuote, isLiquidatable, positionValueQuote } from "./margin.ts";
import { bpsCeil, notionalQuote } from "./market.ts";
import { BUY, SELL } from "./order-book.ts";
import { cancelRestingOrder, executeOrder, tradeBetween } from "./order-flow.ts";
import { cancelTrigger, findTrigger } from "./triggers.ts";
import { assert } from "../errors.ts";

/** Price at which closing `sizeLots` leaves equity zero (floor toward the account), clamped to the market range. */
export function bankruptcyPriceTicks(ms: MarketState, sizeLots: number, equity: bigint): number {
  const perTick = BigInt(Math.abs(sizeLots)) * ms.market.quotePerTickLot;
  const q = equity >= 0n ? equity / perTick : -((-equity + perTick - 1n) / perTick);
  const raw = sizeLots > 0 ? BigInt(ms.markTicks) - q : BigInt(ms.markTicks) + q;
  const max = BigInt(ms.market.maxPriceTicks);
  return Number(raw < 1n ? 1n : raw > max ? max : raw);
}

/** Passes over accounts in index order until none is liquidatable (ADL can push a winner under) or the cap is hit. */
export function liquidateAccounts(state: EngineState, events: EngineEvent[]): void {
  let done = 0;
  let again = true;
  while (again) {
    again = false;
    for (const account of state.accountsByIndex) {
      if (done >= state.limits.maxLiquidationsPerBlock) return;
      if (!isLiquidatable(state, account)) continue;
      liquidate(state, account, events);
      done++;
      again = true;
    }
  }
}

function cancelEverything(state: EngineState, account: Account, events: EngineEvent[]): void {
  for (const [, ref] of [...account.orders]) {
    const ms = state.markets.get(ref.marketId)!;
    cancelRestingOrder(state, ms, ms.book.get(ref.orderId)!, "liquidation", events);
  }
  for (const nonce of [...account.triggerNonces]) {
    const found = findTrigger(state, account, nonce)!;
    cancelTrigger(state, found.ms, found.trigger, events);
  }
}

export function liquidate(state: EngineState, account: Account, events: EngineEvent[]): void {
  cancelEverything(state, account, events);
  for (const [id, m] of account.markets) settleFunding(account, m, state.markets.get(id)!);
  const startEquity = equityQuote(state, account);
  let insurancePaid = 0n;
  if (startEquity < 0n && state.insuranceFundQuote > 0n) {
    insurancePaid = -startEquity < state.insuranceFundQuote ? -startEquity : state.insuranceFundQuote;
    state.insuranceFundQuote -= insurancePaid;
    account.collateralQuote += insurancePaid;
  }
  let closedNotional = 0n;
  const marketIds = [...account.markets.keys()].sort((a, b) => a - b);
  for (const id of marketIds) {
    const ms = state.markets.get(id)!;
    const m = account.markets.get(id);
    if (m === undefined || m.sizeLots === 0) continue;
    const lots = Math.abs(m.sizeLots);
    const limit = bankruptcyPriceTicks(ms, m.sizeLots, equityQuote(state, account));
    const side = m.sizeLots > 0 ? SELL : BUY;
    executeOrder(state, account, ms, { side, priceTicks: limit, lots, tif: "ioc", reduceOnly: true, goodTilBlock: 0 }, 0, events, true);
    const left = account.markets.get(id)?.sizeLots ?? 0;
    closedNotional += notionalQuote(ms.market, ms.markTicks, lots - Math.abs(left));
    if (left !== 0) closedNotional += deleverage(state, account, ms, left, events);
  }
  let penalty = bpsCeil(closedNotional, penaltyBps(state, marketIds));
  if (penalty > account.collateralQuote) penalty = account.collateralQuote > 0n ? account.collateralQuote : 0n;
  account.collateralQuote -= penalty;
  state.insuranceFundQuote += penalty;
  if (account.collateralQuote < 0n && state.insuranceFundQuote > 0n) {
    // Only reachable when a bankruptcy price fell outside [1, maxPriceTicks].
    const pay = -account.collateralQuote < state.insuranceFundQuote ? -account.collateralQuote : state.insuranceFundQuote;
    state.insuranceFundQuote -= pay;
    account.collateralQuote += pay;
    insurancePaid += pay;
  }
  events.push({ type: "liquidation", account: account.id, equityQuote: startEquity, insurancePaidQuote: insurancePaid, penaltyQuote: penalty });
}

/** The penalty rate: the highest liquidationFeeBps among the markets the account held. */
function penaltyBps(state: EngineState, marketIds: readonly number[]): number {
  let bps = 0;
  for (const id of marketIds) bps = Math.max(bps, state.markets.get(id)!.market.liquidationFeeBps);
  return bps;
}

/** Closes `sizeLots` of the account's position against opposite positions; returns the notional closed at mark. */
function deleverage(state: EngineState, account: Account, ms: MarketState, sizeLots: number, events: EngineEvent[]): bigint {
  const id = ms.market.id;
  const equity = equityQuote(state, account);
  const price = equity >= 0n ? ms.markTicks : bankruptcyPriceTicks(ms, sizeLots, equity);
  const ranked: { account: Account; value: bigint }[] = [];
  for (const other of state.accountsByIndex) {
    const om = other.markets.get(id);
    if (other === account || om === undefined || om.sizeLots === 0 || Math.sign(om.sizeLots) === Math.sign(sizeLots)) continue;
    ranked.push({ account: other, value: positionValueQuote(ms, om) });
  }
  ranked.sort((a, b) => (a.value === b.value ? a.account.index - b.account.index : a.value > b.value ? -1 : 1));
  let left = Math.abs(sizeLots);
  for (const r of ranked) {
    if (left === 0) break;
    const lots = Math.min(left, Math.abs(r.account.markets.get(id)!.sizeLots));
    if (sizeLots > 0) tradeBetween(ms, r.account, account, lots, price);
    else tradeBetween(ms, account, r.account, lots, price);
    left -= lots;
    pruneAccountMarket(r.account, id);
    events.push({ type: "adl", marketId: id, account: account.id, counterparty: r.account.id, lots, priceTicks: price });
  }
  assert(left === 0, "open interest is balanced, so opposite positions cover any position");
  pruneAccountMarket(account, id);
  return notionalQuote(ms.market, ms.markTicks, Math.abs(sizeLots));
}
