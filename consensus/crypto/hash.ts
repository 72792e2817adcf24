// Hash functions used by consensus: sha256 for consensus objects and Merkle trees, keccak256 for
// Ethereum-compatible transactions and addresses. Every signed or hashed consensus object goes through
// domainHash so that bytes of one kind can never be taken for another.

import { keccak_256 } from "@noble/hashes/sha3.js";
import { hexToBytes as nobleHexToBytes } from "@noble/hashes/utils.js";
import type { Domain } from "./domains.ts";
import { domainTag } from "./domains.ts";
import { fastSha256, sha256Parts } from "./sha256-fast.ts";

export const HASH_BYTES = 32;

/** SHA-256 (sha256-fast.ts: same output as @noble/hashes, about twice as fast on short inputs). */
export function sha256(data: Uint8Array): Uint8Array {
  return fastSha256(data);
}

export function keccak256(data: Uint8Array): Uint8Array {
  return keccak_256(data);
}

/** sha256(tag(domain) || body): the hash of a consensus object of one kind. */
export function domainHash(domain: Domain, body: Uint8Array): Uint8Array {
  return sha256Parts([domainTag(domain), body]);
}

export const ZERO_HASH: Uint8Array = new Uint8Array(HASH_BYTES);

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lexicographic byte order, for canonical sorting. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

const HEX_DIGITS = new TextEncoder().encode("0123456789abcdef");
const HEX_SCRATCH = new Uint8Array(128);
const asciiDecoder = new TextDecoder();

/**
 * Lowercase hex without 0x. Built as one flat string: hex keys live in many long-lived maps, and a string grown
 * by `+=` stays a rope of one piece per byte (about 1 KB for a 32-byte hash instead of ~80 bytes).
 */
export function toHex(bytes: Uint8Array): string {
  const out = bytes.length * 2 <= HEX_SCRATCH.length ? HEX_SCRATCH.subarray(0, bytes.length * 2) : new Uint8Array(bytes.length * 2);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    out[2 * i] = HEX_DIGITS[b >> 4]!;
    out[2 * i + 1] = HEX_DIGITS[b & 15]!;
  }
  return asciiDecoder.decode(out);
}

/** Parses hex with or without 0x; throws RangeError on anything else (callers validating input catch it). */
export function fromHex(hex: string): Uint8Array {
  const s = hex.startsWith("0x") ? hex.slice(2) : hex;
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) throw new RangeError(`not a hex string: ${hex.slice(0, 20)}`);
  return nobleHexToBytes(s.toLowerCase());
}
