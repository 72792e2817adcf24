// The order lane inside a validator process: the LaneService wired to the data plane (receipt batches and
// relayed bodies), to ingest (AF_XDP lane port or UDP, with the reason), to the chain (committed lane state,
// finalized blocks) and to the price feed. validator-node.ts creates one when the genesis has a lane section.

import type { Ed25519Verify } from "../../consensus/crypto/ed25519.ts";
import type { LaneBlockExecution } from "../../consensus/execution/lane-step.ts";
import { getEpochRecord } from "../../consensus/state/state-access.ts";
import { validatorSetAt } from "../../consensus/execution/epoch.ts";
import type { Hash } from "../../consensus/types.ts";
import type { ChainApp } from "../validator/chain-app.ts";
import type { DataPlane } from "../wire/data-plane.ts";
import { LaneService, type RememberVerified } from "./lane-service.ts";
import { SimulatedPriceFeed, type PriceFeed } from "./price-feed.ts";
import { openLaneIngest } from "./ingest/open-lane-ingest.ts";
import type { LaneIngest } from "./ingest/lane-ingest.ts";
import type { NodeConfig } from "../config/node-config.ts";
import type { NodeLog } from "../validator/node-log.ts";
import type { DatagramTransport } from "../net/datagram-transport.ts";

export interface NodeLaneOptions {
  chainId: bigint;
  host: string;
  deltaMs: number;
  app: ChainApp;
  dataPlane: DataPlane;
  ingest: LaneIngest;
  secretKey: Uint8Array | undefined;
  publicKey: Uint8Array | undefined;
  verify: Ed25519Verify;
  /** Records a signature the ingest verified, so the block check need not verify it again. */
  rememberVerified?: RememberVerified;
  priceFeed?: PriceFeed;
  log: (level: "info" | "warn", msg: string, fields?: Record<string, unknown>) => void;
}

export class NodeLane {
  readonly service: LaneService;

  constructor(private readonly o: NodeLaneOptions) {
    const { app } = o;
    this.service = new LaneService({
      chainId: o.chainId,
      deltaMs: o.deltaMs,
      validatorIndex: () => (o.publicKey ? app.validatorSet().indexOf(o.publicKey) : undefined),
      secretKey: o.secretKey ?? new Uint8Array(32),
      epoch: () => ({ epoch: getEpochRecord(app.committed.state).epoch, set: validatorSetAt(app.committed.state) }),
      verify: o.verify,
      ...(o.rememberVerified ? { rememberVerified: o.rememberVerified } : {}),
      broadcast: (kind, bodies) => void o.dataPlane.broadcastLane(kind, bodies),
      priceFeed: o.priceFeed ?? new SimulatedPriceFeed(),
      committedLane: () => app.committed.lane!,
      committedHeight: () => app.committed.height,
      info: () => ({ host: o.host, port: o.ingest.port, ingest: o.ingest.kind, reason: o.ingest.reason }),
      log: o.log,
    });
    o.dataPlane.onLane((frame, from) => this.service.onFrame(frame, from));
    o.ingest.onOrders((batch) => this.service.ingest(batch));
    this.service.start();
    o.log("info", "order lane: open", { ingest: o.ingest.kind, port: o.ingest.port, reason: o.ingest.reason, deltaMs: o.deltaMs });
  }

  finalized(block: { height: number; hash: Hash; timestampMs: number }, lane: LaneBlockExecution | undefined): void {
    if (lane) this.service.onFinalized(block, lane);
  }

  stats(): Record<string, unknown> {
    return { ...this.service.stats(), ingest: this.o.ingest.stats() };
  }

  async close(): Promise<void> {
    this.service.stop();
    this.o.dataPlane.onLane(null);
    await this.o.ingest.close();
  }
}

export interface OpenNodeLaneOptions {
  config: NodeConfig;
  log: NodeLog;
  chainId: bigint;
  app: ChainApp;
  dataPlane: DataPlane;
  transport: DatagramTransport;
  /** Why the data plane is not on AF_XDP, when it fell back (the lane then says so too). */
  fallbackReason?: string;
  verify: Ed25519Verify;
  rememberVerified?: RememberVerified;
  validatorKey: { publicKey: Uint8Array; secretKey: Uint8Array } | undefined;
}

/** Opens ingest on the lane port (beside the data plane's transport) and starts the lane. */
export async function openNodeLane(o: OpenNodeLaneOptions): Promise<NodeLane> {
  const lanelog = o.log.child("lane");
  const ingest = await openLaneIngest({
    chainId: o.chainId,
    host: o.config.dataPlane.host,
    port: o.config.lane.port,
    transport: o.transport,
    ...(o.fallbackReason ? { fallbackReason: o.fallbackReason } : {}),
    log: (line) => lanelog.info(line),
  });
  return new NodeLane({
    chainId: o.chainId,
    host: o.config.dataPlane.host,
    deltaMs: o.config.lane.deltaMs,
    app: o.app,
    dataPlane: o.dataPlane,
    ingest,
    secretKey: o.validatorKey?.secretKey,
    publicKey: o.validatorKey?.publicKey,
    verify: o.verify,
    ...(o.rememberVerified ? { rememberVerified: o.rememberVerified } : {}),
    log: (level, msg, fields) => lanelog[level](msg, fields),
  });
}
