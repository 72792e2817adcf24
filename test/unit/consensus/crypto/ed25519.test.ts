// The ed25519 rule is strict RFC 8032 (zip215: false), chosen explicitly; validator keys of small order are
// refused at entry. Vectors: RFC 8032 section 7.1 test 1 and 2, plus constructed edge cases.
import { describe, expect, it } from "vitest";
import { ed25519 } from "@noble/curves/ed25519.js";
import { isValidValidatorKey, nobleVerify, publicKeyFromSecret, signEd25519 } from "../../../../consensus/crypto/ed25519.ts";
import { fromHex, toHex } from "../../../../consensus/crypto/hash.ts";

const RFC8032 = [
  {
    secret: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
    publicKey: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    message: "",
    signature:
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
  },
  {
    secret: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
    publicKey: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
    message: "72",
    signature:
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
  },
];

const L = 2n ** 252n + 27742317777372353535851937790883648493n;

describe("ed25519 (strict RFC 8032)", () => {
  for (const [i, v] of RFC8032.entries()) {
    it(`matches RFC 8032 test ${i + 1}`, () => {
      const sk = fromHex(v.secret);
      expect(toHex(publicKeyFromSecret(sk))).toBe(v.publicKey);
      expect(toHex(signEd25519(sk, fromHex(v.message)))).toBe(v.signature);
      expect(nobleVerify(fromHex(v.publicKey), fromHex(v.message), fromHex(v.signature))).toBe(true);
    });
  }

  it("rejects a non-canonical S (S + L), which ZIP-215 would also reject, and a flipped bit", () => {
    const v = RFC8032[1]!;
    const sig = fromHex(v.signature);
    let s = 0n;
    for (let k = 31; k >= 0; k--) s = (s << 8n) | BigInt(sig[32 + k]!);
    let sPlusL = s + L;
    const mall = sig.slice();
    for (let k = 0; k < 32; k++) {
      mall[32 + k] = Number(sPlusL & 0xffn);
      sPlusL >>= 8n;
    }
    expect(nobleVerify(fromHex(v.publicKey), fromHex(v.message), mall)).toBe(false);
    const flipped = sig.slice();
    flipped[5]! ^= 1;
    expect(nobleVerify(fromHex(v.publicKey), fromHex(v.message), flipped)).toBe(false);
  });

  it("never throws on garbage", () => {
    expect(nobleVerify(new Uint8Array(31), new Uint8Array(), new Uint8Array(64))).toBe(false);
    expect(nobleVerify(new Uint8Array(32).fill(0xff), new Uint8Array(), new Uint8Array(64).fill(0xff))).toBe(false);
  });

  it("refuses small-order and non-canonical validator keys", () => {
    const identity = new Uint8Array(32);
    identity[0] = 1; // the neutral point (0, 1): order 1
    expect(isValidValidatorKey(identity)).toBe(false);
    const eightTorsion = ed25519.Point.fromBytes(fromHex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa"), true);
    expect(eightTorsion.isSmallOrder()).toBe(true);
    expect(isValidValidatorKey(eightTorsion.toBytes())).toBe(false);
    const nonCanonicalY = new Uint8Array(32).fill(0xff);
    nonCanonicalY[31] = 0x7f; // y = 2^255 - 1 >= p
    expect(isValidValidatorKey(nonCanonicalY)).toBe(false);
    expect(isValidValidatorKey(fromHex(RFC8032[0]!.publicKey))).toBe(true);
  });
});
