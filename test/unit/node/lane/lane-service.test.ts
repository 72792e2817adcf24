// LaneService on a fake clock with a recorded broadcast, four devnet validators and the devnet lane: stamping,
// receipt batches per Δ (datagram-sized, validating, watermarks covering every stamp), peers' frames, RPC
// submissions, the proposer's section (checked with validateBlockLane as replicas do) and what a finalized block
// leaves behind (statuses, fills, re-stamps, pruning, subscribers).

import { describe, expect, it } from "vitest";
import { nobleVerify } from "../../../../consensus/crypto/ed25519.ts";
import { fromHex, sha256, toHex, ZERO_HASH } from "../../../../consensus/crypto/hash.ts";
import type { EngineEvent } from "../../../../consensus/derivatives/events.ts";
import type { LaneBlockExecution } from "../../../../consensus/execution/lane-step.ts";
import { validateBlockLane } from "../../../../consensus/lane/block-lane.ts";
import { laneRoot } from "../../../../consensus/lane/fair-order.ts";
import { LaneOp, WEI_PER_QUOTE } from "../../../../consensus/lane/lane-call.ts";
import { applyLaneCall, beginLaneBlock, executeLaneOrder } from "../../../../consensus/lane/lane-execution.ts";
import type { BlockLane } from "../../../../consensus/lane/lane-section.ts";
import { cloneLaneState, type LaneState } from "../../../../consensus/lane/lane-state.ts";
import { decodeOrderAction, encodeOrderAction, orderId } from "../../../../consensus/lane/order-codec.ts";
import { OrderFlag, type OrderAction } from "../../../../consensus/lane/order.ts";
import { RECEIPTS_PER_BATCH_MAX, validateReceiptBatch } from "../../../../consensus/lane/receipt-batch.ts";
import type { Hash } from "../../../../consensus/types.ts";
import type { LaneBlockSummary } from "../../../../node/lane/lane-backend.ts";
import { LANE_FILLS_KEPT, RECEIPTS_PER_DATAGRAM, RESTAMP_AFTER_MS, receiptChunks, type LaneService } from "../../../../node/lane/lane-service.ts";
import { encodeLaneFrame, LaneFrameKind } from "../../../../node/wire/data-plane-codec.ts";
import { placeLeg, signedOrder, trader, type Trader } from "../../../support/fake-lane-backend.ts";
import {
  CHAIN_ID, GENESIS_LANE, harness, ids, orderFrame, PARENT_STATE, PEER, peerBatch, PRICES, receiptsFrame, SET, T0_MS,
} from "./lane-service-fixture.ts";

const T0_US = T0_MS * 1000;
const PARENT = new Uint8Array(32).fill(0x51);
const alice = trader(0x11);
const bob = trader(0x22);

function order(t: Trader, nonce: number, clientOrderId = nonce): { bytes: Uint8Array; id: string } {
  return signedOrder(t, nonce, [placeLeg(1, "buy", 600_000, 1, clientOrderId)]);
}

function stamped(o: { bytes: Uint8Array; id: string }, stampUs: number) {
  return { bytes: o.bytes, orderId: fromHex(o.id), stampUs };
}

function body(bytes: Uint8Array): OrderAction {
  const d = decodeOrderAction(bytes);
  if (!d.ok) throw new Error(d.detail);
  return d.value;
}

function validate(section: BlockLane, root: Hash, previousCutoffUs = 0) {
  return validateBlockLane(section, {
    chainId: CHAIN_ID, epoch: 0, set: SET, previousCutoffUs, cutoffUs: section.cutoffUs, seed: PARENT, verify: nobleVerify, laneRoot: root,
  });
}

function section(service: LaneService, timestampMs: number, parentLane: LaneState = GENESIS_LANE.state) {
  return service.section({ parentHash: PARENT, parentState: PARENT_STATE, parentLane, timestampMs });
}

