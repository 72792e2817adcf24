// The validator's order lane (DESIGN "Order lane"): takes verified, stamped orders from ingest (AF_XDP or UDP) and
// from RPC, signs a receipt batch every Δ and sends it with the bodies it stamped to its peers on the data plane,
// keeps its peers' batches and bodies, builds the proposer's lane section (cut-off, evidence, fair order, index
// prices), and after each finalized block records what every order did, re-stamps orders the block reported late
// and tells subscribers. The rules live in consensus/lane; this is the I/O and the bounded pools around them.

import { fromHex, toHex, ZERO_HASH } from "../../consensus/crypto/hash.ts";
import type { Ed25519Verify } from "../../consensus/crypto/ed25519.ts";
import type { EngineEvent } from "../../consensus/derivatives/events.ts";
import type { LaneBlockExecution } from "../../consensus/execution/lane-step.ts";
import { computeBlockLane, laneRoot } from "../../consensus/lane/fair-order.ts";
import { emptyBlockLane, type BlockLane } from "../../consensus/lane/lane-section.ts";
import type { LaneState } from "../../consensus/lane/lane-state.ts";
import { accountIdOf } from "../../consensus/lane/lane-state.ts";
import { decodeOrderAction, orderId, orderSigningBytes, verifyOrderAction } from "../../consensus/lane/order-codec.ts";
import type { OrderAction, OrderActionBody } from "../../consensus/lane/order.ts";
import {
  decodeReceiptBatch,
  encodeReceiptBatch,
  RECEIPT_BATCH_HEADER_BYTES,
  RECEIPT_BYTES,
  receiptBatchSigningBytes,
  signReceiptBatch,
  validateReceiptBatch,
  type Receipt,
  type ReceiptBatch,
} from "../../consensus/lane/receipt-batch.ts";
import { LIMITS, type Hash } from "../../consensus/types.ts";
import { validatorSetAt } from "../../consensus/execution/epoch.ts";
import { getEpochRecord } from "../../consensus/state/state-access.ts";
import type { WorldState } from "../../consensus/state/world-state.ts";
import type { ValidatorSet } from "../../consensus/validator-set.ts";
import type { Address } from "../net/datagram-transport.ts";
import { LaneFrameKind, type LaneFrame } from "../wire/data-plane-codec.ts";
import { FRAME_HEADER_BYTES } from "../wire/frame-header.ts";
import type { LaneBackend, LaneBlockSummary, LaneFill, LaneInfo, LaneOrderRecord, SubmitOrderResult } from "./lane-backend.ts";
import { NextEpochHold } from "./next-epoch-hold.ts";
import { OrderPool } from "./order-pool.ts";
import type { PriceFeed } from "./price-feed.ts";
import { ReceiptPool } from "./receipt-pool.ts";

/** One order as ingest hands it over: verified, not a duplicate there, stamped at receive time. */
export interface StampedOrder {
  bytes: Uint8Array;
  orderId: Uint8Array;
  stampUs: number;
}

/** Receipts that fit one data-plane datagram with the batch header and signature (1472-byte payload). */
export const RECEIPTS_PER_DATAGRAM = Math.floor((1472 - FRAME_HEADER_BYTES - 1 - RECEIPT_BATCH_HEADER_BYTES - 64) / RECEIPT_BYTES);
/** Own receipts waiting for the next batch; beyond it ingest is outrunning the lane (dropped, counted). */
export const RECEIPTS_PENDING_MAX = 100_000;
/** How far before the previous cut-off evidence reaches back, so an order's early stamps still count. */
export const EVIDENCE_RETAIN_US = 2_000_000;
/** A pending order unexecuted this long is re-stamped once more, and dropped at twice that. */
export const RESTAMP_AFTER_MS = 3_000;
/** Fills kept per account for lane_fills. */
export const LANE_FILLS_KEPT = 1_000;
const FILL_ACCOUNTS_MAX = 100_000;

export type RememberVerified = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => void;

export interface LaneServiceOptions {
  chainId: bigint;
  deltaMs: number;
  /** This validator's index and key in the current epoch; a follower has none and sends no batches. */
  validatorIndex: () => number | undefined;
  secretKey: Uint8Array;
  epoch: () => { epoch: number; set: ValidatorSet };
  verify: Ed25519Verify;
  /** Told of each signature the ingest verified (native or worker threads, same rules as `verify`). */
  rememberVerified?: RememberVerified;
  broadcast: (kind: LaneFrameKind, bodies: Uint8Array[]) => void;
  priceFeed: PriceFeed;
  committedLane: () => LaneState;
  committedHeight: () => number;
  info: () => Omit<LaneInfo, "deltaMs">;
  nowMs?: () => number;
  log?: (level: "info" | "warn", msg: string, fields?: Record<string, unknown>) => void;
}

