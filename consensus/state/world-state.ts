// An immutable snapshot of state: key/value bytes committed by a sparse Merkle tree whose root is the header's
// state root. Snapshots share structure, so executing competing blocks on one parent is cheap. This in-memory
// tree is the only backend today; node/store persists each block's write set and rebuilds with fromEntries().

import { toHex } from "../crypto/hash.ts";
import { assert } from "../errors.ts";
import type { Hash } from "../types.ts";
import { type SmtNode, type SmtUpdate, nodeHash, pathOf, smtGet, smtLeaves, smtUpdate } from "./sparse-merkle-tree.ts";
import { type StateProof, proveKey } from "./state-proof.ts";

/** One change of a block: a value to put, or null to delete. Same shape as node/store's WriteSetEntry. */
export interface StateWrite {
  key: Uint8Array;
  value: Uint8Array | null;
}

/** What execution reads: synchronous key/value lookups. */
export interface StateReader {
  get(key: Uint8Array): Uint8Array | undefined;
}

export const STATE_KEY_BYTES_MAX = 256;
export const STATE_VALUE_BYTES_MAX = 1024 * 1024;

export class WorldState implements StateReader {
  static readonly EMPTY = new WorldState(null);

  private constructor(private readonly root: SmtNode | null) {}

  get stateRoot(): Hash {
    return nodeHash(this.root);
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return smtGet(this.root, pathOf(key))?.value;
  }

  /** Lookup when the caller already hashed the key. */
  getByPath(path: Hash): Uint8Array | undefined {
    return smtGet(this.root, path)?.value;
  }

  /** A new snapshot with `writes` applied (at most one write per key). */
  apply(writes: readonly StateWrite[], paths?: readonly Hash[]): WorldState {
    const updates: SmtUpdate[] = writes.map((w, i) => {
      assert(w.key.length > 0 && w.key.length <= STATE_KEY_BYTES_MAX, `state key of ${w.key.length} bytes`);
      assert(w.value === null || w.value.length <= STATE_VALUE_BYTES_MAX, `state value of ${w.value?.length} bytes`);
      return { path: paths?.[i] ?? pathOf(w.key), key: w.key, value: w.value };
    });
    return new WorldState(smtUpdate(this.root, updates));
  }

  /** Every entry (in path order, not key order): what a snapshot persists. */
  *entries(): Generator<[Uint8Array, Uint8Array]> {
    for (const leaf of smtLeaves(this.root)) yield [leaf.key, leaf.value];
  }

  prove(key: Uint8Array): StateProof {
    return proveKey(this.root, key);
  }

  /** Rebuilds a snapshot from persisted entries (e.g. node/store's loadAll()). Keys must be distinct. */
  static fromEntries(entries: Iterable<[Uint8Array, Uint8Array]>): WorldState {
    const writes: StateWrite[] = [];
    const seen = new Set<string>();
    for (const [key, value] of entries) {
      const hex = toHex(key);
      assert(!seen.has(hex), `duplicate state key ${hex}`);
      seen.add(hex);
      writes.push({ key, value });
    }
    return WorldState.EMPTY.apply(writes);
  }
}
