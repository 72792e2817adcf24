// ed25519 validator keys. Verification rule, one for the whole network: strict RFC 8032 encodings (canonical A,
// S < L) and the cofactorless equation encode([S]B - [k]A) == R, byte for byte. That is the check OpenSSL (and so
// node:crypto, the node's hot path) performs; the cofactored form would accept R plus a small-order point and the
// two verifiers would then disagree on a block's evidence. Validator keys must also not be of small order.
// Verification is injected (Ed25519Verify) so node/ can pass node:crypto or native code on the hot path.

import { ed25519 } from "@noble/curves/ed25519.js";
import { sha512 } from "@noble/hashes/sha2.js";

export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;
export const ED25519_SECRET_KEY_BYTES = 32;

/** Returns true only for a valid strict RFC 8032 signature. Must be deterministic and never throw. */
export type Ed25519Verify = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

/** Order of the prime-order subgroup. */
const GROUP_ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;

function littleEndianToBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

/**
 * The reference verifier: pure JavaScript (noble point arithmetic), strict and cofactorless as described above.
 * Slow (~12x node:crypto here); tests and simulations use it, the node passes node:crypto.
 */
export const nobleVerify: Ed25519Verify = (publicKey, message, signature) => {
  if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES || signature.length !== ED25519_SIGNATURE_BYTES) return false;
  try {
    const s = littleEndianToBigInt(signature.subarray(32));
    if (s >= GROUP_ORDER) return false;
    const a = ed25519.Point.fromBytes(publicKey, false);
    if (a.isSmallOrder()) return false; // such a key satisfies the equation for many messages
    const r = signature.subarray(0, 32);
    const hashInput = new Uint8Array(64 + message.length);
    hashInput.set(r);
    hashInput.set(publicKey, 32);
    hashInput.set(message, 64);
    const k = littleEndianToBigInt(sha512(hashInput)) % GROUP_ORDER;
    const sB = s === 0n ? ed25519.Point.ZERO : ed25519.Point.BASE.multiply(s);
    const kA = k === 0n ? ed25519.Point.ZERO : a.multiplyUnsafe(k);
    const expected = sB.subtract(kA).toBytes();
    for (let i = 0; i < 32; i++) if (expected[i] !== r[i]) return false;
    return true;
  } catch {
    return false;
  }
};

export function publicKeyFromSecret(secretKey: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(secretKey);
}

export function signEd25519(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, secretKey);
}

/**
 * A key may join the validator set only if it decodes canonically and is not of small order: a small-order
 * key would let one signature verify for many messages, and is where verification rules disagree.
 */
export function isValidValidatorKey(publicKey: Uint8Array): boolean {
  if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES) return false;
  try {
    const point = ed25519.Point.fromBytes(publicKey, false);
    return !point.isSmallOrder();
  } catch {
    return false;
  }
}

/** A deterministic key pair from a 32-byte seed (tests, simulation, devnet generation). */
export function keyPairFromSeed(seed: Uint8Array): { secretKey: Uint8Array; publicKey: Uint8Array } {
  if (seed.length !== ED25519_SECRET_KEY_BYTES) throw new RangeError("ed25519 seed must be 32 bytes");
  return { secretKey: seed.slice(), publicKey: ed25519.getPublicKey(seed) };
}
