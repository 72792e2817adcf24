// The order lane's native pipeline without a socket: LaneHarness submits datagrams as a receive thread would,
// verifier threads check them with OpenSSL, and LaneRingReader drains the lane ring on wakeups, as XdpSocket
// does. Checks the records against the TypeScript codec (order id, bytes), the order of local sequence numbers
// and stamps, drops by cause, bounds, agreement with the JavaScript verifiers on edge encodings, and closing
// while busy (the ASan run repeats these under the sanitizer).
import { describe, expect, it } from "vitest";

import { nobleVerify } from "../../consensus/crypto/ed25519.ts";
import { decodeOrderAction, verifyOrderAction } from "../../consensus/lane/order-codec.ts";
import { createNodeEd25519Verify } from "../../node/crypto/ed25519-node.ts";
import {
  badSignature,
  hex,
  identityKeyOrder,
  LANE_CHAIN_ID,
  LANE_TAG,
  malformedDatagrams,
  malleated,
  mixedOrderKeyOrders,
  signedOrder,
  trader,
} from "../../test/unit/node/lane/ingest/lane-ingest-fixtures.ts";
import { LaneRingReader, type LaneRecord, type NativeLaneHarness, type NativeLaneOptions } from "../src/index.ts";
import { addon, addonSkipReason } from "./addon-for-tests.ts";

interface Seen {
  stampUs: number;
  localSeq: number;
  orderId: string;
  order: string;
  host: string;
  port: number;
}

interface Rig {
  lane: NativeLaneHarness;
  autoDrain: boolean;
  seen: Seen[];
  wakes: number;
  drain: () => void;
}

const SOURCE = { srcIp: 0x0a000105, srcPort: 4242 };

function rig(options: Partial<NativeLaneOptions> = {}, autoDrain = true): Rig {
  const r = { seen: [] as Seen[], wakes: 0, autoDrain } as Rig;
  const copy = (batch: LaneRecord[]): void => {
    for (const d of batch) {
      r.seen.push({ stampUs: d.stampUs, localSeq: d.localSeq, orderId: hex(d.orderId), order: hex(d.order), host: d.source.host, port: d.source.port });
    }
  };
  let reader: LaneRingReader | null = null;
  r.drain = () => void reader?.drain(64, 1 << 20, copy);
  r.lane = new addon!.LaneHarness({ port: 9100, chainId: LANE_CHAIN_ID, domainTag: LANE_TAG, ...options }, () => {
    r.wakes++;
    if (autoDrain) r.drain();
  });
  reader = new LaneRingReader(r.lane.buffer());
  return r;
}

async function until(cond: () => boolean, boundMs: number): Promise<boolean> {
  const end = Date.now() + boundMs;
  while (!cond() && Date.now() < end) await new Promise((res) => setTimeout(res, 2));
  return cond();
}

/** Datagrams with a final verdict, once JavaScript also holds every accepted one (counters move before the wakeup). */
function settled(r: Rig): number {
  const s = r.lane.stats();
  if (s.accepted !== r.seen.length && r.autoDrain) return -1;
  return s.accepted + Object.values(s.drops).reduce((a, b) => a + b, 0);
}

