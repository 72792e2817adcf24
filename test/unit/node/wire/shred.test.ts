// The shred format and the shredder: pinned frames, round trips, chunk spans and proof shapes that agree with
// consensus/merkle.ts, and every shred within the payload limit.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "../../../../consensus/crypto/hash.ts";
import { merkleLeaf, merkleProof, merkleRoot, verifyMerkleProof } from "../../../../consensus/merkle.ts";
import {
  checkShredShape,
  chunkSpan,
  decodeShred,
  encodeShred,
  fullProofPath,
  proofShape,
  SHRED_FIXED_BYTES,
  SHRED_MESSAGE_BYTES_MAX,
  shredSigningBytes,
  type Shred,
} from "../../../../node/wire/shred.ts";
import { merkleLevels, shredCount, shredMessage } from "../../../../node/wire/shredder.ts";
import { dataPlaneVectorCases } from "../../../vectors/data-plane-vector-cases.ts";
import { CHAIN_ID, keys, patternBytes, signer, verify } from "./wire-fixture.ts";

const golden = JSON.parse(readFileSync(new URL("../../../vectors/data-plane-codecs.json", import.meta.url), "utf8")) as Record<string, string>;

function decoded(payload: Uint8Array): Shred {
  const r = decodeShred(payload);
  if (!r.ok) throw new Error(r.detail);
  return r.value;
}

describe("shred format", () => {
  it("data-plane frames encode to the pinned bytes", () => {
    for (const [name, bytes] of Object.entries(dataPlaneVectorCases())) expect(toHex(bytes), name).toBe(golden[name]);
  });

  it("pinned shreds decode, have a valid shape, and re-encode identically", () => {
    const names = Object.keys(golden).filter((n) => n.startsWith("proposalShred"));
    expect(names.length).toBeGreaterThan(2);
    for (const name of names) {
      const s = decoded(fromHex(golden[name]!));
      expect(checkShredShape(s)).toBeNull();
      expect(toHex(encodeShred(s))).toBe(golden[name]);
    }
  });

  it("splits a message into chunks that cover it exactly, sizes differing by at most one", () => {
    for (const [total, count] of [[1, 1], [10, 4], [9, 6], [1000, 7], [65535, 65535]] as const) {
      let offset = 0;
      const lengths = new Set<number>();
      for (let i = 0; i < count; i++) {
        const span = chunkSpan(total, count, i);
        expect(span.offset).toBe(offset);
        offset += span.length;
        lengths.add(span.length);
      }
      expect(offset).toBe(total);
      expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1);
      expect(Math.min(...lengths)).toBeGreaterThan(0);
    }
  });

  it("predicts where merkle.ts leaves out a sibling", () => {
    for (const count of [1, 2, 3, 5, 6, 7, 13, 64, 100]) {
      const leaves = Array.from({ length: count }, (_, i) => merkleLeaf(new Uint8Array([i])));
      for (let i = 0; i < count; i++) {
        expect(proofShape(count, i), `${i}/${count}`).toEqual(merkleProof(leaves, i).map((h) => h !== null));
      }
    }
  });

  it("reports the shape problems a forged or cut shred has", () => {
    const [first] = shredMessage(patternBytes(5000, 1), { chainId: CHAIN_ID, view: 3, leaderIndex: 1, sign: signer(1) });
    const s = decoded(first!);
    expect(checkShredShape(s)).toBeNull();
    expect(checkShredShape({ ...s, parityCount: 1 })).toBe("WIRE_IGNORE_UNSUPPORTED_FEC");
    expect(checkShredShape({ ...s, fecSetIndex: 1 })).toBe("WIRE_IGNORE_UNSUPPORTED_FEC");
    expect(checkShredShape({ ...s, index: s.dataCount })).toBe("WIRE_REJECT_MALFORMED");
    expect(checkShredShape({ ...s, chunk: s.chunk.subarray(1) })).toBe("WIRE_REJECT_TRUNCATED");
    expect(checkShredShape({ ...s, chunk: new Uint8Array(s.chunk.length + 1) })).toBe("WIRE_REJECT_MALFORMED");
    expect(checkShredShape({ ...s, proof: s.proof.slice(1) })).toBe("WIRE_REJECT_MALFORMED");
    expect(checkShredShape({ ...s, totalBytes: SHRED_MESSAGE_BYTES_MAX + 1 })).toBe("WIRE_REJECT_TOO_LARGE");
    expect(checkShredShape({ ...s, dataCount: 0 })).toBe("WIRE_REJECT_MALFORMED");
  });

  it("refuses a proof deeper than 16 levels before reading it", () => {
    const [first] = shredMessage(patternBytes(100, 1), { chainId: CHAIN_ID, view: 3, leaderIndex: 1, sign: signer(1) });
    const bad = first!.slice();
    bad[SHRED_FIXED_BYTES - 64 - 1] = 17;
    expect(decodeShred(bad)).toMatchObject({ ok: false, code: "CODEC_ERROR_LENGTH_LIMIT" });
    expect(decodeShred(first!.subarray(0, 40))).toMatchObject({ ok: false, code: "CODEC_ERROR_TRUNCATED" });
  });
});

