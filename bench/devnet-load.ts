// P4/P5 and memory: a 4-validator devnet of real processes on this machine, over UDP on loopback and (as root)
// over AF_XDP between network namespaces. Per transport, in one run:
//   idle        finality latency (proposer's timestamp -> committed on validator 0) p50/p99 with no load
//   load        the same while a bounded generator offers --load-rate signed transfers per second
//   throughput  transfers finalized per second while the generator offers --max-rate (bounded count)
//   soak        (--soak-seconds > 0) resident memory of every validator sampled every 30 s at --load-rate
// Transfers are pre-signed (libsecp256k1) from funded bench accounts so the generator never limits the node.
// Ends with one JSON line per case. Usage: npm run bench:devnet -- [--transports udp,xdp] [--load-rate 1000] ...

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import { sha256, toHex } from "../consensus/crypto/hash.ts";
import { addressFromSecretKey, signAndEncodeTransaction } from "../consensus/execution/transaction-signer.ts";
import { encodeTransaction, transactionSigningHash } from "../consensus/execution/transaction-codec.ts";
import { TxType, type UnsignedTransaction } from "../consensus/execution/transaction.ts";
import { devAccounts } from "../genesis/devnet-accounts.ts";
import { createDevnetPlan, type Topology } from "../node/devnet/devnet-plan.ts";
import { NetnsDevnet } from "../node/devnet/devnet-netns.ts";
import { DevnetProcesses } from "../node/devnet/devnet-processes.ts";
import { rpcCall } from "../node/devnet/rpc-client.ts";
import { freePorts } from "../test/support/free-ports.ts";

const { values: args } = parseArgs({
  options: {
    transports: { type: "string", default: process.getuid?.() === 0 ? "udp,xdp" : "udp" },
    "idle-seconds": { type: "string", default: "20" },
    "load-rate": { type: "string", default: "1000" },
    "load-seconds": { type: "string", default: "20" },
    "max-rate": { type: "string", default: "12000" },
    "throughput-seconds": { type: "string", default: "20" },
    "soak-seconds": { type: "string", default: "0" },
    senders: { type: "string", default: "400" },
    "block-interval-ms": { type: "string", default: "200" },
    "keep-dir": { type: "boolean", default: false },
    trace: { type: "boolean", default: false },
    "log-level": { type: "string", default: "warn" },
  },
});
const num = (k: keyof typeof args) => Number(args[k]);
const native = createRequire(import.meta.url)("secp256k1/bindings.js") as { ecdsaSign(msg: Uint8Array, key: Uint8Array): { signature: Uint8Array; recid: number } };
const GWEI = 1_000_000_000n;

interface Status {
  finalizedHeight: number;
  finalizedTransactions: number;
  recentFinality: { height: number; ms: number }[];
  mempool: number;
  transport: string;
}

/** Refusal messages (numbers folded) and how often each came back: printed with the results. */
const refusals = new Map<string, number>();

interface Signed {
  raw: Uint8Array;
  target: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function sign(tx: UnsignedTransaction, key: Uint8Array): Uint8Array {
  const { signature, recid } = native.ecdsaSign(transactionSigningHash(tx), key);
  return encodeTransaction({ ...tx, yParity: recid as 0 | 1, r: signature.slice(0, 32), s: signature.slice(32, 64) });
}

class Bench {
  private readonly senders: { key: Uint8Array; nonce: bigint }[];
  constructor(
    readonly urls: string[],
    readonly chainId: bigint,
    senders: number,
  ) {
    this.senders = Array.from({ length: senders }, (_, i) => ({ key: sha256(new TextEncoder().encode(`xdpchain-bench-sender-${i}`)), nonce: 0n }));
  }

  status(i = 0): Promise<Status> {
    return rpcCall<Status>(this.urls[i]!, "xdp_status", [], 3_000);
  }

