// P9 (first half): order lane ingest -> sequenced latency on one node. Per order: the moment a sender process on
// this host hands the signed datagram to its kernel socket, to the moment the node's onOrders handler receives it
// as an IngestedOrder (verified, deduplicated, stamped, numbered). Both sides read CLOCK_MONOTONIC; the ingest's
// stampUs (CLOCK_REALTIME) is mapped onto it with an offset taken at a Date.now() millisecond edge, so each total
// splits into send -> stamp (wire, kernel, receive thread) and stamp -> handler (verification, ring, wake-up).
// Cases: UdpLaneIngest on loopback; XdpLaneIngest (AF_XDP, skb and drv mode) on a veth pair between two namespaces
// made here (root only, removed at the end and on SIGINT). Paced, pre-signed orders at each --rates for --seconds,
// the first --warmup-ms left out of the percentiles; medians of --runs runs; one JSON line at the end. Goal: p99 <= 1 ms.
// Usage: npx tsx bench/lane-ingest-latency.ts [--cases udp,xdp-skb,xdp-drv] [--rates 2000,10000] [--seconds 3] [--runs 3]
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { createPrivateKey, generateKeyPairSync, randomBytes, sign, verify } from "node:crypto";
import dgram from "node:dgram";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { encodeOrderAction, orderSigningBytes, signOrderAction } from "../consensus/lane/order-codec.ts";
import { TRADING_KEY_OFFSET } from "../node/lane/ingest/lane-datagram.ts";
import { xdpLaneOptions, type IngestedOrder, type LaneIngest } from "../node/lane/ingest/lane-ingest.ts";
import { openLaneIngest } from "../node/lane/ingest/open-lane-ingest.ts";
import { UdpLaneIngest } from "../node/lane/ingest/udp-lane-ingest.ts";
import { XdpTransport } from "../node/net/xdp-transport.ts";
import { netnsSkipReason } from "../test/netns/netns-fixture.ts";
import { LANE_CHAIN_ID, orderBody, trader } from "../test/unit/node/lane/ingest/lane-ingest-fixtures.ts";

const { values: args } = parseArgs({
  options: {
    cases: { type: "string", default: "udp,xdp-skb,xdp-drv" },
    rates: { type: "string", default: "2000,10000" },
    seconds: { type: "string", default: "3" },
    runs: { type: "string", default: "3" },
    "warmup-ms": { type: "string", default: "250" },
    "drain-ms": { type: "string", default: "2000" },
    "max-orders": { type: "string", default: "100000" },
    "verify-threads": { type: "string", default: "1" },
    "spin-us": { type: "string", default: "0" },
    sender: { type: "boolean", default: false }, // internal: this file run as the sending process
  },
});
const RATES = args.rates.split(",").map(Number);
const SECONDS = Number(args.seconds);
const RUNS = Number(args.runs);
const WARMUP_MS = Number(args["warmup-ms"]);
const DRAIN_MS = Number(args["drain-ms"]);
const ORDERS_MAX = Number(args["max-orders"]);
const LANE_PORT = 9100;
const DATA_PORT = 9000;
const SUBNET = 199;
// The u64 nonce sits after the trading key; orders are numbered nonce = index + 1 < 2^32, so its low half is enough.
const NONCE_LOW_OFFSET = TRADING_KEY_OFFSET + 32 + 4;

const monoUs = (): number => Number(process.hrtime.bigint()) / 1000; // CLOCK_MONOTONIC, shared by all processes

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface Pct { min: number; p50: number; p99: number; p999: number; max: number }

function pct(xs: Float64Array): Pct {
  const s = Float64Array.from(xs).sort();
  const at = (p: number): number => (s.length ? +s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(1) : NaN);
  return { min: at(0), p50: at(0.5), p99: at(0.99), p999: at(0.999), max: s.length ? +s[s.length - 1]!.toFixed(1) : NaN };
}

const medianPct = (ps: Pct[]): Pct => ({
  min: median(ps.map((p) => p.min)), p50: median(ps.map((p) => p.p50)), p99: median(ps.map((p) => p.p99)),
  p999: median(ps.map((p) => p.p999)), max: median(ps.map((p) => p.max)),
});

