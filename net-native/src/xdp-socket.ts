// Typed wrapper over the addon's XdpEngine: opens it (optionally inside a named network namespace), reads the
// per-queue shared rings, stages and sends batches, and converts native errors to XdpError. Knows datagrams,
// ports and rings, not what they carry. JavaScript thread only.
import { requireAddon } from "./addon.ts";
import { formatIpv4, parseIpv4 } from "./ipv4.ts";
import type {
  BindModeOption,
  NativeAddon,
  NativeEngine,
  NativeEngineDescription,
  NativeEngineStats,
  NativeResolveResult,
  PollModeOption,
} from "./native-types.ts";
import { SharedRingReader, type RingDatagram } from "./shared-ring-reader.ts";
import { TxStager } from "./tx-stager.ts";
import { callNative, XdpError } from "./xdp-error.ts";

export interface XdpSocketOptions {
  ifname: string;
  /** Our IPv4 address on that interface: the steering program only takes datagrams sent to it. */
  localIp: string;
  ports: number[];
  /** Receive queues to bind; "all" (default) asks the driver how many it has. */
  queues?: number[] | "all";
  mode?: BindModeOption;
  poll?: PollModeOption;
  ringSlots?: number;
  frames?: number;
  rxCpu?: number;
  /** Open inside this network namespace (/run/netns/NAME); needs CAP_SYS_ADMIN. */
  netns?: string;
}

const UDP_IPV4_OVERHEAD_BYTES = 28;
const RING_SLOT_BYTES = 2048;
const SLOT_HEADER_BYTES = 16;

export class XdpSocket {
  readonly description: NativeEngineDescription;
  readonly payloadMaxBytes: number;
  private readonly readers: SharedRingReader[];
  private readonly stager: TxStager;
  private next = 0;
  private closed = false;

  private constructor(private readonly engine: NativeEngine) {
    const buffers = engine.buffers();
    this.readers = buffers.rings.map((b) => new SharedRingReader(b));
    this.stager = new TxStager(buffers.staging);
    this.description = engine.describe();
    this.payloadMaxBytes = Math.min(this.description.mtu - UDP_IPV4_OVERHEAD_BYTES, RING_SLOT_BYTES - SLOT_HEADER_BYTES);
  }

  /** Opens synchronously (milliseconds: BPF verification, UMEM pinning). onReadable runs on the JS thread. */
  static open(options: XdpSocketOptions, onReadable: () => void, addon: NativeAddon = requireAddon()): XdpSocket {
    const localIp = parseIpv4(options.localIp);
    if (localIp < 0) throw new XdpError("XDP_ERROR_INVALID_ARGUMENT", `not an IPv4 address: ${options.localIp}`, { errno: 0, detail: "localIp" });
    const saved = options.netns ? callNative(() => addon.netnsEnter(options.netns!)) : -1;
    try {
      const queues = options.queues === undefined || options.queues === "all"
        ? [...Array(callNative(() => addon.interfaceInfo(options.ifname)).rxQueues).keys()]
        : options.queues;
      const engine = callNative(() => new addon.XdpEngine({
        ifname: options.ifname,
        localIp,
        ports: options.ports,
        queues,
        mode: options.mode ?? "auto",
        poll: options.poll ?? "wakeup",
        ringSlots: options.ringSlots ?? 4096,
        ringSlotBytes: RING_SLOT_BYTES,
        rxFrames: options.frames ?? 2048,
        txFrames: options.frames ?? 2048,
        rxCpu: options.rxCpu ?? -1,
      }, onReadable));
      return new XdpSocket(engine);
    } finally {
      if (saved >= 0) callNative(() => addon.netnsRestore(saved));
    }
  }

  /** Hands out up to `limit` received datagrams across queues; see SharedRingReader.drain. */
  drain(batchMax: number, limit: number, deliver: (batch: RingDatagram[]) => void): number {
    let total = 0;
    const n = this.readers.length;
    for (let k = 0; k < n && total < limit && !this.closed; k++) {
      const reader = this.readers[(this.next + k) % n]!;
      total += reader.drain(batchMax, limit - total, deliver);
    }
    this.next = (this.next + 1) % n; // rotate so one busy queue cannot starve the others
    return total;
  }

  /** Stages one datagram; flushes first when the staging buffer is full. Returns how many the flush sent. */
  stage(dstIp: number, dstPort: number, dstMac: Uint8Array, srcPort: number, payload: Uint8Array): number {
    if (this.stager.stage(dstIp, dstPort, dstMac, srcPort, payload)) return 0;
    const sent = this.flush();
    if (!this.stager.stage(dstIp, dstPort, dstMac, srcPort, payload)) {
      throw new XdpError("XDP_ERROR_INVALID_ARGUMENT", "datagram larger than the staging buffer", { errno: 0, detail: "stage" });
    }
    return sent;
  }

  /** Sends everything staged through the first queue's socket; returns how many the kernel took. */
  flush(): number {
    if (this.stager.count === 0) return 0;
    try {
      return callNative(() => this.engine.send(0, this.stager.bytes, this.stager.count));
    } finally {
      this.stager.reset();
    }
  }

  resolve(ip: number): NativeResolveResult {
    return callNative(() => this.engine.resolve(ip));
  }

  stats(): NativeEngineStats {
    return this.engine.stats();
  }

  get localMac(): string {
    return this.description.mac;
  }

  /** Joins the receive threads and releases the sockets and the program. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.engine.close();
  }
}

export { formatIpv4, parseIpv4 };
