// The validator's durable chain: one LevelDB holding finalized blocks with their finalization certificates,
// the state entries (each block's write set), receipts and transaction locations, plus the epoch anchor's
// notarization. Opening it rebuilds the committed state and re-executes finalized blocks the state lags behind
// (a crash between saving a block and its write set). Commits are queued and written in order.

import * as fs from "node:fs";
import { decodeCertificate, encodeCertificate } from "../../consensus/codec/certificate-codec.ts";
import { verifyBlock, type BlockExecution } from "../../consensus/execution/execute-block.ts";
import type { ExecutionContext } from "../../consensus/execution/execution-context.ts";
import type { Receipt } from "../../consensus/execution/receipt.ts";
import { WorldState } from "../../consensus/state/world-state.ts";
import type { Block, Certificate, Hash } from "../../consensus/types.ts";
import { KeyPrefix, prefixedKey } from "../store/key-prefix.ts";
import { openNodeDatabase, type NodeDatabase } from "../store/node-database.ts";
import { ReceiptStore, type TransactionLocation } from "../store/receipt-store.ts";
import type { Committed } from "./chain-app.ts";
import type { EngineGenesis } from "../../consensus/derivatives/engine-state.ts";
import { loadLaneSnapshot, saveLaneSnapshot } from "../../consensus/lane/lane-snapshot.ts";
import type { LaneState } from "../../consensus/lane/lane-state.ts";
import { LaneSnapshotStore } from "../store/lane-snapshot-store.ts";
import { StoreError } from "../store/store-errors.ts";

export interface ChainGenesis {
  hash: Hash;
  timestampMs: number;
  state: WorldState;
  /** On chains with the order lane: its state at height 0 and the engine genesis snapshots are checked against. */
  lane?: { state: LaneState; engineGenesis: EngineGenesis };
}

export interface OpenedChain {
  chain: ChainStore;
  committed: Committed;
  /** View of the committed block's finalization (0 at genesis). */
  committedView: number;
  /** Finalized blocks re-executed on open because the saved state lagged behind them. */
  reexecuted: number;
}

export class ChainStore {
  private tail: Promise<unknown> = Promise.resolve();
  private failure: Error | null = null;
  readonly receipts: ReceiptStore;
  private readonly laneSnapshots: LaneSnapshotStore;

  private constructor(
    private readonly db: NodeDatabase,
    readonly genesis: ChainGenesis,
  ) {
    this.receipts = new ReceiptStore(db.kv);
    this.laneSnapshots = new LaneSnapshotStore(db.kv);
  }

  /** The lane state saved with the write set of `height` (the genesis lane at 0). */
  private async loadLane(height: number): Promise<LaneState | undefined> {
    const lane = this.genesis.lane;
    if (!lane) return undefined;
    if (height === 0) return lane.state;
    const bytes = await this.laneSnapshots.load(height);
    if (!bytes) throw new StoreError("STORE_ERROR_CORRUPTED", `no order-lane snapshot at height ${height}: the database predates the lane or lost it`, { height });
    const loaded = loadLaneSnapshot(bytes, lane.engineGenesis);
    if (!loaded.ok) throw new StoreError("STORE_ERROR_CORRUPTED", `order-lane snapshot at height ${height}: ${loaded.detail}`, { height });
    return loaded.value;
  }

  static async open(dir: string, genesis: ChainGenesis, ctx: ExecutionContext, progress?: (height: number, target: number) => void): Promise<OpenedChain> {
    fs.mkdirSync(dir, { recursive: true });
    const db = await openNodeDatabase(dir);
    const chain = new ChainStore(db, genesis);
    try {
      return await chain.load(ctx, progress);
    } catch (err) {
      await db.close();
      throw err;
    }
  }