/**
 * CLOCK_REALTIME minus CLOCK_MONOTONIC in µs: spins across a few Date.now() millisecond edges (Date.now is the
 * realtime clock floored to ms) and keeps the edge bracketed most tightly by two monotonic reads.
 */
function realtimeOffsetUs(): { offsetUs: number; errorUs: number } {
  let best = { offsetUs: 0, errorUs: Infinity };
  for (let k = 0; k < 4; k++) {
    const ms0 = Date.now();
    let [ms, before, after] = [ms0, monoUs(), monoUs()];
    while (ms === ms0) [before, ms, after] = [after, Date.now(), monoUs()];
    const errorUs = (after - before) / 2;
    if (errorUs < best.errorUs) best = { offsetUs: ms * 1000 - (before + after) / 2, errorUs };
  }
  return best;
}

/** Jiffies from /proc/stat's "cpu" line; cpuShare() turns two readings into busy and steal percent of all CPUs. */
function cpuTimes(): { all: number; idle: number; steal: number } {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { all: f.reduce((a, b) => a + b, 0), idle: f[3]! + f[4]!, steal: f[7] ?? 0 };
}
const cpuShare = (a: ReturnType<typeof cpuTimes>, b: ReturnType<typeof cpuTimes>, all = Math.max(1, b.all - a.all)): { busyPct: number; stealPct: number } =>
  ({ busyPct: Math.round((100 * (all - (b.idle - a.idle))) / all), stealPct: +((100 * (b.steal - a.steal)) / all).toFixed(1) });

/** One OpenSSL ed25519 verification through node:crypto on this CPU now, µs: the floor of stamp -> handler. */
function verifyBaselineUs(): number {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const message = randomBytes(150);
  const signature = sign(null, message, privateKey);
  const round = (t0 = monoUs()): number => {
    for (let i = 0; i < 200; i++) verify(null, message, publicKey, signature);
    return (monoUs() - t0) / 200;
  };
  return +median([round(), round(), round(), round(), round()]).toFixed(1);
}


interface SendCommand { host: string; port: number; ordersFile: string; recordBytes: number; count: number; rate: number; timesFile: string; spinUs: number }
interface SendResult { sent: number; offeredPerSecond: number; lateP50Us: number; lateP99Us: number; bursts: number; sendErrors: number }

/**
 * Paced sends on a connected socket (no address lookup, so each send reaches the kernel synchronously). Sleeps with
 * Atomics.wait until an order is due, then sends every order due by then, each stamped just before its send.
 */
async function sendPaced(c: SendCommand): Promise<SendResult> {
  const orders = readFileSync(c.ordersFile);
  const socket = dgram.createSocket("udp4");
  let sendErrors = 0;
  socket.on("error", () => sendErrors++);
  await new Promise<void>((resolve) => socket.bind(0, () => resolve()));
  await new Promise<void>((resolve) => socket.connect(c.port, c.host, () => resolve()));
  const sentAt = new Float64Array(c.count);
  const late = new Float64Array(c.count);
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const gapUs = 1e6 / c.rate;
  const startUs = monoUs() + 20_000;
  let lastYieldUs = monoUs();
  let bursts = 0;
  for (let i = 0; i < c.count;) {
    const now = monoUs();
    const due = startUs + i * gapUs;
    if (now < due) {
      if (now - lastYieldUs > 1000) { // let libuv run send callbacks (and any send the kernel refused at once)
        await new Promise((r) => setImmediate(r));
        lastYieldUs = monoUs();
      } else if (due - now > c.spinUs) Atomics.wait(sleeper, 0, 0, (due - now - c.spinUs) / 1000);
      continue;
    }
    bursts++;
    do {
      const t = monoUs();
      sentAt[i] = t;
      late[i] = t - (startUs + i * gapUs);
      socket.send(orders.subarray(i * c.recordBytes, (i + 1) * c.recordBytes));
      i++;
    } while (i < c.count && startUs + i * gapUs <= monoUs());
  }
  const elapsedUs = sentAt[c.count - 1]! - sentAt[0]!;
  await new Promise((r) => setTimeout(r, 20));
  await new Promise<void>((r) => socket.close(() => r()));
  writeFileSync(c.timesFile, new Uint8Array(sentAt.buffer));
  const l = pct(late);
  return { sent: c.count, offeredPerSecond: Math.round(((c.count - 1) * 1e6) / elapsedUs), lateP50Us: l.p50, lateP99Us: l.p99, bursts, sendErrors };
}

