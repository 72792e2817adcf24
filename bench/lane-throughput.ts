// P7: signed order actions per second verified, sequenced and executed on one validator (2 cores), against the raw
// ed25519 ceiling of the same cores (createNodeEd25519Verify on 2 worker threads over the same signed messages)
// measured in the same run. Two cases: single-order actions and --legs (32) leg actions. Signing is done before.
// Verified: LaneVerifyPool, the UDP ingest's own workers (dedupe, verify, order id), fed rounds directly: a
//   loopback UDP sender would take one of the 2 cores, so there is no socket; the JS thread's share is kept.
// Sequenced, as LaneService does it for a proposer: decode and hold each body, sign own receipt batches every Δ
//   (signReceiptBatch, as tick() does), check the 3 peers' batches on arrival, ReceiptPool watermark and evidence,
//   computeBlockLane, laneRoot, settle and prune. Executed: beginLaneBlock, executeLaneOrder (the id recomputed as
//   finishLaneStep does) and laneStateHash per block, on DEVNET_LANE with 64 funded accounts.
// Model (deterministic): 4 equal-stake validators. This one stamps orders at a fixed arrival rate (synthetic µs,
//   not the wall clock, so blocks do not depend on the machine); each peer stamps them 50-350 µs later, kept inside
//   the order's Δ window so no order straddles a cut-off (the late/re-stamp path is not exercised); peers' batches
//   are signed before timing (their work, not ours). A block every --block-ms cuts at the last Δ tick. The receipt
//   pool starts with --history-ms of closed batches at the same rate, so evidence() scans what a node in steady
//   state scans. Every block's Merkle root and the final lane state hash must match across passes and runs.
//   This validator proposes every block (a replica would run checkBlockLane instead). Not measured: relaying
//   bodies to peers, index prices, re-stamps, block encoding, consensus.
// pipelined: the workers verify while the JS thread sequences each Δ and executes each block as soon as its orders
//   are in (3 busy threads on 2 cores, as in the node; in flight bounded as the UDP path: 2048). staged: each stage
//   alone; end-to-end = actions / (sum of stage times). Medians of --runs runs after a warm-up; progress on stderr,
//   one JSON line on stdout.
// Usage: npx tsx bench/lane-throughput.ts [--runs 5 --actions 10000 --batch-actions 2500 --legs 32]

import { once } from "node:events";
import { createPrivateKey, sign } from "node:crypto";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { domainTag } from "../consensus/crypto/domains.ts";
import { keyPairFromSeed } from "../consensus/crypto/ed25519.ts";
import { bytesEqual, sha256, toHex, ZERO_HASH } from "../consensus/crypto/hash.ts";
import { computeBlockLane, laneRoot } from "../consensus/lane/fair-order.ts";
import { LaneOp, WEI_PER_QUOTE } from "../consensus/lane/lane-call.ts";
import { applyLaneCall, beginLaneBlock, executeLaneOrder, type LaneOrderOutcome } from "../consensus/lane/lane-execution.ts";
import { accountIdOf, createLaneState, laneStateHash, type LaneState } from "../consensus/lane/lane-state.ts";
import { decodeOrderAction, encodeOrderAction, orderId, orderSigningBytes, signOrderAction } from "../consensus/lane/order-codec.ts";
import { ActionKind, ORDER_LEGS_MAX, ORDER_VERSION, OrderFlag, Side, TriggerKind, type OrderAction, type OrderActionBody, type OrderLeg } from "../consensus/lane/order.ts";
import {
  decodeReceiptBatch, encodeReceiptBatch, RECEIPT_BATCH_VERSION, receiptBatchSigningBytes, signReceiptBatch, validateReceiptBatch,
  type Receipt, type ReceiptBatch, type ReceiptBatchBody,
} from "../consensus/lane/receipt-batch.ts";
import type { Hash } from "../consensus/types.ts";
import { ValidatorSet } from "../consensus/validator-set.ts";
import { DEVNET_LANE, engineGenesisOf } from "../genesis/genesis-lane.ts";
import { createNodeEd25519Verify } from "../node/crypto/ed25519-node.ts";
import { VERDICT_OK } from "../node/lane/ingest/lane-verify-protocol.ts";
import { LaneVerifyPool, type PoolItem, type RoundResult } from "../node/lane/ingest/lane-verify-pool.ts";
import { EVIDENCE_RETAIN_US, RECEIPTS_PER_DATAGRAM, receiptChunks } from "../node/lane/lane-service.ts";
import { OrderPool } from "../node/lane/order-pool.ts";
import { ReceiptPool } from "../node/lane/receipt-pool.ts";
import { Prng } from "../test/sim/prng.ts";

// ---- ceiling worker: raw verifies over pre-built (key, tag || body, signature), nothing else ----

interface CeilingLoad { type: "load"; keys: Uint8Array; signatures: Uint8Array; messages: Uint8Array; lengths: Uint32Array }
type CeilingRequest = CeilingLoad | { type: "go" };
type CeilingReply = { type: "ready" } | { type: "loaded" } | { type: "done"; ok: number };

