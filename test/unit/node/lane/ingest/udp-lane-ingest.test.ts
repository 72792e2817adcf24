// The UDP lane path on loopback: orders signed with the real codec are sent from a kernel socket; the ingest
// must accept the good ones with increasing local sequence numbers and stamps, count every drop by cause,
// stay within its bounds, deliver in order across several workers, and agree with the native rule on edge
// encodings whichever verifier the workers use.
import dgram from "node:dgram";

import { afterEach, describe, expect, it } from "vitest";

import { nobleVerify } from "../../../../../consensus/crypto/ed25519.ts";
import { decodeOrderAction, verifyOrderAction } from "../../../../../consensus/lane/order-codec.ts";
import { LaneIngestError } from "../../../../../node/lane/ingest/lane-ingest-error.ts";
import type { IngestedOrder } from "../../../../../node/lane/ingest/lane-ingest.ts";
import { UdpLaneIngest, type UdpLaneIngestOptions } from "../../../../../node/lane/ingest/udp-lane-ingest.ts";
import { freePorts } from "../../../../support/free-ports.ts";
import {
  badSignature,
  hex,
  identityKeyOrder,
  LANE_CHAIN_ID,
  malformedDatagrams,
  malleated,
  mixedOrderKeyOrders,
  signedOrder,
  trader,
} from "./lane-ingest-fixtures.ts";

const HOST = "127.0.0.1";
const open: { close(): Promise<void> | void }[] = [];

async function ingest(o: Partial<UdpLaneIngestOptions> = {}, withHandler = true): Promise<{ lane: UdpLaneIngest; got: IngestedOrder[] }> {
  const [port] = await freePorts(1);
  const lane = await UdpLaneIngest.open({ host: HOST, port: port!, chainId: LANE_CHAIN_ID, recvBufferBytes: 4 << 20, ...o });
  open.push(lane);
  const got: IngestedOrder[] = [];
  if (withHandler) lane.onOrders((batch) => got.push(...batch));
  return { lane, got };
}

async function sender(): Promise<{ port: number; send: (to: number, datagrams: Uint8Array[]) => Promise<void> }> {
  const s = dgram.createSocket("udp4");
  await new Promise<void>((r) => s.bind(0, HOST, () => r()));
  open.push({ close: () => new Promise<void>((r) => s.close(() => r())) });
  const send = async (to: number, datagrams: Uint8Array[]): Promise<void> => {
    await Promise.all(datagrams.map((d) => new Promise<void>((r, j) => s.send(d, to, HOST, (e) => (e ? j(e) : r())))));
  };
  return { port: s.address().port, send };
}

async function until(cond: () => boolean, boundMs: number): Promise<boolean> {
  const end = Date.now() + boundMs;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  return cond();
}

function settled(lane: UdpLaneIngest): number {
  const s = lane.stats();
  return s.accepted + Object.values(s.drops).reduce((a, b) => a + b, 0);
}

afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

