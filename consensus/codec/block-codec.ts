// Block header and block encodings. The block hash is the domain hash of the encoded header; the body is
// bound to it by transactionsRoot and evidenceRoot (see merkle.ts), and parentNotarization by the parent hash
// it certifies.

import { ByteReader } from "./byte-reader.ts";
import { ByteWriter } from "./byte-writer.ts";
import { type DecodeResult, decodeWith } from "./codec-error.ts";
import { readCertificate, writeCertificate } from "./certificate-codec.ts";
import { EVIDENCE_BYTES, readEvidence, writeEvidence } from "./evidence-codec.ts";
import { domainHash } from "../crypto/hash.ts";
import { readBlockLane, writeBlockLane, type BlockLane } from "../lane/lane-section.ts";
import { LIMITS, type Block, type BlockHeader, type Hash } from "../types.ts";

/** Precedes the optional lane section at the end of a block; blocks without it end after the notarization. */
const LANE_SECTION_MARKER = 1;

export const HEADER_BYTES = 8 + 8 + 8 + 32 + 8 + 32 + 32 * 4;

export function writeHeader(w: ByteWriter, h: BlockHeader): void {
  w.u64n(h.chainId)
    .u64(h.height)
    .u64(h.view)
    .fixed(h.parentHash, 32)
    .u64(h.timestampMs)
    .fixed(h.proposer, 32)
    .fixed(h.stateRoot, 32)
    .fixed(h.transactionsRoot, 32)
    .fixed(h.evidenceRoot, 32)
    .fixed(h.laneRoot, 32);
}

export function readHeader(r: ByteReader): BlockHeader {
  return {
    chainId: r.u64n("chain id"),
    height: r.u64("height"),
    view: r.u64("view"),
    parentHash: r.fixed(32, "parent hash"),
    timestampMs: r.u64("timestamp"),
    proposer: r.fixed(32, "proposer"),
    stateRoot: r.fixed(32, "state root"),
    transactionsRoot: r.fixed(32, "transactions root"),
    evidenceRoot: r.fixed(32, "evidence root"),
    laneRoot: r.fixed(32, "lane root"),
  };
}

export function encodeHeader(h: BlockHeader): Uint8Array {
  const w = new ByteWriter(HEADER_BYTES);
  writeHeader(w, h);
  return w.finish();
}

export function decodeHeader(bytes: Uint8Array): DecodeResult<BlockHeader> {
  return decodeWith(() => {
    const r = new ByteReader(bytes);
    const h = readHeader(r);
    r.end("header");
    return h;
  });
}

export function blockHash(h: BlockHeader): Hash {
  return domainHash("blockHeader", encodeHeader(h));
}

export function encodeBlock(b: Block): Uint8Array {
  const w = new ByteWriter(HEADER_BYTES + 64 + b.transactions.reduce((n, t) => n + t.length + 4, 0));
  writeHeader(w, b.header);
  w.list(b.transactions, (ww, tx) => ww.bytes(tx));
  w.list(b.evidence, writeEvidence);
  w.bool(b.parentNotarization !== null);
  if (b.parentNotarization) writeCertificate(w, b.parentNotarization);
  if (b.lane !== undefined) writeBlockLane(w.u8(LANE_SECTION_MARKER), b.lane);
  return w.finish();
}

export function decodeBlock(bytes: Uint8Array): DecodeResult<Block> {
  return decodeWith(() => {
    const r = new ByteReader(bytes);
    const header = readHeader(r);
    const transactions = r.list(
      LIMITS.maxTransactionsPerBlock,
      4,
      (rr) => rr.bytes(LIMITS.maxTransactionBytes, "transaction"),
      "transactions",
    );
    const evidence = r.list(LIMITS.maxEvidencePerBlock, EVIDENCE_BYTES, readEvidence, "evidence");
    const parentNotarization = r.bool("has parent notarization") ? readCertificate(r) : null;
    let lane: BlockLane | undefined;
    if (r.remaining > 0) {
      r.tag([LANE_SECTION_MARKER], "lane section marker");
      lane = readBlockLane(r);
    }
    r.end("block");
    return lane === undefined ? { header, transactions, evidence, parentNotarization } : { header, transactions, evidence, parentNotarization, lane };
  });
}
