// One validator process: opens the chain store, WAL and sign guard, the data plane (AF_XDP or UDP), the libp2p
// control plane, JSON-RPC and metrics, and runs the consensus driver (or, for a node outside the validator set,
// follows the chain by block sync). Stops gracefully: consensus first, then the network, then storage.
// Composition only: each part lives in its own file and is tested there.

import * as path from "node:path";
import { encodeBlock } from "../../consensus/codec/block-codec.ts";
import { signEd25519 } from "../../consensus/crypto/ed25519.ts";
import { toHex } from "../../consensus/crypto/hash.ts";
import type { BlockExecution } from "../../consensus/execution/execute-block.ts";
import type { ExecutionContext } from "../../consensus/execution/execution-context.ts";
import { nobleRecoverSigner } from "../../consensus/execution/recover-signer.ts";
import { epochBaseView, epochOfView, SIMPLEX_DEFAULTS, type Message, type SimplexConfig } from "../../consensus/simplex/index.ts";
import { getAccount, getValidatorRecord } from "../../consensus/state/state-access.ts";
import type { Block, Certificate, Evidence, Hash, PublicKey } from "../../consensus/types.ts";
import { genesisHash } from "../../genesis/genesis-hash.ts";
import { genesisWorldState } from "../../genesis/genesis-state-input.ts";
import type { Genesis } from "../../genesis/genesis.ts";
import type { NodeConfig } from "../config/node-config.ts";
import { createNodeEd25519Verify } from "../crypto/ed25519-node.ts";
import { VerifiedSignatures } from "../crypto/verified-signatures.ts";
import { createNativeRecoverSigner, isNativeSecp256k1Available } from "../crypto/secp256k1-native.ts";
import type { NodeLog } from "./node-log.ts";
import { Mempool } from "../mempool/mempool.ts";
import { createMetrics, startMetricsServer, type NodeMetrics } from "../metrics/metrics.ts";
import { openTransport } from "../net/select-transport.ts";
import type { DatagramTransport } from "../net/datagram-transport.ts";
import { ControlPlane } from "../p2p/control-plane.ts";
import { createRpcServer } from "../rpc/rpc-server.ts";
import { SignGuard } from "../store/sign-guard.ts";
import { WriteAheadLog } from "../store/write-ahead-log.ts";
import { DataPlane } from "../wire/data-plane.ts";
import { BlockSync } from "./block-sync.ts";
import { ChainApp } from "./chain-app.ts";
import { ChainStore } from "./chain-store.ts";
import { ConsensusDriver } from "./consensus-driver.ts";
import { restoreConsensus } from "./consensus-restore.ts";
import { NodeRpcBackend } from "./node-rpc-backend.ts";
import { EventLoopWatch } from "./event-loop-watch.ts";
import { finalizedRange } from "./range-server.ts";
import { NodeLane, openNodeLane } from "../lane/node-lane.ts";
import { xdpLaneOptions } from "../lane/ingest/lane-ingest.ts";
import { genesisLaneOf } from "../../genesis/genesis-lane.ts";
import type { LaneSectionSource } from "./chain-app.ts";

export const NODE_VERSION = "0.1.0";

export interface ValidatorNodeOptions {
  config: NodeConfig;
  genesis: Genesis;
  /** The validator key; null for a follower. */
  validatorKey: { publicKey: PublicKey; secretKey: Uint8Array } | null;
  /** The libp2p identity (ed25519 secret). */
  nodeSecretKey: Uint8Array;
  log: NodeLog;
}

/** Behind the best peer by more than this many blocks, a validator pauses consensus and syncs by range. */
const SYNC_LAG_BLOCKS = 8;
const SYNC_CHECK_MS = 1_000;
const EVIDENCE_POOL_MAX = 64;
const RECENT_FINALITY_MAX = 256;
const UDP_BUFFER_BYTES = 4 * 1024 * 1024;
/**
 * Transactions a proposal carries at most: ~220 KB, about 160 shreds. Larger proposals are one burst of many
 * hundreds of datagrams per peer, and (until erasure coding and shred repair exist) one lost shred loses the view.
 */
const BLOCK_TRANSACTIONS_MAX = 2_000;
const SHRED_VIEWS_AHEAD_MAX = 4 * SIMPLEX_DEFAULTS.viewWindow;

