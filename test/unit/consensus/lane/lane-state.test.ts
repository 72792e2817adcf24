// The lane state (consensus/lane/lane-state.ts) and its snapshot (lane-snapshot.ts): the hash covers every
// registry field and the engine and nothing about insertion order; the registry codec's exact bytes and
// refusals; clones are independent; a snapshot loads back to the same hash and bad bytes are coded errors.
import { describe, expect, it } from "vitest";
import { toHex } from "../../../../consensus/crypto/hash.ts";
import type { EngineGenesis } from "../../../../consensus/derivatives/engine-state.ts";
import { LaneOp, WEI_PER_QUOTE } from "../../../../consensus/lane/lane-call.ts";
import { applyLaneCall, beginLaneBlock, executeLaneOrder } from "../../../../consensus/lane/lane-execution.ts";
import { loadLaneSnapshot, saveLaneSnapshot } from "../../../../consensus/lane/lane-snapshot.ts";
import {
  accountIdOf,
  cloneLaneState,
  createLaneState,
  decodeLaneRegistry,
  encodeLaneRegistry,
  laneStateHash,
  type LaneState,
} from "../../../../consensus/lane/lane-state.ts";
import { OrderFlag, Side } from "../../../../consensus/lane/order.ts";
import { TEST_MARKET } from "../derivatives/engine-fixtures.ts";
import { actionBody, placeLeg } from "./lane-fixtures.ts";

const ORACLE = "0a".repeat(32);
const GENESIS: EngineGenesis = { markets: [TEST_MARKET], oracles: [ORACLE], insuranceFundQuote: 5_000n };
const KEY_A = "aa".repeat(32);
const KEY_B = "bb".repeat(32);
const KEY_C = "cc".repeat(32);
const ACCOUNT_1 = `0x${"11".repeat(20)}`;
const ACCOUNT_2 = `0x${"22".repeat(20)}`;

function hashOf(s: LaneState): string {
  return toHex(laneStateHash(s));
}

/** A lane with two keys (inserted B then A), one revoked key and a cut-off. */
function sample(order: "ab" | "ba" = "ba"): LaneState {
  const s = createLaneState(GENESIS);
  const entries: [string, { account: string; window: { highest: bigint; seen: bigint } }][] = [
    [KEY_A, { account: ACCOUNT_1, window: { highest: 7n, seen: 0b101n } }],
    [KEY_B, { account: ACCOUNT_2, window: { highest: 0n, seen: 0n } }],
  ];
  for (const [k, r] of order === "ab" ? entries : [...entries].reverse()) s.keys.set(k, r);
  s.revokedKeys.add(KEY_C);
  s.cutoffUs = 1_700_000_000_123_456;
  return s;
}

/** A lane whose engine has an account with a resting order, for snapshots. */
function trading(): LaneState {
  const s = sample();
  const address = new Uint8Array(20).fill(0x11);
  const key = Uint8Array.from({ length: 32 }, (_, i) => i);
  applyLaneCall(s, { op: LaneOp.RegisterKey, tradingKey: key }, address, 0n);
  applyLaneCall(s, { op: LaneOp.Deposit }, address, 100_000n * WEI_PER_QUOTE);
  beginLaneBlock(s, 1, ORACLE, [{ marketId: 7, priceTicks: 1_010 }]);
  const body = actionBody(key, [placeLeg({ side: Side.Sell, flags: OrderFlag.Gtc | OrderFlag.PostOnly, priceTicks: 1_050n, sizeLots: 5n })], { account: address, nonce: 3n });
  const out = executeLaneOrder(s, body, "00", 1);
  expect(out.legs).toEqual([{ ok: true }]);
  return s;
}

