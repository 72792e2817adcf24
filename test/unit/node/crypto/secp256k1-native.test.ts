// The native libsecp256k1 recoverer must return exactly what the noble reference returns, for valid,
// mutated and out-of-range signatures (high s refused before the native call).
import { describe, expect, it } from "vitest";
import { decodeTransaction } from "../../../../consensus/execution/transaction-codec.ts";
import { SECP256K1_N, nobleRecoverSigner } from "../../../../consensus/execution/recover-signer.ts";
import { createNativeRecoverSigner, isNativeSecp256k1Available } from "../../../../node/crypto/secp256k1-native.ts";
import { accountAddress, transferTx } from "../../../support/execution-fixtures.ts";
import { toHex } from "../../../../consensus/crypto/hash.ts";

describe("native secp256k1 recovery", () => {
  it("loads the native addon", () => expect(isNativeSecp256k1Available()).toBe(true));

  const native = createNativeRecoverSigner();
  const samples = Array.from({ length: 24 }, (_, i) => {
    const d = decodeTransaction(transferTx(1 + (i % 6), accountAddress(40), BigInt(i), { nonce: BigInt(i) }));
    if (!d.ok) throw new Error(d.detail);
    return { ...d.value, sender: accountAddress(1 + (i % 6)) };
  });

  it("agrees with noble on valid signatures", () => {
    for (const s of samples) {
      const a = native(s.signingHash, s.tx.r, s.tx.s, s.tx.yParity);
      expect(toHex(a!)).toBe(toHex(s.sender));
      expect(toHex(nobleRecoverSigner(s.signingHash, s.tx.r, s.tx.s, s.tx.yParity)!)).toBe(toHex(a!));
    }
  });

  it("agrees with noble on mutated signatures and flipped recovery bits", () => {
    for (const s of samples.slice(0, 8)) {
      const r = s.tx.r.slice();
      r[5]! ^= 0x40;
      const flip = (1 - s.tx.yParity) as 0 | 1;
      for (const [rr, bit] of [[r, s.tx.yParity], [s.tx.r, flip]] as const) {
        const n = native(s.signingHash, rr, s.tx.s, bit);
        const j = nobleRecoverSigner(s.signingHash, rr, s.tx.s, bit);
        expect(n === null ? null : toHex(n)).toBe(j === null ? null : toHex(j));
        if (n) expect(toHex(n)).not.toBe(toHex(s.sender));
      }
    }
  });

  it("refuses high s, zero and out-of-range values like the reference", () => {
    const s0 = samples[0]!;
    let s = 0n;
    for (const b of s0.tx.s) s = (s << 8n) | BigInt(b);
    const hi = Uint8Array.from({ length: 32 }, (_, i) => Number(((SECP256K1_N - s) >> BigInt(8 * (31 - i))) & 0xffn));
    expect(native(s0.signingHash, s0.tx.r, hi, (1 - s0.tx.yParity) as 0 | 1)).toBeNull();
    expect(native(s0.signingHash, new Uint8Array(32), s0.tx.s, 0)).toBeNull();
    expect(native(s0.signingHash, new Uint8Array(32).fill(0xff), s0.tx.s, 0)).toBeNull();
    expect(native(s0.signingHash.subarray(1), s0.tx.r, s0.tx.s, 0)).toBeNull();
  });
});
