// Property tests for consensus codecs: decode(encode(x)) = x, and arbitrary bytes only ever give decode errors.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeVote, encodeVote } from "../../consensus/codec/vote-codec.ts";
import { decodeCertificate, encodeCertificate } from "../../consensus/codec/certificate-codec.ts";
import { decodeEvidence, encodeEvidence } from "../../consensus/codec/evidence-codec.ts";
import { decodeBlock, decodeHeader, encodeBlock, encodeHeader } from "../../consensus/codec/block-codec.ts";
import { ZERO_HASH } from "../../consensus/crypto/hash.ts";
import { VoteKind, type VoteBody } from "../../consensus/types.ts";

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const sig = fc.uint8Array({ minLength: 64, maxLength: 64 });
const safeU64 = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const voteBody: fc.Arbitrary<VoteBody> = fc
  .record({ kind: fc.constantFrom(VoteKind.Notarize, VoteKind.Nullify, VoteKind.Finalize), view: safeU64, blockHash: bytes32 })
  .map((b) => (b.kind === VoteKind.Nullify ? { ...b, blockHash: ZERO_HASH } : b));
const vote = fc.record({ body: voteBody, validator: fc.integer({ min: 0, max: 0xffffffff }), signature: sig }).map((v) => ({ ...v.body, validator: v.validator, signature: v.signature }));
const certificate = fc
  .record({ body: voteBody, idx: fc.uniqueArray(fc.integer({ min: 0, max: 1023 }), { maxLength: 20 }), signature: sig })
  .map(({ body, idx, signature }) => ({ ...body, signers: [...idx].sort((a, b) => a - b).map((validator) => ({ validator, signature })) }));
const evidence = fc.record({ publicKey: bytes32, a: voteBody, b: voteBody, s1: sig, s2: sig }).map((e) => ({
  publicKey: e.publicKey,
  first: { ...e.a, signature: e.s1 },
  second: { ...e.b, signature: e.s2 },
}));
const header = fc.record({
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
const block = fc.record({
  header,
  transactions: fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }),
  evidence: fc.array(evidence, { maxLength: 3 }),
  parentNotarization: fc.option(certificate, { nil: null }),
});

function roundTrips<T>(arb: fc.Arbitrary<T>, enc: (x: T) => Uint8Array, dec: (b: Uint8Array) => { ok: boolean; value?: T }) {
  fc.assert(
    fc.property(arb, (x) => {
      const r = dec(enc(x));
      expect(r.ok).toBe(true);
      expect(r.value).toEqual(x);
    }),
    { numRuns: 300 },
  );
}

describe("consensus codecs round-trip", () => {
  it("votes", () => roundTrips(vote, encodeVote, decodeVote));
  it("certificates", () => roundTrips(certificate, encodeCertificate, decodeCertificate));
  it("evidence", () => roundTrips(evidence, encodeEvidence, decodeEvidence));
  it("headers", () => roundTrips(header, encodeHeader, decodeHeader));
  it("blocks", () => roundTrips(block, encodeBlock, decodeBlock));
});

describe("arbitrary bytes never throw", () => {
  const decoders = { decodeVote, decodeCertificate, decodeEvidence, decodeHeader, decodeBlock };
  for (const [name, dec] of Object.entries(decoders)) {
    it(name, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 600 }), (b) => {
          const r = dec(b);
          expect(typeof r.ok).toBe("boolean");
        }),
        { numRuns: 500 },
      );
    });
  }
  it("mutated valid blocks decode or fail with a code", () => {
    fc.assert(
      fc.property(block, fc.nat(), fc.integer({ min: 0, max: 255 }), (b, pos, val) => {
        const bytes = encodeBlock(b);
        bytes[pos % bytes.length] = val;
        const r = decodeBlock(bytes);
        if (!r.ok) expect(r.code).toMatch(/^CODEC_ERROR_/);
      }),
      { numRuns: 300 },
    );
  });
});
