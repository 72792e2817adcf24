// Sender recovery for Ethereum transactions. Recovery is injected (RecoverSigner) so node/ can pass the native
// libsecp256k1 binding; nobleRecoverSigner is the pure reference. Signature ranges follow the Yellow Paper and
// EIP-2: 0 < r < n, 0 < s <= n/2 (high s is refused before any recovery runs, so every recoverer agrees).

import { secp256k1 } from "@noble/curves/secp256k1.js";
import { fastKeccak256 } from "../crypto/keccak256.ts";
import type { Address } from "../types.ts";

/**
 * Recovers the signer's address from a 32-byte message hash, r and s (32 bytes big-endian each) and the
 * recovery bit; null when no public key recovers. Deterministic, never throws.
 */
export type RecoverSigner = (msgHash32: Uint8Array, r: Uint8Array, s: Uint8Array, recoveryBit: 0 | 1) => Address | null;

/** The order n of secp256k1's group, and n/2 (EIP-2 upper bound for s), as 32-byte big-endian words. */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const N_BYTES = wordOf(SECP256K1_N);
const HALF_N_BYTES = wordOf(SECP256K1_N >> 1n);

function wordOf(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Big-endian comparison of two 32-byte words. */
function compareWords(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

function isZeroWord(a: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) if (a[i] !== 0) return false;
  return true;
}

export type SignatureRangeCheck = "ok" | "invalid" | "high-s";

/** Yellow Paper range for r and s, plus EIP-2's low-s rule. */
export function checkSignatureRange(r: Uint8Array, s: Uint8Array): SignatureRangeCheck {
  if (r.length !== 32 || s.length !== 32) return "invalid";
  if (isZeroWord(r) || isZeroWord(s) || compareWords(r, N_BYTES) >= 0) return "invalid";
  if (compareWords(s, HALF_N_BYTES) > 0) return "high-s";
  return "ok";
}

/** The Ethereum address of an uncompressed secp256k1 public key (65 bytes with the 0x04 prefix, or 64 without). */
export function addressFromPublicKey(publicKey: Uint8Array): Address {
  const xy = publicKey.length === 65 ? publicKey.subarray(1) : publicKey;
  if (xy.length !== 64) throw new RangeError(`uncompressed public key expected, got ${publicKey.length} bytes`);
  return fastKeccak256(xy).slice(12);
}

/** Pure JavaScript recovery (@noble/curves). Slow (~500/s here): the reference and the fallback. */
export const nobleRecoverSigner: RecoverSigner = (msgHash32, r, s, recoveryBit) => {
  if (msgHash32.length !== 32 || checkSignatureRange(r, s) !== "ok") return null;
  try {
    const compact = new Uint8Array(64);
    compact.set(r);
    compact.set(s, 32);
    const sig = secp256k1.Signature.fromBytes(compact, "compact").addRecoveryBit(recoveryBit);
    return addressFromPublicKey(sig.recoverPublicKey(msgHash32).toBytes(false));
  } catch {
    return null;
  }
};
