// KvStore over LevelDB (`level`, classic-level's prebuilt binding). Batches are atomic in LevelDB; `sync`
// maps to LevelDB's sync write option (the log is fsynced before the batch is acknowledged).

import { Level } from "level";
import type { KvOp, KvRange, KvStore } from "./kv-store.ts";
import { StoreError } from "./store-errors.ts";

export class LevelKvStore implements KvStore {
  private closed = false;

  private constructor(private readonly db: Level<Uint8Array, Uint8Array>) {}

  static async open(dir: string): Promise<LevelKvStore> {
    const db = new Level<Uint8Array, Uint8Array>(dir, { keyEncoding: "view", valueEncoding: "view" });
    await db.open();
    return new LevelKvStore(db);
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    this.checkOpen();
    const v = await this.db.get(key);
    return v === undefined ? undefined : plain(v);
  }

  async write(ops: readonly KvOp[], opts: { sync: boolean }): Promise<void> {
    this.checkOpen();
    if (ops.length === 0) return;
    await this.db.batch(
      ops.map((op) => (op.type === "put" ? { type: "put" as const, key: op.key, value: op.value } : { type: "del" as const, key: op.key })),
      { sync: opts.sync },
    );
  }

  async *entries(range: KvRange, limit = -1): AsyncIterable<[Uint8Array, Uint8Array]> {
    this.checkOpen();
    for await (const [k, v] of this.db.iterator({ gte: range.gte, lt: range.lt, limit })) yield [plain(k), plain(v)];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.close();
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreError("STORE_ERROR_CLOSED", "the database is closed");
  }
}

/** A plain Uint8Array view of a Buffer, so callers and tests compare bytes, not classes. */
function plain(b: Uint8Array): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
