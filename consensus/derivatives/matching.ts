// Matching one incoming order against a book: price-time priority, fills at the resting (maker) price.
// Time in force: GTC rests the remainder; IOC drops it; FOK fills completely or not at all (checked before any
// fill); post-only is refused if it would cross the best opposite price. Self-trade prevention is "cancel
// resting": a taker meeting its owner's own resting order removes that order and matches on. Reduce-only resting
// orders fill at most what the sink allows (their owner's position) and are cancelled when they would increase.
// No money here: fills are reported to a MatchSink, which the engine uses to move positions and fees.

import { BUY, OrderBook, RestingOrder, SELL, type Side } from "./order-book.ts";

export type TimeInForce = "gtc" | "ioc" | "fok" | "post-only";

export interface TakerOrder {
  readonly id: number;
  readonly owner: number;
  readonly side: Side;
  readonly priceTicks: number;
  readonly lots: number;
  readonly nonce: number;
  readonly tif: TimeInForce;
  readonly reduceOnly: boolean;
  readonly goodTilBlock: number;
}

export type MakerCancelReason = "self-trade" | "reduce-only";

export interface MatchSink {
  /** Lots a reduce-only resting order may still fill (its owner's opposite position); 0 cancels it. */
  makerCapacity(maker: RestingOrder): number;
  /** A fill of `lots` at the maker's price; `makerDone` when the maker leaves the book with this fill. */
  fill(maker: RestingOrder, lots: number, makerDone: boolean): void;
  /** A resting order removed without filling. */
  makerCancelled(maker: RestingOrder, reason: MakerCancelReason): void;
}

export type MatchOutcome = "filled" | "rested" | "ioc-remainder-dropped" | "book-full-remainder-dropped" | "post-only-would-cross" | "fok-unfillable";

export interface MatchResult {
  outcome: MatchOutcome;
  filledLots: number;
  /** The resting remainder, when outcome is "rested". */
  rested: RestingOrder | null;
}

function crosses(side: Side, limitTicks: number, levelTicks: number): boolean {
  return side === BUY ? levelTicks <= limitTicks : levelTicks >= limitTicks;
}

/** Whether a post-only order at this price would take liquidity. */
export function wouldCross(book: OrderBook, side: Side, priceTicks: number): boolean {
  const best = side === BUY ? book.bestAskTicks : book.bestBidTicks;
  return best !== -1 && crosses(side, priceTicks, best);
}

/** Lots a taker could fill now (own orders excluded, reduce-only makers at their capacity), stopping at `wantLots`. */
export function fillableLots(book: OrderBook, taker: TakerOrder, sink: MatchSink, wantLots: number): number {
  const opposite: Side = taker.side === BUY ? SELL : BUY;
  let total = 0;
  let level = book.best(opposite);
  while (level !== undefined && total < wantLots && crosses(taker.side, taker.priceTicks, level.priceTicks)) {
    for (let o = level.head; o !== null && total < wantLots; o = o.next) {
      if (o.owner === taker.owner) continue;
      total += o.reduceOnly ? Math.min(o.remainingLots, sink.makerCapacity(o)) : o.remainingLots;
    }
    level = book.nextLevel(opposite, level.priceTicks);
  }
  return total;
}

/** Runs one order through the book. Rejections (post-only, FOK) are decided before anything changes. */
export function matchOrder(book: OrderBook, taker: TakerOrder, sink: MatchSink): MatchResult {
  if (taker.tif === "post-only") {
    if (wouldCross(book, taker.side, taker.priceTicks)) return { outcome: "post-only-would-cross", filledLots: 0, rested: null };
  } else if (taker.tif === "fok" && fillableLots(book, taker, sink, taker.lots) < taker.lots) {
    return { outcome: "fok-unfillable", filledLots: 0, rested: null };
  }
  const remaining = sweep(book, taker, sink);
  const filledLots = taker.lots - remaining;
  if (remaining === 0) return { outcome: "filled", filledLots, rested: null };
  if (taker.tif === "ioc" || taker.tif === "fok") return { outcome: "ioc-remainder-dropped", filledLots, rested: null };
  if (!book.hasRoom(taker.side, taker.priceTicks)) return { outcome: "book-full-remainder-dropped", filledLots, rested: null };
  const order = new RestingOrder(taker.id, taker.owner, taker.side, taker.priceTicks, remaining, taker.nonce, taker.reduceOnly, taker.goodTilBlock);
  book.insert(order);
  return { outcome: "rested", filledLots, rested: order };
}

/** Takes liquidity while the best opposite level crosses; returns the lots left. */
function sweep(book: OrderBook, taker: TakerOrder, sink: MatchSink): number {
  const opposite: Side = taker.side === BUY ? SELL : BUY;
  let remaining = taker.lots;
  while (remaining > 0) {
    const level = book.best(opposite);
    if (level === undefined || !crosses(taker.side, taker.priceTicks, level.priceTicks)) break;
    let o = level.head;
    while (o !== null && remaining > 0) {
      const next: RestingOrder | null = o.next;
      if (o.owner === taker.owner) {
        book.remove(o);
        sink.makerCancelled(o, "self-trade");
        o = next;
        continue;
      }
      const cap = o.reduceOnly ? Math.min(o.remainingLots, sink.makerCapacity(o)) : o.remainingLots;
      if (cap <= 0) {
        book.remove(o);
        sink.makerCancelled(o, "reduce-only");
        o = next;
        continue;
      }
      const lots = cap < remaining ? cap : remaining;
      remaining -= lots;
      book.reduce(o, lots, level);
      const done = o.remainingLots === 0;
      sink.fill(o, lots, done);
      if (done) book.remove(o);
      else if (o.reduceOnly && lots === cap) {
        book.remove(o);
        sink.makerCancelled(o, "reduce-only");
      }
      o = next;
    }
  }
  return remaining;
}
