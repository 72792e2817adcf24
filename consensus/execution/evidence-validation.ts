// Validation of equivocation evidence before it slashes. Shape (no state): one view, a truly conflicting pair
// (notarize/notarize or finalize/finalize for different blocks, or nullify with finalize), both signatures valid
// under the injected verifier over voteSigningBytes. State: the key has a record with bonded or unbonding
// stake (still slashable) and was not already slashed for that view.

import { voteSigningBytes } from "../codec/vote-codec.ts";
import type { Ed25519Verify } from "../crypto/ed25519.ts";
import { bytesEqual } from "../crypto/hash.ts";
import { ACCEPT, type Verdict } from "../errors.ts";
import { type Evidence, VoteKind, type VoteBody } from "../types.ts";
import { getValidatorRecord, isSlashedForView } from "../state/state-access.ts";
import { unbondingTotal } from "../state/validator-record.ts";
import type { StateReader } from "../state/world-state.ts";

export type EvidenceErrorCode =
  | "EVIDENCE_ERROR_DIFFERENT_VIEWS"
  | "EVIDENCE_ERROR_NOT_CONFLICTING"
  | "EVIDENCE_ERROR_INVALID_SIGNATURE"
  | "EVIDENCE_ERROR_UNKNOWN_VALIDATOR"
  | "EVIDENCE_ERROR_NOTHING_TO_SLASH"
  | "EVIDENCE_ERROR_ALREADY_SLASHED";

export interface EvidenceContext {
  chainId: bigint;
  ed25519Verify: Ed25519Verify;
  /** Parent state; omit to check shape and signatures only (e.g. before gossiping evidence). */
  state?: StateReader;
}

/** The pairs an honest Simplex validator never signs in one view. */
export function isConflictingPair(a: VoteBody, b: VoteBody): boolean {
  if (a.view !== b.view) return false;
  const sameKind = a.kind === b.kind;
  if (sameKind && (a.kind === VoteKind.Notarize || a.kind === VoteKind.Finalize)) return !bytesEqual(a.blockHash, b.blockHash);
  const kinds = new Set([a.kind, b.kind]);
  return kinds.has(VoteKind.Nullify) && kinds.has(VoteKind.Finalize);
}

export function validateEvidence(evidence: Evidence, ctx: EvidenceContext): Verdict<EvidenceErrorCode> {
  const { first, second, publicKey } = evidence;
  if (first.view !== second.view) return { action: "reject", code: "EVIDENCE_ERROR_DIFFERENT_VIEWS" };
  if (!isConflictingPair(first, second)) return { action: "reject", code: "EVIDENCE_ERROR_NOT_CONFLICTING" };
  for (const vote of [first, second]) {
    if (!ctx.ed25519Verify(publicKey, voteSigningBytes(ctx.chainId, vote), vote.signature)) {
      return { action: "reject", code: "EVIDENCE_ERROR_INVALID_SIGNATURE", detail: `kind ${vote.kind} view ${vote.view}` };
    }
  }
  if (ctx.state === undefined) return ACCEPT;
  const rec = getValidatorRecord(ctx.state, publicKey);
  // Stale or duplicate evidence is not the includer's fault on its own: ignore rather than reject.
  if (rec === undefined) return { action: "ignore", code: "EVIDENCE_ERROR_UNKNOWN_VALIDATOR" };
  if (rec.bondedStake === 0n && unbondingTotal(rec) === 0n) return { action: "ignore", code: "EVIDENCE_ERROR_NOTHING_TO_SLASH" };
  if (isSlashedForView(ctx.state, publicKey, first.view)) return { action: "ignore", code: "EVIDENCE_ERROR_ALREADY_SLASHED" };
  return ACCEPT;
}