function ceilingWorker(): void {
  const port = parentPort!;
  const verify = createNodeEd25519Verify();
  let load: CeilingLoad | undefined;
  port.on("message", (m: CeilingRequest) => {
    if (m.type === "load") {
      load = m;
      return port.postMessage({ type: "loaded" } satisfies CeilingReply);
    }
    const l = load!;
    let ok = 0;
    for (let i = 0, at = 0; i < l.lengths.length; at += l.lengths[i]!, i++) {
      const message = l.messages.subarray(at, at + l.lengths[i]!);
      if (verify(l.keys.subarray(32 * i, 32 * i + 32), message, l.signatures.subarray(64 * i, 64 * i + 64))) ok++;
    }
    port.postMessage({ type: "done", ok } satisfies CeilingReply);
  });
  port.postMessage({ type: "ready" } satisfies CeilingReply);
}

// ---- the chain: 4 validators (this one is index 0), 64 trading accounts on DEVNET_LANE ----

const CHAIN_ID = 31337n;
const EPOCH = 0;
const SELF = 0;
const ACCOUNTS = 64;
/** Batch case: accounts below this requote (cancels + post-only places), the rest take (IOC). */
const MAKERS = 48;
const DEPOSIT_QUOTE = 10n ** 15n;
/** Synthetic stamps start here (2026-01-01 in µs), after the receipt pool's history. */
const T0_US = 1_767_225_600_000_000;
const NO_EXCLUDE: ReadonlySet<number> = new Set();

function seed32(tag: number, i: number): Uint8Array {
  const s = new Uint8Array(32).fill(tag);
  s[31] = i;
  return s;
}

const PKCS8_ED25519 = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
/** node:crypto signing for setup speed only (noble takes ~2 ms here); ed25519 is deterministic: same bytes. */
function setupSigner(secretKey: Uint8Array): (message: Uint8Array) => Uint8Array {
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, secretKey]), format: "der", type: "pkcs8" });
  return (message) => new Uint8Array(sign(null, message, key));
}

const validatorKeys = [0, 1, 2, 3].map((i) => keyPairFromSeed(seed32(0x56, i)));
const set = new ValidatorSet(validatorKeys.map((k) => ({ publicKey: k.publicKey, operator: new Uint8Array(20), stake: 100n })), ZERO_HASH);
const validatorSecrets = set.validators.map((v) => validatorKeys.find((k) => bytesEqual(k.publicKey, v.publicKey))!.secretKey);
const ORACLE = toHex(set.get(SELF)!.publicKey);
const traders = Array.from({ length: ACCOUNTS }, (_, i) => {
  const key = keyPairFromSeed(seed32(0x54, i));
  const address = new Uint8Array(20).fill(0xac);
  address[19] = i;
  return { address, key, sign: setupSigner(key.secretKey) };
});

const now = (): number => Number(process.hrtime.bigint());

function blockSeed(height: number): Hash {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setUint32(4, height);
  return sha256(b);
}

function fundedLane(): LaneState {
  const lane = createLaneState(engineGenesisOf(DEVNET_LANE, set.validators));
  for (const t of traders) {
    const reg = applyLaneCall(lane, { op: LaneOp.RegisterKey, tradingKey: t.key.publicKey }, t.address, 0n);
    const dep = applyLaneCall(lane, { op: LaneOp.Deposit }, t.address, DEPOSIT_QUOTE * WEI_PER_QUOTE);
    if (!reg.ok || !dep.ok) throw new Error("bench setup: lane call refused");
  }
  beginLaneBlock(lane, 1, ORACLE, []);
  lane.cutoffUs = T0_US;
  return lane;
}

// ---- the order stream ----

interface Resting { cid: number; at: number; market: number }
interface Gen { rng: Prng; mids: number[]; accounts: { nonce: bigint; cid: number; resting: Resting[] }[] }

function leg(market: number, action: ActionKind, side: Side, flags: number, price: number, lots: number, cid: number, target: number): OrderLeg {
  return {
    marketId: market, action, side, flags, triggerKind: TriggerKind.None, priceTicks: BigInt(price), sizeLots: BigInt(lots),
    triggerPriceTicks: 0n, clientOrderId: cid, targetClientOrderId: target,
  };
}

function cancelOldest(g: Gen, a: number): OrderLeg {
  const old = g.accounts[a]!.resting.shift()!;
  return leg(old.market, ActionKind.Cancel, Side.None, 0, 0, 0, 0, old.cid);
}

/** A place leg; resting kinds (GTC, post-only) are remembered as later cancel targets. */
function place(g: Gen, a: number, i: number, market: number, buy: boolean, flags: number, offset: number, lots: number): OrderLeg {
  const acct = g.accounts[a]!;
  const mid = g.mids[market]!;
  const cid = ++acct.cid;
  if ((flags & OrderFlag.Ioc) === 0) acct.resting.push({ cid, at: i, market });
  return leg(market, ActionKind.Place, buy ? Side.Buy : Side.Sell, flags, buy ? mid + offset : mid - offset, lots, cid, 0);
}