async function senderMain(): Promise<void> {
  console.log(JSON.stringify({ ready: true }));
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim()) console.log(JSON.stringify(await sendPaced(JSON.parse(line) as SendCommand)));
  }
}

/** A sender process (in a namespace for the AF_XDP cases), kept for all runs of one case; one command at a time. */
class Sender {
  private readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private exited = false;

  constructor(ns: string | null) {
    const node = [process.execPath, "--import", "tsx", fileURLToPath(import.meta.url), "--sender"];
    const [cmd, ...rest] = ns ? ["ip", "netns", "exec", ns, ...node] : node;
    this.child = spawn(cmd!, rest, { stdio: ["pipe", "pipe", "inherit"] });
    createInterface({ input: this.child.stdout! }).on("line", (l) => this.lines.push(l));
    this.child.on("exit", () => (this.exited = true));
  }

  /** The next JSON line the sender prints; polls every 50 ms up to timeoutMs. */
  async next(timeoutMs: number): Promise<Record<string, unknown>> {
    for (const deadline = Date.now() + timeoutMs; this.lines.length === 0; await new Promise((r) => setTimeout(r, 50))) {
      if (this.exited || Date.now() > deadline) throw new Error(this.exited ? "the sender process exited" : `no answer from the sender in ${timeoutMs} ms`);
    }
    return JSON.parse(this.lines.shift()!) as Record<string, unknown>;
  }

  async run(c: SendCommand): Promise<SendResult> {
    this.child.stdin!.write(`${JSON.stringify(c)}\n`);
    return (await this.next((c.count / c.rate) * 1000 + 30_000)) as unknown as SendResult;
  }

  kill(): void {
    if (!this.exited) this.child.kill("SIGKILL");
  }
}


/** count one-leg orders of one trading key, nonces 1..count, signed with OpenSSL, concatenated in a file. */
function presign(dir: string, seedByte: number, count: number): { file: string; recordBytes: number } {
  const key = trader(seedByte);
  const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), key.secretKey]);
  const secret = createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
  const records: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const body = orderBody(key.publicKey, BigInt(i + 1));
    records.push(encodeOrderAction({ ...body, signature: new Uint8Array(sign(null, orderSigningBytes(body), secret)) }));
  }
  // ed25519 is deterministic: the codec's own signer must give the same bytes.
  if (Buffer.compare(encodeOrderAction(signOrderAction(orderBody(key.publicKey, 1n), key.secretKey)), records[0]!) !== 0) {
    throw new Error("node:crypto and signOrderAction disagree on an order signature");
  }
  const file = join(dir, `orders-${seedByte}.bin`);
  writeFileSync(file, Buffer.concat(records));
  return { file, recordBytes: records[0]!.length };
}

/** Two namespaces of this bench ("xlat" + random tag) joined by a veth pair; destroy() is safe to call twice. */
class BenchNetns {
  readonly tag = randomBytes(3).toString("hex");
  readonly nsA = `xlat${this.tag}a`;
  readonly nsB = `xlat${this.tag}b`;
  readonly ifA = `xlat${this.tag}va`;
  readonly ifB = `xlat${this.tag}vb`;
  readonly ipA = `10.${SUBNET}.0.1`;
  readonly ipB = `10.${SUBNET}.0.2`;
  private readonly made: string[] = [];

  constructor() {
    try {
      for (const ns of [this.nsA, this.nsB]) {
        ip("netns", "add", ns);
        this.made.push(ns);
        ip("-n", ns, "link", "set", "lo", "up");
      }
      ip("-n", this.nsA, "link", "add", this.ifA, "type", "veth", "peer", "name", this.ifB, "netns", this.nsB); // never in the host's namespace
      for (const [ns, ifname, addr] of [[this.nsA, this.ifA, this.ipA], [this.nsB, this.ifB, this.ipB]] as const) {
        ip("-n", ns, "addr", "add", `${addr}/24`, "dev", ifname);
        ip("-n", ns, "link", "set", ifname, "up");
      }
      ip("netns", "exec", this.nsB, "ping", "-c", "1", "-W", "2", this.ipA); // the sender's neighbour entry, warm
    } catch (err) {
      this.destroy();
      throw err;
    }
  }

