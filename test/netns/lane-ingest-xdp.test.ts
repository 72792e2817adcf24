// The order lane through AF_XDP between two network namespaces: an XdpTransport opened with a lane in one, a
// kernel UDP socket sending orders (and data-plane datagrams) from the other. The lane must accept the good
// orders with increasing local sequence numbers and stamps, count malformed, wrongChain, badSignature,
// duplicate, laneRingFull and verifyQueueFull natively, and keep lane and data-plane datagrams apart on the one
// socket and program. Root only; the namespaces and veth are removed afterwards.
import dgram from "node:dgram";

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import type { IngestedOrder, LaneIngest } from "../../node/lane/ingest/lane-ingest.ts";
import { xdpLaneOptions } from "../../node/lane/ingest/lane-ingest.ts";
import { openLaneIngest } from "../../node/lane/ingest/open-lane-ingest.ts";
import type { Datagram } from "../../node/net/datagram-transport.ts";
import { XdpTransport } from "../../node/net/xdp-transport.ts";
import {
  badSignature,
  hex,
  LANE_CHAIN_ID,
  malformedDatagrams,
  signedOrder,
  trader,
} from "../unit/node/lane/ingest/lane-ingest-fixtures.ts";
import { until } from "./exchange.ts";
import { inNetns, NetnsFixture, netnsSkipReason, type VethPair } from "./netns-fixture.ts";

const DATA_PORT = 9000;
const LANE_PORT = 9100;
const skip = netnsSkipReason();
if (skip) console.log(`AF_XDP lane ingest tests skipped: ${skip}`);

