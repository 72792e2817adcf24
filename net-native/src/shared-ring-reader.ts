// JavaScript side of the shared receive ring (layout and handshake: net-native/native/js_ring.h). One reader
// per queue, used only on the JavaScript thread. Datagrams are views into the ring: valid until the batch
// handler returns, after which the slots go back to the native producer.
import { formatIpv4 } from "./ipv4.ts";

const PRODUCER = 0; // Int32 indexes of the header words
const CONSUMER = 16;
const WAKE = 32;
const INFO = 48;
const SLOTS_OFFSET = 256;
const SLOT_HEADER_BYTES = 16;
const MAGIC = 0x58445052;

/** What a receive ring hands out, before the transport wraps it in its own Datagram type. */
export interface RingDatagram {
  readonly peer: { readonly host: string; readonly port: number };
  readonly payload: Uint8Array;
  readonly localPort: number;
}

export class SharedRingReader {
  private readonly i32: Int32Array;
  private readonly u16: Uint16Array;
  private readonly u32: Uint32Array;
  private readonly mask: number;
  private readonly slotBytes: number;
  private consumer: number;

  constructor(private readonly buffer: ArrayBuffer) {
    this.i32 = new Int32Array(buffer, 0, SLOTS_OFFSET / 4);
    if (this.i32[INFO + 2] !== MAGIC) throw new Error("shared ring: bad magic (addon and wrapper out of step)");
    const slots = this.i32[INFO]!;
    this.slotBytes = this.i32[INFO + 1]!;
    this.mask = slots - 1;
    this.u16 = new Uint16Array(buffer);
    this.u32 = new Uint32Array(buffer);
    this.consumer = Atomics.load(this.i32, CONSUMER) >>> 0;
  }

  /** Datagrams published and not yet released. */
  pending(): number {
    return ((Atomics.load(this.i32, PRODUCER) >>> 0) - this.consumer) >>> 0;
  }

  /**
   * Clears the wake flag, then hands out up to `limit` datagrams in batches of at most `batchMax`, releasing
   * each batch's slots after `deliver` returns (or throws). Returns how many were handed out; when that equals
   * `limit` more may be waiting, and the caller must come back without waiting for a wakeup.
   */
  drain(batchMax: number, limit: number, deliver: (batch: RingDatagram[]) => void): number {
    Atomics.store(this.i32, WAKE, 0); // before reading the producer: see the handshake in js_ring.h
    let total = 0;
    while (total < limit) {
      const available = ((Atomics.load(this.i32, PRODUCER) >>> 0) - this.consumer) >>> 0;
      if (available === 0) break;
      const n = Math.min(available, batchMax, limit - total);
      const batch = new Array<RingDatagram>(n);
      for (let i = 0; i < n; i++) {
        const off = SLOTS_OFFSET + ((this.consumer + i) & this.mask) * this.slotBytes;
        const h16 = off >>> 1;
        batch[i] = {
          peer: { host: formatIpv4(this.u32[(off >>> 2) + 1]!), port: this.u16[h16 + 1]! },
          payload: new Uint8Array(this.buffer, off + SLOT_HEADER_BYTES, this.u16[h16]!),
          localPort: this.u16[h16 + 4]!,
        };
      }
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