/** 28% cancels of an order at least a block old, 12% IOC crossing up to 10 ticks, 8% post-only, 52% GTC 1-50 ticks out. */
function singleLeg(g: Gen, i: number, minAge: number): OrderLeg {
  const a = i % ACCOUNTS;
  const resting = g.accounts[a]!.resting;
  let r = g.rng.int(0, 99);
  if (r < 28 || resting.length >= 200) {
    if (resting.length > 0 && i - resting[0]!.at >= minAge) return cancelOldest(g, a);
    r = 99;
  }
  const market = g.rng.int(1, 2);
  const buy = g.rng.int(0, 1) === 0;
  if (r < 40) return place(g, a, i, market, buy, OrderFlag.Ioc, g.rng.int(0, 10), g.rng.int(1, 5));
  return place(g, a, i, market, buy, r < 48 ? OrderFlag.Gtc | OrderFlag.PostOnly : OrderFlag.Gtc, -g.rng.int(1, 50), g.rng.int(1, 20));
}

/** Makers: cancel up to half the legs (orders two own actions old or more), fill up with post-only quotes; takers: all IOC. */
function batchLegs(g: Gen, i: number, legs: number): OrderLeg[] {
  const a = i % ACCOUNTS;
  const out: OrderLeg[] = [];
  if (a >= MAKERS) {
    for (let j = 0; j < legs; j++) out.push(place(g, a, i, g.rng.int(1, 2), g.rng.int(0, 1) === 0, OrderFlag.Ioc, g.rng.int(0, 10), g.rng.int(1, 5)));
    return out;
  }
  const resting = g.accounts[a]!.resting;
  while (out.length < legs / 2 && resting.length > 0 && i - resting[0]!.at >= 2 * ACCOUNTS) out.push(cancelOldest(g, a));
  for (let j = 0; out.length < legs; j++) {
    out.push(place(g, a, i, 1 + ((j >> 1) & 1), j % 2 === 0, OrderFlag.Gtc | OrderFlag.PostOnly, -g.rng.int(1, 50), g.rng.int(1, 20)));
  }
  return out;
}

function generate(count: number, legs: number, blockActions: number, seed: number): OrderActionBody[] {
  const g: Gen = { rng: new Prng(seed), mids: [0, ...DEVNET_LANE.markets.map((m) => m.initialIndexTicks)], accounts: traders.map(() => ({ nonce: 0n, cid: 0, resting: [] })) };
  const out: OrderActionBody[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 500 === 0) for (let m = 1; m < g.mids.length; m++) g.mids[m]! += g.rng.int(-3, 3);
    const a = i % ACCOUNTS;
    const t = traders[a]!;
    out.push({
      version: ORDER_VERSION, chainId: CHAIN_ID, account: t.address, tradingKey: t.key.publicKey, nonce: ++g.accounts[a]!.nonce,
      goodTilBlock: 0n, legs: legs === 1 ? [singleLeg(g, i, blockActions + 64)] : batchLegs(g, i, legs),
    });
  }
  return out;
}

// ---- one case, prepared before timing ----

interface Window { start: number; end: number; tickUs: number }
interface Case {
  name: string; legs: number; orders: number; bodies: OrderActionBody[]; items: PoolItem[]; ids: Uint8Array[];
  loads: CeilingLoad[]; windows: Window[]; windowsPerBlock: number; peerFrames: Uint8Array[][];
  history: ReceiptBatch[][]; historyBatches: number;
}

function ceilingLoads(keys: Uint8Array[], messages: Uint8Array[], signatures: Uint8Array[], parts: number): CeilingLoad[] {
  return Array.from({ length: parts }, (_, p) => {
    const lo = Math.floor((p * keys.length) / parts);
    const hi = Math.floor(((p + 1) * keys.length) / parts);
    const lengths = Uint32Array.from(messages.slice(lo, hi).map((m) => m.length));
    return { type: "load", keys: Buffer.concat(keys.slice(lo, hi)), signatures: Buffer.concat(signatures.slice(lo, hi)), messages: Buffer.concat(messages.slice(lo, hi)), lengths };
  });
}

/** Receipt batches per Δ window as a validator sends them: chunks of RECEIPTS_PER_DATAGRAM, watermark = next stamp or tick. */
function windowBatches(validator: number, receipts: Receipt[], tickUs: number, batchSeq: number, signer?: (m: Uint8Array) => Uint8Array): ReceiptBatch[] {
  const chunks = receiptChunks(receipts, RECEIPTS_PER_DATAGRAM);
  return chunks.map((chunk, c) => {
    const body: ReceiptBatchBody = {
      version: RECEIPT_BATCH_VERSION, chainId: CHAIN_ID, epoch: EPOCH, validator, batchSeq: batchSeq + c,
      watermarkUs: chunks[c + 1]?.[0]?.stampUs ?? tickUs, receipts: chunk,
    };
    return { ...body, signature: signer ? signer(receiptBatchSigningBytes(body)) : new Uint8Array(64) };
  });
}

