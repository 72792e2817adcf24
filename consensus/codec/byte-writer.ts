// Canonical binary encoding: big-endian fixed-width integers, length-prefixed byte strings and lists.
// One encoding per value, so hashes and signatures over encodings are well defined.

const INITIAL_CAPACITY_BYTES = 256;

export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  private len = 0;

  constructor(capacityBytes = INITIAL_CAPACITY_BYTES) {
    this.buf = new Uint8Array(capacityBytes);
    this.view = new DataView(this.buf.buffer);
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new RangeError(`u8 out of range: ${v}`);
    this.reserve(1);
    this.buf[this.len++] = v;
    return this;
  }

  u16(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new RangeError(`u16 out of range: ${v}`);
    this.reserve(2);
    this.view.setUint16(this.len, v);
    this.len += 2;
    return this;
  }

  u32(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`u32 out of range: ${v}`);
    this.reserve(4);
    this.view.setUint32(this.len, v);
    this.len += 4;
    return this;
  }

  /** A u64 given as a safe integer number (views, heights, timestamps). */
  u64(v: number): this {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`u64 number out of range: ${v}`);
    return this.u64n(BigInt(v));
  }

  u64n(v: bigint): this {
    if (v < 0n || v > 0xffffffffffffffffn) throw new RangeError(`u64 out of range: ${v}`);
    this.reserve(8);
    this.view.setBigUint64(this.len, v);
    this.len += 8;
    return this;
  }

  /** A 256-bit unsigned integer (balances, stake), 32 bytes big-endian. */
  u256(v: bigint): this {
    if (v < 0n || v >> 256n !== 0n) throw new RangeError(`u256 out of range: ${v}`);
    this.reserve(32);
    for (let i = 31; i >= 0; i--) {
      this.buf[this.len + i] = Number(v & 0xffn);
      v >>= 8n;
    }
    this.len += 32;
    return this;
  }

  bool(v: boolean): this {
    return this.u8(v ? 1 : 0);
  }

  /** Fixed-size bytes: the length is part of the schema, not written. */
  fixed(bytes: Uint8Array, expectedLength: number): this {
    if (bytes.length !== expectedLength) {
      throw new RangeError(`fixed field expects ${expectedLength} bytes, got ${bytes.length}`);
    }
    this.reserve(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
    return this;
  }

  /** Variable bytes with a u32 length prefix. */
  bytes(bytes: Uint8Array): this {
    this.u32(bytes.length);
    this.reserve(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
    return this;
  }

  /** A list with a u32 count prefix. */
  list<T>(items: readonly T[], write: (w: ByteWriter, item: T) => void): this {
    this.u32(items.length);
    for (const item of items) write(this, item);
    return this;
  }

  get length(): number {
    return this.len;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
