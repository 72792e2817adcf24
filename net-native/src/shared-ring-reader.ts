// JavaScript side of the shared receive ring (layout and handshake: net-native/native/js_ring.h; the drain is
// js-ring-reader.ts). One reader per queue, used only on the JavaScript thread. Datagrams are views into the
// ring: valid until the batch handler returns, after which the slots go back to the native producer.
import { formatIpv4 } from "./ipv4.ts";
import { JsRingReader } from "./js-ring-reader.ts";

const SLOT_HEADER_BYTES = 16;
const MAGIC = 0x58445052;

/** What a receive ring hands out, before the transport wraps it in its own Datagram type. */
export interface RingDatagram {
  readonly peer: { readonly host: string; readonly port: number };
  readonly payload: Uint8Array;
  readonly localPort: number;
}

export class SharedRingReader extends JsRingReader<RingDatagram> {
  constructor(buffer: ArrayBuffer) {
    super(buffer, MAGIC, "shared ring");
  }

  protected read(off: number): RingDatagram {
    const h16 = off >>> 1;
    return {
      peer: { host: formatIpv4(this.u32[(off >>> 2) + 1]!), port: this.u16[h16 + 1]! },
      payload: new Uint8Array(this.buffer, off + SLOT_HEADER_BYTES, this.u16[h16]!),
      localPort: this.u16[h16 + 4]!,
    };
  }
}
