// Reader for the canonical encoding written by ByteWriter. Every length is checked against the bytes that
// remain and against a caller-given maximum before anything is allocated. Throws CodecError only; public
// decoders wrap it with decodeWith().

import { CodecError } from "./codec-error.ts";

export class ByteReader {
  private offset = 0;
  private readonly view: DataView;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get position(): number {
    return this.offset;
  }

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  private need(n: number, what: string): void {
    if (n > this.remaining) {
      throw new CodecError("CODEC_ERROR_TRUNCATED", this.offset, `${what} needs ${n} bytes, ${this.remaining} left`);
    }
  }

  u8(what = "u8"): number {
    this.need(1, what);
    return this.buf[this.offset++]!;
  }

  u16(what = "u16"): number {
    this.need(2, what);
    const v = this.view.getUint16(this.offset);
    this.offset += 2;
    return v;
  }

  u32(what = "u32"): number {
    this.need(4, what);
    const v = this.view.getUint32(this.offset);
    this.offset += 4;
    return v;
  }

  u64n(what = "u64"): bigint {
    this.need(8, what);
    const v = this.view.getBigUint64(this.offset);
    this.offset += 8;
    return v;
  }

  /** A u64 that must fit a safe integer (views, heights, timestamps). */
  u64(what = "u64"): number {
    const at = this.offset;
    const v = this.u64n(what);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new CodecError("CODEC_ERROR_BAD_VALUE", at, `${what} exceeds 2^53-1`);
    }
    return Number(v);
  }

  u256(what = "u256"): bigint {
    this.need(32, what);
    let v = 0n;
    for (let i = 0; i < 32; i++) v = (v << 8n) | BigInt(this.buf[this.offset + i]!);
    this.offset += 32;
    return v;
  }

  bool(what = "bool"): boolean {
    const at = this.offset;
    const b = this.u8(what);
    if (b > 1) throw new CodecError("CODEC_ERROR_NON_CANONICAL", at, `${what} must be 0 or 1, got ${b}`);
    return b === 1;
  }

  fixed(length: number, what = "bytes"): Uint8Array {
    this.need(length, what);
    // Uint8Array's slice copies; a Buffer's slice (node:dgram delivers Buffers) would alias borrowed memory.
    const out = Uint8Array.prototype.slice.call(this.buf, this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  bytes(maxLength: number, what = "bytes"): Uint8Array {
    const at = this.offset;
    const len = this.u32(`${what} length`);
    if (len > maxLength) {
      throw new CodecError("CODEC_ERROR_LENGTH_LIMIT", at, `${what} length ${len} exceeds limit ${maxLength}`);
    }
    return this.fixed(len, what);
  }

  /** A counted list; `minItemBytes` lets the count be checked against the remaining bytes before looping. */
  list<T>(maxItems: number, minItemBytes: number, read: (r: ByteReader) => T, what = "list"): T[] {
    const at = this.offset;
    const count = this.u32(`${what} count`);
    if (count > maxItems) {
      throw new CodecError("CODEC_ERROR_LENGTH_LIMIT", at, `${what} has ${count} items, limit ${maxItems}`);
    }
    if (count * minItemBytes > this.remaining) {
      throw new CodecError("CODEC_ERROR_TRUNCATED", at, `${what} of ${count} items cannot fit in ${this.remaining} bytes`);
    }
    const out: T[] = [];
    for (let i = 0; i < count; i++) out.push(read(this));
    return out;
  }

  tag<T extends number>(allowed: readonly T[], what = "tag"): T {
    const at = this.offset;
    const t = this.u8(what);
    if (!allowed.includes(t as T)) throw new CodecError("CODEC_ERROR_BAD_TAG", at, `unknown ${what} ${t}`);
    return t as T;
  }

  /** Called at the end of a top-level decode: trailing garbage makes an encoding non-canonical. */
  end(what = "value"): void {
    if (this.remaining !== 0) {
      throw new CodecError("CODEC_ERROR_TRAILING_BYTES", this.offset, `${this.remaining} trailing bytes after ${what}`);
    }
  }
}
