// The node's Prometheus metrics, in a registry of their own (never prom-client's global one), named
// xdpchain_<noun>_<unit>. Components update typed handles as things happen; counters kept elsewhere (transport
// stats, mempool refusals) are read from `sources` at scrape time so the hot paths pay nothing. Serving over
// HTTP lives in metrics-server.ts. This file does not decide what to measure inside consensus.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { TransportStats } from "../net/datagram-transport.ts";

export type VoteKindLabel = "notarize" | "nullify" | "finalize";

export interface MempoolMetricsSource {
  transactions: number;
  bytes: number;
  /** Cumulative refusals by code since the pool was created. */
  rejections: Readonly<Partial<Record<string, number>>>;
}

/** Read on every scrape. A metric given a source must not also be updated through its handle. */
export interface MetricsSources {
  /** Datagram transports by name (e.g. "consensus", "orders"): the `transport` label. */
  transports?: Readonly<Record<string, () => TransportStats>>;
  mempool?: () => MempoolMetricsSource;
  peers?: () => number;
}

export interface MetricsOptions {
  sources?: MetricsSources;
  /** Node.js and process metrics (event-loop lag, memory, GC, handles), prefixed xdpchain_. Default true. */
  defaultMetrics?: boolean;
  /** Labels added to every series, e.g. { validator: "v1" }. */
  labels?: Readonly<Record<string, string>>;
}

export interface Metrics {
  readonly registry: Registry;
  readonly blockHeight: Gauge;
  readonly finalizedHeight: Gauge;
  readonly finalityLatencySeconds: Histogram;
  readonly viewsEntered: Counter;
  readonly nullifications: Counter;
  readonly votesSent: Counter<"kind">;
  readonly votesReceived: Counter<"kind">;
  readonly proposals: Counter;
  readonly finalityFaults: Counter;
  readonly mempoolTransactions: Gauge;
  readonly mempoolBytes: Gauge;
  readonly mempoolRejections: Counter<"code">;
  readonly transactionsFinalized: Counter;
  readonly peers: Gauge;
  readonly transportDatagrams: Counter<"transport" | "direction">;
  readonly transportBytes: Counter<"transport" | "direction">;
  readonly transportDrops: Counter<"transport" | "direction" | "cause">;
  /** Records a finalized block: finalized height, finality latency (null: committed by sync) and its transaction count. */
  observeFinalized(height: number, latencySeconds: number | null, transactions: number): void;
  /** Adds (or replaces) a transport read at scrape time; `name` is its `transport` label. */
  setTransportStats(read: () => TransportStats, name?: string): void;
  /** Sets the mempool read at scrape time (drives the three mempool metrics). */
  setMempoolSource(read: () => MempoolMetricsSource): void;
  /** Sets the peer count read at scrape time. */
  setPeersSource(read: () => number): void;
  /** The exposition text, as GET /metrics serves it. */
  text(): Promise<string>;
}

/** The name the rest of node/ uses for the metrics handles. */
export type NodeMetrics = Metrics;

/** Sources as they stand at scrape time (the set* methods change them after creation). */
interface LiveSources {
  transports: Map<string, () => TransportStats>;
  mempool: (() => MempoolMetricsSource) | undefined;
  peers: (() => number) | undefined;
}

/** From 50 ms (a fast local quorum) to 5 s (several timed-out views). */
export const FINALITY_LATENCY_BUCKETS_SECONDS = [0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5];

type TransportCounters = Pick<Metrics, "transportDatagrams" | "transportBytes" | "transportDrops">;

function transportCounters(registry: Registry, live: LiveSources): TransportCounters {
  const common = { registers: [registry] };
  // One collector fills all three at scrape time; set on the first so a scrape reads each source once.
  const datagrams = new Counter({
    ...common,
    name: "xdpchain_transport_datagrams_total",
    help: "Datagrams received (rx) and sent (tx) by each transport",
    labelNames: ["transport", "direction"] as const,
    collect: () => {
      if (live.transports.size === 0) return;
      datagrams.reset();
      bytes.reset();
      drops.reset();
      for (const [transport, read] of live.transports) {
        const s = read();
        datagrams.inc({ transport, direction: "rx" }, s.rxDatagrams);
        datagrams.inc({ transport, direction: "tx" }, s.txDatagrams);
        bytes.inc({ transport, direction: "rx" }, s.rxBytes);
        bytes.inc({ transport, direction: "tx" }, s.txBytes);
        for (const [cause, n] of Object.entries(s.rxDrops)) drops.inc({ transport, direction: "rx", cause }, n);
        for (const [cause, n] of Object.entries(s.txDrops)) drops.inc({ transport, direction: "tx", cause }, n);
      }
    },
  });
  const bytes = new Counter({
    ...common,
    name: "xdpchain_transport_bytes_total",
    help: "Payload bytes received (rx) and sent (tx) by each transport",
    labelNames: ["transport", "direction"] as const,
  });
  const drops = new Counter({
    ...common,
    name: "xdpchain_transport_drops_total",
    help: "Datagrams dropped by each transport, by direction and cause",
    labelNames: ["transport", "direction", "cause"] as const,
  });
  return { transportDatagrams: datagrams, transportBytes: bytes, transportDrops: drops };
}

