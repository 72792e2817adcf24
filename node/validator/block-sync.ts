// Block sync: a validator that starts late or was down asks peers over the control plane for finalized blocks
// by height range and commits them, while the others keep finalizing. Nothing a peer sends is trusted: blocks
// must chain from this node's head, a range is committed only up to a block whose own finalization certificate
// verifies against the epoch's set (>2/3 of stake), and every block is re-executed with its roots checked.

import { blockHash } from "../../consensus/codec/block-codec.ts";
import type { Ed25519Verify } from "../../consensus/crypto/ed25519.ts";
import { bytesEqual, toHex } from "../../consensus/crypto/hash.ts";
import type { BlockExecution } from "../../consensus/execution/execute-block.ts";
import { epochLastHeight, epochOfHeight } from "../../consensus/simplex/index.ts";
import type { Block, Certificate, Hash } from "../../consensus/types.ts";
import { checkCertificate } from "./certificate-check.ts";
import type { ChainApp } from "./chain-app.ts";
import type { DriverLog } from "./consensus-driver.ts";
import { decodeSyncItem } from "./sync-item.ts";

export interface SyncPeers {
  peerStatuses(signal?: AbortSignal): Promise<{ peerId: string; finalizedHeight: number }[]>;
  requestBlocksByRange(peerId: string, from: number, count: number, signal: AbortSignal): Promise<Uint8Array[]>;
}

export interface BlockSyncOptions {
  app: ChainApp;
  chainId: bigint;
  verify: Ed25519Verify;
  epochLengthBlocks: number;
  peers: SyncPeers;
  /** Persist and announce a block committed by sync (same path as a block finalized by consensus). */
  committed(block: Block, hash: Hash, certificate: Certificate, execution: BlockExecution): void;
  log: DriverLog;
  batchBlocks?: number;
  requestTimeoutMs?: number;
  now?: () => number;
}

export interface SyncProgress {
  startingHeight: number;
  currentHeight: number;
  highestHeight: number;
}

const PROGRESS_LOG_MS = 2_000;

export class BlockSync {
  private progressState: SyncProgress | null = null;

  constructor(private readonly o: BlockSyncOptions) {}

  /** Non-null while a catch-up runs (eth_syncing reports it). */
  get progress(): SyncProgress | null {
    return this.progressState;
  }

  /** The best finalized height peers report, and who reported it. */
  async bestPeer(signal?: AbortSignal): Promise<{ peerId: string; finalizedHeight: number } | undefined> {
    const statuses = await this.o.peers.peerStatuses(signal).catch(() => []);
    let best: { peerId: string; finalizedHeight: number } | undefined;
    for (const s of statuses) if (!best || s.finalizedHeight > best.finalizedHeight) best = s;
    return best;
  }

  /** Commits finalized blocks from peers until this node reaches `target` (or no peer helps). Returns blocks added. */
  async catchUp(target: { peerId: string; finalizedHeight: number }, signal: AbortSignal): Promise<number> {
    const start = this.o.app.committed.height;
    this.progressState = { startingHeight: start, currentHeight: start, highestHeight: target.finalizedHeight };
    this.o.log.info("sync: catching up", { from: start, to: target.finalizedHeight, peer: target.peerId });
    const startedMs = Date.now();
    let lastLogMs = startedMs;
    let added = 0;
    try {
      while (!signal.aborted && this.o.app.committed.height < target.finalizedHeight) {
        const got = await this.fetchRange(target.peerId, signal);
        if (got === 0) break;
        added += got;
        this.progressState.currentHeight = this.o.app.committed.height;
        if (Date.now() - lastLogMs >= PROGRESS_LOG_MS) {
          lastLogMs = Date.now();
          const rate = (added * 1000) / Math.max(1, lastLogMs - startedMs);
          this.o.log.info("sync: progress", { height: this.o.app.committed.height, target: target.finalizedHeight, blocksPerSecond: Math.round(rate) });
        }
      }
    } finally {
      this.progressState = null;
    }
    this.o.log.info("sync: done", { height: this.o.app.committed.height, added, ms: Date.now() - startedMs });
    return added;
  }

  /** One range request from the head: returns how many blocks were committed (0 when the answer was useless). */
  private async fetchRange(peerId: string, signal: AbortSignal): Promise<number> {
    const from = this.o.app.committed.height + 1;
    const epochEnd = epochLastHeight(epochOfHeight(from, this.o.epochLengthBlocks), this.o.epochLengthBlocks);
    const count = Math.min(this.o.batchBlocks ?? 64, epochEnd - from + 1);
    const timeout = AbortSignal.timeout(this.o.requestTimeoutMs ?? 10_000);
    let items: Uint8Array[];
    try {
      items = await this.o.peers.requestBlocksByRange(peerId, from, count, AbortSignal.any([signal, timeout]));
    } catch (err) {
      this.o.log.warn("sync: range request failed", { peer: peerId, from, error: (err as Error).message });
      return 0;
    }
    return this.commitItems(items, from, epochEnd, peerId);
  }

  private commitItems(items: readonly Uint8Array[], from: number, epochEnd: number, peerId: string): number {
    const pending: { block: Block; hash: Hash }[] = [];
    let prev = this.o.app.committed.hash;
    let committed = 0;
    for (let i = 0; i < items.length; i++) {
      const decoded = decodeSyncItem(items[i]!);
      if (!decoded.ok) return this.refuse(peerId, committed, `item ${i}: ${decoded.detail}`);
      const { block, certificate } = decoded.value;
      const h = block.header;
      if (h.height !== from + i || h.height > epochEnd || !bytesEqual(h.parentHash, prev)) {
        return this.refuse(peerId, committed, `block at height ${h.height} does not extend the chain`);
      }
      const hash = blockHash(h);
      prev = hash;
      pending.push({ block, hash });
      const exact = certificate.view === h.view && bytesEqual(certificate.blockHash, hash);
      if (!exact) continue;
      const verdict = checkCertificate(this.o.app.validatorSet(), this.o.chainId, certificate, this.o.verify);
      if (verdict.action !== "accept") return this.refuse(peerId, committed, `finalization at height ${h.height}: ${verdict.code}`);
      for (const p of pending) {
        const result = this.o.app.verify(p.block, p.hash, this.o.now?.() ?? Date.now());
        if (!result.ok) return this.refuse(peerId, committed, `block ${p.block.header.height} does not execute: ${result.code}`);
        const execution = this.o.app.commit(p.block, p.hash);
        this.o.committed(p.block, p.hash, certificate, execution);
        committed++;
      }
      pending.length = 0;
    }
    return committed;
  }

  private refuse(peerId: string, committed: number, why: string): number {
    this.o.log.warn("sync: refused a peer's blocks", { peer: peerId, why, head: toHex(this.o.app.committed.hash).slice(0, 16) });
    return committed;
  }
}