export interface LaneServiceStats {
  stamped: number;
  relayedIn: number;
  batchesSent: number;
  batchesIn: number;
  refused: Record<string, number>;
  pendingOrders: number;
  receiptBatches: number;
  restamped: number;
  emptyLaneBlocks: number;
}

export class LaneService implements LaneBackend {
  private readonly orders = new OrderPool();
  private readonly batches = new ReceiptPool();
  private ownReceipts: Receipt[] = [];
  private readonly unsentIds = new Set<string>();
  private relayBodies: Uint8Array[] = [];
  /** Peers' batches for the next epoch, held until this node's committed epoch turns. */
  private readonly nextEpoch = new NextEpochHold({ validatorsMax: LIMITS.maxValidators });
  private heldEpoch = -1;
  private lastStampUs = 0;
  private localSeq = 0;
  /** Unique across restarts: batches are named (validator, sequence) and a restart must not reuse a name. */
  private batchSeq: number;
  private timer: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<(s: LaneBlockSummary) => void>();
  private readonly fillsByAccount = new Map<string, LaneFill[]>();
  private readonly counts = { stamped: 0, relayedIn: 0, batchesSent: 0, batchesIn: 0, restamped: 0, emptyLaneBlocks: 0 };
  private readonly refused: Record<string, number> = {};
  private readonly now: () => number;

  constructor(private readonly o: LaneServiceOptions) {
    this.now = o.nowMs ?? Date.now;
    this.batchSeq = this.now() * 1000;
  }

