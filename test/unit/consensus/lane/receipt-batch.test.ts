// Receipt batches: round trip, signature by the member's key, and the shape rules (sequence, stamps, watermark).
import { describe, expect, it } from "vitest";
import { nobleVerify } from "../../../../consensus/crypto/ed25519.ts";
import {
  decodeReceiptBatch,
  encodeReceiptBatch,
  RECEIPT_BATCH_HEADER_BYTES,
  RECEIPTS_PER_BATCH_MAX,
  signReceiptBatch,
  validateReceiptBatch,
  type ReceiptBatchBody,
} from "../../../../consensus/lane/receipt-batch.ts";
import { CHAIN_ID, validatorSet } from "./lane-fixtures.ts";

const { set, secretByIndex } = validatorSet([10n, 10n, 10n, 10n]);
const ctx = { chainId: CHAIN_ID, epoch: 3, set, verify: nobleVerify };

function body(over: Partial<ReceiptBatchBody> = {}): ReceiptBatchBody {
  return {
    version: 1,
    chainId: CHAIN_ID,
    epoch: 3,
    validator: 1,
    batchSeq: 17,
    watermarkUs: 1_700_000_000_050_000,
    receipts: [
      { orderId: new Uint8Array(32).fill(1), stampUs: 1_700_000_000_000_100, localSeq: 40 },
      { orderId: new Uint8Array(32).fill(2), stampUs: 1_700_000_000_000_100, localSeq: 41 },
      { orderId: new Uint8Array(32).fill(3), stampUs: 1_700_000_000_049_999, localSeq: 45 },
    ],
    ...over,
  };
}

describe("receipt batch", () => {
  it("round-trips and has the documented size", () => {
    const batch = signReceiptBatch(body(), secretByIndex[1]!);
    const bytes = encodeReceiptBatch(batch);
    expect(bytes.length).toBe(RECEIPT_BATCH_HEADER_BYTES + 3 * 44 + 64);
    expect(decodeReceiptBatch(bytes)).toEqual({ ok: true, value: batch });
    expect(validateReceiptBatch(batch, ctx)).toEqual({ action: "accept" });
  });

  it("rejects a signature by another member, a tampered receipt, another chain and an unknown index", () => {
    const byOther = signReceiptBatch(body(), secretByIndex[2]!);
    expect(validateReceiptBatch(byOther, ctx)).toMatchObject({ code: "RECEIPTS_ERROR_INVALID_SIGNATURE" });
    const batch = signReceiptBatch(body(), secretByIndex[1]!);
    const tampered = { ...batch, receipts: batch.receipts.map((r, i) => (i === 0 ? { ...r, stampUs: r.stampUs - 1 } : r)) };
    expect(validateReceiptBatch(tampered, ctx)).toMatchObject({ code: "RECEIPTS_ERROR_INVALID_SIGNATURE" });
    expect(validateReceiptBatch({ ...batch, chainId: 2n }, ctx)).toMatchObject({ code: "RECEIPTS_ERROR_WRONG_CHAIN" });
    expect(validateReceiptBatch({ ...batch, validator: 4 }, ctx)).toMatchObject({ code: "RECEIPTS_ERROR_UNKNOWN_VALIDATOR" });
    expect(validateReceiptBatch({ ...batch, epoch: 4 }, ctx)).toMatchObject({ action: "ignore", code: "RECEIPTS_ERROR_WRONG_EPOCH" });
  });

  it("enforces ingest order, the watermark and one receipt per order", () => {
    const r = body().receipts;
    const cases: [Partial<ReceiptBatchBody>, string][] = [
      [{ receipts: [r[1]!, r[0]!] }, "RECEIPTS_ERROR_SEQUENCE"],
      [{ receipts: [r[0]!, { ...r[2]!, stampUs: r[0]!.stampUs - 1 }] }, "RECEIPTS_ERROR_STAMP_ORDER"],
      [{ watermarkUs: r[2]!.stampUs }, "RECEIPTS_ERROR_ABOVE_WATERMARK"],
      [{ receipts: [r[0]!, { ...r[0]!, localSeq: 50 }] }, "RECEIPTS_ERROR_DUPLICATE_ORDER"],
    ];
    for (const [over, code] of cases) {
      expect(validateReceiptBatch(signReceiptBatch(body(over), secretByIndex[1]!), ctx)).toMatchObject({ action: "reject", code });
    }
  });

  it("limits the count before allocating", () => {
    const many = Array.from({ length: RECEIPTS_PER_BATCH_MAX + 1 }, (_, i) => ({ orderId: new Uint8Array(32), stampUs: 1, localSeq: i }));
    expect(() => encodeReceiptBatch({ ...body({ receipts: many }), signature: new Uint8Array(64) })).toThrow(RangeError);
    const bytes = encodeReceiptBatch(signReceiptBatch(body(), secretByIndex[1]!));
    const huge = bytes.slice();
    huge[RECEIPT_BATCH_HEADER_BYTES - 2] = 0xff; // count 0xff03 > limit
    expect(decodeReceiptBatch(huge)).toMatchObject({ ok: false, code: "CODEC_ERROR_LENGTH_LIMIT" });
    const more = bytes.slice();
    more[RECEIPT_BATCH_HEADER_BYTES - 1] = 9; // 9 receipts claimed, 3 present
    expect(decodeReceiptBatch(more)).toMatchObject({ ok: false, code: "CODEC_ERROR_TRUNCATED" });
  });
});
