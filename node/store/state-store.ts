// Persists execution's per-block write sets (opaque key/value bytes) together with the height they bring the
// state to, in one synced batch, so a restart rebuilds state from loadAll() instead of replaying from genesis.
// Order on commit: BlockStore.saveFinalized first, then applyWriteSet; on restart, state height <= finalized
// height and the node re-executes the finalized blocks in between. Knows nothing of accounts or Merkle roots.

import { toHex } from "../../consensus/crypto/hash.ts";
import { assert } from "../../consensus/errors.ts";
import { KeyPrefix, prefixRange, prefixedKey } from "./key-prefix.ts";
import type { KvOp, KvStore } from "./kv-store.ts";
import { StoreError } from "./store-errors.ts";

/** One state change: a value to put, or null to delete the key. */
export interface WriteSetEntry {
  key: Uint8Array;
  value: Uint8Array | null;
}

export const STATE_LIMITS = {
  keyBytesMax: 256,
  valueBytesMax: 1024 * 1024,
  entriesPerWriteSetMax: 1_000_000,
} as const;

export class StateStore {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly kv: KvStore) {}

  /**
   * Applies the write set of the block at `height`, atomically with the height marker, synced.
   * The first write set may be at any height (genesis state is usually 0); each later one at the next height.
   */
  applyWriteSet(height: number, entries: readonly WriteSetEntry[]): Promise<void> {
    return this.serial(async () => {
      assert(Number.isSafeInteger(height) && height >= 0, "state height must be a non-negative safe integer");
      if (entries.length > STATE_LIMITS.entriesPerWriteSetMax) {
        throw new StoreError("STORE_ERROR_LIMIT", `write set of ${entries.length} entries exceeds ${STATE_LIMITS.entriesPerWriteSetMax}`, {
          height,
        });
      }
      const current = await this.loadHeight();
      if (current !== undefined && height !== current + 1) {
        throw new StoreError("STORE_ERROR_HEIGHT_NOT_NEXT", `write set for height ${height} does not follow state height ${current}`, {
          height,
          current,
        });
      }
      const ops: KvOp[] = [];
      const seen = new Set<string>();
      for (const e of entries) {
        checkEntry(e, height);
        const hex = toHex(e.key);
        assert(!seen.has(hex), `write set for height ${height} names key ${hex} twice`);
        seen.add(hex);
        const key = prefixedKey(KeyPrefix.StateEntry, e.key);
        ops.push(e.value === null ? { type: "del", key } : { type: "put", key, value: e.value });
      }
      ops.push({ type: "put", key: prefixedKey(KeyPrefix.StateHeight), value: encodeHeight(height) });
      await this.kv.write(ops, { sync: true });
    });
  }

  /** Height of the last applied write set, or undefined for an empty store. */
  async loadHeight(): Promise<number | undefined> {
    const bytes = await this.kv.get(prefixedKey(KeyPrefix.StateHeight));
    if (!bytes) return undefined;
    if (bytes.length !== 8) throw new StoreError("STORE_ERROR_CORRUPTED", `state height has ${bytes.length} bytes`);
    const h = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0);
    if (h > BigInt(Number.MAX_SAFE_INTEGER)) throw new StoreError("STORE_ERROR_CORRUPTED", "state height out of range");
    return Number(h);
  }

  async load(key: Uint8Array): Promise<Uint8Array | undefined> {
    return this.kv.get(prefixedKey(KeyPrefix.StateEntry, key));
  }

  /** Every state entry in key order (keys without the prefix): what a restart rebuilds state from. */
  async *loadAll(): AsyncIterable<[Uint8Array, Uint8Array]> {
    for await (const [k, v] of this.kv.entries(prefixRange(KeyPrefix.StateEntry))) yield [k.subarray(1), v];
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

function checkEntry(e: WriteSetEntry, height: number): void {
  if (e.key.length === 0 || e.key.length > STATE_LIMITS.keyBytesMax) {
    throw new StoreError("STORE_ERROR_LIMIT", `state key of ${e.key.length} bytes outside 1..${STATE_LIMITS.keyBytesMax}`, { height });
  }
  if (e.value !== null && e.value.length > STATE_LIMITS.valueBytesMax) {
    throw new StoreError("STORE_ERROR_LIMIT", `state value of ${e.value.length} bytes exceeds ${STATE_LIMITS.valueBytesMax}`, { height });
  }
}

function encodeHeight(height: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(height));
  return out;
}
