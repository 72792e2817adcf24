// ReceiptPool: deduplication by (epoch, validator, sequence), the per-validator bound, which orders held batches
// name, the quorum's watermark under unequal stakes, the proposer's evidence selection and pruning. The pool never
// checks signatures (the lane service does before adding), so batches here carry a zero signature.

import { describe, expect, it } from "vitest";
import { compareBytes, toHex } from "../../../../consensus/crypto/hash.ts";
import type { ReceiptBatch } from "../../../../consensus/lane/receipt-batch.ts";
import { ValidatorSet } from "../../../../consensus/validator-set.ts";
import { ReceiptPool } from "../../../../node/lane/receipt-pool.ts";
import { testKey } from "../../../support/fixtures.ts";

/** Four validators whose stakes by set index are 40, 30, 20, 10 (total 100; a quorum needs more than 66.6). */
const STAKES = [40n, 30n, 20n, 10n];
const keys = [1, 2, 3, 4].map((n) => testKey(n).publicKey).sort(compareBytes);
const SET = new ValidatorSet(keys.map((publicKey, i) => ({ publicKey, operator: new Uint8Array(20), stake: STAKES[i]! })), new Uint8Array(32));

const id = (n: number) => new Uint8Array(32).fill(n);

let seq = 0;
function batch(validator: number, watermarkUs: number, orders: number[] = [], o: { epoch?: number; batchSeq?: number } = {}): ReceiptBatch {
  return {
    version: 1, chainId: 31337n, epoch: o.epoch ?? 0, validator, batchSeq: o.batchSeq ?? seq++, watermarkUs,
    receipts: orders.map((n, i) => ({ orderId: id(n), stampUs: watermarkUs - orders.length + i, localSeq: i + 1 })),
    signature: new Uint8Array(64),
  };
}

function poolOf(batches: ReceiptBatch[], max?: number): ReceiptPool {
  const pool = new ReceiptPool(max);
  for (const b of batches) pool.add(b);
  return pool;
}

describe("ReceiptPool.add", () => {
  it("holds a batch once per (epoch, validator, sequence)", () => {
    const pool = new ReceiptPool();
    expect(pool.add(batch(1, 100, [], { batchSeq: 7 }))).toBe(true);
    expect(pool.add(batch(1, 200, [], { batchSeq: 7 }))).toBe(false); // same name, other content: still a duplicate
    expect(pool.add(batch(2, 100, [], { batchSeq: 7 }))).toBe(true);
    expect(pool.add(batch(1, 100, [], { batchSeq: 7, epoch: 1 }))).toBe(true);
    expect(pool.size).toBe(3);
  });

  it("keeps at most perValidatorMax batches per validator, forgetting the oldest (counted)", () => {
    const pool = new ReceiptPool(3);
    for (let s = 0; s < 5; s++) pool.add(batch(0, 100 + s, [s + 1], { batchSeq: s }));
    pool.add(batch(1, 100, [9], { batchSeq: 0 }));
    expect(pool.size).toBe(4);
    expect(pool.dropped).toBe(2);
    expect([1, 2, 3, 4, 5, 9].map((n) => pool.namesOrder(toHex(id(n))))).toEqual([false, false, true, true, true, true]);
    // The forgotten names can be held again (and the oldest still held gives way).
    expect(pool.add(batch(0, 100, [1], { batchSeq: 0 }))).toBe(true);
    expect(pool.dropped).toBe(3);
    expect(pool.namesOrder(toHex(id(3)))).toBe(false);
  });

  it("says whether some held batch names an order, counting every batch that does", () => {
    const pool = poolOf([batch(0, 100, [1, 2]), batch(1, 150, [2]), batch(2, 400, [3])]);
    expect([1, 2, 3, 4].map((n) => pool.namesOrder(toHex(id(n))))).toEqual([true, true, true, false]);
    pool.prune(120); // forgets v0's batch: order 2 is still named by v1's
    expect([1, 2, 3].map((n) => pool.namesOrder(toHex(id(n))))).toEqual([false, true, true]);
    pool.prune(401);
    expect([2, 3].map((n) => pool.namesOrder(toHex(id(n))))).toEqual([false, false]);
  });
});