/** Closed batches (orders long executed) of every validator for historyUs before T0: what evidence() has to skip. */
function historyOf(arrival: number, deltaUs: number, historyUs: number, seed: number): ReceiptBatch[][] {
  const rng = new Prng(seed);
  const windows: Receipt[][] = Array.from({ length: Math.ceil(historyUs / deltaUs) }, () => []);
  const startUs = T0_US - windows.length * deltaUs;
  for (let k = 0, s = startUs; s < T0_US; k++, s = startUs + Math.floor((k * 1e6) / arrival)) {
    windows[Math.floor((s - startUs) / deltaUs)]!.push({ orderId: rng.bytes(32), stampUs: s, localSeq: k + 1 });
  }
  return set.validators.map((_, v) => {
    const out: ReceiptBatch[] = [];
    windows.forEach((w, i) => out.push(...windowBatches(v, w, startUs + (i + 1) * deltaUs, out.length)));
    return out;
  });
}

/** Each peer's stamps (50-350 µs after ours, kept 4 µs inside the window) and its signed, encoded batches per window. */
function peerFrames(stamps: number[], windows: Window[], ids: Uint8Array[], historyBatches: number, seed: number): Uint8Array[][] {
  const frames: Uint8Array[][] = windows.map(() => []);
  const windowOf = new Int32Array(stamps.length);
  windows.forEach((w, k) => windowOf.fill(k, w.start, w.end));
  for (let p = 1; p < set.size; p++) {
    const rng = new Prng(seed * 31 + p);
    const signer = setupSigner(validatorSecrets[p]!);
    const raw = stamps.map((s, i) => Math.min(s + rng.int(50, 349), windows[windowOf[i]!]!.tickUs - 4));
    const order = [...raw.keys()].sort((a, b) => raw[a]! - raw[b]! || a - b);
    let last = 0;
    let k = 0;
    let batchSeq = historyBatches;
    windows.forEach((win, w) => {
      const receipts: Receipt[] = [];
      for (; k < order.length && windowOf[order[k]!] === w; k++) {
        last = Math.max(raw[order[k]!]!, last + 1);
        if (last >= win.tickUs) throw new Error("bench setup: arrival too fast for the stamp model");
        receipts.push({ orderId: ids[order[k]!]!, stampUs: last, localSeq: k + 1 });
      }
      const batches = windowBatches(p, receipts, win.tickUs, batchSeq, signer);
      batchSeq += batches.length;
      if (p === 1 && w === 0 && !bytesEqual(signReceiptBatch(batches[0]!, validatorSecrets[p]!).signature, batches[0]!.signature)) {
        throw new Error("bench setup: node:crypto and noble signatures differ");
      }
      frames[w]!.push(...batches.map(encodeReceiptBatch));
    });
  }
  return frames;
}

function prepare(name: string, legs: number, count: number, arrival: number, o: Options): Case {
  const deltaUs = o.deltaMs * 1000;
  const windowsPerBlock = o.blockMs / o.deltaMs;
  const bodies = generate(count, legs, Math.round((arrival * o.blockMs) / 1000), o.seed);
  const messages = bodies.map(orderSigningBytes);
  const signatures = bodies.map((b, i) => traders[i % ACCOUNTS]!.sign(messages[i]!));
  if (!bytesEqual(signOrderAction(bodies[0]!, traders[0]!.key.secretKey).signature, signatures[0]!)) throw new Error("bench setup: signatures differ");
  const ids = messages.map(sha256);
  const stamps = bodies.map((_, i) => T0_US + Math.floor((i * 1e6) / arrival));
  const windows: Window[] = [];
  stamps.forEach((s, i) => {
    const w = Math.floor((s - T0_US) / deltaUs);
    while (windows.length <= w) windows.push({ start: i, end: i, tickUs: T0_US + (windows.length + 1) * deltaUs });
    windows[w]!.end = i + 1;
  });
  const items = bodies.map((b, i): PoolItem => ({ bytes: encodeOrderAction({ ...b, signature: signatures[i]! }), stampUs: stamps[i]!, localSeq: i + 1, host: "127.0.0.1", port: 9 }));
  const history = historyOf(arrival, deltaUs, o.historyMs * 1000, o.seed + 1);
  const historyBatches = history[0]!.length;
  return {
    name, legs, orders: bodies.reduce((n, b) => n + b.legs.length, 0), bodies, items, ids, windows, windowsPerBlock, history, historyBatches,
    loads: ceilingLoads(bodies.map((b) => b.tradingKey), messages, signatures, o.workers),
    peerFrames: peerFrames(stamps, windows, ids, historyBatches, o.seed + 2),
  };
}

// ---- the stages ----

interface Verified { bytes: Uint8Array; orderId: Uint8Array; stampUs: number; localSeq: number }
interface BlockOut { height: number; cutoffUs: number; orders: OrderAction[]; root: Hash }

/** The proposer's side of LaneService: ingest, tick, peers' batches, section, then what onFinalized keeps tidy. */
class Proposer {
  readonly timers = { ingest: 0, ownBatches: 0, peerBatches: 0, evidence: 0, fairOrder: 0, settle: 0 };
  private readonly orders = new OrderPool();
  private readonly batches = new ReceiptPool();
  private readonly verify = createNodeEd25519Verify();
  private readonly unsent = new Set<string>();
  private own: Receipt[] = [];
  private lastStampUs = 0;
  private previousCutoffUs = T0_US;
  private height = 1;
  sentBytes = 0;

