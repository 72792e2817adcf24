// Decoders turn bad bytes into coded failures: truncation, trailing bytes, limits, bad tags, non-canonical forms.
import { describe, expect, it } from "vitest";
import { decodeVote, encodeVote } from "../../../../consensus/codec/vote-codec.ts";
import { decodeCertificate, encodeCertificate } from "../../../../consensus/codec/certificate-codec.ts";
import { decodeBlock } from "../../../../consensus/codec/block-codec.ts";
import { ByteWriter } from "../../../../consensus/codec/byte-writer.ts";
import { ByteReader } from "../../../../consensus/codec/byte-reader.ts";
import { decodeWith } from "../../../../consensus/codec/codec-error.ts";
import { writeHeader } from "../../../../consensus/codec/block-codec.ts";
import { VoteKind } from "../../../../consensus/types.ts";
import { filledHash, sampleHeader, signVote } from "../../../support/fixtures.ts";

const vote = signVote(1, 3, { kind: VoteKind.Notarize, view: 5, blockHash: filledHash(7) });

describe("decode failures are values, not exceptions", () => {
  it("reports truncation at every cut of a vote", () => {
    const bytes = encodeVote(vote);
    for (let cut = 0; cut < bytes.length; cut++) {
      const r = decodeVote(bytes.subarray(0, cut));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.code).toBe("CODEC_ERROR_TRUNCATED");
    }
  });

  it("rejects trailing bytes", () => {
    const bytes = new Uint8Array([...encodeVote(vote), 0]);
    const r = decodeVote(bytes);
    expect(r.ok ? "ok" : r.code).toBe("CODEC_ERROR_TRAILING_BYTES");
  });

  it("rejects an unknown vote kind", () => {
    const bytes = encodeVote(vote);
    bytes[0] = 9;
    const r = decodeVote(bytes);
    expect(r.ok ? "ok" : r.code).toBe("CODEC_ERROR_BAD_TAG");
  });

  it("rejects a nullify vote that names a block", () => {
    const bytes = encodeVote({ ...vote, kind: VoteKind.Nullify });
    const r = decodeVote(bytes);
    expect(r.ok ? "ok" : r.code).toBe("CODEC_ERROR_NON_CANONICAL");
  });

  it("rejects certificate signers out of order or repeated", () => {
    const sig = vote.signature;
    const base = { kind: VoteKind.Notarize, view: 5, blockHash: filledHash(7) } as const;
    const unordered = encodeCertificate({ ...base, signers: [{ validator: 2, signature: sig }, { validator: 1, signature: sig }] });
    const repeated = encodeCertificate({ ...base, signers: [{ validator: 1, signature: sig }, { validator: 1, signature: sig }] });
    for (const bytes of [unordered, repeated]) {
      const r = decodeCertificate(bytes);
      expect(r.ok ? "ok" : r.code).toBe("CODEC_ERROR_NON_CANONICAL");
    }
  });

  it("checks a huge transaction count against the remaining bytes before allocating", () => {
    const w = new ByteWriter();
    writeHeader(w, sampleHeader());
    w.u32(20_000); // plausible count, but no bytes follow
    const r = decodeBlock(w.finish());
    expect(r.ok ? "ok" : r.code).toBe("CODEC_ERROR_TRUNCATED");
    const w2 = new ByteWriter();
    writeHeader(w2, sampleHeader());
    w2.u32(0xffffffff);
    const r2 = decodeBlock(w2.finish());
    expect(r2.ok ? "ok" : r2.code).toBe("CODEC_ERROR_LENGTH_LIMIT");
  });

  it("rejects u64 values above 2^53-1 where a safe integer is required", () => {
    const bytes = new ByteWriter().u64n(2n ** 60n).finish();
    const r = decodeWith(() => new ByteReader(bytes).u64("height"));
    expect(r.ok ? "ok" : r.code).toBe("CODEC_ERROR_BAD_VALUE");
  });

  it("rejects a non-canonical boolean", () => {
    const r = decodeWith(() => new ByteReader(new Uint8Array([2])).bool());
    expect(r.ok ? "ok" : r.code).toBe("CODEC_ERROR_NON_CANONICAL");
  });

  it("writer refuses values out of range (programmer errors)", () => {
    expect(() => new ByteWriter().u8(256)).toThrow(RangeError);
    expect(() => new ByteWriter().u64(-1)).toThrow(RangeError);
    expect(() => new ByteWriter().u256(1n << 256n)).toThrow(RangeError);
    expect(() => new ByteWriter().fixed(new Uint8Array(31), 32)).toThrow(RangeError);
  });
});
