// The validator's application: builds, verifies and commits blocks with the real execution (consensus/execution)
// on snapshots kept per block hash. Not the storage (chain-store.ts persists what commit returns) and not the
// consensus driver: this is what the driver calls when the machine asks for buildBlock / verifyBlock / finalized.

import { blockHash } from "../../consensus/codec/block-codec.ts";
import { toHex, ZERO_HASH } from "../../consensus/crypto/hash.ts";
import { proposeBlock } from "../../consensus/execution/block-builder.ts";
import { validatorSetAt } from "../../consensus/execution/epoch.ts";
import { executeBlock, verifyBlock, type BlockExecution, type BlockFailure } from "../../consensus/execution/execute-block.ts";
import type { ExecutionContext } from "../../consensus/execution/execution-context.ts";
import type { KnownSender } from "../../consensus/execution/prepare-transaction.ts";
import type { WorldState } from "../../consensus/state/world-state.ts";
import type { Block, Certificate, Evidence, Hash, PublicKey } from "../../consensus/types.ts";
import type { ValidatorSet } from "../../consensus/validator-set.ts";
import type { BlockLane } from "../../consensus/lane/lane-section.ts";
import type { LaneState } from "../../consensus/lane/lane-state.ts";

/** Where candidate transactions come from (the mempool) and which senders it already recovered. */
export interface TransactionSource {
  candidates(max: number): Uint8Array[];
  knownSender?: KnownSender;
}

export interface BuildRequest {
  parentHash: Hash;
  height: number;
  view: number;
  timestampMs: number;
  proposer: PublicKey;
  parentNotarization: Certificate | null;
  evidence: readonly Evidence[];
}

export interface Committed {
  hash: Hash;
  height: number;
  /** The committed block's header timestamp (the genesis time at height 0). */
  timestampMs: number;
  state: WorldState;
  /** The order lane's state, on chains that run it. */
  lane?: LaneState;
}

/** The proposer's order-lane section for a block on `parent` (node/lane/lane-service.ts). */
export interface LaneSectionSource {
  section(input: { parentHash: Hash; parentState: WorldState; parentLane: LaneState; timestampMs: number }): { section: BlockLane; laneRoot: Hash };
}

/** How far ahead of this node's clock a proposal's timestamp may be before the node refuses to vote for it. */
export const TIMESTAMP_DRIFT_MAX_MS = 2_000;

interface Entry {
  state: WorldState;
  execution: BlockExecution | null;
  height: number;
  timestampMs: number;
  lane?: LaneState;
}

/** Speculative snapshots kept at most (proposals in the view window and their unfinalized ancestors). */
const STATES_MAX = 1024;

export class ChainApp {
  private readonly states = new Map<string, Entry>();
  private committedEntry: Committed;

  constructor(
    private readonly ctx: ExecutionContext,
    committed: Committed,
    private readonly source: TransactionSource,
    private readonly candidatesMax: number,
    private readonly laneSource?: LaneSectionSource,
  ) {
    this.committedEntry = committed;
    this.states.set(toHex(committed.hash), entryOf(committed));
  }

  /** Lane state after an executed block (or the committed head); undefined on chains without the lane. */
  laneOf(hash: Hash): LaneState | undefined {
    return this.states.get(toHex(hash))?.lane;
  }

  private laneOptions(parent: Entry): { lane?: LaneState } {
    return parent.lane ? { lane: parent.lane } : {};
  }

  get committed(): Committed {
    return this.committedEntry;
  }

  get params(): ExecutionContext["params"] {
    return this.ctx.params;
  }

  /** The set that validates the block after the committed head (the current epoch's set within an epoch). */
  validatorSet(): ValidatorSet {
    return validatorSetAt(this.committedEntry.state);
  }

  stateOf(hash: Hash): WorldState | undefined {
    return this.states.get(toHex(hash))?.state;
  }

  /** Timestamp of an executed block (or the committed head), for pacing and for the next block's timestamp. */
  timestampOf(hash: Hash): number | undefined {
    return this.states.get(toHex(hash))?.timestampMs;
  }

