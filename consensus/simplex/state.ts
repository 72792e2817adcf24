// The Simplex machine's state: current epoch and view, per-view records inside the window, blocks not yet
// finalized, and the finalized anchor. Plain data; machine.ts owns the transitions. apply() takes ownership of
// the state it is given and returns the successor (it updates in place for speed; never reuse the old value).

import { toHex } from "../crypto/hash.ts";
import type { Block, Certificate, Hash, Vote } from "../types.ts";
import type { ValidatorSet } from "../validator-set.ts";
import { epochBaseView } from "./epoch.ts";
import type { Anchor, Proposal, SimplexConfig } from "./types.ts";

export interface OwnVotes {
  notarize?: Vote;
  nullify?: Vote;
  finalize?: Vote;
}

export type ProposalPhase = "waiting" | "verifying" | "voted" | "invalid";

export interface ViewRecord {
  view: number;
  /** The leader's first proposal with a valid signature; later different ones are equivocation. */
  proposal?: { proposal: Proposal; hash: Hash; parentRef: Hash; reproposal: boolean; phase: ProposalPhase };
  /** First vote of each kind per validator index (a second, different one is evidence, never counted). */
  notarizes: Map<number, Vote>;
  nullifies: Map<number, Vote>;
  finalizes: Map<number, Vote>;
  notarization?: Certificate;
  nullification?: Certificate;
  finalization?: Certificate;
  /** This node's signed votes: the in-memory face of the sign guard. */
  own: OwnVotes;
  buildRequested: boolean;
  /** Leader of the view (cached: leaderOf hashes). */
  leader?: number;
  /** A nullify went out and the re-send timer runs. */
  retrying: boolean;
  /** Validators already reported for equivocation in this view (one evidence each). */
  reported: Set<number>;
}

export type BlockStatus = "received" | "verifying" | "valid" | "invalid";

export interface BlockEntry {
  block: Block;
  hash: Hash;
  status: BlockStatus;
}

export interface SimplexState {
  epoch: number;
  /** null between epochEnded and epochStarted. */
  validators: ValidatorSet | null;
  selfIndex: number | undefined;
  view: number;
  started: boolean;
  /** Last finalized block, or the epoch's anchor. */
  anchor: Anchor;
  /** The anchor the current epoch started from, notarized at the epoch's base view by definition. */
  epochAnchor: Anchor;
  /** The previous epoch's notarization of the epoch anchor (blocks built on it must carry it); null for genesis. */
  epochAnchorNotarization: Certificate | null;
  views: Map<number, ViewRecord>;
  blocks: Map<string, BlockEntry>;
  fetching: Set<string>;
  /** Highest finalization not yet turned into finalized outputs (waiting for blocks or verification). */
  pendingFinalization: Certificate | null;
  lastFinalization: Certificate | null;
  /** Finalizations of recent epochs' last blocks, to hand to laggards still in those epochs. */
  boundaryCertificates: Map<number, Certificate>;
  /** View in which a boundary certificate was last re-sent (at most once per view). */
  boundaryResentView: number;
}

export const BOUNDARY_CERTIFICATES_KEPT = 4;

export function hashKey(hash: Hash): string {
  return toHex(hash);
}

export function newViewRecord(view: number): ViewRecord {
  return {
    view,
    notarizes: new Map(),
    nullifies: new Map(),
    finalizes: new Map(),
    own: {},
    buildRequested: false,
    retrying: false,
    reported: new Set(),
  };
}

/** Fresh state for `epoch` from its anchor (genesis for epoch 0). Call apply(state, { type: "start" }) next. */
export function initialState(
  config: SimplexConfig,
  epoch: number,
  validators: ValidatorSet,
  anchor: { hash: Hash; height: number },
): SimplexState {
  const base = epochBaseView(epoch);
  const epochAnchor: Anchor = { hash: anchor.hash, height: anchor.height, view: base };
  return {
    epoch,
    validators,
    selfIndex: validators.indexOf(config.publicKey),
    view: base + 1,
    started: false,
    anchor: epochAnchor,
    epochAnchor,
    epochAnchorNotarization: null,
    views: new Map(),
    blocks: new Map(),
    fetching: new Set(),
    pendingFinalization: null,
    lastFinalization: null,
    boundaryCertificates: new Map(),
    boundaryResentView: -1,
  };
}

export function recordOf(state: SimplexState, view: number): ViewRecord {
  let record = state.views.get(view);
  if (!record) {
    record = newViewRecord(view);
    state.views.set(view, record);
  }
  return record;
}

/** Leader of `view` in the current epoch's set (callers check the view is in the window first). */
export function leaderAt(state: SimplexState, view: number): number {
  const record = recordOf(state, view);
  record.leader ??= state.validators!.leaderOf(view);
  return record.leader;
}

/** The block hash notarized at `view` if this node knows one (a finalization implies a notarization). */
export function notarizedAt(state: SimplexState, view: number): Hash | undefined {
  if (view === state.epochAnchor.view) return state.epochAnchor.hash;
  if (view === state.anchor.view) return state.anchor.hash;
  const record = state.views.get(view);
  return record?.notarization?.blockHash ?? record?.finalization?.blockHash;
}

/**
 * Forget what can no longer matter: views below the finalized anchor, views below both the window and the highest
 * notarized view (no valid parent lies further back), and votes and proposals of views below the window.
 * Finalized blocks other than the anchor go too. At most `viewsKeptMax` views stay (oldest dropped first).
 */
export function prune(state: SimplexState, windowViews: number, viewsKeptMax: number): void {
  const low = state.view - windowViews;
  let floor = Math.max(state.anchor.view, state.epochAnchor.view);
  for (const [view, record] of state.views) {
    if (view > floor && view < low && (record.notarization || record.finalization)) floor = view;
  }
  for (const [view, record] of state.views) {
    if (view >= low) continue;
    if (view < floor) {
      state.views.delete(view);
    } else if (record.proposal || record.notarizes.size + record.nullifies.size + record.finalizes.size > 0) {
      record.proposal = undefined;
      record.notarizes.clear();
      record.nullifies.clear();
      record.finalizes.clear();
    }
  }
  if (state.views.size > viewsKeptMax) {
    const views = [...state.views.keys()].sort((a, b) => a - b);
    for (const view of views.slice(0, views.length - viewsKeptMax)) state.views.delete(view);
  }
  const anchorKey = hashKey(state.anchor.hash);
  for (const [key, entry] of state.blocks) {
    if (key !== anchorKey && entry.block.header.height <= state.anchor.height) state.blocks.delete(key);
  }
}