  constructor(history: ReceiptBatch[][], private batchSeq: number) {
    for (const list of history) for (const b of list) this.batches.add(b);
  }

  ingest(verified: readonly Verified[], start: number, end: number): void {
    const t = now();
    for (let i = start; i < end; i++) {
      const rec = verified[i]!;
      const d = decodeOrderAction(rec.bytes);
      if (!d.ok || d.value.chainId !== CHAIN_ID) throw new Error("bench: malformed order");
      const id = toHex(rec.orderId);
      if (this.orders.add(id, { order: { ...d.value }, bytes: rec.bytes, account: accountIdOf(d.value.account), firstSeenMs: 0 }) !== "added") throw new Error("bench: pool refused");
      if (this.unsent.has(id)) continue;
      this.unsent.add(id);
      this.lastStampUs = Math.max(rec.stampUs, this.lastStampUs + 1);
      this.own.push({ orderId: rec.orderId, stampUs: this.lastStampUs, localSeq: rec.localSeq });
    }
    this.timers.ingest += now() - t;
  }

  /** Every Δ: sign and "send" the receipts stamped since the last tick (noble, as LaneService.tick does). */
  tick(tickUs: number): void {
    const t = now();
    const watermarkUs = Math.max(tickUs, this.lastStampUs + 1);
    this.lastStampUs = watermarkUs - 1;
    const chunks = receiptChunks(this.own, RECEIPTS_PER_DATAGRAM);
    for (let c = 0; c < chunks.length; c++) {
      const body: ReceiptBatchBody = {
        version: RECEIPT_BATCH_VERSION, chainId: CHAIN_ID, epoch: EPOCH, validator: SELF, batchSeq: this.batchSeq++,
        watermarkUs: chunks[c + 1]?.[0]?.stampUs ?? watermarkUs, receipts: chunks[c]!,
      };
      const batch = signReceiptBatch(body, validatorSecrets[SELF]!);
      this.batches.add(batch);
      this.sentBytes += encodeReceiptBatch(batch).length;
    }
    this.own = [];
    this.unsent.clear();
    this.timers.ownBatches += now() - t;
  }

  receive(frames: readonly Uint8Array[]): void {
    const t = now();
    for (const f of frames) {
      const d = decodeReceiptBatch(f);
      if (!d.ok) throw new Error("bench: bad peer batch");
      const v = validateReceiptBatch(d.value, { chainId: CHAIN_ID, epoch: EPOCH, set, verify: this.verify });
      if (v.action !== "accept") throw new Error(`bench: peer batch refused: ${v.code}`);
      this.batches.add(d.value);
    }
    this.timers.peerBatches += now() - t;
  }

  section(): BlockOut {
    let t = now();
    const cutoffUs = this.batches.quorumWatermark(set, EPOCH);
    if (cutoffUs <= this.previousCutoffUs) throw new Error("bench: the cut-off did not advance");
    const open = (b: ReceiptBatch): boolean => b.receipts.some((r) => this.orders.get(toHex(r.orderId)) !== undefined);
    const evidence = this.batches.evidence(EPOCH, this.previousCutoffUs, cutoffUs, EVIDENCE_RETAIN_US, NO_EXCLUDE, open);
    const bodies = new Map<string, OrderActionBody>();
    for (const b of evidence) {
      for (const r of b.receipts) {
        const id = toHex(r.orderId);
        const p = this.orders.get(id);
        if (p) bodies.set(id, p.order);
      }
    }
    this.timers.evidence += now() - t;
    t = now();
    const height = ++this.height;
    const lane = computeBlockLane({ chainId: CHAIN_ID, epoch: EPOCH, set, evidence, previousCutoffUs: this.previousCutoffUs, cutoffUs, seed: blockSeed(height), bodies });
    if (!lane.ok) throw new Error(`bench: ${lane.code} ${lane.detail}`);
    if (lane.value.late.length > 0) throw new Error("bench: late orders (the stamp model should prevent them)");
    const hexIds = lane.value.entries.map((e) => toHex(e.orderId));
    const orders = hexIds.map((id) => this.orders.get(id)!.order);
    const root = laneRoot(lane.value.entries.map((e) => e.orderId));
    this.timers.fairOrder += now() - t;
    t = now();
    orders.forEach((o, position) => this.orders.settle({ orderId: hexIds[position]!, account: accountIdOf(o.account), status: "executed", blockHeight: height, position }));
    this.batches.prune(cutoffUs - 2 * EVIDENCE_RETAIN_US);
    this.previousCutoffUs = cutoffUs;
    this.timers.settle += now() - t;
    return { height, cutoffUs, orders, root };
  }
}

/** Block execution's lane part: tick, the orders in fair order (id recomputed as finishLaneStep), the state hash. */
class Executor {
  readonly timers = { orders: 0, stateHash: 0 };
  readonly outcomes: LaneOrderOutcome[] = [];
  readonly roots: string[] = [];
  private readonly lane = fundedLane();
  stateHash = "";

