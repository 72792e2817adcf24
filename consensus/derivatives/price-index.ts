// The set of occupied price levels on one side of a book: a 32-ary hierarchy of bitsets over [0, maxPriceTicks].
// Insert, remove and "next occupied price above/below p" cost O(log32 maxPriceTicks) word operations (5 levels
// for 4M ticks), with no allocation after construction. Not the orders themselves: see order-book.ts.

import { assert } from "../errors.ts";

export class PriceIndex {
  /** levels[0] has one bit per price; bit b of levels[k+1] word says whether word b of levels[k] is non-zero. */
  private readonly levels: Uint32Array[];
  readonly capacity: number;

  constructor(maxPriceTicks: number) {
    assert(Number.isSafeInteger(maxPriceTicks) && maxPriceTicks > 0, "price index capacity must be positive");
    this.capacity = maxPriceTicks + 1;
    this.levels = [];
    let bits = this.capacity;
    do {
      const words = Math.ceil(bits / 32);
      this.levels.push(new Uint32Array(words));
      bits = words;
    } while (bits > 1);
  }

  has(price: number): boolean {
    return (this.levels[0]![price >>> 5]! & (1 << (price & 31))) !== 0;
  }

  add(price: number): void {
    let idx = price;
    for (const level of this.levels) {
      const w = idx >>> 5;
      const before = level[w]!;
      level[w] = before | (1 << (idx & 31));
      if (before !== 0) return;
      idx = w;
    }
  }

  remove(price: number): void {
    let idx = price;
    for (const level of this.levels) {
      const w = idx >>> 5;
      const after = level[w]! & ~(1 << (idx & 31));
      level[w] = after;
      if (after !== 0) return;
      idx = w;
    }
  }

  /** Smallest occupied price >= from, or -1. */
  nextAtOrAbove(from: number): number {
    if (from >= this.capacity) return -1;
    let idx = Math.max(from, 0);
    let k = 0;
    // Climb while the rest of the current word is empty.
    for (;;) {
      const level = this.levels[k]!;
      const w = idx >>> 5;
      const masked = level[w]! & (~0 << (idx & 31));
      if (masked !== 0) {
        idx = (w << 5) | lowestBit(masked);
        break;
      }
      if (k === this.levels.length - 1) return -1;
      idx = w + 1;
      k++;
      if (idx >= this.levels[k - 1]!.length) return -1;
    }
    // Descend to the lowest set bit under idx.
    while (k > 0) {
      k--;
      idx = (idx << 5) | lowestBit(this.levels[k]![idx]!);
    }
    return idx;
  }

  /** Largest occupied price <= from, or -1. */
  nextAtOrBelow(from: number): number {
    if (from < 0) return -1;
    let idx = Math.min(from, this.capacity - 1);
    let k = 0;
    for (;;) {
      const level = this.levels[k]!;
      const w = idx >>> 5;
      const shift = 31 - (idx & 31);
      const masked = shift === 0 ? level[w]! : level[w]! & (~0 >>> shift);
      if (masked !== 0) {
        idx = (w << 5) | highestBit(masked);
        break;
      }
      if (k === this.levels.length - 1 || w === 0) return -1;
      idx = w - 1;
      k++;
    }
    while (k > 0) {
      k--;
      idx = (idx << 5) | highestBit(this.levels[k]![idx]!);
    }
    return idx;
  }
}

function lowestBit(word: number): number {
  return 31 - Math.clz32(word & -word);
}

function highestBit(word: number): number {
  return 31 - Math.clz32(word);
}
