// Proposals: the leader's block for a view, authenticated by the leader's notarize vote. A replica notarizes
// the first valid proposal of its current view once (1) the parent is notarized at parentView, (2) every view
// strictly between is nullified, and (3) the application verified the block (parent first). Missing
// certificates or blocks only delay the vote; they arrive as inputs and progress() retries.

import { blockHash } from "../codec/block-codec.ts";
import { bytesEqual } from "../crypto/hash.ts";
import type { Verdict } from "../errors.ts";
import { VoteKind } from "../types.ts";
import { ensureVerified, storeBlock } from "./blocks.ts";
import { onCertificateInput } from "./certificates.ts";
import type { Ctx } from "./context.ts";
import { epochFirstHeight, epochLastHeight } from "./epoch.ts";
import { signOwnVote } from "./own-votes.ts";
import { leaderAt, notarizedAt, recordOf, type ViewRecord } from "./state.ts";
import type { Proposal, SimplexVerdictCode } from "./types.ts";
import { onVoteInput, screenVote } from "./votes.ts";

type SimplexVerdict = Verdict<SimplexVerdictCode>;

function malformed(detail: string): SimplexVerdict {
  return { action: "reject", code: "SIMPLEX_REJECT_MALFORMED", detail };
}

/** Structure of a proposal against the epoch: returns the parent reference and whether it is a re-proposal. */
function checkShape(ctx: Ctx, p: Proposal): { error: SimplexVerdict } | { parentRef: Uint8Array; reproposal: boolean } {
  const { state, config } = ctx;
  const header = p.block.header;
  const set = state.validators!;
  const leader = leaderAt(state, p.view);
  if (p.vote.validator !== leader) return { error: { action: "reject", code: "SIMPLEX_REJECT_NOT_LEADER" } };
  if (p.vote.kind !== VoteKind.Notarize || p.vote.view !== p.view) return { error: malformed("proposal vote") };
  if (!Number.isInteger(p.parentView) || p.parentView < state.epochAnchor.view || p.parentView >= p.view) {
    return { error: malformed("parent view") };
  }
  if (header.chainId !== config.chainId) return { error: malformed("chain id") };
  const last = epochLastHeight(state.epoch, config.epochLengthBlocks);
  if (header.view !== p.view) {
    // Re-proposal: only of the epoch's last block, already notarized at parentView.
    if (header.height !== last || header.view > p.parentView) return { error: malformed("re-proposal") };
    return { parentRef: p.vote.blockHash, reproposal: true };
  }
  if (header.height < epochFirstHeight(state.epoch, config.epochLengthBlocks) || header.height > last) {
    return { error: malformed("height outside the epoch") };
  }
  if (!bytesEqual(header.proposer, set.get(leader)!.publicKey)) return { error: malformed("proposer") };
  return { parentRef: header.parentHash, reproposal: false };
}

export function onProposalInput(ctx: Ctx, p: Proposal): SimplexVerdict {
  if (!Array.isArray(p.certificates) || p.certificates.length > ctx.config.viewsKeptMax) return malformed("certificates");
  for (const cert of p.certificates) {
    if (cert.view >= p.view) return malformed("justification");
    const verdict = onCertificateInput(ctx, cert);
    if (verdict.action === "reject") return verdict;
  }
  const screened = screenVote(ctx, p.vote);
  if (screened) return screened;
  if (p.view < ctx.state.view) return { action: "ignore", code: "SIMPLEX_IGNORE_STALE" };
  const hash = blockHash(p.block.header);
  if (!bytesEqual(hash, p.vote.blockHash)) return malformed("vote is not for this block");
  const shape = checkShape(ctx, p);
  if ("error" in shape) return shape.error;
  const record = recordOf(ctx.state, p.view);
  if (record.proposal && bytesEqual(record.proposal.hash, hash)) return { action: "ignore", code: "SIMPLEX_IGNORE_DUPLICATE" };
  // The leader's vote: verifies the signature, reports equivocation if it already proposed something else.
  const verdict = onVoteInput(ctx, p.vote);
  if (verdict.action === "reject") return verdict;
  if (record.proposal) return { action: "ignore", code: "SIMPLEX_IGNORE_DUPLICATE" };
  // A re-proposal's block is the notarized parent itself: keeping it spares a fetch (the hash binds it).
  if (!storeBlock(ctx, p.block, hash)) return { action: "ignore", code: "SIMPLEX_IGNORE_FULL" };
  record.proposal = { proposal: p, hash, parentRef: shape.parentRef, reproposal: shape.reproposal, phase: "waiting" };
  return { action: "accept" };
}

/** parentView's notarized hash is parentRef and every view between is nullified: "pending" if unknown yet. */
export function parentReady(ctx: Ctx, view: number, parentView: number, parentRef: Uint8Array): "yes" | "no" | "pending" {
  const { state } = ctx;
  if (parentView < state.anchor.view) return "no";
  const notarized = notarizedAt(state, parentView);
  if (notarized === undefined) return "pending";
  if (!bytesEqual(notarized, parentRef)) return "no";
  for (let u = parentView + 1; u < view; u++) {
    if (!state.views.get(u)?.nullification) return "pending";
  }
  return "yes";
}

/** Notarize the current view's proposal if everything it needs is in place. */
export function tryNotarize(ctx: Ctx): void {
  const { state } = ctx;
  const record = state.views.get(state.view);
  const entry = record?.proposal;
  if (!record || !entry || entry.phase === "voted" || entry.phase === "invalid") return;
  if (record.own.nullify || record.own.notarize || state.selfIndex === undefined) return;
  const p = entry.proposal;
  const parent = parentReady(ctx, p.view, p.parentView, entry.parentRef);
  if (parent === "no") {
    entry.phase = "invalid";
    return;
  }
  if (parent === "pending") return;
  const readiness = ensureVerified(ctx, entry.hash);
  if (readiness === "invalid") entry.phase = "invalid";
  if (readiness !== "valid") return;
  voteFor(ctx, record);
}

function voteFor(ctx: Ctx, record: ViewRecord): void {
  const entry = record.proposal!;
  const header = entry.proposal.block.header;
  const body = { kind: VoteKind.Notarize, view: record.view, blockHash: entry.hash };
  const records = entry.reproposal ? [] : [{ type: "proposalSeen" as const, header }];
  const blocks = entry.reproposal ? [] : [entry.proposal.block];
  if (signOwnVote(ctx, body, (vote) => ({ type: "vote", vote }), { records, blocks })) entry.phase = "voted";
}