describe("ReceiptPool.quorumWatermark", () => {
  it("is the highest watermark that validators with more than 2/3 of the stake reached", () => {
    expect(SET.validators.map((v) => v.stake)).toEqual(STAKES);
    // Descending: v1 400 (30), v2 300 (50), v3 200 (60), v0 100 (100): only all four are a quorum.
    const pool = poolOf([batch(0, 100), batch(1, 400), batch(2, 300), batch(3, 200)]);
    expect(pool.quorumWatermark(SET, 0)).toBe(100);
    // v0 reaches 500: v0 (40) + v1 (30) = 70 > 66.6 at 400. The small validators no longer matter.
    pool.add(batch(0, 500));
    expect(pool.quorumWatermark(SET, 0)).toBe(400);
    // Without v1: v0 500 (40), v2 300 (60), v3 200 (70).
    expect(pool.quorumWatermark(SET, 0, new Set([1]))).toBe(200);
    expect(pool.quorumWatermark(SET, 0, new Set([0]))).toBe(0); // 60 of 100 is no quorum
  });

  it("reads only the epoch asked for and only members of the set, 0 without a quorum", () => {
    const pool = poolOf([batch(0, 500), batch(1, 9_000, [], { epoch: 1 }), batch(7, 9_000)]);
    expect(pool.quorumWatermark(SET, 0)).toBe(0);
    pool.add(batch(1, 450));
    expect(pool.quorumWatermark(SET, 0)).toBe(450);
    expect(pool.quorumWatermark(SET, 1)).toBe(0);
    expect(new ReceiptPool().quorumWatermark(SET, 0)).toBe(0);
  });
});

describe("ReceiptPool.evidence", () => {
  // Previous cut-off 1000, cut-off 2000, retained 500 µs back: batches with a watermark above 500 may matter.
  const A = batch(0, 400, [1]); //   at or before 500: too old
  const B = batch(0, 800, [2]); //   before the previous cut-off, its order no longer open
  const C = batch(0, 900, [3]); //   before the previous cut-off, its order still open
  const D = batch(0, 1_500); //      empty and below the cut-off: proves nothing
  const E = batch(0, 1_800, [4]);
  const F = batch(0, 2_000); //      v0's first batch reaching the cut-off: its proof, even empty
  const G = batch(0, 2_500, [5]); // after the proof
  const H = batch(1, 2_600, [6]); // v1's proof
  const I = batch(1, 3_000, [7]);
  const J = batch(2, 1_900, [8]); // v2: excluded
  const K = batch(3, 1_900, [9], { epoch: 1 });
  const open = (b: ReceiptBatch) => b.receipts.some((r) => r.orderId[0] === 3);

  it("takes each validator's batches with receipts in the window, up to its first reaching the cut-off", () => {
    // Arrival out of watermark order: the selection sorts by watermark.
    const pool = poolOf([G, F, E, D, C, B, A, I, H, J, K]);
    expect(pool.evidence(0, 1_000, 2_000, 500, new Set([2]), open)).toEqual([C, E, F, H]);
  });

  it("keeps every batch with receipts in the window when nothing is said about open orders", () => {
    const pool = poolOf([A, B, C, D, E, F, G]);
    expect(pool.evidence(0, 1_000, 2_000, 500, new Set())).toEqual([B, C, E, F]);
  });

  it("gives a validator without a batch at the cut-off all its window's batches (the caller's check refuses the cut-off)", () => {
    const pool = poolOf([C, E, J]);
    expect(pool.evidence(0, 1_000, 2_000, 500, new Set(), open)).toEqual([C, E, J]);
  });
});

describe("ReceiptPool.prune", () => {
  it("forgets batches whose watermark is before the limit, and their names", () => {
    const b1 = batch(0, 100, [1], { batchSeq: 1 });
    const b2 = batch(0, 200, [2], { batchSeq: 2 });
    const b3 = batch(1, 150, [], { batchSeq: 1 });
    const pool = poolOf([b1, b2, b3, batch(2, 300), batch(3, 300)]);
    pool.prune(200);
    expect(pool.size).toBe(3);
    // v1 has nothing left; v0's proof is b2 (watermark 200 is not before the limit).
    expect(pool.evidence(0, 0, 200, 1_000, new Set()).map((b) => [b.validator, b.watermarkUs])).toEqual([[0, 200], [2, 300], [3, 300]]);
    expect(pool.add(b1)).toBe(true); // forgotten, so it can be held again
    expect(pool.add(b2)).toBe(false);
    // v1 left no batch: the quorum (v0, v2, v3 = 70) reaches 200 at most.
    expect(pool.quorumWatermark(SET, 0)).toBe(200);
  });
});