describe("UDP lane ingest on loopback", () => {
  it("accepts good orders with increasing local sequence numbers and stamps, as owned copies", async () => {
    const { lane, got } = await ingest();
    const from = await sender();
    const key = trader(0x51);
    const orders = Array.from({ length: 120 }, (_, i) => signedOrder(key, BigInt(i + 1), 1 + (i % 32)));
    const before = Date.now() * 1000;
    for (let i = 0; i < orders.length; i += 20) await from.send(lane.port, orders.slice(i, i + 20).map((o) => o.bytes));
    expect(await until(() => got.length === orders.length, 20_000)).toBe(true);
    expect(new Set(got.map((o) => hex(o.orderId)))).toEqual(new Set(orders.map((o) => hex(o.id))));
    for (let i = 1; i < got.length; i++) {
      expect(got[i]!.localSeq).toBeGreaterThan(got[i - 1]!.localSeq);
      expect(got[i]!.stampUs).toBeGreaterThanOrEqual(got[i - 1]!.stampUs);
    }
    expect(got[0]!.localSeq).toBe(1);
    expect(got[0]!.stampUs).toBeGreaterThanOrEqual(before - 1000);
    expect(got[got.length - 1]!.stampUs).toBeLessThanOrEqual(Date.now() * 1000 + 1000);
    expect(got.every((o) => o.source.host === HOST && o.source.port === from.port)).toBe(true);
    const byId = new Map(orders.map((o) => [hex(o.id), o]));
    for (const o of got) {
      expect(hex(o.bytes)).toBe(hex(byId.get(hex(o.orderId))!.bytes));
      expect(o.bytes.buffer.byteLength).toBe(o.bytes.length); // owned, not a view into a shared buffer
    }
    expect(lane.stats()).toEqual({
      accepted: 120,
      drops: { malformed: 0, wrongChain: 0, badSignature: 0, duplicate: 0, laneRingFull: 0, verifyQueueFull: 0 },
    });
    expect(lane.kind).toBe("udp");
  });

  it("counts malformed, wrongChain, badSignature and duplicate", async () => {
    const { lane, got } = await ingest();
    const from = await sender();
    const key = trader(0x52);
    const good = Array.from({ length: 10 }, (_, i) => signedOrder(key, BigInt(i + 1)));
    const datagrams = [
      ...good.map((o) => o.bytes),
      ...malformedDatagrams(good[0]!),
      signedOrder(key, 100n, 1, LANE_CHAIN_ID + 1n).bytes,
      signedOrder(key, 101n, 1, 1n).bytes,
      badSignature(signedOrder(key, 102n)),
      good[2]!.bytes,
      good[2]!.bytes,
    ];
    await from.send(lane.port, datagrams);
    expect(await until(() => settled(lane) === datagrams.length, 20_000)).toBe(true);
    await from.send(lane.port, [good[7]!.bytes]); // long accepted: still remembered
    expect(await until(() => settled(lane) === datagrams.length + 1, 20_000)).toBe(true);
    expect(lane.stats()).toEqual({
      accepted: 10,
      drops: { malformed: 5, wrongChain: 2, badSignature: 1, duplicate: 3, laneRingFull: 0, verifyQueueFull: 0 },
    });
    expect(got).toHaveLength(10);
  });

  it("is bounded: verifyQueueFull beyond the workers' queues", async () => {
    // The slow verifier keeps 16 orders in flight for ~20 ms, far longer than a 300-datagram burst takes.
    const { lane } = await ingest({ verifier: "noble", verifyQueueSlots: 16 });
    const from = await sender();
    const key = trader(0x53);
    const orders = Array.from({ length: 300 }, (_, i) => signedOrder(key, BigInt(i + 1)).bytes);
    await from.send(lane.port, orders);
    expect(await until(() => settled(lane) === orders.length, 30_000)).toBe(true);
    const s = lane.stats();
    expect(s.drops.verifyQueueFull).toBeGreaterThan(0);
    expect(s.accepted).toBeGreaterThanOrEqual(16);
    expect(s.accepted + s.drops.verifyQueueFull).toBe(orders.length);
  });

  it("holds accepted orders for a late handler up to ringSlots, and forgets the ones it dropped", async () => {
    const { lane } = await ingest({ ringSlots: 64 }, false);
    const from = await sender();
    const key = trader(0x54);
    const orders = Array.from({ length: 100 }, (_, i) => signedOrder(key, BigInt(i + 1)));
    await from.send(lane.port, orders.map((o) => o.bytes));
    expect(await until(() => settled(lane) === 100, 20_000)).toBe(true);
    expect(lane.stats().accepted).toBe(64);
    expect(lane.stats().drops.laneRingFull).toBe(36);
    const got: IngestedOrder[] = [];
    lane.onOrders((batch) => got.push(...batch));
    expect(got).toHaveLength(64);
    const dropped = orders.filter((o) => !got.some((g) => hex(g.orderId) === hex(o.id)));
    expect(dropped).toHaveLength(36);
    await from.send(lane.port, [dropped[0]!.bytes, orders.find((o) => hex(o.id) === hex(got[0]!.orderId))!.bytes]);
    expect(await until(() => settled(lane) === 102, 20_000)).toBe(true);
    expect(lane.stats().accepted).toBe(65); // the re-sent dropped order gets in
    expect(lane.stats().drops.duplicate).toBe(1); // the re-sent accepted one does not
    for (let i = 1; i < got.length; i++) expect(got[i]!.localSeq).toBeGreaterThan(got[i - 1]!.localSeq);
  });

  it("keeps local sequence order across several workers", async () => {
    const { lane, got } = await ingest({ verifyThreads: 3 });
    const from = await sender();
    const orders = Array.from({ length: 150 }, (_, i) => signedOrder(trader(0x60 + (i % 7)), BigInt(i + 1)).bytes);
    for (let i = 0; i < orders.length; i += 30) await from.send(lane.port, orders.slice(i, i + 30));
    expect(await until(() => got.length === orders.length, 20_000)).toBe(true);
    for (let i = 1; i < got.length; i++) {
      expect(got[i]!.localSeq).toBeGreaterThan(got[i - 1]!.localSeq);
      expect(got[i]!.stampUs).toBeGreaterThanOrEqual(got[i - 1]!.stampUs);
    }
  });

  // net-native/test/lane-harness.test.ts holds the native verifier to the same reference on the same orders.
  it.each(["node", "noble"] as const)("accepts exactly what the reference verifier accepts on edge encodings (%s)", async (verifier) => {
    const { lane, got } = await ingest({ verifier });
    const from = await sender();
    const key = trader(0x55);
    const cases = [malleated(signedOrder(key, 2n)), identityKeyOrder(3n), ...mixedOrderKeyOrders(40), signedOrder(key, 1n).bytes];
    await from.send(lane.port, cases);
    expect(await until(() => settled(lane) === cases.length, 30_000)).toBe(true);
    const expected = cases.filter((c) => {
      const d = decodeOrderAction(c);
      return d.ok && verifyOrderAction(d.value, nobleVerify);
    });
    expect(got.map((o) => hex(o.bytes)).sort()).toEqual(expected.map(hex).sort());
    expect(expected.length).toBeGreaterThan(1); // some mixed-order signatures verify, most do not
    expect(expected.length).toBeLessThan(cases.length - 2);
  });

  it("refuses a taken port with a coded error and closes idempotently", async () => {
    const { lane } = await ingest();
    await expect(UdpLaneIngest.open({ host: HOST, port: lane.port, chainId: 1n })).rejects.toMatchObject({ code: "LANE_INGEST_ERROR_ADDRESS_IN_USE" });
    await expect(UdpLaneIngest.open({ host: "localhost", port: 0, chainId: 1n })).rejects.toBeInstanceOf(LaneIngestError);
    await lane.close();
    await lane.close();
  });
});
