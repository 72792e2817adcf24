// JavaScript side of the lane ring: accepted orders from the native verifier threads (slot layout:
// native/lane_ring.h; header, handshake and drain: js_ring.h and js-ring-reader.ts). JavaScript thread only.
// Records are views into the ring, valid until the batch handler returns; then their slots go back to the native
// side. Copy what you keep.
import { formatIpv4 } from "./ipv4.ts";
import { JsRingReader } from "./js-ring-reader.ts";

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

export class LaneRingReader extends JsRingReader<LaneRecord> {
  constructor(buffer: ArrayBuffer) {
    super(buffer, LANE_MAGIC, "lane ring");
  }

  protected read(off: number): LaneRecord {
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