describe("LaneService stamping and receipt batches", () => {
  it("stamps strictly increasing, moving equal or earlier input stamps up by 1 µs", () => {
    const h = harness();
    const [a, b, c] = [order(alice, 1), order(alice, 2), order(alice, 3)];
    const s = T0_US - 500;
    h.service.ingest([stamped(a, s), stamped(b, s), stamped(c, s - 100)]);
    h.service.tick();
    const [batch] = h.batches();
    expect(batch!.receipts.map((r) => [toHex(r.orderId), r.stampUs, r.localSeq])).toEqual([[a.id, s, 1], [b.id, s + 1, 2], [c.id, s + 2, 3]]);
    expect(batch!.watermarkUs).toBe(T0_US);
    expect(h.service.orderStatus(`0x${b.id.toUpperCase()}`)).toEqual({ orderId: b.id, account: alice.id, status: "pending", receivedAtUs: s + 1 });
    expect(h.service.stats()).toMatchObject({ stamped: 3, pendingOrders: 3, batchesSent: 1 });
  });

  it("refuses malformed, foreign-chain and already-held orders from ingest, counted", () => {
    const h = harness();
    const a = order(alice, 1);
    const foreign = signedOrder(alice, 2, [placeLeg(1, "buy", 600_000, 1, 2)]);
    const foreignBytes = encodeOrderAction({ ...body(foreign.bytes), chainId: 1n });
    h.service.ingest([stamped(a, T0_US), stamped(a, T0_US), { bytes: new Uint8Array(10), orderId: new Uint8Array(32), stampUs: T0_US }, { bytes: foreignBytes, orderId: fromHex(foreign.id), stampUs: T0_US }]);
    expect(h.service.stats()).toMatchObject({ stamped: 1, pendingOrders: 1, refused: { duplicate: 1, malformed: 2 } });
  });

  it("tells the node's signature memory of each order the ingest verified, once, and of nothing it refused", () => {
    const remembered: Uint8Array[][] = [];
    const h = harness({ extra: { rememberVerified: (k, m, s) => remembered.push([k, m, s]) } });
    const a = order(alice, 1);
    h.service.ingest([stamped(a, T0_US), stamped(a, T0_US), { bytes: new Uint8Array(10), orderId: new Uint8Array(32), stampUs: T0_US }]);
    expect(remembered).toHaveLength(1);
    const [key, message, signature] = remembered[0]!;
    expect(nobleVerify(key!, message!, signature!)).toBe(true);
    expect(toHex(sha256(message!))).toBe(a.id);
  });

  it("signs one datagram-sized batch per RECEIPTS_PER_DATAGRAM receipts, consecutive, each validating", () => {
    expect(RECEIPTS_PER_DATAGRAM).toBe(30);
    const h = harness();
    const orders = Array.from({ length: 65 }, (_, i) => order(alice, i + 1));
    h.service.ingest(orders.map((o, i) => stamped(o, T0_US - 10_000 + 10 * i)));
    h.service.tick();
    // Bodies first (one broadcast of all 65), then the receipts.
    expect(h.sent.map((s) => [s.kind, s.bodies.length])).toEqual([[LaneFrameKind.order, 65], [LaneFrameKind.receipts, 3]]);
    const batches = h.batches();
    expect(batches.map((b) => b.receipts.length)).toEqual([30, 30, 5]);
    expect(batches.map((b) => b.batchSeq)).toEqual([T0_US, T0_US + 1, T0_US + 2]);
    expect(batches.map((b) => b.watermarkUs)).toEqual([T0_US - 10_000 + 300, T0_US - 10_000 + 600, T0_US]);
    expect(batches.flatMap(ids)).toEqual(orders.map((o) => o.id));
    for (const b of batches) {
      expect(validateReceiptBatch(b, { chainId: CHAIN_ID, epoch: 0, set: SET, verify: nobleVerify })).toEqual({ action: "accept" });
      expect(b.receipts.length).toBeLessThanOrEqual(RECEIPTS_PER_BATCH_MAX);
    }
    const frames = h.sent[1]!.bodies.map((b) => encodeLaneFrame(LaneFrameKind.receipts, b, CHAIN_ID).length);
    expect(frames).toEqual([1434, 1434, 10 + 1 + 39 + 5 * 44 + 64]);
    expect(Math.max(...frames)).toBeLessThanOrEqual(1472);
    expect(h.service.stats().batchesSent).toBe(3);
  });

  it("sends an empty batch when nothing arrived, and the watermark still moves with the clock", () => {
    const h = harness();
    h.service.tick();
    h.clock.ms += 50;
    h.service.tick();
    expect(h.batches().map((b) => [b.batchSeq, b.watermarkUs, b.receipts.length])).toEqual([[T0_US, T0_US, 0], [T0_US + 1, T0_US + 50_000, 0]]);
    expect(h.relayed()).toEqual([]);
    for (const b of h.batches()) expect(validateReceiptBatch(b, { chainId: CHAIN_ID, epoch: 0, set: SET, verify: nobleVerify }).action).toBe("accept");
  });

  it("never stamps below a watermark it already sent, even for an ingest stamp from before that tick", () => {
    const h = harness();
    h.service.ingest([stamped(order(alice, 1), T0_US - 2_000)]);
    h.service.tick(); // watermark T0_US: "every order I stamped before T0_US is reported"
    // Stamped by ingest before the tick, handed over after it (ingest batches per event-loop turn).
    h.service.ingest([stamped(order(alice, 2), T0_US - 1_000)]);
    h.clock.ms += 1;
    h.service.tick();
    const batches = h.batches();
    expect(batches.map((b) => [b.watermarkUs, b.receipts.map((r) => r.stampUs)])).toEqual([[T0_US, [T0_US - 2_000]], [T0_US + 1_000, [T0_US]]]);
    for (let k = 1; k < batches.length; k++) {
      for (const r of batches[k]!.receipts) expect(r.stampUs).toBeGreaterThanOrEqual(batches[k - 1]!.watermarkUs);
    }
  });

  it("broadcasts each received body once, at the next tick, and never peers' relayed bodies", () => {
    const h = harness();
    const a = order(alice, 1);
    const b = order(bob, 1);
    expect(h.service.submitOrder(a.bytes)).toEqual({ ok: true, orderId: a.id });
    h.service.onFrame(orderFrame(b.bytes), PEER);
    h.service.tick();
    h.clock.ms += 50;
    h.service.tick();
    expect(h.relayed().map((x) => toHex(orderId(body(x))))).toEqual([a.id]);
    expect(h.batches().flatMap(ids)).toEqual([a.id, b.id]);
  });

  it("sends no batch from a non-validator and does not stamp, but still relays what clients gave it", () => {
    const h = harness({ index: undefined });
    const a = order(alice, 1);
    const b = order(alice, 2);
    expect(h.service.submitOrder(a.bytes)).toEqual({ ok: true, orderId: a.id });
    h.service.ingest([stamped(b, T0_US)]);
    h.service.tick();
    h.service.tick();
    expect(h.batches()).toEqual([]);
    expect(h.service.orderStatus(a.id)).toEqual({ orderId: a.id, account: alice.id, status: "pending" });
    expect(h.service.stats()).toMatchObject({ stamped: 0, batchesSent: 0, pendingOrders: 2 });
    // A follower's lane_sendOrder must reach the validators (LaneBackend.submitOrder: "then stamped and relayed").
    expect(h.relayed().map((x) => toHex(orderId(body(x))))).toEqual([a.id, b.id]);
  });

  it("re-stamps a pending order once after RESTAMP_AFTER_MS, then holds it while receipts name it, then drops it", () => {
    const h = harness();
    const a = order(alice, 1);
    h.service.submitOrder(a.bytes);
    h.clock.ms += RESTAMP_AFTER_MS; // not yet older than the limit
    h.service.tick();
    expect(h.service.stats().restamped).toBe(0);
    h.clock.ms += 1;
    h.service.tick();
    expect(h.service.stats().restamped).toBe(1);
    const restampUs = (T0_MS + RESTAMP_AFTER_MS + 1) * 1000;
    expect(h.service.orderStatus(a.id)?.receivedAtUs).toBe(restampUs);
    h.clock.ms = T0_MS + 2 * RESTAMP_AFTER_MS + 1;
    h.service.tick();
    // Past twice the limit: no more stamps, but the body stays while a held batch names it (a block may need it).
    expect(h.service.stats()).toMatchObject({ restamped: 1, pendingOrders: 1 });
    expect(h.service.orderStatus(a.id)?.status).toBe("pending");
    // A block far enough ahead prunes every batch naming it; the next tick gives up on it.
    h.service.onFinalized(block(1), execution(cloneLaneState(GENESIS_LANE.state), 1, [], h.clock.ms * 1000 + 4_000_001));
    expect(h.service.stats().receiptBatches).toBe(0);
    h.clock.ms += 1;
    h.service.tick();
    expect(h.service.orderStatus(a.id)).toBeUndefined();
    expect(h.service.stats()).toMatchObject({ pendingOrders: 0, restamped: 1, refused: { expiredUnexecuted: 1 } });
    // Its receipts: the first stamp, then the one re-stamp (in the batch after the one that reported the first).
    expect(h.batches().flatMap((b) => b.receipts.map((r) => r.stampUs))).toEqual([T0_US, restampUs]);
  });

  it("puts an order once in a batch when it is re-stamped before the batch left", () => {
    const h = harness();
    const a = order(alice, 1);
    h.service.submitOrder(a.bytes);
    h.clock.ms += 10;
    h.service.onFinalized(block(1), execution(cloneLaneState(GENESIS_LANE.state), 1, [], 0, [a.id]));
    h.service.tick();
    const [batch] = h.batches();
    expect(batch!.receipts.map((r) => [toHex(r.orderId), r.stampUs])).toEqual([[a.id, T0_US]]);
    expect(validateReceiptBatch(batch!, { chainId: CHAIN_ID, epoch: 0, set: SET, verify: nobleVerify })).toEqual({ action: "accept" });
  });
});

