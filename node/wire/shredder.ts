// Cuts one encoded message into signed shreds (shred.ts) that each fit a datagram payload. Builds the Merkle
// tree over the chunks once (consensus/merkle.ts hashing, levels kept so every proof is read off, not rebuilt)
// and signs the root once. Not erasure coding yet: one FEC set, no parity.

import { domainHash } from "../../consensus/crypto/hash.ts";
import { merkleLeaf } from "../../consensus/merkle.ts";
import type { Hash, Signature } from "../../consensus/types.ts";
import {
  chunkSpan,
  encodeShred,
  SHRED_DATA_COUNT_MAX,
  SHRED_MESSAGE_BYTES_MAX,
  shredHeaderBytes,
  shredSigningBytes,
} from "./shred.ts";
import { WireError } from "./wire-errors.ts";

export const PAYLOAD_MAX_BYTES_DEFAULT = 1472;

export interface ShredOptions {
  chainId: bigint;
  view: number;
  /** This node's validator index in the epoch of `view`. */
  leaderIndex: number;
  /** Signs with this node's ed25519 validator key. */
  sign: (message: Uint8Array) => Signature;
  payloadMaxBytes?: number;
}

function ceilLog2(n: number): number {
  let depth = 0;
  while (1 << depth < n) depth++;
  return depth;
}

/** Fewest chunks such that the largest chunk plus a full-depth proof header fits the payload limit. */
export function shredCount(totalBytes: number, payloadMaxBytes: number): number {
  let count = 1;
  for (;;) {
    const chunkMax = payloadMaxBytes - shredHeaderBytes(ceilLog2(count));
    if (chunkMax < 1) {
      throw new WireError("WIRE_ERROR_PAYLOAD_LIMIT_TOO_SMALL", `${payloadMaxBytes}-byte payloads cannot hold a shred`, {
        payloadMaxBytes,
      });
    }
    const need = Math.ceil(totalBytes / chunkMax);
    if (need <= count) return count;
    if (need > SHRED_DATA_COUNT_MAX) {
      throw new WireError("WIRE_ERROR_MESSAGE_TOO_LARGE", `${totalBytes} bytes need more than ${SHRED_DATA_COUNT_MAX} shreds`, {
        totalBytes,
        payloadMaxBytes,
      });
    }
    count = need;
  }
}

function nodeHash(left: Hash, right: Hash): Hash {
  const buf = new Uint8Array(64);
  buf.set(left);
  buf.set(right, 32);
  return domainHash("merkleNode", buf);
}

/** Every level of merkle.ts's tree, leaves first, root last. */
export function merkleLevels(leaves: Hash[]): Hash[][] {
  const levels: Hash[][] = [leaves];
  for (let level = leaves; level.length > 1; ) {
    const next: Hash[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? nodeHash(level[i]!, level[i + 1]!) : level[i]!);
    levels.push(next);
    level = next;
  }
  return levels;
}

function proofFromLevels(levels: Hash[][], index: number): Hash[] {
  const proof: Hash[] = [];
  for (let d = 0, i = index; d < levels.length - 1; d++, i >>= 1) {
    const sibling = levels[d]![i ^ 1];
    if (sibling !== undefined) proof.push(sibling);
  }
  return proof;
}

/** Datagram payloads, in shred index order. Throws WireError for an empty or oversized message. */
export function shredMessage(bytes: Uint8Array, options: ShredOptions): Uint8Array[] {
  const payloadMaxBytes = options.payloadMaxBytes ?? PAYLOAD_MAX_BYTES_DEFAULT;
  const totalBytes = bytes.length;
  if (totalBytes < 1 || totalBytes > SHRED_MESSAGE_BYTES_MAX) {
    throw new WireError("WIRE_ERROR_MESSAGE_TOO_LARGE", `cannot shred a ${totalBytes}-byte message`, { totalBytes });
  }
  const dataCount = shredCount(totalBytes, payloadMaxBytes);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < dataCount; i++) {
    const { offset, length } = chunkSpan(totalBytes, dataCount, i);
    chunks.push(bytes.subarray(offset, offset + length));
  }
  const levels = merkleLevels(chunks.map(merkleLeaf));
  const root = levels[levels.length - 1]![0]!;
  const { chainId, view, leaderIndex } = options;
  const signature = options.sign(shredSigningBytes(chainId, view, leaderIndex, root, totalBytes, dataCount));
  return chunks.map((chunk, index) =>
    encodeShred({
      chainId,
      view,
      leaderIndex,
      root,
      fecSetIndex: 0,
      dataCount,
      parityCount: 0,
      index,
      totalBytes,
      proof: proofFromLevels(levels, index),
      signature,
      chunk,
    }),
  );
}
