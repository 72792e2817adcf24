// A validator's signed batch of order receipts for one Δ: which order ids it received, its receive stamp (local
// clock, µs) and local sequence number. Batches are what fair-order.ts turns into assigned times; a block carries
// them as lane evidence. Codec, signing (domain laneReceipts) and structural validation; no clock is read here.
//
// Layout (big-endian): u8 version (=1) | u64 chain id | u64 epoch | u32 validator index | u64 batch sequence |
// u64 watermark µs | u16 count | count x (32 order id | u64 stamp µs | u32 local sequence) | 64 signature.
// Signed bytes: tag("laneReceipts") || everything before the signature.

import { ByteReader } from "../codec/byte-reader.ts";
import { ByteWriter } from "../codec/byte-writer.ts";
import { CodecError, type DecodeResult, decodeWith } from "../codec/codec-error.ts";
import { withDomain } from "../crypto/domains.ts";
import { signEd25519, type Ed25519Verify } from "../crypto/ed25519.ts";
import { toHex } from "../crypto/hash.ts";
import type { Verdict } from "../errors.ts";
import { ACCEPT } from "../errors.ts";
import type { Hash, Signature } from "../types.ts";
import type { ValidatorSet } from "../validator-set.ts";

export const RECEIPT_BATCH_VERSION = 1;
/** Receipts one batch may carry; a node with more in one Δ sends several batches (consecutive sequences). */
export const RECEIPTS_PER_BATCH_MAX = 1024;
export const RECEIPT_BYTES = 32 + 8 + 4;
export const RECEIPT_BATCH_HEADER_BYTES = 1 + 8 + 8 + 4 + 8 + 8 + 2;
export const RECEIPT_BATCH_BYTES_MAX = RECEIPT_BATCH_HEADER_BYTES + RECEIPTS_PER_BATCH_MAX * RECEIPT_BYTES + 64;

export interface Receipt {
  orderId: Hash;
  /** Receive time on the validator's clock, µs since the Unix epoch (a safe integer). */
  stampUs: number;
  /** The validator's ingest sequence number (u32): strictly increasing within a batch (a wrap starts a new batch). */
  localSeq: number;
}

export interface ReceiptBatchBody {
  version: number;
  chainId: bigint;
  epoch: number;
  validator: number;
  /** Per validator and epoch, 0, 1, 2, ...: a batch is named by (validator, batchSeq). */
  batchSeq: number;
  /**
   * The signer attests it has reported every order it stamped before this time, in this batch or earlier ones.
   * Every stamp in the batch is below it. fair-order.ts bounds a block's cut-off by a quorum's watermarks.
   */
  watermarkUs: number;
  receipts: Receipt[];
}

export interface ReceiptBatch extends ReceiptBatchBody {
  signature: Signature;
}

function writeBody(w: ByteWriter, b: ReceiptBatchBody): void {
  if (b.receipts.length > RECEIPTS_PER_BATCH_MAX) throw new RangeError(`${b.receipts.length} receipts in one batch`);
  w.u8(b.version).u64n(b.chainId).u64(b.epoch).u32(b.validator).u64(b.batchSeq).u64(b.watermarkUs);
  w.u16(b.receipts.length);
  for (const r of b.receipts) w.fixed(r.orderId, 32).u64(r.stampUs).u32(r.localSeq);
}

export function receiptBatchSigningBytes(body: ReceiptBatchBody): Uint8Array {
  const w = new ByteWriter(RECEIPT_BATCH_HEADER_BYTES + body.receipts.length * RECEIPT_BYTES);
  writeBody(w, body);
  return withDomain("laneReceipts", w.finish());
}

export function encodeReceiptBatch(batch: ReceiptBatch): Uint8Array {
  const w = new ByteWriter(RECEIPT_BATCH_HEADER_BYTES + batch.receipts.length * RECEIPT_BYTES + 64);
  writeBody(w, batch);
  w.fixed(batch.signature, 64);
  return w.finish();
}

export function readReceiptBatch(r: ByteReader): ReceiptBatch {
  const version = r.u8("version");
  if (version !== RECEIPT_BATCH_VERSION) throw new CodecError("CODEC_ERROR_BAD_VALUE", 0, `receipt batch version ${version}`);
  const chainId = r.u64n("chain id");
  const epoch = r.u64("epoch");
  const validator = r.u32("validator index");
  const batchSeq = r.u64("batch sequence");
  const watermarkUs = r.u64("watermark");
  const countAt = r.position;
  const count = r.u16("receipt count");
  if (count > RECEIPTS_PER_BATCH_MAX) throw new CodecError("CODEC_ERROR_LENGTH_LIMIT", countAt, `${count} receipts`);
  if (count * RECEIPT_BYTES + 64 > r.remaining) {
    throw new CodecError("CODEC_ERROR_TRUNCATED", countAt, `${count} receipts cannot fit in ${r.remaining} bytes`);
  }
  const receipts: Receipt[] = [];
  for (let i = 0; i < count; i++) {
    receipts.push({ orderId: r.fixed(32, "order id"), stampUs: r.u64("stamp"), localSeq: r.u32("local sequence") });
  }
  const signature = r.fixed(64, "signature");
  return { version, chainId, epoch, validator, batchSeq, watermarkUs, receipts, signature };
}

