// The small key-value contract the block and state stores are written against: get, atomic batch write
// (optionally synced), ordered range scan. LevelKvStore is the node's; MemoryKvStore serves tests and the
// simulator. Keys and values are bytes; prefixes come from key-prefix.ts.

export type KvOp = { type: "put"; key: Uint8Array; value: Uint8Array } | { type: "del"; key: Uint8Array };

export interface KvRange {
  gte: Uint8Array;
  lt: Uint8Array;
}

export interface KvStore {
  get(key: Uint8Array): Promise<Uint8Array | undefined>;
  /** Applies every op or none. With `sync`, the ops are durable (fsynced) before the promise resolves. */
  write(ops: readonly KvOp[], opts: { sync: boolean }): Promise<void>;
  /** Entries with gte <= key < lt in ascending key order, at most `limit` of them. */
  entries(range: KvRange, limit?: number): AsyncIterable<[Uint8Array, Uint8Array]>;
  close(): Promise<void>;
}
