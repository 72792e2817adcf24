// Typed records of the consensus write-ahead log and their canonical encoding (one frame body each).
// Every record carries a view, so the log can be cut below a finalized view. Tags are append-only:
// a retired tag number is never reused, or an old log would replay as something else.

import { ByteReader } from "../../consensus/codec/byte-reader.ts";
import { ByteWriter } from "../../consensus/codec/byte-writer.ts";
import { type DecodeResult, decodeWith } from "../../consensus/codec/codec-error.ts";
import { readCertificate, writeCertificate } from "../../consensus/codec/certificate-codec.ts";
import { HEADER_BYTES, readHeader, writeHeader } from "../../consensus/codec/block-codec.ts";
import { VOTE_BYTES, readVote, writeVote } from "../../consensus/codec/vote-codec.ts";
import type { BlockHeader, Certificate, Vote } from "../../consensus/types.ts";

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

export type WalRecord =
  /** The node entered a view (after a notarization or nullification of the previous one, or at start). */
  | { type: "viewEntered"; view: number }
  /** A vote this node signed; written with fdatasync before the vote leaves the process. */
  | { type: "ownVote"; vote: Vote }
  /** A proposal's header the node accepted as valid for its view (the block itself goes to the BlockStore). */
  | { type: "proposalSeen"; header: BlockHeader }
  /** A notarization, nullification or finalization certificate the node assembled or received. */
  | { type: "certificateSeen"; certificate: Certificate }
  /** The view timer fired (the node will nullify the view). */
  | { type: "timeoutFired"; view: number };

/** Largest encoded record: a certificate with the maximum signer count, plus the tag. */
export const WAL_RECORD_BYTES_MAX = 1 + 41 + 4 + 1024 * 68;

export function walRecordView(r: WalRecord): number {
  switch (r.type) {
    case "viewEntered":
    case "timeoutFired":
      return r.view;
    case "ownVote":
      return r.vote.view;
    case "proposalSeen":
      return r.header.view;
    case "certificateSeen":
      return r.certificate.view;
  }
}

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
