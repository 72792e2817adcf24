// A sorted, duplicate-free list of 32-byte validator keys, stored as the validator registry and as each
// height's unbonding queue. Encoding: u32 count || keys, strictly increasing.

import { ByteReader } from "../codec/byte-reader.ts";
import { ByteWriter } from "../codec/byte-writer.ts";
import { CodecError, type DecodeResult, decodeWith, unwrapDecode } from "../codec/codec-error.ts";
import { compareBytes } from "../crypto/hash.ts";
import type { PublicKey } from "../types.ts";

/** Registered validator records at most; also bounds an unbonding queue. */
export const KEY_LIST_MAX = 4096;

export function encodeKeyList(keys: readonly PublicKey[]): Uint8Array {
  return new ByteWriter(4 + keys.length * 32).list(keys, (w, k) => w.fixed(k, 32)).finish();
}

export function decodeKeyList(bytes: Uint8Array): DecodeResult<PublicKey[]> {
  return decodeWith(() => {
    const r = new ByteReader(bytes);
    let last: Uint8Array | null = null;
    const keys = r.list(
      KEY_LIST_MAX,
      32,
      (rr) => {
        const at = rr.position;
        const k = rr.fixed(32, "key");
        if (last && compareBytes(last, k) >= 0) throw new CodecError("CODEC_ERROR_NON_CANONICAL", at, "keys must be strictly increasing");
        last = k;
        return k;
      },
      "key list",
    );
    r.end("key list");
    return keys;
  });
}

export function loadKeyList(bytes: Uint8Array | undefined): PublicKey[] {
  return bytes === undefined ? [] : unwrapDecode(decodeKeyList(bytes), "key list");
}

/** Inserts keeping order; returns false when already present. */
export function insertKey(keys: PublicKey[], key: PublicKey): boolean {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = compareBytes(keys[mid]!, key);
    if (c === 0) return false;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  keys.splice(lo, 0, key);
  return true;
}

export function removeKey(keys: PublicKey[], key: PublicKey): boolean {
  const i = keys.findIndex((k) => compareBytes(k, key) === 0);
  if (i < 0) return false;
  keys.splice(i, 1);
  return true;
}