describe.skipIf(skip !== null)("order lane over AF_XDP on veth", () => {
  const fixture = new NetnsFixture();
  let pair: VethPair;
  const cleanup: (() => Promise<void> | void)[] = [];

  beforeAll(() => {
    pair = fixture.pair(186);
  });
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
  });
  afterAll(() => fixture.destroy());

  async function openLane(lane: Partial<Parameters<typeof xdpLaneOptions>[0]> = {}): Promise<{ x: XdpTransport; ingest: LaneIngest; logs: string[] }> {
    const x = await XdpTransport.open({
      interface: pair.ifA,
      host: pair.ipA,
      port: DATA_PORT,
      netns: pair.nsA,
      mode: "skb",
      lane: xdpLaneOptions({ port: LANE_PORT, chainId: LANE_CHAIN_ID, ...lane }),
    });
    cleanup.push(() => x.close());
    const logs: string[] = [];
    const ingest = await openLaneIngest({ transport: x, host: pair.ipA, port: LANE_PORT, chainId: LANE_CHAIN_ID, log: (l) => logs.push(l) });
    cleanup.push(() => ingest.close());
    return { x, ingest, logs };
  }

  async function sender(): Promise<{ port: number; send: (port: number, datagrams: Uint8Array[]) => Promise<void> }> {
    const s = await inNetns(pair.nsB, async () => {
      const sock = dgram.createSocket("udp4");
      await new Promise<void>((r) => sock.bind(0, pair.ipB, () => r()));
      return sock;
    });
    cleanup.push(() => new Promise<void>((r) => s.close(() => r())));
    return {
      port: s.address().port,
      send: async (port, datagrams) => {
        await Promise.all(datagrams.map((d) => new Promise<void>((r, j) => s.send(d, port, pair.ipA, (e) => (e ? j(e) : r())))));
      },
    };
  }

  const settled = (ingest: LaneIngest): number => {
    const s = ingest.stats();
    return s.accepted + Object.values(s.drops).reduce((a, b) => a + b, 0);
  };

  it("accepts good orders in order, counts drops by cause, and keeps lane and data datagrams apart", async () => {
    const { x, ingest, logs } = await openLane();
    expect(ingest.kind).toBe("xdp");
    expect(ingest.port).toBe(LANE_PORT);
    expect(ingest.reason).toMatch(new RegExp(`^AF_XDP lane on ${pair.ifA} queue 0`));
    expect(logs).toHaveLength(1);
    const got: IngestedOrder[] = [];
    ingest.onOrders((batch) => got.push(...batch));
    const data: Datagram[] = [];
    x.onBatch((batch) => data.push(...batch.map((d) => ({ peer: d.peer, payload: d.payload.slice() }))));

    const from = await sender();
    const key = trader(0x81);
    const good = Array.from({ length: 100 }, (_, i) => signedOrder(key, BigInt(i + 1), 1 + (i % 32)));
    const bad = [
      ...malformedDatagrams(good[0]!),
      signedOrder(key, 500n, 1, LANE_CHAIN_ID + 1n).bytes,
      badSignature(signedOrder(key, 501n)),
      badSignature(signedOrder(key, 502n)),
      good[10]!.bytes,
      good[20]!.bytes,
    ];
    const before = Date.now() * 1000;
    for (let i = 0; i < good.length; i += 25) await from.send(LANE_PORT, good.slice(i, i + 25).map((o) => o.bytes));
    await from.send(LANE_PORT, bad);
    await from.send(DATA_PORT, Array.from({ length: 20 }, (_, i) => new Uint8Array([i, 1, 2, 3])));
    // Counters move before the ring is published and JavaScript woken: wait for the records themselves too.
    const done = (): boolean => settled(ingest) === good.length + bad.length && got.length === ingest.stats().accepted && data.length === 20;
    expect(await until(done, 20_000)).toBe(true);

    expect(ingest.stats()).toEqual({
      accepted: 100,
      drops: { malformed: 5, wrongChain: 1, badSignature: 2, duplicate: 2, laneRingFull: 0, verifyQueueFull: 0 },
    });
    expect(got.map((o) => hex(o.orderId))).toEqual(good.map((o) => hex(o.id)));
    expect(got.map((o) => hex(o.bytes))).toEqual(good.map((o) => hex(o.bytes)));
    for (let i = 1; i < got.length; i++) {
      expect(got[i]!.localSeq).toBeGreaterThan(got[i - 1]!.localSeq);
      expect(got[i]!.stampUs).toBeGreaterThanOrEqual(got[i - 1]!.stampUs);
    }
    expect(got[0]!.localSeq).toBe(1);
    expect(got[0]!.stampUs).toBeGreaterThanOrEqual(before - 1_000_000);
    expect(got.at(-1)!.stampUs).toBeLessThanOrEqual(Date.now() * 1000 + 1_000_000);
    expect(got.every((o) => o.source.host === pair.ipB && o.source.port === from.port)).toBe(true);
    // The data plane saw its 20 datagrams and nothing of the lane's; the lane saw nothing of the data plane's.
    expect(data.every((d) => d.payload.length === 4 && d.peer.host === pair.ipB)).toBe(true);
    const native = x.laneStats()!;
    expect(native.received).toBe(good.length + bad.length);
    expect(native.wakeups).toBeLessThanOrEqual(native.batches);
    expect(x.stats().rxDatagrams).toBe(20);
  });

  it("is bounded: laneRingFull while no one drains, verifyQueueFull beyond the verifier's queue", async () => {
    const { ingest } = await openLane({ ringSlots: 64, verifyQueueSlots: 16 });
    const from = await sender();
    const key = trader(0x82);
    // Paced so the verifier keeps up: only the ring, which nobody drains yet, overflows.
    const first = Array.from({ length: 100 }, (_, i) => signedOrder(key, BigInt(i + 1)));
    for (let i = 0; i < first.length; i += 10) {
      await from.send(LANE_PORT, first.slice(i, i + 10).map((o) => o.bytes));
      await until(() => settled(ingest) === i + 10, 5_000);
    }
    expect(await until(() => settled(ingest) === 100, 20_000)).toBe(true);
    expect(ingest.stats().accepted).toBe(64);
    expect(ingest.stats().drops.laneRingFull).toBe(36);
    const got: IngestedOrder[] = [];
    ingest.onOrders((batch) => got.push(...batch));
    expect(got.map((o) => hex(o.orderId))).toEqual(first.slice(0, 64).map((o) => hex(o.id)));

    // A burst: receive batches far larger than 16 reach a verifier that takes ~70 µs per order.
    const burst = Array.from({ length: 400 }, (_, i) => signedOrder(key, BigInt(1000 + i)).bytes);
    await from.send(LANE_PORT, burst);
    expect(await until(() => settled(ingest) === 500 && got.length === ingest.stats().accepted, 20_000)).toBe(true);
    const s = ingest.stats();
    expect(s.drops.verifyQueueFull).toBeGreaterThan(0);
    expect(s.accepted - 64 + s.drops.verifyQueueFull + s.drops.laneRingFull - 36).toBe(400);
    expect(got.length).toBe(s.accepted);
  });

  it("keeps one sequence and never-decreasing stamps when orders arrive on two receive queues", async () => {
    const two = fixture.pair(187, 2);
    const x = await XdpTransport.open({
      interface: two.ifA, host: two.ipA, port: DATA_PORT, netns: two.nsA, mode: "drv", queues: "all",
      lane: xdpLaneOptions({ port: LANE_PORT, chainId: LANE_CHAIN_ID, verifyThreads: 2 }),
    });
    cleanup.push(() => x.close());
    expect(x.description.queues).toEqual([0, 1]);
    const ingest = await openLaneIngest({ transport: x, host: two.ipA, port: LANE_PORT, chainId: LANE_CHAIN_ID, log: () => {} });
    cleanup.push(() => ingest.close());
    expect(ingest.reason).toMatch(/queues 0,1/);
    const got: IngestedOrder[] = [];
    ingest.onOrders((batch) => got.push(...batch));
    // 16 sending sockets = 16 flows, spread by the sender's veth over both TX queues, i.e. our RX queues.
    const socks = await inNetns(two.nsB, () =>
      Promise.all(Array.from({ length: 16 }, async () => {
        const sock = dgram.createSocket("udp4");
        await new Promise<void>((r) => sock.bind(0, two.ipB, () => r()));
        return sock;
      })));
    for (const sock of socks) cleanup.push(() => new Promise<void>((r) => sock.close(() => r())));
    const per = 20;
    for (let k = 0; k < socks.length; k++) {
      const key = trader(0x90 + k);
      await Promise.all(Array.from({ length: per }, (_, i) =>
        new Promise<void>((r) => socks[k]!.send(signedOrder(key, BigInt(i + 1)).bytes, LANE_PORT, two.ipA, () => r()))));
    }
    const total = socks.length * per;
    expect(await until(() => got.length === total, 20_000)).toBe(true);
    for (let i = 1; i < got.length; i++) {
      expect(got[i]!.localSeq).toBeGreaterThan(got[i - 1]!.localSeq);
      expect(got[i]!.stampUs).toBeGreaterThanOrEqual(got[i - 1]!.stampUs);
    }
    expect(ingest.stats().accepted).toBe(total);
    const frames = x.nativeStats().queues.map((q) => q.rx.frames);
    expect(frames.every((n) => n > 0)).toBe(true);
  });

  it("says why when the lane runs over UDP instead", async () => {
    const x = await XdpTransport.open({ interface: pair.ifA, host: pair.ipA, port: DATA_PORT, netns: pair.nsA, mode: "skb" });
    cleanup.push(() => x.close());
    const logs: string[] = [];
    const ingest = await inNetns(pair.nsA, () =>
      openLaneIngest({ transport: x, host: pair.ipA, port: LANE_PORT, chainId: LANE_CHAIN_ID, log: (l) => logs.push(l) }));
    cleanup.push(() => ingest.close());
    expect(ingest.kind).toBe("udp");
    expect(ingest.reason).toBe("UDP: the AF_XDP transport was opened without a lane");
    expect(logs).toEqual([`lane: UDP: the AF_XDP transport was opened without a lane; listening on ${pair.ipA}:${LANE_PORT}`]);
    const got: IngestedOrder[] = [];
    ingest.onOrders((batch) => got.push(...batch));
    const from = await sender();
    const o = signedOrder(trader(0x83), 1n);
    await from.send(LANE_PORT, [o.bytes, o.bytes]);
    expect(await until(() => settled(ingest) === 2 && got.length === 1, 10_000)).toBe(true);
    expect(got.map((g) => hex(g.orderId))).toEqual([hex(o.id)]);
    expect(ingest.stats().drops.duplicate).toBe(1);
  });
});
