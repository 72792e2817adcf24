// Safety and liveness checkers, run after every simulated event (the cheap ones) or at phase ends: agreement
// (one block per height across honest nodes), no honest double-sign (across restarts), progress after healing,
// and evidence leading to a slash in every honest node's executed state.

import { bytesEqual, toHex } from "../../consensus/crypto/hash.ts";
import { VoteKind, type Block, type Evidence, type Hash, type Vote } from "../../consensus/types.ts";

export interface Violation {
  checker: "agreement" | "double-sign" | "progress" | "evidence-slash" | "invariant";
  atMs: number;
  detail: string;
}

export class Checkers {
  readonly violations: Violation[] = [];
  private readonly finalizedByHeight = new Map<number, { hash: Hash; node: number }>();
  private readonly nextHeight = new Map<number, number>();
  private readonly signed = new Map<string, Vote>();
  private readonly evidenceBefore = new Map<string, { evidence: Evidence; atMs: number }>();
  finalizedBlocks = 0;

  constructor(private readonly honest: ReadonlySet<number>) {}

  private fail(checker: Violation["checker"], atMs: number, detail: string): void {
    if (this.violations.length < 20) this.violations.push({ checker, atMs, detail });
  }

  /** Agreement: every honest node finalizes heights in order and the same block at each height. */
  onFinalized(node: number, block: Block, hash: Hash, atMs: number): void {
    if (!this.honest.has(node)) return;
    const height = block.header.height;
    const expected = this.nextHeight.get(node) ?? 1;
    if (height !== expected) this.fail("agreement", atMs, `node ${node} finalized height ${height}, expected ${expected}`);
    this.nextHeight.set(node, height + 1);
    const first = this.finalizedByHeight.get(height);
    if (!first) {
      this.finalizedByHeight.set(height, { hash, node });
      this.finalizedBlocks++;
    } else if (!bytesEqual(first.hash, hash)) {
      this.fail("agreement", atMs, `height ${height}: node ${first.node} finalized ${toHex(first.hash).slice(0, 12)}, node ${node} ${toHex(hash).slice(0, 12)}`);
    }
  }

  /** No honest double-sign: one body per (node, view, kind), never nullify and finalize in one view. */
  onSigned(node: number, vote: Vote, atMs: number): void {
    if (!this.honest.has(node)) return;
    const key = `${node}:${vote.view}:${vote.kind}`;
    const previous = this.signed.get(key);
    if (previous && !bytesEqual(previous.blockHash, vote.blockHash)) {
      this.fail("double-sign", atMs, `node ${node} signed two kind-${vote.kind} votes in view ${vote.view}`);
    }
    if (!previous) this.signed.set(key, vote);
    const other = vote.kind === VoteKind.Nullify ? VoteKind.Finalize : vote.kind === VoteKind.Finalize ? VoteKind.Nullify : null;
    if (other !== null && this.signed.has(`${node}:${vote.view}:${other}`)) {
      this.fail("double-sign", atMs, `node ${node} signed nullify and finalize in view ${vote.view}`);
    }
  }

  onEvidence(node: number, evidence: Evidence, atMs: number): void {
    if (!this.honest.has(node)) return;
    const key = toHex(evidence.publicKey);
    if (!this.evidenceBefore.has(key)) this.evidenceBefore.set(key, { evidence, atMs });
  }

  onInvariant(atMs: number, detail: string): void {
    this.fail("invariant", atMs, detail);
  }

  /** Progress: every honest node finalized more after healing than it had at the heal. */
  checkProgress(atMs: number, heightsAtHeal: ReadonlyMap<number, number>, heightsNow: ReadonlyMap<number, number>, boundMs: number): void {
    for (const [node, before] of heightsAtHeal) {
      const now = heightsNow.get(node) ?? 0;
      if (now <= before) this.fail("progress", atMs, `node ${node} stuck at height ${now} for ${boundMs} ms after healing`);
    }
  }

  /** Evidence seen by an honest node before `deadlineMs` must show as a slash in every honest node's state. */
  checkEvidenceSlashed(atMs: number, deadlineMs: number, isSlashed: (node: number, publicKey: Uint8Array) => boolean): number {
    let slashes = 0;
    for (const { evidence, atMs: seenMs } of this.evidenceBefore.values()) {
      if (seenMs > deadlineMs) continue;
      slashes++;
      for (const node of this.honest) {
        if (!isSlashed(node, evidence.publicKey)) {
          this.fail("evidence-slash", atMs, `evidence against ${toHex(evidence.publicKey).slice(0, 12)} (seen at ${seenMs} ms) not slashed at node ${node}`);
        }
      }
    }
    return slashes;
  }

  get evidenceCount(): number {
    return this.evidenceBefore.size;
  }
}
