// What a validator answers to a peer's blocks-by-range request: finalized blocks from `from` with the
// finalization stored for each (its own, or the descendant's that finalized it). The answer runs on past `count`
// until a block whose certificate is its own, so the requester can verify the whole range (bounded).

import { blockHash } from "../../consensus/codec/block-codec.ts";
import { bytesEqual } from "../../consensus/crypto/hash.ts";
import type { ChainStore } from "./chain-store.ts";
import { encodeSyncItem } from "./sync-item.ts";

/** Blocks served past `count` at most, looking for one finalized by its own certificate. */
const RANGE_EXTENSION_MAX = 64;

export async function finalizedRange(chain: ChainStore, headHeight: number, from: number, count: number): Promise<Uint8Array[]> {
  const items: Uint8Array[] = [];
  const last = Math.min(headHeight, from + count - 1 + RANGE_EXTENSION_MAX);
  for (let h = from; h <= last; h++) {
    const block = await chain.loadBlockAtHeight(h);
    const cert = await chain.loadFinalization(h);
    if (!block || !cert) break;
    items.push(encodeSyncItem(block, cert));
    const exact = cert.view === block.header.view && bytesEqual(cert.blockHash, blockHash(block.header));
    if (h >= from + count - 1 && exact) break;
  }
  return items;
}