describe("LaneService frames from peers", () => {
  it("keeps peers' good batches once and refuses forged, wrong-epoch, unknown-validator and garbage ones, counted", () => {
    const h = harness();
    const a = order(alice, 1);
    const good = peerBatch(1, [[a.id, T0_US]], T0_US + 1_000);
    h.service.onFrame(receiptsFrame(good), PEER);
    h.service.onFrame(receiptsFrame(good), PEER);
    h.service.onFrame(receiptsFrame(peerBatch(2, [[a.id, T0_US]], T0_US + 1_000, { signer: 3 })), PEER);
    h.service.onFrame(receiptsFrame(peerBatch(2, [[a.id, T0_US]], T0_US + 1_000, { epoch: 2 })), PEER);
    h.service.onFrame(receiptsFrame({ ...good, validator: 7 }), PEER);
    h.service.onFrame({ kind: LaneFrameKind.receipts, body: new Uint8Array([1, 2, 3]) }, PEER);
    expect(h.service.stats()).toMatchObject({
      batchesIn: 1,
      receiptBatches: 1,
      refused: { RECEIPTS_ERROR_INVALID_SIGNATURE: 1, RECEIPTS_ERROR_WRONG_EPOCH: 1, RECEIPTS_ERROR_UNKNOWN_VALIDATOR: 1, badBatch: 1 },
    });
  });

  it("holds next-epoch batches unchecked until this node's epoch turns, then checks them", () => {
    const h = harness();
    const a = order(alice, 1);
    const next = peerBatch(1, [[a.id, T0_US]], T0_US + 1_000, { epoch: 1 });
    const forged = peerBatch(2, [[a.id, T0_US]], T0_US + 1_000, { epoch: 1, signer: 3 });
    const other = peerBatch(3, [[a.id, T0_US]], T0_US + 1_000, { epoch: 1 });
    for (const b of [next, forged, other]) h.service.onFrame(receiptsFrame(b), PEER);
    expect(h.service.stats()).toMatchObject({ batchesIn: 0, receiptBatches: 0, refused: {} });
    h.service.onFinalized(block(1), execution(cloneLaneState(GENESIS_LANE.state), 1, [], 0));
    expect(h.service.stats()).toMatchObject({ batchesIn: 0, receiptBatches: 0, refused: {} }); // still epoch 0: still held
    h.epoch.value = 1;
    h.service.onFinalized(block(2), execution(cloneLaneState(GENESIS_LANE.state), 1, [], 0));
    expect(h.service.stats()).toMatchObject({ batchesIn: 2, receiptBatches: 2, refused: { RECEIPTS_ERROR_INVALID_SIGNATURE: 1 } });
    // A batch for epoch 2 held while the node is at 1, then the node skips to 3: refused as the wrong epoch.
    h.service.onFrame(receiptsFrame(peerBatch(1, [[a.id, T0_US]], T0_US + 2_000, { epoch: 2, batchSeq: 5 })), PEER);
    h.epoch.value = 3;
    h.service.onFinalized(block(3), execution(cloneLaneState(GENESIS_LANE.state), 1, [], 0));
    expect(h.service.stats().refused).toEqual({ RECEIPTS_ERROR_INVALID_SIGNATURE: 1, RECEIPTS_ERROR_WRONG_EPOCH: 1 });
  });

  it("a flood of forged next-epoch batches cannot crowd out a staying validator's real one", () => {
    const h = harness();
    const a = order(alice, 1);
    // 200 forgeries claiming validator 1 (signed by 3), each with its own sequence: only a bounded few are held.
    for (let s = 0; s < 200; s++) h.service.onFrame(receiptsFrame(peerBatch(1, [[a.id, T0_US]], T0_US + 1_000, { epoch: 1, batchSeq: s, signer: 3 })), PEER);
    expect(h.service.stats().refused.nextEpoch_full).toBeGreaterThan(150);
    // The real batch of validator 1, with a sequence a forgery already used, is still held and admitted.
    h.service.onFrame(receiptsFrame(peerBatch(1, [[a.id, T0_US]], T0_US + 1_000, { epoch: 1, batchSeq: 7 })), PEER);
    h.epoch.value = 1;
    h.service.onFinalized(block(1), execution(cloneLaneState(GENESIS_LANE.state), 1, [], 0));
    const stats = h.service.stats();
    expect(stats.batchesIn).toBe(1);
    expect(stats.refused.RECEIPTS_ERROR_INVALID_SIGNATURE).toBe(200 - stats.refused.nextEpoch_full!);
  });

  it("verifies a relayed body before holding it, so a forged copy cannot block the real order", () => {
    const h = harness();
    const a = order(alice, 1);
    const forged = encodeOrderAction({ ...body(a.bytes), signature: new Uint8Array(64).fill(7) });
    h.service.onFrame(orderFrame(forged), PEER);
    expect(h.service.orderStatus(a.id)).toBeUndefined();
    const foreign = encodeOrderAction({ ...body(order(bob, 1).bytes), chainId: 5n });
    h.service.onFrame(orderFrame(foreign), PEER);
    h.service.onFrame(orderFrame(new Uint8Array(50)), PEER);
    expect(h.service.stats()).toMatchObject({ relayedIn: 0, pendingOrders: 0, refused: { badRelayedSignature: 1, badRelayedOrder: 2 } });

    h.clock.ms += 7;
    h.service.onFrame(orderFrame(a.bytes), PEER);
    h.service.onFrame(orderFrame(a.bytes), PEER); // already held: ignored, not counted
    expect(h.service.orderStatus(a.id)).toEqual({ orderId: a.id, account: alice.id, status: "pending", receivedAtUs: (T0_MS + 7) * 1000 });
    expect(h.service.stats()).toMatchObject({ relayedIn: 1, pendingOrders: 1, stamped: 1 });
  });
});

