// `npm run bench:transport` (root): the data plane's transports on a veth pair between two network namespaces,
// every ratio measured in this one run. P1: datagrams/s delivered into JavaScript while a native AF_XDP sender
// floods (XdpTransport skb/drv, UdpTransport, raw node:dgram, and a C++ AF_XDP loop as the ceiling), at 64 and
// 1200 bytes. P2: JS-to-JS ping-pong round trips (XdpTransport vs UdpTransport). P3: datagrams/s sent from JS
// (XdpTransport vs node:dgram). Receivers/senders run pinned to CPU 1, the flood and echo side on CPU 0, and
// RPS moves the kernel's receive work for the veth (softirq: generic XDP, the UDP stack) onto CPU 1 too, as a
// NIC interrupt would land on the receive core. Driver-mode XDP on veth runs in the sender's NAPI context
// (CPU 0) regardless: RPS cannot move it. Medians of BENCH_RUNS runs (default 5) of BENCH_SECONDS (default 2).
// Prints one JSON line per case at the end.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { NetnsFixture, netnsSkipReason, type VethPair } from "../test/netns/netns-fixture.ts";

const here = dirname(fileURLToPath(import.meta.url));
const tools = join(here, "..", "net-native", "build", "Release");
const agent = join(here, "transport-agent.ts");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const results: object[] = [];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

type Result = Record<string, number | object>;