describe("laneStateHash", () => {
  it("does not depend on the insertion order of keys or revoked keys", () => {
    const a = sample("ab");
    const b = sample("ba");
    expect(hashOf(a)).toBe(hashOf(b));
    const c = sample();
    c.revokedKeys.add("dd".repeat(32));
    const d = sample();
    d.revokedKeys.clear();
    d.revokedKeys.add("dd".repeat(32));
    d.revokedKeys.add(KEY_C);
    expect(hashOf(c)).toBe(hashOf(d));
  });

  it("changes with every registry field", () => {
    const base = hashOf(sample());
    const changes: [string, (s: LaneState) => void][] = [
      ["cut-off", (s) => { s.cutoffUs += 1; }],
      ["a key added", (s) => { s.keys.set("dd".repeat(32), { account: ACCOUNT_1, window: { highest: 0n, seen: 0n } }); }],
      ["a key removed", (s) => { s.keys.delete(KEY_B); }],
      ["a key's account", (s) => { s.keys.set(KEY_B, { account: ACCOUNT_1, window: { highest: 0n, seen: 0n } }); }],
      ["a window's highest", (s) => { s.keys.get(KEY_A)!.window = { highest: 8n, seen: 0b101n }; }],
      ["a window's bitmap", (s) => { s.keys.get(KEY_A)!.window = { highest: 7n, seen: 0b111n }; }],
      ["a revoked key added", (s) => { s.revokedKeys.add("dd".repeat(32)); }],
      ["a revoked key removed", (s) => { s.revokedKeys.delete(KEY_C); }],
      ["a key moved to revoked", (s) => { s.keys.delete(KEY_B); s.revokedKeys.add(KEY_B); }],
    ];
    const seen = new Set([base]);
    for (const [what, change] of changes) {
      const s = sample();
      change(s);
      const h = hashOf(s);
      expect(h, what).not.toBe(base);
      seen.add(h);
    }
    expect(seen.size).toBe(changes.length + 1);
  });

  it("changes with the engine: a deposit, a tick, a price, an order", () => {
    const base = sample();
    const hashes = [hashOf(base)];
    const s = sample();
    applyLaneCall(s, { op: LaneOp.Deposit }, new Uint8Array(20).fill(0x11), WEI_PER_QUOTE);
    hashes.push(hashOf(s));
    beginLaneBlock(s, 1, ORACLE, []);
    hashes.push(hashOf(s));
    s.engine.markets.get(7)!.indexSubmissions.set(ORACLE, { priceTicks: 999, height: 1 });
    hashes.push(hashOf(s));
    expect(new Set(hashes).size).toBe(4);
    expect(hashOf(trading())).not.toBe(hashes[0]);
  });

  it("differs between two genesis insurance funds with otherwise equal states", () => {
    const other = createLaneState({ ...GENESIS, insuranceFundQuote: 5_001n });
    expect(hashOf(createLaneState(GENESIS))).not.toBe(hashOf(other));
  });
});

describe("lane registry codec", () => {
  it("encodes sorted keys and revoked keys in a pinned layout", () => {
    const s = sample();
    const bytes = encodeLaneRegistry(s);
    expect(bytes.length).toBe(1 + 8 + 4 + 2 * (32 + 20 + 16) + 4 + 32);
    const hex = toHex(bytes);
    expect(hex).toBe(
      "01" + "00060a2418202240" + // version, cut-off
        "00000002" +
        KEY_A + "11".repeat(20) + "0000000000000007" + "0000000000000005" +
        KEY_B + "22".repeat(20) + "0000000000000000" + "0000000000000000" +
        "00000001" + KEY_C,
    );
    expect(toHex(encodeLaneRegistry(sample("ab")))).toBe(hex);
  });

  it("round trips", () => {
    const s = sample();
    const r = decodeLaneRegistry(encodeLaneRegistry(s));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.cutoffUs).toBe(s.cutoffUs);
    expect([...r.value.keys].sort()).toEqual([...s.keys].sort());
    expect([...r.value.revokedKeys]).toEqual([KEY_C]);
    const empty = createLaneState(GENESIS);
    expect(decodeLaneRegistry(encodeLaneRegistry(empty))).toEqual({ ok: true, value: { keys: new Map(), revokedKeys: new Set(), cutoffUs: 0 } });
  });

  it("refuses another version, truncation at every length, trailing bytes and impossible counts", () => {
    const bytes = encodeLaneRegistry(sample());
    const codeOf = (b: Uint8Array) => {
      const r = decodeLaneRegistry(b);
      return r.ok ? "ok" : r.code;
    };
    expect(codeOf(Uint8Array.of(2, ...bytes.subarray(1)))).toBe("CODEC_ERROR_BAD_VALUE");
    for (let n = 0; n < bytes.length; n++) expect(codeOf(bytes.subarray(0, n)), `length ${n}`).toBe("CODEC_ERROR_TRUNCATED");
    expect(codeOf(Uint8Array.of(...bytes, 0))).toBe("CODEC_ERROR_TRAILING_BYTES");
    const huge = Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff);
    expect(codeOf(huge)).toBe("CODEC_ERROR_LENGTH_LIMIT");
    const cutoff = Uint8Array.of(1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0);
    expect(codeOf(cutoff)).toBe("CODEC_ERROR_BAD_VALUE"); // cut-off above 2^53
  });

  it("names accounts as lowercase 0x-hex", () => {
    expect(accountIdOf(Uint8Array.from({ length: 20 }, (_, i) => 0xa0 + i))).toBe("0xa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3");
  });
});