  execute(block: BlockOut): void {
    let t = now();
    beginLaneBlock(this.lane, block.height, ORACLE, []);
    for (const o of block.orders) this.outcomes.push(executeLaneOrder(this.lane, o, toHex(orderId(o)), block.height));
    this.lane.cutoffUs = block.cutoffUs;
    this.timers.orders += now() - t;
    t = now();
    this.stateHash = toHex(laneStateHash(this.lane));
    this.timers.stateHash += now() - t;
    this.roots.push(toHex(block.root));
  }
}

/** One Δ window: its orders held and stamped, our batch signed, the peers' batches in; a block after its last window. */
function stepWindow(c: Case, w: number, verified: readonly Verified[], proposer: Proposer): BlockOut | undefined {
  const win = c.windows[w]!;
  proposer.ingest(verified, win.start, win.end);
  proposer.tick(win.tickUs);
  proposer.receive(c.peerFrames[w]!);
  return (w + 1) % c.windowsPerBlock === 0 || w === c.windows.length - 1 ? proposer.section() : undefined;
}

/** The verify pool with a replaceable round handler, fed like UdpLaneIngest: rounds, a bound on items in flight. */
class VerifyDriver {
  private handler: (r: RoundResult) => void = () => {};
  private constructor(private readonly o: Options, private pool: LaneVerifyPool | null = null) {}

  static async open(o: Options): Promise<VerifyDriver> {
    const d = new VerifyDriver(o);
    d.pool = await LaneVerifyPool.open({
      workers: o.workers, data: { domainTag: domainTag("laneOrder"), dedupeCapacity: 65536, verifier: "node" }, onRound: (r) => d.handler(r),
    });
    return d;
  }

  /** Resolves with the ns from the first submit to the last round handled; then makes the workers forget the keys. */
  run(items: PoolItem[], onVerified: (batch: Verified[]) => void): Promise<number> {
    const pool = this.pool!;
    return new Promise((resolve, reject) => {
      let next = 0;
      let delivered = 0;
      const pump = (): void => {
        while (next < items.length && pool.inFlight + Math.min(this.o.round, items.length - next) <= this.o.inFlight) {
          pool.submit(items.slice(next, next + this.o.round));
          next += this.o.round;
        }
      };
      const t0 = now();
      this.handler = (r) => {
        try {
          const batch = r.items.map((it, i): Verified => {
            if (r.verdicts[i] !== VERDICT_OK) throw new Error(`bench: verdict ${r.verdicts[i]} for order ${it.localSeq}`);
            return { bytes: it.bytes, orderId: r.ids.slice(32 * i, 32 * i + 32), stampUs: it.stampUs, localSeq: it.localSeq };
          });
          delivered += batch.length;
          onVerified(batch);
          if (delivered < items.length) return pump();
          const ns = now() - t0;
          pool.forget(items);
          resolve(ns);
        } catch (err) {
          reject(err as Error);
        }
      };
      pump();
    });
  }

  close(): Promise<void> {
    return this.pool!.close();
  }
}

class CeilingPool {
  private constructor(private readonly workers: Worker[]) {}

