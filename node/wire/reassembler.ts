// Rebuilds messages from shreds sent by untrusted peers (shred.ts). Per datagram: cheap shape checks, then the
// chunk's Merkle proof; the root's signature is verified once, when the first good shred of a (view, signer,
// root) arrives, and only then is memory committed. Each message is handed out exactly once; later shreds of
// it are counted as ignored. Everything is bounded (messages in progress overall and per signer, bytes
// buffered, chunks per message, views behind the newest) and every drop is counted by code; nothing a peer
// sends makes it throw. Not erasure decoding or repair: a message missing a chunk waits until evicted.

import type { Ed25519Verify } from "../../consensus/crypto/ed25519.ts";
import { toHex } from "../../consensus/crypto/hash.ts";
import { merkleLeaf, verifyMerkleProof } from "../../consensus/merkle.ts";
import type { PublicKey } from "../../consensus/types.ts";
import { checkFrameHeader, FrameType, plainBytes } from "./frame-header.ts";
import {
  checkShredShape,
  decodeShred,
  fullProofPath,
  SHRED_DATA_COUNT_MAX,
  SHRED_MESSAGE_BYTES_MAX,
  shredSigningBytes,
  type Shred,
} from "./shred.ts";
import { DropTally, ignore, reject, WireError, type WireDropCode, type WireVerdict } from "./wire-errors.ts";

export interface ReassemblerOptions {
  chainId: bigint;
  /**
   * Key of validator `leaderIndex` in the epoch of `view`, or undefined when unknown. Return undefined for views
   * too far ahead of the node's own as well: a shred that verifies moves the "too old" horizon, so a key given
   * for any far-future view would let one Byzantine validator push the horizon past the honest views.
   */
  leaderKey: (view: number, leaderIndex: number) => PublicKey | undefined;
  verify: Ed25519Verify;
  messagesInProgressMax?: number;
  /** One signer (honest or not) cannot hold more than this many of the slots above. */
  messagesPerSignerMax?: number;
  /** Chunk bytes held across all messages in progress (plus a small per-chunk overhead). */
  bufferedBytesMax?: number;
  messageBytesMax?: number;
  shredsPerMessageMax?: number;
  /** Shreds of views more than this far below the newest verified view are dropped. */
  viewsBehindMax?: number;
  /** Delivered messages remembered, so their late shreds do not start them again. */
  completedRememberedMax?: number;
}

export interface ReassemblyResult {
  verdict: WireVerdict;
  /** The whole message, present exactly once per message: on the shred that completed it. */
  complete?: Uint8Array;
  view?: number;
  leaderIndex?: number;
}

export interface ReassemblerStats {
  messagesInProgress: number;
  bufferedBytes: number;
  shredsAccepted: number;
  messagesCompleted: number;
  signaturesVerified: number;
  newestView: number;
  drops: Record<string, number>;
  /** Messages in progress given up, by reason: full, signerFull, bytes, stale. */
  evictions: Record<string, number>;
}

const CHUNK_OVERHEAD_BYTES = 64;

interface Pending {
  key: string;
  view: number;
  leaderIndex: number;
  totalBytes: number;
  dataCount: number;
  seq: number;
  chunks: Map<number, Uint8Array>;
  bytes: number;
}

export class Reassembler {
  private readonly opts: Required<ReassemblerOptions>;
  private readonly pending = new Map<string, Pending>();
  private readonly completed = new Map<string, number>(); // key -> view, insertion ordered
  private readonly drops = new DropTally();
  private readonly evictions = new DropTally();
  private bufferedBytes = 0;
  private newestView = 0;
  private seq = 0;
  private shredsAccepted = 0;
  private messagesCompleted = 0;
  private signaturesVerified = 0;

