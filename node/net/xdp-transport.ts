// DatagramTransport over AF_XDP (net-native's XdpSocket): the data plane's fast path. Receive threads fill
// shared rings; this class drains them when woken (at most once per native batch) and hands the handler
// views into the ring. Sends are staged and built natively with the next hop's MAC from NeighbourTable;
// datagrams to a destination still being resolved wait (bounded in count and time) and are then sent or
// dropped and counted. Never falls back by itself: select-transport.ts decides between AF_XDP and UDP.
// With the `lane` option the same socket and program also serve the order lane's port: its orders are verified
// natively and reach onLane() (node/lane/ingest/xdp-lane-ingest.ts), never onBatch().
import {
  parseIpv4,
  parseMac,
  requireAddon,
  XdpError,
  XdpSocket,
  type LaneRecord,
  type NativeAddon,
  type NativeLaneStats,
  type RingDatagram,
  type XdpSocketOptions,
} from "../../net-native/src/index.ts";
import {
  DropCounter,
  type Address,
  type BatchHandler,
  type Datagram,
  type DatagramTransport,
  type TransportStats,
} from "./datagram-transport.ts";
import { NeighbourTable } from "./neighbour-table.ts";
import { assertSendable } from "./transport-error.ts";

export interface XdpTransportOptions extends Omit<XdpSocketOptions, "ports" | "localIp" | "ifname"> {
  /** Interface that holds `host`. */
  interface: string;
  host: string;
  port: number;
  /** Datagrams per handler call (default 256). */
  batchMax?: number;
  /** Send every datagram to this MAC (one gateway), instead of asking the neighbour table. */
  nextHopMac?: string;
  /** Fixed neighbour entries: IPv4 -> MAC. */
  neighbours?: Readonly<Record<string, string>>;
  resolveTimeoutMs?: number;
  /** Datagrams held while their next hop is resolved, over all destinations (default 4096). */
  pendingMax?: number;
  addon?: NativeAddon;
}

/** Called with accepted lane orders, in local sequence order; the records are views valid until it returns. */
export type LaneBatchHandler = (batch: readonly LaneRecord[]) => void;

const DRAIN_PER_TURN = 16384; // then yield to the event loop and come back
const RESOLVE_POLL_MS = 5;

function macOption(text: string): Uint8Array {
  const mac = parseMac(text);
  if (!mac) throw new XdpError("XDP_ERROR_INVALID_ARGUMENT", `not a MAC address: ${text}`, { errno: 0, detail: "mac" });
  return mac;
}

export class XdpTransport implements DatagramTransport {
  readonly kind = "xdp" as const;
  readonly localAddress: Address;
  readonly interfaceName: string;
  readonly payloadMaxBytes: number;
  private socket!: XdpSocket;
  private handler: BatchHandler | null = null;
  private laneHandler: LaneBatchHandler | null = null;
  private closed = false;
  private drainScheduled = false;
  private rxBatches = 0;
  private noHandlerBytes = 0;
  private readonly rxDrops = new DropCounter();
  private readonly txDrops = new DropCounter();
  private readonly neighbours: NeighbourTable;
  private readonly waiting = new Map<number, { items: Datagram[]; deadlineMs: number }>();
  private waitingCount = 0;
  private resolveTimer: NodeJS.Timeout | null = null;
  private readonly batchMax: number;
  private readonly resolveTimeoutMs: number;
  private readonly pendingMax: number;

  private constructor(options: XdpTransportOptions) {
    this.localAddress = { host: options.host, port: options.port };
    this.interfaceName = options.interface;
    this.batchMax = options.batchMax ?? 256;
    this.resolveTimeoutMs = options.resolveTimeoutMs ?? 1000;
    this.pendingMax = options.pendingMax ?? 4096;
    const staticEntries = new Map<number, Uint8Array>();
    for (const [ip, mac] of Object.entries(options.neighbours ?? {})) staticEntries.set(parseIpv4(ip), macOption(mac));
    this.neighbours = new NeighbourTable({
      resolve: (ip) => this.socket.resolve(ip),
      now: () => performance.now(),
      fixed: options.nextHopMac ? macOption(options.nextHopMac) : undefined,
      staticEntries,
    });
    const { interface: ifname, host, port, addon, ...rest } = options;
    this.socket = XdpSocket.open({ ...rest, ifname, localIp: host, ports: [port] }, this.onReadable, addon ?? requireAddon());
    this.payloadMaxBytes = this.socket.payloadMaxBytes;
  }

  /** Opens the AF_XDP sockets and attaches the program; throws XdpError with the reason on failure. */
  static async open(options: XdpTransportOptions): Promise<XdpTransport> {
    return new XdpTransport(options);
  }

  /** Native details: attach mode, queues, zero-copy, MAC. */
  get description(): XdpSocket["description"] {
    return this.socket.description;
  }

  private readonly onReadable = (): void => {
    if (this.closed) return;
    const n = this.socket.drain(this.batchMax, DRAIN_PER_TURN, this.deliver);
    // Without a lane handler the lane ring keeps its records (up to its size, then laneRingFull natively).
    const m = this.laneHandler ? this.socket.drainLane(DRAIN_PER_TURN, this.laneHandler, this.batchMax) : 0;
    if ((n === DRAIN_PER_TURN || m === DRAIN_PER_TURN) && !this.drainScheduled) {
      this.drainScheduled = true;
      setImmediate(() => {
        this.drainScheduled = false;
        this.onReadable();
      });
    }
  };

