// Orders from the engine's point of view: the checks an order must pass (shared by user orders, fired triggers
// and replacements), running it through matching with the account bookkeeping of every fill (positions, fees,
// funding settled first, open-order lots, expiry index), and removing resting orders. Not the book (order-book.ts)
// nor the price-time rules (matching.ts).

import type { Account } from "./account.ts";
import { accountMarket, applyTrade, pruneAccountMarket } from "./account.ts";
import type { OrderSide } from "./actions.ts";
import { ENGINE_REJECT, reject, type EngineRejection } from "./engine-errors.ts";
import type { EngineState, MarketState } from "./engine-state.ts";
import type { EngineEvent, OrderDoneReason } from "./events.ts";
import { settleFunding } from "./funding.ts";
import { hasOrderMargin, type OrderDelta } from "./margin.ts";
import { bpsCeil, notionalQuote } from "./market.ts";
import { fillableLots, matchOrder, wouldCross, type MakerCancelReason, type MatchResult, type MatchSink, type TakerOrder, type TimeInForce } from "./matching.ts";
import { BUY, SELL, type RestingOrder, type Side } from "./order-book.ts";

export interface OrderRequest {
  readonly side: Side;
  readonly priceTicks: number;
  readonly lots: number;
  readonly tif: TimeInForce;
  readonly reduceOnly: boolean;
  readonly goodTilBlock: number;
}

export function sideOf(side: OrderSide): Side {
  return side === "buy" ? BUY : SELL;
}

export function sideName(side: Side): OrderSide {
  return side === BUY ? "buy" : "sell";
}

export function isWholeIn(v: number, lo: number, hi: number): boolean {
  return Number.isSafeInteger(v) && v >= lo && v <= hi;
}

/**
 * Checks an order against the account and market; returns the order to run (reduce-only clamped to the
 * position) or a rejection. `replacing` is an order of the same account being swapped out by this one.
 */
export function checkOrder(state: EngineState, account: Account, ms: MarketState, req: OrderRequest, replacing?: RestingOrder): OrderRequest | EngineRejection {
  const market = ms.market;
  if (!isWholeIn(req.priceTicks, 1, market.maxPriceTicks)) return reject(ENGINE_REJECT.BAD_TICK, `price ${req.priceTicks}`);
  if (!isWholeIn(req.lots, 1, market.maxOrderLots)) return reject(ENGINE_REJECT.BAD_LOT, `size ${req.lots}`);
  if (req.goodTilBlock !== 0 && req.goodTilBlock < state.height) return reject(ENGINE_REJECT.EXPIRED, `good til ${req.goodTilBlock}, block ${state.height}`);
  const resting = req.tif === "gtc" || req.tif === "post-only";
  if (resting && replacing === undefined && account.orders.size >= state.limits.maxOrdersPerAccount) return reject(ENGINE_REJECT.TOO_MANY_ORDERS);
  const m = account.markets.get(market.id);
  const size = m?.sizeLots ?? 0;
  let lots = req.lots;
  if (req.reduceOnly) {
    const opposite = req.side === BUY ? size < 0 : size > 0;
    if (!opposite) return reject(ENGINE_REJECT.REDUCE_ONLY_WOULD_INCREASE, `position ${size}`);
    lots = Math.min(lots, Math.abs(size));
  }
  if (req.tif === "post-only" && wouldCross(ms.book, req.side, req.priceTicks)) return reject(ENGINE_REJECT.POST_ONLY_WOULD_CROSS);
  if (resting && !ms.book.hasRoom(req.side, req.priceTicks)) return reject(ENGINE_REJECT.BOOK_FULL);
  const removed: OrderDelta | undefined = replacing === undefined ? undefined
    : { marketId: market.id, buyLots: replacing.side === BUY ? replacing.remainingLots : 0, sellLots: replacing.side === SELL ? replacing.remainingLots : 0 };
  const openBuy = (m?.openBuyLots ?? 0) - (removed?.buyLots ?? 0);
  const openSell = (m?.openSellLots ?? 0) - (removed?.sellLots ?? 0);
  const worst = req.side === BUY ? Math.abs(size + openBuy + lots) : Math.abs(size - openSell - lots);
  if (!req.reduceOnly && worst > market.maxPositionLots) return reject(ENGINE_REJECT.POSITION_LIMIT, `exposure ${worst}`);
  if (!hasOrderMargin(state, account, ms, req.side, req.priceTicks, lots, removed, req.reduceOnly)) return reject(ENGINE_REJECT.INSUFFICIENT_MARGIN);
  const order = { ...req, lots };
  if (req.tif === "fok") {
    const probe: TakerOrder = { id: 0, owner: account.index, nonce: 0, ...order };
    if (fillableLots(ms.book, probe, new EngineSink(state, ms, account, 0, [], false), lots) < lots) return reject(ENGINE_REJECT.FOK_UNFILLABLE);
  }
  return order;
}

