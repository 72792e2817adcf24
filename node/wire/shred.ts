// The shred: one MTU-sized piece of a message too large for one datagram (a proposal, a big certificate).
// Layout after the frame header (frame-header.ts), all big-endian:
//   view u64 | leader index u32 | root 32 | fec set u16 | data count u16 | parity count u16 | shred index u16 |
//   total bytes u32 | proof count u8 | proof (count x 32) | signature 64 | chunk (the rest of the datagram).
// `root` is the Merkle root (consensus/merkle.ts) over the message's data chunks; the leader signs it once, under
// domain "shredRoot", with the message size and chunk count. Chunks are a balanced split of the message (sizes
// differ by at most one byte), so (total, count, index) fix every chunk's span and the proof's shape: the proof
// lists only the levels that have a sibling. FEC fields are kept for erasure coding: only set 0, parity 0 today.
// This file is the format and its checks; shredder.ts cuts messages, reassembler.ts puts them back together.

import { ByteReader } from "../../consensus/codec/byte-reader.ts";
import { ByteWriter } from "../../consensus/codec/byte-writer.ts";
import { CodecError, type DecodeResult, decodeWith } from "../../consensus/codec/codec-error.ts";
import { withDomain } from "../../consensus/crypto/domains.ts";
import { ED25519_SIGNATURE_BYTES } from "../../consensus/crypto/ed25519.ts";
import type { Hash, Signature } from "../../consensus/types.ts";
import { FRAME_HEADER_BYTES, FrameType, WIRE_VERSION, writeFrameHeader } from "./frame-header.ts";
import type { WireDropCode } from "./wire-errors.ts";

export interface Shred {
  chainId: bigint;
  view: number;
  /** Validator index (in the epoch of `view`) of the signer: the leader for proposals, any sender otherwise. */
  leaderIndex: number;
  root: Hash;
  fecSetIndex: number;
  dataCount: number;
  parityCount: number;
  index: number;
  totalBytes: number;
  /** Siblings from the leaf up, levels without a sibling left out. */
  proof: Hash[];
  signature: Signature;
  chunk: Uint8Array;
}

/** 65535 data chunks have a depth of 16. */
export const SHRED_PROOF_DEPTH_MAX = 16;
export const SHRED_DATA_COUNT_MAX = 0xffff;
/** Largest message that may be shredded: a maximal block plus room for its justifying certificates. */
export const SHRED_MESSAGE_BYTES_MAX = 48 * 1024 * 1024;
/** Frame header, fixed fields and signature: everything but the proof hashes and the chunk. */
export const SHRED_FIXED_BYTES = FRAME_HEADER_BYTES + 8 + 4 + 32 + 2 + 2 + 2 + 2 + 4 + 1 + ED25519_SIGNATURE_BYTES;

export function shredHeaderBytes(proofLength: number): number {
  return SHRED_FIXED_BYTES + 32 * proofLength;
}

/** The bytes the leader signs: tag("shredRoot") || chain id || view || leader index || root || total || count. */
export function shredSigningBytes(
  chainId: bigint,
  view: number,
  leaderIndex: number,
  root: Hash,
  totalBytes: number,
  dataCount: number,
): Uint8Array {
  const w = new ByteWriter(8 + 8 + 4 + 32 + 4 + 2);
  w.u64n(chainId).u64(view).u32(leaderIndex).fixed(root, 32).u32(totalBytes).u16(dataCount);
  return withDomain("shredRoot", w.finish());
}

/** Chunk `index` of a balanced split of `totalBytes` into `dataCount` chunks: the first (total mod count) get one more. */
export function chunkSpan(totalBytes: number, dataCount: number, index: number): { offset: number; length: number } {
  const base = Math.floor(totalBytes / dataCount);
  const longer = totalBytes % dataCount;
  return { offset: index * base + Math.min(index, longer), length: base + (index < longer ? 1 : 0) };
}

/** For each tree level from the leaves up: does leaf `index`'s path have a sibling there (merkle.ts promotes odd nodes)? */
export function proofShape(dataCount: number, index: number): boolean[] {
  const shape: boolean[] = [];
  for (let width = dataCount, i = index; width > 1; width = Math.ceil(width / 2), i >>= 1) {
    shape.push((i ^ 1) < width);
  }
  return shape;
}