describe("cloneLaneState", () => {
  it("gives a copy with the same hash whose every change leaves the original alone", () => {
    const original = trading();
    const before = hashOf(original);
    const mutations: ((c: LaneState) => void)[] = [
      (c) => { c.cutoffUs += 5; },
      (c) => { c.keys.get(KEY_A)!.window = { highest: 99n, seen: 1n }; },
      (c) => { c.keys.delete(KEY_B); },
      (c) => { c.revokedKeys.add("ee".repeat(32)); },
      (c) => { applyLaneCall(c, { op: LaneOp.Deposit }, new Uint8Array(20).fill(0x11), WEI_PER_QUOTE); },
      (c) => { beginLaneBlock(c, 2, ORACLE, [{ marketId: 7, priceTicks: 2_000 }]); },
      (c) => {
        const key = Uint8Array.from({ length: 32 }, (_, i) => i);
        const out = executeLaneOrder(c, actionBody(key, [placeLeg({ priceTicks: 1_000n, sizeLots: 5n, flags: OrderFlag.Gtc | OrderFlag.PostOnly, clientOrderId: 2 })], { account: new Uint8Array(20).fill(0x11), nonce: 4n }), "01", 1);
        expect(out.legs).toEqual([{ ok: true }]);
      },
    ];
    for (const mutate of mutations) {
      const clone = cloneLaneState(original);
      expect(hashOf(clone)).toBe(before);
      mutate(clone);
      expect(hashOf(clone)).not.toBe(before);
      expect(hashOf(original)).toBe(before);
    }
  });
});

describe("lane snapshot", () => {
  it("loads back to a state with the same hash that executes the same", () => {
    const s = trading();
    const bytes = saveLaneSnapshot(s);
    const loaded = loadLaneSnapshot(bytes, GENESIS);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(hashOf(loaded.value)).toBe(hashOf(s));
    expect(toHex(saveLaneSnapshot(loaded.value))).toBe(toHex(bytes));
    // the same next block on both gives the same hash
    for (const x of [s, loaded.value]) beginLaneBlock(x, 2, ORACLE, [{ marketId: 7, priceTicks: 1_020 }]);
    expect(hashOf(loaded.value)).toBe(hashOf(s));
  });

  it("starts with the registry's u32 length and the registry bytes", () => {
    const s = sample();
    const bytes = saveLaneSnapshot(s);
    const registry = encodeLaneRegistry(s);
    expect(new DataView(bytes.buffer, bytes.byteOffset).getUint32(0)).toBe(registry.length);
    expect(toHex(bytes.subarray(4, 4 + registry.length))).toBe(toHex(registry));
  });

  it("refuses truncated, extended or corrupted bytes and another genesis, never throwing", () => {
    const bytes = saveLaneSnapshot(trading());
    const codeOf = (b: Uint8Array, g: EngineGenesis = GENESIS) => {
      const r = loadLaneSnapshot(b, g);
      return r.ok ? "ok" : r.code;
    };
    expect(codeOf(bytes)).toBe("ok");
    for (let n = 0; n < bytes.length; n += 7) expect(codeOf(bytes.subarray(0, n)), `length ${n}`).not.toBe("ok");
    expect(codeOf(bytes.subarray(0, bytes.length - 1))).not.toBe("ok");
    expect(codeOf(Uint8Array.of(...bytes, 0))).toBe("CODEC_ERROR_TRAILING_BYTES");
    const badVersion = bytes.slice();
    badVersion[4] = 9; // the registry's version byte
    const r = loadLaneSnapshot(badVersion, GENESIS);
    expect(r.ok ? "ok" : [r.code, r.offset]).toEqual(["CODEC_ERROR_BAD_VALUE", 0]);
    const longRegistry = bytes.slice();
    longRegistry[3] = (longRegistry[3]! + 1) & 0xff; // the registry swallows the engine's first byte
    expect(codeOf(longRegistry)).not.toBe("ok");
    expect(codeOf(bytes, { ...GENESIS, markets: [{ ...TEST_MARKET, id: 9 }] })).not.toBe("ok");
    expect(codeOf(bytes, { ...GENESIS, limits: { ...createLaneState(GENESIS).engine.limits, maxAccounts: 7 } })).toBe("CODEC_ERROR_BAD_VALUE");
    // every single-byte flip gives a result (most an error), never an exception
    for (let i = 0; i < bytes.length; i++) {
      const flipped = bytes.slice();
      flipped[i] = flipped[i]! ^ 0x5a;
      expect(() => loadLaneSnapshot(flipped, GENESIS)).not.toThrow();
    }
  });
});
