// Peers' receipt batches signed for the next epoch, held until this node commits the epoch's last block and
// learns the next validator set (a peer that committed it first already signs for the new epoch). Anyone can send
// such a batch, and its signature can only be checked against the next set, so forgeries must not crowd out the
// honest ones: a batch whose signature verifies under the current set's key at its index (a validator that
// stays) is "vouched" and goes in that index's own bucket, one per sequence number; the rest (a validator new at
// that index, or a forgery) share a smaller bucket per index. Every bucket is bounded; all are checked in full
// when the epoch turns.
import { bytesEqual } from "../../consensus/crypto/hash.ts";
import type { ReceiptBatch } from "../../consensus/lane/receipt-batch.ts";

export type HoldResult = "held" | "duplicate" | "full" | "unknownValidator";

export interface NextEpochHoldLimits {
  /** Vouched batches per validator index (default 256: over 12 s of batches at Δ = 50 ms). */
  vouchedPerValidator?: number;
  /** Unvouched batches per validator index (default 32). */
  unvouchedPerValidator?: number;
  /** Indexes at or above this are refused (the chain's validator limit). */
  validatorsMax: number;
}

export class NextEpochHold {
  private readonly vouched = new Map<number, Map<number, ReceiptBatch>>();
  private readonly unvouched = new Map<number, ReceiptBatch[]>();
  private count = 0;
  private readonly vouchedMax: number;
  private readonly unvouchedMax: number;

  constructor(private readonly limits: NextEpochHoldLimits) {
    this.vouchedMax = limits.vouchedPerValidator ?? 256;
    this.unvouchedMax = limits.unvouchedPerValidator ?? 32;
  }

  get size(): number {
    return this.count;
  }

  hold(batch: ReceiptBatch, vouched: boolean): HoldResult {
    if (!Number.isInteger(batch.validator) || batch.validator < 0 || batch.validator >= this.limits.validatorsMax) return "unknownValidator";
    if (vouched) {
      let bucket = this.vouched.get(batch.validator);
      if (!bucket) this.vouched.set(batch.validator, (bucket = new Map()));
      if (bucket.has(batch.batchSeq)) return "duplicate";
      if (bucket.size >= this.vouchedMax) return "full";
      bucket.set(batch.batchSeq, batch);
    } else {
      let bucket = this.unvouched.get(batch.validator);
      if (!bucket) this.unvouched.set(batch.validator, (bucket = []));
      if (bucket.some((b) => b.batchSeq === batch.batchSeq && bytesEqual(b.signature, batch.signature))) return "duplicate";
      if (bucket.length >= this.unvouchedMax) return "full";
      bucket.push(batch);
    }
    this.count++;
    return "held";
  }

  /** Everything held, vouched first, in sequence order per validator; the hold is empty afterwards. */
  take(): ReceiptBatch[] {
    const out: ReceiptBatch[] = [];
    for (const bucket of this.vouched.values()) out.push(...[...bucket.values()].sort((a, b) => a.batchSeq - b.batchSeq));
    for (const bucket of this.unvouched.values()) out.push(...bucket);
    this.vouched.clear();
    this.unvouched.clear();
    this.count = 0;
    return out;
  }
}

