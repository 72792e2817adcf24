// The order lane over a kernel UDP socket (node:dgram): the fallback when AF_XDP is unavailable, with the same
// accounting as the native path (native/lane_pipeline.h). The JavaScript thread checks each datagram's shape
// and chain, stamps it (StampClock) and numbers it on arrival, then hands rounds to verification workers
// (lane-verify-pool.ts), so no ed25519 runs on this thread. Results come back in local sequence order; accepted
// orders go to the handler, or wait (up to ringSlots) for one. Every queue is bounded and every drop counted.
import dgram from "node:dgram";
import { isIPv4 } from "node:net";

import { domainTag } from "../../../consensus/crypto/domains.ts";
import { laneDatagramChecker, type LaneDatagramVerdict } from "./lane-datagram.ts";
import { LaneIngestError } from "./lane-ingest-error.ts";
import { zeroDrops, type IngestedOrder, type LaneIngest, type LaneIngestOptions, type LaneIngestStats } from "./lane-ingest.ts";
import { VERDICT_BAD_SIGNATURE, VERDICT_OK, type LaneVerifierKind } from "./lane-verify-protocol.ts";
import { LaneVerifyPool, type PoolItem, type RoundResult } from "./lane-verify-pool.ts";
import { StampClock } from "./stamp-clock.ts";

export interface UdpLaneIngestOptions extends LaneIngestOptions {
  /** Local IPv4 address to bind (port 0 picks a free port). */
  host: string;
  /** Signature verifier in the workers: "node" (node:crypto, default) or "noble" (@noble/curves). */
  verifier?: LaneVerifierKind;
  /** Kernel receive buffer (capped by net.core.rmem_max). */
  recvBufferBytes?: number;
  /** Handler batches hold at most this many orders (default 256). */
  batchMax?: number;
  /** Why the lane runs over UDP, for `reason` (openLaneIngest fills it in). */
  reason?: string;
  signal?: AbortSignal;
  stampClock?: StampClock;
}

const U32_MAX = 0xffffffff;

export class UdpLaneIngest implements LaneIngest {
  readonly kind = "udp" as const;
  readonly port: number;
  readonly reason: string;
  private handler: ((batch: readonly IngestedOrder[]) => void) | null = null;
  private readonly check: (b: Uint8Array) => LaneDatagramVerdict;
  private readonly clock: StampClock;
  private readonly drops = zeroDrops();
  private accepted = 0;
  private seq = 0;
  private round: PoolItem[] = [];
  private flushScheduled = false;
  private held: IngestedOrder[] = [];
  private closed = false;
  private readonly inFlightMax: number;
  private readonly ringSlots: number;
  private readonly batchMax: number;
  private constructor(
    private readonly socket: dgram.Socket,
    private readonly pool: LaneVerifyPool,
    o: UdpLaneIngestOptions,
  ) {
    this.port = (socket.address() as { port: number }).port;
    this.reason = o.reason ?? "UDP: chosen";
    this.check = laneDatagramChecker(o.chainId);
    this.clock = o.stampClock ?? new StampClock();
    this.inFlightMax = (o.verifyQueueSlots ?? 1024) * (o.verifyThreads ?? 1);
    this.ringSlots = o.ringSlots ?? 4096;
    this.batchMax = o.batchMax ?? 256;
    socket.on("message", (msg, rinfo) => this.receive(msg, rinfo.address, rinfo.port));
    socket.on("error", () => {}); // ICMP errors and the like: nothing for a receive-only socket to do
  }

  static async open(o: UdpLaneIngestOptions): Promise<UdpLaneIngest> {
    if (!isIPv4(o.host)) throw new LaneIngestError("LANE_INGEST_ERROR_INVALID_ADDRESS", `not an IPv4 address: ${o.host}`);
    // Workers first: a bound socket receives at once, and nothing may arrive before it can be counted.
    let ingest: UdpLaneIngest | null = null;
    const pool = await LaneVerifyPool.open({
      workers: o.verifyThreads ?? 1,
      data: { domainTag: domainTag("laneOrder"), dedupeCapacity: o.dedupeCapacity ?? 65536, verifier: o.verifier ?? "node" },
      onRound: (r) => ingest!.settle(r),
      signal: o.signal,
    });
    const socket = dgram.createSocket({ type: "udp4", recvBufferSize: o.recvBufferBytes });
    try {
      await bind(socket, o.host, o.port);
    } catch (err) {
      await pool.close();
      throw err;
    }
    ingest = new UdpLaneIngest(socket, pool, o);
    return ingest;
  }

  private receive(msg: Buffer, host: string, port: number): void {
    if (this.closed) return;
    const verdict = this.check(msg);
    if (verdict !== "ok") return void this.drops[verdict]++;
    if (this.pool.inFlight + this.round.length >= this.inFlightMax) return void this.drops.verifyQueueFull++;
    const stampUs = this.clock.nowUs();
    this.seq = this.seq === U32_MAX ? 1 : this.seq + 1;
    this.round.push({ bytes: Uint8Array.prototype.slice.call(msg), stampUs, localSeq: this.seq, host, port });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flush); // one round per event-loop turn: every datagram that arrived in it
    }
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    const round = this.round;
    this.round = [];
    if (!this.closed) this.pool.submit(round);
  };

  private settle(r: RoundResult): void {
    const batch: IngestedOrder[] = [];
    const forget: PoolItem[] = [];
    r.items.forEach((it, i) => {
      const v = r.verdicts[i]!;
      if (v !== VERDICT_OK) return void this.drops[v === VERDICT_BAD_SIGNATURE ? "badSignature" : "duplicate"]++;
      if (!this.handler && this.held.length >= this.ringSlots) {
        this.drops.laneRingFull++;
        return void forget.push(it); // not remembered, as natively: a re-send may get in later
      }
      this.accepted++;
      const order: IngestedOrder = {
        bytes: it.bytes,
        orderId: r.ids.slice(32 * i, 32 * i + 32),
        stampUs: it.stampUs,
        localSeq: it.localSeq,
        source: { host: it.host, port: it.port },
      };
      if (this.handler) batch.push(order);
      else this.held.push(order);
    });
    this.pool.forget(forget);
    this.deliver(batch);
  }

  private deliver(orders: IngestedOrder[]): void {
    for (let i = 0; i < orders.length && this.handler && !this.closed; i += this.batchMax) {
      this.handler(orders.length <= this.batchMax ? orders : orders.slice(i, i + this.batchMax));
    }
  }

  onOrders(handler: (batch: readonly IngestedOrder[]) => void): void {
    this.handler = handler;
    const held = this.held;
    this.held = [];
    this.deliver(held);
  }

  stats(): LaneIngestStats {
    return { accepted: this.accepted, drops: { ...this.drops } };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.held = [];
    this.round = [];
    await Promise.all([new Promise<void>((resolve) => this.socket.close(() => resolve())), this.pool.close()]);
  }
}

function bind(socket: dgram.Socket, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException): void => {
      socket.close();
      const code = err.code === "EADDRINUSE" ? "LANE_INGEST_ERROR_ADDRESS_IN_USE" : "LANE_INGEST_ERROR_BIND";
      reject(new LaneIngestError(code, `bind ${host}:${port}: ${err.message}`, { errno: err.code }));
    };
    socket.once("error", fail);
    socket.bind({ address: host, port, exclusive: true }, () => {
      socket.off("error", fail);
      resolve();
    });
  });
}