/** Runs a checked order; `liquidation` waives the taker fee (the liquidation penalty replaces it). */
export function executeOrder(state: EngineState, account: Account, ms: MarketState, order: OrderRequest, nonce: number, events: EngineEvent[], liquidation = false): MatchResult {
  const id = state.nextOrderId++;
  const taker: TakerOrder = { id, owner: account.index, nonce, ...order };
  const sink = new EngineSink(state, ms, account, nonce, events, liquidation);
  const result = matchOrder(ms.book, taker, sink);
  const marketId = ms.market.id;
  if (result.rested !== null) {
    const m = accountMarket(account, marketId, ms.fundingIndex);
    if (order.side === BUY) m.openBuyLots += result.rested.remainingLots;
    else m.openSellLots += result.rested.remainingLots;
    account.orders.set(nonce, { marketId, orderId: id });
    if (order.goodTilBlock !== 0) addExpiry(ms, order.goodTilBlock, id);
    events.push({ type: "order-rested", account: account.id, marketId, nonce, orderId: id, lots: result.rested.remainingLots });
  } else {
    const reason: OrderDoneReason = result.outcome === "filled" ? "filled" : result.outcome === "book-full-remainder-dropped" ? "book-full" : "ioc-remainder";
    events.push({ type: "order-done", account: account.id, marketId, nonce, reason });
  }
  return result;
}

function addExpiry(ms: MarketState, goodTilBlock: number, orderId: number): void {
  let bucket = ms.expiries.get(goodTilBlock);
  if (bucket === undefined) ms.expiries.set(goodTilBlock, (bucket = new Set()));
  bucket.add(orderId);
}

/** Bookkeeping when a resting order leaves the book for any reason other than its last fill. */
export function forgetRestingOrder(state: EngineState, ms: MarketState, order: RestingOrder, reason: OrderDoneReason, events: EngineEvent[]): void {
  const owner = state.accountsByIndex[order.owner]!;
  const m = owner.markets.get(ms.market.id)!;
  if (order.side === BUY) m.openBuyLots -= order.remainingLots;
  else m.openSellLots -= order.remainingLots;
  owner.orders.delete(order.nonce);
  if (order.goodTilBlock !== 0) ms.expiries.get(order.goodTilBlock)?.delete(order.id);
  pruneAccountMarket(owner, ms.market.id);
  events.push({ type: "order-done", account: owner.id, marketId: ms.market.id, nonce: order.nonce, reason });
}

/** Removes a resting order from the book and forgets it. */
export function cancelRestingOrder(state: EngineState, ms: MarketState, order: RestingOrder, reason: OrderDoneReason, events: EngineEvent[]): void {
  ms.book.remove(order);
  forgetRestingOrder(state, ms, order, reason, events);
}

/** Applies a trade between two accounts at a price: funding settled first, then positions and realized PnL. */
export function tradeBetween(ms: MarketState, buyer: Account, seller: Account, lots: number, priceTicks: number): void {
  const bm = accountMarket(buyer, ms.market.id, ms.fundingIndex);
  const sm = accountMarket(seller, ms.market.id, ms.fundingIndex);
  settleFunding(buyer, bm, ms);
  settleFunding(seller, sm, ms);
  applyTrade(ms.market, buyer, bm, lots, priceTicks);
  applyTrade(ms.market, seller, sm, -lots, priceTicks);
}

class EngineSink implements MatchSink {
  constructor(
    private readonly state: EngineState,
    private readonly ms: MarketState,
    private readonly taker: Account,
    private readonly takerNonce: number,
    private readonly events: EngineEvent[],
    private readonly liquidation: boolean,
  ) {}

  makerCapacity(maker: RestingOrder): number {
    const size = this.state.accountsByIndex[maker.owner]!.markets.get(this.ms.market.id)?.sizeLots ?? 0;
    if (maker.side === BUY) return size < 0 ? -size : 0;
    return size > 0 ? size : 0;
  }

  fill(maker: RestingOrder, lots: number, makerDone: boolean): void {
    const ms = this.ms;
    const makerAccount = this.state.accountsByIndex[maker.owner]!;
    const price = maker.priceTicks;
    if (maker.side === BUY) tradeBetween(ms, makerAccount, this.taker, lots, price);
    else tradeBetween(ms, this.taker, makerAccount, lots, price);
    const notional = notionalQuote(ms.market, price, lots);
    const makerFee = bpsCeil(notional, ms.market.makerFeeBps);
    const takerFee = this.liquidation ? 0n : bpsCeil(notional, ms.market.takerFeeBps);
    makerAccount.collateralQuote -= makerFee;
    this.taker.collateralQuote -= takerFee;
    this.state.feePoolQuote += makerFee + takerFee;
    const mm = makerAccount.markets.get(ms.market.id)!;
    if (maker.side === BUY) mm.openBuyLots -= lots;
    else mm.openSellLots -= lots;
    this.events.push({
      type: "fill", marketId: ms.market.id, priceTicks: price, lots, taker: this.taker.id, takerNonce: this.takerNonce,
      takerSide: maker.side === BUY ? "sell" : "buy", maker: makerAccount.id, makerNonce: maker.nonce, takerFeeQuote: takerFee, makerFeeQuote: makerFee,
    });
    if (makerDone) {
      makerAccount.orders.delete(maker.nonce);
      if (maker.goodTilBlock !== 0) ms.expiries.get(maker.goodTilBlock)?.delete(maker.id);
      this.events.push({ type: "order-done", account: makerAccount.id, marketId: ms.market.id, nonce: maker.nonce, reason: "filled" });
    }
    pruneAccountMarket(makerAccount, ms.market.id);
    pruneAccountMarket(this.taker, ms.market.id);
  }

  makerCancelled(maker: RestingOrder, reason: MakerCancelReason): void {
    forgetRestingOrder(this.state, this.ms, maker, reason, this.events);
  }
}
