// Auto-deleveraging of an insolvent account (empty insurance fund): the deficit moves to the winners through the
// ADL price, never more than a winner's own equity, spread over the lots still to close, and what a capped winner
// cannot pay goes on to the account's later markets. Conservation is exact throughout.
import { describe, expect, it } from "vitest";
import { createEngineState, DEFAULT_ENGINE_LIMITS, type EngineState } from "../../../../consensus/derivatives/engine-state.ts";
import type { EngineEvent } from "../../../../consensus/derivatives/events.ts";
import type { MarketSpec } from "../../../../consensus/derivatives/market.ts";
import { collateral, newEngine, nextNonce, ok, order, ORACLES, position, setIndex, TEST_MARKET } from "./engine-fixtures.ts";

const A: MarketSpec = { ...TEST_MARKET, takerFeeBps: 0, makerFeeBps: 0 };
const B: MarketSpec = { ...A, id: 9, symbol: "TWO-PERP" };

function totalQuote(s: EngineState): bigint {
  let total = s.feePoolQuote + s.insuranceFundQuote;
  for (const ms of s.markets.values()) total += ms.fundingPoolQuote;
  for (const a of s.accountsByIndex) {
    total += a.collateralQuote;
    for (const m of a.markets.values()) total -= m.entryNotionalQuote;
  }
  return total;
}

function adl(events: EngineEvent[]) {
  return events.filter((e) => e.type === "adl").map((e) => [e.marketId, e.counterparty, e.lots, e.priceTicks]);
}

describe("auto-deleveraging", () => {
  it("charges a winner left flat at most its equity; the rest of the deficit goes to the next market's winners", () => {
    const s = createEngineState({ markets: [A, B], oracles: ORACLES, limits: DEFAULT_ENGINE_LIMITS });
    ok(s, { kind: "deposit", account: "alice", amountQuote: 11_500n });
    ok(s, { kind: "deposit", account: "carol", amountQuote: 200n });
    ok(s, { kind: "deposit", account: "bob", amountQuote: 1_000_000n });
    ok(s, { ...order("carol", "sell", 1_000, 1), marketId: A.id });
    ok(s, { ...order("alice", "buy", 1_000, 1), marketId: A.id });
    ok(s, { ...order("bob", "sell", 1_000, 100), marketId: B.id });
    ok(s, { ...order("alice", "buy", 1_000, 100), marketId: B.id });
    for (const oracle of ORACLES) ok(s, { kind: "index-price", oracle, marketId: B.id, priceTicks: 800 });
    // Alice: 11,500 - 20,000 lost in B = -8,500. Her first market is A, where carol's one short lot is all she has:
    // the old single bankruptcy price (1,000 + 8,500) charged carol 8,500 and left her flat at -8,300.
    const ev = ok(s, { kind: "block", height: s.height + 1 });
    expect(adl(ev)).toEqual([[A.id, "carol", 1, 1_200], [B.id, "bob", 100, 883]]);
    expect(collateral(s, "carol")).toBe(0n);
    expect(collateral(s, "alice")).toBe(0n);
    expect(collateral(s, "bob")).toBe(1_011_700n);
    expect(s.accounts.get("alice")!.markets.size).toBe(0);
    expect(totalQuote(s)).toBe(s.depositedQuote - s.withdrawnQuote);
  });

  it("spreads the deficit over the lots still to close, so rounding up costs at most one trade's lots", () => {
    const s = newEngine();
    ok(s, { kind: "deposit", account: "alice", amountQuote: 10_999n });
    for (const who of ["dave", "bob"]) ok(s, { kind: "deposit", account: who, amountQuote: 1_000_000n });
    ok(s, order("dave", "sell", 1_000, 40));
    ok(s, order("bob", "sell", 1_000, 60));
    ok(s, order("alice", "buy", 1_000, 100)); // taker fee 100: collateral 10,899
    const ev = setIndex(s, 880); // equity 10,899 - 12,000 = -1,101
    // bob: ceil(1,101 / 100) = 12 ticks on 60 lots = 720; dave: ceil(381 / 40) = 10 ticks on 40 lots = 400.
    // One price for all (892) would have taken 1,200: 99 beyond the deficit instead of 19.
    expect(adl(ev)).toEqual([[TEST_MARKET.id, "bob", 60, 892], [TEST_MARKET.id, "dave", 40, 890]]);
    expect(ev.find((e) => e.type === "liquidation")).toMatchObject({ account: "alice", equityQuote: -1_101n, penaltyQuote: 19n });
    expect(position(s, "alice")).toBe(0);
    expect(collateral(s, "alice")).toBe(0n);
    expect(s.insuranceFundQuote).toBe(19n);
    expect(totalQuote(s)).toBe(s.depositedQuote - s.withdrawnQuote);
  });

  it("a solvent liquidation still deleverages at the mark", () => {
    const s = newEngine();
    ok(s, { kind: "deposit", account: "alice", amountQuote: 11_000n });
    ok(s, { kind: "deposit", account: "bob", amountQuote: 1_000_000n });
    ok(s, order("bob", "sell", 1_000, 100));
    ok(s, order("alice", "buy", 1_000, 100));
    ok(s, { kind: "cancel-all", account: "bob", nonce: nextNonce() });
    const ev = setIndex(s, 900); // equity 10,900 - 10,000 = 900 < maintenance 4,500; no bids
    expect(adl(ev)).toEqual([[TEST_MARKET.id, "bob", 100, 900]]);
    expect(collateral(s, "alice")).toBe(0n); // 900 left, all of it taken by the penalty (1% of 90,000 = 900)
    expect(totalQuote(s)).toBe(s.depositedQuote - s.withdrawnQuote);
  });
});
