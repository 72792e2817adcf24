// Strict RLP: the canonical-encoding rules that make one value have one encoding.
import { describe, expect, it } from "vitest";
import { decodeWith } from "../../../../consensus/codec/codec-error.ts";
import { fromHex, toHex } from "../../../../consensus/crypto/hash.ts";
import { bigintToMinimalBytes, bytesToBigint, decodeRlp, encodeRlp } from "../../../../consensus/execution/rlp.ts";

const LIMITS = { maxDepth: 4, maxItems: 64 };
const decode = (hex: string) => decodeWith(() => decodeRlp(fromHex(hex), LIMITS));
const codeOf = (hex: string) => {
  const r = decode(hex);
  return r.ok ? "ok" : r.code;
};

describe("rlp", () => {
  it("encodes the Yellow Paper examples", () => {
    const enc = (s: string) => toHex(encodeRlp(new TextEncoder().encode(s)));
    expect(enc("dog")).toBe("83646f67");
    expect(toHex(encodeRlp([new TextEncoder().encode("cat"), new TextEncoder().encode("dog")]))).toBe("c88363617483646f67");
    expect(enc("")).toBe("80");
    expect(toHex(encodeRlp([]))).toBe("c0");
    expect(toHex(encodeRlp(Uint8Array.of(0x0f)))).toBe("0f");
    expect(toHex(encodeRlp(fromHex("0400")))).toBe("820400");
    expect(toHex(encodeRlp([[], [[]], [[], [[]]]]))).toBe("c7c0c1c0c3c0c1c0");
    expect(enc("Lorem ipsum dolor sit amet, consectetur adipisicing elit")).toMatch(/^b838/);
  });

  it("decodes and keeps spans", () => {
    const r = decode("c88363617483646f67");
    expect(r.ok).toBe(true);
    if (r.ok && r.value.kind === "list") {
      expect(r.value.items.map((i) => [i.start, i.end])).toEqual([[1, 5], [5, 9]]);
    }
  });

  it("rejects a single byte below 0x80 wrapped as a string", () => expect(codeOf("8105")).toBe("CODEC_ERROR_NON_CANONICAL"));
  it("accepts 0x81 0x80", () => expect(codeOf("8180")).toBe("ok"));
  it("rejects the long form for short strings", () => expect(codeOf("b80161")).toBe("CODEC_ERROR_NON_CANONICAL"));
  it("rejects a length with a leading zero", () => expect(codeOf("b9003861")).toBe("CODEC_ERROR_NON_CANONICAL"));
  it("rejects the long form for short lists", () => expect(codeOf("f80180")).toBe("CODEC_ERROR_NON_CANONICAL"));
  it("rejects trailing bytes", () => expect(codeOf("8000")).toBe("CODEC_ERROR_TRAILING_BYTES"));
  it("rejects truncation", () => {
    expect(codeOf("83646f")).toBe("CODEC_ERROR_TRUNCATED");
    expect(codeOf("c883636174")).toBe("CODEC_ERROR_TRUNCATED");
    expect(codeOf("")).toBe("CODEC_ERROR_TRUNCATED");
  });
  it("rejects a list item that overruns its list", () => expect(codeOf("c2830102")).toBe("CODEC_ERROR_TRUNCATED"));
  it("limits nesting and item count", () => {
    expect(codeOf("c4c3c2c1c0")).toBe("CODEC_ERROR_LENGTH_LIMIT");
    expect(codeOf("c3c2c1c0")).toBe("ok");
    expect(codeOf("f841" + "80".repeat(65))).toBe("CODEC_ERROR_LENGTH_LIMIT");
  });
  it("rejects lengths beyond four bytes before reading them", () => expect(codeOf("bc0100000000")).toBe("CODEC_ERROR_LENGTH_LIMIT"));

  it("converts integers minimally", () => {
    expect(toHex(bigintToMinimalBytes(0n))).toBe("");
    expect(toHex(bigintToMinimalBytes(255n))).toBe("ff");
    expect(toHex(bigintToMinimalBytes(256n))).toBe("0100");
    const big = 2n ** 255n + 12345678901234567890n;
    expect(bytesToBigint(bigintToMinimalBytes(big))).toBe(big);
    expect(bytesToBigint(fromHex("0102030405060708090a0b0c0d"))).toBe(0x0102030405060708090a0b0c0dn);
  });
});
