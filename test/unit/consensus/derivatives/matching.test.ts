// Matching through the engine: price-time priority, partial fills, IOC / FOK / post-only / reduce-only,
// self-trade prevention (cancel resting), cancel, cancel-all and replace.
import { describe, expect, it } from "vitest";
import { fills, market, newEngine, ok, order, position, run, nextNonce, TEST_MARKET } from "./engine-fixtures.ts";

function funded() {
  const s = newEngine();
  for (const a of ["alice", "bob", "carol", "dave"]) ok(s, { kind: "deposit", account: a, amountQuote: 10_000_000n });
  return s;
}

describe("matching", () => {
  it("fills by price, then time, at the maker's price, with partial fills", () => {
    const s = funded();
    const a1 = order("alice", "sell", 1_002, 5);
    const b1 = order("bob", "sell", 1_001, 3);
    const c1 = order("carol", "sell", 1_001, 4);
    for (const a of [a1, b1, c1]) ok(s, a);
    const ev = ok(s, order("dave", "buy", 1_002, 10));
    expect(fills(ev).map((f) => [f.maker, f.priceTicks, f.lots])).toEqual([["bob", 1_001, 3], ["carol", 1_001, 4], ["alice", 1_002, 3]]);
    expect(position(s, "dave")).toBe(10);
    expect(market(s).book.best(1)!.head!.remainingLots).toBe(2);
    expect(fills(ev)[0]!.takerFeeQuote).toBe(4n); // ceil(1001*3*10/10000)
    expect(fills(ev)[0]!.makerFeeQuote).toBe(2n);
  });

  it("IOC drops its remainder, GTC rests it", () => {
    const s = funded();
    ok(s, order("alice", "sell", 1_000, 2));
    const ev = ok(s, order("bob", "buy", 1_000, 5, { tif: "ioc" }));
    expect(fills(ev)[0]!.lots).toBe(2);
    expect(ev.some((e) => e.type === "order-done" && e.reason === "ioc-remainder")).toBe(true);
    expect(market(s).book.size).toBe(0);
    ok(s, order("alice", "sell", 1_000, 2));
    ok(s, order("bob", "buy", 1_000, 5));
    expect(market(s).book.best(0)!.totalLots).toBe(3);
  });

  it("FOK fills completely or is rejected without changes", () => {
    const s = funded();
    ok(s, order("alice", "sell", 1_000, 2));
    ok(s, order("carol", "sell", 1_001, 2));
    expect(run(s, order("bob", "buy", 1_000, 3, { tif: "fok" })).rejection?.code).toBe("ENGINE_REJECT_FOK_UNFILLABLE");
    expect(market(s).book.size).toBe(2);
    const ev = ok(s, order("bob", "buy", 1_001, 4, { tif: "fok" }));
    expect(fills(ev).reduce((n, f) => n + f.lots, 0)).toBe(4);
  });

  it("post-only rests when it does not cross and is rejected when it would", () => {
    const s = funded();
    ok(s, order("alice", "sell", 1_000, 2));
    expect(run(s, order("bob", "buy", 1_000, 1, { tif: "post-only" })).rejection?.code).toBe("ENGINE_REJECT_POST_ONLY_WOULD_CROSS");
    ok(s, order("bob", "buy", 999, 1, { tif: "post-only" }));
    expect(market(s).book.bestBidTicks).toBe(999);
  });

  it("self-trade prevention cancels the resting order and matches on", () => {
    const s = funded();
    const own = order("alice", "sell", 1_000, 2);
    ok(s, own);
    ok(s, order("bob", "sell", 1_000, 2));
    const ev = ok(s, order("alice", "buy", 1_000, 2));
    expect(ev.some((e) => e.type === "order-done" && e.reason === "self-trade" && e.nonce === own.nonce)).toBe(true);
    expect(fills(ev).map((f) => f.maker)).toEqual(["bob"]);
    expect(position(s, "alice")).toBe(2);
  });

  it("reduce-only clamps to the position, rejects increases, and resting ones never flip", () => {
    const s = funded();
    ok(s, order("alice", "sell", 1_000, 3));
    ok(s, order("bob", "buy", 1_000, 3));
    expect(run(s, order("bob", "buy", 990, 1, { reduceOnly: true })).rejection?.code).toBe("ENGINE_REJECT_REDUCE_ONLY_WOULD_INCREASE");
    const ro = ok(s, order("bob", "sell", 1_010, 10, { reduceOnly: true }));
    expect(ro.find((e) => e.type === "order-accepted")).toMatchObject({ lots: 3 });
    // bob closes 2 elsewhere; his resting reduce-only sell may now fill only 1.
    ok(s, order("carol", "buy", 1_005, 2));
    ok(s, order("bob", "sell", 1_005, 2, { tif: "ioc" }));
    const ev = ok(s, order("dave", "buy", 1_010, 3));
    expect(fills(ev).map((f) => [f.maker, f.lots])).toEqual([["bob", 1]]);
    expect(position(s, "bob")).toBe(0);
    expect(ev.some((e) => e.type === "order-done" && e.reason === "reduce-only")).toBe(true);
  });

  it("cancel, cancel-all and replace (which loses time priority)", () => {
    const s = funded();
    const a = order("alice", "buy", 990, 1);
    const b = order("alice", "buy", 991, 1);
    ok(s, a);
    ok(s, b);
    ok(s, { kind: "cancel", account: "alice", nonce: nextNonce(), orderNonce: a.nonce });
    expect(market(s).book.size).toBe(1);
    ok(s, order("bob", "buy", 991, 1));
    const r = nextNonce();
    ok(s, { kind: "replace", account: "alice", nonce: r, orderNonce: b.nonce, priceTicks: 991, sizeLots: 2 });
    const level = market(s).book.level(0, 991)!;
    expect([level.head!.owner, level.tail!.nonce]).toEqual([s.accounts.get("bob")!.index, r]);
    ok(s, { kind: "cancel-all", account: "alice", nonce: nextNonce(), marketId: TEST_MARKET.id });
    expect(market(s).book.size).toBe(1);
    expect(s.accounts.get("alice")!.orders.size).toBe(0);
    expect(s.accounts.get("alice")!.markets.size).toBe(0);
  });
});
