// Signing this node's votes: the sign-guard rules checked against the votes already signed in the view, then a
// persist barrier holding the vote before the broadcast that carries it. The node's durable SignGuard
// (node/store) re-checks the same rules while performing the persist; here they keep the machine honest alone.

import { voteSigningBytes } from "../codec/vote-codec.ts";
import { bytesEqual } from "../crypto/hash.ts";
import { VoteKind, type Block, type Vote, type VoteBody } from "../types.ts";
import type { Ctx } from "./context.ts";
import { recordOf, type OwnVotes } from "./state.ts";
import type { Message, WalRecord } from "./types.ts";
import { countOwnVote } from "./votes.ts";

/** Why signing `body` would break a rule, or null when it is allowed (a repeat of the same vote is allowed). */
export function guardRefusal(own: OwnVotes, body: VoteBody): string | null {
  switch (body.kind) {
    case VoteKind.Notarize:
      if (own.notarize && !bytesEqual(own.notarize.blockHash, body.blockHash)) return "conflicting notarize";
      return null;
    case VoteKind.Finalize:
      if (own.nullify) return "finalize after nullify";
      if (own.finalize && !bytesEqual(own.finalize.blockHash, body.blockHash)) return "conflicting finalize";
      return null;
    case VoteKind.Nullify:
      if (own.finalize) return "nullify after finalize";
      return null;
  }
}

function ownSlot(own: OwnVotes, kind: VoteKind): Vote | undefined {
  return kind === VoteKind.Notarize ? own.notarize : kind === VoteKind.Nullify ? own.nullify : own.finalize;
}

/**
 * Sign `body` if the guard allows it, emit persist (vote record, extra records, blocks) then the message built from
 * the vote. Returns the vote (the earlier one when it is a repeat) or null when refused or not a validator.
 */
export function signOwnVote(
  ctx: Ctx,
  body: VoteBody,
  message: (vote: Vote) => Message,
  extra: { records?: WalRecord[]; blocks?: Block[] } = {},
): Vote | null {
  const { state } = ctx;
  if (state.selfIndex === undefined || state.validators === null) return null;
  const record = recordOf(state, body.view);
  if (guardRefusal(record.own, body) !== null) return null;
  const previous = ownSlot(record.own, body.kind);
  if (previous) {
    ctx.out.push({ type: "broadcast", message: message(previous) });
    return previous;
  }
  const signature = ctx.deps.sign(voteSigningBytes(ctx.config.chainId, body));
  const vote: Vote = { kind: body.kind, view: body.view, blockHash: body.blockHash, validator: state.selfIndex, signature };
  if (body.kind === VoteKind.Notarize) record.own.notarize = vote;
  else if (body.kind === VoteKind.Nullify) record.own.nullify = vote;
  else record.own.finalize = vote;
  ctx.out.push({
    type: "persist",
    records: [...(extra.records ?? []), { type: "ownVote", vote }],
    blocks: extra.blocks ?? [],
  });
  ctx.out.push({ type: "broadcast", message: message(vote) });
  countOwnVote(ctx, vote);
  return vote;
}