  /** Dev accounts fund the bench senders (one transfer each), then wait until every sender has a balance. */
  async fund(): Promise<void> {
    const dev = devAccounts(10, 0);
    const batch: Uint8Array[] = [];
    this.senders.forEach((s, i) => {
      const from = dev[i % dev.length]!;
      const tx = { ...this.transferTo(addressFromSecretKey(s.key), 100n * 10n ** 18n), nonce: BigInt(Math.floor(i / dev.length)) };
      batch.push(signAndEncodeTransaction(tx, from.privateKey));
    });
    await this.submit(batch, 0);
    const last = this.senders[this.senders.length - 1]!;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const bal = await rpcCall<string>(this.urls[0]!, "eth_getBalance", [`0x${toHex(addressFromSecretKey(last.key))}`, "latest"]);
      if (BigInt(bal) > 0n) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error("bench: funding transfers were not finalized within 60 s");
  }

  private transferTo(to: Uint8Array, value: bigint): UnsignedTransaction {
    return { type: TxType.DynamicFee, chainId: this.chainId, nonce: 0n, maxPriorityFeePerGas: GWEI, maxFeePerGas: 100n * GWEI, gasLimit: 21_000n, to, value, data: new Uint8Array(0), accessList: [] };
  }

  /**
   * `count` pre-signed transfers, round-robin over senders. Each sender talks to one validator (sender i to
   * validator i mod n), as a wallet talks to one RPC: the mempool refuses nonce gaps, so a sender's transactions
   * must reach its validator in order; gossip carries them on in that order.
   */
  presign(count: number): Signed[] {
    const out: Signed[] = [];
    const sink = addressFromSecretKey(sha256(new TextEncoder().encode("xdpchain-bench-sink")));
    for (let i = 0; i < count; i++) {
      const index = i % this.senders.length;
      const s = this.senders[index]!;
      out.push({ raw: sign({ ...this.transferTo(sink, 1n), nonce: s.nonce++ }, s.key), target: index % this.urls.length });
    }
    return out;
  }