export class ValidatorNode {
  private driver: ConsensusDriver | null = null;
  private wal!: WriteAheadLog;
  private guard!: SignGuard;
  private syncTimer: NodeJS.Timeout | null = null;
  private loopWatch: EventLoopWatch | null = null;
  private syncing = false;
  private stopping = false;
  private readonly evidence: Evidence[] = [];
  private readonly abort = new AbortController();
  private readonly started = Date.now();
  private lastFinalityMs = 0;
  private finalizedTransactions = 0;
  private ownVotesSent = 0;
  /** Finality latency (proposer's timestamp to commit here) of the newest blocks, for status and benchmarks. */
  private readonly recentFinality: { height: number; ms: number }[] = [];

  private constructor(
    private readonly o: ValidatorNodeOptions,
    private readonly ctx: ExecutionContext,
    readonly chain: ChainStore,
    readonly app: ChainApp,
    readonly mempool: Mempool,
    private readonly simplex: SimplexConfig,
    readonly metrics: NodeMetrics,
    /** ctx.ed25519Verify's memory of good signatures (the lane's ingest adds what it verified). */
    private readonly signatures: VerifiedSignatures,
  ) {}

  static async start(o: ValidatorNodeOptions): Promise<ValidatorNode> {
    const { config, genesis, log } = o;
    const signatures = new VerifiedSignatures(createNodeEd25519Verify());
    const verify = signatures.verify;
    const native = isNativeSecp256k1Available();
    if (!native) log.warn("secp256k1: native binding unavailable, sender recovery uses @noble/curves (about 16x slower)");
    const ctx: ExecutionContext = { params: genesis.params, recoverSigner: native ? createNativeRecoverSigner() : nobleRecoverSigner, ed25519Verify: verify };
    const hash = genesisHash(genesis);
    const dataDir = path.resolve(config.home, config.dataDir);
    const chainGenesis = {
      hash,
      timestampMs: genesis.genesisTimeMs,
      state: genesisWorldState(genesis),
      ...(genesis.lane ? { lane: genesisLaneOf(genesis.lane, genesis.validators) } : {}),
    };
    const opened = await ChainStore.open(path.join(dataDir, "chain"), chainGenesis, ctx, (h, target) => {
      if (h % 100 === 0 || h === target) log.info("store: re-executing finalized blocks the state lagged behind", { height: h, target });
    });
    log.info("store: opened", { height: opened.committed.height, hash: toHex(opened.committed.hash).slice(0, 16), reexecuted: opened.reexecuted });
    let app: ChainApp | null = null;
    const mempool = new Mempool({
      params: genesis.params,
      recoverSigner: ctx.recoverSigner,
      account: (address) => {
        const a = getAccount(app!.committed.state, address);
        return { nonce: a.nonce, balance: a.balance };
      },
      limits: { transactionsMax: config.mempool.transactionsMax, perSenderMax: config.mempool.perSenderMax, bytesMax: 64 * 1024 * 1024 },
    });
    let node: ValidatorNode | null = null;
    // Late bound: the lane service needs the app, and the app asks it for each proposal's lane section.
    const laneSource = genesis.lane ? { section: (i: Parameters<LaneSectionSource["section"]>[0]) => node!.lane!.service.section(i) } : undefined;
    app = new ChainApp(ctx, opened.committed, mempool, Math.min(genesis.params.maxTransactionsPerBlock, BLOCK_TRANSACTIONS_MAX), laneSource);
    const simplex: SimplexConfig = {
      ...SIMPLEX_DEFAULTS,
      chainId: genesis.chainId,
      publicKey: o.validatorKey?.publicKey ?? new Uint8Array(32),
      epochLengthBlocks: genesis.params.epochLengthBlocks,
      leaderTimeoutMs: config.consensus.leaderTimeoutMs,
      notarizationTimeoutMs: config.consensus.notarizationTimeoutMs,
      retryTimeoutMs: config.consensus.retryTimeoutMs,
    };
    const metrics = createMetrics();
    node = new ValidatorNode(o, ctx, opened.chain, app, mempool, simplex, metrics, signatures);
    try {
      await node.open(opened.committedView);
    } catch (err) {
      await node.stop();
      throw err;
    }
    return node;
  }

