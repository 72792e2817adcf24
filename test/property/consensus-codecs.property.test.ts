// Property tests for consensus codecs: decode(encode(x)) = x, and arbitrary bytes only ever give decode errors.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeVote, encodeVote } from "../../consensus/codec/vote-codec.ts";
import { decodeCertificate, encodeCertificate } from "../../consensus/codec/certificate-codec.ts";
import { decodeEvidence, encodeEvidence } from "../../consensus/codec/evidence-codec.ts";
import { decodeBlock, decodeHeader, encodeBlock, encodeHeader } from "../../consensus/codec/block-codec.ts";
import { consensusArbitraries } from "../support/consensus-arbitraries.ts";

const { vote, certificate, evidence, header, block } = consensusArbitraries({ signersMax: 20, transactionsMax: 8, evidenceMax: 3 });

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
