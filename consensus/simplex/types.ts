// Inputs, outputs, messages and configuration of the Simplex state machine (Chan & Pass; message flow after
// commonware's consensus::simplex). Shapes only: the machine is in machine.ts, its state in state.ts.
// Outputs are performed by the caller IN ORDER; a `persist` output is a barrier (see Output below).

import type { Ed25519Verify } from "../crypto/ed25519.ts";
import type { Block, BlockHeader, Certificate, Evidence, Hash, PublicKey, Signature, Vote } from "../types.ts";
import type { ValidatorSet } from "../validator-set.ts";

export interface SimplexConfig {
  chainId: bigint;
  /** This node's validator key; a node whose key is not in an epoch's set follows that epoch without voting. */
  publicKey: PublicKey;
  epochLengthBlocks: number;
  /** Votes, proposals and per-view records are kept only for views in [view - W, view + W]. */
  viewWindow: number;
  /** No proposal from the leader this long after entering a view: nullify it. */
  leaderTimeoutMs: number;
  /** No notarization this long after entering a view: nullify it. */
  notarizationTimeoutMs: number;
  /** After nullifying, re-send own votes and the latest certificates this often until the view ends. */
  retryTimeoutMs: number;
  /**
   * Views remembered at most. Below the window only certificates are kept, and only back to the highest notarized
   * view (a proposal must prove every view since its parent nullified, however long that run of views got).
   */
  viewsKeptMax: number;
  /** Blocks held (proposals in the window plus unfinalized ancestors); more are ignored until some finalize. */
  blocksMax: number;
  /** Outstanding block fetches. */
  fetchesMax: number;
}

export const SIMPLEX_DEFAULTS = {
  viewWindow: 32,
  viewsKeptMax: 4096,
  leaderTimeoutMs: 1000,
  notarizationTimeoutMs: 2000,
  retryTimeoutMs: 1000,
  blocksMax: 512,
  fetchesMax: 64,
} as const;

/** Effects the machine needs but must not own: signature checks and signing with the node's key. */
export interface SimplexDeps {
  verify: Ed25519Verify;
  /** Deterministic signature of `message` with this node's validator key (ed25519 signing is deterministic). */
  sign: (message: Uint8Array) => Signature;
}

/**
 * The leader's proposal for `view`: the block and the leader's own notarize vote for it (that vote authenticates
 * the proposal, and two proposals in one view are two conflicting votes, hence evidence). `parentView` is the
 * view in which the parent was notarized; every view strictly between must be nullified.
 * A re-proposal (at the end of an epoch, see epoch.ts) carries the epoch's last block again: then
 * block.header.view < view and the block is its own "parent" reference, notarized at parentView.
 * `certificates` justify the parent (its notarization and the nullifications in between, at most viewsKeptMax), so a
 * replica that missed them can still vote; it verifies only those it does not hold yet.
 */
export interface Proposal {
  view: number;
  parentView: number;
  block: Block;
  vote: Vote;
  certificates: Certificate[];
}

export type Message =
  | { type: "proposal"; proposal: Proposal }
  | { type: "vote"; vote: Vote }
  | { type: "certificate"; certificate: Certificate };

/** Write-ahead log records: the same shapes as node/store's WalRecord, so the node persists them as they are. */
export type WalRecord =
  | { type: "viewEntered"; view: number }
  | { type: "ownVote"; vote: Vote }
  | { type: "proposalSeen"; header: BlockHeader }
  | { type: "certificateSeen"; certificate: Certificate }
  | { type: "timeoutFired"; view: number };

export type TimeoutKind = "leader" | "notarization" | "retry";

/** What the application (execution) has committed: the last finalized block, the restart point. */
export interface Anchor {
  hash: Hash;
  height: number;
  /** View in which the anchor was notarized (for an epoch's first anchor: the epoch's base view). */
  view: number;
}

export type Input =
  /** Begin (or resume after restoreState): enter the current view and schedule its timers. */
  | { type: "start" }
  | { type: "proposal"; proposal: Proposal }
  | { type: "vote"; vote: Vote }
  | { type: "certificate"; certificate: Certificate }
  | { type: "timeout"; view: number; kind: TimeoutKind }
  /** Answer to buildBlock; `block` null when the application could not build. */
  | { type: "blockBuilt"; view: number; block: Block | null }
  /** Answer to verifyBlock. */
  | { type: "blockVerified"; hash: Hash; valid: boolean }
  /** Answer to fetchBlock (block repair over the control plane). Blocks nobody asked for are ignored. */
  | { type: "blockFetched"; block: Block }
  /** Answer to epochEnded: the validator set of `epoch`, computed from the state after the boundary block. */
  | { type: "epochStarted"; epoch: number; validators: ValidatorSet };

/**
 * Performed in order. `persist` is a barrier: its records and blocks must be durable (WAL fsynced, sign guard
 * updated) before any later output is performed. Every broadcast of this node's own vote is preceded in the same
 * output list by a persist holding that vote, so "persist before you speak" holds if the caller keeps the order.
 */
export type Output =
  | { type: "persist"; records: WalRecord[]; blocks: Block[] }
  | { type: "broadcast"; message: Message }
  | { type: "scheduleTimeout"; view: number; kind: TimeoutKind; afterMs: number }
  /** Build a block at `height` on `parentHash`; put `parentNotarization` in it (null when the parent is genesis). */
  | { type: "buildBlock"; view: number; parentView: number; parentHash: Hash; height: number; parentNotarization: Certificate | null }
  | { type: "verifyBlock"; block: Block }
  | { type: "fetchBlock"; hash: Hash }
  /** Commit in this order; `certificate` is the finalization that covers this block (it or a descendant). */
  | { type: "finalized"; block: Block; certificate: Certificate }
  /**
   * The epoch's last block finalized: answer with epochStarted for epoch + 1. Keep `certificate` (to help laggards)
   * and `notarization` (the first block of the next epoch must carry it) for restoreState.
   */
  | { type: "epochEnded"; epoch: number; boundary: Block; certificate: Certificate; notarization: Certificate | null }
  | { type: "evidence"; evidence: Evidence }
  /**
   * A finalization certificate names a block this node found invalid (or one conflicting with its finalized
   * chain). Outside the fault model (more than a third of stake signed it) or a local execution fault; the
   * certificate is not followed. The caller reports it to the operator.
   */
  | { type: "finalityFault"; certificate: Certificate; detail: string };

export type SimplexVerdictCode =
  | "SIMPLEX_IGNORE_NOT_STARTED"
  | "SIMPLEX_IGNORE_OTHER_EPOCH"
  | "SIMPLEX_IGNORE_VIEW_TOO_OLD"
  | "SIMPLEX_IGNORE_VIEW_TOO_NEW"
  | "SIMPLEX_IGNORE_DUPLICATE"
  | "SIMPLEX_IGNORE_STALE"
  | "SIMPLEX_IGNORE_UNREQUESTED"
  | "SIMPLEX_IGNORE_FULL"
  | "SIMPLEX_REJECT_BAD_SIGNATURE"
  | "SIMPLEX_REJECT_UNKNOWN_VALIDATOR"
  | "SIMPLEX_REJECT_NOT_LEADER"
  | "SIMPLEX_REJECT_MALFORMED"
  | "SIMPLEX_REJECT_NO_QUORUM"
  | "SIMPLEX_REJECT_EQUIVOCATION";
