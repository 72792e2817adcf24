// Funding: the index advances once per interval by the clamped premium of mark over index, and positions settle
// lazily (and exactly, through the market's pool) when touched.
import { describe, expect, it } from "vitest";
import { FUNDING_INDEX_SCALE, pendingFundingQuote } from "../../../../consensus/derivatives/funding.ts";
import { collateral, market, newEngine, ok, order } from "./engine-fixtures.ts";

describe("funding", () => {
  it("longs pay shorts when the mark is above the index, settled on the next touch", () => {
    const s = newEngine();
    for (const a of ["alice", "bob", "mm"]) ok(s, { kind: "deposit", account: a, amountQuote: 1_000_000n });
    ok(s, order("bob", "sell", 1_000, 10));
    ok(s, order("alice", "buy", 1_000, 10));
    // A bid at 1,020 and an ask at 1,030 put the mark (median of index 1000, bid, ask) at the bid: +2% premium,
    // clamped to the 50 bps cap.
    ok(s, order("mm", "buy", 1_020, 1, { tif: "post-only" }));
    ok(s, order("mm", "sell", 1_030, 1, { tif: "post-only" }));
    const aliceBefore = collateral(s, "alice");
    let fundingEvents = 0;
    for (let h = 1; h <= 10; h++) fundingEvents += ok(s, { kind: "block", height: h }).filter((e) => e.type === "funding").length;
    expect(fundingEvents).toBe(1);
    const ms = market(s);
    expect(ms.markTicks).toBe(1_020);
    expect(ms.lastFundingRateBps).toBe(50);
    // Per lot: 50 bps of 1,020 = 5.1 quote units, in index units.
    expect(ms.fundingIndex).toBe((50n * 1_020n * FUNDING_INDEX_SCALE) / 10_000n);
    const am = s.accounts.get("alice")!.markets.get(ms.market.id)!;
    expect(pendingFundingQuote(am, ms.fundingIndex)).toBe(51n);
    expect(collateral(s, "alice")).toBe(aliceBefore); // lazy: nothing moved yet
    const bm = s.accounts.get("bob")!.markets.get(ms.market.id)!;
    expect(pendingFundingQuote(bm, ms.fundingIndex)).toBe(-51n);
    // Alice touches her position: the 51 leaves her collateral for the pool.
    ok(s, order("alice", "sell", 1_020, 1, { tif: "ioc" }));
    expect(ms.fundingPoolQuote).toBe(51n);
    ok(s, order("bob", "buy", 1_030, 1, { tif: "ioc" }));
    expect(ms.fundingPoolQuote).toBe(0n);
  });
});
