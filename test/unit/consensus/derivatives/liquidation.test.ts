// Liquidation: an account pushed below zero equity by a mark gap is made whole by the insurance fund and closed
// against the book; with an empty fund, what is left is auto-deleveraged against the most profitable shorts at
// the bankruptcy price.
import { describe, expect, it } from "vitest";
import { collateral, market, newEngine, nextNonce, ok, order, position, setIndex } from "./engine-fixtures.ts";
import { bankruptcyPriceTicks } from "../../../../consensus/derivatives/liquidation.ts";

function longAliceAgainst(insurance: bigint, shorts: [string, number][]) {
  const s = newEngine({ insurance });
  ok(s, { kind: "deposit", account: "alice", amountQuote: 11_000n });
  for (const [who] of shorts) ok(s, { kind: "deposit", account: who, amountQuote: 1_000_000n });
  ok(s, { kind: "deposit", account: "carol", amountQuote: 1_000_000n });
  for (const [who, lots] of shorts) ok(s, order(who, "sell", 1_000, lots));
  ok(s, order("alice", "buy", 1_000, 100)); // taker fee 100: collateral 10,900
  return s;
}

describe("liquidation", () => {
  it("uses the insurance fund for the deficit, then closes against the book", () => {
    const s = longAliceAgainst(5_000n, [["bob", 100]]);
    ok(s, order("carol", "buy", 880, 100));
    const ev = setIndex(s, 880); // equity 10,900 - 12,000 = -1,100
    const liq = ev.find((e) => e.type === "liquidation");
    expect(liq).toMatchObject({ account: "alice", equityQuote: -1_100n, insurancePaidQuote: 1_100n, penaltyQuote: 0n });
    expect(position(s, "alice")).toBe(0);
    expect(position(s, "carol")).toBe(100);
    expect(collateral(s, "alice")).toBe(0n);
    expect(s.insuranceFundQuote).toBe(3_900n);
    expect(ev.some((e) => e.type === "adl")).toBe(false);
  });

  it("a solvent liquidation pays the penalty into the fund", () => {
    const s = longAliceAgainst(0n, [["bob", 100]]);
    ok(s, order("carol", "buy", 945, 100));
    const ev = setIndex(s, 945); // equity 10,900 - 5,500 = 5,400 >= maintenance 4,725 (5% of 94,500)
    expect(ev.some((e) => e.type === "liquidation")).toBe(false);
    ok(s, { kind: "cancel-all", account: "carol", nonce: nextNonce() });
    ok(s, order("carol", "buy", 895, 100));
    const ev2 = setIndex(s, 900); // mark = 900 (bid 895 below index): equity 900 < maintenance 4,500
    const liq = ev2.find((e) => e.type === "liquidation")!;
    expect(liq).toMatchObject({ account: "alice", equityQuote: 900n, insurancePaidQuote: 0n });
    // Bankruptcy price 900 - 900/100 = 891 <= 895: the book takes it all at 895.
    expect(position(s, "carol")).toBe(100);
    // 10,900 - 10,500 leaves 400; the penalty, ceil(1% of 90,000), is capped at what is left.
    expect(collateral(s, "alice")).toBe(0n);
    expect(s.insuranceFundQuote).toBe(400n);
  });

  it("auto-deleverages the most profitable opposite positions when the fund is empty", () => {
    const s = longAliceAgainst(0n, [["dave", 40], ["bob", 60]]);
    expect(market(s).book.size).toBe(0);
    const ev = setIndex(s, 880);
    // No bids: bankruptcy price 880 + 1,100/100 = 891 for all 100 lots; bob (larger profit) first.
    expect(bankruptcyPriceTicks(market(s), 100, -1_100n)).toBe(891);
    const adl = ev.filter((e) => e.type === "adl");
    expect(adl.map((e) => [e.counterparty, e.lots, e.priceTicks])).toEqual([["bob", 60, 891], ["dave", 40, 891]]);
    expect(position(s, "alice")).toBe(0);
    expect(position(s, "bob")).toBe(0);
    expect(collateral(s, "alice")).toBe(0n);
    expect(s.insuranceFundQuote).toBe(0n);
  });
});
