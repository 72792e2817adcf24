// The lane system call codec (consensus/lane/lane-call.ts): every op round trips with its exact bytes and
// length; wrong lengths, unknown ops and trailing bytes decode to coded errors, never throws.
import { describe, expect, it } from "vitest";
import { toHex } from "../../../../consensus/crypto/hash.ts";
import {
  decodeLaneCall,
  encodeLaneCall,
  isLaneAddress,
  LANE_ADDRESS,
  LANE_CALL_BYTES,
  LaneOp,
  WEI_PER_QUOTE,
  type LaneCall,
} from "../../../../consensus/lane/lane-call.ts";

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const KEY_HEX = toHex(KEY);

function decodeCode(bytes: Uint8Array): string {
  const r = decodeLaneCall(bytes);
  return r.ok ? "ok" : r.code;
}

describe("lane call constants", () => {
  it("pins the system address, the wei per quote unit and the sizes", () => {
    expect(toHex(LANE_ADDRESS)).toBe("0000000000000000000000000000000000000200");
    expect(isLaneAddress(Uint8Array.from(LANE_ADDRESS))).toBe(true);
    const other = Uint8Array.from(LANE_ADDRESS);
    other[18] = 0x01; // 0x...0100 is the staking address, not the lane
    expect(isLaneAddress(other)).toBe(false);
    expect(WEI_PER_QUOTE).toBe(1_000_000_000_000n);
    expect(LANE_CALL_BYTES).toEqual({ 1: 33, 2: 33, 3: 1, 4: 33 });
  });
});

describe("encodeLaneCall / decodeLaneCall", () => {
  const cases: { name: string; call: LaneCall; hex: string }[] = [
    { name: "register key", call: { op: LaneOp.RegisterKey, tradingKey: KEY }, hex: `01${KEY_HEX}` },
    { name: "revoke key", call: { op: LaneOp.RevokeKey, tradingKey: KEY }, hex: `02${KEY_HEX}` },
    { name: "deposit", call: { op: LaneOp.Deposit }, hex: "03" },
    { name: "withdraw", call: { op: LaneOp.Withdraw, amountQuote: 0x0102_0304n }, hex: `04${"00".repeat(28)}01020304` },
    { name: "withdraw of 2^256-1", call: { op: LaneOp.Withdraw, amountQuote: 2n ** 256n - 1n }, hex: `04${"ff".repeat(32)}` },
  ];

  for (const c of cases) {
    it(`${c.name}: exact bytes and round trip`, () => {
      const bytes = encodeLaneCall(c.call);
      expect(toHex(bytes)).toBe(c.hex);
      expect(bytes.length).toBe(LANE_CALL_BYTES[c.call.op]);
      const back = decodeLaneCall(bytes);
      expect(back).toEqual({ ok: true, value: c.call });
    });
  }

  it("refuses a key op with a short or long key", () => {
    for (const op of [LaneOp.RegisterKey, LaneOp.RevokeKey]) {
      const full = encodeLaneCall({ op, tradingKey: KEY });
      expect(decodeCode(full.subarray(0, 32))).toBe("CODEC_ERROR_BAD_VALUE"); // 31-byte key
      expect(decodeCode(Uint8Array.of(op))).toBe("CODEC_ERROR_BAD_VALUE");
      const r = decodeLaneCall(Uint8Array.of(...full, 0));
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.code).toBe("CODEC_ERROR_BAD_VALUE");
        expect(r.offset).toBe(0);
        expect(r.detail).toContain(`lane op ${op} takes 33 bytes, got 34`);
      }
    }
  });

  it("refuses a deposit carrying any data after the op", () => {
    expect(decodeCode(Uint8Array.of(LaneOp.Deposit, 0))).toBe("CODEC_ERROR_BAD_VALUE");
    expect(decodeCode(Uint8Array.of(LaneOp.Deposit, ...new Uint8Array(32)))).toBe("CODEC_ERROR_BAD_VALUE");
  });

  it("refuses a withdraw with a truncated or extended amount", () => {
    const full = encodeLaneCall({ op: LaneOp.Withdraw, amountQuote: 5n });
    expect(decodeCode(full.subarray(0, 32))).toBe("CODEC_ERROR_BAD_VALUE");
    expect(decodeCode(Uint8Array.of(LaneOp.Withdraw))).toBe("CODEC_ERROR_BAD_VALUE");
    expect(decodeCode(Uint8Array.of(...full, 0xff))).toBe("CODEC_ERROR_BAD_VALUE");
  });

  it("refuses unknown ops and empty data with coded errors", () => {
    for (const op of [0, 5, 0x7f, 0xff]) {
      const r = decodeLaneCall(Uint8Array.of(op, ...new Uint8Array(32)));
      expect(r.ok ? "ok" : [r.code, r.offset]).toEqual(["CODEC_ERROR_BAD_TAG", 0]);
    }
    const empty = decodeLaneCall(new Uint8Array(0));
    expect(empty.ok ? "ok" : [empty.code, empty.offset]).toEqual(["CODEC_ERROR_TRUNCATED", 0]);
  });

  it("returns a result, never throws, for every op byte at every length up to 40", () => {
    for (let op = 0; op < 256; op++) {
      for (let len = 1; len <= 40; len++) {
        const bytes = new Uint8Array(len).fill(0xab);
        bytes[0] = op;
        const r = decodeLaneCall(bytes);
        const valid = (op === 1 || op === 2 || op === 4) ? len === 33 : op === 3 && len === 1;
        expect(r.ok).toBe(valid);
      }
    }
  });
});
