// Typed wrapper over the addon's XdpEngine: opens it (optionally inside a named network namespace), reads the
// per-queue shared rings (and the lane ring, when opened with a lane), stages and sends batches, and converts
// native errors to XdpError. Knows datagrams, ports and rings; of lane orders only what the native ingest checks
// (native/lane_pipeline.h). JavaScript thread only.
import { requireAddon } from "./addon.ts";
import { formatIpv4, parseIpv4 } from "./ipv4.ts";
import type {
  BindModeOption,
  NativeAddon,
  NativeEngine,
  NativeEngineDescription,
  NativeEngineStats,
  NativeLaneStats,
  NativeResolveResult,
  PollModeOption,
} from "./native-types.ts";
import { LaneRingReader, type LaneRecord } from "./lane-ring-reader.ts";
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
  /** The order lane: one more UDP port on the same program and sockets, verified natively. */
  lane?: XdpLaneOptions;
}

export interface XdpLaneOptions {
  port: number;
  /** Orders for another chain are dropped (wrongChain). */
  chainId: bigint;
  /** tag("laneOrder") from consensus/crypto/domains.ts: the native side keeps no copy of its own. */
  domainTag: Uint8Array;
  /** Verifier threads (default 1, at most 8). */
  verifyThreads?: number;
  /** Orders waiting per verifier thread before verifyQueueFull (power of two, default 1024). */
  verifyQueueSlots?: number;
  /** Recently accepted (trading key, nonce) pairs remembered (default 65536). */
  dedupeCapacity?: number;
  /** Accepted orders waiting for JavaScript before laneRingFull (power of two, default 4096). */
  ringSlots?: number;
}

const UDP_IPV4_OVERHEAD_BYTES = 28;
const RING_SLOT_BYTES = 2048;
const SLOT_HEADER_BYTES = 16;

export class XdpSocket {
  readonly description: NativeEngineDescription;
  readonly payloadMaxBytes: number;
  private readonly readers: SharedRingReader[];
  private readonly laneReader: LaneRingReader | null;
  private readonly stager: TxStager;
  private next = 0;
  private closed = false;

  private constructor(private readonly engine: NativeEngine) {
    const buffers = engine.buffers();
    this.readers = buffers.rings.map((b) => new SharedRingReader(b));
    this.laneReader = buffers.lane ? new LaneRingReader(buffers.lane) : null;
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
        ...(options.lane ? { lane: { ...options.lane } } : {}),
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

  /** True when opened with a lane. */
  get hasLane(): boolean {
    return this.laneReader !== null;
  }

  /**
   * Hands out up to `limit` accepted lane orders, in local sequence order, as views valid until `deliver`
   * returns (see LaneRingReader.drain). Returns 0 without a lane.
   */
  drainLane(limit: number, deliver: (batch: LaneRecord[]) => void, batchMax = 256): number {
    if (!this.laneReader || this.closed) return 0;
    return this.laneReader.drain(batchMax, limit, deliver);
  }

  /** The lane's counters, or null without a lane. */
  laneStats(): NativeLaneStats | null {
    return this.engine.stats().lane ?? null;
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

  /** Joins the receive (and lane verifier) threads and releases the sockets and the program. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.engine.close();
  }
}

export { formatIpv4, parseIpv4 };
