// The control plane end to end over real TCP on 127.0.0.1 (ports picked by the kernel): bootstrap, status
// handshake, block sync and repair (a 5 MB item included), malformed and oversize requests, a peer on another
// chain, transaction gossip, and a bootstrap peer that starts late.
import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import type { Libp2p, Stream } from "@libp2p/interface";
import { tcp } from "@libp2p/tcp";
import { multiaddr } from "@multiformats/multiaddr";
import { createLibp2p } from "libp2p";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { sha256 } from "../../../../consensus/crypto/hash.ts";
import { encodeFrameHeader, FrameReader, writeFrame } from "../../../../node/p2p/frame-stream.ts";
import { peerIdFromSecretKey } from "../../../../node/p2p/peer-identity.ts";
import { encodeRangeRequest, encodeStatus, protocolId } from "../../../../node/p2p/wire-messages.ts";
import { CHAIN_ID, connectedTo, freePort, GENESIS, seedKey, startNode, waitFor, type TestNode } from "./plane-fixture.ts";

const item = (height: number, bytes = 100): Uint8Array => new Uint8Array(bytes).fill(height % 251);
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
/** Byte equality without vitest's element-by-element diffing, which takes seconds on 5 MB. */
const same = (x: Uint8Array | undefined, y: Uint8Array): boolean => x !== undefined && Buffer.from(x).equals(Buffer.from(y));
const timeout = (): AbortSignal => AbortSignal.timeout(10_000);
const brokeProtocol = (n: TestNode): number => n.logs.filter((l) => l.msg === "p2p: peer broke protocol, stream reset").length;

