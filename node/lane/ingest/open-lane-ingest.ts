// Chooses the lane ingest the way select-transport.ts chooses the data plane, and never silently: when the data
// plane is an XdpTransport opened with a lane (xdpLaneOptions), the lane rides on its AF_XDP socket; otherwise
// it runs over UDP and logs one line saying why.
import type { DatagramTransport } from "../../net/datagram-transport.ts";
import { XdpTransport } from "../../net/xdp-transport.ts";
import type { LaneIngest } from "./lane-ingest.ts";
import { UdpLaneIngest, type UdpLaneIngestOptions } from "./udp-lane-ingest.ts";
import { XdpLaneIngest } from "./xdp-lane-ingest.ts";

export interface OpenLaneIngestOptions extends Omit<UdpLaneIngestOptions, "reason"> {
  /** The data-plane transport (openTransport's result). */
  transport?: DatagramTransport;
  /** openTransport's fallbackReason, when the data plane fell back to UDP. */
  fallbackReason?: string;
  log?: (line: string) => void;
}

export async function openLaneIngest(o: OpenLaneIngestOptions): Promise<LaneIngest> {
  const log = o.log ?? ((line: string) => console.warn(line));
  const { transport, fallbackReason, log: _log, ...udp } = o;
  if (transport instanceof XdpTransport && transport.lanePort !== null) {
    const lane = new XdpLaneIngest(transport);
    log(`lane: ${lane.reason}, port ${lane.port}`);
    return lane;
  }
  const why =
    transport instanceof XdpTransport ? "the AF_XDP transport was opened without a lane"
    : fallbackReason !== undefined ? `AF_XDP unavailable: ${fallbackReason}`
    : `the data plane is ${transport?.kind ?? "not open"}`;
  const lane = await UdpLaneIngest.open({ ...udp, reason: `UDP: ${why}` });
  log(`lane: ${lane.reason}; listening on ${o.host}:${lane.port}`);
  return lane;
}