  private readonly deliver = (batch: RingDatagram[]): void => {
    if (this.closed) return;
    if (!this.handler) {
      this.rxDrops.add("noHandler", batch.length);
      for (const d of batch) this.noHandlerBytes += d.payload.length;
      return;
    }
    this.rxBatches++;
    this.handler(batch);
  };

  send(batch: readonly Datagram[]): void {
    assertSendable(batch, this.closed, this.payloadMaxBytes, (a) => parseIpv4(a.host) >= 0);
    const srcPort = this.localAddress.port;
    const now = performance.now();
    for (const d of batch) {
      const ip = parseIpv4(d.peer.host);
      const answer = this.neighbours.lookup(ip, now);
      if (answer.kind === "mac") this.socket.stage(ip, d.peer.port, answer.mac, srcPort, d.payload);
      else if (answer.kind === "pending") this.hold(ip, d);
      else this.txDrops.add("noRoute");
    }
    this.socket.flush();
  }

  private hold(ip: number, d: Datagram): void {
    if (this.waitingCount >= this.pendingMax) return this.txDrops.add("pendingFull");
    let w = this.waiting.get(ip);
    if (!w) {
      w = { items: [], deadlineMs: performance.now() + this.resolveTimeoutMs };
      this.waiting.set(ip, w);
    }
    w.items.push({ peer: d.peer, payload: new Uint8Array(d.payload) }); // the caller may reuse its buffer
    this.waitingCount++;
    this.resolveTimer ??= setTimeout(this.retryWaiting, RESOLVE_POLL_MS);
  }

  private readonly retryWaiting = (): void => {
    this.resolveTimer = null;
    if (this.closed) return;
    const now = performance.now();
    for (const [ip, w] of this.waiting) {
      const answer = this.neighbours.lookup(ip);
      if (answer.kind === "pending" && now < w.deadlineMs) continue;
      this.waiting.delete(ip);
      this.waitingCount -= w.items.length;
      if (answer.kind !== "mac") {
        this.txDrops.add("noNeighbour", w.items.length);
        continue;
      }
      for (const d of w.items) this.socket.stage(ip, d.peer.port, answer.mac, this.localAddress.port, d.payload);
    }
    this.socket.flush();
    if (this.waiting.size > 0) this.resolveTimer = setTimeout(this.retryWaiting, RESOLVE_POLL_MS);
  };

  onBatch(handler: BatchHandler | null): void {
    this.handler = handler;
    if (handler) this.onReadable(); // datagrams may be waiting in the rings
  }

  /** The lane's UDP port, or null when opened without a lane. */
  get lanePort(): number | null {
    return this.socket.hasLane ? this.socket.description.lane!.port : null;
  }

  /** Sets (or clears) the lane handler; orders waiting in the lane ring are delivered at once. */
  onLane(handler: LaneBatchHandler | null): void {
    this.laneHandler = handler;
    if (handler) this.onReadable();
  }

  /** The native lane counters, or null without a lane. */
  laneStats(): NativeLaneStats | null {
    return this.socket.laneStats();
  }

  /** Everything the native side counts, per queue, plus the steering program's verdicts. */
  nativeStats(): ReturnType<XdpSocket["stats"]> {
    return this.socket.stats();
  }

  stats(): TransportStats {
    const s = this.socket.stats();
    const rxDrops = this.rxDrops.snapshot();
    const txDrops = this.txDrops.snapshot();
    let rxDatagrams = 0, rxBytes = 0, txDatagrams = 0, txBytes = 0;
    const add = (into: Record<string, number>, key: string, n: number): void => {
      if (n) into[key] = (into[key] ?? 0) + n;
    };
    for (const q of s.queues) {
      rxDatagrams += q.rx.datagrams;
      rxBytes += q.rx.bytes;
      txDatagrams += q.tx.datagrams;
      txBytes += q.tx.bytes;
      for (const [cause, n] of Object.entries(q.rx.refused)) add(rxDrops, cause, n);
      add(rxDrops, "ringFull", q.rx.ringFull);
      add(rxDrops, "kernelDropped", q.kernel.rxDropped);
      add(rxDrops, "kernelRingFull", q.kernel.rxRingFull);
      add(rxDrops, "fillEmpty", q.kernel.fillRingEmpty);
      add(txDrops, "ringFull", q.tx.ringFull);
      add(txDrops, "invalid", q.tx.invalid);
      add(txDrops, "kickError", q.tx.kickErrors);
    }
    const noHandler = rxDrops.noHandler ?? 0;
    return {
      rxDatagrams: rxDatagrams - noHandler,
      rxBytes: rxBytes - this.noHandlerBytes,
      rxBatches: this.rxBatches,
      txDatagrams,
      txBytes,
      rxDrops,
      txDrops,
    };
  }

  async close(_signal?: AbortSignal): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.resolveTimer) clearTimeout(this.resolveTimer);
    this.resolveTimer = null;
    if (this.waitingCount) this.txDrops.add("closed", this.waitingCount);
    this.waiting.clear();
    this.waitingCount = 0;
    this.socket.close(); // joins the receive threads; ring memory stays valid for views still held
  }
}
