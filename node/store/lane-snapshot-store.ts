// The order lane's state after finalized blocks, saved whole (consensus/lane/lane-snapshot.ts) under its height.
// The world state is saved as write sets, but the engine is not a key-value map, so a snapshot per finalized
// block is what lets a restart (or the re-execution of a block whose write set was lost) start from the right
// lane. The last two heights are kept: a crash between a snapshot and its write set leaves the older one usable.

import { heightKey, KeyPrefix } from "./key-prefix.ts";
import type { KvOp, KvStore } from "./kv-store.ts";

export class LaneSnapshotStore {
  constructor(private readonly kv: KvStore) {}

  async save(height: number, bytes: Uint8Array): Promise<void> {
    const ops: KvOp[] = [{ type: "put", key: heightKey(KeyPrefix.LaneSnapshotByHeight, height), value: bytes }];
    if (height >= 2) ops.push({ type: "del", key: heightKey(KeyPrefix.LaneSnapshotByHeight, height - 2) });
    // Unsynced like the write set that follows it: a lost snapshot is rebuilt by re-executing from the older one.
    await this.kv.write(ops, { sync: false });
  }

  load(height: number): Promise<Uint8Array | undefined> {
    return this.kv.get(heightKey(KeyPrefix.LaneSnapshotByHeight, height));
  }
}