  constructor(options: ReassemblerOptions) {
    this.opts = {
      messagesInProgressMax: 64,
      messagesPerSignerMax: 8,
      bufferedBytesMax: 64 * 1024 * 1024,
      messageBytesMax: SHRED_MESSAGE_BYTES_MAX,
      shredsPerMessageMax: SHRED_DATA_COUNT_MAX,
      viewsBehindMax: 64,
      completedRememberedMax: 4096,
      ...options,
    };
    const o = this.opts;
    const largestCost = o.messageBytesMax + Math.min(o.shredsPerMessageMax, o.messageBytesMax) * CHUNK_OVERHEAD_BYTES;
    if (largestCost > o.bufferedBytesMax || o.messagesInProgressMax < 1 || o.messagesPerSignerMax < 1) {
      throw new WireError("WIRE_ERROR_BAD_OPTIONS", "bufferedBytesMax must hold one largest message; slot limits must be >= 1", {
        messageBytesMax: o.messageBytesMax,
        bufferedBytesMax: o.bufferedBytesMax,
      });
    }
  }

  /** One datagram payload (borrowed: what is kept is copied). */
  add(received: Uint8Array): ReassemblyResult {
    const payload = plainBytes(received);
    const header = checkFrameHeader(payload, this.opts.chainId);
    if (!header.ok) return this.drop(header.verdict);
    if (header.type !== FrameType.shred) return this.drop(reject("WIRE_REJECT_UNKNOWN_FRAME", "not a shred"));
    const decoded = decodeShred(payload);
    if (!decoded.ok) {
      const code = decoded.code === "CODEC_ERROR_TRUNCATED" ? "WIRE_REJECT_TRUNCATED" : "WIRE_REJECT_MALFORMED";
      return this.drop(reject(code, decoded.detail));
    }
    return this.addShred(decoded.value);
  }

  private addShred(s: Shred): ReassemblyResult {
    const shape = checkShredShape(s);
    if (shape !== null) return this.drop(verdictOf(shape));
    if (s.totalBytes > this.opts.messageBytesMax || s.dataCount > this.opts.shredsPerMessageMax) {
      return this.drop(reject("WIRE_REJECT_TOO_LARGE", `${s.totalBytes} bytes in ${s.dataCount} shreds`));
    }
    if (s.view + this.opts.viewsBehindMax < this.newestView) return this.drop(ignore("WIRE_IGNORE_VIEW_TOO_OLD"));
    const key = `${s.view}/${s.leaderIndex}/${toHex(s.root)}`;
    if (this.completed.has(key)) return this.drop(ignore("WIRE_IGNORE_COMPLETED"));
    let entry = this.pending.get(key);
    if (entry) {
      // The root was verified with the entry's size and count; a shred claiming others is forged.
      if (entry.totalBytes !== s.totalBytes || entry.dataCount !== s.dataCount) return this.drop(reject("WIRE_REJECT_MISMATCH"));
      if (entry.chunks.has(s.index)) return this.drop(ignore("WIRE_IGNORE_DUPLICATE"));
    }
    if (!verifyMerkleProof(s.root, merkleLeaf(s.chunk), s.index, fullProofPath(s))) return this.drop(reject("WIRE_REJECT_BAD_PROOF"));
    if (!entry) {
      const verdict = this.verifyRoot(s);
      if (verdict) return this.drop(verdict);
      this.advanceNewest(s.view);
      const made = this.open(key, s);
      if (!made) return this.drop(ignore("WIRE_IGNORE_FULL", "no room for another message"));
      entry = made;
    }
    const cost = s.chunk.length + CHUNK_OVERHEAD_BYTES;
    if (!this.makeRoom(cost, entry)) return this.drop(ignore("WIRE_IGNORE_FULL", "byte budget spent"));
    entry.chunks.set(s.index, s.chunk);
    entry.bytes += cost;
    this.bufferedBytes += cost;
    this.shredsAccepted++;
    const done = { verdict: { action: "accept" as const }, view: entry.view, leaderIndex: entry.leaderIndex };
    if (entry.chunks.size < entry.dataCount) return done;
    return { ...done, complete: this.finish(entry) };
  }

