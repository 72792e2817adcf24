// The proposal codec: pinned bytes, round trips, and rejection of oversized or non-canonical input before
// anything large is allocated.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ByteWriter } from "../../../../consensus/codec/byte-writer.ts";
import { decodeProposal, encodeProposal, PROPOSAL_CERTIFICATES_MAX } from "../../../../consensus/codec/proposal-codec.ts";
import { fromHex, toHex } from "../../../../consensus/crypto/hash.ts";
import { LIMITS } from "../../../../consensus/types.ts";
import { dataPlaneVectorCases, sampleProposal } from "../../../vectors/data-plane-vector-cases.ts";

const golden = JSON.parse(readFileSync(new URL("../../../vectors/data-plane-codecs.json", import.meta.url), "utf8")) as Record<string, string>;

describe("proposal codec", () => {
  it("encodes the sample proposal to the pinned bytes, and the vector set matches the file", () => {
    expect(Object.keys(dataPlaneVectorCases()).sort()).toEqual(Object.keys(golden).sort());
    expect(toHex(encodeProposal(sampleProposal()))).toBe(golden.proposal);
  });

  it("decodes the pinned bytes to the sample and re-encodes them identically", () => {
    const r = decodeProposal(fromHex(golden.proposal!));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual(sampleProposal());
    expect(toHex(encodeProposal(r.value))).toBe(golden.proposal);
  });

  it("rejects trailing bytes and every truncation", () => {
    const bytes = encodeProposal(sampleProposal());
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(decodeProposal(longer)).toMatchObject({ ok: false, code: "CODEC_ERROR_TRAILING_BYTES" });
    for (let n = 0; n < bytes.length; n += 7) {
      const r = decodeProposal(bytes.subarray(0, n));
      expect(r.ok, `prefix ${n}`).toBe(false);
    }
  });

  it("refuses a block length above maxBlockBytes before reading it", () => {
    const w = new ByteWriter().u64(9).u64(8).u32(LIMITS.maxBlockBytes + 1);
    const r = decodeProposal(w.finish());
    expect(r).toMatchObject({ ok: false, code: "CODEC_ERROR_LENGTH_LIMIT", offset: 16 });
  });

  it("refuses more certificates than the limit, and counts that cannot fit the bytes left", () => {
    const p = sampleProposal();
    const head = encodeProposal({ ...p, certificates: [] });
    const withCount = (count: number) => {
      const out = new Uint8Array(head.length);
      out.set(head);
      new DataView(out.buffer).setUint32(out.length - 4, count);
      return out;
    };
    expect(decodeProposal(withCount(PROPOSAL_CERTIFICATES_MAX + 1))).toMatchObject({ ok: false, code: "CODEC_ERROR_LENGTH_LIMIT" });
    expect(decodeProposal(withCount(PROPOSAL_CERTIFICATES_MAX))).toMatchObject({ ok: false, code: "CODEC_ERROR_TRUNCATED" });
  });

  it("reports a bad block with its offset inside the proposal", () => {
    const p = sampleProposal();
    const bytes = encodeProposal(p);
    const corrupt = bytes.slice();
    // The block's parent-notarization flag is its last byte (null notarization): 2 is not a bool.
    const blockEnd = 16 + 4 + new DataView(bytes.buffer).getUint32(16);
    corrupt[blockEnd - 1] = 2;
    expect(decodeProposal(corrupt)).toMatchObject({ ok: false, code: "CODEC_ERROR_NON_CANONICAL", offset: blockEnd - 1 });
  });

  it("refuses to encode what it would refuse to decode", () => {
    const p = sampleProposal();
    const many = Array.from({ length: PROPOSAL_CERTIFICATES_MAX + 1 }, () => p.certificates[0]!);
    expect(() => encodeProposal({ ...p, certificates: many })).toThrow(RangeError);
  });
});