  // Set in open(); typed here so the constructor stays small.
  private transport!: DatagramTransport;
  private dataPlane!: DataPlane;
  private control!: ControlPlane;
  private rpc!: Awaited<ReturnType<typeof createRpcServer>>;
  private rpcBackend!: NodeRpcBackend;
  private metricsServer: Awaited<ReturnType<typeof startMetricsServer>> | null = null;
  private blockSync!: BlockSync;
  private committedView = 0;
  /** The order lane, on chains whose genesis has one. */
  lane: NodeLane | null = null;

  private async open(committedView: number): Promise<void> {
    const { config, log, genesis } = this.o;
    this.committedView = committedView;
    const dataDir = path.resolve(config.home, config.dataDir);
    this.openDurable(dataDir);
    const opened = await openTransport({
      choice: config.dataPlane.transport,
      host: config.dataPlane.host,
      port: config.dataPlane.port,
      ...(config.dataPlane.interface ? { interface: config.dataPlane.interface } : {}),
      // Proposals arrive as bursts of shreds: kernel buffers must hold a burst while JavaScript is busy (capped by
      // net.core.rmem_max / wmem_max; a shred lost here costs the view).
      udp: { recvBufferBytes: UDP_BUFFER_BYTES, sendBufferBytes: UDP_BUFFER_BYTES },
      // The order lane's port rides on the same AF_XDP socket and program (verified natively, its own ring).
      ...(genesis.lane ? { xdp: { lane: xdpLaneOptions({ port: config.lane.port, chainId: genesis.chainId }) } } : {}),
      log: (line) => log.warn(line),
    });
    this.transport = opened.transport;
    log.info("data plane: open", { transport: this.transport.kind, host: this.transport.localAddress.host, port: this.transport.localAddress.port, fallback: opened.fallbackReason });
    this.dataPlane = new DataPlane({
      chainId: genesis.chainId,
      transport: this.transport,
      peers: config.dataPlane.peers,
      senderIndex: this.selfIndex(),
      sign: (message: Uint8Array) => signEd25519(this.o.validatorKey!.secretKey, message),
      verify: this.ctx.ed25519Verify,
      leaderKey: (view: number, index: number) => this.keyOf(view, index),
    });
    this.dataPlane.onMessage((message: Message) => this.onDataPlane(message));
    if (genesis.lane) this.lane = await openNodeLane({ config, log, chainId: genesis.chainId, app: this.app, dataPlane: this.dataPlane, transport: this.transport, ...(opened.fallbackReason ? { fallbackReason: opened.fallbackReason } : {}), verify: this.ctx.ed25519Verify, rememberVerified: (k, m, s) => this.signatures.remember(k, m, s), validatorKey: this.o.validatorKey ?? undefined });
    const p2pLog = child(log, "p2p");
    this.control = await ControlPlane.start({
      chainId: genesis.chainId,
      genesisHash: this.chain.genesis.hash,
      identitySecretKey: this.o.nodeSecretKey,
      listen: config.p2p.listen,
      bootstrap: config.p2p.bootstrap,
      handlers: {
        status: () => ({ finalizedHeight: this.app.committed.height, finalizedHash: this.app.committed.hash }),
        blocksByRange: (from: number, count: number) => finalizedRange(this.chain, this.app.committed.height, from, count),
        blockByHash: (hash: Uint8Array) => this.serveBlock(hash),
        onTransactions: (raws: Uint8Array[]) => {
          for (const raw of raws) this.mempool.add(raw);
        },
      },
      log: (level: "info" | "warn" | "debug", msg: string, data?: object) => p2pLog[level](msg, data),
    });
    log.info("p2p: listening", { peerId: this.control.peerId, addresses: this.control.addresses() });
    this.blockSync = new BlockSync({
      app: this.app,
      chainId: genesis.chainId,
      verify: this.ctx.ed25519Verify,
      epochLengthBlocks: genesis.params.epochLengthBlocks,
      peers: this.control,
      committed: (block, hash, cert, execution) => this.onCommitted(block, hash, cert, execution, true),
      log: child(log, "sync"),
    });
    this.rpcBackend = new NodeRpcBackend(genesis.chainId, this.app, this.chain, this.mempool, this.views(), NODE_VERSION);
    this.rpc = await createRpcServer({ backend: this.rpcBackend, ...(this.lane ? { lane: this.lane.service } : {}), host: config.rpc.host, port: config.rpc.port, corsOrigins: config.rpc.corsOrigins, log: rpcLog(log) });
    log.info("rpc: listening", { url: `http://${this.rpc.address.host}:${this.rpc.address.port}` });
    if (config.metrics) {
      this.metricsServer = await startMetricsServer({ host: config.metrics.host, port: config.metrics.port, metrics: this.metrics });
      log.info("metrics: listening", { url: `http://${this.metricsServer.address.host}:${this.metricsServer.address.port}/metrics` });
    }
    this.metrics.setTransportStats(() => this.transport.stats());
    this.metrics.setMempoolSource(() => {
      const m = this.mempool.stats();
      return { transactions: m.transactions, bytes: m.bytes, rejections: m.rejections };
    });
    this.metrics.setPeersSource(() => this.control.peers().length);
    await this.startConsensus();
    this.syncTimer = setInterval(() => void this.checkSync(), SYNC_CHECK_MS);
    this.loopWatch = new EventLoopWatch((ms) => this.o.log.warn("node: event loop stalled", { ms, view: this.driver?.view, mempool: this.mempool.size }));
  }

