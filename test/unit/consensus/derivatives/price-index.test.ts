// The price-level bitset against a brute-force model, and the mark-price rule.
import { describe, expect, it } from "vitest";
import { PriceIndex } from "../../../../consensus/derivatives/price-index.ts";
import { indexPrice, markPrice } from "../../../../consensus/derivatives/mark-price.ts";
import { createMarket } from "../../../../consensus/derivatives/market.ts";
import { Prng } from "../../../sim/prng.ts";
import { TEST_MARKET } from "./engine-fixtures.ts";

describe("PriceIndex", () => {
  it("agrees with a sorted-set model on next above / below", () => {
    const rng = new Prng(3);
    for (const cap of [31, 32, 1_000, 40_000]) {
      const idx = new PriceIndex(cap);
      const model = new Set<number>();
      for (let i = 0; i < 3_000; i++) {
        const p = rng.int(0, cap);
        if (rng.chance(0.6)) { idx.add(p); model.add(p); } else { idx.remove(p); model.delete(p); }
        const q = rng.int(-2, cap + 2);
        const sorted = [...model].sort((a, b) => a - b);
        expect(idx.nextAtOrAbove(q)).toBe(sorted.find((x) => x >= q) ?? -1);
        expect(idx.nextAtOrBelow(q)).toBe([...sorted].reverse().find((x) => x <= q) ?? -1);
      }
    }
  });
});

describe("mark price", () => {
  const m = createMarket(TEST_MARKET);
  it("is the median of index, bid and ask, clamped to the band", () => {
    expect(markPrice(m, 1_000, 990, 1_010)).toBe(1_000);
    expect(markPrice(m, 1_000, 1_020, 1_030)).toBe(1_020);
    expect(markPrice(m, 1_000, -1, 1_200)).toBe(1_000);
    expect(markPrice(m, 1_000, 1_500, 1_600)).toBe(1_100);
    expect(markPrice(m, 1_000, 400, 500)).toBe(900);
  });
  it("index is the lower median of fresh submissions", () => {
    const subs = new Map([["a", { priceTicks: 10, height: 9 }], ["b", { priceTicks: 30, height: 10 }], ["c", { priceTicks: 20, height: 10 }], ["d", { priceTicks: 99, height: 1 }]]);
    expect(indexPrice(subs, 10, 5, 7)).toBe(20);
    expect(indexPrice(new Map(), 10, 5, 7)).toBe(7);
  });
});