describe("ControlPlane: three nodes, B and C bootstrap from A", () => {
  let a: TestNode;
  let b: TestNode;
  let c: TestNode;
  const big = new Uint8Array(5 * 1024 * 1024).map((_, i) => (i * 7) & 0xff);

  beforeAll(async () => {
    a = await startNode({
      seed: 1,
      finalizedHeight: 70,
      onTransactions: (self, raws) => self.plane.gossipTransactions(raws), // A relays; B and C do not echo back
    });
    for (let h = 1; h <= 70; h++) a.blocks.set(h, h === 5 ? big : item(h));
    a.byHash.set(hex(sha256(big)), big);
    const bootstrap = [a.plane.addresses()[0]!];
    b = await startNode({ seed: 2, bootstrap, finalizedHeight: 3 });
    c = await startNode({ seed: 3, bootstrap, finalizedHeight: 4, onTransactions: (self, raws) => self.plane.gossipTransactions(raws) });
    await waitFor(() => a.plane.peers().length === 2 && connectedTo(b, a) && connectedTo(c, a), "bootstrap connections");
  });

  afterAll(async () => {
    await Promise.all([a?.plane.stop(), b?.plane.stop(), c?.plane.stop()]);
  });

  it("derives the peer id from the node key, as configs need before a node runs", () => {
    expect(a.plane.peerId).toBe(peerIdFromSecretKey(seedKey(1)));
    expect(a.plane.addresses()[0]).toMatch(new RegExp(`^/ip4/127\\.0\\.0\\.1/tcp/\\d+/p2p/${a.plane.peerId}$`));
  });

  it("exchanges status on connect and on demand", async () => {
    expect(b.plane.peers()).toEqual([{ peerId: a.plane.peerId, address: expect.stringContaining("/ip4/127.0.0.1/tcp/"), finalizedHeight: 70 }]);
    const heights = Object.fromEntries(a.plane.peers().map((p) => [p.peerId, p.finalizedHeight]));
    expect(heights).toEqual({ [b.plane.peerId]: 3, [c.plane.peerId]: 4 });
    const statuses = await a.plane.peerStatuses(timeout());
    expect(statuses.map((s) => s.finalizedHeight).sort()).toEqual([3, 4]);
    expect(statuses.find((s) => s.peerId === c.plane.peerId)!.finalizedHash).toEqual(new Uint8Array(32).fill(3));
  });

  it("answers blocks-by-range from the handler, including a 5 MB item, and bounds the count", async () => {
    const items = await b.plane.requestBlocksByRange(a.plane.peerId, 3, 4, timeout());
    expect(items.map((x) => x.length)).toEqual([100, 100, big.length, 100]);
    expect(same(items[2], big)).toBe(true);
    expect(await b.plane.requestBlocksByRange(a.plane.peerId, 69, 10, timeout())).toEqual([item(69), item(70)]);
    expect(await c.plane.requestBlocksByRange(a.plane.peerId, 500, 3, timeout())).toEqual([]);
    expect(await c.plane.requestBlocksByRange(a.plane.peerId, 6, 64, timeout())).toHaveLength(64);
    await expect(c.plane.requestBlocksByRange(a.plane.peerId, 1, 65, timeout())).rejects.toMatchObject({ code: "P2P_ERROR_INVALID_ARGUMENT" });
    await expect(c.plane.requestBlocksByRange(b.plane.peerId, 1, 1, timeout())).rejects.toMatchObject({ code: "P2P_ERROR_PEER_UNKNOWN" });
  });

  it("fetches a block by hash, asking peers in turn", async () => {
    expect(same(await b.plane.fetchBlockByHash(sha256(big), timeout()), big)).toBe(true);
    expect(await b.plane.fetchBlockByHash(new Uint8Array(32).fill(0xee), timeout())).toBeUndefined();
    // A's peers are B (height 3) and C (height 4), asked highest first: an item only B has needs a second ask.
    const onlyOnC = Uint8Array.of(1, 2, 3);
    c.byHash.set(hex(sha256(onlyOnC)), onlyOnC);
    const onlyOnB = Uint8Array.of(4, 5, 6);
    b.byHash.set(hex(sha256(onlyOnB)), onlyOnB);
    expect(await a.plane.fetchBlockByHash(sha256(onlyOnC), timeout())).toEqual(onlyOnC);
    expect(await a.plane.fetchBlockByHash(sha256(onlyOnB), timeout())).toEqual(onlyOnB);
  });

  it("gossips transactions to every node exactly once, relayed by A, with no echo", async () => {
    const txs = [Uint8Array.of(0xa1, 1), Uint8Array.of(0xa1, 2), Uint8Array.of(0xa1, 3)];
    b.plane.gossipTransactions([...txs, txs[0]!]); // the duplicate is sent once
    const count = (n: TestNode) => n.received.flatMap((r) => r.raws).filter((raw) => raw[0] === 0xa1).length;
    await waitFor(() => count(a) === 3 && count(c) === 3, "gossip to reach A and C");
    await new Promise((r) => setTimeout(r, 300)); // give any echo time to arrive
    expect(count(a)).toBe(3);
    expect(count(c)).toBe(3);
    expect(count(b)).toBe(0); // A skips the origin; C's relay to A is dropped by A's seen-set
    expect(a.received.every((r) => r.from === b.plane.peerId)).toBe(true);
    expect(c.received.every((r) => r.from === a.plane.peerId)).toBe(true);
  });

  describe("a raw libp2p client that misbehaves", () => {
    let stalling: Libp2p; // never answers A's status request, so it stays unverified
    let verified: Libp2p; // answers A's status request correctly, then misbehaves
    const gate = new AbortController();

    async function rawNode(answerStatus: boolean): Promise<Libp2p> {
      const node = await createLibp2p({
        addresses: { listen: [] },
        transports: [tcp()],
        connectionEncrypters: [noise()],
        streamMuxers: [yamux()],
        connectionMonitor: { enabled: false },
      });
      await node.handle(protocolId(CHAIN_ID, "status"), async (stream) => {
        const reader = new FrameReader(stream);
        await reader.readFrame(1024, gate.signal);
        if (!answerStatus) return; // holds the stream until A gives up
        await writeFrame(stream, encodeStatus({ chainId: CHAIN_ID, genesisHash: GENESIS, finalizedHeight: 0, finalizedHash: new Uint8Array(32) }), gate.signal);
        await stream.close();
      });
      return node;
    }

    beforeAll(async () => {
      stalling = await rawNode(false);
      verified = await rawNode(true);
    });
    afterAll(async () => {
      gate.abort();
      await Promise.all([stalling?.stop(), verified?.stop()]);
    });

    async function open(from: Libp2p): Promise<Stream> {
      return from.dialProtocol(multiaddr(a.plane.addresses()[0]!), protocolId(CHAIN_ID, "blocks-by-range"), { signal: timeout() });
    }

    async function expectReset(stream: Stream): Promise<void> {
      const result = await new FrameReader(stream).readFrame(1024, timeout());
      expect(result).toMatchObject({ kind: "error", code: "FRAME_ERROR_RESET" });
    }

    it("is refused before the status handshake", async () => {
      const before = brokeProtocol(a);
      const stream = await open(stalling);
      try {
        await writeFrame(stream, encodeRangeRequest({ fromHeight: 1, count: 1 }), timeout());
      } catch {
        // A may reset the stream before the request is even written
      }
      await expectReset(stream);
      expect(brokeProtocol(a)).toBe(before + 1);
      expect(a.logs.at(-1)?.data).toMatchObject({ peerId: stalling.peerId.toString(), reason: "request before status handshake" });
    });

    it("gets an oversize, a malformed and a truncated request reset, and A keeps serving", async () => {
      await verified.dial(multiaddr(a.plane.addresses()[0]!), { signal: timeout() });
      await waitFor(() => a.plane.peers().some((p) => p.peerId === verified.peerId.toString()), "raw client verified by A");
      const before = brokeProtocol(a);

      const oversize = await open(verified);
      oversize.send(encodeFrameHeader(10 * 1024 * 1024)); // announces 10 MiB where 12 bytes are allowed
      await expectReset(oversize);

      const malformed = await open(verified);
      await writeFrame(malformed, new Uint8Array(12), timeout()); // count of zero
      await expectReset(malformed);

      const truncated = await open(verified);
      truncated.send(Uint8Array.of(0, 0)); // half a header, then end
      await truncated.close();
      await expectReset(truncated);

      expect(brokeProtocol(a)).toBe(before + 3);
      expect(await b.plane.requestBlocksByRange(a.plane.peerId, 1, 2, timeout())).toEqual([item(1), item(2)]);
    });
  });
});

