// Moving through views: entering one (timers, pruning), timeouts (nullify, then re-send until the view ends),
// and the leader's side: choosing the parent (highest notarized view whose later views are all nullified),
// asking the application to build, and broadcasting the proposal with the leader's own notarize vote.

import { blockHash } from "../codec/block-codec.ts";
import { ZERO_HASH, bytesEqual } from "../crypto/hash.ts";
import type { Verdict } from "../errors.ts";
import { VoteKind, type Block, type Certificate, type Vote } from "../types.ts";
import { ensureVerified, heightOf, storeBlock } from "./blocks.ts";
import type { Ctx } from "./context.ts";
import { epochLastHeight } from "./epoch.ts";
import { signOwnVote } from "./own-votes.ts";
import { hashKey, leaderAt, notarizedAt, prune, recordOf } from "./state.ts";
import type { Proposal, SimplexVerdictCode, TimeoutKind } from "./types.ts";

export function enterView(ctx: Ctx, view: number): void {
  const { state, config } = ctx;
  if (view <= state.view) return;
  state.view = view;
  prune(state, config.viewWindow, config.viewsKeptMax);
  recordOf(state, view);
  if (state.started) scheduleViewTimers(ctx);
}

export function scheduleViewTimers(ctx: Ctx): void {
  const { state, config } = ctx;
  const view = state.view;
  ctx.out.push({ type: "scheduleTimeout", view, kind: "leader", afterMs: config.leaderTimeoutMs });
  ctx.out.push({ type: "scheduleTimeout", view, kind: "notarization", afterMs: config.notarizationTimeoutMs });
}

export function onTimeout(ctx: Ctx, view: number, kind: TimeoutKind): Verdict<SimplexVerdictCode> {
  const { state, config } = ctx;
  if (view !== state.view) return { action: "ignore", code: "SIMPLEX_IGNORE_STALE" };
  const record = recordOf(state, view);
  if (kind === "leader" && record.proposal) return { action: "ignore", code: "SIMPLEX_IGNORE_STALE" };
  if (kind !== "retry" && record.retrying) return { action: "ignore", code: "SIMPLEX_IGNORE_DUPLICATE" };
  if (kind === "retry") resend(ctx);
  if (!record.own.nullify) {
    const body = { kind: VoteKind.Nullify, view, blockHash: ZERO_HASH };
    signOwnVote(ctx, body, (vote) => ({ type: "vote", vote }), { records: [{ type: "timeoutFired", view }] });
  }
  // The nullify may have completed a nullification and moved the view on; then the retry chain ends.
  if (state.view === view) {
    record.retrying = true;
    ctx.out.push({ type: "scheduleTimeout", view, kind: "retry", afterMs: config.retryTimeoutMs });
  }
  return { action: "accept" };
}

/**
 * Re-send what peers need to reach and build on this view: own votes here, the finalization, and every
 * certificate held between the highest notarized view and this one (a peer that missed one of those nullifications
 * could neither vote for nor make a proposal). Only runs while a view is stalled (retry timer).
 */
export function resend(ctx: Ctx): void {
  const { state } = ctx;
  const record = recordOf(state, state.view);
  for (const vote of [record.own.notarize, record.own.nullify]) {
    if (vote) ctx.out.push({ type: "broadcast", message: { type: "vote", vote } });
  }
  const certs: Certificate[] = state.lastFinalization ? [state.lastFinalization] : [];
  const low = Math.max(state.epochAnchor.view, state.anchor.view);
  const views = [...state.views.keys()].filter((u) => u > low && u < state.view).sort((a, b) => b - a);
  for (const u of views) {
    const r = state.views.get(u);
    if (r?.nullification) certs.push(r.nullification);
    const notarization = r?.notarization ?? (r?.finalization !== state.lastFinalization ? r?.finalization : undefined);
    if (notarization) {
      certs.push(notarization);
      break;
    }
  }
  for (const certificate of certs) ctx.out.push({ type: "broadcast", message: { type: "certificate", certificate } });
}

/** The parent's notarization and the nullifications between it and `view` (selectParent found them all). */
function justification(ctx: Ctx, parentView: number, view: number): Certificate[] {
  const { state } = ctx;
  const certs: Certificate[] = [];
  const parent = state.views.get(parentView);
  const notarization = parent?.notarization ?? parent?.finalization;
  if (notarization) certs.push(notarization);
  for (let u = parentView + 1; u < view; u++) certs.push(state.views.get(u)!.nullification!);
  return certs;
}

