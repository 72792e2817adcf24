// Index and mark price. Index: the lower median of the latest fresh submission of each oracle (validators, each
// reading its own pluggable price source), falling back to the previous index when none is fresh. Mark: the median
// of (index, best bid, best ask), a missing side counting as the index, then clamped to index +/- markBandBps.
// Why: inside the spread the mark is the index; when the book has moved through the index the mark follows the
// nearer touch, so it tracks the market, yet a one-sided or thin book cannot pull it beyond the band around a price
// that more than half of the oracles must agree on. Computed once per block, before triggers and liquidations.

import { divCeil, divFloor } from "./int-math.ts";
import type { Market } from "./market.ts";

export interface IndexSubmission {
  readonly priceTicks: number;
  readonly height: number;
}

/** Lower median of fresh submissions; `previousTicks` when none is fresh. Iteration order does not matter. */
export function indexPrice(submissions: ReadonlyMap<string, IndexSubmission>, height: number, maxAgeBlocks: number, previousTicks: number): number {
  const fresh: number[] = [];
  for (const s of submissions.values()) if (height - s.height <= maxAgeBlocks) fresh.push(s.priceTicks);
  if (fresh.length === 0) return previousTicks;
  fresh.sort((a, b) => a - b);
  return fresh[(fresh.length - 1) >> 1]!;
}

function median3(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

/** The mark rule above; bestBid/bestAsk are -1 when a side is empty. */
export function markPrice(market: Market, indexTicks: number, bestBidTicks: number, bestAskTicks: number): number {
  const bid = bestBidTicks === -1 ? indexTicks : bestBidTicks;
  const ask = bestAskTicks === -1 ? indexTicks : bestAskTicks;
  const raw = median3(indexTicks, bid, ask);
  const band = market.markBandBps;
  const lo = Math.max(1, divCeil(indexTicks * (10_000 - band), 10_000));
  const hi = Math.min(market.maxPriceTicks, divFloor(indexTicks * (10_000 + band), 10_000));
  return raw < lo ? lo : raw > hi ? hi : raw;
}