/** Starts a process in a namespace on one CPU; resolves its "ready" line and, later, its last JSON line. */
function start(ns: string, cpu: number, cmd: string, args: string[]): { child: ChildProcess; ready: Promise<void>; result: Promise<Result> } {
  const child = spawn("ip", ["netns", "exec", ns, "taskset", "-c", String(cpu), cmd, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  let onReady: () => void = () => {};
  const ready = new Promise<void>((r) => (onReady = r));
  child.stdout!.on("data", (chunk: Buffer) => {
    out += chunk;
    if (out.includes("ready")) onReady();
  });
  const result = new Promise<Result>((resolve, reject) => {
    child.on("exit", (code) => {
      const line = out.trim().split("\n").reverse().find((l) => l.startsWith("{"));
      if (line) resolve(JSON.parse(line) as Result);
      else reject(new Error(`${cmd} ${args.join(" ")} exited ${code} without a result: ${out}`));
    });
  });
  result.catch(() => {}); // awaited by the caller when it matters; a killed helper has no result
  return { child, ready: Promise.race([ready, result.then(() => {}, () => {})]), result };
}

const jsAgent = (role: string, kind: string, params: Record<string, string | number>): [string, string[]] =>
  [process.execPath, ["--import", "tsx", agent, role, kind, ...Object.entries(params).map(([k, v]) => `${k}=${v}`)]];

/** Receive rate of one receiver under one flood, and the rate the flood offered over its whole run. */
async function floodRun(p: VethPair, macA: string, receiver: string, size: number): Promise<{ pps: number; offered: number }> {
  const [kind, mode] = receiver.split("-") as [string, string | undefined];
  const [cmd, args] = kind === "c"
    ? [join(tools, "xsk-rx-count"), ["--ifname", p.ifA, "--ip", p.ipA, "--port", "9000", "--mode", mode!, "--seconds", String(SECONDS)]]
    : jsAgent("receive", kind, { host: p.ipA, port: 9000, if: p.ifA, mode: mode ?? "auto", seconds: SECONDS });
  const rx = start(p.nsA, 1, cmd, args);
  await rx.ready;
  const flood = start(p.nsB, 0, join(tools, "xsk-flood"), [
    "--ifname", p.ifB, "--src-ip", p.ipB, "--dst-ip", p.ipA, "--dst-port", "9000", "--dst-mac", macA,
    "--size", String(size), "--seconds", String(SECONDS + 4),
  ]);
  try {
    const result = await rx.result;
    const pps = result.pps as number;
    if (process.env.BENCH_VERBOSE) console.error(JSON.stringify({ receiver, size, ...result }));
    flood.child.kill("SIGINT"); // xsk-flood stops early on SIGINT and still reports what it sent
    const offered = ((await flood.result.catch(() => ({}))) as { pps?: number }).pps ?? 0;
    return { pps, offered };
  } finally {
    flood.child.kill("SIGKILL");
    rx.child.kill("SIGKILL");
  }
}

async function p1(p: VethPair, macA: string): Promise<void> {
  for (const size of [64, 1200]) {
    const pps: Record<string, number> = {};
    const runs: Record<string, number[]> = {};
    const offered: Record<string, number[]> = {};
    const receivers = ["dgram", "udp", "xdp-skb", "xdp-drv", "c-skb", "c-drv"];
    for (let r = 0; r < RUNS; r++) {
      for (const receiver of receivers) {
        const run = await floodRun(p, macA, receiver, size);
        (runs[receiver] ??= []).push(run.pps);
        (offered[receiver] ??= []).push(run.offered);
      }
    }
    for (const receiver of receivers) pps[receiver] = median(runs[receiver]!);
    for (const receiver of receivers) {
      const mode = receiver.split("-")[1];
      results.push({
        case: "P1", size, transport: receiver, pps: pps[receiver], runsPps: runs[receiver], offeredPps: median(offered[receiver]!),
        vsDgram: +(pps[receiver]! / pps.dgram!).toFixed(1),
        ...(receiver.startsWith("xdp") ? { ofCLoop: +(pps[receiver]! / pps[`c-${mode}`]!).toFixed(2) } : {}),
      });
    }
  }
}

async function p2(p: VethPair): Promise<void> {
  const out: Record<string, Record<string, number>> = {};
  for (const kind of ["udp", "xdp"]) {
    const runs: Record<string, number>[] = [];
    for (let r = 0; r < RUNS; r++) {
      const port = 9100 + r;
      const echo = start(p.nsB, 0, ...jsAgent("echo", kind, { host: p.ipB, port, if: p.ifB, mode: "drv", seconds: SECONDS + 30 }));
      await echo.ready;
      const client = start(p.nsA, 1, ...jsAgent("pingpong", kind, {
        host: p.ipA, port, if: p.ifA, mode: "drv", peer: p.ipB, peerPort: port, rounds: 20000, seconds: SECONDS * 4,
      }));
      try {
        runs.push((await client.result) as Record<string, number>);
      } finally {
        echo.child.kill("SIGKILL");
        client.child.kill("SIGKILL");
        await echo.result.catch(() => ({}));
      }
    }
    const pick = (k: string): number => median(runs.map((x) => x[k]!));
    out[kind] = { rounds: pick("rounds"), p50Us: pick("p50Us"), p99Us: pick("p99Us"), p999Us: pick("p999Us") };
  }
  for (const kind of ["udp", "xdp"]) {
    results.push({ case: "P2", transport: kind, ...out[kind], p99VsUdp: +(out[kind]!.p99Us! / out.udp!.p99Us!).toFixed(2) });
  }
}

async function p3(p: VethPair): Promise<void> {
  const pps: Record<string, number[]> = { dgram: [], xdp: [] };
  // A C++ AF_XDP sink on CPU 0 takes the datagrams, so the receiving kernel answers no ICMP and the senders'
  // numbers are their own.
  const sink = start(p.nsB, 0, join(tools, "xsk-rx-count"), [
    "--ifname", p.ifB, "--ip", p.ipB, "--port", "9201", "--mode", "skb", "--seconds", "3600", "--idle-seconds", "3600",
  ]);
  await sink.ready;
  try {
    for (let r = 0; r < RUNS; r++) {
      for (const kind of ["dgram", "xdp"]) {
        const sender = start(p.nsA, 1, ...jsAgent("send", kind, {
          host: p.ipA, port: 9200, if: p.ifA, mode: "skb", peer: p.ipB, peerPort: 9201, size: 64, seconds: SECONDS,
        }));
        pps[kind]!.push((await sender.result).pps as number);
      }
    }
  } finally {
    sink.child.kill("SIGKILL");
  }
  const m = { dgram: median(pps.dgram!), xdp: median(pps.xdp!) };
  results.push({ case: "P3", size: 64, transport: "dgram", pps: m.dgram, runsPps: pps.dgram });
  results.push({ case: "P3", size: 64, transport: "xdp", pps: m.xdp, runsPps: pps.xdp, vsDgram: +(m.xdp / m.dgram).toFixed(1) });
}

async function main(): Promise<void> {
  const skip = netnsSkipReason() ?? (existsSync(join(tools, "xsk-flood")) ? null : "native tools not built");
  if (skip) {
    console.log(JSON.stringify({ bench: "transport", skipped: skip }));
    return;
  }
  const loadavgStart = loadavg().map((x) => +x.toFixed(2)); // the machine is shared: say how busy it was
  const fixture = new NetnsFixture();
  const cleanup = (): void => fixture.destroy();
  process.once("SIGINT", () => (cleanup(), process.exit(130)));
  try {
    const p = fixture.pair(190);
    const macA = /link\/ether ([0-9a-f:]+)/.exec(fixture.link(p.nsA, p.ifA))![1]!;
    fixture.exec(p.nsA, "ping", ["-c", "1", "-W", "2", p.ipB]); // both neighbour tables warm
    fixture.exec(p.nsA, "sh", ["-c", `echo 2 > /sys/class/net/${p.ifA}/queues/rx-0/rps_cpus`]); // A receives on CPU 1
    fixture.exec(p.nsB, "sh", ["-c", `echo 1 > /sys/class/net/${p.ifB}/queues/rx-0/rps_cpus`]); // B receives on CPU 0
    const cases = (process.env.BENCH_CASES ?? "P1,P2,P3").split(",");
    console.error(`bench:transport: ${RUNS} runs of ${SECONDS}s per case (${cases.join(", ")})`);
    if (cases.includes("P1")) await p1(p, macA);
    if (cases.includes("P2")) await p2(p);
    if (cases.includes("P3")) await p3(p);
  } finally {
    cleanup();
  }
  const env = { case: "environment", cpus: cpus().length, loadavgStart, loadavgEnd: loadavg().map((x) => +x.toFixed(2)), runs: RUNS, seconds: SECONDS };
  for (const r of [env, ...results]) console.log(JSON.stringify({ bench: "transport", ...r }));
}

await main();
