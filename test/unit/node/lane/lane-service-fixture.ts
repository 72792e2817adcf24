// Fixture for the lane service tests: the four devnet validators (devnetValidatorKey) as a real ValidatorSet,
// the devnet lane at genesis, a LaneService on a fake clock whose broadcasts are recorded, and peers' signed
// receipt batches. Test-only; no sockets, no timers (tick() is called by hand).

import { nobleVerify } from "../../../../consensus/crypto/ed25519.ts";
import { bytesEqual, fromHex, toHex } from "../../../../consensus/crypto/hash.ts";
import { validatorSetAt } from "../../../../consensus/execution/epoch.ts";
import type { IndexPriceSubmission } from "../../../../consensus/lane/lane-section.ts";
import type { LaneState } from "../../../../consensus/lane/lane-state.ts";
import { decodeReceiptBatch, encodeReceiptBatch, signReceiptBatch, type ReceiptBatch } from "../../../../consensus/lane/receipt-batch.ts";
import { generateDevnetGenesis } from "../../../../genesis/devnet-genesis.ts";
import { genesisLaneOf } from "../../../../genesis/genesis-lane.ts";
import { genesisWorldState } from "../../../../genesis/genesis-state-input.ts";
import { LaneService, type LaneServiceOptions } from "../../../../node/lane/lane-service.ts";
import { LaneFrameKind, type LaneFrame } from "../../../../node/wire/data-plane-codec.ts";

export const CHAIN_ID = 31337n;
/** 2025-01-01T00:00:00Z, the devnet's genesis time: the fake clock's start, in ms. */
export const T0_MS = 1_735_689_600_000;
export const PEER = { host: "10.0.0.9", port: 9000 };

/** The 4-validator devnet (keys from devnetValidatorKey, equal stake, DEVNET_LANE). */
export const DEVNET = generateDevnetGenesis({ validators: 4 });
/** Its world state at height 0: the parent state of block 1, whose epoch record sections read. */
export const PARENT_STATE = genesisWorldState(DEVNET.genesis);
/** Epoch 0's set; indices are the set's (sorted by key), not the devnet's. */
export const SET = validatorSetAt(PARENT_STATE);

export function secretOf(index: number): Uint8Array {
  return DEVNET.validatorKeys.find((k) => bytesEqual(k.publicKey, SET.get(index)!.publicKey))!.secretKey;
}

export const GENESIS_LANE = genesisLaneOf(DEVNET.genesis.lane!, DEVNET.genesis.validators);
/** BTC-PERP at its genesis index: the price every fixture block submits. */
export const PRICES: IndexPriceSubmission[] = [{ marketId: 1, priceTicks: 600_000 }];

export interface Sent {
  kind: LaneFrameKind;
  bodies: Uint8Array[];
}

export interface Harness {
  service: LaneService;
  clock: { ms: number };
  /** The committed epoch the service sees (validatorSetAt stays SET). */
  epoch: { value: number };
  sent: Sent[];
  /** Receipt batches broadcast so far, decoded, in order. */
  batches(): ReceiptBatch[];
  /** Relayed order bodies broadcast so far, in order. */
  relayed(): Uint8Array[];
  logs: { level: string; msg: string; fields?: Record<string, unknown> }[];
}

export function harness(o: { index?: number | undefined; lane?: () => LaneState; extra?: Partial<LaneServiceOptions> } = {}): Harness {
  const index = "index" in o ? o.index : 0;
  const clock = { ms: T0_MS };
  const epoch = { value: 0 };
  const sent: Sent[] = [];
  const logs: Harness["logs"] = [];
  const service = new LaneService({
    chainId: CHAIN_ID,
    deltaMs: 50,
    validatorIndex: () => index,
    secretKey: index === undefined ? new Uint8Array(32) : secretOf(index),
    epoch: () => ({ epoch: epoch.value, set: SET }),
    verify: nobleVerify,
    broadcast: (kind, bodies) => sent.push({ kind, bodies: [...bodies] }),
    priceFeed: { prices: () => PRICES },
    committedLane: o.lane ?? (() => GENESIS_LANE.state),
    committedHeight: () => 0,
    info: () => ({ host: "127.0.0.1", port: 9400, ingest: "udp", reason: "test" }),
    nowMs: () => clock.ms,
    log: (level, msg, fields) => logs.push({ level, msg, ...(fields ? { fields } : {}) }),
    ...o.extra,
  });
  const of = (kind: LaneFrameKind) => sent.filter((s) => s.kind === kind).flatMap((s) => s.bodies);
  return {
    service,
    clock,
    epoch,
    sent,
    logs,
    batches: () => of(LaneFrameKind.receipts).map((b) => {
      const d = decodeReceiptBatch(b);
      if (!d.ok) throw new Error(`the service broadcast an undecodable batch: ${d.detail}`);
      return d.value;
    }),
    relayed: () => of(LaneFrameKind.order),
  };
}

/** A peer's signed batch stamping `stamps` (hex order id -> µs), in stamp order, with local sequences 1, 2, ... */
export function peerBatch(
  validator: number,
  stamps: [string, number][],
  watermarkUs: number,
  o: { batchSeq?: number; epoch?: number; signer?: number } = {},
): ReceiptBatch {
  const receipts = [...stamps].sort((a, b) => a[1] - b[1]).map(([id, stampUs], i) => ({ orderId: fromHex(id), stampUs, localSeq: i + 1 }));
  return signReceiptBatch(
    { version: 1, chainId: CHAIN_ID, epoch: o.epoch ?? 0, validator, batchSeq: o.batchSeq ?? 0, watermarkUs, receipts },
    secretOf(o.signer ?? validator),
  );
}

export function receiptsFrame(batch: ReceiptBatch): LaneFrame {
  return { kind: LaneFrameKind.receipts, body: encodeReceiptBatch(batch) };
}

export function orderFrame(bytes: Uint8Array): LaneFrame {
  return { kind: LaneFrameKind.order, body: bytes };
}

export function ids(batch: ReceiptBatch): string[] {
  return batch.receipts.map((r) => toHex(r.orderId));
}
