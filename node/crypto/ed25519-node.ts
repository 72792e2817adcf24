// ed25519 verification through node:crypto (OpenSSL), the hot-path verifier node/ injects into consensus.
// Same strict rule as consensus/crypto/ed25519.ts: a key must be a canonical encoding that is not of small
// order (checked once, then its KeyObject is cached), S must be below the group order L (checked here, not
// left to the OpenSSL version). OpenSSL's equation is cofactorless: see the note in the test about torsion.

import { type KeyObject, createPublicKey, verify } from "node:crypto";
import { ED25519_PUBLIC_KEY_BYTES, ED25519_SIGNATURE_BYTES, type Ed25519Verify, isValidValidatorKey } from "../../consensus/crypto/ed25519.ts";

/** RFC 8032's L, little-endian as S is encoded. */
const L_LE = (() => {
  const out = new Uint8Array(32);
  let v = 2n ** 252n + 27742317777372353535851937790883648493n;
  for (let i = 0; i < 32; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
})();

/** DER SubjectPublicKeyInfo prefix for an Ed25519 key (RFC 8410). */
const SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

export const KEY_CACHE_ENTRIES_MAX = 4096;

function isCanonicalScalar(signature: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    const s = signature[32 + i]!;
    if (s !== L_LE[i]!) return s < L_LE[i]!;
  }
  return false; // S == L
}

/** A verifier with its own bounded KeyObject cache (validator keys repeat; invalid keys are cached as null). */
export function createNodeEd25519Verify(): Ed25519Verify {
  const keys = new Map<string, KeyObject | null>();
  const keyObject = (publicKey: Uint8Array): KeyObject | null => {
    const hex = Buffer.from(publicKey).toString("hex");
    let k = keys.get(hex);
    if (k === undefined) {
      k = isValidValidatorKey(publicKey) ? createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: "der", type: "spki" }) : null;
      if (keys.size >= KEY_CACHE_ENTRIES_MAX) keys.delete(keys.keys().next().value!);
      keys.set(hex, k);
    }
    return k;
  };
  return (publicKey, message, signature) => {
    if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES || signature.length !== ED25519_SIGNATURE_BYTES) return false;
    if (!isCanonicalScalar(signature)) return false;
    const key = keyObject(publicKey);
    if (key === null) return false;
    try {
      return verify(null, message, key, signature);
    } catch {
      return false;
    }
  };
}
