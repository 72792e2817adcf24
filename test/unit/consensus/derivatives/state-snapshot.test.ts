// Engine snapshots and clones: a loaded snapshot and a clone have the state's hash and its hidden indexes
// (iteration orders, expiries, best prices), run further actions with the same events, and bad bytes (truncated,
// inconsistent, for another genesis, huge counts) give decode errors without allocating.
import { describe, expect, it } from "vitest";
import { apply } from "../../../../consensus/derivatives/engine.ts";
import { createEngineState, DEFAULT_ENGINE_LIMITS, type EngineGenesis, type EngineState } from "../../../../consensus/derivatives/engine-state.ts";
import type { MarketSpec } from "../../../../consensus/derivatives/market.ts";
import type { EngineAction } from "../../../../consensus/derivatives/actions.ts";
import { engineStateHashHex } from "../../../../consensus/derivatives/state-hash.ts";
import { cloneEngineState, loadEngineSnapshot, saveEngineSnapshot } from "../../../../consensus/derivatives/state-snapshot.ts";
import { indexFingerprint, scribble, sharedMutables } from "../../../support/engine-state-probes.ts";
import { ok, ORACLES, TEST_MARKET } from "./engine-fixtures.ts";

const A: MarketSpec = { ...TEST_MARKET, fundingIntervalBlocks: 2 };
const B: MarketSpec = { ...TEST_MARKET, id: 9, symbol: "TWO-PERP", tickSizeQuote: 3n };
const GENESIS: EngineGenesis = { markets: [A, B], oracles: ORACLES, insuranceFundQuote: 500n, limits: { ...DEFAULT_ENGINE_LIMITS, maxOrdersPerAccount: 16 } };

function place(account: string, nonce: number, marketId: number, side: "buy" | "sell", priceTicks: number, sizeLots: number, extra: Partial<EngineAction> = {}): EngineAction {
  return { kind: "place", account, nonce, marketId, side, priceTicks, sizeLots, tif: "gtc", ...extra } as EngineAction;
}

/**
 * Resting orders on both sides of both markets with several per level, alice's placed with nonces out of order
 * (so nonce order is not resting order), expiries, a trigger, positions, index submissions and a funding payment.
 */
function richState(): EngineState {
  const s = createEngineState(GENESIS);
  for (const [who, amount] of [["alice", 2_500n], ["bob", 500_000n], ["carol", 500_000n], ["dave", 500_000n]] as const) ok(s, { kind: "deposit", account: who, amountQuote: amount });
  ok(s, { kind: "block", height: 1 });
  ok(s, place("bob", 1, A.id, "buy", 990, 10));
  ok(s, place("carol", 1, A.id, "buy", 990, 7, { goodTilBlock: 5 }));
  ok(s, place("dave", 1, A.id, "buy", 985, 4));
  ok(s, place("bob", 2, A.id, "sell", 1_010, 5));
  ok(s, place("carol", 2, A.id, "sell", 1_010, 6));
  ok(s, place("dave", 2, B.id, "sell", 1_020, 9, { goodTilBlock: 3 }));
  ok(s, place("dave", 3, B.id, "buy", 980, 9));
  ok(s, place("alice", 50, A.id, "buy", 1_010, 8)); // takes bob's 5 then carol's 3 at 1,010: long 8
  ok(s, place("alice", 47, B.id, "buy", 970, 3));
  ok(s, place("alice", 45, A.id, "sell", 1_030, 2)); // rests after nonce 47: resting order is not nonce order
  ok(s, place("alice", 51, A.id, "sell", 900, 4, { trigger: { kind: "take-profit", triggerTicks: 1_200 } }));
  ok(s, { kind: "index-price", oracle: ORACLES[0]!, marketId: A.id, priceTicks: 980 });
  ok(s, { kind: "index-price", oracle: ORACLES[1]!, marketId: A.id, priceTicks: 982 });
  ok(s, { kind: "block", height: 2 }); // funding interval of A: mark 990 (best bid) over index 980
  return s;
}

function loaded(s: EngineState): EngineState {
  const r = loadEngineSnapshot(saveEngineSnapshot(s), GENESIS);
  if (!r.ok) throw new Error(r.detail);
  return r.value;
}

