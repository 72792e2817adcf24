// P9 (second half): order sent -> final on a 4-validator devnet of real processes on this machine. A maker rests a
// 32-level post-only ask ladder; a taker sends IOC buys at --rate per second for --seconds, each one signed datagram
// to every validator's lane port. Latency per order = arrival of its block's newHeads notification on validator 0
// (sent when that validator commits the finalized block) minus the moment the datagrams left. Loopback UDP, or
// with --transport xdp (root) validators in namespaces with the data plane on AF_XDP. Bounded: rate x seconds
// orders, every wait has a deadline. Ends with one JSON line per run and a median line.
// Usage: npx tsx bench/lane-devnet.ts [--transport udp|xdp] [--rate 200] [--seconds 20] [--runs 3]

import * as dgram from "node:dgram";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { encodeLaneCall, LaneOp, WEI_PER_QUOTE } from "../consensus/lane/lane-call.ts";
import { OrderFlag, Side } from "../consensus/lane/order.ts";
import { createDevnetPlan, type Topology } from "../node/devnet/devnet-plan.ts";
import { NetnsDevnet } from "../node/devnet/devnet-netns.ts";
import { DevnetProcesses } from "../node/devnet/devnet-processes.ts";
import { rpcCall } from "../node/devnet/rpc-client.ts";
import type { Devnet } from "../test/e2e/devnet-scenario.ts";
import { idOf, leg, orderBytes, systemCall, trader } from "../test/e2e/lane-scenario.ts";
import { freePorts } from "../test/support/free-ports.ts";