  start(): void {
    this.timer ??= setInterval(() => this.tick(), this.o.deltaMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private refuse(code: string): void {
    this.refused[code] = (this.refused[code] ?? 0) + 1;
  }

  /** Orders from ingest, already verified and deduplicated there (the pool drops what it already holds). */
  ingest(batch: readonly StampedOrder[]): void {
    for (const rec of batch) {
      const decoded = decodeOrderAction(rec.bytes);
      if (!decoded.ok || decoded.value.chainId !== this.o.chainId) {
        this.refuse("malformed");
        continue;
      }
      const id = toHex(rec.orderId);
      if (!this.accept(id, decoded.value, rec.bytes, rec.stampUs)) continue;
      this.o.rememberVerified?.(decoded.value.tradingKey, orderSigningBytes(decoded.value), decoded.value.signature);
      this.relayBodies.push(rec.bytes);
    }
  }

  /** lane_sendOrder: the same checks as ingest, on the JavaScript thread. */
  submitOrder(bytes: Uint8Array): SubmitOrderResult {
    const decoded = decodeOrderAction(bytes);
    if (!decoded.ok) return { ok: false, code: "LANE_ERROR_MALFORMED", message: `not an order action: ${decoded.detail}` };
    const order = decoded.value;
    if (order.chainId !== this.o.chainId) return { ok: false, code: "LANE_ERROR_WRONG_CHAIN", message: `chain id ${order.chainId}, this chain is ${this.o.chainId}` };
    if (!verifyOrderAction(order, this.o.verify)) return { ok: false, code: "LANE_ERROR_BAD_SIGNATURE", message: "the trading key's signature does not verify" };
    const id = toHex(orderId(order));
    if (this.orders.has(id)) return { ok: false, code: "LANE_ERROR_DUPLICATE", message: `order ${id} was already received` };
    if (!this.accept(id, order, bytes.slice(), this.now() * 1000)) {
      return { ok: false, code: "LANE_ERROR_POOL_FULL", message: `this validator holds ${this.orders.pendingCount} pending orders, its limit; try again shortly` };
    }
    this.relayBodies.push(bytes.slice());
    return { ok: true, orderId: id };
  }

  /** Holds the body and stamps it (validators only). False when already held or the pool is full (counted). */
  private accept(id: string, order: OrderActionBody & { signature: Uint8Array }, bytes: Uint8Array, stampUs: number): boolean {
    const entry = { order: { ...order }, bytes, account: accountIdOf(order.account), firstSeenMs: this.now() };
    const added = this.orders.add(id, entry);
    if (added !== "added") {
      this.refuse(added === "full" ? "poolFull" : "duplicate");
      return false;
    }
    this.stamp(id, stampUs);
    return true;
  }

  private stamp(id: string, stampUs: number): void {
    if (this.o.validatorIndex() === undefined) return;
    if (this.ownReceipts.length >= RECEIPTS_PENDING_MAX) return this.refuse("receiptsFull");
    // One receipt per order per batch (peers refuse a batch naming an order twice): a stamp waiting for this Δ's
    // batch is at most Δ old, so a second one (a re-stamp) adds nothing.
    if (this.unsentIds.has(id)) return;
    this.unsentIds.add(id);
    // Receipts of one validator are strictly increasing in stamp and sequence; equal stamps move up by 1 µs.
    const s = Math.max(Math.floor(stampUs), this.lastStampUs + 1);
    this.lastStampUs = s;
    this.localSeq = this.localSeq >= 0xffffffff ? 1 : this.localSeq + 1;
    this.ownReceipts.push({ orderId: fromHex(id), stampUs: s, localSeq: this.localSeq });
    const pending = this.orders.get(id);
    if (pending) pending.stampUs = s;
    this.counts.stamped++;
  }

  /** A peer's lane frame: a receipt batch (signature checked) or an order body (verified before it is held). */
  onFrame(frame: LaneFrame, _from: Address): void {
    if (frame.kind === LaneFrameKind.receipts) {
      const decoded = decodeReceiptBatch(frame.body);
      if (!decoded.ok) return this.refuse("badBatch");
      const { epoch, set } = this.o.epoch();
      if (decoded.value.epoch === epoch + 1) {
        // A peer that committed the epoch's last block first already signs for the next epoch, whose set this
        // node learns when it commits that block too: held (bounded, vouched-for apart) and checked in full then.
        const b = decoded.value;
        const member = set.get(b.validator);
        const vouched = member !== undefined && this.o.verify(member.publicKey, receiptBatchSigningBytes(b), b.signature);
        if (b.epoch !== this.heldEpoch) this.admitNextEpochBatches(); // anything held for an older epoch goes first
        this.heldEpoch = b.epoch;
        const held = this.nextEpoch.hold(b, vouched);
        if (held !== "held") this.refuse(`nextEpoch_${held}`);
        return;
      }
      this.addPeerBatch(decoded.value);
      return;
    }
    const decoded = decodeOrderAction(frame.body);
    if (!decoded.ok || decoded.value.chainId !== this.o.chainId) return this.refuse("badRelayedOrder");
    const id = toHex(orderId(decoded.value));
    if (this.orders.has(id)) return;
    if (!verifyOrderAction(decoded.value, this.o.verify)) return this.refuse("badRelayedSignature");
    this.counts.relayedIn++;
    this.accept(id, decoded.value, frame.body, this.now() * 1000);
  }

  private addPeerBatch(batch: ReceiptBatch): void {
    const { epoch, set } = this.o.epoch();
    const v = validateReceiptBatch(batch, { chainId: this.o.chainId, epoch, set, verify: this.o.verify });
    if (v.action !== "accept") return this.refuse(v.code);
    if (this.batches.add(batch)) this.counts.batchesIn++;
  }

  /** Next-epoch batches held by onFrame, checked once this node's committed epoch has caught up. */
  private admitNextEpochBatches(): void {
    if (this.nextEpoch.size === 0) return;
    const { epoch } = this.o.epoch();
    if (epoch < this.heldEpoch) return; // not turned yet
    for (const b of this.nextEpoch.take()) {
      if (b.epoch === epoch) this.addPeerBatch(b);
      else this.refuse("RECEIPTS_ERROR_WRONG_EPOCH");
    }
  }

  /** Every Δ: sign and send the receipts stamped since the last batch (an empty batch still moves the watermark). */
  tick(): void {
    // Before the validator check: a follower's RPC and ingest orders must reach the validators too (and its
    // relay list must not grow without bound).
    if (this.relayBodies.length > 0) {
      this.o.broadcast(LaneFrameKind.order, this.relayBodies);
      this.relayBodies = [];
    }
    const index = this.o.validatorIndex();
    if (index === undefined) return;
    const { epoch } = this.o.epoch();
    const receipts = this.ownReceipts;
    this.ownReceipts = [];
    this.unsentIds.clear();
    const nowUs = Math.max(this.now() * 1000, this.lastStampUs + 1);
    // The last batch attests every stamp before nowUs is reported: a later stamp (an ingest stamp taken before
    // this tick, a clock step back) must not fall below it.
    this.lastStampUs = nowUs - 1;
    const frames: Uint8Array[] = [];
    const chunks = receiptChunks(receipts, RECEIPTS_PER_DATAGRAM);
    for (let c = 0; c < chunks.length; c++) {
      const chunk = chunks[c]!;
      const next = chunks[c + 1]?.[0];
      const watermarkUs = next ? next.stampUs : nowUs;
      const batch = signReceiptBatch(
        { version: 1, chainId: this.o.chainId, epoch, validator: index, batchSeq: this.batchSeq++, watermarkUs, receipts: chunk },
        this.o.secretKey,
      );
      this.batches.add(batch);
      frames.push(encodeReceiptBatch(batch));
    }
    this.counts.batchesSent += frames.length;
    this.o.broadcast(LaneFrameKind.receipts, frames);
    this.restampStale();
  }

  private restampStale(): void {
    const nowMs = this.now();
    const { set } = this.o.epoch();
    for (const [id, p] of this.orders.olderThan(nowMs - RESTAMP_AFTER_MS)) {
      if (nowMs - p.firstSeenMs > 2 * RESTAMP_AFTER_MS) {
        // Re-stamped once already: stamp no more (each new receipt would keep it named for ever). Once no held
        // receipt names it, no block can need its body: give up on it.
        if (this.batches.namesOrder(id)) continue;
        this.orders.drop(id);
        this.refuse("expiredUnexecuted");
        continue;
      }
      if (p.stampUs !== undefined && nowMs * 1000 - p.stampUs < RESTAMP_AFTER_MS * 1000) continue;
      // A quorum has stamped it: it is eligible and goes in once the cut-off passes (a stalled lane, an epoch
      // turn). A new stamp would only move it back, and since a block counts each validator's latest stamp, a
      // quorum of re-stamps after it executed would make it eligible a second time.
      if (this.batches.quorumStamped(id, set)) continue;
      this.stamp(id, nowMs * 1000);
      this.counts.restamped++;
    }
  }

  /**
   * The proposer's section for a block on `parentLane` with this timestamp: the highest cut-off a quorum's
   * watermarks allow (never after the block's time), the batches that cover it, the fair order recomputed exactly
   * as replicas will (consensus/lane/fair-order.ts), and this validator's index prices. While the evidence names
   * a quorum-stamped body this node lacks, one validator naming it is left out (and the cut-off recomputed without
   * it); without a quorum the lane does not advance.
   */
  section(input: { parentHash: Hash; parentState: WorldState; parentLane: LaneState; timestampMs: number }): { section: BlockLane; laneRoot: Hash } {
    this.tick(); // this validator's own latest receipts belong in its own block
    const { parentLane, timestampMs } = input;
    const prices = this.o.priceFeed.prices(this.now(), parentLane.engine);
    // The block's epoch is its parent's (which may be ahead of this node's committed head at an epoch boundary).
    const epoch = getEpochRecord(input.parentState).epoch;
    const set = validatorSetAt(input.parentState);
    const empty = (): { section: BlockLane; laneRoot: Hash } => {
      this.counts.emptyLaneBlocks++;
      return { section: { ...emptyBlockLane(parentLane.cutoffUs), prices }, laneRoot: ZERO_HASH };
    };
    const previousCutoffUs = parentLane.cutoffUs;
    const exclude = new Set<number>();
    for (let attempt = 0; attempt <= set.size; attempt++) {
      // Without the excluded validators: the rest must vouch for the cut-off themselves.
      const cutoffUs = Math.min(this.batches.quorumWatermark(set, epoch, exclude), timestampMs * 1000);
      if (cutoffUs <= previousCutoffUs) return empty();
      const open = (b: ReceiptBatch) => b.receipts.some((r) => this.orders.get(toHex(r.orderId)) !== undefined);
      const evidence = this.batches.evidence(epoch, previousCutoffUs, cutoffUs, EVIDENCE_RETAIN_US, exclude, open);
      const bodies = new Map<string, OrderAction>();
      for (const b of evidence) {
        for (const r of b.receipts) {
          const id = toHex(r.orderId);
          const p = this.orders.get(id) ?? this.orders.settledBody(id);
          if (p) bodies.set(id, p.order);
        }
      }
      const result = computeBlockLane({ chainId: this.o.chainId, epoch, set, evidence, previousCutoffUs, cutoffUs, seed: input.parentHash, bodies });
      if (result.ok) {
        const orders = result.value.entries.map((e) => bodies.get(toHex(e.orderId))!);
        const ids = result.value.entries.map((e) => e.orderId);
        return { section: { cutoffUs, prices, evidence, orders }, laneRoot: laneRoot(ids) };
      }
      if (result.code !== "LANE_ERROR_MISSING_BODY") {
        this.o.log?.("warn", "order lane: no section for this block", { code: result.code, detail: result.detail });
        return empty();
      }
      // One validator per attempt: a quorum stamped the missing order, so leaving out every validator that named
      // it at once would leave less than a third of the stake, which can never vouch for a cut-off.
      const missing = result.detail;
      let namer: number | undefined;
      for (const b of evidence) if (b.receipts.some((r) => toHex(r.orderId) === missing)) namer = b.validator;
      if (namer === undefined) return empty();
      exclude.add(namer);
    }
    return empty();
  }

  /** After a finalized block: record outcomes and fills, re-stamp late orders, notify subscribers, prune. */
  onFinalized(block: { height: number; hash: Hash; timestampMs: number }, lane: LaneBlockExecution): void {
    this.admitNextEpochBatches();
    lane.orders.forEach((outcome, position) => {
      const record: LaneOrderRecord = {
        orderId: outcome.orderId, account: outcome.account, status: outcome.rejected ? "rejected" : "executed",
        blockHeight: block.height, position, outcome,
      };
      this.orders.settle(record);
    });
    for (const id of lane.late) {
      if (this.orders.get(id)) {
        this.stamp(id, this.now() * 1000);
        this.counts.restamped++;
      }
    }
    const events: EngineEvent[] = [...lane.blockEvents];
    for (const o of lane.orders) events.push(...o.events);
    this.recordFills(block.height, events);
    this.batches.prune(lane.section.cutoffUs - 2 * EVIDENCE_RETAIN_US);
    const booksChanged = new Set<number>();
    for (const e of events) if ("marketId" in e && e.type !== "mark" && e.type !== "funding") booksChanged.add(e.marketId);
    const summary: LaneBlockSummary = {
      height: block.height, hash: toHex(block.hash), timestampMs: block.timestampMs, cutoffUs: lane.section.cutoffUs,
      orders: lane.orders, events, booksChanged: [...booksChanged].sort((a, b) => a - b),
    };
    for (const l of this.listeners) l(summary);
  }

  private recordFills(height: number, events: readonly EngineEvent[]): void {
    for (const e of events) {
      if (e.type !== "fill") continue;
      const makerSide = e.takerSide === "buy" ? "sell" : "buy";
      this.pushFill(e.taker, { blockHeight: height, marketId: e.marketId, priceTicks: e.priceTicks, lots: e.lots, side: e.takerSide, clientOrderId: e.takerNonce, liquidity: "taker", feeQuote: e.takerFeeQuote, counterparty: e.maker });
      this.pushFill(e.maker, { blockHeight: height, marketId: e.marketId, priceTicks: e.priceTicks, lots: e.lots, side: makerSide, clientOrderId: e.makerNonce, liquidity: "maker", feeQuote: e.makerFeeQuote, counterparty: e.taker });
    }
  }

  private pushFill(account: string, fill: LaneFill): void {
    let list = this.fillsByAccount.get(account);
    if (!list) {
      if (this.fillsByAccount.size >= FILL_ACCOUNTS_MAX) this.fillsByAccount.delete(this.fillsByAccount.keys().next().value!);
      this.fillsByAccount.set(account, (list = []));
    }
    list.push(fill);
    if (list.length > LANE_FILLS_KEPT) list.splice(0, list.length - LANE_FILLS_KEPT);
  }

  // LaneBackend

  state(): LaneState {
    return this.o.committedLane();
  }

  headHeight(): number {
    return this.o.committedHeight();
  }

  info(): LaneInfo {
    return { ...this.o.info(), deltaMs: this.o.deltaMs };
  }

  orderStatus(orderIdHex: string): LaneOrderRecord | undefined {
    return this.orders.status(orderIdHex.toLowerCase().replace(/^0x/, ""));
  }

  fills(account: string, limit: number): LaneFill[] {
    const list = this.fillsByAccount.get(account.toLowerCase()) ?? [];
    return limit > 0 ? list.slice(-limit).reverse() : [];
  }

  onBlock(listener: (summary: LaneBlockSummary) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stats(): LaneServiceStats {
    return { ...this.counts, refused: { ...this.refused }, pendingOrders: this.orders.pendingCount, receiptBatches: this.batches.size };
  }
}

/**
 * Consecutive runs of at most `max` receipts, split also where the local sequence wraps (a batch's sequences
 * must increase); at least one run, possibly empty, so an idle Δ still sends its watermark.
 */
export function receiptChunks(receipts: readonly Receipt[], max: number): Receipt[][] {
  const chunks: Receipt[][] = [[]];
  for (const r of receipts) {
    let last = chunks[chunks.length - 1]!;
    const prev = last[last.length - 1];
    if (last.length >= max || (prev && r.localSeq <= prev.localSeq)) chunks.push((last = []));
    last.push(r);
  }
  return chunks;
}