function decodeCode(bytes: Uint8Array, genesis = GENESIS): string {
  const r = loadEngineSnapshot(bytes, genesis);
  return r.ok ? "ok" : r.code;
}

describe("engine snapshot", () => {
  it("rebuilds the state with its hash, books, refs in resting order, triggers, expiries and counters", () => {
    const s = richState();
    expect(s.accounts.get("alice")!.markets.get(A.id)!.sizeLots).toBe(8);
    expect(s.markets.get(A.id)!.fundingIndex).not.toBe(0n);
    const copy = loaded(s);
    expect(engineStateHashHex(copy)).toBe(engineStateHashHex(s));
    expect(indexFingerprint(copy)).toBe(indexFingerprint(s));
    expect([...copy.accounts.get("alice")!.orders.keys()]).toEqual([47, 45]);
    expect(copy.markets.get(A.id)!.book.bestBidTicks).toBe(990);
    expect(copy.markets.get(A.id)!.book.bestAskTicks).toBe(1_010);
    expect([...copy.markets.get(B.id)!.expiries.get(3)!]).toEqual([s.accounts.get("dave")!.orders.get(2)!.orderId]);
    expect(copy.nextOrderId).toBe(s.nextOrderId);
    expect(copy.nextTriggerSeq).toBe(s.nextTriggerSeq);
    expect(copy.limits).toEqual(s.limits);
    expect(saveEngineSnapshot(copy)).toEqual(saveEngineSnapshot(s));
  });

  it("a loaded snapshot and a clone run further actions with the same events as the original", () => {
    const s = richState();
    const copies = [loaded(s), cloneEngineState(s)];
    // The crash to 600 liquidates alice, cancelling her orders in the order they came to rest (47 before 45: not
    // nonce order), which the reloaded refs must reproduce, then her trigger. Blocks 4-6 expire dave's and carol's.
    const more: EngineAction[] = [
      place("bob", 3, A.id, "buy", 700, 20),
      ...ORACLES.map((oracle): EngineAction => ({ kind: "index-price", oracle, marketId: A.id, priceTicks: 600 })),
      { kind: "block", height: 3 },
      { kind: "block", height: 4 },
      { kind: "cancel-all", account: "dave", nonce: 9 },
      { kind: "block", height: 5 },
      { kind: "block", height: 6 },
    ];
    const seen: string[] = [];
    for (const action of more) {
      const want = apply(s, action);
      for (const e of want.events) if (e.type === "order-done" || e.type === "liquidation") seen.push(`${e.type}:${e.account}:${"nonce" in e ? e.nonce : ""}:${"reason" in e ? e.reason : ""}`);
      for (const c of copies) {
        const got = apply(c, action);
        expect([got.events, got.rejection]).toEqual([want.events, want.rejection]);
      }
    }
    const alice = seen.filter((x) => x.startsWith("order-done:alice") && x.endsWith("liquidation"));
    expect(alice).toEqual(["order-done:alice:47:liquidation", "order-done:alice:45:liquidation"]);
    expect(seen).toContain("liquidation:alice::");
    expect(seen).toContain("order-done:carol:1:expired");
    for (const c of copies) {
      expect(engineStateHashHex(c)).toBe(engineStateHashHex(s));
      expect(indexFingerprint(c)).toBe(indexFingerprint(s));
    }
  });

  it("refuses a snapshot for another genesis: markets, oracles or limits", () => {
    const bytes = saveEngineSnapshot(richState());
    expect(decodeCode(bytes)).toBe("ok");
    expect(decodeCode(bytes, { ...GENESIS, markets: [A, { ...B, symbol: "OTHER-PERP" }] })).toBe("CODEC_ERROR_BAD_VALUE");
    expect(decodeCode(bytes, { ...GENESIS, markets: [A] })).toBe("CODEC_ERROR_BAD_VALUE");
    expect(decodeCode(bytes, { ...GENESIS, oracles: [...ORACLES, "val-d"] })).toBe("CODEC_ERROR_BAD_VALUE");
    expect(decodeCode(bytes, { ...GENESIS, limits: { ...GENESIS.limits!, maxOrdersPerLevel: 9 } })).toBe("CODEC_ERROR_BAD_VALUE");
    expect(decodeCode(bytes, { ...GENESIS, limits: { ...GENESIS.limits!, maxAmountQuote: 1n } })).toBe("CODEC_ERROR_BAD_VALUE");
  });

  it("every truncation, a trailing byte and an unknown version are decode errors", () => {
    const bytes = saveEngineSnapshot(richState());
    for (let cut = 0; cut < bytes.length; cut++) expect(loadEngineSnapshot(bytes.subarray(0, cut), GENESIS).ok).toBe(false);
    expect(decodeCode(Uint8Array.from([...bytes, 0]))).toBe("CODEC_ERROR_TRAILING_BYTES");
    expect(decodeCode(Uint8Array.from([2, ...bytes.subarray(1)]))).toBe("CODEC_ERROR_BAD_TAG");
  });

  it("checks list counts against limits and remaining bytes before allocating", () => {
    const empty = saveEngineSnapshot(createEngineState(GENESIS));
    const withCount = (n: number) => {
      const b = Uint8Array.from(empty);
      new DataView(b.buffer).setUint32(b.length - 4, n); // the account count closes an empty state
      return b;
    };
    expect(decodeCode(withCount(0xffff_ffff))).toBe("CODEC_ERROR_LENGTH_LIMIT");
    expect(decodeCode(withCount(DEFAULT_ENGINE_LIMITS.maxAccounts))).toBe("CODEC_ERROR_TRUNCATED");
  });

  it("refuses well-formed bytes of an inconsistent state", () => {
    const cases: ((s: EngineState) => void)[] = [
      (s) => { s.accounts.get("bob")!.markets.get(A.id)!.openBuyLots += 1; },
      (s) => { s.accounts.get("dave")!.orders.delete(1); },
      (s) => { s.accounts.get("dave")!.orders.set(99, { marketId: A.id, orderId: 1 }); },
      (s) => { s.accounts.get("alice")!.triggerNonces.clear(); },
      (s) => { s.accounts.get("alice")!.triggerNonces.add(45); },
      (s) => { (s.accounts.get("carol") as { index: number }).index = 0; },
      (s) => { s.height = 10; }, // carol's order good til 5 would rest past its expiry
      (s) => { s.nextOrderId = 3; },
      (s) => { s.markets.get(A.id)!.markTicks = 0; },
      (s) => { s.accounts.get("bob")!.markets.set(5, { sizeLots: 0, entryNotionalQuote: 0n, fundingIndexSnapshot: 0n, openBuyLots: 0, openSellLots: 0 }); },
      (s) => { s.markets.get(A.id)!.indexSubmissions.set("stranger", { priceTicks: 1_000, height: 1 }); },
    ];
    for (const [i, corrupt] of cases.entries()) {
      const s = richState();
      corrupt(s);
      const r = loadEngineSnapshot(saveEngineSnapshot(s), GENESIS);
      expect(r.ok, `case ${i}`).toBe(false);
    }
  });

  it("text that is not UTF-8 is a decode error", () => {
    const bytes = saveEngineSnapshot(richState());
    const at = Buffer.from(bytes).indexOf("carol");
    expect(at).toBeGreaterThan(0);
    const bad = Uint8Array.from(bytes);
    bad[at] = 0xff;
    expect(decodeCode(bad)).toBe("CODEC_ERROR_BAD_VALUE");
  });
});

describe("engine state clone", () => {
  it("shares no mutable object with the original and keeps every index", () => {
    const s = richState();
    const c = cloneEngineState(s);
    expect(sharedMutables(s, c)).toEqual([]);
    expect(engineStateHashHex(c)).toBe(engineStateHashHex(s));
    expect(indexFingerprint(c)).toBe(indexFingerprint(s));
    expect([...c.markets.get(B.id)!.expiries.keys()]).toEqual([...s.markets.get(B.id)!.expiries.keys()]);
  });

  it("changing every part of the clone leaves the original as it was", () => {
    const s = richState();
    const hash = engineStateHashHex(s);
    const fingerprint = indexFingerprint(s);
    const c = cloneEngineState(s);
    scribble(c);
    expect(engineStateHashHex(c)).not.toBe(hash);
    expect(engineStateHashHex(s)).toBe(hash);
    expect(indexFingerprint(s)).toBe(fingerprint);
  });
});
