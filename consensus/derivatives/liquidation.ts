// Liquidation of accounts whose equity fell below the maintenance requirement, run at each block tick in account
// index order (at most maxLiquidationsPerBlock). Steps: cancel the account's orders and triggers; if equity is
// negative the insurance fund pays in what it can; then each position (market id order) is closed by an IOC
// against the book limited at its bankruptcy price (the price at which closing it all leaves equity zero,
// other positions at mark), so book fills never create a deficit; what the book cannot take is auto-deleveraged
// against opposite positions, most profitable first (ties: lower account index): at the mark while the account is
// solvent; when it is not (the fund was empty) the price moves past the mark so the deficit lands on those winners,
// but never pushes a solvent winner below zero (what it cannot pay moves on to later winners and markets).
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
    // Only reachable when the winners' equity or the price range [1, maxPriceTicks] could not cover the deficit.
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
    const price = adlPriceTicks(state, account, r.account, ms, sizeLots, lots, left);
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

/**
 * The price of one ADL trade of `lots` with `winner`, `leftLots` of the account's position still open here.
 * Closing at mark leaves everyone's equity as it was (applyTrade's truncation only moves value between realized
 * PnL and the kept entry notional), so a price `shift` ticks past the mark moves exactly shift * lots *
 * quotePerTickLot of equity from the winner to the account. Solvent account: shift 0. Otherwise the deficit is
 * spread over the lots still to close, rounded up, kept inside the price range, and capped so that the winner's
 * equity stays >= 0. The one exception is a winner already below zero that keeps a position after this trade:
 * it is liquidated later in this pass anyway, and its own ADL passes the extra loss on.
 *
 * Why the cap (the bug "a flat account can end a block at collateral -1 after auto-deleveraging"): the old code
 * closed every lot at one bankruptcy price from the account's whole cross-margin deficit, rounded up to a tick
 * over all lots, with no regard to what the winner could bear. A winner pushed under and left flat has nothing
 * to be liquidated for, so what it paid beyond its equity stayed as negative collateral. Two ways this happened:
 * the rounding made winners pay up to lots * quotePerTickLot - 1 beyond the deficit (equity 46,943 covered the
 * exact deficit of 46,897; the rounded price cost 46,944: flat at -1); and the deficit of every market landed on
 * the first market's winners however small their stake (one lot short with 30,599 of equity was charged 30,611,
 * mostly another market's loss: flat at -12). Pushing a solvent winner under is no better when it keeps a
 * position: its small remainder then cannot pass the loss on. Now what a capped winner cannot pay stays a
 * deficit, which the next winners and the account's later markets see through its equity. Every quote unit
 * still moves in a trade, so conservation stays exact.
 */
function adlPriceTicks(state: EngineState, account: Account, winner: Account, ms: MarketState, sizeLots: number, lots: number, leftLots: number): number {
  const mark = ms.markTicks;
  const deficit = -equityQuote(state, account);
  if (deficit <= 0n) return mark;
  const perTick = ms.market.quotePerTickLot;
  const spread = BigInt(leftLots) * perTick;
  let shift = (deficit + spread - 1n) / spread;
  const room = BigInt(sizeLots > 0 ? ms.market.maxPriceTicks - mark : mark - 1);
  if (shift > room) shift = room;
  const winnerEquity = equityQuote(state, winner);
  if (winnerEquity >= 0n || isLeftFlat(winner, ms.market.id, lots)) {
    const affordable = winnerEquity > 0n ? winnerEquity / (BigInt(lots) * perTick) : 0n;
    if (shift > affordable) shift = affordable;
  }
  return sizeLots > 0 ? mark + Number(shift) : mark - Number(shift);
}

/** Whether closing `lots` in market `marketId` leaves the account with no position anywhere. */
function isLeftFlat(account: Account, marketId: number, lots: number): boolean {
  for (const [id, m] of account.markets) {
    if (m.sizeLots !== 0 && (id !== marketId || Math.abs(m.sizeLots) > lots)) return false;
  }
  return true;
}
