// Writes outgoing datagrams into the engine's staging buffer in the layout native/tx_path.h reads:
// u32 dst_ip | u16 dst_port | u16 payload_len | u8 dst_mac[6] | u16 src_port | payload | pad to 8 bytes.
// JavaScript thread only; the native send runs synchronously on the same thread, so no synchronisation.

const HEADER_BYTES = 16;

export class TxStager {
  private readonly u8: Uint8Array;
  private readonly dv: DataView;
  private offset = 0;
  private entries = 0;

  constructor(buffer: ArrayBuffer) {
    this.u8 = new Uint8Array(buffer);
    this.dv = new DataView(buffer);
  }

  get count(): number {
    return this.entries;
  }
  get bytes(): number {
    return this.offset;
  }

  /** Appends one datagram; returns false (and writes nothing) when it does not fit: flush, then retry. */
  stage(dstIp: number, dstPort: number, dstMac: Uint8Array, srcPort: number, payload: Uint8Array): boolean {
    const end = this.offset + HEADER_BYTES + payload.length;
    if (end > this.u8.length) return false;
    const o = this.offset;
    this.dv.setUint32(o, dstIp, true);
    this.dv.setUint16(o + 4, dstPort, true);
    this.dv.setUint16(o + 6, payload.length, true);
    this.u8.set(dstMac, o + 8);
    this.dv.setUint16(o + 14, srcPort, true);
    this.u8.set(payload, o + HEADER_BYTES);
    this.offset = (end + 7) & ~7;
    this.entries++;
    return true;
  }

  reset(): void {
    this.offset = 0;
    this.entries = 0;
  }
}