  private verifyRoot(s: Shred): WireVerdict | null {
    const key = this.opts.leaderKey(s.view, s.leaderIndex);
    if (!key) return ignore("WIRE_IGNORE_UNKNOWN_SENDER", `no key for validator ${s.leaderIndex} at view ${s.view}`);
    this.signaturesVerified++;
    const signed = shredSigningBytes(s.chainId, s.view, s.leaderIndex, s.root, s.totalBytes, s.dataCount);
    return this.opts.verify(key, signed, s.signature) ? null : reject("WIRE_REJECT_BAD_SIGNATURE");
  }

  /** A new message in progress, after evicting what the bounds demand; null when only older-view work would go. */
  private open(key: string, s: Shred): Pending | null {
    const mine = [...this.pending.values()].filter((p) => p.leaderIndex === s.leaderIndex);
    if (mine.length >= this.opts.messagesPerSignerMax && !this.evictOldest(mine, s.view, "signerFull")) return null;
    if (this.pending.size >= this.opts.messagesInProgressMax && !this.evictOldest([...this.pending.values()], s.view, "full")) return null;
    const entry: Pending = {
      key,
      view: s.view,
      leaderIndex: s.leaderIndex,
      totalBytes: s.totalBytes,
      dataCount: s.dataCount,
      seq: this.seq++,
      chunks: new Map(),
      bytes: 0,
    };
    this.pending.set(key, entry);
    return entry;
  }

  /** Evicts the oldest-view (then oldest-started) candidate if its view is not above `view`. */
  private evictOldest(candidates: Pending[], view: number, reason: string, keep?: Pending): boolean {
    let oldest: Pending | undefined;
    for (const p of candidates) {
      if (p === keep) continue;
      if (!oldest || p.view < oldest.view || (p.view === oldest.view && p.seq < oldest.seq)) oldest = p;
    }
    if (!oldest || oldest.view > view) return false;
    this.evict(oldest, reason);
    return true;
  }

  private makeRoom(cost: number, entry: Pending): boolean {
    while (this.bufferedBytes + cost > this.opts.bufferedBytesMax) {
      if (!this.evictOldest([...this.pending.values()], entry.view, "bytes", entry)) return false;
    }
    return true;
  }

  private evict(p: Pending, reason: string): void {
    this.pending.delete(p.key);
    this.bufferedBytes -= p.bytes;
    this.evictions.add(reason);
  }

  private advanceNewest(view: number): void {
    if (view <= this.newestView) return;
    this.newestView = view;
    const floor = view - this.opts.viewsBehindMax;
    for (const p of [...this.pending.values()]) if (p.view < floor) this.evict(p, "stale");
    for (const [key, v] of this.completed) if (v < floor) this.completed.delete(key);
  }

  private finish(entry: Pending): Uint8Array {
    const out = new Uint8Array(entry.totalBytes);
    let offset = 0;
    for (let i = 0; i < entry.dataCount; i++) {
      const chunk = entry.chunks.get(i)!;
      out.set(chunk, offset);
      offset += chunk.length;
    }
    this.pending.delete(entry.key);
    this.bufferedBytes -= entry.bytes;
    this.completed.set(entry.key, entry.view);
    if (this.completed.size > this.opts.completedRememberedMax) this.completed.delete(this.completed.keys().next().value!);
    this.messagesCompleted++;
    return out;
  }

  private drop(verdict: WireVerdict): ReassemblyResult {
    if (verdict.action !== "accept") this.drops.add(verdict.code);
    return { verdict };
  }

  stats(): ReassemblerStats {
    return {
      messagesInProgress: this.pending.size,
      bufferedBytes: this.bufferedBytes,
      shredsAccepted: this.shredsAccepted,
      messagesCompleted: this.messagesCompleted,
      signaturesVerified: this.signaturesVerified,
      newestView: this.newestView,
      drops: this.drops.snapshot(),
      evictions: this.evictions.snapshot(),
    };
  }
}

function verdictOf(code: WireDropCode): WireVerdict {
  return code.startsWith("WIRE_IGNORE_") ? ignore(code) : reject(code);
}
