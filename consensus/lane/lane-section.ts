// A block's order-lane section as it travels in the block body: the cut-off the proposer chose, its own index
// prices (the proposer is an oracle; the engine takes the median over validators' recent submissions), the
// receipt evidence and the order bodies in execution order. The header's laneRoot is the Merkle root of the order
// ids (fair-order.ts laneRoot); cut-off and prices reach the stateRoot through the lane state, and any evidence
// that recomputes to the same list executes the same. Layout (big-endian), appended to the block encoding:
//   u64 cutoffUs | u32 n x (u16 market id | u32 price ticks) | u32 n x (u32 length | receipt batch)
//   | u32 n x (u16 length | order action)

import type { ByteReader } from "../codec/byte-reader.ts";
import type { ByteWriter } from "../codec/byte-writer.ts";
import { CodecError } from "../codec/codec-error.ts";
import { decodeOrderAction, encodeOrderAction, ORDER_ACTION_BYTES_MAX } from "./order-codec.ts";
import type { OrderAction } from "./order.ts";
import { LANE_EVIDENCE_BATCHES_MAX, LANE_ORDERS_PER_BLOCK_MAX } from "./fair-order.ts";
import { decodeReceiptBatch, encodeReceiptBatch, RECEIPT_BATCH_BYTES_MAX, type ReceiptBatch } from "./receipt-batch.ts";

/** Markets a proposer may price in one block. */
export const LANE_PRICES_MAX = 256;

export interface IndexPriceSubmission {
  marketId: number;
  priceTicks: number;
}

export interface BlockLane {
  /** µs; equal to the parent's cut-off when the lane does not advance in this block (then nothing else is allowed). */
  cutoffUs: number;
  prices: IndexPriceSubmission[];
  evidence: ReceiptBatch[];
  orders: OrderAction[];
}

export function writeBlockLane(w: ByteWriter, lane: BlockLane): void {
  w.u64(lane.cutoffUs);
  w.list(lane.prices, (x, p) => {
    x.u16(p.marketId).u32(p.priceTicks);
  });
  w.list(lane.evidence, (x, b) => {
    x.bytes(encodeReceiptBatch(b));
  });
  w.list(lane.orders, (x, o) => {
    const bytes = encodeOrderAction(o);
    x.u16(bytes.length).fixed(bytes, bytes.length);
  });
}

export function readBlockLane(r: ByteReader): BlockLane {
  const cutoffUs = r.u64("lane cut-off");
  const prices = r.list(LANE_PRICES_MAX, 6, (x) => ({ marketId: x.u16("market id"), priceTicks: x.u32("price ticks") }), "lane prices");
  const evidence = r.list(LANE_EVIDENCE_BATCHES_MAX, 4, (x) => {
    const at = x.position;
    const decoded = decodeReceiptBatch(x.bytes(RECEIPT_BATCH_BYTES_MAX, "receipt batch"));
    if (!decoded.ok) throw new CodecError("CODEC_ERROR_BAD_VALUE", at, `receipt batch: ${decoded.detail}`);
    return decoded.value;
  }, "lane evidence");
  const orders = r.list(LANE_ORDERS_PER_BLOCK_MAX, 2, (x) => {
    const at = x.position;
    const length = x.u16("order length");
    if (length > ORDER_ACTION_BYTES_MAX) throw new CodecError("CODEC_ERROR_LENGTH_LIMIT", at, `order of ${length} bytes`);
    const decoded = decodeOrderAction(x.fixed(length, "order"));
    if (!decoded.ok) throw new CodecError("CODEC_ERROR_BAD_VALUE", at, `order: ${decoded.detail}`);
    return decoded.value;
  }, "lane orders");
  return { cutoffUs, prices, evidence, orders };
}

export function emptyBlockLane(cutoffUs: number): BlockLane {
  return { cutoffUs, prices: [], evidence: [], orders: [] };
}