  private openDurable(dataDir: string): void {
    const w = WriteAheadLog.open(path.join(dataDir, "wal"));
    const g = SignGuard.open(path.join(dataDir, "guard"));
    this.wal = w.wal;
    this.guard = g.guard;
    this.walRecords = w.records;
    if (w.report.droppedTail) this.o.log.warn("wal: a torn tail was cut", { ...w.report.droppedTail });
    if (g.report.droppedTail) this.o.log.warn("sign guard: a torn tail was cut", { ...g.report.droppedTail });
  }

  private walRecords: ReturnType<typeof WriteAheadLog.open>["records"] = [];

  private selfIndex(): number | undefined {
    if (!this.o.validatorKey) return undefined;
    return this.app.validatorSet().indexOf(this.o.validatorKey.publicKey);
  }

  /**
   * The key shreds of (view, index) must be signed with. Views far ahead of this node's are refused, so a
   * Byzantine validator cannot push the reassembler's old-view cut-off past the honest shreds.
   */
  private keyOf(view: number, index: number): PublicKey | undefined {
    const driver = this.driver;
    if (!driver) return this.app.validatorSet().get(index)?.publicKey;
    const epoch = epochOfView(view);
    if (epoch === driver.epoch) {
      if (view > driver.view + SHRED_VIEWS_AHEAD_MAX) return undefined;
      return (driver.validators ?? this.app.validatorSet()).get(index)?.publicKey;
    }
    // Peers that finalized the epoch's last block a moment earlier already propose in the next epoch's first
    // views; refusing those shreds would leave this node a view behind at every epoch boundary. The next set is
    // the committed state's once the boundary block is committed (until then, a changed set fails the signature).
    if (epoch === driver.epoch + 1 && view - epochBaseView(epoch) <= SHRED_VIEWS_AHEAD_MAX) return this.app.validatorSet().get(index)?.publicKey;
    return undefined;
  }

