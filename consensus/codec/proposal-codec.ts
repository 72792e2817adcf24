// Wire encoding of a Simplex proposal (consensus/simplex/types.ts): view, parentView, the block as a
// length-prefixed encodeBlock body, the leader's notarize vote, then the justifying certificates.
// Canonical (one encoding per value) and shape-only: whether the vote, block and certificates agree and verify
// is the state machine's job, not this decoder's. Pure; no I/O.

import { ByteReader } from "./byte-reader.ts";
import { ByteWriter } from "./byte-writer.ts";
import { decodeBlock, encodeBlock } from "./block-codec.ts";
import { readCertificate, writeCertificate } from "./certificate-codec.ts";
import { CodecError, type DecodeResult, decodeWith } from "./codec-error.ts";
import { readVote, VOTE_BODY_BYTES, VOTE_BYTES, writeVote } from "./vote-codec.ts";
import { LIMITS } from "../types.ts";
import type { Proposal } from "../simplex/types.ts";

/** Certificates a proposal may carry (the nullifications since its parent); SIMPLEX_DEFAULTS.viewsKeptMax. */
export const PROPOSAL_CERTIFICATES_MAX = 4096;
/** A certificate is at least a vote body and an empty signer count. */
const CERTIFICATE_MIN_BYTES = VOTE_BODY_BYTES + 4;

export function writeProposal(w: ByteWriter, p: Proposal): void {
  const block = encodeBlock(p.block);
  if (block.length > LIMITS.maxBlockBytes) {
    throw new RangeError(`proposal block of ${block.length} bytes exceeds ${LIMITS.maxBlockBytes}`);
  }
  if (p.certificates.length > PROPOSAL_CERTIFICATES_MAX) {
    throw new RangeError(`proposal carries ${p.certificates.length} certificates, limit ${PROPOSAL_CERTIFICATES_MAX}`);
  }
  w.u64(p.view).u64(p.parentView).bytes(block);
  writeVote(w, p.vote);
  w.list(p.certificates, writeCertificate);
}

export function readProposal(r: ByteReader): Proposal {
  const view = r.u64("view");
  const parentView = r.u64("parent view");
  const blockAt = r.position + 4;
  const blockBytes = r.bytes(LIMITS.maxBlockBytes, "block");
  const block = decodeBlock(blockBytes);
  if (!block.ok) throw new CodecError(block.code, blockAt + block.offset, `proposal block: ${block.detail}`);
  const vote = readVote(r);
  const certificates = r.list(PROPOSAL_CERTIFICATES_MAX, CERTIFICATE_MIN_BYTES, readCertificate, "proposal certificates");
  return { view, parentView, block: block.value, vote, certificates };
}

export function encodeProposal(p: Proposal): Uint8Array {
  const certBytes = p.certificates.reduce((n, c) => n + CERTIFICATE_MIN_BYTES + c.signers.length * 68, 0);
  const txBytes = p.block.transactions.reduce((n, t) => n + 4 + t.length, 0);
  const w = new ByteWriter(16 + 4 + 1024 + txBytes + VOTE_BYTES + 4 + certBytes);
  writeProposal(w, p);
  return w.finish();
}

export function decodeProposal(bytes: Uint8Array): DecodeResult<Proposal> {
  return decodeWith(() => {
    const r = new ByteReader(bytes);
    const p = readProposal(r);
    r.end("proposal");
    return p;
  });
}
