// Every rejection code of the engine, each from a minimal situation, and that a rejection changes nothing.
import { describe, expect, it } from "vitest";
import { ENGINE_REJECT } from "../../../../consensus/derivatives/engine-errors.ts";
import { engineStateHashHex } from "../../../../consensus/derivatives/state-hash.ts";
import { market, newEngine, nextNonce, ok, order, run, TEST_MARKET } from "./engine-fixtures.ts";
import type { EngineAction } from "../../../../consensus/derivatives/actions.ts";
import type { EngineState } from "../../../../consensus/derivatives/engine-state.ts";

function funded(amount = 1_000_000n): EngineState {
  const s = newEngine({ limits: { maxAccounts: 3, maxOrdersPerAccount: 2, maxOrdersPerLevel: 2 } });
  for (const a of ["alice", "bob"]) ok(s, { kind: "deposit", account: a, amountQuote: amount });
  return s;
}

function expectReject(s: EngineState, action: EngineAction, code: string): void {
  const before = engineStateHashHex(s);
  const r = run(s, action);
  expect(r.rejection?.code).toBe(code);
  expect(r.rejection?.message.length).toBeGreaterThan(10);
  expect(r.events).toEqual([]);
  expect(engineStateHashHex(s)).toBe(before);
}

describe("engine rejections", () => {
  it("insufficient margin: initial margin 10% of 1000 x 1000 lots needs 100,000 plus fees", () => {
    const s = funded(100_000n);
    expectReject(s, order("alice", "buy", 1_000, 1_000), ENGINE_REJECT.INSUFFICIENT_MARGIN);
    ok(s, order("alice", "buy", 1_000, 990));
  });

  it("reduce-only, post-only, FOK", () => {
    const s = funded();
    expectReject(s, order("alice", "sell", 1_000, 1, { reduceOnly: true }), ENGINE_REJECT.REDUCE_ONLY_WOULD_INCREASE);
    ok(s, order("bob", "sell", 1_000, 1));
    expectReject(s, order("alice", "buy", 1_001, 1, { tif: "post-only" }), ENGINE_REJECT.POST_ONLY_WOULD_CROSS);
    expectReject(s, order("alice", "buy", 1_001, 2, { tif: "fok" }), ENGINE_REJECT.FOK_UNFILLABLE);
  });

  it("unknown market, account, order, oracle", () => {
    const s = funded();
    expectReject(s, { ...order("alice", "buy", 1_000, 1), marketId: 99 }, ENGINE_REJECT.UNKNOWN_MARKET);
    expectReject(s, order("zed", "buy", 1_000, 1), ENGINE_REJECT.UNKNOWN_ACCOUNT);
    expectReject(s, { kind: "cancel", account: "alice", nonce: nextNonce(), orderNonce: 12345 }, ENGINE_REJECT.UNKNOWN_ORDER);
    expectReject(s, { kind: "index-price", oracle: "mallory", marketId: TEST_MARKET.id, priceTicks: 1_000 }, ENGINE_REJECT.UNKNOWN_ORACLE);
  });

  it("bad tick and bad lot", () => {
    const s = funded();
    for (const p of [0, -1, 1.5, 100_001]) expectReject(s, order("alice", "buy", p, 1), ENGINE_REJECT.BAD_TICK);
    for (const q of [0, 2.5, 10_001]) expectReject(s, order("alice", "buy", 1_000, q), ENGINE_REJECT.BAD_LOT);
  });

  it("expired and stale nonce", () => {
    const s = funded();
    ok(s, { kind: "block", height: 1 });
    ok(s, { kind: "block", height: 2 });
    expectReject(s, order("alice", "buy", 1_000, 1, { goodTilBlock: 1 }), ENGINE_REJECT.EXPIRED);
    const o = order("alice", "buy", 999, 1, { goodTilBlock: 2 });
    ok(s, o);
    expectReject(s, { ...order("alice", "buy", 998, 1), nonce: o.nonce }, ENGINE_REJECT.STALE_NONCE);
    // good-til-block 2 rests through block 2 and is gone at the tick of block 3.
    const ev = ok(s, { kind: "block", height: 3 });
    expect(ev.some((e) => e.type === "order-done" && e.reason === "expired")).toBe(true);
    expect(market(s).book.size).toBe(0);
  });

  it("amounts, collateral, accounts, heights", () => {
    const s = funded();
    expectReject(s, { kind: "deposit", account: "alice", amountQuote: 0n }, ENGINE_REJECT.BAD_AMOUNT);
    expectReject(s, { kind: "withdraw", account: "alice", amountQuote: 2_000_000n }, ENGINE_REJECT.INSUFFICIENT_COLLATERAL);
    ok(s, { kind: "deposit", account: "carol", amountQuote: 1n });
    expectReject(s, { kind: "deposit", account: "dave", amountQuote: 1n }, ENGINE_REJECT.TOO_MANY_ACCOUNTS);
    expectReject(s, { kind: "block", height: 5 }, ENGINE_REJECT.BAD_HEIGHT);
    ok(s, order("alice", "buy", 1_000, 500));
    ok(s, order("bob", "sell", 1_000, 500));
    // 500 lots at 1000 need 50,000 initial margin; the rest may leave, not more.
    expectReject(s, { kind: "withdraw", account: "alice", amountQuote: 960_000n }, ENGINE_REJECT.INSUFFICIENT_MARGIN);
    ok(s, { kind: "withdraw", account: "alice", amountQuote: 900_000n });
  });

  it("too many orders, full level, position limit, bad trigger", () => {
    const s = funded();
    ok(s, order("alice", "buy", 990, 1));
    ok(s, order("alice", "buy", 991, 1));
    expectReject(s, order("alice", "buy", 992, 1), ENGINE_REJECT.TOO_MANY_ORDERS);
    ok(s, order("bob", "buy", 990, 1));
    const s2 = newEngine({ limits: { maxOrdersPerLevel: 1 }, market: { maxPositionLots: 10 } });
    ok(s2, { kind: "deposit", account: "a", amountQuote: 10_000_000n });
    ok(s2, { kind: "deposit", account: "b", amountQuote: 10_000_000n });
    ok(s2, order("a", "buy", 990, 1));
    expectReject(s2, order("b", "buy", 990, 1), ENGINE_REJECT.BOOK_FULL);
    expectReject(s2, order("b", "buy", 980, 11), ENGINE_REJECT.POSITION_LIMIT);
    expectReject(s2, order("b", "buy", 1_100, 1, { trigger: { kind: "stop", triggerTicks: 900 } }), ENGINE_REJECT.BAD_TRIGGER);
  });
});
