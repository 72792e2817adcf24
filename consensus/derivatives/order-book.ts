// One market's limit order book: price levels in price-time priority, each level a FIFO (doubly linked) queue.
// Occupied prices live in a PriceIndex per side (O(log32 P) insert/remove/next), levels in a Map, orders by id in
// a Map: insert, cancel and best-price updates are O(log P) and allocation-light. No money, no margin, no matching
// rules here (matching.ts); the book only stores what was decided to rest. Bounded: orders per book and per level.

import { assert } from "../errors.ts";
import { PriceIndex } from "./price-index.ts";

export const BUY = 0;
export const SELL = 1;
export type Side = typeof BUY | typeof SELL;

/** A resting order. Mutable on purpose: the hot path updates remainingLots in place. */
export class RestingOrder {
  prev: RestingOrder | null = null;
  next: RestingOrder | null = null;
  constructor(
    readonly id: number,
    readonly owner: number,
    readonly side: Side,
    readonly priceTicks: number,
    public remainingLots: number,
    /** The placing action's nonce: the client's handle for cancel/replace. */
    readonly nonce: number,
    readonly reduceOnly: boolean,
    /** Last block in which the order may rest; 0 means good-til-cancelled. */
    readonly goodTilBlock: number,
  ) {}
}

export class PriceLevel {
  head: RestingOrder | null = null;
  tail: RestingOrder | null = null;
  totalLots = 0;
  count = 0;
  constructor(readonly priceTicks: number) {}
}

export interface BookLimits {
  readonly maxOrders: number;
  readonly maxOrdersPerLevel: number;
}

export class OrderBook {
  private readonly bidIndex: PriceIndex;
  private readonly askIndex: PriceIndex;
  private readonly bidLevels = new Map<number, PriceLevel>();
  private readonly askLevels = new Map<number, PriceLevel>();
  private readonly orders = new Map<number, RestingOrder>();
  /** -1 when the side is empty. */
  bestBidTicks = -1;
  bestAskTicks = -1;

  constructor(readonly maxPriceTicks: number, readonly limits: BookLimits) {
    this.bidIndex = new PriceIndex(maxPriceTicks);
    this.askIndex = new PriceIndex(maxPriceTicks);
  }

  get size(): number {
    return this.orders.size;
  }

  get(id: number): RestingOrder | undefined {
    return this.orders.get(id);
  }

  level(side: Side, priceTicks: number): PriceLevel | undefined {
    return (side === BUY ? this.bidLevels : this.askLevels).get(priceTicks);
  }

  /** Best level of a side, or undefined. */
  best(side: Side): PriceLevel | undefined {
    return side === BUY ? this.bidLevels.get(this.bestBidTicks) : this.askLevels.get(this.bestAskTicks);
  }

  /** Whether one more order fits at this price (the caller rejects otherwise). */
  hasRoom(side: Side, priceTicks: number): boolean {
    if (this.orders.size >= this.limits.maxOrders) return false;
    const level = this.level(side, priceTicks);
    return level === undefined || level.count < this.limits.maxOrdersPerLevel;
  }

  /** Appends at the tail of its level: time priority is insertion order. */
  insert(order: RestingOrder): void {
    assert(!this.orders.has(order.id), "order id already resting");
    assert(order.remainingLots > 0, "resting order needs lots");
    assert(order.priceTicks >= 1 && order.priceTicks <= this.maxPriceTicks, "resting price out of range");
    const buy = order.side === BUY;
    const levels = buy ? this.bidLevels : this.askLevels;
    let level = levels.get(order.priceTicks);
    if (level === undefined) {
      level = new PriceLevel(order.priceTicks);
      levels.set(order.priceTicks, level);
      if (buy) {
        this.bidIndex.add(order.priceTicks);
        if (order.priceTicks > this.bestBidTicks) this.bestBidTicks = order.priceTicks;
      } else {
        this.askIndex.add(order.priceTicks);
        if (this.bestAskTicks === -1 || order.priceTicks < this.bestAskTicks) this.bestAskTicks = order.priceTicks;
      }
    }
    order.prev = level.tail;
    order.next = null;
    if (level.tail === null) level.head = order;
    else level.tail.next = order;
    level.tail = order;
    level.totalLots += order.remainingLots;
    level.count++;
    this.orders.set(order.id, order);
  }

  /** Unlinks a resting order; removes its level when it empties. */
  remove(order: RestingOrder): void {
    const buy = order.side === BUY;
    const levels = buy ? this.bidLevels : this.askLevels;
    const level = levels.get(order.priceTicks);
    assert(level !== undefined && this.orders.get(order.id) === order, "removing an order that is not resting");
    if (order.prev === null) level.head = order.next;
    else order.prev.next = order.next;
    if (order.next === null) level.tail = order.prev;
    else order.next.prev = order.prev;
    order.prev = order.next = null;
    level.totalLots -= order.remainingLots;
    level.count--;
    this.orders.delete(order.id);
    if (level.count === 0) this.dropLevel(buy, level.priceTicks);
  }

  /** Takes lots off a resting order in place (a partial fill); the caller removes it when it reaches zero. */
  reduce(order: RestingOrder, lots: number, level: PriceLevel): void {
    order.remainingLots -= lots;
    level.totalLots -= lots;
  }

  private dropLevel(buy: boolean, priceTicks: number): void {
    if (buy) {
      this.bidLevels.delete(priceTicks);
      this.bidIndex.remove(priceTicks);
      if (priceTicks === this.bestBidTicks) this.bestBidTicks = this.bidIndex.nextAtOrBelow(priceTicks - 1);
    } else {
      this.askLevels.delete(priceTicks);
      this.askIndex.remove(priceTicks);
      if (priceTicks === this.bestAskTicks) this.bestAskTicks = this.askIndex.nextAtOrAbove(priceTicks + 1);
    }
  }

  /** The level after `priceTicks` in priority order (lower for bids, higher for asks), or undefined. */
  nextLevel(side: Side, priceTicks: number): PriceLevel | undefined {
    if (side === BUY) {
      const p = this.bidIndex.nextAtOrBelow(priceTicks - 1);
      return p === -1 ? undefined : this.bidLevels.get(p);
    }
    const p = this.askIndex.nextAtOrAbove(priceTicks + 1);
    return p === -1 ? undefined : this.askLevels.get(p);
  }

  /** Levels of one side in priority order (for hashing, depth and tests); at most `maxLevels`. */
  levels(side: Side, maxLevels = Number.MAX_SAFE_INTEGER): PriceLevel[] {
    const out: PriceLevel[] = [];
    let level = this.best(side);
    while (level !== undefined && out.length < maxLevels) {
      out.push(level);
      level = this.nextLevel(side, level.priceTicks);
    }
    return out;
  }
}
