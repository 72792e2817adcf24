// Replay protection per trading key: a sliding window of the 64 nonces at and below the highest accepted one.
// A nonce is accepted once; nonces more than 63 below the highest are too old. Clients may send out of order
// (to several validators, over lossy paths) within the window. A pure value: 16 bytes per key, whatever a peer sends.

import { ByteReader } from "../codec/byte-reader.ts";
import { ByteWriter } from "../codec/byte-writer.ts";
import { CodecError, type DecodeResult, decodeWith } from "../codec/codec-error.ts";

export const NONCE_WINDOW_BITS = 64;
const WINDOW_MASK = (1n << 64n) - 1n;
const U64_MAX = (1n << 64n) - 1n;

/**
 * `highest` is the largest accepted nonce; bit i of `seen` is set when nonce highest - i was accepted.
 * `seen === 0n` means no nonce was ever accepted (then `highest` is 0).
 */
export interface NonceWindow {
  readonly highest: bigint;
  readonly seen: bigint;
}

export const EMPTY_NONCE_WINDOW: NonceWindow = { highest: 0n, seen: 0n };

export type NonceErrorCode = "NONCE_ERROR_REUSED" | "NONCE_ERROR_TOO_OLD" | "NONCE_ERROR_OUT_OF_RANGE";

export type NonceResult = { ok: true; window: NonceWindow } | { ok: false; code: NonceErrorCode };

/** Accepts `nonce` if unused and inside the window; returns the new window (the input is not changed). */
export function acceptNonce(window: NonceWindow, nonce: bigint): NonceResult {
  if (nonce < 0n || nonce > U64_MAX) return { ok: false, code: "NONCE_ERROR_OUT_OF_RANGE" };
  if (window.seen === 0n) return { ok: true, window: { highest: nonce, seen: 1n } };
  if (nonce > window.highest) {
    const shift = nonce - window.highest;
    const seen = shift >= BigInt(NONCE_WINDOW_BITS) ? 1n : ((window.seen << shift) | 1n) & WINDOW_MASK;
    return { ok: true, window: { highest: nonce, seen } };
  }
  const age = window.highest - nonce;
  if (age >= BigInt(NONCE_WINDOW_BITS)) return { ok: false, code: "NONCE_ERROR_TOO_OLD" };
  const bit = 1n << age;
  if ((window.seen & bit) !== 0n) return { ok: false, code: "NONCE_ERROR_REUSED" };
  return { ok: true, window: { highest: window.highest, seen: window.seen | bit } };
}

/** True when acceptNonce would accept (for ingest filters that must not change state). */
export function isNonceFresh(window: NonceWindow, nonce: bigint): boolean {
  return acceptNonce(window, nonce).ok;
}

export const NONCE_WINDOW_BYTES = 16;

export function encodeNonceWindow(window: NonceWindow): Uint8Array {
  return new ByteWriter(NONCE_WINDOW_BYTES).u64n(window.highest).u64n(window.seen).finish();
}

export function decodeNonceWindow(bytes: Uint8Array): DecodeResult<NonceWindow> {
  return decodeWith(() => {
    const r = new ByteReader(bytes);
    const highest = r.u64n("highest nonce");
    const seen = r.u64n("seen bitmap");
    r.end("nonce window");
    // One encoding per window: an empty window is all zero, a non-empty one has its highest nonce marked.
    if (seen === 0n ? highest !== 0n : (seen & 1n) === 0n) {
      throw new CodecError("CODEC_ERROR_NON_CANONICAL", 8, "seen bitmap does not match highest nonce");
    }
    return { highest, seen };
  });
}