  /** JSON-RPC batches of 100 to validator `target`; returns how many were refused. */
  async submit(raws: Uint8Array[], target: number): Promise<number> {
    let refused = 0;
    for (let i = 0; i < raws.length; i += 100) {
      const body = raws.slice(i, i + 100).map((raw, j) => ({ jsonrpc: "2.0", id: i + j, method: "eth_sendRawTransaction", params: [`0x${toHex(raw)}`] }));
      const res = await fetch(this.urls[target]!, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const answers = (await res.json()) as { error?: { message: string } }[];
      for (const a of answers) {
        if (!a.error) continue;
        refused++;
        const reason = a.error.message.replace(/[0-9]+/g, "N");
        refusals.set(reason, (refusals.get(reason) ?? 0) + 1);
      }
    }
    return refused;
  }

  /** Offers `txs` at `rate` per second in 50 ms slices, each to its sender's validator; resolves when all were offered. */
  async offer(txs: Signed[], rate: number): Promise<{ offered: number; refused: number; seconds: number }> {
    const started = Date.now();
    const sliceMs = 50;
    let sent = 0;
    let refused = 0;
    // One chain of requests per validator keeps each sender's transactions in nonce order.
    const chains: Promise<void>[] = this.urls.map(() => Promise.resolve());
    while (sent < txs.length) {
      const due = Math.min(txs.length, Math.floor(((Date.now() - started + sliceMs) * rate) / 1000));
      if (due > sent) {
        const chunk = txs.slice(sent, due);
        sent = due;
        this.urls.forEach((_, target) => {
          const mine = chunk.filter((t) => t.target === target).map((t) => t.raw);
          if (mine.length === 0) return;
          chains[target] = chains[target]!.then(() => this.submit(mine, target)).then((n) => void (refused += n), () => void (refused += mine.length));
        });
      }
      await new Promise((r) => setTimeout(r, sliceMs));
    }
    await Promise.all(chains);
    return { offered: sent, refused, seconds: (Date.now() - started) / 1000 };
  }

  /** Finality samples of validator 0 for blocks above `fromHeight`, collected for `seconds`. */
  async finality(fromHeight: number, seconds: number, during?: Promise<unknown>): Promise<{ samples: number[]; toHeight: number }> {
    const seen = new Map<number, number>();
    const deadline = Date.now() + seconds * 1000;
    let toHeight = fromHeight;
    while (Date.now() < deadline || (during && !(await settled(during)))) {
      const s = await this.status().catch(() => null);
      if (args.trace) {
        const all = await Promise.all(this.urls.map((_, i) => this.status(i).catch(() => null)));
        console.log(`trace: ${all.map((x) => (x ? `h${x.finalizedHeight}/v${(x as unknown as { view: number }).view}/m${x.mempool}` : "down")).join(" ")}`);
      }
      for (const f of s?.recentFinality ?? []) if (f.height > fromHeight) seen.set(f.height, f.ms);
      toHeight = Math.max(toHeight, s?.finalizedHeight ?? 0);
      await new Promise((r) => setTimeout(r, 500));
      if (Date.now() > deadline + 120_000) break;
    }
    return { samples: [...seen.values()].sort((a, b) => a - b), toHeight };
  }
}

async function settled(p: Promise<unknown>): Promise<boolean> {
  return Promise.race([p.then(() => true, () => true), new Promise<boolean>((r) => setImmediate(() => r(false)))]);
}

function rssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const line = fs.readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:"));
    return line ? Math.round(Number(line.split(/\s+/)[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** `udp` (loopback), `xdp` (network namespaces, AF_XDP) or `udp-netns` (the namespaces of `xdp`, over UDP). */
async function runTransport(name: "udp" | "xdp" | "udp-netns"): Promise<Record<string, unknown>[]> {
  const transport = name === "xdp" ? "xdp" : "udp";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `xdpchain-bench-${transport}-`));
  let netns: NetnsDevnet | null = null;
  let topology: Topology;
  if (name !== "udp") {
    netns = NetnsDevnet.create(4, 0, 215);
    topology = netns.topology;
  } else {
    const ports = await freePorts(20);
    topology = { kind: "loopback", addresses: (i) => ({ host: "127.0.0.1", dataPort: ports[i * 5]!, p2pPort: ports[i * 5 + 1]!, rpcPort: ports[i * 5 + 2]!, metricsPort: ports[i * 5 + 3]!, lanePort: ports[i * 5 + 4]! }) };
  }
  const plan = createDevnetPlan({ dir, validators: 4, transport, topology, blockIntervalMs: num("block-interval-ms"), logLevel: args["log-level"] as "warn" });
  const procs = new DevnetProcesses(plan);
  const results: Record<string, unknown>[] = [];
  try {
    procs.startAll();
    const bench = new Bench(plan.nodes.map((_, i) => procs.rpcUrl(i)), plan.chainId, num("senders"));
    const deadline = Date.now() + 60_000;
    while (((await bench.status().catch(() => null))?.finalizedHeight ?? 0) < 3) {
      if (Date.now() > deadline) throw new Error(`devnet did not start:\n${procs.logTail(0)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const actual = (await bench.status()).transport;
    await bench.fund();
    const base = { bench: "devnet", transport: actual, topology: netns ? "netns" : "loopback", validators: 4, blockIntervalMs: num("block-interval-ms") };

    let h = (await bench.status()).finalizedHeight;
    const idle = await bench.finality(h, num("idle-seconds"));
    results.push({ ...base, case: "idle", blocks: idle.samples.length, finalityP50Ms: percentile(idle.samples, 50), finalityP99Ms: percentile(idle.samples, 99) });
    console.log(JSON.stringify(results.at(-1)));

    const loadRate = num("load-rate");
    const loadTxs = bench.presign(loadRate * num("load-seconds"));
    h = (await bench.status()).finalizedHeight;
    let tx0 = (await bench.status()).finalizedTransactions;
    const offering = bench.offer(loadTxs, loadRate);
    const load = await bench.finality(h, num("load-seconds"), offering);
    const offered = await offering;
    if (args.trace) {
      for (let i = 0; i < 4; i++) console.log(`bench: validator ${i} after load: ${JSON.stringify(((await bench.status(i)) as unknown as { transportStats: unknown }).transportStats)}`);
    }
    const tx1 = (await bench.status()).finalizedTransactions;
    results.push({
      ...base,
      case: "load",
      offeredPerSecond: Math.round(offered.offered / offered.seconds),
      refused: offered.refused,
      finalizedPerSecond: Math.round((tx1 - tx0) / offered.seconds),
      blocks: load.samples.length,
      finalityP50Ms: percentile(load.samples, 50),
      finalityP99Ms: percentile(load.samples, 99),
    });
    console.log(JSON.stringify(results.at(-1)));

    // Throughput: offer more than the chain can take and count what finalizes in the window.
    await waitDrained(bench);
    const maxRate = num("max-rate");
    const tpTxs = bench.presign(maxRate * num("throughput-seconds"));
    tx0 = (await bench.status()).finalizedTransactions;
    const t0 = Date.now();
    const tp = await bench.offer(tpTxs, maxRate);
    const tx2 = (await bench.status()).finalizedTransactions;
    const seconds = (Date.now() - t0) / 1000;
    results.push({
      ...base,
      case: "throughput",
      offeredPerSecond: Math.round(tp.offered / tp.seconds),
      refused: tp.refused,
      finalizedPerSecond: Math.round((tx2 - tx0) / seconds),
      rssMb: procs.nodes.map((n) => rssMb(n.child?.pid)),
    });
    console.log(JSON.stringify(results.at(-1)));

    const soakSeconds = num("soak-seconds");
    if (soakSeconds > 0) results.push(await soak(bench, procs, soakSeconds, loadRate, base));
  } catch (err) {
    for (let i = 0; i < procs.nodes.length; i++) console.error(`--- validator ${i} (exit ${JSON.stringify(procs.nodes[i]!.lastExit)}) ---\n${procs.logTail(i, 20)}`);
    throw err;
  } finally {
    await procs.stopAll();
    await netns?.destroy();
    if (args["keep-dir"]) console.log(`bench: node homes and logs kept in ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

async function waitDrained(bench: Bench): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && ((await bench.status().catch(() => null))?.mempool ?? 0) > 0) await new Promise((r) => setTimeout(r, 500));
}

async function soak(bench: Bench, procs: DevnetProcesses, seconds: number, rate: number, base: object): Promise<Record<string, unknown>> {
  await waitDrained(bench);
  const samples: { atSeconds: number; rssMb: (number | null)[]; heapUsedMb: (number | null)[] }[] = [];
  const started = Date.now();
  const chunkSeconds = 30;
  while (Date.now() - started < seconds * 1000) {
    await bench.offer(bench.presign(rate * chunkSeconds), rate);
    const heapUsedMb = await Promise.all(bench.urls.map((_, i) => bench.status(i).then((s) => (s as unknown as { memory: { heapUsed: number } }).memory.heapUsed, () => null)));
    samples.push({ atSeconds: Math.round((Date.now() - started) / 1000), rssMb: procs.nodes.map((n) => rssMb(n.child?.pid)), heapUsedMb });
    console.log(`soak: ${JSON.stringify(samples.at(-1))}`);
  }
  const result = { ...base, case: "soak", seconds, offeredPerSecond: rate, first: samples[0], last: samples.at(-1), samples: samples.length };
  console.log(JSON.stringify(result));
  return result;
}

const lines: Record<string, unknown>[] = [];
for (const t of args.transports!.split(",")) lines.push(...(await runTransport(t as "udp" | "xdp" | "udp-netns")));
if (refusals.size > 0) console.log(`refusals: ${JSON.stringify(Object.fromEntries(refusals))}`);
console.log("--- results ---");
for (const l of lines) console.log(JSON.stringify(l));
