// The control plane: js-libp2p with TCP, noise and yamux, carrying everything that is request/response or
// gossip (status, blocks-by-range, block-by-hash, transactions). Votes and block shreds are not here: they use
// the UDP data plane (node/net). No DHT, mDNS, relay, identify or ping service: peers come from the bootstrap
// list and from whoever dials us, and must pass the status handshake (same chain id and genesis) to be served.
import "./promise-with-resolvers.ts"; // before libp2p: it needs Promise.withResolvers, absent on Node 20
import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import type { Libp2p, PeerId } from "@libp2p/interface";
import { peerIdFromString } from "@libp2p/peer-id";
import { tcp } from "@libp2p/tcp";
import { multiaddr } from "@multiformats/multiaddr";
import { createLibp2p } from "libp2p";
import { setMaxListeners } from "node:events";
import { requestBlockByHash, requestBlocksByRange, serveBlockByHash, serveBlocksByRange } from "./block-requests.ts";
import { BootstrapDialer, parseBootstrapAddress } from "./bootstrap-dialer.ts";
import { resolveLimits, type ControlPlaneLimits } from "./control-plane-limits.ts";
import { YAMUX_STREAM_WINDOW_MAX_BYTES } from "./frame-stream.ts";
import { P2pError } from "./p2p-error.ts";
import { libp2pPrivateKeyFromSecret, peerIdFromSecretKey } from "./peer-identity.ts";
import { PeerBook } from "./peer-book.ts";
import type { ControlPlaneHandlers, ControlPlaneLog, PlaneContext } from "./plane-context.ts";
import { exchangeStatus, serveStatus } from "./status-handshake.ts";
import { TxGossip } from "./tx-gossip.ts";
import { protocolId } from "./wire-messages.ts";

export interface ControlPlaneOptions {
  chainId: bigint;
  genesisHash: Uint8Array;
  /** 32-byte ed25519 secret (the node key); the libp2p peer id derives from it (see peerIdFromSecretKey). */
  identitySecretKey: Uint8Array;
  /** Multiaddrs to listen on, e.g. "/ip4/127.0.0.1/tcp/26656" (tcp/0 picks a free port). */
  listen: string[];
  /** Multiaddrs ending in /p2p/<peerId>; dialed at start and redialed with backoff. Our own id is skipped. */
  bootstrap: string[];
  handlers: ControlPlaneHandlers;
  log?: ControlPlaneLog;
  limits?: Partial<ControlPlaneLimits>;
}

export interface PeerSummary {
  peerId: string;
  address: string;
  finalizedHeight?: number;
}

export interface PeerStatus {
  peerId: string;
  finalizedHeight: number;
  finalizedHash: Uint8Array;
}

const noLog: ControlPlaneLog = () => {};
/** Status streams are tiny and rare: two at a time per connection is plenty. */
const STATUS_STREAMS_PER_PEER_MAX = 2;

function checkOptions(o: ControlPlaneOptions): void {
  if (typeof o.chainId !== "bigint" || o.chainId < 0n || o.chainId >= 1n << 64n) {
    throw new P2pError("P2P_ERROR_INVALID_ARGUMENT", "chainId must be a 64-bit unsigned bigint");
  }
  if (!(o.genesisHash instanceof Uint8Array) || o.genesisHash.length !== 32) {
    throw new P2pError("P2P_ERROR_INVALID_ARGUMENT", "genesisHash must be 32 bytes");
  }
  if (o.listen.length === 0) throw new P2pError("P2P_ERROR_INVALID_ARGUMENT", "listen needs at least one multiaddr");
}

async function createNode(o: ControlPlaneOptions, limits: ControlPlaneLimits, peers: PeerBook): Promise<Libp2p> {
  const refused = (peerId: PeerId): boolean => peers.isRefused(peerId.toString(), Date.now());
  try {
    return await createLibp2p({
      start: false,
      privateKey: await libp2pPrivateKeyFromSecret(o.identitySecretKey),
      addresses: { listen: o.listen },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux({ streamOptions: { maxStreamWindowSize: YAMUX_STREAM_WINDOW_MAX_BYTES } })],
      connectionManager: { maxConnections: limits.connectionsMax, dialTimeout: limits.dialTimeoutMs },
      connectionGater: {
        denyDialPeer: refused,
        denyInboundEncryptedConnection: refused,
        denyOutboundEncryptedConnection: refused,
      },
      // Its pings use /ipfs/ping, which we do not serve; yamux keep-alive and TCP timeouts find dead peers.
      connectionMonitor: { enabled: false },
      nodeInfo: { name: "xdpchain" },
    });
  } catch (err) {
    if (err instanceof P2pError) throw err;
    throw new P2pError("P2P_ERROR_START", `libp2p could not be created: ${(err as Error).message}`);
  }
}

