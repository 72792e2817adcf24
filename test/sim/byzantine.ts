// Byzantine behaviour for simulated nodes. A Byzantine node runs the honest machine and rewrites what it sends:
// an equivocating leader sends two different blocks to two halves; a double voter adds a conflicting vote
// (notarize/notarize, finalize/nullify) sent to a random half; a withholder drops most of its votes.

import { blockHash } from "../../consensus/codec/block-codec.ts";
import { voteSigningBytes } from "../../consensus/codec/vote-codec.ts";
import { ZERO_HASH } from "../../consensus/crypto/hash.ts";
import type { Message } from "../../consensus/simplex/index.ts";
import { VoteKind, type Vote, type VoteBody } from "../../consensus/types.ts";
import type { Prng } from "./prng.ts";
import type { SimNode } from "./sim-node.ts";

export interface ByzantineStrategy {
  equivocate: boolean;
  doubleVote: boolean;
  withhold: boolean;
  /** Also sends malformed messages: bad signatures, unknown signers, far views, forged or short certificates. */
  garbage: boolean;
}

export function pickStrategy(rng: Prng): ByzantineStrategy {
  const strategy = { equivocate: rng.chance(0.6), doubleVote: rng.chance(0.6), withhold: rng.chance(0.4), garbage: rng.chance(0.5) };
  if (!strategy.equivocate && !strategy.doubleVote && !strategy.withhold) strategy.doubleVote = true;
  return strategy;
}

export type Delivery = { to: number[]; message: Message };

function halves(rng: Prng, size: number, self: number): [number[], number[]] {
  const others = rng.shuffle(Array.from({ length: size }, (_, i) => i).filter((i) => i !== self));
  const cut = Math.ceil(others.length / 2);
  return [others.slice(0, cut), others.slice(cut)];
}

function signed<S>(node: SimNode<S>, chainId: bigint, body: VoteBody, validator: number): Vote {
  return { ...body, validator, signature: node.key.sign(voteSigningBytes(chainId, body)) };
}

/** What a Byzantine node actually sends instead of broadcasting `message` to everyone. */
export function byzantineDeliveries<S>(
  node: SimNode<S>,
  strategy: ByzantineStrategy,
  message: Message,
  size: number,
  chainId: bigint,
  rng: Prng,
): Delivery[] {
  const everyone = Array.from({ length: size }, (_, i) => i).filter((i) => i !== node.index);
  const [a, b] = halves(rng, size, node.index);
  if (message.type === "proposal" && strategy.equivocate) {
    const p = message.proposal;
    const alt = node.app.build({
      parentHash: p.block.header.parentHash,
      height: p.block.header.height,
      view: p.block.header.view,
      proposer: p.block.header.proposer,
      timestampMs: p.block.header.timestampMs + 1,
      evidence: [],
      parentNotarization: p.block.parentNotarization,
    });
    if (alt && p.block.header.view === p.view) {
      const altVote = signed(node, chainId, { kind: VoteKind.Notarize, view: p.view, blockHash: blockHash(alt.header) }, p.vote.validator);
      const altMessage: Message = { type: "proposal", proposal: { ...p, block: alt, vote: altVote } };
      return [{ to: a, message }, { to: b, message: altMessage }, { to: [rng.pick(everyone)], message: altMessage }];
    }
  }
  if (message.type !== "vote") return [{ to: everyone, message }];
  const junk: Delivery[] = strategy.garbage ? [{ to: [rng.pick(everyone)], message: garbage(message.vote, rng) }] : [];
  if (strategy.withhold && rng.chance(0.7)) return junk;
  const vote = message.vote;
  if (!strategy.doubleVote || vote.view < 0) return [{ to: everyone, message }];
  let body: VoteBody;
  if (vote.kind === VoteKind.Notarize) body = { kind: VoteKind.Notarize, view: vote.view, blockHash: rng.bytes(32) };
  else if (vote.kind === VoteKind.Finalize) body = { kind: VoteKind.Nullify, view: vote.view, blockHash: ZERO_HASH };
  else body = { kind: VoteKind.Finalize, view: vote.view, blockHash: rng.bytes(32) };
  const conflicting: Message = { type: "vote", vote: signed(node, chainId, body, vote.validator) };
  return [{ to: everyone, message }, { to: b, message: conflicting }, ...junk];
}

/** One malformed message derived from a vote this node is sending: every honest node must refuse it. */
function garbage(vote: Vote, rng: Prng): Message {
  const signature = rng.bytes(64);
  switch (rng.int(0, 4)) {
    case 0:
      return { type: "vote", vote: { ...vote, signature } };
    case 1:
      return { type: "vote", vote: { ...vote, validator: 1000 + rng.int(0, 1000) } };
    case 2:
      return { type: "vote", vote: { ...vote, view: vote.view + 1000 + rng.int(0, 100_000) } };
    case 3:
      return { type: "certificate", certificate: { ...vote, signers: [{ validator: vote.validator, signature: vote.signature }] } };
    default:
      return { type: "certificate", certificate: { ...vote, signers: [0, 1, 2].map((validator) => ({ validator, signature })) } };
  }
}