describe("LaneService.submitOrder", () => {
  it("answers each refusal with its code and accepts a good order once", () => {
    const h = harness();
    const a = order(alice, 1);
    expect(h.service.submitOrder(new Uint8Array([1, 2, 3]))).toMatchObject({ ok: false, code: "LANE_ERROR_MALFORMED" });
    expect(h.service.submitOrder(encodeOrderAction({ ...body(a.bytes), chainId: 1n }))).toMatchObject({ ok: false, code: "LANE_ERROR_WRONG_CHAIN" });
    const badSig = a.bytes.slice();
    badSig[badSig.length - 1] = badSig[badSig.length - 1]! ^ 0x01;
    expect(h.service.submitOrder(badSig)).toMatchObject({ ok: false, code: "LANE_ERROR_BAD_SIGNATURE" });
    expect(h.service.orderStatus(a.id)).toBeUndefined();
    expect(h.service.submitOrder(a.bytes)).toEqual({ ok: true, orderId: a.id });
    expect(h.service.submitOrder(a.bytes)).toMatchObject({ ok: false, code: "LANE_ERROR_DUPLICATE" });
    expect(h.service.stats()).toMatchObject({ stamped: 1, pendingOrders: 1 });
  });

  it("keeps its own copy of the bytes (the caller's buffer may be reused)", () => {
    const h = harness();
    const a = order(alice, 1);
    const buffer = a.bytes.slice();
    h.service.submitOrder(buffer);
    buffer.fill(0);
    h.service.tick();
    expect(h.relayed().map((x) => toHex(x))).toEqual([toHex(a.bytes)]);
  });
});

