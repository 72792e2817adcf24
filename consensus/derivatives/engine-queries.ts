// Read-only views of an EngineState for JSON-RPC and the CLI: markets with their parameters and prices, book
// depth by price level, an account's margin picture (margin.ts, the same rules liquidation uses), its open orders
// and armed triggers, and funding per market. Pure; never changes the state. Book views are bounded by the
// caller's `depth`, account views by the engine's per-account limits. Not a formatter: amounts stay bigint here
// (node/rpc/lane-format.ts makes JSON of them).

import { unrealizedPnlQuote, type Account, type AccountMarket } from "./account.ts";
import type { OrderSide } from "./actions.ts";
import type { EngineState, MarketState, TriggerKind } from "./engine-state.ts";
import { fundingRateBps, pendingFundingQuote } from "./funding.ts";
import { equityQuote, initialRequirementQuote, isLiquidatable, maintenanceRequirementQuote } from "./margin.ts";
import type { TimeInForce } from "./matching.ts";
import { bpsCeil, notionalQuote, type Market } from "./market.ts";
import { BUY, SELL, type Side } from "./order-book.ts";
import { sideName } from "./order-flow.ts";

/** A market's genesis parameters and its current prices. Best prices are null when that side is empty. */
export interface MarketView {
  readonly market: Market;
  readonly indexTicks: number;
  readonly markTicks: number;
  readonly bestBidTicks: number | null;
  readonly bestAskTicks: number | null;
  readonly lastFundingRateBps: number;
  readonly fundingIndex: bigint;
  /** Resting orders in the book. */
  readonly restingOrders: number;
}

export interface BookLevelView {
  readonly priceTicks: number;
  readonly lots: number;
  readonly orders: number;
}

/** Levels best first: bids descending, asks ascending. */
export interface BookDepthView {
  readonly marketId: number;
  readonly height: number;
  readonly bids: BookLevelView[];
  readonly asks: BookLevelView[];
}

export interface PositionView {
  readonly marketId: number;
  /** Signed: positive long, negative short; 0 when only open orders keep the market record. */
  readonly sizeLots: number;
  /** Signed quote paid to open it (positive for longs). */
  readonly entryNotionalQuote: bigint;
  readonly markTicks: number;
  /** size * mark * quotePerTickLot - entry notional. */
  readonly unrealizedPnlQuote: bigint;
  /** Funding owed since the last settlement (negative: owed to the account); equity already subtracts it. */
  readonly pendingFundingQuote: bigint;
  /** This position's share of the account's maintenance requirement. */
  readonly maintenanceRequirementQuote: bigint;
  readonly openBuyLots: number;
  readonly openSellLots: number;
}

export interface AccountView {
  /** Lowercase 0x-hex address. */
  readonly account: string;
  /** False when the engine has no account (it never deposited): every value is then zero. */
  readonly exists: boolean;
  readonly collateralQuote: bigint;
  /** Collateral plus unrealized PnL minus pending funding, at mark. */
  readonly equityQuote: bigint;
  readonly initialRequirementQuote: bigint;
  readonly maintenanceRequirementQuote: bigint;
  /** Cumulative realized PnL (already inside collateral). */
  readonly realizedPnlQuote: bigint;
  /**
   * Maintenance requirement over equity in bps, rounded up (the exchange "margin ratio"): liquidation happens
   * exactly when it exceeds 10_000. 0 without positions; null when equity is not positive while a position is open.
   */
  readonly marginRatioBps: number | null;
  /** What the next block tick would decide (margin.ts isLiquidatable). */
  readonly liquidatable: boolean;
  /** In market id order. */
  readonly positions: PositionView[];
}

export interface OpenOrderView {
  readonly marketId: number;
  /** The engine nonce that placed it: the client order id cancels and replaces name. */
  readonly clientOrderId: number;
  /** The engine's own id of the resting order (time priority is ascending id within a level). */
  readonly orderId: number;
  readonly side: OrderSide;
  readonly priceTicks: number;
  readonly remainingLots: number;
  readonly reduceOnly: boolean;
  /** 0: good until cancelled. */
  readonly goodTilBlock: number;
}

export interface TriggerView {
  readonly marketId: number;
  readonly clientOrderId: number;
  readonly kind: TriggerKind;
  readonly triggerTicks: number;
  readonly side: OrderSide;
  readonly priceTicks: number;
  readonly lots: number;
  readonly tif: TimeInForce;
  readonly reduceOnly: boolean;
  readonly goodTilBlock: number;
}

export interface FundingView {
  readonly marketId: number;
  /** The rate applied at the last funding height (0 before the first). */
  readonly lastFundingRateBps: number;
  /** The rate the next funding height would apply at the current mark and index. */
  readonly predictedRateBps: number;
  /** Cumulative index, quote units * 1e-6 per lot (funding.ts FUNDING_INDEX_SCALE). */
  readonly fundingIndex: bigint;
  readonly fundingIntervalBlocks: number;
  /** The first height above the engine's current one that closes a funding interval. */
  readonly nextFundingHeight: number;
  readonly markTicks: number;
  readonly indexTicks: number;
}

/** Every market in id order. */
export function marketViews(state: EngineState): MarketView[] {
  return [...state.markets.values()].map((ms) => ({
    market: ms.market,
    indexTicks: ms.indexTicks,
    markTicks: ms.markTicks,
    bestBidTicks: ms.book.bestBidTicks === -1 ? null : ms.book.bestBidTicks,
    bestAskTicks: ms.book.bestAskTicks === -1 ? null : ms.book.bestAskTicks,
    lastFundingRateBps: ms.lastFundingRateBps,
    fundingIndex: ms.fundingIndex,
    restingOrders: ms.book.size,
  }));
}

