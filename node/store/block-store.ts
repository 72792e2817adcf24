// Blocks by hash, the finalized chain by height, finalization certificates and the latest-finalized pointer.
// Finalizing writes block, height index, certificate and pointer in one synced batch, so after a crash the
// pointer never names a block that is not on disk. Blocks that are only proposed or notarized are saved
// unsynced: they can be fetched again. Signatures are the caller's job; this checks shape and chaining.

import { blockHash, decodeBlock, encodeBlock } from "../../consensus/codec/block-codec.ts";
import { decodeCertificate, encodeCertificate } from "../../consensus/codec/certificate-codec.ts";
import { bytesEqual, toHex } from "../../consensus/crypto/hash.ts";
import { LIMITS, VoteKind, type Block, type Certificate, type Hash } from "../../consensus/types.ts";
import { KeyPrefix, heightKey, prefixedKey } from "./key-prefix.ts";
import type { KvOp, KvStore } from "./kv-store.ts";
import { StoreError } from "./store-errors.ts";

export interface FinalizedPointer {
  height: number;
  view: number;
  hash: Hash;
}

const POINTER_BYTES = 8 + 8 + 32;

export class BlockStore {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly kv: KvStore) {}

  /** Saves a block by its hash (not synced). Returns the hash. */
  async saveBlock(block: Block): Promise<Hash> {
    const { hash, op } = blockPut(block);
    await this.kv.write([op], { sync: false });
    return hash;
  }

  async loadBlock(hash: Hash): Promise<Block | undefined> {
    const bytes = await this.kv.get(prefixedKey(KeyPrefix.BlockByHash, hash));
    if (!bytes) return undefined;
    const decoded = decodeBlock(bytes);
    if (!decoded.ok) throw corrupted(`block ${toHex(hash)}: ${decoded.detail}`);
    return decoded.value;
  }

  /**
   * Appends `block` to the finalized chain with its finalization certificate, atomically and synced. The
   * certificate finalizes this block or, for an ancestor finalized with it, a descendant in a later view (the
   * caller has checked the chain between them; only the exact case can be checked here).
   * The first finalized block anchors the chain; each later one must sit at the next height on the latest.
   */
  saveFinalized(block: Block, finalization: Certificate): Promise<FinalizedPointer> {
    return this.serial(async () => {
      const { hash, op } = blockPut(block);
      const h = block.header;
      const exact = finalization.view === h.view && bytesEqual(finalization.blockHash, hash);
      if (finalization.kind !== VoteKind.Finalize || !(exact || finalization.view > h.view)) {
        throw new StoreError("STORE_ERROR_CERTIFICATE_MISMATCH", `certificate does not finalize block ${toHex(hash)} of view ${h.view}`, {
          height: h.height,
        });
      }
      const latest = await this.loadLatestFinalized();
      if (latest && h.height !== latest.height + 1) {
        throw new StoreError("STORE_ERROR_HEIGHT_NOT_NEXT", `height ${h.height} does not follow finalized height ${latest.height}`, {
          height: h.height,
          latest: latest.height,
        });
      }
      if (latest && !bytesEqual(h.parentHash, latest.hash)) {
        throw new StoreError("STORE_ERROR_PARENT_MISMATCH", `block at height ${h.height} does not extend ${toHex(latest.hash)}`, {
          height: h.height,
        });
      }
      const pointer = { height: h.height, view: h.view, hash };
      await this.kv.write(
        [
          op,
          { type: "put", key: heightKey(KeyPrefix.HashByHeight, h.height), value: hash },
          { type: "put", key: heightKey(KeyPrefix.FinalizationByHeight, h.height), value: encodeCertificate(finalization) },
          { type: "put", key: prefixedKey(KeyPrefix.LatestFinalized), value: encodePointer(pointer) },
        ],
        { sync: true },
      );
      return pointer;
    });
  }

  async loadLatestFinalized(): Promise<FinalizedPointer | undefined> {
    const bytes = await this.kv.get(prefixedKey(KeyPrefix.LatestFinalized));
    return bytes ? decodePointer(bytes) : undefined;
  }

  async loadHashAtHeight(height: number): Promise<Hash | undefined> {
    const hash = await this.kv.get(heightKey(KeyPrefix.HashByHeight, height));
    if (hash && hash.length !== 32) throw corrupted(`hash at height ${height} has ${hash.length} bytes`);
    return hash;
  }

  async loadBlockAtHeight(height: number): Promise<Block | undefined> {
    const hash = await this.loadHashAtHeight(height);
    if (!hash) return undefined;
    const block = await this.loadBlock(hash);
    if (!block) throw corrupted(`finalized block ${toHex(hash)} at height ${height} is missing`);
    return block;
  }

  async loadFinalization(height: number): Promise<Certificate | undefined> {
    const bytes = await this.kv.get(heightKey(KeyPrefix.FinalizationByHeight, height));
    if (!bytes) return undefined;
    const decoded = decodeCertificate(bytes);
    if (!decoded.ok) throw corrupted(`finalization at height ${height}: ${decoded.detail}`);
    return decoded.value;
  }

  /** Runs writes that read-check-write one at a time, so two finalizations cannot both pass the check. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

function blockPut(block: Block): { hash: Hash; op: KvOp } {
  const bytes = encodeBlock(block);
  if (bytes.length > LIMITS.maxBlockBytes) {
    throw new StoreError("STORE_ERROR_LIMIT", `block of ${bytes.length} bytes exceeds ${LIMITS.maxBlockBytes}`, { bytes: bytes.length });
  }
  const hash = blockHash(block.header);
  return { hash, op: { type: "put", key: prefixedKey(KeyPrefix.BlockByHash, hash), value: bytes } };
}

export function encodePointer(p: FinalizedPointer): Uint8Array {
  const out = new Uint8Array(POINTER_BYTES);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(p.height));
  view.setBigUint64(8, BigInt(p.view));
  out.set(p.hash, 16);
  return out;
}

function decodePointer(bytes: Uint8Array): FinalizedPointer {
  if (bytes.length !== POINTER_BYTES) throw corrupted(`finalized pointer has ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const height = view.getBigUint64(0);
  const v = view.getBigUint64(8);
  if (height > BigInt(Number.MAX_SAFE_INTEGER) || v > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupted("finalized pointer out of range");
  return { height: Number(height), view: Number(v), hash: bytes.slice(16) };
}

function corrupted(detail: string): StoreError {
  return new StoreError("STORE_ERROR_CORRUPTED", detail);
}
