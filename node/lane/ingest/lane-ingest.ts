// The order lane's ingest as the node sees it: signed orders arrive on a UDP port of their own, are checked,
// verified off the JavaScript thread, deduplicated and stamped, and reach the handler as batches of owned
// records. Two implementations: XdpLaneIngest (native, on the data plane's AF_XDP socket) and UdpLaneIngest
// (node:dgram plus worker threads, the fallback, which says why it runs). Not the fair ordering or receipts
// (consensus/lane/fair-order.ts, receipt-batch.ts): this is where their stamps and sequence numbers come from.
import { domainTag } from "../../../consensus/crypto/domains.ts";
import { LANE_DROP_CAUSES, type LaneDropCause, type XdpLaneOptions } from "../../../net-native/src/index.ts";

export { LANE_DROP_CAUSES, type LaneDropCause };

export interface IngestedOrder {
  /** The encoded OrderAction as received: an owned copy. */
  bytes: Uint8Array;
  /** sha256(tag("laneOrder") || header || legs), owned. */
  orderId: Uint8Array;
  /** Receive time on this validator's wall clock, µs since the Unix epoch; never decreasing across batches. */
  stampUs: number;
  /** This node's ingest sequence number (u32): strictly increasing in delivery order; wraps to 1 after 2^32 - 1. */
  localSeq: number;
  source: { host: string; port: number };
}

export interface LaneIngestStats {
  accepted: number;
  /** By cause, every cause present (zero when nothing was dropped for it): see LANE_DROP_CAUSES. */
  drops: Record<LaneDropCause, number> & Record<string, number>;
}

export interface LaneIngest {
  readonly kind: "xdp" | "udp";
  readonly port: number;
  /** Why this kind was chosen (e.g. "AF_XDP lane on veth0 queue 0" or "UDP: AF_XDP unavailable: <reason>"). */
  readonly reason: string;
  /** Sets the handler; orders accepted while there was none are held (up to the ring size) and delivered now. */
  onOrders(handler: (batch: readonly IngestedOrder[]) => void): void;
  stats(): LaneIngestStats;
  /** Stops delivering and releases what this ingest owns. Idempotent. */
  close(): Promise<void>;
}

/** Options both implementations share. */
export interface LaneIngestOptions {
  port: number;
  chainId: bigint;
  /** Verifier threads (native) or worker threads (UDP); default 1. */
  verifyThreads?: number;
  /** Orders waiting per verifier before verifyQueueFull (power of two, default 1024). */
  verifyQueueSlots?: number;
  /** Recently accepted (trading key, nonce) pairs remembered for duplicate drops (default 65536). */
  dedupeCapacity?: number;
  /** Accepted orders waiting for the handler before laneRingFull (power of two, default 4096). */
  ringSlots?: number;
}

/** The `lane` option of XdpTransport / XdpSocket for these options: the domain tag comes from consensus here. */
export function xdpLaneOptions(o: LaneIngestOptions): XdpLaneOptions {
  return {
    port: o.port,
    chainId: o.chainId,
    domainTag: domainTag("laneOrder"),
    verifyThreads: o.verifyThreads,
    verifyQueueSlots: o.verifyQueueSlots,
    dedupeCapacity: o.dedupeCapacity,
    ringSlots: o.ringSlots,
  };
}

export function zeroDrops(): Record<LaneDropCause, number> {
  return Object.fromEntries(LANE_DROP_CAUSES.map((c) => [c, 0])) as Record<LaneDropCause, number>;
}
