// The data plane's one transport interface: batches of UDP datagrams in and out, nothing about what they
// carry (votes, shreds, orders are the callers' framing). Implemented by XdpTransport (AF_XDP), UdpTransport
// (node:dgram: fallback and reference) and SimTransport (in-memory, seeded). All three put the same bytes on
// the wire: a datagram's payload is the UDP payload, no extra header. test/unit/node/net/transport-compliance.ts
// is the contract they all pass.

export interface Address {
  readonly host: string; // IPv4 dotted quad for UDP and AF_XDP; any name in a simulation
  readonly port: number;
}

export interface Datagram {
  /** Destination when sending, source when received. */
  readonly peer: Address;
  /**
   * Received: borrowed, valid only until the batch handler returns (XdpTransport reuses ring memory; the
   * simulation overwrites it to catch misuse): copy what you keep. Sent: do not modify after send().
   */
  readonly payload: Uint8Array;
}

/** Called with every received datagram, in batches, on the JavaScript thread. Must not throw (a throw is a bug). */
export type BatchHandler = (batch: readonly Datagram[]) => void;

export interface TransportStats {
  rxDatagrams: number;
  rxBytes: number;
  rxBatches: number;
  txDatagrams: number;
  txBytes: number;
  /** Received datagrams dropped, by cause (e.g. malformed, truncated, badChecksum, oversize, ringFull, noHandler). */
  rxDrops: Readonly<Record<string, number>>;
  /** Datagrams given to send() that did not leave, by cause (e.g. noNeighbour, ringFull, error). */
  txDrops: Readonly<Record<string, number>>;
}

export type TransportKind = "xdp" | "udp" | "sim";

export interface DatagramTransport {
  readonly kind: TransportKind;
  readonly localAddress: Address;
  /** Largest payload send() accepts and receive delivers (1472 on a 1500-byte MTU). */
  readonly payloadMaxBytes: number;
  /**
   * Queues a batch for sending and returns. Delivery is UDP's: best effort, no order, possibly duplicated.
   * Throws TransportError (CLOSED, PAYLOAD_TOO_LARGE, INVALID_ADDRESS) before sending anything if any datagram
   * is unacceptable: those are the caller's bugs, not the network's.
   */
  send(batch: readonly Datagram[]): void;
  /** Sets (or clears, with null) the handler. Datagrams arriving with no handler are dropped and counted. */
  onBatch(handler: BatchHandler | null): void;
  stats(): TransportStats;
  /** Stops receiving and releases resources. Idempotent. The signal bounds any wait for queued sends. */
  close(signal?: AbortSignal): Promise<void>;
}

/** Counts drops by cause; shared by the implementations. */
export class DropCounter {
  private readonly counts: Record<string, number> = {};
  add(cause: string, n = 1): void {
    this.counts[cause] = (this.counts[cause] ?? 0) + n;
  }
  snapshot(): Record<string, number> {
    return { ...this.counts };
  }
}