export class ControlPlane {
  readonly peerId: string;
  private stopped = false;

  private constructor(
    private readonly ctx: PlaneContext,
    private readonly stopController: AbortController,
    private readonly gossip: TxGossip,
    private readonly dialer: BootstrapDialer,
  ) {
    this.peerId = ctx.node.peerId.toString();
  }

  /** Creates libp2p, registers the protocols, listens, and starts dialing bootstrap peers. Throws P2pError. */
  static async start(o: ControlPlaneOptions): Promise<ControlPlane> {
    checkOptions(o);
    const limits = resolveLimits(o.limits);
    const self = peerIdFromSecretKey(o.identitySecretKey);
    const targets = o.bootstrap.map(parseBootstrapAddress).filter((t) => t.peerId !== self);
    const peers = new PeerBook(limits.connectionsMax);
    const node = await createNode(o, limits, peers);
    const stopController = new AbortController();
    setMaxListeners(Infinity, stopController.signal);
    const log = o.log ?? noLog;
    const ctx: PlaneContext = { node, chainId: o.chainId, genesisHash: o.genesisHash, limits, handlers: o.handlers, peers, log, stopSignal: stopController.signal, streams: new Set() };
    const gossip = new TxGossip(ctx);
    const dialer = new BootstrapDialer({
      targets,
      dial: async (address, signal) => {
        await node.dial(multiaddr(address), { signal });
      },
      isConnected: (peerId) => node.getConnections().some((c) => c.remotePeer.toString() === peerId && c.status === "open"),
      dialTimeoutMs: limits.dialTimeoutMs,
      delayMinMs: limits.redialDelayMinMs,
      delayMaxMs: limits.redialDelayMaxMs,
      log,
    });
    const plane = new ControlPlane(ctx, stopController, gossip, dialer);
    await plane.register();
    try {
      await node.start();
    } catch (err) {
      stopController.abort();
      await Promise.resolve(node.stop()).catch(() => {});
      throw new P2pError("P2P_ERROR_START", `libp2p could not start: ${(err as Error).message}`, { listen: o.listen });
    }
    log("info", "p2p: control plane listening", { peerId: plane.peerId, addresses: plane.addresses(), bootstrap: targets.length });
    dialer.start();
    return plane;
  }

  private async register(): Promise<void> {
    const { node, chainId, limits } = this.ctx;
    const perPeer = { maxInboundStreams: limits.inboundStreamsPerPeerMax, maxOutboundStreams: limits.outboundStreamsPerPeerMax };
    const statusPerPeer = { maxInboundStreams: STATUS_STREAMS_PER_PEER_MAX, maxOutboundStreams: STATUS_STREAMS_PER_PEER_MAX };
    await node.handle(protocolId(chainId, "status"), (s, c) => serveStatus(this.ctx, s, c), statusPerPeer);
    await node.handle(protocolId(chainId, "blocks-by-range"), (s, c) => serveBlocksByRange(this.ctx, s, c), perPeer);
    await node.handle(protocolId(chainId, "block-by-hash"), (s, c) => serveBlockByHash(this.ctx, s, c), perPeer);
    await node.handle(protocolId(chainId, "tx"), (s, c) => this.gossip.serve(s, c), perPeer);
    node.addEventListener("peer:connect", (evt) => this.onPeerConnect(evt.detail.toString()));
    node.addEventListener("peer:disconnect", (evt) => this.onPeerDisconnect(evt.detail.toString()));
  }

  private onPeerConnect(peerId: string): void {
    exchangeStatus(this.ctx, peerId).then(
      (status) => {
        this.ctx.log("info", "p2p: peer connected", { peerId, finalizedHeight: status.finalizedHeight });
        this.dialer.onVerified(peerId);
      },
      (err: P2pError) => {
        if (this.stopped || err.code === "P2P_ERROR_INCOMPATIBLE_PEER") return; // logged where found
        this.ctx.log("debug", "p2p: status exchange failed, disconnecting", { peerId, code: err.code, error: err.message });
        this.ctx.peers.remove(peerId);
        this.ctx.node.hangUp(peerIdFromString(peerId)).catch(() => {});
      },
    );
  }

