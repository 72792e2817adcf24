// The application seen by the simulated consensus: build, verify and commit blocks, turn evidence into slashes,
// and give the validator set of each epoch. SimApplication is the interface; SyntheticApp (this file) is a small
// deterministic stand-in with synthetic transaction payloads and a slash set in its state.

import { blockHash } from "../../consensus/codec/block-codec.ts";
import { encodeEvidence } from "../../consensus/codec/evidence-codec.ts";
import { voteSigningBytes } from "../../consensus/codec/vote-codec.ts";
import type { Ed25519Verify } from "../../consensus/crypto/ed25519.ts";
import { bytesEqual, sha256, toHex, ZERO_HASH } from "../../consensus/crypto/hash.ts";
import { merkleRoot } from "../../consensus/merkle.ts";
import { VoteKind, type Block, type Certificate, type Evidence, type Hash, type Validator } from "../../consensus/types.ts";
import { ValidatorSet } from "../../consensus/validator-set.ts";
import type { Prng } from "./prng.ts";

export interface BuildRequest {
  parentHash: Hash;
  height: number;
  view: number;
  proposer: Uint8Array;
  timestampMs: number;
  evidence: Evidence[];
  parentNotarization: Certificate | null;
}

export interface SimApplication<S> {
  /** The committed state, saved on the node's disk after each commit (what survives a crash). */
  committedSnapshot(): S;
  build(request: BuildRequest): Block | null;
  verify(block: Block, hash: Hash): boolean;
  /** Execute (if not yet) and commit a finalized block. */
  commit(block: Block, hash: Hash): void;
  /** The set for `epoch`, from the committed state after the previous epoch's last block. */
  validatorSetFor(epoch: number): ValidatorSet;
  /** Whether the committed (executed, finalized) state shows `publicKey` slashed. */
  isSlashed(publicKey: Uint8Array): boolean;
  committedHeight(): number;
  /** Evidence already in the committed state (so the pool can drop it). */
  evidenceIncluded(evidence: Evidence): boolean;
}

export interface SyntheticState {
  height: number;
  timestampMs: number;
  root: Hash;
  slashed: ReadonlySet<string>;
}

export function evidenceConflicts(ev: Evidence): boolean {
  const a = ev.first;
  const b = ev.second;
  if (a.view !== b.view) return false;
  if (a.kind === b.kind) return a.kind !== VoteKind.Nullify && !bytesEqual(a.blockHash, b.blockHash);
  const kinds = [a.kind, b.kind];
  return kinds.includes(VoteKind.Nullify) && kinds.includes(VoteKind.Finalize);
}

export class SyntheticApp implements SimApplication<SyntheticState> {
  private readonly states = new Map<string, SyntheticState>();
  private committed: { hash: Hash; state: SyntheticState };

  constructor(
    private readonly chainId: bigint,
    private readonly validators: readonly Validator[],
    private readonly verifySig: Ed25519Verify,
    private readonly rng: Prng,
    committed: { hash: Hash; state: SyntheticState },
  ) {
    this.committed = committed;
    this.states.set(toHex(committed.hash), committed.state);
  }

  static genesisState(): SyntheticState {
    return { height: 0, timestampMs: 1_700_000_000_000, root: ZERO_HASH, slashed: new Set() };
  }

  committedSnapshot(): SyntheticState {
    return this.committed.state;
  }

  private validEvidence(ev: Evidence, slashed: ReadonlySet<string>): boolean {
    const key = toHex(ev.publicKey);
    if (slashed.has(key) || !this.validators.some((v) => bytesEqual(v.publicKey, ev.publicKey))) return false;
    if (!evidenceConflicts(ev)) return false;
    return [ev.first, ev.second].every((v) => this.verifySig(ev.publicKey, voteSigningBytes(this.chainId, v), v.signature));
  }

  private execute(parent: SyntheticState, block: Block): SyntheticState | null {
    const h = block.header;
    if (h.chainId !== this.chainId || h.height !== parent.height + 1 || h.timestampMs <= parent.timestampMs) return null;
    if (!bytesEqual(h.transactionsRoot, merkleRoot(block.transactions))) return null;
    if (!bytesEqual(h.evidenceRoot, merkleRoot(block.evidence.map(encodeEvidence)))) return null;
    const slashed = new Set(parent.slashed);
    for (const ev of block.evidence) {
      if (!this.validEvidence(ev, slashed)) return null;
      slashed.add(toHex(ev.publicKey));
    }
    const buf = new Uint8Array(96);
    buf.set(parent.root);
    buf.set(h.transactionsRoot, 32);
    buf.set(h.evidenceRoot, 64);
    const root = sha256(buf);
    return { height: h.height, timestampMs: h.timestampMs, root, slashed };
  }

  build(req: BuildRequest): Block | null {
    const parent = this.states.get(toHex(req.parentHash));
    if (!parent) return null;
    const slashed = new Set(parent.slashed);
    const evidence: Evidence[] = [];
    for (const ev of req.evidence) {
      if (evidence.length < 8 && this.validEvidence(ev, slashed)) {
        evidence.push(ev);
        slashed.add(toHex(ev.publicKey));
      }
    }
    const transactions = Array.from({ length: this.rng.int(0, 3) }, () => this.rng.bytes(this.rng.int(16, 48)));
    const header = {
      chainId: this.chainId,
      height: req.height,
      view: req.view,
      parentHash: req.parentHash,
      timestampMs: Math.max(req.timestampMs, parent.timestampMs + 1),
      proposer: req.proposer,
      stateRoot: ZERO_HASH,
      transactionsRoot: merkleRoot(transactions),
      evidenceRoot: merkleRoot(evidence.map(encodeEvidence)),
      laneRoot: ZERO_HASH,
    };
    const block: Block = { header, transactions, evidence, parentNotarization: req.parentNotarization };
    const state = this.execute(parent, block)!;
    header.stateRoot = state.root;
    this.states.set(toHex(blockHash(header)), state);
    return block;
  }

  verify(block: Block, hash: Hash): boolean {
    const parent = this.states.get(toHex(block.header.parentHash));
    if (!parent) return false;
    const state = this.execute(parent, block);
    if (!state || !bytesEqual(state.root, block.header.stateRoot)) return false;
    this.states.set(toHex(hash), state);
    return true;
  }

  commit(block: Block, hash: Hash): void {
    let state = this.states.get(toHex(hash));
    if (!state) {
      if (!this.verify(block, hash)) throw new Error(`finalized block ${block.header.height} does not execute`);
      state = this.states.get(toHex(hash))!;
    }
    this.committed = { hash, state };
    for (const [key, s] of this.states) if (s.height < state.height) this.states.delete(key);
  }

  validatorSetFor(_epoch: number): ValidatorSet {
    const active = this.validators.filter((v) => !this.committed.state.slashed.has(toHex(v.publicKey)));
    return new ValidatorSet(active, this.committed.hash);
  }

  isSlashed(publicKey: Uint8Array): boolean {
    return this.committed.state.slashed.has(toHex(publicKey));
  }

  committedHeight(): number {
    return this.committed.state.height;
  }

  evidenceIncluded(evidence: Evidence): boolean {
    return this.isSlashed(evidence.publicKey);
  }
}
