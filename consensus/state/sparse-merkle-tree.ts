// A persistent (immutable, structurally shared) sparse Merkle tree over 256-bit paths, the commitment behind
// the state root. Paths are sha256(key). A subtree holding one leaf is that leaf (Diem-style compaction), so
// depth is about log2(entries); an empty subtree hashes to zero. Updates are applied in sorted batches: each
// touched node is rebuilt and rehashed once per batch, untouched subtrees are shared with the previous version.
//   leaf   = sha256(tag("state-leaf") || path || sha256(value))
//   branch = sha256(tag("state-node") || left || right)       (an empty child is 32 zero bytes)

import { assert } from "../errors.ts";
import { domainTag } from "../crypto/domains.ts";
import { ZERO_HASH, bytesEqual, compareBytes, sha256 } from "../crypto/hash.ts";
import { sha256Parts } from "../crypto/sha256-fast.ts";
import type { Hash } from "../types.ts";

export interface SmtLeaf {
  readonly leaf: true;
  readonly path: Hash;
  readonly key: Uint8Array;
  readonly value: Uint8Array;
  readonly valueHash: Hash;
  readonly hash: Hash;
}

export interface SmtBranch {
  readonly leaf: false;
  readonly left: SmtNode | null;
  readonly right: SmtNode | null;
  readonly hash: Hash;
}

export type SmtNode = SmtLeaf | SmtBranch;

/** One change: a value to put, or null to delete. `path` is sha256(key). */
export interface SmtUpdate {
  path: Hash;
  key: Uint8Array;
  value: Uint8Array | null;
}

export const SMT_DEPTH_MAX = 256;

export function pathOf(key: Uint8Array): Hash {
  return sha256(key);
}

export function bitAt(path: Uint8Array, depth: number): number {
  return (path[depth >> 3]! >> (7 - (depth & 7))) & 1;
}

const LEAF_TAG = domainTag("stateLeaf");
const NODE_TAG = domainTag("stateNode");

export function leafHash(path: Hash, valueHash: Hash): Hash {
  return sha256Parts([LEAF_TAG, path, valueHash]);
}

export function branchHash(left: Hash, right: Hash): Hash {
  return sha256Parts([NODE_TAG, left, right]);
}

export function nodeHash(node: SmtNode | null): Hash {
  return node === null ? ZERO_HASH : node.hash;
}

function makeLeaf(path: Hash, key: Uint8Array, value: Uint8Array): SmtLeaf {
  const valueHash = sha256(value);
  return { leaf: true, path, key, value, valueHash, hash: leafHash(path, valueHash) };
}

/** A branch, compacted: a lone leaf moves up, an empty pair vanishes. */
function makeBranch(left: SmtNode | null, right: SmtNode | null): SmtNode | null {
  if (left === null && right === null) return null;
  if (left === null && right!.leaf) return right;
  if (right === null && left!.leaf) return left;
  return { leaf: false, left, right, hash: branchHash(nodeHash(left), nodeHash(right)) };
}

export function smtGet(root: SmtNode | null, path: Hash): SmtLeaf | undefined {
  let node = root;
  let depth = 0;
  while (node !== null && !node.leaf) {
    node = bitAt(path, depth) === 0 ? node.left : node.right;
    depth++;
  }
  return node !== null && bytesEqual(node.path, path) ? node : undefined;
}

/** First index in [lo, hi) whose path has bit 1 at `depth` (paths are sorted, so 0s come first). */
function splitIndex(ups: readonly SmtUpdate[], lo: number, hi: number, depth: number): number {
  let a = lo;
  let b = hi;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (bitAt(ups[mid]!.path, depth) === 0) a = mid + 1;
    else b = mid;
  }
  return a;
}

/** Builds a subtree at `depth` from sorted puts only (deletes already dropped). */
function buildFrom(leaves: readonly SmtLeaf[], lo: number, hi: number, depth: number): SmtNode | null {
  if (hi - lo === 0) return null;
  if (hi - lo === 1) return leaves[lo]!;
  assert(depth < SMT_DEPTH_MAX, "two distinct state keys share a 256-bit path");
  let mid = lo;
  while (mid < hi && bitAt(leaves[mid]!.path, depth) === 0) mid++;
  return makeBranch(buildFrom(leaves, lo, mid, depth + 1), buildFrom(leaves, mid, hi, depth + 1));
}

/** Merges an existing leaf with the updates that land in its subtree, then builds the compact subtree. */
function mergeIntoLeaf(existing: SmtLeaf, ups: readonly SmtUpdate[], lo: number, hi: number, depth: number): SmtNode | null {
  const leaves: SmtLeaf[] = [];
  let placed = false;
  for (let i = lo; i < hi; i++) {
    const u = ups[i]!;
    const cmp = compareBytes(existing.path, u.path);
    if (!placed && cmp < 0) {
      leaves.push(existing);
      placed = true;
    }
    if (cmp === 0) placed = true; // the update replaces or deletes the existing leaf
    if (u.value !== null) leaves.push(makeLeaf(u.path, u.key, u.value));
  }
  if (!placed) leaves.push(existing);
  return buildFrom(leaves, 0, leaves.length, depth);
}

function updateNode(node: SmtNode | null, ups: readonly SmtUpdate[], lo: number, hi: number, depth: number): SmtNode | null {
  if (lo === hi) return node;
  if (node === null) {
    const leaves: SmtLeaf[] = [];
    for (let i = lo; i < hi; i++) {
      const u = ups[i]!;
      if (u.value !== null) leaves.push(makeLeaf(u.path, u.key, u.value));
    }
    return buildFrom(leaves, 0, leaves.length, depth);
  }
  if (node.leaf) return mergeIntoLeaf(node, ups, lo, hi, depth);
  const mid = splitIndex(ups, lo, hi, depth);
  const left = updateNode(node.left, ups, lo, mid, depth + 1);
  const right = updateNode(node.right, ups, mid, hi, depth + 1);
  if (left === node.left && right === node.right) return node;
  return makeBranch(left, right);
}

/** Applies updates (any order, at most one per path) and returns the new root; `root` is left untouched. */
export function smtUpdate(root: SmtNode | null, updates: readonly SmtUpdate[]): SmtNode | null {
  const sorted = [...updates].sort((a, b) => compareBytes(a.path, b.path));
  for (let i = 1; i < sorted.length; i++) {
    assert(!bytesEqual(sorted[i - 1]!.path, sorted[i]!.path), "one batch updates a state key twice");
  }
  return updateNode(root, sorted, 0, sorted.length, 0);
}

/** Every leaf in path order. */
export function* smtLeaves(root: SmtNode | null): Generator<SmtLeaf> {
  if (root === null) return;
  const stack: SmtNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.leaf) {
      yield node;
      continue;
    }
    if (node.right) stack.push(node.right);
    if (node.left) stack.push(node.left);
  }
}

/** Sibling hashes from the root down to where `path`'s search ends, and the node found there. */
export function smtPath(root: SmtNode | null, path: Hash): { siblings: Hash[]; terminal: SmtLeaf | null } {
  const siblings: Hash[] = [];
  let node = root;
  let depth = 0;
  while (node !== null && !node.leaf) {
    const goRight = bitAt(path, depth) === 1;
    siblings.push(nodeHash(goRight ? node.left : node.right));
    node = goRight ? node.right : node.left;
    depth++;
  }
  return { siblings, terminal: node };
}