type MempoolMetrics = Pick<Metrics, "mempoolTransactions" | "mempoolBytes" | "mempoolRejections">;

function mempoolMetrics(registry: Registry, live: LiveSources): MempoolMetrics {
  const common = { registers: [registry] };
  const transactions = new Gauge({
    ...common,
    name: "xdpchain_mempool_transactions",
    help: "Pending transactions in the mempool",
    collect: () => {
      if (live.mempool === undefined) return;
      const s = live.mempool();
      transactions.set(s.transactions);
      bytes.set(s.bytes);
      rejections.reset();
      for (const [code, n] of Object.entries(s.rejections)) if (n !== undefined && n > 0) rejections.inc({ code }, n);
    },
  });
  const bytes = new Gauge({ ...common, name: "xdpchain_mempool_bytes", help: "Bytes of pending transactions in the mempool" });
  const rejections = new Counter({
    ...common,
    name: "xdpchain_mempool_rejections_total",
    help: "Transactions the mempool refused, by error code",
    labelNames: ["code"] as const,
  });
  return { mempoolTransactions: transactions, mempoolBytes: bytes, mempoolRejections: rejections };
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.labels !== undefined) registry.setDefaultLabels({ ...options.labels });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: "xdpchain_" });
  const common = { registers: [registry] };
  const sources = options.sources ?? {};
  const live: LiveSources = { transports: new Map(Object.entries(sources.transports ?? {})), mempool: sources.mempool, peers: sources.peers };
  const peers: Gauge = new Gauge({
    ...common,
    name: "xdpchain_peers",
    help: "Connected control-plane peers",
    collect: () => {
      if (live.peers !== undefined) peers.set(live.peers());
    },
  });
  const finalizedHeight = new Gauge({ ...common, name: "xdpchain_finalized_height", help: "Height of the last finalized block" });
  const finalityLatencySeconds = new Histogram({
    ...common,
    name: "xdpchain_finality_latency_seconds",
    help: "Time from a block's proposal to its finalization",
    buckets: FINALITY_LATENCY_BUCKETS_SECONDS,
  });
  const transactionsFinalized = new Counter({ ...common, name: "xdpchain_transactions_finalized_total", help: "Transactions in finalized blocks" });
  return {
    registry,
    blockHeight: new Gauge({ ...common, name: "xdpchain_block_height", help: "Height of the last committed block" }),
    finalizedHeight,
    finalityLatencySeconds,
    viewsEntered: new Counter({ ...common, name: "xdpchain_views_entered_total", help: "Consensus views entered" }),
    nullifications: new Counter({ ...common, name: "xdpchain_nullifications_total", help: "Views nullified (no block notarized)" }),
    votesSent: new Counter({ ...common, name: "xdpchain_votes_sent_total", help: "Votes this validator sent, by kind", labelNames: ["kind"] as const }),
    votesReceived: new Counter({ ...common, name: "xdpchain_votes_received_total", help: "Valid votes received, by kind", labelNames: ["kind"] as const }),
    proposals: new Counter({ ...common, name: "xdpchain_proposals_total", help: "Blocks this validator proposed" }),
    finalityFaults: new Counter({
      ...common,
      name: "xdpchain_finality_faults_total",
      help: "Finalization certificates refused because they name a block this node finds invalid",
    }),
    transactionsFinalized,
    peers,
    ...mempoolMetrics(registry, live),
    ...transportCounters(registry, live),
    observeFinalized: (height, latencySeconds, transactions) => {
      finalizedHeight.set(height);
      if (latencySeconds !== null) finalityLatencySeconds.observe(latencySeconds);
      if (transactions > 0) transactionsFinalized.inc(transactions);
    },
    setTransportStats: (read, name = "consensus") => void live.transports.set(name, read),
    setMempoolSource: (read) => void (live.mempool = read),
    setPeersSource: (read) => void (live.peers = read),
    text: () => registry.metrics(),
  };
}

export { startMetricsServer, type MetricsServer, type MetricsServerOptions } from "./metrics-server.ts";
