// A simulated node's disk: what survives a crash. WAL records and blocks written by `persist` outputs, the sign
// guard (same rules as node/store's SignGuard: one vote per (view, kind), never nullify and finalize in one view),
// the committed application state, the epoch sets, and the evidence pool. In memory; a crash keeps it all.

import { bytesEqual, toHex } from "../../consensus/crypto/hash.ts";
import { guardRefusal, walRecordView, type WalRecord } from "../../consensus/simplex/index.ts";
import type { OwnVotes } from "../../consensus/simplex/state.ts";
import { VoteKind, type Block, type Certificate, type Evidence, type Hash, type Vote } from "../../consensus/types.ts";
import type { ValidatorSet } from "../../consensus/validator-set.ts";

export class SimSignGuard {
  private readonly byView = new Map<number, OwnVotes>();

  /** Records the vote if allowed; returns the refusal reason otherwise. */
  authorize(vote: Vote): string | null {
    let own = this.byView.get(vote.view);
    if (!own) {
      own = {};
      this.byView.set(vote.view, own);
    }
    const refusal = guardRefusal(own, vote);
    if (refusal) return refusal;
    if (vote.kind === VoteKind.Notarize) own.notarize ??= vote;
    else if (vote.kind === VoteKind.Nullify) own.nullify ??= vote;
    else own.finalize ??= vote;
    return null;
  }

  has(vote: Vote): boolean {
    const own = this.byView.get(vote.view);
    const same = vote.kind === VoteKind.Notarize ? own?.notarize : vote.kind === VoteKind.Nullify ? own?.nullify : own?.finalize;
    return same !== undefined && bytesEqual(same.blockHash, vote.blockHash);
  }
}

export class SimDisk<S> {
  records: WalRecord[] = [];
  readonly blocks = new Map<string, Block>();
  guard = new SimSignGuard();
  /** The application's committed state and the last finalized block. */
  committed: { hash: Hash; height: number; view: number; state: S };
  readonly epochSets = new Map<number, { set: ValidatorSet; anchor: { hash: Hash; height: number } }>();
  epoch = 0;
  evidencePool: Evidence[] = [];
  /** Finalizations that ended each epoch (a block store keeps the certificate with the block). */
  readonly boundaryCertificates: Certificate[] = [];
  /** The notarization of the current epoch's anchor (blocks on it carry it). */
  epochAnchorNotarization: Certificate | null = null;
  /** Finalized blocks (the block store's canonical chain), kept for serving repair requests. */
  readonly finalizedByHash = new Map<string, Block>();

  private readonly genesis: { hash: Hash; height: number; view: number; state: S };

  constructor(committed: { hash: Hash; height: number; view: number; state: S }) {
    this.committed = committed;
    this.genesis = committed;
  }

  /** Lose everything written since genesis: what a node without a WAL or sign guard restarts from. */
  wipe(): void {
    this.committed = this.genesis;
    this.records = [];
    this.guard = new SimSignGuard();
    this.blocks.clear();
    this.epoch = 0;
    this.evidencePool = [];
    this.boundaryCertificates.length = 0;
    this.epochAnchorNotarization = null;
    for (const epoch of this.epochSets.keys()) if (epoch > 0) this.epochSets.delete(epoch);
  }

  storeBlock(hash: Hash, block: Block): void {
    this.blocks.set(toHex(hash), block);
  }

  /** Drop WAL records and blocks below the finalized view/height (what node/store's pruning does). */
  compact(windowViews: number): void {
    const lowView = this.committed.view - windowViews;
    this.records = this.records.filter((r) => walRecordView(r) >= lowView);
    for (const [key, block] of this.blocks) if (block.header.height < this.committed.height) this.blocks.delete(key);
  }
}