describe("shredder", () => {
  it("cuts a message into signed shreds within the payload limit whose chunks rebuild it", () => {
    const message = patternBytes(300_000, 7);
    for (const payloadMaxBytes of [1472, 1200, 700]) {
      const shreds = shredMessage(message, { chainId: CHAIN_ID, view: 42, leaderIndex: 3, sign: signer(3), payloadMaxBytes });
      expect(shreds.length).toBe(shredCount(message.length, payloadMaxBytes));
      const parts = shreds.map(decoded);
      const root = parts[0]!.root;
      expect(toHex(merkleRoot(parts.map((p) => p.chunk)))).toBe(toHex(root));
      const signed = shredSigningBytes(CHAIN_ID, 42, 3, root, message.length, shreds.length);
      expect(verify(keys[3]!.publicKey, signed, parts[0]!.signature)).toBe(true);
      let at = 0;
      for (const [i, p] of parts.entries()) {
        expect(shreds[i]!.length).toBeLessThanOrEqual(payloadMaxBytes);
        expect(p).toMatchObject({ index: i, dataCount: shreds.length, totalBytes: message.length, view: 42, leaderIndex: 3, chainId: CHAIN_ID });
        expect(checkShredShape(p)).toBeNull();
        expect(verifyMerkleProof(root, merkleLeaf(p.chunk), i, fullProofPath(p))).toBe(true);
        expect(toHex(p.chunk)).toBe(toHex(message.subarray(at, at + p.chunk.length)));
        at += p.chunk.length;
      }
      expect(at).toBe(message.length);
    }
  });

  it("uses few shreds: the largest fills the payload limit to within a proof hash", () => {
    const shreds = shredMessage(patternBytes(1_000_000, 2), { chainId: CHAIN_ID, view: 1, leaderIndex: 0, sign: signer(0) });
    const largest = Math.max(...shreds.map((s) => s.length));
    expect(largest).toBeLessThanOrEqual(1472);
    expect(largest).toBeGreaterThan(1472 - 32 - 2);
  });

  it("builds the same tree levels as merkle.ts", () => {
    for (const n of [1, 2, 3, 9, 33]) {
      const leaves = Array.from({ length: n }, (_, i) => merkleLeaf(patternBytes(10, i)));
      const levels = merkleLevels(leaves);
      expect(toHex(levels[levels.length - 1]![0]!)).toBe(toHex(merkleRoot(Array.from({ length: n }, (_, i) => patternBytes(10, i)))));
    }
  });

  it("refuses empty and oversized messages and payload limits too small for a header", () => {
    const opts = { chainId: CHAIN_ID, view: 1, leaderIndex: 0, sign: signer(0) };
    expect(() => shredMessage(new Uint8Array(0), opts)).toThrowError(/WIRE_ERROR_MESSAGE_TOO_LARGE/);
    expect(() => shredMessage(new Uint8Array(10), { ...opts, payloadMaxBytes: SHRED_FIXED_BYTES })).toThrowError(/WIRE_ERROR_PAYLOAD_LIMIT_TOO_SMALL/);
    expect(() => shredCount(100 * 1024 * 1024, 1472)).toThrowError(/WIRE_ERROR_MESSAGE_TOO_LARGE/);
    expect(shredCount(SHRED_MESSAGE_BYTES_MAX, 1472)).toBeLessThanOrEqual(0xffff);
  });
});
