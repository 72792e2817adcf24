// Receipt batches this validator holds (its own and its peers', signatures checked on arrival), per validator
// and bounded, and the proposer's two questions about them: up to which cut-off do validators with more than
// 2/3 of stake vouch (their watermarks), and which batches are the evidence for a block between two cut-offs.

import { toHex } from "../../consensus/crypto/hash.ts";
import type { ReceiptBatch } from "../../consensus/lane/receipt-batch.ts";
import type { ValidatorSet } from "../../consensus/validator-set.ts";

/** Batches kept per validator (at one batch per 50 ms, about three minutes). */
export const BATCHES_PER_VALIDATOR_MAX = 4096;

export class ReceiptPool {
  /** By validator index: batches in arrival order, deduplicated by sequence. */
  private readonly byValidator = new Map<number, ReceiptBatch[]>();
  private readonly names = new Set<string>();
  /**
   * Per order (hex id) named by held batches: how many batches of each validator name it. A body named here may
   * still become eligible.
   */
  private readonly referenced = new Map<string, Map<number, number>>();
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
    this.count(batch, 1);
    if (list.length > this.perValidatorMax) {
      this.forget(list.shift()!);
      this.dropped++;
    }
    return true;
  }

  /** True while some held batch has a receipt for the order. */
  namesOrder(orderIdHex: string): boolean {
    return this.referenced.has(orderIdHex);
  }

  /** True when validators with more than 2/3 of `set`'s stake have stamped the order in held batches. */
  quorumStamped(orderIdHex: string, set: ValidatorSet): boolean {
    const by = this.referenced.get(orderIdHex);
    return by !== undefined && set.isQuorum(set.stakeOf([...by.keys()].filter((v) => set.get(v) !== undefined)));
  }

  private count(batch: ReceiptBatch, delta: number): void {
    for (const r of batch.receipts) {
      const id = toHex(r.orderId);
      let by = this.referenced.get(id);
      if (!by) this.referenced.set(id, (by = new Map()));
      const n = (by.get(batch.validator) ?? 0) + delta;
      if (n <= 0) by.delete(batch.validator);
      else by.set(batch.validator, n);
      if (by.size === 0) this.referenced.delete(id);
    }
  }

  private forget(batch: ReceiptBatch): void {
    this.names.delete(`${batch.epoch}/${batch.validator}/${batch.batchSeq}`);
    this.count(batch, -1);
  }

  /** The highest cut-off a quorum's watermarks allow in `epoch` (0 when no quorum reported), `exclude` left out. */
  quorumWatermark(set: ValidatorSet, epoch: number, exclude: ReadonlySet<number> = new Set()): number {
    const marks: { validator: number; watermarkUs: number }[] = [];
    for (const [validator, list] of this.byValidator) {
      if (exclude.has(validator)) continue;
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
   * Batches of `epoch` whose receipts may matter for a block cutting at `cutoffUs` after `previousCutoffUs`: each
   * validator's batches with receipts and a watermark above previousCutoffUs - retainUs (earlier stamps of orders
   * still open; `open` says which batches hold one), up to and including its first batch that reaches the cut-off
   * (its watermark proof, kept even when empty). Empty batches below the cut-off prove nothing and stay out.
   */
  evidence(
    epoch: number,
    previousCutoffUs: number,
    cutoffUs: number,
    retainUs: number,
    exclude: ReadonlySet<number>,
    open: (batch: ReceiptBatch) => boolean = () => true,
  ): ReceiptBatch[] {
    const out: ReceiptBatch[] = [];
    const from = previousCutoffUs - retainUs;
    for (const [validator, list] of this.byValidator) {
      if (exclude.has(validator)) continue;
      const mine = list.filter((b) => b.epoch === epoch && b.watermarkUs > from).sort((a, b) => a.watermarkUs - b.watermarkUs);
      for (const b of mine) {
        if (b.watermarkUs >= cutoffUs) {
          out.push(b);
          break;
        }
        if (b.receipts.length === 0) continue;
        if (b.watermarkUs <= previousCutoffUs && !open(b)) continue;
        out.push(b);
      }
    }
    return out;
  }

  /** Forgets batches whose every stamp lies before `beforeUs`. */
  prune(beforeUs: number): void {
    for (const [validator, list] of this.byValidator) {
      const keep = list.filter((b) => b.watermarkUs >= beforeUs);
      for (const b of list) if (b.watermarkUs < beforeUs) this.forget(b);
      if (keep.length === 0) this.byValidator.delete(validator);
      else this.byValidator.set(validator, keep);
    }
  }

  get size(): number {
    return this.names.size;
  }
}
