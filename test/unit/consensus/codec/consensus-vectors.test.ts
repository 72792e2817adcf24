// Golden bytes for every consensus codec: an encoding change must be deliberate and regenerate the vectors.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { consensusVectorCases } from "../../../vectors/consensus-vector-cases.ts";
import { toHex } from "../../../../consensus/crypto/hash.ts";
import { decodeBlock, encodeBlock } from "../../../../consensus/codec/block-codec.ts";
import { decodeVote, encodeVote } from "../../../../consensus/codec/vote-codec.ts";
import { decodeCertificate, encodeCertificate } from "../../../../consensus/codec/certificate-codec.ts";
import { decodeEvidence, encodeEvidence } from "../../../../consensus/codec/evidence-codec.ts";
import { fromHex } from "../../../../consensus/crypto/hash.ts";

const golden = JSON.parse(readFileSync(new URL("../../../vectors/consensus-codecs.json", import.meta.url), "utf8")) as Record<string, string>;

describe("consensus golden vectors", () => {
  const cases = consensusVectorCases();
  it("covers exactly the vectors on disk", () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(golden).sort());
  });
  for (const [name, bytes] of Object.entries(cases)) {
    it(`${name} encodes to the pinned bytes`, () => {
      expect(toHex(bytes)).toBe(golden[name]);
    });
  }

  it("decoders re-encode the pinned bytes identically", () => {
    const pairs: [string, (b: Uint8Array) => Uint8Array][] = [
      ["voteNotarize", (b) => encodeVote(ok(decodeVote(b)))],
      ["voteNullify", (b) => encodeVote(ok(decodeVote(b)))],
      ["certificateNotarize", (b) => encodeCertificate(ok(decodeCertificate(b)))],
      ["evidenceDoubleFinalize", (b) => encodeEvidence(ok(decodeEvidence(b)))],
      ["block", (b) => encodeBlock(ok(decodeBlock(b)))],
      ["blockGenesisChild", (b) => encodeBlock(ok(decodeBlock(b)))],
    ];
    for (const [name, roundTrip] of pairs) {
      expect(toHex(roundTrip(fromHex(golden[name]!))), name).toBe(golden[name]);
    }
  });
});

function ok<T>(r: { ok: true; value: T } | { ok: false; detail: string }): T {
  if (!r.ok) throw new Error(r.detail);
  return r.value;
}