/** The proof in verifyMerkleProof's form: null where a level has no sibling. Assumes a checked shape. */
export function fullProofPath(shred: Shred): (Hash | null)[] {
  let k = 0;
  return proofShape(shred.dataCount, shred.index).map((has) => (has ? shred.proof[k++]! : null));
}

export function encodeShred(s: Shred): Uint8Array {
  const w = new ByteWriter(shredHeaderBytes(s.proof.length) + s.chunk.length);
  writeFrameHeader(w, FrameType.shred, s.chainId);
  w.u64(s.view).u32(s.leaderIndex).fixed(s.root, 32);
  w.u16(s.fecSetIndex).u16(s.dataCount).u16(s.parityCount).u16(s.index).u32(s.totalBytes);
  if (s.proof.length > SHRED_PROOF_DEPTH_MAX) throw new RangeError(`shred proof of ${s.proof.length} levels`);
  w.u8(s.proof.length);
  for (const h of s.proof) w.fixed(h, 32);
  w.fixed(s.signature, ED25519_SIGNATURE_BYTES);
  // The chunk is the rest of the datagram: no length prefix (its length follows from total, count and index).
  const out = w.finish();
  const frame = new Uint8Array(out.length + s.chunk.length);
  frame.set(out);
  frame.set(s.chunk, out.length);
  return frame;
}

/** Parses a shred datagram (copying what it keeps: received payloads are borrowed). Shape is checkShredShape's job. */
export function decodeShred(payload: Uint8Array): DecodeResult<Shred> {
  return decodeWith(() => {
    const r = new ByteReader(payload);
    r.tag([FrameType.shred], "frame type");
    const at = r.position;
    if (r.u8("version") !== WIRE_VERSION) throw new CodecError("CODEC_ERROR_BAD_VALUE", at, "shred version");
    const chainId = r.u64n("chain id");
    const view = r.u64("view");
    const leaderIndex = r.u32("leader index");
    const root = r.fixed(32, "root");
    const fecSetIndex = r.u16("fec set index");
    const dataCount = r.u16("data count");
    const parityCount = r.u16("parity count");
    const index = r.u16("shred index");
    const totalBytes = r.u32("total bytes");
    const depthAt = r.position;
    const depth = r.u8("proof count");
    if (depth > SHRED_PROOF_DEPTH_MAX) throw new CodecError("CODEC_ERROR_LENGTH_LIMIT", depthAt, `proof of ${depth} levels`);
    const proof: Hash[] = [];
    for (let i = 0; i < depth; i++) proof.push(r.fixed(32, "proof hash"));
    const signature = r.fixed(ED25519_SIGNATURE_BYTES, "signature");
    const chunk = r.fixed(r.remaining, "chunk");
    return { chainId, view, leaderIndex, root, fecSetIndex, dataCount, parityCount, index, totalBytes, proof, signature, chunk };
  });
}

/** The checks that need no state: FEC fields we can use, and a chunk span and proof shape that match the header. */
export function checkShredShape(s: Shred): WireDropCode | null {
  if (s.fecSetIndex !== 0 || s.parityCount !== 0) return "WIRE_IGNORE_UNSUPPORTED_FEC";
  if (s.dataCount < 1 || s.index >= s.dataCount || s.totalBytes < s.dataCount) return "WIRE_REJECT_MALFORMED";
  if (s.totalBytes > SHRED_MESSAGE_BYTES_MAX) return "WIRE_REJECT_TOO_LARGE";
  const expected = chunkSpan(s.totalBytes, s.dataCount, s.index).length;
  if (s.chunk.length < expected) return "WIRE_REJECT_TRUNCATED";
  if (s.chunk.length > expected) return "WIRE_REJECT_MALFORMED";
  const siblings = proofShape(s.dataCount, s.index).filter((has) => has).length;
  if (s.proof.length !== siblings) return "WIRE_REJECT_MALFORMED";
  return null;
}
