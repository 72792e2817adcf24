// Order-lane frames on the data plane: the frame layout (header, kind byte, body) and its decoder's verdicts, and
// DataPlane.broadcastLane / onLane over SimTransports (no sockets): every peer gets every frame, the body handed
// out outlives the transport's (poisoned) receive buffer, unknown kinds and a full queue are counted drops.

import { describe, expect, it } from "vitest";
import { ManualScheduler } from "../../../../node/net/scheduler.ts";
import { seededRandom } from "../../../../node/net/seeded-random.ts";
import { SimNetwork } from "../../../../node/net/sim-network.ts";
import { SimTransport } from "../../../../node/net/sim-transport.ts";
import type { Address } from "../../../../node/net/datagram-transport.ts";
import { decodeDatagram, encodeLaneFrame, LaneFrameKind, type LaneFrame } from "../../../../node/wire/data-plane-codec.ts";
import { DataPlane, type DataPlaneOptions } from "../../../../node/wire/data-plane.ts";
import { FrameType } from "../../../../node/wire/frame-header.ts";
import { Reassembler } from "../../../../node/wire/reassembler.ts";
import { CHAIN_ID, leaderKey, patternBytes, signer, verify } from "./wire-fixture.ts";

const reassembler = () => new Reassembler({ chainId: CHAIN_ID, leaderKey, verify });
const decode = (payload: Uint8Array, chainId = CHAIN_ID) => decodeDatagram(payload, { chainId, reassembler: reassembler() });

describe("lane frame codec", () => {
  it("is the frame header (type 0x04, version, chain id), one kind byte, then the body", () => {
    const body = patternBytes(40, 1);
    const frame = encodeLaneFrame(LaneFrameKind.order, body, 0x0102030405060708n);
    expect([...frame.subarray(0, 11)]).toEqual([0x04, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0x02]);
    expect(frame.subarray(11)).toEqual(body);
    expect(FrameType.lane).toBe(0x04);
    expect(LaneFrameKind).toEqual({ receipts: 0x01, order: 0x02 });
  });

  it("decodes both kinds to an owned copy of the body", () => {
    for (const kind of [LaneFrameKind.receipts, LaneFrameKind.order]) {
      const body = patternBytes(100, kind);
      const payload = encodeLaneFrame(kind, body, CHAIN_ID);
      const out = decode(payload);
      expect(out).toEqual({ verdict: { action: "accept" }, frameType: FrameType.lane, lane: { kind, body } });
      payload.fill(0);
      expect(out.lane!.body).toEqual(body);
    }
  });

  it("copies out of a node Buffer into a plain Uint8Array", () => {
    const body = patternBytes(30, 3);
    const buffer = Buffer.from(encodeLaneFrame(LaneFrameKind.receipts, body, CHAIN_ID));
    const out = decode(buffer);
    expect(Object.getPrototypeOf(out.lane!.body)).toBe(Uint8Array.prototype);
    buffer.fill(0xee);
    expect(out.lane!.body).toEqual(body);
  });

  it("refuses another chain's frame, an unknown kind and a frame without a kind byte", () => {
    const body = patternBytes(10, 4);
    expect(decode(encodeLaneFrame(LaneFrameKind.order, body, CHAIN_ID + 1n)).verdict).toMatchObject({ action: "reject", code: "WIRE_REJECT_WRONG_CHAIN" });
    const unknown = encodeLaneFrame(LaneFrameKind.order, body, CHAIN_ID);
    unknown[10] = 0x03;
    expect(decode(unknown)).toEqual({ verdict: { action: "reject", code: "WIRE_REJECT_MALFORMED", detail: "lane frame kind 3" }, frameType: FrameType.lane });
    const headerOnly = encodeLaneFrame(LaneFrameKind.order, new Uint8Array(0), CHAIN_ID).subarray(0, 10);
    expect(decode(headerOnly).verdict).toMatchObject({ action: "reject", code: "WIRE_REJECT_MALFORMED" });
    // An empty body is a frame (the lane service decides what it means).
    expect(decode(encodeLaneFrame(LaneFrameKind.receipts, new Uint8Array(0), CHAIN_ID)).lane).toEqual({ kind: LaneFrameKind.receipts, body: new Uint8Array(0) });
  });
});

function net(n: number, extra: Partial<DataPlaneOptions> = {}) {
  const scheduler = new ManualScheduler();
  const network = new SimNetwork({ scheduler, random: seededRandom(11), conditions: { delayMs: 1 } });
  const transports = Array.from({ length: n }, (_, i) => SimTransport.open(network, { host: `10.0.0.${i + 1}`, port: 9000 }));
  const planes = transports.map((t, i) =>
    new DataPlane({
      chainId: CHAIN_ID, transport: t, peers: transports.filter((_, j) => j !== i).map((x) => x.localAddress),
      senderIndex: i, sign: signer(i), verify, leaderKey, ...extra,
    }),
  );
  const got = planes.map((p) => {
    const frames: { frame: LaneFrame; from: Address }[] = [];
    p.onLane((frame, from) => frames.push({ frame, from }));
    return frames;
  });
  return { scheduler, transports, planes, got };
}

