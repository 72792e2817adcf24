// KvStore in memory, for unit tests and the simulator (a "crash" there keeps the object and drops the node).
// Same contract as LevelKvStore: atomic batches, ordered ranges. `sync` has no meaning here.

import { compareBytes, toHex } from "../../consensus/crypto/hash.ts";
import type { KvOp, KvRange, KvStore } from "./kv-store.ts";
import { StoreError } from "./store-errors.ts";

export class MemoryKvStore implements KvStore {
  private readonly map = new Map<string, [Uint8Array, Uint8Array]>();
  private closed = false;

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    this.checkOpen();
    return this.map.get(toHex(key))?.[1].slice();
  }

  async write(ops: readonly KvOp[], _opts: { sync: boolean }): Promise<void> {
    this.checkOpen();
    for (const op of ops) {
      if (op.type === "put") this.map.set(toHex(op.key), [op.key.slice(), op.value.slice()]);
      else this.map.delete(toHex(op.key));
    }
  }

  async *entries(range: KvRange, limit = -1): AsyncIterable<[Uint8Array, Uint8Array]> {
    this.checkOpen();
    const rows = [...this.map.values()]
      .filter(([k]) => compareBytes(k, range.gte) >= 0 && compareBytes(k, range.lt) < 0)
      .sort((a, b) => compareBytes(a[0], b[0]));
    const n = limit < 0 ? rows.length : Math.min(limit, rows.length);
    for (let i = 0; i < n; i++) yield [rows[i]![0].slice(), rows[i]![1].slice()];
  }

  /** Reopening after close is allowed: the contents stay, as a disk's would. */
  reopen(): this {
    this.closed = false;
    return this;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreError("STORE_ERROR_CLOSED", "the database is closed");
  }
}
