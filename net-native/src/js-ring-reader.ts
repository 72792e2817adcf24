// The consumer side of a native-to-JavaScript ring (layout, indexes and wake handshake: net-native/native/
// js_ring.h): the header words, the magic check and the batched drain that releases each batch's slots after its
// handler returns. Subclasses say what one slot holds (shared-ring-reader.ts: datagrams; lane-ring-reader.ts:
// verified orders). JavaScript thread only; what a slot yields is a view, valid until the handler returns.

const PRODUCER = 0; // Int32 indexes of the header words
const CONSUMER = 16;
const WAKE = 32;
const INFO = 48;
/** Byte offset of slot 0. */
export const SLOTS_OFFSET = 256;

export abstract class JsRingReader<T> {
  private readonly i32: Int32Array;
  protected readonly u16: Uint16Array;
  protected readonly u32: Uint32Array;
  private readonly mask: number;
  private readonly slotBytes: number;
  private consumer: number;

  /** `name` goes into the error when the addon wrote another ring kind (or another layout version) here. */
  constructor(protected readonly buffer: ArrayBuffer, magic: number, name: string) {
    this.i32 = new Int32Array(buffer, 0, SLOTS_OFFSET / 4);
    if (this.i32[INFO + 2] !== magic) throw new Error(`${name}: bad magic (addon and wrapper out of step)`);
    this.mask = this.i32[INFO]! - 1;
    this.slotBytes = this.i32[INFO + 1]!;
    this.u16 = new Uint16Array(buffer);
    this.u32 = new Uint32Array(buffer);
    this.consumer = Atomics.load(this.i32, CONSUMER) >>> 0;
  }

  /** What the slot at byte offset `off` holds. */
  protected abstract read(off: number): T;

  /** Entries published and not yet released. */
  pending(): number {
    return ((Atomics.load(this.i32, PRODUCER) >>> 0) - this.consumer) >>> 0;
  }

  /**
   * Clears the wake flag, then hands out up to `limit` entries in batches of at most `batchMax`, releasing each
   * batch's slots after `deliver` returns (or throws). Returns how many were handed out; when that equals `limit`
   * more may be waiting, and the caller must come back without waiting for a wakeup.
   */
  drain(batchMax: number, limit: number, deliver: (batch: T[]) => void): number {
    Atomics.store(this.i32, WAKE, 0); // before reading the producer: see the handshake in js_ring.h
    let total = 0;
    while (total < limit) {
      const available = ((Atomics.load(this.i32, PRODUCER) >>> 0) - this.consumer) >>> 0;
      if (available === 0) break;
      const n = Math.min(available, batchMax, limit - total);
      const batch = new Array<T>(n);
      for (let i = 0; i < n; i++) batch[i] = this.read(SLOTS_OFFSET + ((this.consumer + i) & this.mask) * this.slotBytes);
      try {
        deliver(batch);
      } finally {
        this.consumer = (this.consumer + n) >>> 0;
        Atomics.store(this.i32, CONSUMER, this.consumer | 0);
      }
      total += n;
    }
    return total;
  }
}
