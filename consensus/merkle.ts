// Binary Merkle tree over a list of byte strings (transactions, evidence, shreds). Leaves and inner nodes are
// domain-separated so a leaf can never pose as a node; an odd node is promoted unchanged (no duplication, so
// no second-preimage trick with a repeated last leaf). The empty list has the zero hash as its root.

import { domainHash, ZERO_HASH } from "./crypto/hash.ts";
import type { Hash } from "./types.ts";

export function merkleLeaf(data: Uint8Array): Hash {
  return domainHash("merkleLeaf", data);
}

function node(left: Hash, right: Hash): Hash {
  const buf = new Uint8Array(64);
  buf.set(left);
  buf.set(right, 32);
  return domainHash("merkleNode", buf);
}

export function merkleRootOfLeaves(leaves: readonly Hash[]): Hash {
  if (leaves.length === 0) return ZERO_HASH;
  let level = leaves.slice();
  while (level.length > 1) {
    const next: Hash[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(i + 1 < level.length ? node(level[i]!, level[i + 1]!) : level[i]!);
    }
    level = next;
  }
  return level[0]!;
}

export function merkleRoot(items: readonly Uint8Array[]): Hash {
  return merkleRootOfLeaves(items.map(merkleLeaf));
}

/** Sibling path for leaf `index`; `null` entries mark levels where the node was promoted without a sibling. */
export function merkleProof(leaves: readonly Hash[], index: number): (Hash | null)[] {
  if (index < 0 || index >= leaves.length) throw new RangeError(`leaf ${index} out of ${leaves.length}`);
  const path: (Hash | null)[] = [];
  let level = leaves.slice();
  let i = index;
  while (level.length > 1) {
    const sibling = i % 2 === 0 ? i + 1 : i - 1;
    path.push(sibling < level.length ? level[sibling]! : null);
    const next: Hash[] = [];
    for (let j = 0; j < level.length; j += 2) {
      next.push(j + 1 < level.length ? node(level[j]!, level[j + 1]!) : level[j]!);
    }
    level = next;
    i = i >> 1;
  }
  return path;
}

export function verifyMerkleProof(root: Hash, leaf: Hash, index: number, path: readonly (Hash | null)[]): boolean {
  let acc = leaf;
  let i = index;
  for (const sibling of path) {
    if (sibling !== null) acc = i % 2 === 0 ? node(acc, sibling) : node(sibling, acc);
    i = i >> 1;
  }
  if (acc.length !== root.length) return false;
  for (let k = 0; k < acc.length; k++) if (acc[k] !== root[k]) return false;
  return true;
}
