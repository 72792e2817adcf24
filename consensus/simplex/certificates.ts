// Certificates: assembling one from collected votes, validating one received from a peer (distinct increasing
// signers, more than 2/3 of stake, every signature), and what each kind does to the view. Notarization of v
// leads to finalize(v) unless this node nullified v; any certificate for v >= the current view enters v + 1.

import { voteSigningBytes } from "../codec/vote-codec.ts";
import { ZERO_HASH, bytesEqual } from "../crypto/hash.ts";
import type { Verdict } from "../errors.ts";
import { VoteKind, type Certificate, type Vote, type VoteBody } from "../types.ts";
import type { ValidatorSet } from "../validator-set.ts";
import type { Ctx } from "./context.ts";
import { epochOfView } from "./epoch.ts";
import { signOwnVote } from "./own-votes.ts";
import { recordOf, type ViewRecord } from "./state.ts";
import type { SimplexVerdictCode } from "./types.ts";
import { enterView } from "./views.ts";

type SimplexVerdict = Verdict<SimplexVerdictCode>;

export function votesOfKind(record: ViewRecord, kind: VoteKind): Map<number, Vote> {
  return kind === VoteKind.Notarize ? record.notarizes : kind === VoteKind.Nullify ? record.nullifies : record.finalizes;
}

export function certificateOf(record: ViewRecord, kind: VoteKind): Certificate | undefined {
  return kind === VoteKind.Notarize ? record.notarization : kind === VoteKind.Nullify ? record.nullification : record.finalization;
}

/** The certificate for `body` if the stored votes for it carry a quorum of stake, else null. */
export function tryAssemble(set: ValidatorSet, record: ViewRecord, body: VoteBody): Certificate | null {
  const signers: { validator: number; signature: Uint8Array }[] = [];
  let stake = 0n;
  for (const [validator, vote] of votesOfKind(record, body.kind)) {
    if (!bytesEqual(vote.blockHash, body.blockHash)) continue;
    signers.push({ validator, signature: vote.signature });
    stake += set.get(validator)!.stake;
  }
  if (!set.isQuorum(stake)) return null;
  signers.sort((a, b) => a.validator - b.validator);
  return { kind: body.kind, view: body.view, blockHash: body.blockHash, signers };
}

/** Checks a certificate against the current epoch's set. Signatures already seen as votes are not re-verified. */
export function validateCertificate(ctx: Ctx, cert: Certificate): SimplexVerdict {
  const set = ctx.state.validators!;
  if (cert.kind === VoteKind.Nullify && !bytesEqual(cert.blockHash, ZERO_HASH)) {
    return { action: "reject", code: "SIMPLEX_REJECT_MALFORMED", detail: "nullification with a block hash" };
  }
  let last = -1;
  for (const s of cert.signers) {
    if (!Number.isInteger(s.validator) || s.validator <= last || s.validator >= set.size) {
      return { action: "reject", code: "SIMPLEX_REJECT_MALFORMED", detail: "signers not increasing valid indices" };
    }
    last = s.validator;
  }
  if (!set.isQuorum(set.stakeOf(cert.signers.map((s) => s.validator)))) {
    return { action: "reject", code: "SIMPLEX_REJECT_NO_QUORUM" };
  }
  const known = ctx.state.views.get(cert.view);
  const seen = known ? votesOfKind(known, cert.kind) : undefined;
  let message: Uint8Array | undefined;
  for (const s of cert.signers) {
    const vote = seen?.get(s.validator);
    if (vote && bytesEqual(vote.blockHash, cert.blockHash) && bytesEqual(vote.signature, s.signature)) continue;
    message ??= voteSigningBytes(ctx.config.chainId, cert);
    if (!ctx.deps.verify(set.get(s.validator)!.publicKey, message, s.signature)) {
      return { action: "reject", code: "SIMPLEX_REJECT_BAD_SIGNATURE", detail: `signer ${s.validator}` };
    }
  }
  return { action: "accept" };
}

/** Input path for a certificate from a peer. */
export function onCertificateInput(ctx: Ctx, cert: Certificate): SimplexVerdict {
  const { state } = ctx;
  if (epochOfView(cert.view) !== state.epoch) return { action: "ignore", code: "SIMPLEX_IGNORE_OTHER_EPOCH" };
  // Any certificate above the finalized anchor may still matter (a parent's justification, a finalization);
  // each is quorum-signed, one per view and kind is kept, and prune() bounds how many views are kept.
  if (cert.view <= state.anchor.view || cert.view <= state.epochAnchor.view) {
    return { action: "ignore", code: "SIMPLEX_IGNORE_VIEW_TOO_OLD" };
  }
  const record = state.views.get(cert.view);
  if (record && certificateOf(record, cert.kind)) return { action: "ignore", code: "SIMPLEX_IGNORE_DUPLICATE" };
  const verdict = validateCertificate(ctx, cert);
  if (verdict.action !== "accept") return verdict;
  applyCertificate(ctx, cert, false);
  return verdict;
}

/**
 * A valid certificate (assembled here when `assembled`, else received). Assembled ones are broadcast so that
 * peers that missed votes advance; all are persisted so a restart resumes in the right view.
 */
export function applyCertificate(ctx: Ctx, cert: Certificate, assembled: boolean): void {
  const { state } = ctx;
  const aboveAnchor = cert.view > state.anchor.view;
  if (cert.kind === VoteKind.Finalize) {
    if (aboveAnchor) recordOf(state, cert.view).finalization ??= cert;
    if (cert.view > state.anchor.view && (!state.pendingFinalization || cert.view > state.pendingFinalization.view)) {
      state.pendingFinalization = cert;
    }
    if (!state.lastFinalization || cert.view > state.lastFinalization.view) state.lastFinalization = cert;
  } else if (aboveAnchor) {
    const record = recordOf(state, cert.view);
    if (cert.kind === VoteKind.Notarize) record.notarization ??= cert;
    else record.nullification ??= cert;
  }
  ctx.out.push({ type: "persist", records: [{ type: "certificateSeen", certificate: cert }], blocks: [] });
  if (assembled) ctx.out.push({ type: "broadcast", message: { type: "certificate", certificate: cert } });
  // Own votes are remembered for every view in the window (prune never drops those), so the guard below is complete.
  if (cert.kind === VoteKind.Notarize && aboveAnchor && cert.view >= state.view - ctx.config.viewWindow) {
    const record = recordOf(state, cert.view);
    if (!record.own.nullify && cert.view > state.anchor.view) {
      const body = { kind: VoteKind.Finalize, view: cert.view, blockHash: cert.blockHash };
      signOwnVote(ctx, body, (vote) => ({ type: "vote", vote }));
    }
  }
  if (cert.view >= state.view) enterView(ctx, cert.view + 1);
}