/** Parent for a proposal in `view`: highest notarized view below it with every view in between nullified. */
export function selectParent(ctx: Ctx, view: number): { parentView: number; parentHash: Uint8Array } | null {
  const { state } = ctx;
  const low = Math.max(state.epochAnchor.view, state.anchor.view);
  for (let u = view - 1; u >= low; u--) {
    const notarized = notarizedAt(state, u);
    if (notarized) return { parentView: u, parentHash: notarized };
    if (!state.views.get(u)?.nullification) return null;
  }
  return null;
}

/** If this node leads the current view and has not proposed: build on the parent, or re-propose it. */
export function tryPropose(ctx: Ctx): void {
  const { state, config } = ctx;
  if (state.selfIndex === undefined || leaderAt(state, state.view) !== state.selfIndex) return;
  const record = recordOf(state, state.view);
  if (record.buildRequested || record.own.notarize || record.own.nullify) return;
  const parent = selectParent(ctx, state.view);
  if (!parent || ensureVerified(ctx, parent.parentHash) !== "valid") return;
  const height = heightOf(ctx, parent.parentHash) + 1;
  if (height > epochLastHeight(state.epoch, config.epochLengthBlocks)) {
    const entry = state.blocks.get(hashKey(parent.parentHash));
    record.buildRequested = true;
    if (entry) propose(ctx, entry.block, entry.hash, parent.parentView);
    return;
  }
  const parentNotarization = notarizationFor(ctx, parent.parentView, parent.parentHash);
  if (parentNotarization === undefined) return;
  record.buildRequested = true;
  const { parentView, parentHash } = parent;
  ctx.out.push({ type: "buildBlock", view: state.view, parentView, parentHash, height, parentNotarization });
}

/** The notarization a child of `hash` must carry: null on genesis, undefined when this node does not hold it. */
function notarizationFor(ctx: Ctx, view: number, hash: Uint8Array): Certificate | null | undefined {
  const { state } = ctx;
  if (bytesEqual(hash, state.epochAnchor.hash)) {
    return state.epochAnchor.height === 0 ? null : (state.epochAnchorNotarization ?? undefined);
  }
  const own = state.views.get(view)?.notarization;
  if (own && bytesEqual(own.blockHash, hash)) return own;
  for (const record of state.views.values()) {
    if (record.notarization && bytesEqual(record.notarization.blockHash, hash)) return record.notarization;
  }
  return undefined;
}

export function onBlockBuilt(ctx: Ctx, view: number, block: Block | null): Verdict<SimplexVerdictCode> {
  const { state } = ctx;
  const record = state.views.get(view);
  if (view !== state.view || !record || !record.buildRequested || record.own.notarize || record.own.nullify || !block) {
    return { action: "ignore", code: "SIMPLEX_IGNORE_STALE" };
  }
  const parent = selectParent(ctx, view);
  if (!parent || !bytesEqual(parent.parentHash, block.header.parentHash) || block.header.view !== view) {
    return { action: "ignore", code: "SIMPLEX_IGNORE_STALE" };
  }
  const hash = blockHash(block.header);
  const entry = storeBlock(ctx, block, hash);
  if (!entry) return { action: "ignore", code: "SIMPLEX_IGNORE_FULL" };
  entry.status = "valid";
  propose(ctx, block, hash, parent.parentView);
  return { action: "accept" };
}

function propose(ctx: Ctx, block: Block, hash: Uint8Array, parentView: number): void {
  const view = ctx.state.view;
  const reproposal = block.header.view !== view;
  const body = { kind: VoteKind.Notarize, view, blockHash: hash };
  const extra = reproposal ? {} : { records: [{ type: "proposalSeen" as const, header: block.header }], blocks: [block] };
  const certificates = justification(ctx, parentView, view);
  const make = (vote: Vote): Proposal => ({ view, parentView, block, vote, certificates });
  const vote = signOwnVote(ctx, body, (v) => ({ type: "proposal", proposal: make(v) }), extra);
  if (!vote) return;
  const record = recordOf(ctx.state, view);
  const parentRef = reproposal ? hash : block.header.parentHash;
  const proposal = make(vote);
  record.proposal = { proposal, hash, parentRef, reproposal, phase: "voted" };
}
