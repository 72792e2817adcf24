// Typed records of the consensus write-ahead log and their canonical encoding (one frame body each).
// Every record carries a view, so the log can be cut below a finalized view. Tags are append-only:
// a retired tag number is never reused, or an old log would replay as something else.

import { ByteReader } from "../../consensus/codec/byte-reader.ts";
import { ByteWriter } from "../../consensus/codec/byte-writer.ts";
import { type DecodeResult, decodeWith } from "../../consensus/codec/codec-error.ts";
import { readCertificate, writeCertificate } from "../../consensus/codec/certificate-codec.ts";
import { HEADER_BYTES, readHeader, writeHeader } from "../../consensus/codec/block-codec.ts";
import { VOTE_BYTES, readVote, writeVote } from "../../consensus/codec/vote-codec.ts";

/** Record tags on disk. Never renumber; retire a tag by commenting it out and leaving the number unused. */
export const WalRecordTag = {
  ViewEntered: 1,
  OwnVote: 2,
  ProposalSeen: 3,
  CertificateSeen: 4,
  TimeoutFired: 5,
} as const;
export type WalRecordTag = (typeof WalRecordTag)[keyof typeof WalRecordTag];
const TAGS: readonly WalRecordTag[] = Object.values(WalRecordTag);

/** The records the state machine emits (consensus/simplex owns their shapes; this file owns their bytes). */
import type { WalRecord } from "../../consensus/simplex/types.ts";
export type { WalRecord };
export { walRecordView } from "../../consensus/simplex/wal-record-view.ts";

/** Largest encoded record: a certificate with the maximum signer count, plus the tag. */
export const WAL_RECORD_BYTES_MAX = 1 + 41 + 4 + 1024 * 68;

export function encodeWalRecord(r: WalRecord): Uint8Array {
  const w = new ByteWriter(r.type === "certificateSeen" ? 64 + r.certificate.signers.length * 68 : 1 + HEADER_BYTES);
  switch (r.type) {
    case "viewEntered":
      w.u8(WalRecordTag.ViewEntered).u64(r.view);
      break;
    case "ownVote":
      w.u8(WalRecordTag.OwnVote);
      writeVote(w, r.vote);
      break;
    case "proposalSeen":
      w.u8(WalRecordTag.ProposalSeen);
      writeHeader(w, r.header);
      break;
    case "certificateSeen":
      w.u8(WalRecordTag.CertificateSeen);
      writeCertificate(w, r.certificate);
      break;
    case "timeoutFired":
      w.u8(WalRecordTag.TimeoutFired).u64(r.view);
      break;
  }
  return w.finish();
}

export function decodeWalRecord(bytes: Uint8Array): DecodeResult<WalRecord> {
  return decodeWith(() => {
    const r = new ByteReader(bytes);
    const record = readRecord(r);
    r.end("WAL record");
    return record;
  });
}

function readRecord(r: ByteReader): WalRecord {
  const tag = r.tag(TAGS, "WAL record tag");
  switch (tag) {
    case WalRecordTag.ViewEntered:
      return { type: "viewEntered", view: r.u64("view") };
    case WalRecordTag.OwnVote:
      return { type: "ownVote", vote: readVote(r) };
    case WalRecordTag.ProposalSeen:
      return { type: "proposalSeen", header: readHeader(r) };
    case WalRecordTag.CertificateSeen:
      return { type: "certificateSeen", certificate: readCertificate(r) };
    case WalRecordTag.TimeoutFired:
      return { type: "timeoutFired", view: r.u64("view") };
  }
}

/** Size of an encoded own-vote record, for callers that budget frames. */
export const WAL_OWN_VOTE_RECORD_BYTES = 1 + VOTE_BYTES;
