// The order lane's JSON shapes for lane_ methods and lane_subscription notifications. One rule for numbers:
// bigints (quote amounts, the funding index, chain id, nonces) are decimal strings, since JSON numbers cannot carry
// them exactly; safe integers (ticks, lots, heights, bps, counts, market ids, µs stamps) are JSON numbers.
// Addresses are lowercase 0x-hex, order ids and keys 0x-hex. Not here: looking anything up (lane-methods.ts).

import type { BookDepthView, FundingView, MarketView, AccountView, OpenOrderView, TriggerView } from "../../consensus/derivatives/engine-queries.ts";
import type { EngineEvent } from "../../consensus/derivatives/events.ts";
import type { LaneFill, LaneOrderRecord } from "../lane/lane-backend.ts";
import type { Json } from "./rpc-format.ts";

type FillEvent = Extract<EngineEvent, { type: "fill" }>;

/** Backend hex (with or without 0x, any case) as lowercase 0x-hex. */
export function prefixedHex(hex: string): string {
  const body = hex.startsWith("0x") || hex.startsWith("0X") ? hex.slice(2) : hex;
  return `0x${body.toLowerCase()}`;
}

export function formatMarket(v: MarketView): Json {
  const m = v.market;
  return {
    id: m.id, symbol: m.symbol, tickSizeQuote: m.tickSizeQuote.toString(), lotSizeBaseE9: m.lotSizeBaseE9.toString(),
    quotePerTickLot: m.quotePerTickLot.toString(), maxPriceTicks: m.maxPriceTicks, maxOrderLots: m.maxOrderLots,
    maxPositionLots: m.maxPositionLots, initialMarginBps: m.initialMarginBps, maintenanceMarginBps: m.maintenanceMarginBps,
    takerFeeBps: m.takerFeeBps, makerFeeBps: m.makerFeeBps, liquidationFeeBps: m.liquidationFeeBps,
    fundingIntervalBlocks: m.fundingIntervalBlocks, maxFundingRateBps: m.maxFundingRateBps, markBandBps: m.markBandBps,
    initialIndexTicks: m.initialIndexTicks, indexMaxAgeBlocks: m.indexMaxAgeBlocks,
    indexTicks: v.indexTicks, markTicks: v.markTicks, bestBidTicks: v.bestBidTicks, bestAskTicks: v.bestAskTicks,
    lastFundingRateBps: v.lastFundingRateBps, fundingIndex: v.fundingIndex.toString(), restingOrders: v.restingOrders,
  };
}

export function formatBook(v: BookDepthView): Json {
  const level = (l: BookDepthView["bids"][number]): Json => ({ priceTicks: l.priceTicks, lots: l.lots, orders: l.orders });
  return { marketId: v.marketId, height: v.height, bids: v.bids.map(level), asks: v.asks.map(level) };
}

export function formatAccount(v: AccountView, tradingKeys: readonly string[], height: number): Json {
  return {
    account: v.account, height, exists: v.exists, collateralQuote: v.collateralQuote.toString(), equityQuote: v.equityQuote.toString(),
    initialRequirementQuote: v.initialRequirementQuote.toString(), maintenanceRequirementQuote: v.maintenanceRequirementQuote.toString(),
    realizedPnlQuote: v.realizedPnlQuote.toString(), marginRatioBps: v.marginRatioBps, liquidatable: v.liquidatable,
    positions: v.positions.map((p) => ({
      marketId: p.marketId, sizeLots: p.sizeLots, entryNotionalQuote: p.entryNotionalQuote.toString(), markTicks: p.markTicks,
      unrealizedPnlQuote: p.unrealizedPnlQuote.toString(), pendingFundingQuote: p.pendingFundingQuote.toString(),
      maintenanceRequirementQuote: p.maintenanceRequirementQuote.toString(), openBuyLots: p.openBuyLots, openSellLots: p.openSellLots,
    })),
    tradingKeys: tradingKeys.map(prefixedHex),
  };
}

export function formatOpenOrders(account: string, height: number, orders: readonly OpenOrderView[], triggers: readonly TriggerView[]): Json {
  return {
    account,
    height,
    orders: orders.map((o) => ({
      marketId: o.marketId, clientOrderId: o.clientOrderId, side: o.side, priceTicks: o.priceTicks, remainingLots: o.remainingLots,
      reduceOnly: o.reduceOnly, goodTilBlock: o.goodTilBlock,
    })),
    triggers: triggers.map((t) => ({
      marketId: t.marketId, clientOrderId: t.clientOrderId, kind: t.kind, triggerTicks: t.triggerTicks, side: t.side,
      priceTicks: t.priceTicks, lots: t.lots, timeInForce: t.tif, reduceOnly: t.reduceOnly, goodTilBlock: t.goodTilBlock,
    })),
  };
}

export function formatFunding(v: FundingView): Json {
  return {
    marketId: v.marketId, lastFundingRateBps: v.lastFundingRateBps, predictedRateBps: v.predictedRateBps, fundingIndex: v.fundingIndex.toString(),
    fundingIntervalBlocks: v.fundingIntervalBlocks, nextFundingHeight: v.nextFundingHeight, markTicks: v.markTicks, indexTicks: v.indexTicks,
  };
}

/** Any engine event: the same fields, bigints as decimal strings. */
export function formatEvent(e: EngineEvent): Json {
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(e) as [string, unknown][]) out[k] = typeof v === "bigint" ? v.toString() : (v as Json);
  return out;
}

export function formatOrderRecord(r: LaneOrderRecord): Json {
  const o = r.outcome;
  return {
    orderId: prefixedHex(r.orderId),
    account: r.account,
    status: r.status,
    receivedAtUs: r.receivedAtUs ?? null,
    blockHeight: r.blockHeight ?? null,
    position: r.position ?? null,
    outcome: o === undefined ? null : {
      nonce: o.nonce.toString(),
      rejected: o.rejected === undefined ? null : { code: o.rejected.code, message: o.rejected.message },
      legs: o.legs.map((l) => ({ ok: l.ok, code: l.code ?? null, message: l.message ?? null })),
      events: o.events.map(formatEvent),
    },
  };
}

/** A fill as the account that asked sees it (lane_fills). */
export function formatAccountFill(f: LaneFill): Json {
  return {
    blockHeight: f.blockHeight, marketId: f.marketId, priceTicks: f.priceTicks, lots: f.lots, side: f.side, clientOrderId: f.clientOrderId,
    liquidity: f.liquidity, feeQuote: f.feeQuote.toString(), counterparty: f.counterparty,
  };
}

/** A fill of a block, both sides (the "fills" subscription). */
export function formatFillEvent(f: FillEvent): Json {
  return {
    marketId: f.marketId, priceTicks: f.priceTicks, lots: f.lots, taker: f.taker, takerClientOrderId: f.takerNonce, takerSide: f.takerSide,
    maker: f.maker, makerClientOrderId: f.makerNonce, takerFeeQuote: f.takerFeeQuote.toString(), makerFeeQuote: f.makerFeeQuote.toString(),
  };
}
