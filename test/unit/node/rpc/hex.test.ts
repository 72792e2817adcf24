// Hex quantities and data as the Ethereum JSON-RPC spec writes them: strict parsing (go-ethereum's rules) and
// canonical formatting, plus a property: parse(format(x)) is x.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatAddress,
  formatData,
  formatQuantity,
  parseAddressParam,
  parseData,
  parseHash,
  parseQuantity,
  parseSmallQuantity,
} from "../../../../node/rpc/hex.ts";

describe("quantities", () => {
  it("formats without leading zeros", () => {
    expect(formatQuantity(0n)).toBe("0x0");
    expect(formatQuantity(255)).toBe("0xff");
    expect(formatQuantity(2n ** 256n - 1n)).toBe(`0x${"f".repeat(64)}`);
    expect(() => formatQuantity(-1n)).toThrow(RangeError);
  });

  it("accepts canonical hex in either case", () => {
    expect(parseQuantity("0x0")).toEqual({ ok: true, value: 0n });
    expect(parseQuantity("0xAbC")).toEqual({ ok: true, value: 0xabcn });
  });

  it.each([
    ["0x", "empty hex string"],
    ["0x01", "leading zero"],
    ["0x00", "leading zero"],
    ["12", "0x-prefixed"],
    ["0xg1", "0x-prefixed"],
    ["-0x1", "0x-prefixed"],
    [`0x1${"0".repeat(64)}`, "at most 64"],
  ])("refuses %s", (text, reason) => {
    const r = parseQuantity(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });

  it("refuses non-strings", () => {
    for (const v of [1, null, undefined, {}, [], true, 10n]) expect(parseQuantity(v).ok).toBe(false);
  });

  it("bounds small quantities to safe integers", () => {
    expect(parseSmallQuantity("0x1fffffffffffff")).toEqual({ ok: true, value: Number.MAX_SAFE_INTEGER });
    expect(parseSmallQuantity("0x20000000000000").ok).toBe(false);
    expect(parseSmallQuantity(`0x${"f".repeat(40)}`).ok).toBe(false);
  });

  it("round-trips any uint256", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), (v) => {
        const r = parseQuantity(formatQuantity(v));
        return r.ok && r.value === v;
      }),
    );
  });
});

describe("data, hashes and addresses", () => {
  it("parses even-length hex and checks lengths before decoding", () => {
    expect(parseData("0x")).toEqual({ ok: true, value: new Uint8Array(0) });
    expect(parseData("0x00ff")).toEqual({ ok: true, value: Uint8Array.of(0, 255) });
    expect(parseData("0x0").ok).toBe(false);
    expect(parseData("00ff").ok).toBe(false);
    expect(parseData("0xzz").ok).toBe(false);
    expect(parseData("0x0102", { maxBytes: 1 }).ok).toBe(false);
    expect(parseHash(`0x${"ab".repeat(31)}`).ok).toBe(false);
    expect(parseHash(`0x${"ab".repeat(32)}`).ok).toBe(true);
  });

  it("round-trips arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        const r = parseData(formatData(b));
        return r.ok && Buffer.from(r.value).equals(Buffer.from(b));
      }),
    );
  });

  it("prints addresses in lowercase and checks EIP-55 on mixed-case input", () => {
    const checksummed = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
    const parsed = parseAddressParam(checksummed);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(formatAddress(parsed.value)).toBe(checksummed.toLowerCase());
    expect(parseAddressParam(checksummed.toLowerCase()).ok).toBe(true);
    expect(parseAddressParam("0xF39fd6e51aad88F6F4ce6aB8827279cffFb92266").ok).toBe(false);
    expect(parseAddressParam("0x1234").ok).toBe(false);
    expect(parseAddressParam(42).ok).toBe(false);
    expect(() => formatAddress(new Uint8Array(19))).toThrow(RangeError);
  });
});