describe.skipIf(addonSkipReason !== null)("lane pipeline over plain memory", () => {
  it("accepts signed orders in local sequence order, with the TypeScript order id and bytes", async () => {
    const r = rig();
    const key = trader(0x31);
    const orders = Array.from({ length: 200 }, (_, i) => signedOrder(key, BigInt(i + 1), 1 + (i % 32)));
    const start = Date.now() * 1000;
    for (let i = 0; i < orders.length; i += 25) r.lane.submit(orders.slice(i, i + 25).map((o) => o.bytes), SOURCE);
    expect(await until(() => r.seen.length === orders.length, 20_000)).toBe(true);
    expect(r.seen.map((s) => s.orderId)).toEqual(orders.map((o) => hex(o.id)));
    expect(r.seen.map((s) => s.order)).toEqual(orders.map((o) => hex(o.bytes)));
    expect(r.seen.map((s) => s.localSeq)).toEqual(orders.map((_, i) => i + 1));
    for (let i = 1; i < r.seen.length; i++) expect(r.seen[i]!.stampUs).toBeGreaterThanOrEqual(r.seen[i - 1]!.stampUs);
    expect(r.seen[0]!.stampUs).toBeGreaterThanOrEqual(start - 1_000_000); // CLOCK_REALTIME in µs
    expect(r.seen[0]!.stampUs).toBeLessThan(Date.now() * 1000 + 1_000_000);
    expect(r.seen.every((s) => s.host === "10.0.1.5" && s.port === 4242)).toBe(true);
    const s = r.lane.stats();
    expect(s.accepted).toBe(200);
    expect(s.received).toBe(200);
    expect(Object.values(s.drops).every((n) => n === 0)).toBe(true);
    expect(s.wakeups).toBeLessThanOrEqual(s.batches);
    expect(s.dedupeEntries).toBe(200);
    r.lane.close();
  });

  it("counts malformed, wrongChain, badSignature and duplicate, in any number of verifier threads", async () => {
    for (const verifyThreads of [1, 3]) {
      const r = rig({ verifyThreads });
      const key = trader(0x32);
      const good = Array.from({ length: 30 }, (_, i) => signedOrder(key, BigInt(i + 1)));
      const batch = [
        ...good.map((o) => o.bytes),
        ...malformedDatagrams(good[0]!),
        signedOrder(key, 1000n, 1, LANE_CHAIN_ID + 1n).bytes,
        badSignature(signedOrder(key, 2000n)),
        good[3]!.bytes, // the same datagram again, in the same batch: verified alongside, caught at publication
      ];
      r.lane.submit(batch, SOURCE);
      expect(await until(() => settled(r) === batch.length, 20_000)).toBe(true);
      r.lane.submit([good[5]!.bytes, good[6]!.bytes], SOURCE); // accepted earlier: dropped before verification
      expect(await until(() => settled(r) === batch.length + 2, 20_000)).toBe(true);
      const s = r.lane.stats();
      expect(s.accepted).toBe(30);
      expect(s.drops).toEqual({ malformed: 5, wrongChain: 1, badSignature: 1, duplicate: 3, laneRingFull: 0, verifyQueueFull: 0 });
      expect(r.seen.map((x) => x.orderId)).toEqual(good.map((o) => hex(o.id)));
      const seqs = r.seen.map((x) => x.localSeq);
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!);
      r.lane.close();
    }
  });

  it("is bounded: a full verifier queue and a full lane ring drop and count", async () => {
    const r = rig({ verifyQueueSlots: 16, ringSlots: 64 }, false); // JavaScript never drains
    const key = trader(0x33);
    // One receive batch of 64 (a receive thread hands at most batchMax): 16 fit the verifier's queue.
    r.lane.submit(Array.from({ length: 64 }, (_, i) => signedOrder(key, BigInt(i + 1)).bytes), SOURCE);
    expect(await until(() => settled(r) === 64, 20_000)).toBe(true);
    expect(r.lane.stats().drops.verifyQueueFull).toBe(48);
    for (let round = 0; round < 6; round++) {
      r.lane.submit(Array.from({ length: 16 }, (_, i) => signedOrder(key, BigInt(1000 + round * 16 + i)).bytes), SOURCE);
      expect(await until(() => r.lane.stats().verifyQueued === 0, 20_000)).toBe(true);
    }
    const s = r.lane.stats();
    expect(s.accepted).toBe(64);
    expect(s.drops.laneRingFull).toBe(16 + 6 * 16 - 64);
    r.drain();
    expect(r.seen).toHaveLength(64);
    r.lane.close();
  });

  it("never lets a stamp go back, even when a later batch carries an earlier clock reading", async () => {
    const r = rig();
    const key = trader(0x34);
    r.lane.submit([signedOrder(key, 1n).bytes], { ...SOURCE, stampUs: 2_000_000 });
    r.lane.submit([signedOrder(key, 2n).bytes], { ...SOURCE, stampUs: 1_000_000 });
    r.lane.submit([signedOrder(key, 3n).bytes], { ...SOURCE, stampUs: 3_000_000 });
    expect(await until(() => r.seen.length === 3, 20_000)).toBe(true);
    expect(r.seen.map((s) => s.stampUs)).toEqual([2_000_000, 2_000_000, 3_000_000]);
    r.lane.close();
  });

  it("accepts exactly what the JavaScript verifiers accept on edge encodings", async () => {
    const r = rig();
    const nodeVerify = createNodeEd25519Verify();
    const key = trader(0x35);
    const cases = [malleated(signedOrder(key, 1n)), identityKeyOrder(2n), ...mixedOrderKeyOrders(40), signedOrder(key, 3n).bytes];
    r.lane.submit(cases, SOURCE);
    expect(await until(() => settled(r) === cases.length, 20_000)).toBe(true);
    const accepted = new Set(r.seen.map((s) => s.order));
    const expected = cases.filter((c) => {
      const d = decodeOrderAction(c);
      if (!d.ok) throw new Error("fixture does not decode");
      const noble = verifyOrderAction(d.value, nobleVerify);
      expect(verifyOrderAction(d.value, nodeVerify)).toBe(noble);
      return noble;
    });
    expect([...accepted].sort()).toEqual(expected.map(hex).sort());
    // The mixed-order key really separates accept from refuse (about one in eight verifies).
    const mixedAccepted = expected.length - 1;
    expect(mixedAccepted).toBeGreaterThan(0);
    expect(mixedAccepted).toBeLessThan(40);
    r.lane.close();
  });

  it("closes while orders are queued and being verified", () => {
    for (let round = 0; round < 6; round++) {
      const r = rig({ verifyThreads: 1 + (round % 3) });
      const key = trader(0x36);
      for (let k = 0; k < 4; k++) r.lane.submit(Array.from({ length: 64 }, (_, i) => signedOrder(key, BigInt(k * 64 + i + 1)).bytes), SOURCE);
      r.lane.close();
      r.lane.close(); // idempotent
      expect(() => r.lane.submit([], SOURCE)).toThrow(/closed/);
    }
  });

  it("refuses bad lane options with XDP_ERROR_INVALID_ARGUMENT", () => {
    const base = { port: 9100, chainId: 1n, domainTag: LANE_TAG };
    const bad: Partial<NativeLaneOptions>[] = [
      { port: 0 },
      { chainId: -1n },
      { chainId: 2n ** 64n },
      { domainTag: new Uint8Array(0) },
      { domainTag: new Uint8Array(65) },
      { verifyThreads: 0 },
      { verifyThreads: 9 },
      { verifyQueueSlots: 100 },
      { dedupeCapacity: 0 },
      { ringSlots: 32 },
    ];
    for (const b of bad) {
      expect(() => new addon!.LaneHarness({ ...base, ...b }, () => {}), JSON.stringify(b, (_, v) => (typeof v === "bigint" ? String(v) : v))).toThrow(
        expect.objectContaining({ code: "XDP_ERROR_INVALID_ARGUMENT" }),
      );
    }
    expect(() => new addon!.LaneHarness({ ...base, chainId: 1 as unknown as bigint }, () => {})).toThrow(/bigint/);
  });
});