export function decodeReceiptBatch(bytes: Uint8Array): DecodeResult<ReceiptBatch> {
  return decodeWith(() => {
    if (bytes.length > RECEIPT_BATCH_BYTES_MAX) throw new CodecError("CODEC_ERROR_LENGTH_LIMIT", 0, `${bytes.length} bytes`);
    const r = new ByteReader(bytes);
    const batch = readReceiptBatch(r);
    r.end("receipt batch");
    return batch;
  });
}

export function signReceiptBatch(body: ReceiptBatchBody, secretKey: Uint8Array): ReceiptBatch {
  return { ...body, signature: signEd25519(secretKey, receiptBatchSigningBytes(body)) };
}

export type ReceiptBatchErrorCode =
  | "RECEIPTS_ERROR_VERSION"
  | "RECEIPTS_ERROR_WRONG_CHAIN"
  | "RECEIPTS_ERROR_WRONG_EPOCH"
  | "RECEIPTS_ERROR_UNKNOWN_VALIDATOR"
  | "RECEIPTS_ERROR_TOO_MANY"
  | "RECEIPTS_ERROR_SEQUENCE"
  | "RECEIPTS_ERROR_STAMP_ORDER"
  | "RECEIPTS_ERROR_ABOVE_WATERMARK"
  | "RECEIPTS_ERROR_DUPLICATE_ORDER"
  | "RECEIPTS_ERROR_INVALID_SIGNATURE";

function reject(code: ReceiptBatchErrorCode, detail?: string): Verdict<ReceiptBatchErrorCode> {
  return detail === undefined ? { action: "reject", code } : { action: "reject", code, detail };
}

/** Receipts in ingest order: local sequence strictly increasing, stamps never going back, all below the watermark. */
function receiptsProblem(b: ReceiptBatchBody): Verdict<ReceiptBatchErrorCode> {
  const ids = new Set<string>();
  for (let i = 0; i < b.receipts.length; i++) {
    const r = b.receipts[i]!;
    if (i > 0 && r.localSeq <= b.receipts[i - 1]!.localSeq) return reject("RECEIPTS_ERROR_SEQUENCE", `receipt ${i}`);
    if (i > 0 && r.stampUs < b.receipts[i - 1]!.stampUs) return reject("RECEIPTS_ERROR_STAMP_ORDER", `receipt ${i}`);
    if (r.stampUs >= b.watermarkUs) return reject("RECEIPTS_ERROR_ABOVE_WATERMARK", `receipt ${i}`);
    const key = toHex(r.orderId);
    if (ids.has(key)) return reject("RECEIPTS_ERROR_DUPLICATE_ORDER", `receipt ${i}`);
    ids.add(key);
  }
  return ACCEPT;
}

export interface ReceiptBatchContext {
  chainId: bigint;
  epoch: number;
  set: ValidatorSet;
}

/** Everything but the signature: a member of `set`, this chain and epoch, receipts well formed. */
export function validateReceiptBatchShape(batch: ReceiptBatch, ctx: ReceiptBatchContext): Verdict<ReceiptBatchErrorCode> {
  if (batch.version !== RECEIPT_BATCH_VERSION) return reject("RECEIPTS_ERROR_VERSION");
  if (batch.chainId !== ctx.chainId) return reject("RECEIPTS_ERROR_WRONG_CHAIN");
  if (batch.epoch !== ctx.epoch) return { action: "ignore", code: "RECEIPTS_ERROR_WRONG_EPOCH" };
  if (!ctx.set.get(batch.validator)) return reject("RECEIPTS_ERROR_UNKNOWN_VALIDATOR");
  if (batch.receipts.length > RECEIPTS_PER_BATCH_MAX) return reject("RECEIPTS_ERROR_TOO_MANY");
  return receiptsProblem(batch);
}

/** The shape rules, then the signature of the member's validator key. */
export function validateReceiptBatch(
  batch: ReceiptBatch,
  ctx: ReceiptBatchContext & { verify: Ed25519Verify },
): Verdict<ReceiptBatchErrorCode> {
  const shape = validateReceiptBatchShape(batch, ctx);
  if (shape.action !== "accept") return shape;
  const member = ctx.set.get(batch.validator)!;
  if (!ctx.verify(member.publicKey, receiptBatchSigningBytes(batch), batch.signature)) {
    return reject("RECEIPTS_ERROR_INVALID_SIGNATURE");
  }
  return ACCEPT;
}
