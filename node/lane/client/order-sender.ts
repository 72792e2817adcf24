// Sends one encoded order action as a UDP datagram to several validators at once (each stamps and relays what it
// receives, so more targets means an earlier and more robust assigned time). Plain node:dgram sockets, one per
// address family, bound to an ephemeral port; nothing is received. A failed send to one target is counted, not
// thrown; only a send that reached no target at all is an error.

import * as dgram from "node:dgram";
import * as dns from "node:dns/promises";
import * as net from "node:net";
import { UDP_PAYLOAD_BYTES_MAX } from "../../../consensus/lane/order-codec.ts";
import { LaneClientError } from "./lane-client-error.ts";

export const LANE_TARGETS_MAX = 64;

export interface LaneTarget {
  host: string;
  port: number;
}

interface ResolvedTarget extends LaneTarget {
  address: string;
  family: 4 | 6;
}

export interface SendReport {
  sent: number;
  failed: { target: string; error: string }[];
}

/** "host:port" or "[v6]:port". */
export function parseTarget(text: string): LaneTarget {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]+)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : 0;
  if (!m || port < 1 || port > 65_535) {
    throw new LaneClientError("LANE_CLIENT_ERROR_NO_TARGETS", `'${text}' is not a target of the form host:port (port 1..65535)`, { target: text });
  }
  return { host: m[1] ?? m[2]!, port };
}

export function targetKey(t: LaneTarget): string {
  return net.isIPv6(t.host) ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`;
}

async function resolve(t: LaneTarget): Promise<ResolvedTarget> {
  const family = net.isIP(t.host);
  if (family === 4 || family === 6) return { ...t, address: t.host, family };
  const found = await dns.lookup(t.host);
  return { ...t, address: found.address, family: found.family === 6 ? 6 : 4 };
}

function bindSocket(type: "udp4" | "udp6"): Promise<dgram.Socket> {
  return new Promise((ok, fail) => {
    const s = dgram.createSocket(type);
    s.once("error", fail);
    s.bind(0, () => {
      s.off("error", fail);
      // Later errors (ICMP unreachable on some systems) are per send; never crash the process for them.
      s.on("error", () => undefined);
      ok(s);
    });
  });
}

export class UdpOrderSender {
  sentTotal = 0;
  failedTotal = 0;

  private constructor(
    readonly targets: readonly ResolvedTarget[],
    private readonly sockets: Map<4 | 6, dgram.Socket>,
  ) {}

  static async open(targets: readonly LaneTarget[]): Promise<UdpOrderSender> {
    if (targets.length === 0) throw new LaneClientError("LANE_CLIENT_ERROR_NO_TARGETS", "no validator to send orders to");
    if (targets.length > LANE_TARGETS_MAX) throw new LaneClientError("LANE_CLIENT_ERROR_NO_TARGETS", `at most ${LANE_TARGETS_MAX} targets, got ${targets.length}`);
    const unique = [...new Map(targets.map((t) => [targetKey(t), t])).values()];
    const resolved = await Promise.all(unique.map(resolve));
    const sockets = new Map<4 | 6, dgram.Socket>();
    for (const family of new Set(resolved.map((r) => r.family))) sockets.set(family, await bindSocket(family === 6 ? "udp6" : "udp4"));
    return new UdpOrderSender(resolved, sockets);
  }

  /** The same bytes to every target, concurrently. */
  async send(bytes: Uint8Array): Promise<SendReport> {
    if (bytes.length > UDP_PAYLOAD_BYTES_MAX) throw new RangeError(`an order datagram is at most ${UDP_PAYLOAD_BYTES_MAX} bytes, got ${bytes.length}`);
    const results = await Promise.all(
      this.targets.map(
        (t) =>
          new Promise<string | null>((done) => {
            this.sockets.get(t.family)!.send(bytes, t.port, t.address, (err) => done(err ? err.message : null));
          }),
      ),
    );
    const report: SendReport = { sent: 0, failed: [] };
    results.forEach((error, i) => {
      if (error === null) report.sent++;
      else report.failed.push({ target: targetKey(this.targets[i]!), error });
    });
    this.sentTotal += report.sent;
    this.failedTotal += report.failed.length;
    if (report.sent === 0) {
      throw new LaneClientError("LANE_CLIENT_ERROR_SEND", `the order reached no validator: ${report.failed.map((f) => `${f.target} ${f.error}`).join("; ")}`, { failed: report.failed });
    }
    return report;
  }

  async close(): Promise<void> {
    await Promise.all([...this.sockets.values()].map((s) => new Promise<void>((done) => s.close(() => done()))));
    this.sockets.clear();
  }
}
