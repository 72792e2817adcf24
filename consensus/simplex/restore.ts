// Restart from persisted state: the application's finalized anchor, the epoch's validator set, and the WAL
// records (own votes, certificates) and blocks this node persisted. Own votes become the in-memory sign guard
// again, so a restarted node re-sends what it signed and never signs something different in those views.

import { blockHash } from "../codec/block-codec.ts";
import type { Block, Certificate, Hash } from "../types.ts";
import type { ValidatorSet } from "../validator-set.ts";
import { epochOfView } from "./epoch.ts";
import { BOUNDARY_CERTIFICATES_KEPT, hashKey, initialState, prune, recordOf, type SimplexState } from "./state.ts";
import { VoteKind } from "../types.ts";
import { votesOfKind } from "./certificates.ts";
import type { Anchor, SimplexConfig, WalRecord } from "./types.ts";

export interface PersistedState {
  epoch: number;
  validators: ValidatorSet;
  /** The block the epoch started from (genesis, or the previous epoch's last block). */
  epochAnchor: { hash: Hash; height: number };
  /** The last finalized block the application committed (may equal the epoch anchor). */
  anchor: Anchor;
  records: readonly WalRecord[];
  blocks: readonly Block[];
  /** The previous epoch's notarization of the epoch anchor (from epochEnded); absent for epoch 0. */
  epochAnchorNotarization?: Certificate | null;
  /** Finalizations that ended recent epochs (the block store keeps them with the blocks), to help laggards. */
  boundaryCertificates?: readonly Certificate[];
}

/** Rebuilds the state a node had (as far as it persisted it). Follow with apply(state, { type: "start" }). */
export function restoreState(config: SimplexConfig, persisted: PersistedState): SimplexState {
  const state = initialState(config, persisted.epoch, persisted.validators, persisted.epochAnchor);
  if (persisted.anchor.height > state.epochAnchor.height) state.anchor = { ...persisted.anchor };
  state.epochAnchorNotarization = persisted.epochAnchorNotarization ?? null;
  let view = Math.max(state.view, state.anchor.view + 1);
  for (const record of persisted.records) {
    if (record.type === "ownVote") {
      const vote = record.vote;
      if (epochOfView(vote.view) !== state.epoch || vote.view <= state.epochAnchor.view) continue;
      const r = recordOf(state, vote.view);
      if (vote.kind === VoteKind.Notarize) r.own.notarize = vote;
      else if (vote.kind === VoteKind.Nullify) r.own.nullify = vote;
      else r.own.finalize = vote;
      votesOfKind(r, vote.kind).set(vote.validator, vote);
      view = Math.max(view, vote.view);
    } else if (record.type === "certificateSeen") {
      const cert = record.certificate;
      if (epochOfView(cert.view) !== state.epoch || cert.view <= state.epochAnchor.view) continue;
      const r = recordOf(state, cert.view);
      if (cert.kind === VoteKind.Notarize) r.notarization ??= cert;
      else if (cert.kind === VoteKind.Nullify) r.nullification ??= cert;
      else {
        r.finalization ??= cert;
        if (!state.lastFinalization || cert.view > state.lastFinalization.view) state.lastFinalization = cert;
        if (cert.view > state.anchor.view && (!state.pendingFinalization || cert.view > state.pendingFinalization.view)) {
          state.pendingFinalization = cert;
        }
      }
      view = Math.max(view, cert.view + 1);
    }
  }
  for (const block of persisted.blocks) {
    if (block.header.height <= state.anchor.height || state.blocks.size >= config.blocksMax) continue;
    const hash = blockHash(block.header);
    state.blocks.set(hashKey(hash), { block, hash, status: "received" });
  }
  for (const cert of persisted.boundaryCertificates ?? []) {
    const epoch = epochOfView(cert.view);
    if (epoch < state.epoch && epoch >= state.epoch - BOUNDARY_CERTIFICATES_KEPT) state.boundaryCertificates.set(epoch, cert);
  }
  state.view = view;
  recordOf(state, view);
  prune(state, config.viewWindow, config.viewsKeptMax);
  return state;
}
