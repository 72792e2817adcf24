// ed25519 validator keys. Verification rule: strict RFC 8032 (noble's zip215: false): canonical encodings of
// A and R, S < L. Validator keys are also checked for small order when they enter the validator set, so the
// cofactored (noble) and cofactorless (OpenSSL via node:crypto) equations agree on every key we accept.
// Verification is injected (Ed25519Verify) so node/ can pass node:crypto or native code on the hot path.

import { ed25519 } from "@noble/curves/ed25519.js";

export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;
export const ED25519_SECRET_KEY_BYTES = 32;

/** Returns true only for a valid strict RFC 8032 signature. Must be deterministic and never throw. */
export type Ed25519Verify = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

/** The reference verifier: pure JavaScript, strict rule chosen explicitly. Slow (~12x node:crypto here). */
export const nobleVerify: Ed25519Verify = (publicKey, message, signature) => {
  if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES || signature.length !== ED25519_SIGNATURE_BYTES) return false;
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
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
