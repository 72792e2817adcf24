// node:crypto (OpenSSL) and the noble reference must agree on everything consensus accepts or refuses:
// valid signatures, mutated ones, non-canonical S (S + L), non-canonical and small-order keys.
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { isValidValidatorKey, nobleVerify, signEd25519 } from "../../../../consensus/crypto/ed25519.ts";
import { fromHex } from "../../../../consensus/crypto/hash.ts";
import { createNodeEd25519Verify } from "../../../../node/crypto/ed25519-node.ts";
import { testKey } from "../../../support/fixtures.ts";

const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const nodeVerify = createNodeEd25519Verify();

const leToBig = (b: Uint8Array) => b.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);
const bigToLe = (v: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));

const SMALL_ORDER = [
  "0100000000000000000000000000000000000000000000000000000000000000",
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "0000000000000000000000000000000000000000000000000000000000000000",
  "0000000000000000000000000000000000000000000000000000000000000080",
  "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
  "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
  "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
  "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
].map(fromHex);

function both(pk: Uint8Array, msg: Uint8Array, sig: Uint8Array): [boolean, boolean] {
  return [nobleVerify(pk, msg, sig), nodeVerify(pk, msg, sig)];
}

describe("node:crypto ed25519 agrees with the noble reference", () => {
  it("valid signatures verify under both", () => {
    for (let i = 1; i <= 8; i++) {
      const { secretKey, publicKey } = testKey(i);
      const msg = new TextEncoder().encode(`message ${i}`.repeat(i));
      expect(both(publicKey, msg, signEd25519(secretKey, msg))).toEqual([true, true]);
    }
  });

  it("mutated signatures, messages and keys fail under both", () => {
    const { secretKey, publicKey } = testKey(1);
    const msg = new TextEncoder().encode("vote");
    const sig = signEd25519(secretKey, msg);
    for (const byte of [0, 17, 31, 32, 50, 63]) {
      const bad = sig.slice();
      bad[byte]! ^= 0x01;
      expect(both(publicKey, msg, bad), `byte ${byte}`).toEqual([false, false]);
    }
    expect(both(publicKey, new TextEncoder().encode("votf"), sig)).toEqual([false, false]);
    expect(both(testKey(2).publicKey, msg, sig)).toEqual([false, false]);
    expect(both(publicKey, msg, sig.subarray(0, 63))).toEqual([false, false]);
  });

  it("non-canonical S (S + L) fails under both", () => {
    const { secretKey, publicKey } = testKey(3);
    const msg = new TextEncoder().encode("malleable?");
    const sig = signEd25519(secretKey, msg);
    const s = leToBig(sig.subarray(32));
    const malleated = new Uint8Array(64);
    malleated.set(sig.subarray(0, 32));
    malleated.set(bigToLe(s + L), 32);
    expect(s + L < 2n ** 256n).toBe(true);
    expect(both(publicKey, msg, malleated)).toEqual([false, false]);
  });

  it("small-order keys are refused as validator keys and fail verification under both", () => {
    const msg = new TextEncoder().encode("any");
    for (const pk of SMALL_ORDER) {
      expect(ed25519.Point.fromBytes(pk, true).isSmallOrder()).toBe(true);
      expect(isValidValidatorKey(pk)).toBe(false);
      // With A and R of small order and S = 0, the cofactored equation holds for every message.
      const sig = new Uint8Array(64);
      sig.set(SMALL_ORDER[0]!);
      expect(both(pk, msg, sig)).toEqual([false, false]);
    }
  });

  it("a non-canonical key encoding (y >= p) is refused by both", () => {
    const nonCanonical = fromHex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"); // y = p
    expect(isValidValidatorKey(nonCanonical)).toBe(false);
    expect(both(nonCanonical, new Uint8Array(1), new Uint8Array(64))).toEqual([false, false]);
  });

  // A signer can add a small-order point T to R and sign over R + T. A cofactored check would accept it, the
  // cofactorless one refuses it. The network uses one rule (cofactorless, consensus/crypto/ed25519.ts), so both
  // verifiers must refuse it; a cofactored reference would fail this test.
  it("torsioned R: refused by node:crypto and by the reference alike", () => {
    const seed = testKey(4).secretKey;
    const h = sha512(seed);
    const head = h.slice(0, 32);
    head[0]! &= 248;
    head[31]! &= 127;
    head[31]! |= 64;
    const a = leToBig(head) % L;
    const A = ed25519.Point.BASE.multiply(a);
    const r = 123456789n;
    const T = ed25519.Point.fromBytes(SMALL_ORDER[4]!, true);
    const Rt = ed25519.Point.BASE.multiply(r).add(T).toBytes();
    const msg = new TextEncoder().encode("torsion");
    const k = leToBig(sha512(Uint8Array.from([...Rt, ...A.toBytes(), ...msg]))) % L;
    const S = (r + k * a) % L;
    const sig = Uint8Array.from([...Rt, ...bigToLe(S)]);
    expect(nodeVerify(A.toBytes(), msg, sig)).toBe(false);
    expect(nobleVerify(A.toBytes(), msg, sig)).toBe(false);
    // The cofactored equation does hold for it, so this case really separates the two rules.
    expect(ed25519.verify(sig, msg, A.toBytes(), { zip215: false })).toBe(true);
  });
});