const { values: args } = parseArgs({
  options: {
    transport: { type: "string", default: "udp" },
    rate: { type: "string", default: "200" },
    seconds: { type: "string", default: "20" },
    runs: { type: "string", default: "3" },
    "block-interval-ms": { type: "string", default: "200" },
    "keep-dir": { type: "boolean", default: false },
    "log-level": { type: "string", default: "warn" },
  },
});
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function oneRun(run: number): Promise<Record<string, number | string>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xdpchain-lane-bench-"));
  let topo: NetnsDevnet | null = null;
  let topology: Topology;
  if (args.transport === "xdp") {
    topo = NetnsDevnet.create(4, 0, 216);
    topology = topo.topology;
  } else {
    const ports = await freePorts(20);
    topology = { kind: "loopback", addresses: (i) => ({ host: "127.0.0.1", dataPort: ports[i * 5]!, p2pPort: ports[i * 5 + 1]!, rpcPort: ports[i * 5 + 2]!, metricsPort: ports[i * 5 + 3]!, lanePort: ports[i * 5 + 4]! }) };
  }
  const plan = createDevnetPlan({ dir, validators: 4, transport: args.transport as "udp" | "xdp", topology, blockIntervalMs: Number(args["block-interval-ms"]), logLevel: args["log-level"] as "warn" });
  const procs = new DevnetProcesses(plan);
  const url = (i: number) => (topo ? `http://${plan.nodes[i]!.addresses.host}:${plan.nodes[i]!.addresses.rpcPort}` : procs.rpcUrl(i));
  const net = { plan, url } as unknown as Devnet;
  const socket = dgram.createSocket("udp4");
  let ws: WebSocket | null = null;
  try {
    procs.startAll();
    await waitFor("4 validators finalizing", async () => {
      const hs = await Promise.all([0, 1, 2, 3].map((i) => rpcCall<{ finalizedHeight: number }>(url(i), "xdp_status", [], 1_000).then((s) => s.finalizedHeight)));
      return hs.every((h) => h >= 3);
    }, 90_000);
    const lanes = await Promise.all([0, 1, 2, 3].map((i) => rpcCall<{ host: string; port: number; ingest: string }>(url(i), "lane_info")));
    const maker = trader(2);
    const taker = trader(3);
    for (const t of [maker, taker]) {
      await systemCall(net, t, encodeLaneCall({ op: LaneOp.RegisterKey, tradingKey: t.key.publicKey }), 0n);
      await systemCall(net, t, encodeLaneCall({ op: LaneOp.Deposit }), 9_000n * 1_000_000n * WEI_PER_QUOTE);
    }
    const send = (bytes: Uint8Array) => {
      for (const l of lanes) socket.send(bytes, l.port, l.host);
    };
    // The ladder: 32 asks from 600,100 ticks up, 2,000 lots each: more than the run can take.
    const ladder = orderBytes(net, maker, Array.from({ length: 32 }, (_, i) => leg({ side: Side.Sell, flags: OrderFlag.Gtc | OrderFlag.PostOnly, priceTicks: BigInt(600_100 + i), sizeLots: 2_000n, clientOrderId: i + 1 })));
    send(ladder);
    await waitFor("the ladder rests", async () => (await rpcCall<{ status: string } | null>(url(0), "lane_orderStatus", [idOf(ladder)]))?.status === "executed", 30_000);

    const heads = new Map<number, number>();
    ws = new WebSocket(url(0).replace("http", "ws"));
    await new Promise<void>((resolve, reject) => {
      ws!.once("open", () => resolve());
      ws!.once("error", reject);
    });
    ws.on("message", (data) => {
      const m = JSON.parse(String(data)) as { method?: string; params?: { result?: { number?: string } } };
      if (m.method === "eth_subscription" && m.params?.result?.number) heads.set(Number(m.params.result.number), Date.now());
    });
    ws.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_subscribe", params: ["newHeads"] }));

    const total = RATE * SECONDS;
    const sentAt = new Map<string, number>();
    const start = Date.now();
    for (let k = 0; k < total; k++) {
      const due = start + (k * 1000) / RATE;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const bytes = orderBytes(net, taker, [leg({ side: Side.Buy, flags: OrderFlag.Ioc, priceTicks: 600_200n, sizeLots: 1n, clientOrderId: k + 1 })]);
      sentAt.set(idOf(bytes), Date.now());
      send(bytes);
    }
    const offeredPerSecond = total / ((Date.now() - start) / 1000);
    const latencies: number[] = [];
    let executed = 0;
    let rejected = 0;
    const rejections: Record<string, number> = {};
    const deadline = Date.now() + 30_000;
    const ids = [...sentAt.keys()];
    const pending = new Set(ids);
    while (pending.size > 0 && Date.now() < deadline) {
      for (const id of [...pending].slice(0, 500)) {
        const s = await rpcCall<{ status: string; blockHeight?: number; outcome?: { rejected?: { code: string } | null } } | null>(url(0), "lane_orderStatus", [id]).catch(() => null);
        if (!s || s.status === "pending") continue;
        pending.delete(id);
        if (s.status === "rejected") {
          rejected++;
          const code = s.outcome?.rejected?.code ?? "?";
          rejections[code] = (rejections[code] ?? 0) + 1;
        }
        else executed++;
        const at = s.blockHeight !== undefined ? heads.get(s.blockHeight) : undefined;
        if (at !== undefined) latencies.push(at - sentAt.get(id)!);
      }
      if (pending.size > 0) await new Promise((r) => setTimeout(r, 250));
    }
    latencies.sort((a, b) => a - b);
    const status = await rpcCall<{ lane?: Record<string, unknown> }>(url(0), "xdp_status");
    const out = {
      run, transport: String(args.transport), ingest: lanes[0]!.ingest, offered: total, offeredPerSecond: Math.round(offeredPerSecond),
      executed, rejected, rejections: JSON.stringify(rejections), unsettled: pending.size, measured: latencies.length,
      p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), maxMs: latencies.at(-1) ?? NaN,
      laneStats: JSON.stringify(status.lane ?? {}),
    };
    console.log(JSON.stringify(out));
    return out;
  } finally {
    ws?.close();
    socket.close();
    await procs.stopAll();
    await topo?.destroy();
    if (args["keep-dir"]) console.log(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

const results: Record<string, number | string>[] = [];
for (let r = 1; r <= Number(args.runs); r++) results.push(await oneRun(r));
console.log(JSON.stringify({
  summary: "order sent -> final on validator 0", transport: args.transport, rate: RATE, seconds: SECONDS, runs: results.length,
  medianP50Ms: median(results.map((r) => r.p50Ms as number)), medianP99Ms: median(results.map((r) => r.p99Ms as number)),
  p50MsRuns: results.map((r) => r.p50Ms), p99MsRuns: results.map((r) => r.p99Ms),
}));
