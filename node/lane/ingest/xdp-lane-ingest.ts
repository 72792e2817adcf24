// The order lane on the data plane's AF_XDP socket: XdpTransport opened with a `lane` option steers the lane
// port to the same sockets, native verifier threads check, deduplicate and stamp the orders
// (net-native/native/lane_pipeline.h), and this class copies the ring's records into owned IngestedOrders.
// It does not own the transport: close() detaches from it, and the data plane keeps running.
import type { LaneRecord } from "../../../net-native/src/index.ts";
import type { XdpTransport } from "../../net/xdp-transport.ts";
import { LaneIngestError } from "./lane-ingest-error.ts";
import { zeroDrops, type IngestedOrder, type LaneIngest, type LaneIngestStats } from "./lane-ingest.ts";

export class XdpLaneIngest implements LaneIngest {
  readonly kind = "xdp" as const;
  readonly port: number;
  readonly reason: string;
  private closed = false;

  constructor(private readonly transport: XdpTransport) {
    const port = transport.lanePort;
    if (port === null) throw new LaneIngestError("LANE_INGEST_ERROR_NO_LANE", "the AF_XDP transport was opened without a lane");
    this.port = port;
    const d = transport.description;
    this.reason = `AF_XDP lane on ${transport.interfaceName} queue${d.queues.length > 1 ? "s" : ""} ${d.queues.join(",")} (${d.mode} mode)`;
  }

  onOrders(handler: (batch: readonly IngestedOrder[]) => void): void {
    if (this.closed) return;
    this.transport.onLane((batch) => handler(batch.map(own)));
  }

  stats(): LaneIngestStats {
    const s = this.transport.laneStats();
    return { accepted: s?.accepted ?? 0, drops: { ...zeroDrops(), ...s?.drops } };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.transport.onLane(null);
  }
}

function own(r: LaneRecord): IngestedOrder {
  return {
    bytes: r.order.slice(),
    orderId: r.orderId.slice(),
    stampUs: r.stampUs,
    localSeq: r.localSeq,
    source: { host: r.source.host, port: r.source.port },
  };
}
