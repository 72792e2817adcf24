// Votes from peers (and this node's own): window and epoch checks, equivocation detection (a second different
// vote from one key in one view becomes an `evidence` output, never a counted vote), signature verification,
// and certificate assembly when a body reaches more than 2/3 of stake.

import { voteSigningBytes } from "../codec/vote-codec.ts";
import { ZERO_HASH, bytesEqual } from "../crypto/hash.ts";
import type { Verdict } from "../errors.ts";
import { VoteKind, type Evidence, type Vote } from "../types.ts";
import { applyCertificate, certificateOf, tryAssemble, votesOfKind } from "./certificates.ts";
import type { Ctx } from "./context.ts";
import { epochOfView } from "./epoch.ts";
import { recordOf, type ViewRecord } from "./state.ts";
import type { SimplexVerdictCode } from "./types.ts";

type SimplexVerdict = Verdict<SimplexVerdictCode>;

/** The vote of the same validator in the same view that `vote` conflicts with, if any. */
function conflictOf(record: ViewRecord, vote: Vote): Vote | undefined {
  const same = votesOfKind(record, vote.kind).get(vote.validator);
  if (same && !bytesEqual(same.blockHash, vote.blockHash)) return same;
  if (vote.kind === VoteKind.Finalize) return record.nullifies.get(vote.validator);
  if (vote.kind === VoteKind.Nullify) return record.finalizes.get(vote.validator);
  return undefined;
}

function isDuplicate(record: ViewRecord, vote: Vote): boolean {
  const same = votesOfKind(record, vote.kind).get(vote.validator);
  return same !== undefined && bytesEqual(same.blockHash, vote.blockHash);
}

/** Cheap checks before any signature work: epoch, window, index, shape. */
export function screenVote(ctx: Ctx, vote: Vote): SimplexVerdict | null {
  const { state, config } = ctx;
  if (epochOfView(vote.view) !== state.epoch) return { action: "ignore", code: "SIMPLEX_IGNORE_OTHER_EPOCH" };
  if (vote.view < state.view - config.viewWindow || vote.view <= state.epochAnchor.view) {
    return { action: "ignore", code: "SIMPLEX_IGNORE_VIEW_TOO_OLD" };
  }
  if (vote.view > state.view + config.viewWindow) return { action: "ignore", code: "SIMPLEX_IGNORE_VIEW_TOO_NEW" };
  if (!Number.isInteger(vote.validator) || vote.validator < 0 || vote.validator >= state.validators!.size) {
    return { action: "reject", code: "SIMPLEX_REJECT_UNKNOWN_VALIDATOR" };
  }
  if (vote.kind === VoteKind.Nullify && !bytesEqual(vote.blockHash, ZERO_HASH)) {
    return { action: "reject", code: "SIMPLEX_REJECT_MALFORMED", detail: "nullify with a block hash" };
  }
  return null;
}

export function verifyVote(ctx: Ctx, vote: Vote): boolean {
  const key = ctx.state.validators!.get(vote.validator)!.publicKey;
  return ctx.deps.verify(key, voteSigningBytes(ctx.config.chainId, vote), vote.signature);
}

/** A vote from the network (or inside a proposal). Verdict for peer scoring. */
export function onVoteInput(ctx: Ctx, vote: Vote): SimplexVerdict {
  const screened = screenVote(ctx, vote);
  if (screened) return screened;
  const record = recordOf(ctx.state, vote.view);
  if (isDuplicate(record, vote)) return { action: "ignore", code: "SIMPLEX_IGNORE_DUPLICATE" };
  if (!verifyVote(ctx, vote)) return { action: "reject", code: "SIMPLEX_REJECT_BAD_SIGNATURE" };
  const conflict = conflictOf(record, vote);
  if (conflict) {
    reportEquivocation(ctx, record, conflict, vote);
    return { action: "reject", code: "SIMPLEX_REJECT_EQUIVOCATION" };
  }
  countVote(ctx, record, vote);
  return { action: "accept" };
}

function reportEquivocation(ctx: Ctx, record: ViewRecord, first: Vote, second: Vote): void {
  if (record.reported.has(second.validator)) return;
  record.reported.add(second.validator);
  const publicKey = ctx.state.validators!.get(second.validator)!.publicKey;
  const part = (v: Vote) => ({ kind: v.kind, view: v.view, blockHash: v.blockHash, signature: v.signature });
  const evidence: Evidence = { publicKey, first: part(first), second: part(second) };
  ctx.out.push({ type: "evidence", evidence });
}

/** Store a verified, non-conflicting vote and assemble a certificate if it completes one. */
export function countVote(ctx: Ctx, record: ViewRecord, vote: Vote): void {
  votesOfKind(record, vote.kind).set(vote.validator, vote);
  if (certificateOf(record, vote.kind)) return;
  const cert = tryAssemble(ctx.state.validators!, record, vote);
  if (cert) applyCertificate(ctx, cert, true);
}

/** This node's own vote enters its tally like any other (no signature check needed). */
export function countOwnVote(ctx: Ctx, vote: Vote): void {
  const record = recordOf(ctx.state, vote.view);
  if (!isDuplicate(record, vote)) countVote(ctx, record, vote);
}
