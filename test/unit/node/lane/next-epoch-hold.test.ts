// NextEpochHold: next-epoch receipt batches are held per validator index, vouched ones (signature good under the
// current set) apart from the rest, each bucket bounded, so forgeries can fill only the unvouched buckets.

import { describe, expect, it } from "vitest";
import type { ReceiptBatch } from "../../../../consensus/lane/receipt-batch.ts";
import { NextEpochHold } from "../../../../node/lane/next-epoch-hold.ts";

function batch(validator: number, batchSeq: number, signatureByte = 0): ReceiptBatch {
  return { version: 1, chainId: 31337n, epoch: 1, validator, batchSeq, watermarkUs: 1000 + batchSeq, receipts: [], signature: new Uint8Array(64).fill(signatureByte) };
}

describe("NextEpochHold", () => {
  it("holds vouched batches once per (validator, sequence) and hands them back in sequence order", () => {
    const hold = new NextEpochHold({ validatorsMax: 4 });
    expect(hold.hold(batch(1, 5), true)).toBe("held");
    expect(hold.hold(batch(1, 3), true)).toBe("held");
    expect(hold.hold(batch(1, 5, 9), true)).toBe("duplicate");
    expect(hold.hold(batch(2, 5), true)).toBe("held");
    expect(hold.size).toBe(3);
    const taken = hold.take();
    expect(taken.map((b) => [b.validator, b.batchSeq])).toEqual([[1, 3], [1, 5], [2, 5]]);
    expect(hold.size).toBe(0);
    expect(hold.take()).toEqual([]);
  });

  it("a flood of unvouched forgeries fills only its own bucket: vouched batches of the same index still get in", () => {
    const hold = new NextEpochHold({ validatorsMax: 4, vouchedPerValidator: 8, unvouchedPerValidator: 2 });
    const results = Array.from({ length: 100 }, (_, s) => hold.hold(batch(0, s, 1), false));
    expect(results.filter((r) => r === "held")).toHaveLength(2);
    expect(results.filter((r) => r === "full")).toHaveLength(98);
    for (let s = 0; s < 8; s++) expect(hold.hold(batch(0, s), true)).toBe("held");
    expect(hold.hold(batch(0, 8), true)).toBe("full");
    // Unvouched candidates for one sequence with different signatures are all kept (the forger cannot pre-empt it).
    expect(hold.hold(batch(1, 0, 1), false)).toBe("held");
    expect(hold.hold(batch(1, 0, 2), false)).toBe("held");
    expect(hold.hold(batch(1, 0, 2), false)).toBe("duplicate");
    expect(hold.hold(batch(1, 1, 3), false)).toBe("full");
    expect(hold.size).toBe(12);
  });

  it("refuses indexes outside the chain's validator limit", () => {
    const hold = new NextEpochHold({ validatorsMax: 4 });
    expect(hold.hold(batch(4, 0), false)).toBe("unknownValidator");
    expect(hold.hold(batch(-1, 0), true)).toBe("unknownValidator");
    expect(hold.size).toBe(0);
  });
});
