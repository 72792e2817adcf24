// Property tests for the proposal codec and the shred wire format: decode(encode(x)) = x; arbitrary or mutated
// bytes only ever give decode errors or counted drops; any order of a message's shreds rebuilds it exactly once.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeProposal, encodeProposal } from "../../consensus/codec/proposal-codec.ts";
import { keyPairFromSeed, signEd25519 } from "../../consensus/crypto/ed25519.ts";
import { bytesEqual } from "../../consensus/crypto/hash.ts";
import type { Proposal } from "../../consensus/simplex/types.ts";
import { createNodeEd25519Verify } from "../../node/crypto/ed25519-node.ts";
import { seededRandom } from "../../node/net/seeded-random.ts";
import { decodeShred, encodeShred } from "../../node/wire/shred.ts";
import { Reassembler } from "../../node/wire/reassembler.ts";
import { shredMessage } from "../../node/wire/shredder.ts";
import { consensusArbitraries } from "../support/consensus-arbitraries.ts";

const { safeU64, vote, certificate, block } = consensusArbitraries({ signersMax: 6, transactionsMax: 6, evidenceMax: 2 });
const proposal: fc.Arbitrary<Proposal> = fc.record({
  view: safeU64,
  parentView: safeU64,
  block,
  vote,
  certificates: fc.array(certificate, { maxLength: 4 }),
});

describe("proposal codec properties", () => {
  it("decode(encode(p)) = p", () => {
    fc.assert(
      fc.property(proposal, (p) => {
        const r = decodeProposal(encodeProposal(p));
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.value).toEqual(p);
      }),
      { numRuns: 300 },
    );
  });

  it("arbitrary bytes and mutated proposals never throw", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 800 }), (b) => {
        expect(typeof decodeProposal(b).ok).toBe("boolean");
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(proposal, fc.nat(), fc.integer({ min: 0, max: 255 }), (p, pos, val) => {
        const bytes = encodeProposal(p);
        bytes[pos % bytes.length] = val;
        const r = decodeProposal(bytes);
        if (!r.ok) expect(r.code).toMatch(/^CODEC_ERROR_/);
        else expect(encodeProposal(r.value)).toEqual(bytes); // canonical: what decodes re-encodes to the same bytes
      }),
      { numRuns: 300 },
    );
  });
});

describe("shred properties", () => {
  const key = keyPairFromSeed(new Uint8Array(32).fill(3));
  const sign = (m: Uint8Array) => signEd25519(key.secretKey, m);
  const verify = createNodeEd25519Verify();
  const reassembler = () => new Reassembler({ chainId: 7n, leaderKey: (_v, i) => (i === 2 ? key.publicKey : undefined), verify });

  it("decodeShred(encodeShred(s)) = s and random bytes never throw", () => {
    const shreds = shredMessage(new Uint8Array(3000).fill(9), { chainId: 7n, view: 4, leaderIndex: 2, sign, payloadMaxBytes: 600 });
    for (const s of shreds) {
      const r = decodeShred(s);
      expect(r.ok && bytesEqual(encodeShred(r.value), s)).toBe(true);
    }
    const r = reassembler();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1500 }), fc.constantFrom(0x01, 0x02, 0x03), (b, type) => {
        if (b.length > 0) b[0] = type;
        if (b.length > 1) b[1] = 1;
        expect(typeof decodeShred(b).ok).toBe("boolean");
        expect(r.add(b).complete).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it("any order, with duplicates and mutated copies, rebuilds the message exactly once", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 6000 }),
        fc.integer({ min: 300, max: 1472 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 30 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (message, payloadMaxBytes, extras, seed) => {
          const shreds = shredMessage(message, { chainId: 7n, view: 4, leaderIndex: 2, sign, payloadMaxBytes });
          // Extra copies: some exact duplicates, some with one byte flipped (forgeries a peer might send).
          const feed = [...shreds];
          for (const [which, pos, flip] of extras) {
            const copy = shreds[which % shreds.length]!.slice();
            if (flip % 2 === 0) copy[pos % copy.length]! ^= flip;
            feed.push(copy);
          }
          const random = seededRandom(seed);
          const ordered = feed.map((p) => ({ p, k: random() })).sort((x, y) => x.k - y.k).map((x) => x.p);
          const r = reassembler();
          const completions = ordered.flatMap((p) => {
            const out = r.add(p);
            return out.complete ? [out.complete] : [];
          });
          expect(completions).toHaveLength(1);
          expect(bytesEqual(completions[0]!, message)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});