  static async open(n: number): Promise<CeilingPool> {
    // A worker does not inherit tsx's loader: register it, then load this file in the worker role.
    const code = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); });`;
    const workers = Array.from({ length: n }, () => new Worker(code, { eval: true, workerData: { role: "ceiling" } }));
    await Promise.all(workers.map((w) => once(w, "message")));
    return new CeilingPool(workers);
  }

  async load(loads: CeilingLoad[]): Promise<void> {
    await Promise.all(this.workers.map((w, i) => {
      const replied = once(w, "message");
      w.postMessage(loads[i]);
      return replied;
    }));
  }

  /** Both workers verify their half at once: ns from "go" to the last "done", and how many verified. */
  async run(): Promise<{ ns: number; ok: number }> {
    const t0 = now();
    const replies = await Promise.all(this.workers.map((w) => {
      const replied = once(w, "message") as Promise<[CeilingReply]>;
      w.postMessage({ type: "go" } satisfies CeilingRequest);
      return replied;
    }));
    const ns = now() - t0;
    return { ns, ok: replies.reduce((n, [m]) => n + (m.type === "done" ? m.ok : 0), 0) };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

// ---- runs ----

interface RunResult {
  ceilingPerSec: number; pipelinedPerSec: number; stagedPerSec: number; verifyPerSec: number; sequencePerSec: number; executePerSec: number;
  /** µs per action in the staged passes (the JS thread alone, no contention with the workers). */
  parts: Record<string, number>;
  stateHash: string; roots: string; outcomes: LaneOrderOutcome[];
}

async function pipelinedPass(c: Case, driver: VerifyDriver): Promise<{ ns: number; proposer: Proposer; executor: Executor }> {
  const proposer = new Proposer(c.history, c.historyBatches);
  const executor = new Executor();
  const verified: Verified[] = [];
  let w = 0;
  const ns = await driver.run(c.items, (batch) => {
    for (const v of batch) verified.push(v);
    for (; w < c.windows.length && verified.length >= c.windows[w]!.end; w++) {
      const block = stepWindow(c, w, verified, proposer);
      if (block) executor.execute(block);
    }
  });
  return { ns, proposer, executor };
}

async function oneRun(c: Case, driver: VerifyDriver, ceiling: CeilingPool): Promise<RunResult> {
  const n = c.bodies.length;
  const perSec = (ns: number): number => (n * 1e9) / ns;
  const ceil = await ceiling.run();
  if (ceil.ok !== n) throw new Error(`bench: ceiling verified ${ceil.ok} of ${n}`);
  const pipe = await pipelinedPass(c, driver);
  // Staged: verify alone, then sequence alone, then execute alone, on fresh state.
  const verified: Verified[] = [];
  const verifyNs = await driver.run(c.items, (batch) => verified.push(...batch));
  verified.forEach((v, i) => {
    if (!bytesEqual(v.orderId, c.ids[i]!)) throw new Error(`bench: wrong order id from the pool at ${i}`);
  });
  const proposer = new Proposer(c.history, c.historyBatches);
  const blocks: BlockOut[] = [];
  let t = now();
  for (let w = 0; w < c.windows.length; w++) {
    const block = stepWindow(c, w, verified, proposer);
    if (block) blocks.push(block);
  }
  const sequenceNs = now() - t;
  const executor = new Executor();
  t = now();
  for (const b of blocks) executor.execute(b);
  const executeNs = now() - t;
  const roots = executor.roots.join(",");
  if (pipe.executor.stateHash !== executor.stateHash || pipe.executor.roots.join(",") !== roots) throw new Error("bench: pipelined and staged lanes differ");
  if (executor.outcomes.length !== n) throw new Error(`bench: ${executor.outcomes.length} of ${n} actions executed`);
  const parts: Record<string, number> = {};
  for (const [k, v] of Object.entries(proposer.timers)) parts[k] = v / 1000 / n;
  for (const [k, v] of Object.entries(executor.timers)) parts[`execute.${k}`] = v / 1000 / n;
  return {
    ceilingPerSec: perSec(ceil.ns), pipelinedPerSec: perSec(pipe.ns), stagedPerSec: perSec(verifyNs + sequenceNs + executeNs),
    verifyPerSec: perSec(verifyNs), sequencePerSec: perSec(sequenceNs), executePerSec: perSec(executeNs),
    parts, stateHash: executor.stateHash, roots, outcomes: executor.outcomes,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[(s.length - 1) >> 1]!;
}

/** Per leg: accepted, or the code that refused it; fills from the engine's events (the matching really ran). */
function tally(outcomes: readonly LaneOrderOutcome[]): { acceptedLegs: number; rejectedLegs: number; rejectedActions: number; fills: number; codes: Record<string, number> } {
  const codes: Record<string, number> = {};
  let acceptedLegs = 0;
  let rejectedLegs = 0;
  let rejectedActions = 0;
  let fills = 0;
  for (const o of outcomes) {
    if (o.rejected) {
      rejectedActions++;
      codes[o.rejected.code] = (codes[o.rejected.code] ?? 0) + 1;
    }
    for (const l of o.legs) {
      if (l.ok) acceptedLegs++;
      else {
        rejectedLegs++;
        codes[l.code!] = (codes[l.code!] ?? 0) + 1;
      }
    }
    for (const e of o.events) if (e.type === "fill") fills++;
  }
  return { acceptedLegs, rejectedLegs, rejectedActions, fills, codes };
}

const fmt = (x: number): string => Math.round(x).toLocaleString("en-US");

async function runCase(c: Case, o: Options, driver: VerifyDriver, ceiling: CeilingPool): Promise<Record<string, unknown>> {
  await ceiling.load(c.loads);
  const runs: RunResult[] = [];
  for (let run = 0; run <= o.runs; run++) {
    const r = await oneRun(c, driver, ceiling);
    if (runs.length > 0 && (r.stateHash !== runs[0]!.stateHash || r.roots !== runs[0]!.roots)) throw new Error("bench: runs disagree on the lane");
    const label = run === 0 ? "warm-up" : `run ${run}`;
    console.error(
      `${c.name} ${label}: ceiling ${fmt(r.ceilingPerSec)} sig/s | pipelined ${fmt(r.pipelinedPerSec)} actions/s = ${fmt(r.pipelinedPerSec * c.legs)} orders/s ` +
        `(${(r.pipelinedPerSec / r.ceilingPerSec).toFixed(2)} of ceiling) | staged ${fmt(r.stagedPerSec)} actions/s ` +
        `(verify ${fmt(r.verifyPerSec)}, sequence ${fmt(r.sequencePerSec)}, execute ${fmt(r.executePerSec)})`,
    );
    if (run > 0) runs.push(r);
  }
  const m = (f: (r: RunResult) => number): number => median(runs.map(f));
  const t = tally(runs[0]!.outcomes);
  const parts = Object.fromEntries(Object.keys(runs[0]!.parts).map((k) => [k, Number(m((r) => r.parts[k]!).toFixed(2))]));
  console.error(`${c.name} µs per action (median): ${Object.entries(parts).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  console.error(`${c.name} outcomes: ${t.acceptedLegs} legs accepted, ${t.rejectedLegs} refused, ${t.rejectedActions} actions refused whole, ${t.fills} fills; codes ${JSON.stringify(t.codes)}`);
  const pipelined = m((r) => r.pipelinedPerSec);
  return {
    legs: c.legs, actions: c.bodies.length, orders: c.orders, blocks: runs[0]!.roots.split(",").length,
    ceilingSigsPerSec: Math.round(m((r) => r.ceilingPerSec)), pipelinedActionsPerSec: Math.round(pipelined), pipelinedOrdersPerSec: Math.round(pipelined * c.legs),
    ratioToCeiling: Number(m((r) => r.pipelinedPerSec / r.ceilingPerSec).toFixed(3)),
    stagedActionsPerSec: Math.round(m((r) => r.stagedPerSec)), stagedOrdersPerSec: Math.round(m((r) => r.stagedPerSec) * c.legs),
    stagedRatioToCeiling: Number(m((r) => r.stagedPerSec / r.ceilingPerSec).toFixed(3)),
    stageActionsPerSec: { verify: Math.round(m((r) => r.verifyPerSec)), sequence: Math.round(m((r) => r.sequencePerSec)), execute: Math.round(m((r) => r.executePerSec)) },
    usPerAction: parts, outcomes: t,
  };
}