function levelsOf(ms: MarketState, side: Side, depth: number): BookLevelView[] {
  return ms.book.levels(side, depth).map((l) => ({ priceTicks: l.priceTicks, lots: l.totalLots, orders: l.count }));
}

/** Up to `depth` levels per side; undefined for an unknown market. */
export function bookDepth(state: EngineState, marketId: number, depth: number): BookDepthView | undefined {
  const ms = state.markets.get(marketId);
  if (ms === undefined) return undefined;
  return { marketId, height: state.height, bids: levelsOf(ms, BUY, depth), asks: levelsOf(ms, SELL, depth) };
}

function positionView(ms: MarketState, m: AccountMarket): PositionView {
  const open = m.sizeLots !== 0;
  return {
    marketId: ms.market.id,
    sizeLots: m.sizeLots,
    entryNotionalQuote: m.entryNotionalQuote,
    markTicks: ms.markTicks,
    unrealizedPnlQuote: open ? unrealizedPnlQuote(ms.market, m, ms.markTicks) : 0n,
    pendingFundingQuote: open ? pendingFundingQuote(m, ms.fundingIndex) : 0n,
    maintenanceRequirementQuote: open ? bpsCeil(notionalQuote(ms.market, ms.markTicks, Math.abs(m.sizeLots)), ms.market.maintenanceMarginBps) : 0n,
    openBuyLots: m.openBuyLots,
    openSellLots: m.openSellLots,
  };
}

/** ceil(maintenance * 10_000 / equity); see AccountView.marginRatioBps. */
export function marginRatioBps(equity: bigint, maintenance: bigint): number | null {
  if (maintenance === 0n) return 0;
  if (equity <= 0n) return null;
  const ratio = (maintenance * 10_000n + equity - 1n) / equity;
  return ratio > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(ratio);
}

function emptyAccountView(id: string): AccountView {
  return {
    account: id, exists: false, collateralQuote: 0n, equityQuote: 0n, initialRequirementQuote: 0n, maintenanceRequirementQuote: 0n,
    realizedPnlQuote: 0n, marginRatioBps: 0, liquidatable: false, positions: [],
  };
}

/** The account's margin picture at the current mark; a zero view for an address the engine does not know. */
export function accountView(state: EngineState, id: string): AccountView {
  const account = state.accounts.get(id);
  if (account === undefined) return emptyAccountView(id);
  const equity = equityQuote(state, account);
  const maintenance = maintenanceRequirementQuote(state, account);
  const positions = [...account.markets]
    .sort((a, b) => a[0] - b[0])
    .map(([marketId, m]) => positionView(state.markets.get(marketId)!, m));
  return {
    account: id,
    exists: true,
    collateralQuote: account.collateralQuote,
    equityQuote: equity,
    initialRequirementQuote: initialRequirementQuote(state, account),
    maintenanceRequirementQuote: maintenance,
    realizedPnlQuote: account.realizedPnlQuote,
    marginRatioBps: marginRatioBps(equity, maintenance),
    liquidatable: isLiquidatable(state, account),
    positions,
  };
}

/** Resting orders of the account in client order id order; [] for an unknown account. */
export function openOrders(state: EngineState, id: string): OpenOrderView[] {
  const account: Account | undefined = state.accounts.get(id);
  if (account === undefined) return [];
  const out: OpenOrderView[] = [];
  for (const [nonce, ref] of [...account.orders].sort((a, b) => a[0] - b[0])) {
    const o = state.markets.get(ref.marketId)!.book.get(ref.orderId)!;
    out.push({
      marketId: ref.marketId, clientOrderId: nonce, orderId: o.id, side: sideName(o.side), priceTicks: o.priceTicks,
      remainingLots: o.remainingLots, reduceOnly: o.reduceOnly, goodTilBlock: o.goodTilBlock,
    });
  }
  return out;
}

/** Armed triggers of the account in arming order (the order they would fire in within a market). */
export function armedTriggers(state: EngineState, id: string): TriggerView[] {
  const account = state.accounts.get(id);
  if (account === undefined || account.triggerNonces.size === 0) return [];
  const found: { seq: number; view: TriggerView }[] = [];
  for (const ms of state.markets.values()) {
    for (const t of ms.triggers) {
      if (t.owner !== account.index) continue;
      found.push({
        seq: t.seq,
        view: {
          marketId: ms.market.id, clientOrderId: t.nonce, kind: t.kind, triggerTicks: t.triggerTicks, side: sideName(t.side),
          priceTicks: t.priceTicks, lots: t.lots, tif: t.tif, reduceOnly: t.reduceOnly, goodTilBlock: t.goodTilBlock,
        },
      });
    }
  }
  return found.sort((a, b) => a.seq - b.seq).map((f) => f.view);
}

/** Funding of one market; undefined for an unknown market. */
export function fundingView(state: EngineState, marketId: number): FundingView | undefined {
  const ms = state.markets.get(marketId);
  if (ms === undefined) return undefined;
  const interval = ms.market.fundingIntervalBlocks;
  return {
    marketId,
    lastFundingRateBps: ms.lastFundingRateBps,
    predictedRateBps: fundingRateBps(ms.market, ms.markTicks, ms.indexTicks),
    fundingIndex: ms.fundingIndex,
    fundingIntervalBlocks: interval,
    nextFundingHeight: (Math.floor(state.height / interval) + 1) * interval,
    markTicks: ms.markTicks,
    indexTicks: ms.indexTicks,
  };
}