/** Service v0 holding order A (stamped at T0), peers v1 and v2 stamping it too; v3 silent. */
function threeOfFour(peerWatermarks: [number, number] = [T0_US + 3_000, T0_US + 4_000]) {
  const h = harness();
  const a = order(alice, 1);
  h.service.submitOrder(a.bytes);
  h.service.onFrame(receiptsFrame(peerBatch(1, [[a.id, T0_US + 100]], peerWatermarks[0])), PEER);
  h.service.onFrame(receiptsFrame(peerBatch(2, [[a.id, T0_US + 200]], peerWatermarks[1])), PEER);
  h.clock.ms += 5; // the service's own batch (signed inside section()) reaches T0 + 5 ms
  return { h, a };
}

describe("LaneService.section", () => {
  it("does not re-stamp a pending order a quorum already stamped: it goes in once the cut-off passes", () => {
    const { h } = threeOfFour();
    h.service.tick(); // its own batch: v0, v1 and v2 now name it
    h.clock.ms += RESTAMP_AFTER_MS + 1;
    h.service.tick();
    expect(h.service.stats()).toMatchObject({ restamped: 0, pendingOrders: 1 });
  });

  it("proposes an executed order again from its kept body when a quorum's latest stamps make it eligible again", () => {
    const { h, a } = threeOfFour();
    const first = section(h.service, T0_MS + 10);
    expect(first.section.orders).toHaveLength(1);
    const parentLane = cloneLaneState(GENESIS_LANE.state);
    h.service.onFinalized(block(1), execution(parentLane, 1, [a], first.section.cutoffUs));
    expect(h.service.orderStatus(a.id)?.blockHeight).toBe(1);
    parentLane.cutoffUs = first.section.cutoffUs;
    // v1, v2 and v3 re-stamp it later (they saw it late or lagged): their latest stamps form a new quorum.
    for (const v of [1, 2, 3]) h.service.onFrame(receiptsFrame(peerBatch(v, [[a.id, T0_US + 8_000 + v]], T0_US + 20_000, { batchSeq: 10 })), PEER);
    h.clock.ms = T0_MS + 30;
    const again = section(h.service, T0_MS + 30, parentLane);
    expect(again.section.cutoffUs).toBeGreaterThan(first.section.cutoffUs);
    expect(again.section.orders.map((o) => toHex(orderId(o)))).toEqual([a.id]);
    expect(validate(again.section, again.laneRoot, first.section.cutoffUs)).toEqual({ action: "accept" });
    expect(h.service.stats().emptyLaneBlocks).toBe(0);
    // Its second run (a stale-nonce refusal on a real chain) does not replace what the first did.
    h.service.onFinalized(block(2), execution(cloneLaneState(parentLane), 2, [a], again.section.cutoffUs));
    expect(h.service.orderStatus(a.id)?.blockHeight).toBe(1);
  });

  it("includes an order three of four validators stamped, in a section replicas accept", () => {
    const { h, a } = threeOfFour();
    const { section: s, laneRoot: root } = section(h.service, T0_MS + 10);
    // Watermarks v0 T0+5000, v1 T0+3000, v2 T0+4000: the quorum's (3 of 4) is the third highest.
    expect(s.cutoffUs).toBe(T0_US + 3_000);
    expect(s.prices).toEqual(PRICES);
    expect(s.orders.map((o) => toHex(orderId(o)))).toEqual([a.id]);
    expect(s.evidence.map((b) => b.validator).sort()).toEqual([0, 1, 2]);
    expect(toHex(root)).toBe(toHex(laneRoot([fromHex(a.id)])));
    expect(validate(s, root)).toEqual({ action: "accept" });
  });

  it("caps the cut-off at the block's time", () => {
    const { h, a } = threeOfFour();
    const { section: s, laneRoot: root } = section(h.service, T0_MS + 2);
    expect(s.cutoffUs).toBe(T0_US + 2_000);
    expect(s.orders.map((o) => toHex(orderId(o)))).toEqual([a.id]); // assigned T0+100, the median of 0, 100, 200
    expect(validate(s, root)).toEqual({ action: "accept" });
  });

  it("leaves out an order whose quorum stamped it at or after the cut-off", () => {
    const { h } = threeOfFour();
    // Cut-off T0: no validator stamped A before it (v0's stamp T0 is not below it).
    const { section: s, laneRoot: root } = section(h.service, T0_MS);
    expect(s.cutoffUs).toBe(T0_US);
    expect(s.orders).toEqual([]);
    expect(root).toEqual(ZERO_HASH);
    expect(validate(s, root)).toEqual({ action: "accept" });
  });

  it("does not advance the lane without a quorum: parent's cut-off, no evidence, no orders, prices kept", () => {
    const h = harness();
    const a = order(alice, 1);
    h.service.submitOrder(a.bytes);
    h.service.onFrame(receiptsFrame(peerBatch(1, [[a.id, T0_US + 100]], T0_US + 3_000)), PEER);
    h.clock.ms += 5;
    const built = section(h.service, T0_MS + 10);
    expect(built).toEqual({ section: { cutoffUs: 0, prices: PRICES, evidence: [], orders: [] }, laneRoot: ZERO_HASH });
    expect(h.service.stats().emptyLaneBlocks).toBe(1);
  });

  it("does not advance when the quorum's watermark is not past the parent's cut-off", () => {
    const { h } = threeOfFour();
    const parentLane = { ...GENESIS_LANE.state, cutoffUs: T0_US + 3_000 };
    const built = section(h.service, T0_MS + 10, parentLane);
    expect(built).toEqual({ section: { cutoffUs: T0_US + 3_000, prices: PRICES, evidence: [], orders: [] }, laneRoot: ZERO_HASH });
  });

  it("keeps a validator that stamped an order nobody relayed when that order has no quorum", () => {
    const { h, a } = threeOfFour();
    const ghost = order(bob, 9).id; // v3 stamps an id whose body no one ever sent
    h.service.onFrame(receiptsFrame(peerBatch(3, [[ghost, T0_US + 50]], T0_US + 9_000)), PEER);
    const { section: s, laneRoot: root } = section(h.service, T0_MS + 10);
    // Watermarks 5000, 3000, 4000, 9000 (offsets from T0): the third highest is 4000.
    expect(s.cutoffUs).toBe(T0_US + 4_000);
    expect(s.orders.map((o) => toHex(orderId(o)))).toEqual([a.id]);
    expect(validate(s, root)).toEqual({ action: "accept" });
  });

  it("leaves out a validator naming a quorum-stamped body this node lacks, and the rest still form a section", () => {
    const h = harness();
    const a = order(alice, 1);
    const x = order(bob, 9).id; // stamped by v1, v2 and v3, but its body never reached this proposer (a lost relay)
    h.service.submitOrder(a.bytes);
    const watermarks = [0, T0_US + 3_000, T0_US + 4_000, T0_US + 9_000];
    for (const v of [1, 2, 3]) {
      h.service.onFrame(receiptsFrame(peerBatch(v, [[a.id, T0_US + 100 * v], [x, T0_US + 100 * v + 50]], watermarks[v]!)), PEER);
    }
    h.clock.ms += 5;
    watermarks[0] = T0_US + 5_000; // the service's own batch, signed inside section()
    const { section: s, laneRoot: root } = section(h.service, T0_MS + 10);
    const kept = [...new Set(s.evidence.map((b) => b.validator))].sort();
    // Leaving out all three namers would leave one validator: less than a quorum, never a section. One is enough:
    // X then has two stamps (not eligible) and A, stamped by all four, still has three.
    expect(kept).toHaveLength(3);
    expect(kept).toContain(0);
    expect(s.cutoffUs).toBe(Math.min(...kept.map((v) => watermarks[v]!)));
    expect(s.orders.map((o) => toHex(orderId(o)))).toEqual([a.id]);
    expect(validate(s, root)).toEqual({ action: "accept" });
    expect(h.service.stats().emptyLaneBlocks).toBe(0);
  });
});

