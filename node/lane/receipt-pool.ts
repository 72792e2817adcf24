// Receipt batches this validator holds (its own and its peers', signatures checked on arrival), per validator
// and bounded, and the proposer's two questions about them: up to which cut-off do validators with more than
// 2/3 of stake vouch (their watermarks), and which batches are the evidence for a block between two cut-offs.

import type { ReceiptBatch } from "../../consensus/lane/receipt-batch.ts";
import type { ValidatorSet } from "../../consensus/validator-set.ts";

/** Batches kept per validator (at one batch per 50 ms, about three minutes). */
export const BATCHES_PER_VALIDATOR_MAX = 4096;

export class ReceiptPool {
  /** By validator index: batches in arrival order, deduplicated by sequence. */
  private readonly byValidator = new Map<number, ReceiptBatch[]>();
  private readonly names = new Set<string>();
  dropped = 0;

  constructor(private readonly perValidatorMax = BATCHES_PER_VALIDATOR_MAX) {}

  /** False for a batch already held (same validator, epoch and sequence). */
  add(batch: ReceiptBatch): boolean {
    const name = `${batch.epoch}/${batch.validator}/${batch.batchSeq}`;
    if (this.names.has(name)) return false;
    let list = this.byValidator.get(batch.validator);
    if (!list) this.byValidator.set(batch.validator, (list = []));
    list.push(batch);
    this.names.add(name);
    if (list.length > this.perValidatorMax) {
      const old = list.shift()!;
      this.names.delete(`${old.epoch}/${old.validator}/${old.batchSeq}`);
      this.dropped++;
    }
    return true;
  }

  /** The highest cut-off a quorum's watermarks allow in `epoch` (0 when no quorum reported). */
  quorumWatermark(set: ValidatorSet, epoch: number): number {
    const marks: { validator: number; watermarkUs: number }[] = [];
    for (const [validator, list] of this.byValidator) {
      let w = 0;
      for (const b of list) if (b.epoch === epoch && b.watermarkUs > w) w = b.watermarkUs;
      if (w > 0 && set.get(validator)) marks.push({ validator, watermarkUs: w });
    }
    marks.sort((a, b) => b.watermarkUs - a.watermarkUs);
    let stake = 0n;
    for (const m of marks) {
      stake += set.get(m.validator)!.stake;
      if (set.isQuorum(stake)) return m.watermarkUs;
    }
    return 0;
  }

  /**
   * Batches of `epoch` whose receipts may matter for a block cutting at `cutoffUs` after `previousCutoffUs`: those
   * with a watermark above previousCutoffUs - retainUs (earlier stamps of orders still open), up to and
   * including each validator's first batch that reaches the cut-off (its watermark proof).
   */
  evidence(epoch: number, previousCutoffUs: number, cutoffUs: number, retainUs: number, exclude: ReadonlySet<number>): ReceiptBatch[] {
    const out: ReceiptBatch[] = [];
    const from = previousCutoffUs - retainUs;
    for (const [validator, list] of this.byValidator) {
      if (exclude.has(validator)) continue;
      const mine = list.filter((b) => b.epoch === epoch && b.watermarkUs > from).sort((a, b) => a.watermarkUs - b.watermarkUs);
      for (const b of mine) {
        out.push(b);
        if (b.watermarkUs >= cutoffUs) break;
      }
    }
    return out;
  }

  /** Forgets batches whose every stamp lies before `beforeUs`. */
  prune(beforeUs: number): void {
    for (const [validator, list] of this.byValidator) {
      const keep = list.filter((b) => b.watermarkUs >= beforeUs);
      for (const b of list) if (b.watermarkUs < beforeUs) this.names.delete(`${b.epoch}/${b.validator}/${b.batchSeq}`);
      if (keep.length === 0) this.byValidator.delete(validator);
      else this.byValidator.set(validator, keep);
    }
  }

  get size(): number {
    return this.names.size;
  }
}