  /** Deleting a namespace deletes its veth end, and with it the peer. */
  destroy(): void {
    while (this.made.length) {
      try {
        ip("netns", "del", this.made.pop()!);
      } catch {
        // already gone
      }
    }
  }
}

function ip(...a: string[]): string {
  return execFileSync("ip", a, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

interface OpenIngest { ingest: LaneIngest; host: string; extra: () => Record<string, number>; close: () => Promise<void> }

async function openIngest(kind: string, netns: BenchNetns | null): Promise<OpenIngest> {
  const verifyThreads = Number(args["verify-threads"]);
  if (kind === "udp") {
    const ingest = await UdpLaneIngest.open({ host: "127.0.0.1", port: 0, chainId: LANE_CHAIN_ID, verifyThreads, recvBufferBytes: 4 << 20, reason: "UDP: bench" });
    return { ingest, host: "127.0.0.1", extra: () => ({}), close: () => ingest.close() };
  }
  const x = await XdpTransport.open({
    interface: netns!.ifA, host: netns!.ipA, port: DATA_PORT, netns: netns!.nsA, mode: kind === "xdp-drv" ? "drv" : "skb",
    lane: xdpLaneOptions({ port: LANE_PORT, chainId: LANE_CHAIN_ID, verifyThreads }),
  });
  const ingest = await openLaneIngest({ transport: x, host: netns!.ipA, port: LANE_PORT, chainId: LANE_CHAIN_ID, log: () => {} });
  const extra = (): Record<string, number> => {
    const s = x.nativeStats();
    const sum = (f: (q: (typeof s.queues)[number]) => number): number => s.queues.reduce((a, q) => a + f(q), 0);
    return {
      laneReceived: s.lane?.received ?? 0, laneBatches: s.lane?.batches ?? 0, laneWakeups: s.lane?.wakeups ?? 0,
      rxPolls: sum((q) => q.rx.polls), kernelRxDropped: sum((q) => q.kernel.rxDropped), kernelRxRingFull: sum((q) => q.kernel.rxRingFull),
    };
  };
  return { ingest, host: netns!.ipA, extra, close: async () => (await ingest.close(), await x.close()) };
}


interface RunResult {
  sent: number; received: number; measured: number; unaccounted: number; accepted: number;
  drops: Record<string, number>; totalUs: Pct; stampLagUs: Pct; handlerLagUs: Pct;
  handlerBatches: number; sender: SendResult; clockErrorUs: number; clockDriftUs: number; native: Record<string, number>;
  busyPct: number; stealPct: number;
}

/** Per order after the warm-up: send -> handler, send -> stamp and stamp -> handler, on the monotonic clock. */
function latencies(sentAt: Float64Array, handledAt: Float64Array, stampUs: Float64Array, offsetUs: number, skip: number): { measured: number; totalUs: Pct; stampLagUs: Pct; handlerLagUs: Pct } {
  const total: number[] = [], stampLag: number[] = [], handlerLag: number[] = [];
  for (let i = skip; i < sentAt.length; i++) {
    if (Number.isNaN(handledAt[i]!)) continue; // dropped or lost: counted, not timed
    const stampMono = stampUs[i]! - offsetUs;
    total.push(handledAt[i]! - sentAt[i]!);
    stampLag.push(stampMono - sentAt[i]!);
    handlerLag.push(handledAt[i]! - stampMono);
  }
  const p = (xs: number[]): Pct => pct(Float64Array.from(xs));
  return { measured: total.length, totalUs: p(total), stampLagUs: p(stampLag), handlerLagUs: p(handlerLag) };
}

async function measure(kind: string, netns: BenchNetns | null, sender: Sender, orders: { file: string; recordBytes: number }, rate: number, dir: string): Promise<RunResult> {
  const count = Math.min(ORDERS_MAX, Math.round(rate * SECONDS));
  const o = await openIngest(kind, netns);
  const handledAt = new Float64Array(count).fill(NaN);
  const stampUs = new Float64Array(count);
  let received = 0;
  let handlerBatches = 0;
  try {
    o.ingest.onOrders((batch: readonly IngestedOrder[]) => {
      const t = monoUs();
      handlerBatches++;
      for (const order of batch) {
        const b = order.bytes;
        const i = (((b[NONCE_LOW_OFFSET]! << 24) | (b[NONCE_LOW_OFFSET + 1]! << 16) | (b[NONCE_LOW_OFFSET + 2]! << 8) | b[NONCE_LOW_OFFSET + 3]!) >>> 0) - 1;
        if (i < 0 || i >= count || !Number.isNaN(handledAt[i]!)) continue; // cannot happen: fresh ingest, distinct nonces
        handledAt[i] = t;
        stampUs[i] = order.stampUs;
        received++;
      }
    });
    const cpu0 = cpuTimes();
    const clock0 = realtimeOffsetUs();
    const timesFile = join(dir, `sent-${kind}-${rate}.bin`);
    const sent = await sender.run({ host: o.host, port: o.ingest.port, ordersFile: orders.file, recordBytes: orders.recordBytes, count, rate, timesFile, spinUs: Number(args["spin-us"]) });
    const settled = (): number => {
      const s = o.ingest.stats();
      return s.accepted + Object.values(s.drops).reduce((a, n) => a + n, 0);
    };
    const deadline = Date.now() + DRAIN_MS;
    while ((settled() < count || received < o.ingest.stats().accepted) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const clock1 = realtimeOffsetUs();
    const cpu = cpuShare(cpu0, cpuTimes());
    const raw = readFileSync(timesFile);
    const sentAt = new Float64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
    const stats = o.ingest.stats();
    const lat = latencies(sentAt, handledAt, stampUs, (clock0.offsetUs + clock1.offsetUs) / 2, Math.round((rate * WARMUP_MS) / 1000));
    return {
      sent: sent.sent, received, unaccounted: count - settled(), accepted: stats.accepted,
      drops: Object.fromEntries(Object.entries(stats.drops).filter(([, n]) => n > 0)), ...lat, handlerBatches, sender: sent, clockErrorUs: +Math.max(clock0.errorUs, clock1.errorUs).toFixed(2),
      clockDriftUs: +(clock1.offsetUs - clock0.offsetUs).toFixed(1), native: o.extra(), ...cpu,
    };
  } finally {
    await o.close();
  }
}


function summarize(kind: string, rate: number, runs: RunResult[]): Record<string, unknown> {
  const sumOf = (f: (r: RunResult) => number): number => runs.reduce((a, r) => a + f(r), 0);
  const sumKeys = (rs: Record<string, number>[]): Record<string, number> => rs.reduce((acc, r) => (Object.entries(r).forEach(([c, n]) => (acc[c] = (acc[c] ?? 0) + n)), acc), {});
  const [drops, native] = [sumKeys(runs.map((r) => r.drops)), sumKeys(runs.map((r) => r.native))];
  const total = medianPct(runs.map((r) => r.totalUs));
  return {
    case: kind, rate, runs: runs.length, p50Us: total.p50, p99Us: total.p99, p999Us: total.p999, maxUs: total.max,
    p99MeetsGoal: total.p99 <= 1000, runsP99Us: runs.map((r) => r.totalUs.p99),
    sendToStampUs: medianPct(runs.map((r) => r.stampLagUs)), stampToHandlerUs: medianPct(runs.map((r) => r.handlerLagUs)),
    sent: sumOf((r) => r.sent), received: sumOf((r) => r.received), unaccounted: sumOf((r) => r.unaccounted), drops,
    measuredPerRun: median(runs.map((r) => r.measured)), ordersPerHandlerCall: +(sumOf((r) => r.received) / sumOf((r) => r.handlerBatches)).toFixed(2),
    offeredPerSecond: median(runs.map((r) => r.sender.offeredPerSecond)), senderLateP99Us: median(runs.map((r) => r.sender.lateP99Us)),
    clockErrorUsMax: Math.max(...runs.map((r) => r.clockErrorUs)), busyPct: median(runs.map((r) => r.busyPct)), stealPct: median(runs.map((r) => r.stealPct)), native,
  };
}

/** All runs of one case, or why it is skipped (not root, AF_XDP cannot open on this veth). */
async function runCase(kind: string, netns: BenchNetns | null, orders: { file: string; recordBytes: number }[], dir: string, senders: Sender[]): Promise<Record<string, unknown>[] | string> {
  if (kind !== "udp") {
    try {
      await (await openIngest(kind, netns)).close();
    } catch (err) {
      return `AF_XDP unavailable: ${(err as Error).message}`;
    }
  }
  const sender = new Sender(kind === "udp" ? null : netns!.nsB);
  senders.push(sender);
  const byRate: RunResult[][] = RATES.map(() => []);
  try {
    await sender.next(30_000); // ready
    for (let run = 1; run <= RUNS; run++) {
      for (let k = 0; k < RATES.length; k++) {
        const r = await measure(kind, netns, sender, orders[k]!, RATES[k]!, dir);
        byRate[k]!.push(r);
        console.error(`${kind} ${RATES[k]}/s run ${run}/${RUNS}: sent ${r.sent} received ${r.received} p50 ${r.totalUs.p50} p99 ${r.totalUs.p99} p999 ${r.totalUs.p999} max ${r.totalUs.max} µs; ` +
          `send->stamp p50 ${r.stampLagUs.p50} p99 ${r.stampLagUs.p99}, stamp->handler p50 ${r.handlerLagUs.p50} p99 ${r.handlerLagUs.p99}; drops ${JSON.stringify(r.drops)}; ` +
          `cpu busy ${r.busyPct}% steal ${r.stealPct}%; loadavg ${loadavg()[0]!.toFixed(2)}`);
      }
    }
  } finally {
    sender.kill();
  }
  return RATES.map((rate, k) => summarize(kind, rate, byRate[k]!));
}

async function main(): Promise<void> {
  const loadavgStart = loadavg().map((x) => +x.toFixed(2)); // the machine is shared: say how busy it was
  const cases = args.cases.split(",");
  const dir = mkdtempSync(join(tmpdir(), "xdpchain-lane-latency-"));
  const skipped: Record<string, string> = {};
  const results: Record<string, unknown>[] = [];
  let netns: BenchNetns | null = null;
  const senders: Sender[] = [];
  const cleanup = (): void => {
    for (const s of senders) s.kill();
    netns?.destroy();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", cleanup); // also after an uncaught error
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => process.exit(130));
  console.error(`lane-ingest-latency: cases ${cases.join(",")}, rates ${RATES.join(",")}/s, ${SECONDS}s each, ${RUNS} runs; loadavg ${loadavgStart.join(" ")}`);
  const verifyUs = verifyBaselineUs();
  console.error(`OpenSSL ed25519 verify here: ${verifyUs} µs (one verifier thread tops out near ${Math.round(1e6 / verifyUs)} orders/s)`);
  try {
    const orders = RATES.map((rate, k) => presign(dir, 0x60 + k, Math.min(ORDERS_MAX, Math.round(rate * SECONDS))));
    for (const kind of cases) {
      const why = kind === "udp" ? null : netnsSkipReason();
      if (!why && kind !== "udp") netns ??= new BenchNetns();
      const out = why ?? (await runCase(kind, netns, orders, dir, senders));
      if (typeof out === "string") console.error(`${kind}: skipped: ${(skipped[kind] = out)}`);
      else results.push(...out);
    }
  } finally {
    cleanup();
  }
  const environment = { cpus: cpus().length, loadavgStart, loadavgEnd: loadavg().map((x) => +x.toFixed(2)), runs: RUNS, seconds: SECONDS, warmupMs: WARMUP_MS, verifyThreads: Number(args["verify-threads"]), opensslVerifyUs: verifyUs };
  console.log(JSON.stringify({ bench: "lane-ingest-latency", measure: "order sent -> onOrders handler, µs", goalP99Us: 1000, environment, skipped, results }));
}

if (args.sender) await senderMain();
else await main();