  /** Restores the machine from disk and starts it; a node outside the current set only follows by sync. */
  private async startConsensus(): Promise<void> {
    const { log } = this.o;
    if (this.selfIndex() === undefined) {
      log.info("consensus: this node is not in the validator set; following the chain by block sync");
      return;
    }
    const restored = await restoreConsensus({
      config: this.simplex,
      deps: { verify: this.ctx.ed25519Verify, sign: (m) => signEd25519(this.o.validatorKey!.secretKey, m) },
      chain: this.chain,
      committed: this.app.committed,
      committedView: this.committedView,
      epochLengthBlocks: this.o.genesis.params.epochLengthBlocks,
      wal: this.wal,
      records: this.walRecords,
      guard: this.guard,
    });
    this.walRecords = [];
    if (restored.votesFromGuard > 0) log.warn("consensus: own votes found in the sign guard but not the WAL were restored", { votes: restored.votesFromGuard });
    const driver = new ConsensusDriver({
      config: this.simplex,
      deps: { verify: this.ctx.ed25519Verify, sign: (m) => signEd25519(this.o.validatorKey!.secretKey, m) },
      state: restored.state,
      app: this.app,
      wal: this.wal,
      guard: this.guard,
      log: child(log, "consensus"),
      blockIntervalMs: this.o.config.consensus.blockIntervalMs,
      effects: {
        broadcast: (message) => this.dataPlane.broadcast(message),
        fetchBlock: (hash, signal) => this.control.fetchBlockByHash(hash, signal),
        saveBlock: (block) => void this.chain.saveBlock(block).catch((err: Error) => log.warn("store: could not save a proposed block", { error: err.message })),
        finalized: (block, hash, cert, execution) => this.onCommitted(block, hash, cert, execution),
        epochEnded: (_epoch, notarization) => void this.chain.saveEpochAnchorNotarization(notarization).catch((err: Error) => this.fatal(err)),
        evidence: (ev) => {
          if (this.evidence.length < EVIDENCE_POOL_MAX) this.evidence.push(ev);
        },
        evidencePool: () => this.evidence,
        observe: {
          viewEntered: () => this.metrics.viewsEntered.inc(),
          voteSent: (kind) => {
            this.ownVotesSent++;
            this.metrics.votesSent.inc({ kind: String(kind) });
          },
          proposed: () => this.metrics.proposals.inc(),
          nullified: () => this.metrics.nullifications.inc(),
          finalityFault: () => this.metrics.finalityFaults.inc(),
        },
      },
    });
    this.driver = driver;
    driver.start();
    log.info("consensus: started", { view: driver.view, epoch: driver.epoch, validator: driver.selfIndex, height: this.app.committed.height });
  }

  private onDataPlane(message: Message): void {
    if (message.type === "vote") this.metrics.votesReceived.inc({ kind: String(message.vote.kind) });
    if (!this.syncing) this.driver?.receive(message);
  }

  /** Every committed block, from consensus or sync: persist (queued), prune the mempool, tell RPC, count. */
  private onCommitted(block: Block, hash: Hash, certificate: Certificate, execution: BlockExecution, bySync = false): void {
    if (block.header.view > this.committedView) this.committedView = block.header.view;
    this.chain.commitFinalized(block, certificate, execution).catch((err: Error) => this.fatal(err));
    const hashes = execution.receipts.map((r) => r.transactionHash);
    this.mempool.onCommitted(hashes, execution.receipts.map((r) => r.from));
    this.rpcBackend.committed(block, hash, execution.receipts);
    this.lane?.finalized({ height: block.header.height, hash, timestampMs: block.header.timestampMs }, execution.lane);
    const latencyMs = Date.now() - block.header.timestampMs;
    this.finalizedTransactions += block.transactions.length;
    // A block committed by sync is old news, not a finality measurement: only consensus commits are sampled.
    if (!bySync) {
      this.lastFinalityMs = latencyMs;
      this.recentFinality.push({ height: block.header.height, ms: latencyMs });
      if (this.recentFinality.length > RECENT_FINALITY_MAX) this.recentFinality.shift();
    }
    this.metrics.observeFinalized(block.header.height, bySync ? null : latencyMs / 1000, block.transactions.length);
    this.metrics.blockHeight.set(block.header.height);
    for (let i = this.evidence.length - 1; i >= 0; i--) {
      if (getValidatorRecord(this.app.committed.state, this.evidence[i]!.publicKey)?.slashed) this.evidence.splice(i, 1);
    }
    if (block.header.height % 50 === 0) this.o.log.info("chain: finalized", { height: block.header.height, txs: block.transactions.length, latencyMs });
  }

  private async checkSync(): Promise<void> {
    if (this.syncing || this.stopping) return;
    this.syncing = true;
    try {
      const best = await this.blockSync.bestPeer(this.abort.signal);
      const lag = this.driver ? SYNC_LAG_BLOCKS : 0;
      if (!best || best.finalizedHeight <= this.app.committed.height + lag) return;
      this.driver?.stop();
      this.driver = null;
      await this.blockSync.catchUp(best, this.abort.signal);
      await this.chain.flush();
      if (this.stopping) return;
      // A validator (also one that just became one) restarts consensus from disk; a follower keeps following.
      if (this.selfIndex() !== undefined) {
        this.wal.close();
        this.guard.close();
        this.openDurable(path.resolve(this.o.config.home, this.o.config.dataDir));
        await this.startConsensus();
      }
    } catch (err) {
      this.o.log.warn("sync: failed", { error: (err as Error).message });
    } finally {
      this.syncing = false;
    }
  }

