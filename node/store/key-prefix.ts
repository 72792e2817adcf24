// Every key of every node database starts with one byte from this table (Lodestar's bucket idea), so the
// databases can share one LevelDB and never collide. Numbers are forever: when a prefix is retired, its line
// stays as a comment and the number is never reused, or old data would be read as something new.

export const KeyPrefix = {
  /** Single key: database schema version (u32). */
  Meta: 0,
  /** block hash -> encoded block (finalized or not). */
  BlockByHash: 1,
  /** u64 height -> block hash, finalized chain only. */
  HashByHeight: 2,
  /** u64 height -> encoded finalization certificate of the block at that height. */
  FinalizationByHeight: 3,
  /** Single key: latest finalized (height, view, hash). */
  LatestFinalized: 4,
  /** raw state key (opaque, from execution) -> value. */
  StateEntry: 5,
  /** Single key: height of the last write set applied to the state entries. */
  StateHeight: 6,
  /** u64 height -> the block's receipts (u32 count, then u32 length + encoded receipt each). */
  ReceiptsByHeight: 7,
  /** transaction hash -> u64 height || u32 index of a finalized transaction. */
  TransactionLocation: 8,
  /** Single key: the previous epoch's notarization of the current epoch's anchor (empty value: none). */
  EpochAnchorNotarization: 9,
  /** u64 height -> the order lane's state after that finalized block (lane-snapshot.ts); the last two are kept. */
  LaneSnapshotByHeight: 10,
  // Retired (never reuse): none yet.
} as const;
export type KeyPrefix = (typeof KeyPrefix)[keyof typeof KeyPrefix];

export function prefixedKey(prefix: KeyPrefix, suffix: Uint8Array = new Uint8Array(0)): Uint8Array {
  const key = new Uint8Array(1 + suffix.length);
  key[0] = prefix;
  key.set(suffix, 1);
  return key;
}

/** prefix || u64 big-endian, so heights sort numerically. */
export function heightKey(prefix: KeyPrefix, height: number): Uint8Array {
  const key = new Uint8Array(9);
  key[0] = prefix;
  new DataView(key.buffer).setBigUint64(1, BigInt(height));
  return key;
}

/** The key range holding every key under `prefix`. */
export function prefixRange(prefix: KeyPrefix): { gte: Uint8Array; lt: Uint8Array } {
  return { gte: new Uint8Array([prefix]), lt: new Uint8Array([prefix + 1]) };
}
