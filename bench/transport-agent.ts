// One side of a transport benchmark case, run by bench/transport.ts inside a network namespace (ip netns exec,
// pinned with taskset). Roles: `receive` counts datagrams delivered into JavaScript for a window that starts
// at the first one; `echo` returns every datagram to its sender; `pingpong` measures round trips one at a
// time; `send` sends as fast as the transport accepts. Prints "ready", then one JSON line with its result.
// Usage: transport-agent.ts ROLE KIND key=value... (KIND: xdp | udp | dgram)
import dgram from "node:dgram";

import type { DatagramTransport } from "../node/net/datagram-transport.ts";
import { UdpTransport } from "../node/net/udp-transport.ts";
import { XdpTransport } from "../node/net/xdp-transport.ts";

const [role, kind, ...rest] = process.argv.slice(2);
const arg = Object.fromEntries(rest.map((kv) => kv.split("=") as [string, string]));
const num = (k: string, d: number): number => (arg[k] === undefined ? d : Number(arg[k]));
const host = arg.host!;
const port = num("port", 9000);
const seconds = num("seconds", 2);
setTimeout(() => process.exit(4), (seconds + 60) * 1000).unref(); // never outlive the benchmark

async function openTransport(): Promise<DatagramTransport> {
  if (kind === "xdp") {
    return XdpTransport.open({
      interface: arg.if!, host, port, mode: (arg.mode ?? "auto") as "skb" | "drv" | "auto",
      poll: (arg.poll ?? "wakeup") as "wakeup" | "busy", queues: [0], nextHopMac: arg.peerMac,
      ...(arg.rxCpu === undefined ? {} : { rxCpu: Number(arg.rxCpu) }),
    });
  }
  return UdpTransport.open({ host, port, recvBufferBytes: 4 << 20, sendBufferBytes: 4 << 20 });
}

function finishAfter(startMs: number, report: () => object): void {
  setTimeout(() => {
    console.log(JSON.stringify(report()));
    process.exit(0);
  }, Math.max(0, startMs + seconds * 1000 - performance.now()));
}

async function receive(): Promise<void> {
  let count = 0;
  let start = 0;
  const began = (): void => {
    start = performance.now();
    finishAfter(start, () => {
      const elapsed = (performance.now() - start) / 1000;
      return { datagrams: count, seconds: elapsed, pps: Math.round(count / elapsed), drops: drops() };
    });
  };
  if (kind === "dgram") {
    const s = dgram.createSocket({ type: "udp4", recvBufferSize: 4 << 20 });
    s.on("message", () => {
      if (count++ === 0) began();
    });
    await new Promise<void>((r) => s.bind(port, host, r));
  } else {
    const t = await openTransport();
    t.onBatch((batch) => {
      if (count === 0) began();
      count += batch.length;
    });
    drops = () => t.stats().rxDrops;
  }
  console.log("ready");
}

let drops: () => object = () => ({});

async function echo(): Promise<void> {
  const t = await openTransport();
  t.onBatch((batch) => t.send(batch.map((d) => ({ peer: d.peer, payload: d.payload }))));
  console.log("ready");
}

async function pingpong(): Promise<void> {
  const t = await openTransport();
  const peer = { host: arg.peer!, port: num("peerPort", 9000) };
  const payload = new Uint8Array(num("size", 64));
  const rounds = num("rounds", 20000);
  const rtts: number[] = [];
  let sentAt = 0;
  let warm = 200;
  const deadline = performance.now() + seconds * 1000;
  const done = (): void => {
    rtts.sort((a, b) => a - b);
    const q = (p: number): number => Math.round(rtts[Math.min(rtts.length - 1, Math.floor(p * rtts.length))]! * 1000) / 1000;
    console.log(JSON.stringify({ rounds: rtts.length, p50Us: q(0.5), p99Us: q(0.99), p999Us: q(0.999), maxUs: q(1) }));
    process.exit(0);
  };
  t.onBatch(() => {
    const rtt = (performance.now() - sentAt) * 1000;
    if (warm > 0) warm--;
    else rtts.push(rtt);
    if (rtts.length >= rounds || performance.now() > deadline) return done();
    sentAt = performance.now();
    t.send([{ peer, payload }]);
  });
  console.log("ready");
  // A lost datagram would stall a strict ping-pong: resend if nothing came back for 100 ms.
  setInterval(() => {
    if (performance.now() - sentAt > 100) {
      sentAt = performance.now();
      t.send([{ peer, payload }]);
    }
  }, 100);
  sentAt = performance.now();
  t.send([{ peer, payload }]);
}

async function send(): Promise<void> {
  const peer = { host: arg.peer!, port: num("peerPort", 9000) };
  const size = num("size", 64);
  const batchSize = 64;
  console.log("ready");
  const start = performance.now();
  const end = start + seconds * 1000;
  let sent = 0;
  if (kind === "dgram") {
    const s = dgram.createSocket({ type: "udp4", sendBufferSize: 4 << 20 });
    await new Promise<void>((r) => s.bind(0, host, r));
    const payload = Buffer.alloc(size);
    // Keep a bounded number of sends in flight so libuv's queue cannot grow without limit.
    await new Promise<void>((resolve) => {
      let inFlight = 0;
      const pump = (): void => {
        while (inFlight < 1024 && performance.now() < end) {
          inFlight++;
          s.send(payload, peer.port, peer.host, (err) => {
            inFlight--;
            if (!err) sent++;
            if (inFlight === 0 && performance.now() >= end) resolve();
            else if (inFlight < 512) setImmediate(pump);
          });
        }
      };
      pump();
    });
  } else {
    const t = await openTransport();
    const batch = Array.from({ length: batchSize }, () => ({ peer, payload: new Uint8Array(size) }));
    t.send(batch); // resolves the neighbour before timing starts
    await new Promise((r) => setTimeout(r, 200));
    const base = t.stats().txDatagrams;
    const t0 = performance.now();
    while (performance.now() < t0 + seconds * 1000) {
      for (let k = 0; k < 64; k++) t.send(batch);
      await new Promise((r) => setImmediate(r));
    }
    sent = t.stats().txDatagrams - base;
    console.log(JSON.stringify({ datagrams: sent, seconds, pps: Math.round(sent / seconds), txDrops: t.stats().txDrops }));
    process.exit(0);
  }
  const elapsed = (performance.now() - start) / 1000;
  console.log(JSON.stringify({ datagrams: sent, seconds: elapsed, pps: Math.round(sent / elapsed) }));
  process.exit(0);
}

const roles: Record<string, () => Promise<void>> = { receive, echo, pingpong, send };
await roles[role!]!();