  private async serveBlock(hash: Uint8Array): Promise<Uint8Array | undefined> {
    const held = this.driver?.heldBlock(hash);
    if (held) return encodeBlock(held);
    const stored = await this.chain.loadBlock(hash);
    return stored ? encodeBlock(stored) : undefined;
  }

  private views(): ConstructorParameters<typeof NodeRpcBackend>[4] {
    return {
      status: () => this.status(),
      validators: () =>
        this.app.validatorSet().validators.map((v, index) => ({ index, publicKey: `0x${toHex(v.publicKey)}`, operator: `0x${toHex(v.operator)}`, stake: v.stake.toString() })),
      peers: () => this.control.peers(),
      peerCount: () => this.control.peers().length,
      syncing: () => {
        const p = this.blockSync.progress;
        return p ? { startingBlock: p.startingHeight, currentBlock: p.currentHeight, highestBlock: p.highestHeight } : false;
      },
      accepted: (raw) => this.control.gossipTransactions([raw]),
    };
  }

  status(): Record<string, unknown> {
    return {
      chainId: Number(this.o.genesis.chainId),
      finalizedHeight: this.app.committed.height,
      finalizedHash: `0x${toHex(this.app.committed.hash)}`,
      view: this.driver?.view ?? null,
      epoch: this.driver?.epoch ?? null,
      validatorIndex: this.driver?.selfIndex ?? null,
      role: this.selfIndex() === undefined ? "follower" : "validator",
      syncing: this.blockSync.progress !== null,
      lastFinalityLatencyMs: this.lastFinalityMs,
      finalizedTransactions: this.finalizedTransactions,
      ownVotesSent: this.ownVotesSent,
      eventLoopStalls: this.loopWatch?.stalls ?? 0,
      memory: memoryMb(),
      recentFinality: this.recentFinality.slice(),
      mempool: this.mempool.size,
      transport: this.transport.kind,
      dataPlane: this.dataPlane.stats(),
      transportStats: this.transport.stats(),
      ...(this.lane ? { lane: this.lane.stats() } : {}),
      peers: this.control.peers().length,
      uptimeSeconds: Math.round((Date.now() - this.started) / 1000),
    };
  }

  private fatal(err: Error): void {
    this.o.log.error("node: storage failed; stopping (a validator must not run on without its disk)", { error: err.message });
    void this.stop().finally(() => process.exit(1));
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.abort.abort();
    if (this.syncTimer) clearInterval(this.syncTimer);
    this.loopWatch?.stop();
    this.driver?.stop();
    const closes: Promise<unknown>[] = [];
    if (this.rpc) closes.push(this.rpc.close());
    if (this.metricsServer) closes.push(this.metricsServer.close());
    if (this.control) closes.push(this.control.stop());
    if (this.lane) closes.push(this.lane.close());
    if (this.dataPlane) closes.push(this.dataPlane.close());
    await Promise.allSettled(closes);
    if (this.transport) await this.transport.close(AbortSignal.timeout(1_000)).catch(() => undefined);
    await this.chain.flush().catch(() => undefined);
    this.wal?.close();
    this.guard?.close();
    await this.chain.close();
    this.o.log.info("node: stopped", { height: this.app.committed.height });
  }
}

function memoryMb(): { rss: number; heapUsed: number; heapTotal: number; external: number } {
  const m = process.memoryUsage();
  const mb = (n: number) => Math.round(n / (1024 * 1024));
  return { rss: mb(m.rss), heapUsed: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external + m.arrayBuffers) };
}

function child(log: NodeLog, component: string): NodeLog {
  return log.child(component);
}

function rpcLog(log: NodeLog): (level: "debug" | "info" | "warn" | "error", msg: string, data?: object) => void {
  const l = child(log, "rpc");
  return (level, msg, data) => l[level](msg, data);
}
