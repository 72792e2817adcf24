// Cross-margin checks at the mark price. Equity = collateral + sum(unrealized PnL - pending funding). Maintenance
// requirement = sum |size| * mark * mmBps; initial requirement uses the worst exposure that open orders could
// reach, max(|size + openBuy|, |size - openSell|), at imBps. Requirements round up; an order must leave
// equity - worst-case price loss versus mark - worst-case taker fee >= the initial requirement with it included.

import { assert } from "../errors.ts";
import type { Account, AccountMarket } from "./account.ts";
import { unrealizedPnlQuote } from "./account.ts";
import type { EngineState, MarketState } from "./engine-state.ts";
import { pendingFundingQuote } from "./funding.ts";
import { bpsCeil, notionalQuote } from "./market.ts";
import { BUY, type Side } from "./order-book.ts";

function marketOf(state: EngineState, id: number): MarketState {
  const ms = state.markets.get(id);
  assert(ms !== undefined, `account refers to unknown market ${id}`);
  return ms;
}

export function positionValueQuote(ms: MarketState, m: AccountMarket): bigint {
  return unrealizedPnlQuote(ms.market, m, ms.markTicks) - pendingFundingQuote(m, ms.fundingIndex);
}

export function equityQuote(state: EngineState, account: Account): bigint {
  let equity = account.collateralQuote;
  for (const [id, m] of account.markets) if (m.sizeLots !== 0) equity += positionValueQuote(marketOf(state, id), m);
  return equity;
}

export function maintenanceRequirementQuote(state: EngineState, account: Account): bigint {
  let req = 0n;
  for (const [id, m] of account.markets) {
    if (m.sizeLots === 0) continue;
    const ms = marketOf(state, id);
    req += bpsCeil(notionalQuote(ms.market, ms.markTicks, Math.abs(m.sizeLots)), ms.market.maintenanceMarginBps);
  }
  return req;
}

function exposureLots(m: AccountMarket, extraBuyLots: number, extraSellLots: number): number {
  return Math.max(Math.abs(m.sizeLots + m.openBuyLots + extraBuyLots), Math.abs(m.sizeLots - m.openSellLots - extraSellLots));
}

/** Initial requirement, optionally as if one more order (marketId, side, lots) were open and one removed. */
export function initialRequirementQuote(state: EngineState, account: Account, extra?: OrderDelta): bigint {
  let req = 0n;
  let extraSeen = extra === undefined;
  for (const [id, m] of account.markets) {
    const ms = marketOf(state, id);
    let buy = 0;
    let sell = 0;
    if (extra !== undefined && extra.marketId === id) {
      extraSeen = true;
      buy = extra.buyLots;
      sell = extra.sellLots;
    }
    const lots = exposureLots(m, buy, sell);
    if (lots !== 0) req += bpsCeil(notionalQuote(ms.market, ms.markTicks, lots), ms.market.initialMarginBps);
  }
  if (!extraSeen) {
    const ms = marketOf(state, extra!.marketId);
    const lots = Math.max(extra!.buyLots, extra!.sellLots);
    if (lots > 0) req += bpsCeil(notionalQuote(ms.market, ms.markTicks, lots), ms.market.initialMarginBps);
  }
  return req;
}

/** A change to open order lots in one market (negative to model an order being replaced). */
export interface OrderDelta {
  readonly marketId: number;
  readonly buyLots: number;
  readonly sellLots: number;
}

/** Worst-case cost of a new order beyond the requirement: price loss against mark plus taker fee at the limit. */
export function orderWorstCostQuote(ms: MarketState, side: Side, priceTicks: number, lots: number): bigint {
  const gap = side === BUY ? priceTicks - ms.markTicks : ms.markTicks - priceTicks;
  const loss = gap > 0 ? notionalQuote(ms.market, gap, lots) : 0n;
  return loss + bpsCeil(notionalQuote(ms.market, priceTicks, lots), ms.market.takerFeeBps);
}

/** Whether the account may open this order: see the file header. A reduce-only order needs equity >= its worst cost. */
export function hasOrderMargin(
  state: EngineState, account: Account, ms: MarketState, side: Side, priceTicks: number, lots: number, removed: OrderDelta | undefined, reduceOnly: boolean,
): boolean {
  const buy = (side === BUY ? lots : 0) - (removed?.buyLots ?? 0);
  const sell = (side === BUY ? 0 : lots) - (removed?.sellLots ?? 0);
  const required = reduceOnly ? 0n : initialRequirementQuote(state, account, { marketId: ms.market.id, buyLots: buy, sellLots: sell });
  return equityQuote(state, account) - orderWorstCostQuote(ms, side, priceTicks, lots) >= required;
}

export function isLiquidatable(state: EngineState, account: Account): boolean {
  let hasPosition = false;
  for (const m of account.markets.values()) if (m.sizeLots !== 0) hasPosition = true;
  return hasPosition && equityQuote(state, account) < maintenanceRequirementQuote(state, account);
}
