// The objects behind the golden data-plane vectors: the proposal encoding and the datagram frames (vote,
// certificate, shreds of a small proposal). Each name maps to the bytes its encoder must produce.

import { encodeProposal } from "../../consensus/codec/proposal-codec.ts";
import { blockHash } from "../../consensus/codec/block-codec.ts";
import { signEd25519 } from "../../consensus/crypto/ed25519.ts";
import { ZERO_HASH } from "../../consensus/crypto/hash.ts";
import type { Proposal } from "../../consensus/simplex/types.ts";
import { VoteKind } from "../../consensus/types.ts";
import { encodeMessage } from "../../node/wire/data-plane-codec.ts";
import { TEST_CHAIN_ID, filledHash, sampleHeader, signVote, testKey } from "../support/fixtures.ts";

export function sampleProposal(): Proposal {
  const header = sampleHeader();
  const block = { header, transactions: [new Uint8Array([0x02, 0xf8, 0x01]), new Uint8Array(300).fill(0x5a)], evidence: [], parentNotarization: null };
  const nullify = { kind: VoteKind.Nullify, view: 8, blockHash: ZERO_HASH };
  return {
    view: 9,
    parentView: 7,
    block,
    vote: signVote(1, 0, { kind: VoteKind.Notarize, view: 9, blockHash: blockHash(header) }),
    certificates: [{ ...nullify, signers: [0, 1, 2].map((i) => ({ validator: i, signature: signVote(i + 1, i, nullify).signature })) }],
  };
}

export function dataPlaneVectorCases(): Record<string, Uint8Array> {
  const proposal = sampleProposal();
  const { secretKey } = testKey(1);
  const ctx = { chainId: TEST_CHAIN_ID, senderIndex: 0, sign: (m: Uint8Array) => signEd25519(secretKey, m), payloadMaxBytes: 400 };
  const shreds = encodeMessage({ type: "proposal", proposal }, ctx);
  const cases: Record<string, Uint8Array> = {
    proposal: encodeProposal(proposal),
    frameVote: encodeMessage({ type: "vote", vote: signVote(2, 1, { kind: VoteKind.Finalize, view: 9, blockHash: filledHash(0xab) }) }, ctx)[0]!,
    frameCertificate: encodeMessage({ type: "certificate", certificate: proposal.certificates[0]! }, ctx)[0]!,
  };
  shreds.forEach((s, i) => (cases[`proposalShred${i}`] = s));
  return cases;
}
