// LaneSnapshotStore over the in-memory KvStore: one snapshot per height under its own key prefix, the last two
// heights kept (a crash between a snapshot and its write set leaves the older one usable).
import { describe, expect, it } from "vitest";
import { heightKey, KeyPrefix } from "../../../../node/store/key-prefix.ts";
import { LaneSnapshotStore } from "../../../../node/store/lane-snapshot-store.ts";
import { MemoryKvStore } from "../../../../node/store/memory-kv-store.ts";

const bytes = (n: number) => new Uint8Array([n, n, n]);

describe("LaneSnapshotStore", () => {
  it("keeps the snapshots of the last two heights saved", async () => {
    const kv = new MemoryKvStore();
    const store = new LaneSnapshotStore(kv);
    for (const h of [1, 2, 3, 4]) await store.save(h, bytes(h));
    expect(await Promise.all([1, 2, 3, 4, 5].map((h) => store.load(h)))).toEqual([undefined, undefined, bytes(3), bytes(4), undefined]);
    expect(await kv.get(heightKey(KeyPrefix.LaneSnapshotByHeight, 4))).toEqual(bytes(4));
    expect(KeyPrefix.LaneSnapshotByHeight).toBe(10);
  });

  it("overwrites a height saved again (a re-executed block) and keeps its predecessor", async () => {
    const store = new LaneSnapshotStore(new MemoryKvStore());
    await store.save(1, bytes(1));
    await store.save(2, bytes(2));
    await store.save(2, bytes(9));
    expect([await store.load(1), await store.load(2)]).toEqual([bytes(1), bytes(9)]);
  });
});