  private onPeerDisconnect(peerId: string): void {
    if (this.stopped) return;
    const wasVerified = this.ctx.peers.isVerified(peerId);
    this.ctx.peers.remove(peerId);
    if (wasVerified) this.ctx.log("info", "p2p: peer disconnected", { peerId });
    this.dialer.onDisconnected(peerId);
  }

  /** The multiaddrs we listen on, each with our /p2p/<peerId> suffix. */
  addresses(): string[] {
    return this.ctx.node.getMultiaddrs().map((a) => a.toString());
  }

  /** Connected peers that passed the status handshake, with the finalized height they last reported. */
  peers(): PeerSummary[] {
    return this.ctx.peers.list().map(({ peerId, address, finalizedHeight }) => ({ peerId, address, finalizedHeight }));
  }

  /** Asks every verified peer for a fresh status (in parallel); peers that fail to answer are left out. */
  async peerStatuses(signal?: AbortSignal): Promise<PeerStatus[]> {
    this.assertRunning();
    const ids = this.ctx.peers.ids();
    const answers = await Promise.allSettled(ids.map((id) => exchangeStatus(this.ctx, id, signal)));
    const out: PeerStatus[] = [];
    answers.forEach((a, i) => {
      if (a.status === "fulfilled") out.push({ peerId: ids[i]!, finalizedHeight: a.value.finalizedHeight, finalizedHash: a.value.finalizedHash });
    });
    return out;
  }

  /** Up to `count` (1..rangeItemsMax) opaque items from one peer. Throws P2pError (see block-requests.ts). */
  requestBlocksByRange(peerId: string, fromHeight: number, count: number, signal: AbortSignal): Promise<Uint8Array[]> {
    this.assertRunning();
    return requestBlocksByRange(this.ctx, peerId, fromHeight, count, signal);
  }

  /**
   * Asks verified peers in turn (highest finalized first) for the item with this hash; undefined if none has
   * it. The item is opaque: the caller must check that it hashes to `hash`. Throws P2pError only for a bad
   * argument, stop(), or the caller's signal (P2P_ERROR_TIMEOUT); a failing peer is skipped.
   */
  async fetchBlockByHash(hash: Uint8Array, signal: AbortSignal): Promise<Uint8Array | undefined> {
    this.assertRunning();
    const candidates = this.ctx.peers.list().sort((a, b) => (b.finalizedHeight ?? 0) - (a.finalizedHeight ?? 0));
    for (const peer of candidates) {
      if (signal.aborted) throw new P2pError("P2P_ERROR_TIMEOUT", "fetchBlockByHash: caller's signal fired");
      try {
        const item = await requestBlockByHash(this.ctx, peer.peerId, hash, signal);
        if (item !== undefined) return item;
      } catch (err) {
        const code = (err as P2pError).code;
        if (code === "P2P_ERROR_INVALID_ARGUMENT" || code === "P2P_ERROR_STOPPED") throw err;
        if (signal.aborted) throw new P2pError("P2P_ERROR_TIMEOUT", "fetchBlockByHash: caller's signal fired");
        this.ctx.log("debug", "p2p: block-by-hash from peer failed, trying the next", { peerId: peer.peerId, code });
      }
    }
    return undefined;
  }

  /** Gossips transactions to all verified peers, batched; each hash is sent at most once. Never throws. */
  gossipTransactions(raws: Uint8Array[]): void {
    this.gossip.gossip(raws);
  }

  /** Transactions dropped because the outbound gossip queue was full. */
  gossipDropped(): number {
    return this.gossip.dropped;
  }

  /** Stops dialing and gossip, closes every connection and the listeners. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stopController.abort();
    this.dialer.stop();
    this.gossip.stop();
    for (const stream of this.ctx.streams) stream.abort(new Error("control plane stopped"));
    this.ctx.streams.clear();
    await this.ctx.node.stop();
    this.ctx.peers.clear();
  }

  private assertRunning(): void {
    if (this.stopped) throw new P2pError("P2P_ERROR_STOPPED", "control plane stopped");
  }
}