const ORACLE = toHex(SET.get(0)!.publicKey);
const maker = trader(0xab);
const taker = trader(0xcd);
const stranger = trader(0x55);

/** A lane where maker and taker registered their keys and deposited 100,000 quote units each. */
function fundedLane(): LaneState {
  const lane = cloneLaneState(GENESIS_LANE.state);
  for (const t of [maker, taker]) {
    expect(applyLaneCall(lane, { op: LaneOp.RegisterKey, tradingKey: t.tradingKey }, t.address, 0n).ok).toBe(true);
    expect(applyLaneCall(lane, { op: LaneOp.Deposit }, t.address, 100_000n * 1_000_000n * WEI_PER_QUOTE).ok).toBe(true);
  }
  return lane;
}

function execution(lane: LaneState, height: number, orders: { bytes: Uint8Array; id: string }[], cutoffUs: number, late: string[] = []): LaneBlockExecution {
  const blockEvents = beginLaneBlock(lane, height, ORACLE, PRICES);
  const bodies = orders.map((o) => body(o.bytes));
  const outcomes = bodies.map((b, i) => executeLaneOrder(lane, b, orders[i]!.id, height));
  return { state: lane, section: { cutoffUs, prices: PRICES, evidence: [], orders: bodies }, blockEvents, orders: outcomes, late };
}

