// A simulated node's disk made durable for the machine-driven kill -9 test: the sign guard is node/store's
// SignGuard, WAL records go to node/store's WriteAheadLog (own votes fdatasynced) before the simulator sees
// them, and blocks are files (written before persist returns; the page cache survives SIGKILL). Test harness
// code: the node proper will persist blocks in its BlockStore.

import * as fs from "node:fs";
import * as path from "node:path";
import { blockHash, decodeBlock, encodeBlock } from "../../consensus/codec/block-codec.ts";
import { voteSigningBytes } from "../../consensus/codec/vote-codec.ts";
import { bytesEqual, toHex } from "../../consensus/crypto/hash.ts";
import type { WalRecord } from "../../consensus/simplex/index.ts";
import type { Block, Hash, Vote } from "../../consensus/types.ts";
import { SignGuard, type SignGuardOpenReport } from "../../node/store/sign-guard.ts";
import { votesMissingFromWal } from "../../node/store/wal-recovery.ts";
import { WriteAheadLog, type WalOpenReport } from "../../node/store/write-ahead-log.ts";
import type { SimKey } from "../sim/sim-crypto.ts";
import { SimDisk, SimSignGuard } from "../sim/sim-disk.ts";

/** The simulator's guard interface over the durable SignGuard: authorize persists (fdatasync) before returning. */
class DurableGuard extends SimSignGuard {
  constructor(private readonly guard: SignGuard) {
    super();
  }
  override authorize(vote: Vote): string | null {
    const verdict = this.guard.authorize(vote);
    return verdict.ok ? null : `${verdict.code}: ${verdict.detail}`;
  }
  override has(vote: Vote): boolean {
    return this.guard.authorizedIn(vote.view).some((b) => b.kind === vote.kind && bytesEqual(b.blockHash, vote.blockHash));
  }
}

/** Records pushed by the node's persist step are appended to the WAL first. */
class WalRecords extends Array<WalRecord> {
  static override get [Symbol.species]() {
    return Array;
  }
  wal: WriteAheadLog | null = null;
  override push(...items: WalRecord[]): number {
    for (const r of items) this.wal?.append(r);
    return super.push(...items);
  }
}

export interface DurableOpen {
  guard: SignGuardOpenReport;
  wal: WalOpenReport;
  /** Votes the guard authorized that the WAL lacks (a crash between the two fsyncs), merged into the records. */
  votesFromGuard: number;
}

export class DurableSimDisk<S> extends SimDisk<S> {
  override readonly guard: SimSignGuard;
  readonly opened: DurableOpen;
  private readonly signGuard: SignGuard;
  private readonly wal: WriteAheadLog;
  private readonly blockDir: string;

  constructor(committed: ConstructorParameters<typeof SimDisk<S>>[0], dir: string, key: SimKey, validator: number, chainId: bigint) {
    super(committed);
    const g = SignGuard.open(path.join(dir, "guard"));
    const w = WriteAheadLog.open(path.join(dir, "wal"));
    this.signGuard = g.guard;
    this.wal = w.wal;
    this.guard = new DurableGuard(g.guard);
    this.blockDir = path.join(dir, "blocks");
    fs.mkdirSync(this.blockDir, { recursive: true });
    for (const name of fs.readdirSync(this.blockDir)) {
      const decoded = decodeBlock(new Uint8Array(fs.readFileSync(path.join(this.blockDir, name))));
      if (decoded.ok) this.blocks.set(toHex(blockHash(decoded.value.header)), decoded.value);
    }
    // The restarted machine must know every vote the guard let through, also one whose WAL record never landed.
    const missing = votesMissingFromWal(g.guard, w.records);
    const records = new WalRecords();
    records.push(...w.records);
    records.wal = w.wal;
    // Written back to the WAL (synced: own votes) so the log is whole again.
    for (const body of missing) {
      records.push({ type: "ownVote", vote: { ...body, validator, signature: key.sign(voteSigningBytes(chainId, body)) } });
    }
    this.records = records;
    this.opened = { guard: g.report, wal: w.report, votesFromGuard: missing.length };
  }

  override storeBlock(hash: Hash, block: Block): void {
    super.storeBlock(hash, block);
    fs.writeFileSync(path.join(this.blockDir, `${toHex(hash)}.blk`), encodeBlock(block));
  }

  /** Latest block timestamp on disk, so a restarted simulated clock never runs behind the chain. */
  latestTimestampMs(): number {
    let t = 0;
    for (const b of this.blocks.values()) t = Math.max(t, b.header.timestampMs);
    return t;
  }

  close(): void {
    this.signGuard.close();
    this.wal.close();
  }
}