  private async load(ctx: ExecutionContext, progress?: (height: number, target: number) => void): Promise<OpenedChain> {
    const pointer = await this.db.blocks.loadLatestFinalized();
    let stateHeight = await this.db.state.loadHeight();
    let state: WorldState;
    if (stateHeight === undefined) {
      state = this.genesis.state;
      await this.db.state.applyWriteSet(0, [...state.entries()].map(([key, value]) => ({ key, value })));
      stateHeight = 0;
    } else {
      const entries: [Uint8Array, Uint8Array][] = [];
      for await (const e of this.db.state.loadAll()) entries.push(e);
      state = WorldState.fromEntries(entries);
    }
    const target = pointer?.height ?? 0;
    let lane = await this.loadLane(stateHeight);
    let reexecuted = 0;
    for (let h = stateHeight + 1; h <= target; h++) {
      const block = await this.db.blocks.loadBlockAtHeight(h);
      if (!block) throw new StoreError("STORE_ERROR_CORRUPTED", `finalized block at height ${h} is missing from the block store`, { height: h });
      const result = verifyBlock(state, block, ctx, lane ? { lane } : {});
      if (!result.ok) throw new StoreError("STORE_ERROR_CORRUPTED", `finalized block ${h} does not re-execute on the stored state: ${result.code} ${result.detail}`, { height: h });
      await this.saveExecution(h, result.value);
      state = result.value.state;
      lane = result.value.lane?.state;
      reexecuted++;
      progress?.(h, target);
    }
    const head = pointer ? await this.db.blocks.loadBlock(pointer.hash) : undefined;
    const base = pointer
      ? { hash: pointer.hash, height: pointer.height, timestampMs: head!.header.timestampMs, state }
      : { hash: this.genesis.hash, height: 0, timestampMs: this.genesis.timestampMs, state };
    const committed: Committed = lane ? { ...base, lane } : base;
    return { chain: this, committed, committedView: pointer?.view ?? 0, reexecuted };
  }

  /**
   * Queues a finalized block for writing: block + certificate (synced), then receipts, then the write set.
   * Returns the promise of that write; a failed write stops every later one and is reported by `healthy()`.
   */
  commitFinalized(block: Block, certificate: Certificate, execution: BlockExecution): Promise<void> {
    return this.serial(async () => {
      await this.db.blocks.saveFinalized(block, certificate);
      await this.saveExecution(block.header.height, execution);
    });
  }

  private async saveExecution(height: number, execution: BlockExecution): Promise<void> {
    await this.receipts.saveReceipts(height, execution.receipts);
    // Before the write set: the state height then never names a block whose lane snapshot is missing.
    if (execution.lane) await this.laneSnapshots.save(height, saveLaneSnapshot(execution.lane.state));
    await this.db.state.applyWriteSet(height, execution.writeSet);
  }

  /** Saves a proposed (not yet finalized) block, unsynced: a lost one is fetched again. */
  saveBlock(block: Block): Promise<Hash> {
    return this.db.blocks.saveBlock(block);
  }

  saveEpochAnchorNotarization(cert: Certificate | null): Promise<void> {
    return this.serial(() =>
      this.db.kv.write([{ type: "put", key: prefixedKey(KeyPrefix.EpochAnchorNotarization), value: cert ? encodeCertificate(cert) : new Uint8Array(0) }], { sync: true }),
    );
  }

  async loadEpochAnchorNotarization(): Promise<Certificate | null> {
    const bytes = await this.db.kv.get(prefixedKey(KeyPrefix.EpochAnchorNotarization));
    if (!bytes || bytes.length === 0) return null;
    const decoded = decodeCertificate(bytes);
    if (!decoded.ok) throw new StoreError("STORE_ERROR_CORRUPTED", `stored epoch anchor notarization: ${decoded.detail}`);
    return decoded.value;
  }

  loadBlock(hash: Hash): Promise<Block | undefined> {
    return this.db.blocks.loadBlock(hash);
  }

  loadBlockAtHeight(height: number): Promise<Block | undefined> {
    if (height === 0) return Promise.resolve(undefined);
    return this.db.blocks.loadBlockAtHeight(height);
  }

  loadHashAtHeight(height: number): Promise<Hash | undefined> {
    if (height === 0) return Promise.resolve(this.genesis.hash);
    return this.db.blocks.loadHashAtHeight(height);
  }

  loadFinalization(height: number): Promise<Certificate | undefined> {
    return this.db.blocks.loadFinalization(height);
  }

  loadReceipts(height: number): Promise<Receipt[] | undefined> {
    return this.receipts.loadReceipts(height);
  }

  loadLocation(txHash: Hash): Promise<TransactionLocation | undefined> {
    return this.receipts.loadLocation(txHash);
  }

  /** Resolves once every queued write is done (or rejects with the first failure). */
  async flush(): Promise<void> {
    await this.tail;
    if (this.failure) throw this.failure;
  }

  healthy(): Error | null {
    return this.failure;
  }

  async close(): Promise<void> {
    await this.tail.catch(() => undefined);
    await this.db.close();
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(() => {
      if (this.failure) throw this.failure;
      return fn();
    });
    this.tail = run.catch((err: Error) => {
      this.failure ??= err;
    });
    return run;
  }
}
