// DataPlane between two SimTransports (seeded, simulated clock) and between two UdpTransports on 127.0.0.1:
// a vote, a certificate and a 1 MB proposal arrive whole; votes overtake queued shreds; peer garbage and a
// full send queue are counted, never thrown.
import { afterEach, describe, expect, it } from "vitest";
import type { Message } from "../../../../consensus/simplex/types.ts";
import { VoteKind } from "../../../../consensus/types.ts";
import type { Address, DatagramTransport } from "../../../../node/net/datagram-transport.ts";
import { ManualScheduler } from "../../../../node/net/scheduler.ts";
import { seededRandom } from "../../../../node/net/seeded-random.ts";
import { SimNetwork, type LinkConditions } from "../../../../node/net/sim-network.ts";
import { SimTransport } from "../../../../node/net/sim-transport.ts";
import { UdpTransport } from "../../../../node/net/udp-transport.ts";
import { encodeMessage } from "../../../../node/wire/data-plane-codec.ts";
import { DataPlane, type DataPlaneOptions } from "../../../../node/wire/data-plane.ts";
import { toHex } from "../../../../consensus/crypto/hash.ts";
import { CHAIN_ID, certificate, leaderKey, proposalOfSize, signer, verify, vote } from "./wire-fixture.ts";

const voteMessage: Message = { type: "vote", vote: vote(1, { kind: VoteKind.Notarize, view: 9, blockHash: new Uint8Array(32).fill(9) }) };
const certMessage: Message = { type: "certificate", certificate: certificate(8, 6) };
const bigCertMessage: Message = { type: "certificate", certificate: certificate(8, 60) };

function plane(transport: DatagramTransport, peers: Address[], index: number | undefined, extra: Partial<DataPlaneOptions> = {}): DataPlane {
  return new DataPlane({
    chainId: CHAIN_ID,
    transport,
    peers,
    senderIndex: index,
    sign: index === undefined ? undefined : signer(index),
    verify,
    leaderKey,
    ...extra,
  });
}

function received(p: DataPlane): { message: Message; from: Address }[] {
  const got: { message: Message; from: Address }[] = [];
  p.onMessage((message, from) => got.push({ message, from }));
  return got;
}

