// Proofs against the state root (see sparse-merkle-tree.ts). A proof lists the sibling hashes from the root down
// to where the key's path ends. For an absent key it may also name the other leaf found there (path and value
// hash), which must share the walked prefix. Verification is pure: a light client needs only a finalized header.

import { ByteReader } from "../codec/byte-reader.ts";
import { ByteWriter } from "../codec/byte-writer.ts";
import { CodecError, type DecodeResult, decodeWith } from "../codec/codec-error.ts";
import { ZERO_HASH, bytesEqual, sha256 } from "../crypto/hash.ts";
import type { Hash } from "../types.ts";
import { SMT_DEPTH_MAX, bitAt, branchHash, leafHash, pathOf, smtPath, type SmtNode } from "./sparse-merkle-tree.ts";

export interface StateProof {
  /** Root-first sibling hashes along the key's path. */
  siblings: Hash[];
  /** For an absent key: the different leaf where the path ends, or null when it ends in an empty subtree. */
  otherLeaf: { path: Hash; valueHash: Hash } | null;
}

export function proveKey(root: SmtNode | null, key: Uint8Array): StateProof {
  const path = pathOf(key);
  const { siblings, terminal } = smtPath(root, path);
  const other = terminal !== null && !bytesEqual(terminal.path, path);
  return { siblings, otherLeaf: other ? { path: terminal.path, valueHash: terminal.valueHash } : null };
}

function sharesPrefix(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  for (let i = 0; i < bits; i++) if (bitAt(a, i) !== bitAt(b, i)) return false;
  return true;
}

/** True when `value` (null: absent) is what `key` holds under `stateRoot`. */
export function verifyStateProof(stateRoot: Hash, key: Uint8Array, value: Uint8Array | null, proof: StateProof): boolean {
  const depth = proof.siblings.length;
  if (depth > SMT_DEPTH_MAX) return false;
  const path = pathOf(key);
  let acc: Hash;
  if (value !== null) {
    if (proof.otherLeaf !== null) return false;
    acc = leafHash(path, sha256(value));
  } else if (proof.otherLeaf === null) {
    acc = ZERO_HASH;
  } else {
    const other = proof.otherLeaf;
    if (bytesEqual(other.path, path) || !sharesPrefix(other.path, path, depth)) return false;
    acc = leafHash(other.path, other.valueHash);
  }
  for (let d = depth - 1; d >= 0; d--) {
    const sibling = proof.siblings[d]!;
    acc = bitAt(path, d) === 0 ? branchHash(acc, sibling) : branchHash(sibling, acc);
  }
  return bytesEqual(acc, stateRoot);
}

export function encodeStateProof(proof: StateProof): Uint8Array {
  const w = new ByteWriter(4 + 32 * proof.siblings.length + 65);
  w.u16(proof.siblings.length);
  for (const s of proof.siblings) w.fixed(s, 32);
  w.bool(proof.otherLeaf !== null);
  if (proof.otherLeaf) w.fixed(proof.otherLeaf.path, 32).fixed(proof.otherLeaf.valueHash, 32);
  return w.finish();
}

export function decodeStateProof(bytes: Uint8Array): DecodeResult<StateProof> {
  return decodeWith(() => {
    const r = new ByteReader(bytes);
    const count = r.u16("sibling count");
    if (count > SMT_DEPTH_MAX) throw new CodecError("CODEC_ERROR_LENGTH_LIMIT", 0, `${count} siblings exceed depth ${SMT_DEPTH_MAX}`);
    const siblings: Hash[] = [];
    for (let i = 0; i < count; i++) siblings.push(r.fixed(32, "sibling"));
    const otherLeaf = r.bool("has other leaf") ? { path: r.fixed(32, "leaf path"), valueHash: r.fixed(32, "value hash") } : null;
    r.end("state proof");
    return { siblings, otherLeaf };
  });
}
