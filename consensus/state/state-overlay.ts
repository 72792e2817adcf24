// The mutable view one block executes against: reads fall through to a WorldState snapshot and are cached,
// writes stay here until commit(), which returns the new snapshot and the block's write set. Execution code
// never mutates a WorldState, so a rejected block leaves its parent untouched.

import { compareBytes } from "../crypto/hash.ts";
import type { Hash } from "../types.ts";
import { pathOf } from "./sparse-merkle-tree.ts";
import type { StateReader, StateWrite, WorldState } from "./world-state.ts";

interface Entry {
  key: Uint8Array;
  path: Hash;
  value: Uint8Array | undefined;
  dirty: boolean;
}

/** Entries touched by one block at most (reads and writes): a block is bounded, so is its overlay. */
export const OVERLAY_ENTRIES_MAX = 1_000_000;

/** A Map key for bytes: one UTF-16 unit per byte (state keys are short), cheaper than hex. */
function mapKey(key: Uint8Array): string {
  return String.fromCharCode.apply(null, key as unknown as number[]);
}

export class StateOverlay implements StateReader {
  private readonly entries = new Map<string, Entry>();

  constructor(readonly base: WorldState) {}

  private entry(key: Uint8Array): Entry {
    const hex = mapKey(key);
    let e = this.entries.get(hex);
    if (e === undefined) {
      if (this.entries.size >= OVERLAY_ENTRIES_MAX) throw new RangeError("state overlay entry limit reached");
      const path = pathOf(key);
      e = { key, path, value: this.base.getByPath(path), dirty: false };
      this.entries.set(hex, e);
    }
    return e;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return this.entry(key).value;
  }

  set(key: Uint8Array, value: Uint8Array | null): void {
    const e = this.entry(key);
    e.value = value ?? undefined;
    e.dirty = true;
  }

  /** The changes so far, sorted by key: what node/store persists for this block. */
  writeSet(): StateWrite[] {
    const out: StateWrite[] = [];
    for (const e of this.entries.values()) if (e.dirty) out.push({ key: e.key, value: e.value ?? null });
    return out.sort((a, b) => compareBytes(a.key, b.key));
  }

  commit(): { state: WorldState; writeSet: StateWrite[] } {
    const dirty = [...this.entries.values()].filter((e) => e.dirty);
    const writes = dirty.map((e) => ({ key: e.key, value: e.value ?? null }));
    const state = this.base.apply(
      writes,
      dirty.map((e) => e.path),
    );
    return { state, writeSet: writes.sort((a, b) => compareBytes(a.key, b.key)) };
  }
}