/** The message's canonical bytes in hex: equal messages, equal strings (cheaper than deep equality on 1 MB). */
function fingerprint(m: Message): string {
  return toHex(encodeMessage(m, { chainId: CHAIN_ID, senderIndex: 0, sign: () => new Uint8Array(64) }).reduce((a, b) => concat(a, b), new Uint8Array(0)));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function simPair(conditions: Partial<LinkConditions> = {}, extra: Partial<DataPlaneOptions> = {}) {
  const scheduler = new ManualScheduler();
  const network = new SimNetwork({ scheduler, random: seededRandom(5), conditions: { delayMs: 2, jitterMs: 2, ...conditions } });
  const ta = SimTransport.open(network, { host: "10.0.0.1", port: 9000 });
  const tb = SimTransport.open(network, { host: "10.0.0.2", port: 9000 });
  const a = plane(ta, [tb.localAddress], 1, extra);
  const b = plane(tb, [ta.localAddress], 2, extra);
  return { scheduler, network, ta, tb, a, b };
}

describe("DataPlane over SimTransport", () => {
  it("delivers a vote, a certificate, a shredded certificate and a 1 MB proposal", async () => {
    const { scheduler, a, b, ta } = simPair({ duplicateRate: 0.05, reorderRate: 0.2, reorderDelayMs: 20 });
    const got = received(b);
    const proposal: Message = { type: "proposal", proposal: proposalOfSize(9, 1024 * 1024) };
    for (const m of [voteMessage, certMessage, bigCertMessage, proposal]) expect(a.broadcast(m)).toBe(true);
    await a.drained();
    scheduler.run(scheduler.now() + 100);
    expect(got.map((g) => fingerprint(g.message))).toEqual(expect.arrayContaining([voteMessage, certMessage, bigCertMessage, proposal].map(fingerprint)));
    // Shredded messages come out once however often their shreds are duplicated; single frames may repeat.
    expect(got.filter((g) => g.message.type === "proposal")).toHaveLength(1);
    expect(got.filter((g) => g.message.type === "certificate" && g.message.certificate.signers.length === 60)).toHaveLength(1);
    expect(got.every((g) => g.from.host === ta.localAddress.host)).toBe(true);
    const sa = a.stats();
    const sb = b.stats();
    expect(sa.messagesOut).toEqual({ vote: 1, certificate: 2, proposal: 1 });
    expect(sa.shredsOut).toBeGreaterThan(700);
    expect(sb.messagesIn.proposal).toBe(1);
    expect(sb.shredsIn).toBeGreaterThanOrEqual(sa.shredsOut);
    expect(sa.datagramsQueued).toBe(0);
    await a.close();
    await b.close();
  });

  it("sends votes ahead of proposal shreds already queued", async () => {
    const { scheduler, a, b } = simPair({}, { datagramsPerTurn: 64 });
    const order: string[] = [];
    b.onMessage((m) => order.push(m.type));
    a.broadcast({ type: "proposal", proposal: proposalOfSize(9, 300_000) });
    a.broadcast(voteMessage);
    expect(a.stats().datagramsOut).toBe(1); // the vote left at once; the shreds wait for the next turns
    await a.drained();
    scheduler.run(scheduler.now() + 100);
    expect(order).toEqual(["vote", "proposal"]);
  });

  it("delivers to every peer, and setPeers changes who gets later broadcasts", async () => {
    const scheduler = new ManualScheduler();
    const network = new SimNetwork({ scheduler, random: seededRandom(2) });
    const t = [1, 2, 3].map((i) => SimTransport.open(network, { host: `10.0.0.${i}`, port: 9000 }));
    const a = plane(t[0]!, [t[1]!.localAddress, t[2]!.localAddress], 0);
    const b = received(plane(t[1]!, [], 1));
    const c = received(plane(t[2]!, [], 2));
    a.broadcast({ type: "proposal", proposal: proposalOfSize(8, 50_000) });
    await a.drained();
    a.setPeers([t[2]!.localAddress]);
    a.broadcast(voteMessage);
    scheduler.run(100);
    expect(b.map((g) => g.message.type)).toEqual(["proposal"]);
    expect(c.map((g) => g.message.type).sort()).toEqual(["proposal", "vote"]);
  });

  it("counts garbage from a peer and keeps going", async () => {
    const { scheduler, a, b, ta, tb } = simPair();
    const got = received(b);
    ta.send([
      { peer: tb.localAddress, payload: new Uint8Array([0x42, 1, 2, 3]) },
      { peer: tb.localAddress, payload: new Uint8Array([0x03, 1, 0]) },
      { peer: tb.localAddress, payload: new Uint8Array(0) },
    ]);
    a.broadcast(voteMessage);
    scheduler.run(100);
    expect(got.map((g) => g.message)).toEqual([voteMessage]);
    expect(b.stats().rxDrops).toEqual({ WIRE_REJECT_UNKNOWN_FRAME: 1, WIRE_REJECT_TRUNCATED: 2 });
  });

  it("bounds the send queue: a newer proposal displaces an older one, an oversized one is refused", async () => {
    const { a } = simPair({}, { bulkPayloadsMax: 400 });
    expect(a.broadcast({ type: "proposal", proposal: proposalOfSize(9, 300_000) })).toBe(true);
    const first = a.stats().datagramsQueued;
    expect(a.broadcast({ type: "proposal", proposal: proposalOfSize(10, 300_000) })).toBe(true);
    expect(a.stats().txDrops.queueFull).toBe(first);
    expect(a.broadcast({ type: "proposal", proposal: proposalOfSize(11, 600_000) })).toBe(false);
    expect(a.stats().messagesOut.proposal).toBe(2);
    await a.close();
    expect(a.stats().txDrops.closed).toBeGreaterThan(0);
    expect(a.broadcast(voteMessage)).toBe(false);
  });

  it("a non-validator sends votes and small certificates, counts large certificates it cannot sign, refuses proposals", () => {
    const scheduler = new ManualScheduler();
    const network = new SimNetwork({ scheduler, random: seededRandom(3) });
    const t = SimTransport.open(network, { host: "10.0.0.9", port: 9000 });
    const observer = plane(t, [{ host: "10.0.0.1", port: 9000 }], undefined);
    expect(observer.broadcast(voteMessage)).toBe(true);
    expect(observer.broadcast(certMessage)).toBe(true);
    expect(observer.broadcast(bigCertMessage)).toBe(false);
    expect(observer.stats().txDrops).toEqual({ notValidator: 1 });
    expect(() => observer.broadcast({ type: "proposal", proposal: proposalOfSize(9, 100) })).toThrowError(/WIRE_ERROR_NOT_VALIDATOR/);
  });
});

describe("DataPlane over UdpTransport on 127.0.0.1", () => {
  const open: DataPlane[] = [];
  afterEach(async () => {
    for (const p of open.splice(0)) await p.close();
  });

  it("delivers a vote, a certificate and a 1 MB proposal", async () => {
    const bufferBytes = 4 * 1024 * 1024;
    const ua = await UdpTransport.open({ host: "127.0.0.1", port: 0, recvBufferBytes: bufferBytes, sendBufferBytes: bufferBytes });
    const ub = await UdpTransport.open({ host: "127.0.0.1", port: 0, recvBufferBytes: bufferBytes, sendBufferBytes: bufferBytes });
    const a = plane(ua, [ub.localAddress], 1, { datagramsPerTurn: 64 });
    const b = plane(ub, [ua.localAddress], 2);
    open.push(a, b);
    const proposal: Message = { type: "proposal", proposal: proposalOfSize(9, 1024 * 1024) };
    const done = new Promise<Message[]>((resolve) => {
      const got: Message[] = [];
      b.onMessage((m) => {
        got.push(m);
        if (got.length === 3) resolve(got);
      });
    });
    a.broadcast(voteMessage);
    a.broadcast(certMessage);
    a.broadcast(proposal);
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out: ${JSON.stringify(b.stats())}`)), 20_000));
    const got = await Promise.race([done, timeout]);
    expect(got.map((m) => m.type).sort()).toEqual(["certificate", "proposal", "vote"]);
    expect(got.map(fingerprint).sort()).toEqual([voteMessage, certMessage, proposal].map(fingerprint).sort());
    expect(b.stats().rxDrops).toEqual({});
  });
});
