// Opens the node's one LevelDB (block store and state store share it, separated by key prefixes) and checks
// its schema version: a database written by another format version is refused, never reinterpreted.

import { BlockStore } from "./block-store.ts";
import { KeyPrefix, prefixRange, prefixedKey } from "./key-prefix.ts";
import type { KvStore } from "./kv-store.ts";
import { LevelKvStore } from "./level-kv-store.ts";
import { StateStore } from "./state-store.ts";
import { StoreError } from "./store-errors.ts";

export const STORE_SCHEMA_VERSION = 1;

export interface NodeDatabase {
  kv: KvStore;
  blocks: BlockStore;
  state: StateStore;
  close(): Promise<void>;
}

export async function openNodeDatabase(dir: string): Promise<NodeDatabase> {
  const kv = await LevelKvStore.open(dir);
  try {
    return await openStores(kv);
  } catch (err) {
    await kv.close();
    throw err;
  }
}

/** Checks (or, on an empty database, writes) the schema version, then builds the stores over `kv`. */
export async function openStores(kv: KvStore): Promise<NodeDatabase> {
  const key = prefixedKey(KeyPrefix.Meta);
  const stored = await kv.get(key);
  if (stored === undefined) {
    for await (const _ of kv.entries({ gte: prefixRange(KeyPrefix.Meta).lt, lt: new Uint8Array([0xff, 0xff]) }, 1)) {
      throw new StoreError("STORE_ERROR_SCHEMA_MISMATCH", "database has data but no schema version");
    }
    const v = new Uint8Array(4);
    new DataView(v.buffer).setUint32(0, STORE_SCHEMA_VERSION);
    await kv.write([{ type: "put", key, value: v }], { sync: true });
  } else {
    const version = stored.length === 4 ? new DataView(stored.buffer, stored.byteOffset, 4).getUint32(0) : -1;
    if (version !== STORE_SCHEMA_VERSION) {
      throw new StoreError("STORE_ERROR_SCHEMA_MISMATCH", `database schema ${version}, this build reads ${STORE_SCHEMA_VERSION}`, {
        found: version,
        expected: STORE_SCHEMA_VERSION,
      });
    }
  }
  return { kv, blocks: new BlockStore(kv), state: new StateStore(kv), close: () => kv.close() };
}
