// Property tests for the order-lane codecs: decode(encode(x)) = x for actions, receipt batches and nonce windows,
// and arbitrary bytes (random or mutated encodings) only ever give values or decode errors, never exceptions.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeNonceWindow, encodeNonceWindow } from "../../consensus/lane/nonce-window.ts";
import { decodeOrderAction, encodeOrderAction } from "../../consensus/lane/order-codec.ts";
import { ACTION_KINDS, SIDES, TRIGGER_KINDS, type OrderAction } from "../../consensus/lane/order.ts";
import { decodeReceiptBatch, encodeReceiptBatch, type ReceiptBatch } from "../../consensus/lane/receipt-batch.ts";

const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const safe = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const leg = fc.record({
  marketId: fc.integer({ min: 0, max: 0xffff }),
  action: fc.constantFrom(...ACTION_KINDS),
  side: fc.constantFrom(...SIDES),
  flags: fc.integer({ min: 0, max: 0xff }),
  triggerKind: fc.constantFrom(...TRIGGER_KINDS),
  priceTicks: u64,
  sizeLots: u64,
  triggerPriceTicks: u64,
  clientOrderId: fc.integer({ min: 0, max: 0xffffffff }),
  targetClientOrderId: fc.integer({ min: 0, max: 0xffffffff }),
});
const action: fc.Arbitrary<OrderAction> = fc.record({
  version: fc.constant(1),
  chainId: u64,
  account: bytes(20),
  tradingKey: bytes(32),
  nonce: u64,
  goodTilBlock: u64,
  legs: fc.array(leg, { minLength: 1, maxLength: 32 }),
  signature: bytes(64),
});
const batch: fc.Arbitrary<ReceiptBatch> = fc.record({
  version: fc.constant(1),
  chainId: u64,
  epoch: safe,
  validator: fc.integer({ min: 0, max: 0xffffffff }),
  batchSeq: safe,
  watermarkUs: safe,
  receipts: fc.array(fc.record({ orderId: bytes(32), stampUs: safe, localSeq: fc.integer({ min: 0, max: 0xffffffff }) }), { maxLength: 40 }),
  signature: bytes(64),
});
const window = fc.oneof(
  fc.constant({ highest: 0n, seen: 0n }),
  fc.record({ highest: u64, seen: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map((x) => (x << 1n) | 1n) }),
);

function neverThrows(decode: (b: Uint8Array) => { ok: boolean }, sample: fc.Arbitrary<Uint8Array>) {
  fc.assert(fc.property(sample, (b) => { decode(b); }), { numRuns: 500 });
}

function mutated(encoded: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc.tuple(encoded, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.integer({ min: -3, max: 3 })).map(([b, at, v, cut]) => {
    const out = b.slice(0, Math.max(0, b.length + cut));
    if (out.length > 0) out[at % out.length] = v;
    return out;
  });
}

describe("lane codecs round-trip", () => {
  it("order actions", () => {
    fc.assert(fc.property(action, (a) => { expect(decodeOrderAction(encodeOrderAction(a))).toEqual({ ok: true, value: a }); }), { numRuns: 300 });
  });
  it("receipt batches", () => {
    fc.assert(fc.property(batch, (b) => { expect(decodeReceiptBatch(encodeReceiptBatch(b))).toEqual({ ok: true, value: b }); }), { numRuns: 300 });
  });
  it("nonce windows", () => {
    fc.assert(fc.property(window, (w) => { expect(decodeNonceWindow(encodeNonceWindow(w))).toEqual({ ok: true, value: w }); }), { numRuns: 300 });
  });
});

describe("lane decoders never throw", () => {
  const random = fc.uint8Array({ maxLength: 1600 });
  it("order actions", () => {
    neverThrows(decodeOrderAction, random);
    neverThrows(decodeOrderAction, mutated(action.map(encodeOrderAction)));
  });
  it("receipt batches", () => {
    neverThrows(decodeReceiptBatch, random);
    neverThrows(decodeReceiptBatch, mutated(batch.map(encodeReceiptBatch)));
  });
  it("nonce windows", () => neverThrows(decodeNonceWindow, fc.uint8Array({ maxLength: 20 })));
});