const block = (height: number) => ({ height, hash: new Uint8Array(32).fill(height), timestampMs: T0_MS + height * 500 });

describe("LaneService.onFinalized", () => {
  const ask = signedOrder(maker, 1, [placeLeg(1, "sell", 600_000, 10, 1, OrderFlag.Gtc | OrderFlag.PostOnly)]);
  const lift = signedOrder(taker, 1, [placeLeg(1, "buy", 600_000, 4, 7, OrderFlag.Ioc)]);
  const refused = signedOrder(stranger, 1, [placeLeg(1, "buy", 600_000, 1, 1)]);

  it("records executed and rejected orders, fills for maker and taker, re-stamps late orders, prunes, notifies", () => {
    const h = harness();
    const late = order(alice, 1);
    for (const o of [ask, lift, late]) expect(h.service.submitOrder(o.bytes).ok).toBe(true);
    h.service.onFrame(receiptsFrame(peerBatch(1, [[ask.id, T0_US + 10]], T0_US + 1_000)), PEER);
    h.service.tick();
    expect(h.service.stats().receiptBatches).toBe(2);
    const summaries: LaneBlockSummary[] = [];
    const unsubscribe = h.service.onBlock((s) => summaries.push(s));

    h.clock.ms += 100;
    const exec = execution(fundedLane(), 1, [ask, lift, refused], T0_US + 4_100_000, [late.id]);
    // Marks and funding name a market but change no book.
    exec.blockEvents.push({ type: "mark", marketId: 2, indexTicks: 300_000, markTicks: 300_010 }, { type: "funding", marketId: 2, rateBps: 1, fundingIndex: 5n });
    h.service.onFinalized(block(1), exec);

    expect(h.service.orderStatus(ask.id)).toEqual({
      orderId: ask.id, account: maker.id, status: "executed", blockHeight: 1, position: 0, outcome: exec.orders[0], receivedAtUs: T0_US,
    });
    expect(h.service.orderStatus(lift.id)).toMatchObject({ status: "executed", position: 1, receivedAtUs: T0_US + 1 });
    expect(exec.orders[2]!.rejected?.code).toBe("LANE_REJECT_UNREGISTERED_KEY");
    // Never held here (no receivedAtUs), still recorded from the block.
    expect(h.service.orderStatus(refused.id)).toEqual({
      orderId: refused.id, account: stranger.id, status: "rejected", blockHeight: 1, position: 2, outcome: exec.orders[2],
    });

    // 4 lots at 600,000 ticks of 0.1 quote on lots of 0.001 BTC: 240,000,000 quote units; taker 5 bps, maker 2 bps.
    expect(h.service.fills(taker.id, 10)).toEqual([
      { blockHeight: 1, marketId: 1, priceTicks: 600_000, lots: 4, side: "buy", clientOrderId: 7, liquidity: "taker", feeQuote: 120_000n, counterparty: maker.id },
    ]);
    expect(h.service.fills(maker.id.toUpperCase().replace("0X", "0x"), 10)).toEqual([
      { blockHeight: 1, marketId: 1, priceTicks: 600_000, lots: 4, side: "sell", clientOrderId: 1, liquidity: "maker", feeQuote: 48_000n, counterparty: taker.id },
    ]);

    // The late order is stamped again now, and the next batch reports the new stamp.
    expect(h.service.orderStatus(late.id)).toEqual({ orderId: late.id, account: alice.id, status: "pending", receivedAtUs: (T0_MS + 100) * 1000 });
    expect(h.service.stats()).toMatchObject({ restamped: 1, pendingOrders: 1 });
    // Pruned: every batch with a watermark before cut-off - 4 s (T0 + 100 ms) is gone.
    expect(h.service.stats().receiptBatches).toBe(0);
    h.service.tick();
    expect(h.batches().at(-1)!.receipts.map((r) => [toHex(r.orderId), r.stampUs])).toEqual([[late.id, (T0_MS + 100) * 1000]]);

    expect(summaries).toHaveLength(1);
    const events: EngineEvent[] = [...exec.blockEvents, ...exec.orders.flatMap((o) => o.events)];
    expect(summaries[0]).toEqual({
      height: 1, hash: toHex(block(1).hash), timestampMs: T0_MS + 500, cutoffUs: T0_US + 4_100_000, orders: exec.orders, events, booksChanged: [1],
    });
    unsubscribe();
    h.service.onFinalized(block(2), execution(exec.state, 2, [], T0_US + 4_100_000));
    expect(summaries).toHaveLength(1);
  });

  it("refuses an executed order submitted again", () => {
    const h = harness();
    h.service.submitOrder(ask.bytes);
    h.service.onFinalized(block(1), execution(fundedLane(), 1, [ask], T0_US + 1_000));
    expect(h.service.submitOrder(ask.bytes)).toMatchObject({ ok: false, code: "LANE_ERROR_DUPLICATE" });
  });

  it("lists fills newest first, at most `limit`, keeping the last LANE_FILLS_KEPT per account", () => {
    const h = harness();
    const fill = (lots: number): EngineEvent => ({
      type: "fill", marketId: 2, priceTicks: 300_000, lots, taker: taker.id, takerNonce: lots, takerSide: "sell", maker: maker.id, makerNonce: 1, takerFeeQuote: 3n, makerFeeQuote: 1n,
    });
    const exec = execution(cloneLaneState(GENESIS_LANE.state), 1, [], 0);
    exec.blockEvents.push(...Array.from({ length: LANE_FILLS_KEPT + 5 }, (_, i) => fill(i + 1)));
    h.service.onFinalized(block(1), exec);
    expect(h.service.fills(taker.id, 3).map((f) => [f.lots, f.side, f.liquidity])).toEqual([[1005, "sell", "taker"], [1004, "sell", "taker"], [1003, "sell", "taker"]]);
    const all = h.service.fills(maker.id, 5_000);
    expect(all).toHaveLength(LANE_FILLS_KEPT);
    expect([all[0]!.lots, all.at(-1)!.lots]).toEqual([1005, 6]);
    expect(all[0]).toMatchObject({ side: "buy", liquidity: "maker", clientOrderId: 1, feeQuote: 1n, counterparty: taker.id });
    expect(h.service.fills(taker.id, 0)).toEqual([]);
    expect(h.service.fills(stranger.id, 10)).toEqual([]);
  });
});

describe("receiptChunks", () => {
  const r = (localSeq: number, stampUs: number) => ({ orderId: new Uint8Array(32).fill(localSeq & 0xff), stampUs, localSeq });
  it("splits at the datagram bound and where the local sequence wraps, keeping one (empty) run when idle", () => {
    expect(receiptChunks([], 3)).toEqual([[]]);
    const wrap = [r(0xfffffffe, 10), r(0xffffffff, 11), r(1, 12), r(2, 13), r(3, 14), r(4, 15)];
    expect(receiptChunks(wrap, 3).map((c) => c.map((x) => x.localSeq))).toEqual([[0xfffffffe, 0xffffffff], [1, 2, 3], [4]]);
  });
});
