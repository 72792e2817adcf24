// The UDP path's memory of recently accepted orders, the same rule as native/lane_dedupe.h: a bounded set of
// (trading key, nonce), oldest evicted first. A Map keeps insertion order, so the first key is the oldest.
// Keys are the 40 bytes as a latin1 string (a Map key that compares by value). One per worker thread.

export class LaneDedupe {
  private readonly keys = new Map<string, true>();

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`dedupe capacity ${capacity}`);
  }

  get size(): number {
    return this.keys.size;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  /** Adds the key, evicting the oldest when full. False (and no change) when present. */
  add(key: string): boolean {
    if (this.keys.has(key)) return false;
    if (this.keys.size >= this.capacity) this.keys.delete(this.keys.keys().next().value!);
    this.keys.set(key, true);
    return true;
  }

  delete(key: string): boolean {
    return this.keys.delete(key);
  }
}