describe("ControlPlane: peers on another chain", () => {
  it("refuses a peer with a different genesis hash, and one with a different chain id", async () => {
    const a = await startNode({ seed: 11 });
    const otherGenesis = await startNode({ seed: 12, bootstrap: a.plane.addresses(), genesisHash: new Uint8Array(32).fill(9) });
    const otherChain = await startNode({ seed: 13, bootstrap: a.plane.addresses(), chainId: CHAIN_ID + 1n });
    try {
      const refusals = (n: TestNode) => n.logs.filter((l) => l.msg === "p2p: peer is on another chain, disconnecting");
      const refusedIds = () => new Set(refusals(a).map((l) => (l.data as { peerId: string }).peerId));
      await waitFor(() => refusedIds().has(otherGenesis.plane.peerId) && refusedIds().has(otherChain.plane.peerId), "A to refuse both");
      expect(a.plane.peers()).toEqual([]);
      expect(otherGenesis.plane.peers()).toEqual([]);
      expect(otherChain.plane.peers()).toEqual([]);
      // Refused for a while: redials are denied before they reach the handshake again, so no new log lines.
      const logged = refusals(a).length;
      await new Promise((r) => setTimeout(r, 600));
      expect(refusals(a).length).toBe(logged);
      expect(a.plane.peers()).toEqual([]);
    } finally {
      await Promise.all([a.plane.stop(), otherGenesis.plane.stop(), otherChain.plane.stop()]);
    }
  });
});

describe("ControlPlane: bootstrap peer that starts late", () => {
  it("keeps redialing quietly and connects once the peer is up", async () => {
    const port = await freePort();
    const lateAddress = `/ip4/127.0.0.1/tcp/${port}/p2p/${peerIdFromSecretKey(seedKey(21))}`;
    const early = await startNode({ seed: 22, bootstrap: [lateAddress], limits: { redialDelayMaxMs: 30_000 } });
    let late: TestNode | undefined;
    try {
      await new Promise((r) => setTimeout(r, 1500));
      expect(early.plane.peers()).toEqual([]);
      late = await startNode({ seed: 21, listen: [`/ip4/127.0.0.1/tcp/${port}`] });
      await waitFor(() => connectedTo(early, late!) && connectedTo(late!, early), "late bootstrap peer to connect");
      const notReachable = early.logs.filter((l) => l.msg === "p2p: bootstrap peer not reachable yet, retrying with backoff");
      expect(notReachable).toHaveLength(1);
      expect(early.logs.filter((l) => l.level === "warn")).toEqual([]);
    } finally {
      await Promise.all([early.plane.stop(), late?.plane.stop()]);
    }
  });
});

describe("ControlPlane: inbound stream bound", () => {
  it("serves at most inboundStreamsPerPeerMax concurrent requests per peer and protocol", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inHandler = 0;
    const server = await startNode({
      seed: 31,
      limits: { inboundStreamsPerPeerMax: 2 },
      blocksByRange: async (from) => {
        inHandler++;
        await gate;
        return [item(from)];
      },
    });
    const client = await startNode({ seed: 32, bootstrap: server.plane.addresses() });
    try {
      await waitFor(() => connectedTo(client, server) && connectedTo(server, client), "connection");
      const requests = [1, 2, 3].map((h) => client.plane.requestBlocksByRange(server.plane.peerId, h, 1, timeout()));
      const settledThird = await Promise.race([Promise.allSettled([requests[2]!]), new Promise((r) => setTimeout(r, 3000, "pending"))]);
      await waitFor(() => inHandler === 2, "two requests in the handler");
      release();
      const results = await Promise.allSettled(requests);
      const fulfilled = results.filter((r) => r.status === "fulfilled");
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(fulfilled).toHaveLength(2);
      expect(rejected).toHaveLength(1);
      expect(rejected[0]!.reason.code).toMatch(/^P2P_ERROR_(STREAM|BAD_RESPONSE)$/);
      expect(settledThird).not.toBe("pending"); // refused at once, not queued behind the gate
      expect(inHandler).toBe(2);
    } finally {
      release();
      await Promise.all([server.plane.stop(), client.plane.stop()]);
    }
  });
});
