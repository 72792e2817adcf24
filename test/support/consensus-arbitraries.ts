// fast-check arbitraries for the consensus data model (votes, certificates, evidence, headers, blocks), shared by
// the codec property tests. Sizes are parameters so each suite keeps its own bounds (and run time).
import fc from "fast-check";
import { ZERO_HASH } from "../../consensus/crypto/hash.ts";
import { VoteKind, type Block, type BlockHeader, type Certificate, type Evidence, type Vote, type VoteBody } from "../../consensus/types.ts";

export interface ArbitrarySizes {
  signersMax: number;
  transactionsMax: number;
  evidenceMax: number;
}

export function consensusArbitraries(sizes: ArbitrarySizes) {
  const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
  const sig = fc.uint8Array({ minLength: 64, maxLength: 64 });
  const safeU64 = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
  const voteBody: fc.Arbitrary<VoteBody> = fc
    .record({ kind: fc.constantFrom(VoteKind.Notarize, VoteKind.Nullify, VoteKind.Finalize), view: safeU64, blockHash: bytes32 })
    .map((b) => (b.kind === VoteKind.Nullify ? { ...b, blockHash: ZERO_HASH } : b));
  const vote: fc.Arbitrary<Vote> = fc
    .record({ body: voteBody, validator: fc.integer({ min: 0, max: 0xffffffff }), signature: sig })
    .map((v) => ({ ...v.body, validator: v.validator, signature: v.signature }));
  const certificate: fc.Arbitrary<Certificate> = fc
    .record({ body: voteBody, idx: fc.uniqueArray(fc.integer({ min: 0, max: 1023 }), { maxLength: sizes.signersMax }), signature: sig })
    .map(({ body, idx, signature }) => ({ ...body, signers: [...idx].sort((a, b) => a - b).map((validator) => ({ validator, signature })) }));
  const evidence: fc.Arbitrary<Evidence> = fc.record({ publicKey: bytes32, a: voteBody, b: voteBody, s1: sig, s2: sig }).map((e) => ({
    publicKey: e.publicKey,
    first: { ...e.a, signature: e.s1 },
    second: { ...e.b, signature: e.s2 },
  }));
  const header: fc.Arbitrary<BlockHeader> = fc.record({
    chainId: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    height: safeU64,
    view: safeU64,
    parentHash: bytes32,
    timestampMs: safeU64,
    proposer: bytes32,
    stateRoot: bytes32,
    transactionsRoot: bytes32,
    evidenceRoot: bytes32,
    laneRoot: bytes32,
  });
  const block: fc.Arbitrary<Block> = fc.record({
    header,
    transactions: fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: sizes.transactionsMax }),
    evidence: fc.array(evidence, { maxLength: sizes.evidenceMax }),
    parentNotarization: fc.option(certificate, { nil: null }),
  });
  return { bytes32, sig, safeU64, voteBody, vote, certificate, evidence, header, block };
}