  /** A block on `parentHash`, or null when the parent's state is unknown or execution refused the body. */
  build(req: BuildRequest): { block: Block; execution: BlockExecution } | null {
    const parent = this.states.get(toHex(req.parentHash));
    if (!parent) return null;
    req = { ...req, timestampMs: Math.max(req.timestampMs, parent.timestampMs + 1) };
    let lane: { parent: LaneState; section: BlockLane } | undefined;
    let laneRoot = ZERO_HASH;
    if (parent.lane) {
      if (!this.laneSource) throw new Error("a chain with the order lane needs a lane section source to propose");
      const built = this.laneSource.section({ parentHash: req.parentHash, parentState: parent.state, parentLane: parent.lane, timestampMs: req.timestampMs });
      lane = { parent: parent.lane, section: built.section };
      laneRoot = built.laneRoot;
    }
    const input = {
      header: {
        chainId: this.ctx.params.chainId,
        height: req.height,
        view: req.view,
        parentHash: req.parentHash,
        timestampMs: req.timestampMs,
        proposer: req.proposer,
        laneRoot,
      },
      ...(lane ? { lane } : {}),
      parentNotarization: req.parentNotarization,
      candidateTransactions: this.source.candidates(this.candidatesMax),
      candidateEvidence: req.evidence,
      ...(this.source.knownSender ? { knownSender: this.source.knownSender } : {}),
    };
    const result = proposeBlock(parent.state, input, this.ctx);
    if (!result.ok) return null;
    this.remember(blockHash(result.block.header), result.execution, result.block);
    return { block: result.block, execution: result.execution };
  }

  /**
   * Executes a peer's block on its parent and checks the header roots. The timestamp rules live here, not in
   * execution: strictly above the parent's (deterministic) and at most TIMESTAMP_DRIFT_MAX_MS ahead of `nowMs`
   * (this node's clock: a vote-time check, so a proposer cannot stamp blocks far in the future).
   */
  verify(block: Block, hash: Hash, nowMs: number): VerifyResult {
    if (this.states.has(toHex(hash))) return { ok: true };
    const parent = this.states.get(toHex(block.header.parentHash));
    if (!parent) return { ok: false, code: "APP_ERROR_UNKNOWN_PARENT", detail: `parent ${toHex(block.header.parentHash)} not executed` };
    const t = block.header.timestampMs;
    if (t <= parent.timestampMs) return { ok: false, code: "APP_ERROR_TIMESTAMP", detail: `timestamp ${t} not above the parent's ${parent.timestampMs}` };
    if (t > nowMs + TIMESTAMP_DRIFT_MAX_MS) return { ok: false, code: "APP_ERROR_TIMESTAMP", detail: `timestamp ${t} is ${t - nowMs} ms in the future` };
    const opts = { ...(this.source.knownSender ? { knownSender: this.source.knownSender } : {}), ...this.laneOptions(parent) };
    const result = verifyBlock(parent.state, block, this.ctx, opts);
    if (!result.ok) return result;
    this.remember(hash, result.value, block);
    return { ok: true };
  }

  /**
   * Commits a finalized block (executing it first if this node never did) and returns its execution: the write
   * set, receipts and roots that chain-store persists. Throws when a finalized block does not execute: that is a
   * broken invariant (a quorum finalized it), never a peer's fault to be ignored.
   */
  commit(block: Block, hash: Hash): BlockExecution {
    let entry = this.states.get(toHex(hash));
    if (!entry?.execution) {
      const parent = this.states.get(toHex(block.header.parentHash));
      if (!parent) throw new Error(`finalized block ${block.header.height} has no executed parent`);
      const opts = { ...(this.source.knownSender ? { knownSender: this.source.knownSender } : {}), ...this.laneOptions(parent) };
      const result = executeBlock(parent.state, block, this.ctx, opts);
      if (!result.ok) throw new Error(`finalized block ${block.header.height} does not execute: ${result.code} ${result.detail}`);
      entry = executedEntry(result.value, block);
    }
    const execution = entry.execution!;
    const { height, timestampMs } = block.header;
    this.committedEntry = { hash, height, timestampMs, state: entry.state, ...(entry.lane ? { lane: entry.lane } : {}) };
    for (const [key, s] of this.states) if (s.height <= height) this.states.delete(key);
    this.states.set(toHex(hash), entryOf(this.committedEntry));
    return execution;
  }

  private remember(hash: Hash, execution: BlockExecution, block: Block): void {
    if (this.states.size >= STATES_MAX) {
      // Oldest insertions first: the map keeps insertion order, and the committed head is re-inserted on commit.
      for (const key of this.states.keys()) {
        if (key === toHex(this.committedEntry.hash)) continue;
        this.states.delete(key);
        break;
      }
    }
    this.states.set(toHex(hash), executedEntry(execution, block));
  }
}

function entryOf(c: Committed): Entry {
  return { state: c.state, execution: null, height: c.height, timestampMs: c.timestampMs, ...(c.lane ? { lane: c.lane } : {}) };
}

function executedEntry(execution: BlockExecution, block: Block): Entry {
  const entry: Entry = { state: execution.state, execution, height: block.header.height, timestampMs: block.header.timestampMs };
  if (execution.lane) entry.lane = execution.lane.state;
  return entry;
}

export type VerifyResult =
  | { ok: true }
  | BlockFailure
  | { ok: false; code: "APP_ERROR_UNKNOWN_PARENT" | "APP_ERROR_TIMESTAMP"; detail: string };
