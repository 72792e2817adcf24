// The objects behind the golden consensus vectors: each name maps to the bytes its encoder must produce.

import { encodeVote, voteSigningBytes } from "../../consensus/codec/vote-codec.ts";
import { encodeCertificate } from "../../consensus/codec/certificate-codec.ts";
import { encodeEvidence, evidenceHash } from "../../consensus/codec/evidence-codec.ts";
import { blockHash, encodeBlock, encodeHeader } from "../../consensus/codec/block-codec.ts";
import { ZERO_HASH } from "../../consensus/crypto/hash.ts";
import { VoteKind } from "../../consensus/types.ts";
import { TEST_CHAIN_ID, filledHash, sampleHeader, signVote, testKey } from "../support/fixtures.ts";

export function consensusVectorCases(): Record<string, Uint8Array> {
  const notarize = signVote(1, 0, { kind: VoteKind.Notarize, view: 9, blockHash: filledHash(0xab) });
  const nullify = signVote(2, 1, { kind: VoteKind.Nullify, view: 10, blockHash: ZERO_HASH });
  const finalizeA = signVote(3, 2, { kind: VoteKind.Finalize, view: 9, blockHash: filledHash(0xab) });
  const finalizeB = signVote(3, 2, { kind: VoteKind.Finalize, view: 9, blockHash: filledHash(0xcd) });
  const cert = {
    kind: VoteKind.Notarize,
    view: 9,
    blockHash: filledHash(0xab),
    signers: [1, 2, 3].map((n, i) => ({
      validator: i,
      signature: signVote(n, i, { kind: VoteKind.Notarize, view: 9, blockHash: filledHash(0xab) }).signature,
    })),
  };
  const evidence = { publicKey: testKey(3).publicKey, first: finalizeA, second: finalizeB };
  const header = sampleHeader();
  const block = {
    header,
    transactions: [new Uint8Array([0x02, 0xf8, 0x01]), new Uint8Array([0xf8, 0x6b])],
    evidence: [{ publicKey: evidence.publicKey, first: stripIndex(finalizeA), second: stripIndex(finalizeB) }],
    parentNotarization: cert,
  };
  return {
    voteSigningBytesNotarize: voteSigningBytes(TEST_CHAIN_ID, notarize),
    voteNotarize: encodeVote(notarize),
    voteNullify: encodeVote(nullify),
    certificateNotarize: encodeCertificate(cert),
    evidenceDoubleFinalize: encodeEvidence(block.evidence[0]!),
    evidenceHash: evidenceHash(block.evidence[0]!),
    header: encodeHeader(header),
    headerHash: blockHash(header),
    block: encodeBlock(block),
    blockGenesisChild: encodeBlock({ header: sampleHeader({ height: 1, view: 1 }), transactions: [], evidence: [], parentNotarization: null }),
  };
}

function stripIndex<T extends { validator: number }>(v: T): Omit<T, "validator"> {
  const { validator: _validator, ...rest } = v;
  return rest;
}
