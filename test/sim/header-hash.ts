// Block hashes memoized per header object for the simulator's own bookkeeping (blocks are shared, never mutated
// once built). The machine computes its own hashes; this only saves the driver from hashing the same header again.

import { blockHash } from "../../consensus/codec/block-codec.ts";
import type { BlockHeader, Hash } from "../../consensus/types.ts";

const cache = new WeakMap<BlockHeader, Hash>();

export function headerHash(header: BlockHeader): Hash {
  let hash = cache.get(header);
  if (!hash) {
    hash = blockHash(header);
    cache.set(header, hash);
  }
  return hash;
}
