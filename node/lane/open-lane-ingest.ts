// Chooses and opens the lane's ingest: the AF_XDP lane of the data plane's socket when the transport is AF_XDP
// and offers one, otherwise a UDP socket on the lane port, and says which and why (DESIGN "Privileges and
// fallback": never silently). This UDP path verifies on the JavaScript thread, once per event-loop turn's batch.

import { createSocket } from "node:dgram";
import { toHex } from "../../consensus/crypto/hash.ts";
import { decodeOrderAction, orderId, verifyOrderAction } from "../../consensus/lane/order-codec.ts";
import type { DatagramTransport } from "../net/datagram-transport.ts";
import { createNodeEd25519Verify } from "../crypto/ed25519-node.ts";
import type { LaneOrderIngest } from "./node-lane.ts";

export interface OpenLaneIngestOptions {
  chainId: bigint;
  host: string;
  port: number;
  transport: DatagramTransport;
  log: (line: string) => void;
}

/** Datagrams held between two event-loop turns before verification; beyond it they are dropped and counted. */
const PENDING_MAX = 65_536;

export async function openLaneIngest(o: OpenLaneIngestOptions): Promise<LaneOrderIngest> {
  const reason = o.transport.kind === "xdp" ? "UDP: the AF_XDP transport has no lane port in this build" : `UDP: the data plane runs over ${o.transport.kind}`;
  o.log(`order lane ingest: ${reason}`);
  return openUdpIngest(o, reason);
}

async function openUdpIngest(o: OpenLaneIngestOptions, reason: string): Promise<LaneOrderIngest> {
  const socket = createSocket({ type: "udp4", reuseAddr: false });
  const verify = createNodeEd25519Verify();
  let handler: ((batch: { bytes: Uint8Array; orderId: Uint8Array; stampUs: number }[]) => void) | null = null;
  const drops: Record<string, number> = {};
  const drop = (cause: string) => (drops[cause] = (drops[cause] ?? 0) + 1);
  let accepted = 0;
  let pending: { bytes: Uint8Array; stampUs: number }[] = [];
  const seen = new Set<string>();
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    const out: { bytes: Uint8Array; orderId: Uint8Array; stampUs: number }[] = [];
    for (const p of pending) {
      const decoded = decodeOrderAction(p.bytes);
      if (!decoded.ok) { drop("malformed"); continue; }
      if (decoded.value.chainId !== o.chainId) { drop("wrongChain"); continue; }
      if (!verifyOrderAction(decoded.value, verify)) { drop("badSignature"); continue; }
      const id = orderId(decoded.value);
      const key = toHex(id);
      if (seen.has(key)) { drop("duplicate"); continue; }
      seen.add(key);
      if (seen.size > 65_536) seen.delete(seen.values().next().value!);
      accepted++;
      out.push({ bytes: p.bytes, orderId: id, stampUs: p.stampUs });
    }
    pending = [];
    if (out.length > 0 && handler) handler(out);
  };
  socket.on("message", (msg) => {
    const stampUs = Date.now() * 1000;
    if (pending.length >= PENDING_MAX) return void drop("verifyQueueFull");
    pending.push({ bytes: new Uint8Array(msg), stampUs });
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(o.port, o.host, () => {
      socket.off("error", reject);
      resolve();
    });
  });
  return {
    kind: "udp",
    port: socket.address().port,
    reason,
    onOrders: (h) => (handler = h),
    stats: () => ({ accepted, drops: { ...drops } }),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
