// DatagramTransport over kernel UDP sockets (node:dgram): the fallback when AF_XDP is unavailable and the
// reference the others are checked against. Received datagrams are gathered for one event-loop turn and
// delivered as one batch (setImmediate), so handlers see batches here too.
import dgram from "node:dgram";
import { isIPv4 } from "node:net";

import {
  DropCounter,
  type Address,
  type BatchHandler,
  type Datagram,
  type DatagramTransport,
  type TransportStats,
} from "./datagram-transport.ts";
import { assertSendable, TransportError } from "./transport-error.ts";

export interface UdpTransportOptions {
  host: string;
  port: number; // 0 picks a free port
  payloadMaxBytes?: number;
  batchMax?: number;
  /** Kernel socket buffers; capped by net.core.rmem_max / wmem_max. */
  recvBufferBytes?: number;
  sendBufferBytes?: number;
}

const PAYLOAD_MAX_DEFAULT = 1472; // 1500-byte MTU minus IPv4 and UDP headers
const PENDING_MAX = 65536; // received datagrams held for one event-loop turn

export class UdpTransport implements DatagramTransport {
  readonly kind = "udp" as const;
  readonly payloadMaxBytes: number;
  private readonly batchMax: number;
  private handler: BatchHandler | null = null;
  private pending: Datagram[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly rxDrops = new DropCounter();
  private readonly txDrops = new DropCounter();
  private rxDatagrams = 0;
  private rxBytes = 0;
  private rxBatches = 0;
  private txDatagrams = 0;
  private txBytes = 0;
  private inFlight = 0;
  private readonly onSent = (err: Error | null): void => {
    this.inFlight--;
    if (err) this.txDrops.add("error");
  };

  private constructor(
    private readonly socket: dgram.Socket,
    readonly localAddress: Address,
    options: UdpTransportOptions,
  ) {
    this.payloadMaxBytes = options.payloadMaxBytes ?? PAYLOAD_MAX_DEFAULT;
    this.batchMax = options.batchMax ?? 256;
    socket.on("message", (msg, rinfo) => this.receive(msg, rinfo.address, rinfo.port));
    socket.on("error", () => this.rxDrops.add("socketError")); // ICMP errors and the like: counted, never thrown
  }

  static async open(options: UdpTransportOptions): Promise<UdpTransport> {
    if (!isIPv4(options.host)) throw new TransportError("TRANSPORT_ERROR_INVALID_ADDRESS", `not an IPv4 address: ${options.host}`);
    const socket = dgram.createSocket({
      type: "udp4",
      recvBufferSize: options.recvBufferBytes,
      sendBufferSize: options.sendBufferBytes,
    });
    await new Promise<void>((resolve, reject) => {
      const fail = (err: NodeJS.ErrnoException): void => {
        socket.close();
        const code = err.code === "EADDRINUSE" ? "TRANSPORT_ERROR_ADDRESS_IN_USE" : "TRANSPORT_ERROR_BIND";
        reject(new TransportError(code, `bind ${options.host}:${options.port}: ${err.message}`, { errno: err.code }));
      };
      socket.once("error", fail);
      socket.bind({ address: options.host, port: options.port, exclusive: true }, () => {
        socket.off("error", fail);
        resolve();
      });
    });
    const bound = socket.address();
    return new UdpTransport(socket, { host: bound.address, port: bound.port }, options);
  }

  private receive(msg: Buffer, host: string, port: number): void {
    if (this.closed) return;
    if (msg.length > this.payloadMaxBytes) return this.rxDrops.add("oversize");
    if (!this.handler) return this.rxDrops.add("noHandler");
    if (this.pending.length >= PENDING_MAX) return this.rxDrops.add("ringFull");
    this.pending.push({ peer: { host, port }, payload: msg });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flush);
    }
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    const all = this.pending;
    this.pending = [];
    for (let i = 0; i < all.length && !this.closed; i += this.batchMax) {
      const batch = all.length <= this.batchMax ? all : all.slice(i, i + this.batchMax);
      if (!this.handler) {
        this.rxDrops.add("noHandler", batch.length);
        continue;
      }
      this.rxDatagrams += batch.length;
      for (const d of batch) this.rxBytes += d.payload.length;
      this.rxBatches++;
      this.handler(batch);
    }
  };

  send(batch: readonly Datagram[]): void {
    assertSendable(batch, this.closed, this.payloadMaxBytes, (a) => isIPv4(a.host));
    for (const d of batch) {
      this.inFlight++;
      this.socket.send(d.payload, d.peer.port, d.peer.host, this.onSent);
      this.txDatagrams++;
      this.txBytes += d.payload.length;
    }
  }

  onBatch(handler: BatchHandler | null): void {
    this.handler = handler;
  }

  stats(): TransportStats {
    return {
      rxDatagrams: this.rxDatagrams,
      rxBytes: this.rxBytes,
      rxBatches: this.rxBatches,
      txDatagrams: this.txDatagrams,
      txBytes: this.txBytes,
      rxDrops: this.rxDrops.snapshot(),
      txDrops: this.txDrops.snapshot(),
    };
  }

  async close(signal?: AbortSignal): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Let queued sends leave (bounded by the signal and by 100 event-loop turns), then close.
    for (let turns = 0; this.inFlight > 0 && turns < 100 && !signal?.aborted; turns++) {
      await new Promise((r) => setImmediate(r));
    }
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}
