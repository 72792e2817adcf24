// Strict RLP (Ethereum Yellow Paper, appendix B) for signed transactions: one encoding per value. Rejects
// non-canonical lengths (long form under 56 bytes, leading zero length bytes, a single byte below 0x80 wrapped
// as a string), trailing bytes, nesting deeper than maxDepth and more than maxItems items in all. Items keep
// their byte span so a signing payload can be re-hashed from the original bytes without re-encoding.

import { CodecError } from "../codec/codec-error.ts";

export type RlpItem = RlpBytes | RlpList;

export interface RlpBytes {
  kind: "bytes";
  /** A view into the decoded input (not a copy). */
  value: Uint8Array;
  /** Span of the whole item (prefix included) in the input. */
  start: number;
  end: number;
}

export interface RlpList {
  kind: "list";
  items: RlpItem[];
  start: number;
  end: number;
}

export interface RlpLimits {
  maxDepth: number;
  maxItems: number;
}

/** Decodes exactly one item spanning all of `bytes`. Throws CodecError only (wrap with decodeWith). */
export function decodeRlp(bytes: Uint8Array, limits: RlpLimits): RlpItem {
  const budget = { items: limits.maxItems };
  const item = readItem(bytes, 0, bytes.length, 0, limits.maxDepth, budget);
  if (item.end !== bytes.length) {
    throw new CodecError("CODEC_ERROR_TRAILING_BYTES", item.end, `${bytes.length - item.end} trailing bytes after RLP item`);
  }
  return item;
}

function readLength(buf: Uint8Array, at: number, lengthBytes: number, end: number): number {
  if (lengthBytes > 4) throw new CodecError("CODEC_ERROR_LENGTH_LIMIT", at, `RLP length of ${lengthBytes} bytes`);
  if (at + lengthBytes > end) throw new CodecError("CODEC_ERROR_TRUNCATED", at, "RLP length runs past the end");
  if (buf[at] === 0) throw new CodecError("CODEC_ERROR_NON_CANONICAL", at, "RLP length with a leading zero byte");
  let len = 0;
  for (let i = 0; i < lengthBytes; i++) len = len * 256 + buf[at + i]!;
  if (len < 56) throw new CodecError("CODEC_ERROR_NON_CANONICAL", at, "RLP long form used for a length under 56");
  return len;
}

function readItem(
  buf: Uint8Array,
  start: number,
  end: number,
  depth: number,
  maxDepth: number,
  budget: { items: number },
): RlpItem {
  if (start >= end) throw new CodecError("CODEC_ERROR_TRUNCATED", start, "RLP item expected");
  if (--budget.items < 0) throw new CodecError("CODEC_ERROR_LENGTH_LIMIT", start, "too many RLP items");
  const b = buf[start]!;
  if (b < 0x80) return { kind: "bytes", value: buf.subarray(start, start + 1), start, end: start + 1 };
  if (b < 0xc0) {
    let offset: number;
    let len: number;
    if (b <= 0xb7) {
      offset = start + 1;
      len = b - 0x80;
      if (len === 1 && offset < end && buf[offset]! < 0x80) {
        throw new CodecError("CODEC_ERROR_NON_CANONICAL", start, "single byte below 0x80 must encode as itself");
      }
    } else {
      len = readLength(buf, start + 1, b - 0xb7, end);
      offset = start + 1 + (b - 0xb7);
    }
    if (offset + len > end) throw new CodecError("CODEC_ERROR_TRUNCATED", start, `RLP string of ${len} bytes runs past the end`);
    return { kind: "bytes", value: buf.subarray(offset, offset + len), start, end: offset + len };
  }
  if (depth >= maxDepth) throw new CodecError("CODEC_ERROR_LENGTH_LIMIT", start, `RLP nesting deeper than ${maxDepth}`);
  let offset: number;
  let len: number;
  if (b <= 0xf7) {
    offset = start + 1;
    len = b - 0xc0;
  } else {
    len = readLength(buf, start + 1, b - 0xf7, end);
    offset = start + 1 + (b - 0xf7);
  }
  const listEnd = offset + len;
  if (listEnd > end) throw new CodecError("CODEC_ERROR_TRUNCATED", start, `RLP list of ${len} bytes runs past the end`);
  const items: RlpItem[] = [];
  let at = offset;
  while (at < listEnd) {
    const item = readItem(buf, at, listEnd, depth + 1, maxDepth, budget);
    items.push(item);
    at = item.end;
  }
  return { kind: "list", items, start, end: listEnd };
}

/** What the encoder accepts: a byte string or a (nested) list of them. */
export type RlpInput = Uint8Array | readonly RlpInput[];

function lengthPrefix(len: number, shortBase: number): Uint8Array {
  if (len < 56) return Uint8Array.of(shortBase + len);
  const lenBytes: number[] = [];
  for (let v = len; v > 0; v = Math.floor(v / 256)) lenBytes.unshift(v % 256);
  return Uint8Array.from([shortBase + 55 + lenBytes.length, ...lenBytes]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function encodeRlp(input: RlpInput): Uint8Array {
  if (input instanceof Uint8Array) {
    if (input.length === 1 && input[0]! < 0x80) return input.slice();
    return concat([lengthPrefix(input.length, 0x80), input]);
  }
  const payload = concat((input as readonly RlpInput[]).map(encodeRlp));
  return concat([lengthPrefix(payload.length, 0xc0), payload]);
}

/** The header of a list whose encoded payload is `payloadBytes` long. */
export function rlpListHeader(payloadBytes: number): Uint8Array {
  return lengthPrefix(payloadBytes, 0xc0);
}

/** Minimal big-endian bytes of a non-negative integer (zero is the empty string), as RLP scalars require. */
export function bigintToMinimalBytes(v: bigint): Uint8Array {
  if (v < 0n) throw new RangeError("RLP scalars are non-negative");
  if (v === 0n) return new Uint8Array(0);
  let hex = v.toString(16);
  if (hex.length % 2) hex = "0" + hex;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Big-endian bytes to bigint. */
export function bytesToBigint(bytes: Uint8Array): bigint {
  let v = 0n;
  let i = 0;
  // Six bytes at a time keeps the number exact and cuts bigint operations.
  for (; i + 6 <= bytes.length; i += 6) {
    const chunk =
      bytes[i]! * 2 ** 40 + bytes[i + 1]! * 2 ** 32 + bytes[i + 2]! * 2 ** 24 + ((bytes[i + 3]! << 16) | (bytes[i + 4]! << 8) | bytes[i + 5]!);
    v = (v << 48n) | BigInt(chunk);
  }
  for (; i < bytes.length; i++) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}