describe("DataPlane lane frames over SimTransport", () => {
  it("sends every lane frame to every peer at once (urgent queue), and peers hand them to onLane", async () => {
    const { scheduler, transports, planes, got } = net(3);
    const bodies = [patternBytes(1_200, 1), patternBytes(64, 2)];
    expect(planes[0]!.broadcastLane(LaneFrameKind.receipts, bodies)).toBe(true);
    expect(planes[0]!.stats()).toMatchObject({ laneFramesOut: 2, datagramsOut: 4, datagramsQueued: 0 });
    scheduler.run(10);
    for (const i of [1, 2]) {
      expect(got[i]!.map((g) => [g.frame.kind, g.frame.body.length, g.from.host])).toEqual([
        [LaneFrameKind.receipts, 1_200, "10.0.0.1"],
        [LaneFrameKind.receipts, 64, "10.0.0.1"],
      ]);
      expect(got[i]!.map((g) => g.frame.body)).toEqual(bodies);
      expect(planes[i]!.stats()).toMatchObject({ laneFramesIn: 2, rxDrops: {} });
    }
    expect(got[0]).toEqual([]);
    // SimTransport overwrote its receive buffers with 0xEE after each batch: the bodies kept are copies.
    expect(transports[1]!.stats().rxDatagrams).toBe(2);
    for (const p of planes) await p.close();
  });

  it("sends nothing for no bodies, counts unknown kinds and frames nobody listens to", async () => {
    const { scheduler, transports, planes, got } = net(2);
    expect(planes[0]!.broadcastLane(LaneFrameKind.order, [])).toBe(true);
    expect(planes[0]!.stats().datagramsOut).toBe(0);
    const bad = encodeLaneFrame(LaneFrameKind.order, patternBytes(8, 5), CHAIN_ID);
    bad[10] = 0x7f;
    transports[0]!.send([{ peer: transports[1]!.localAddress, payload: bad }]);
    planes[0]!.broadcastLane(LaneFrameKind.order, [patternBytes(8, 6)]);
    scheduler.run(10);
    expect(got[1]!.map((g) => g.frame.kind)).toEqual([LaneFrameKind.order]);
    expect(planes[1]!.stats()).toMatchObject({ laneFramesIn: 1, rxDrops: { WIRE_REJECT_MALFORMED: 1 } });
    planes[1]!.onLane(null);
    planes[0]!.broadcastLane(LaneFrameKind.order, [patternBytes(8, 7)]);
    scheduler.run(20);
    expect(planes[1]!.stats()).toMatchObject({ laneFramesIn: 2, rxDrops: { WIRE_REJECT_MALFORMED: 1, noHandler: 1 } });
    for (const p of planes) await p.close();
  });

  it("refuses a broadcast the urgent queue has no room for, counting every datagram it would have sent", async () => {
    const { scheduler, planes, got } = net(3, { datagramsPerTurn: 1, urgentPayloadsMax: 2 });
    // One datagram leaves within the call; the rest of the payloads wait for the next turns.
    expect(planes[0]!.broadcastLane(LaneFrameKind.order, [patternBytes(8, 1), patternBytes(8, 2)])).toBe(true);
    expect(planes[0]!.stats()).toMatchObject({ datagramsOut: 1, datagramsQueued: 3 });
    expect(planes[0]!.broadcastLane(LaneFrameKind.order, [patternBytes(8, 3)])).toBe(false);
    expect(planes[0]!.stats().txDrops).toEqual({ queueFull: 2 });
    expect(planes[0]!.broadcastLane(LaneFrameKind.order, [1, 2, 3].map((n) => patternBytes(8, n)))).toBe(false);
    expect(planes[0]!.stats().txDrops).toEqual({ queueFull: 8 });
    await planes[0]!.drained();
    scheduler.run(10);
    expect(got[1]!.map((g) => g.frame.body)).toEqual([patternBytes(8, 1), patternBytes(8, 2)]);
    expect(planes[0]!.stats().laneFramesOut).toBe(2);
    await planes[0]!.close();
    expect(planes[0]!.broadcastLane(LaneFrameKind.order, [patternBytes(8, 4)])).toBe(false);
    expect(planes[0]!.stats().txDrops).toMatchObject({ closed: 1 });
    for (const p of planes.slice(1)) await p.close();
  });
});
