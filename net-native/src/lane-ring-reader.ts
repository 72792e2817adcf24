// JavaScript side of the lane ring: accepted orders from the native verifier threads (layout: native/lane_ring.h;
// header, indexes and wake handshake as in js_ring.h). JavaScript thread only. Records are views into the ring,
// valid until the batch handler returns; then their slots go back to the native side. Copy what you keep.
import { formatIpv4 } from "./ipv4.ts";

const PRODUCER = 0; // Int32 indexes of the header words
const CONSUMER = 16;
const WAKE = 32;
const INFO = 48;
const SLOTS_OFFSET = 256;
const SLOT_HEADER_BYTES = 64;
const LANE_MAGIC = 0x5844504c; // "XDPL"

export interface LaneRecord {
  /** CLOCK_REALTIME µs since the Unix epoch when the receive thread pulled the frame; never decreasing. */
  readonly stampUs: number;
  /** 1, 2, 3, ... per engine (u32, wraps to 1); strictly increasing in delivery order. */
  readonly localSeq: number;
  /** sha256(tag("laneOrder") || header || legs): a view, 32 bytes. */
  readonly orderId: Uint8Array;
  /** The encoded OrderAction as received: a view. */
  readonly order: Uint8Array;
  readonly source: { readonly host: string; readonly port: number };
  /** Receive queue that took the frame. */
  readonly queue: number;
}

export class LaneRingReader {
  private readonly i32: Int32Array;
  private readonly u16: Uint16Array;
  private readonly u32: Uint32Array;
  private readonly mask: number;
  private readonly slotBytes: number;
  private consumer: number;

  constructor(private readonly buffer: ArrayBuffer) {
    this.i32 = new Int32Array(buffer, 0, SLOTS_OFFSET / 4);
    if (this.i32[INFO + 2] !== LANE_MAGIC) throw new Error("lane ring: bad magic (addon and wrapper out of step)");
    this.mask = this.i32[INFO]! - 1;
    this.slotBytes = this.i32[INFO + 1]!;
    this.u16 = new Uint16Array(buffer);
    this.u32 = new Uint32Array(buffer);
    this.consumer = Atomics.load(this.i32, CONSUMER) >>> 0;
  }

  /** Records published and not yet released. */
  pending(): number {
    return ((Atomics.load(this.i32, PRODUCER) >>> 0) - this.consumer) >>> 0;
  }

  /**
   * Clears the wake flag, then hands out up to `limit` records in batches of at most `batchMax`, releasing each
   * batch's slots after `deliver` returns (or throws). When the result equals `limit` more may be waiting: come
   * back without waiting for a wakeup.
   */
  drain(batchMax: number, limit: number, deliver: (batch: LaneRecord[]) => void): number {
    Atomics.store(this.i32, WAKE, 0); // before reading the producer: the handshake in js_ring.h
    let total = 0;
    while (total < limit) {
      const available = ((Atomics.load(this.i32, PRODUCER) >>> 0) - this.consumer) >>> 0;
      if (available === 0) break;
      const n = Math.min(available, batchMax, limit - total);
      const batch = new Array<LaneRecord>(n);
      for (let i = 0; i < n; i++) batch[i] = this.record(SLOTS_OFFSET + ((this.consumer + i) & this.mask) * this.slotBytes);
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

  private record(off: number): LaneRecord {
    const w = off >>> 2;
    const h = off >>> 1;
    return {
      stampUs: this.u32[w + 4]! + this.u32[w + 5]! * 2 ** 32,
      localSeq: this.u32[w + 2]!,
      orderId: new Uint8Array(this.buffer, off + 24, 32),
      order: new Uint8Array(this.buffer, off + SLOT_HEADER_BYTES, this.u16[h]!),
      source: { host: formatIpv4(this.u32[w + 1]!), port: this.u16[h + 1]! },
      queue: this.u16[h + 6]!,
    };
  }
}