interface Options {
  runs: number; actions: number; batchActions: number; legs: number; arrivalSingle: number; arrivalBatch: number;
  deltaMs: number; blockMs: number; historyMs: number; round: number; inFlight: number; workers: number; seed: number;
}

function options(): Options {
  const { values: a } = parseArgs({
    options: {
      runs: { type: "string", default: "5" }, actions: { type: "string", default: "10000" }, "batch-actions": { type: "string", default: "2500" },
      legs: { type: "string", default: String(ORDER_LEGS_MAX) }, "arrival-single": { type: "string", default: "10000" },
      "arrival-batch": { type: "string", default: "6250" }, "delta-ms": { type: "string", default: "50" }, "block-ms": { type: "string", default: "200" },
      "history-ms": { type: "string", default: "4000" }, round: { type: "string", default: "128" }, "in-flight": { type: "string", default: "2048" },
      workers: { type: "string", default: "2" }, seed: { type: "string", default: "7" },
    },
  });
  const o: Options = {
    runs: Number(a.runs), actions: Number(a.actions), batchActions: Number(a["batch-actions"]), legs: Number(a.legs),
    arrivalSingle: Number(a["arrival-single"]), arrivalBatch: Number(a["arrival-batch"]), deltaMs: Number(a["delta-ms"]), blockMs: Number(a["block-ms"]),
    historyMs: Number(a["history-ms"]), round: Number(a.round), inFlight: Number(a["in-flight"]), workers: Number(a.workers), seed: Number(a.seed),
  };
  if (!Number.isInteger(o.legs) || o.legs < 1 || o.legs > ORDER_LEGS_MAX) throw new RangeError(`--legs 1..${ORDER_LEGS_MAX}`);
  if (!Number.isInteger(o.blockMs / o.deltaMs)) throw new RangeError("--block-ms must be a multiple of --delta-ms");
  if (o.round > o.inFlight) throw new RangeError("--round must not exceed --in-flight");
  if (Math.max(o.arrivalSingle, o.arrivalBatch) > 100_000) throw new RangeError("arrival rates above 100k actions/s break the stamp model");
  return o;
}

async function main(): Promise<void> {
  const o = options();
  const load = loadavg();
  console.error(`P7 lane throughput: ${o.workers} workers, load average ${load.map((x) => x.toFixed(2)).join(" ")}; preparing`);
  const single = prepare("single", 1, o.actions, o.arrivalSingle, o);
  const batch = prepare(`${o.legs}-leg`, o.legs, o.batchActions, o.arrivalBatch, o);
  const driver = await VerifyDriver.open(o);
  const ceiling = await CeilingPool.open(o.workers);
  try {
    const s = await runCase(single, o, driver, ceiling);
    const b = await runCase(batch, o, driver, ceiling);
    const goal = { ratioToCeilingMin: 0.8, batchOrdersPerSecMin: 200_000 };
    console.log(JSON.stringify({
      bench: "P7-lane-throughput", runs: o.runs, workers: o.workers, loadAverageBefore: load, loadAverageAfter: loadavg(),
      model: { validators: set.size, accounts: ACCOUNTS, deltaMs: o.deltaMs, blockMs: o.blockMs, historyMs: o.historyMs, arrivalSingle: o.arrivalSingle, arrivalBatch: o.arrivalBatch, round: o.round, inFlight: o.inFlight },
      single: s, batch: b, goal,
      goalMet: (s.ratioToCeiling as number) >= goal.ratioToCeilingMin && (b.pipelinedOrdersPerSec as number) >= goal.batchOrdersPerSecMin,
    }));
  } finally {
    await Promise.all([driver.close(), ceiling.close()]);
  }
}

if (isMainThread) await main();
else if ((workerData as { role?: string } | null)?.role === "ceiling") ceilingWorker();
