// A block's order-lane section and the replica's check of it: the proposer's receipt evidence, the order bodies
// in the order it claims, and the laneRoot it put in the header. The replica verifies every signature,
// recomputes the lane (fair-order.ts) and accepts only the identical list. Not execution, not the block codec.

import type { Ed25519Verify } from "../crypto/ed25519.ts";
import { bytesEqual, toHex } from "../crypto/hash.ts";
import type { Verdict } from "../errors.ts";
import { ACCEPT } from "../errors.ts";
import type { Hash } from "../types.ts";
import type { ValidatorSet } from "../validator-set.ts";
import { computeBlockLane, LANE_ORDERS_PER_BLOCK_MAX, laneRoot, type LaneEntry, type LaneErrorCode, type LaneOutcome } from "./fair-order.ts";
import { orderId, verifyOrderAction } from "./order-codec.ts";
import type { OrderAction, OrderActionBody } from "./order.ts";
import { validateReceiptBatch, type ReceiptBatch } from "./receipt-batch.ts";

export interface BlockLaneSection {
  evidence: ReceiptBatch[];
  /** Bodies of the lane's orders, in the proposer's claimed execution order. */
  orders: OrderAction[];
}

export interface BlockLaneContext {
  chainId: bigint;
  epoch: number;
  set: ValidatorSet;
  previousCutoffUs: number;
  cutoffUs: number;
  seed: Hash;
  verify: Ed25519Verify;
  /** The header's laneRoot. */
  laneRoot: Hash;
}

export type BlockLaneErrorCode =
  | LaneErrorCode
  | "LANE_ERROR_BAD_BATCH_SIGNATURE"
  | "LANE_ERROR_BAD_ORDER"
  | "LANE_ERROR_DUPLICATE_ORDER"
  | "LANE_ERROR_OMITTED"
  | "LANE_ERROR_INSERTED"
  | "LANE_ERROR_REORDERED"
  | "LANE_ERROR_ROOT_MISMATCH";

function reject(code: BlockLaneErrorCode, detail: string): Verdict<BlockLaneErrorCode> {
  return { action: "reject", code, detail };
}

/** Bodies by hex id; each signed by its trading key for this chain, none twice. */
function indexBodies(section: BlockLaneSection, ctx: BlockLaneContext): Map<string, OrderActionBody> | Verdict<BlockLaneErrorCode> {
  if (section.orders.length > LANE_ORDERS_PER_BLOCK_MAX) return reject("LANE_ERROR_TOO_MANY_ORDERS", `${section.orders.length}`);
  const bodies = new Map<string, OrderActionBody>();
  for (let i = 0; i < section.orders.length; i++) {
    const order = section.orders[i]!;
    if (order.chainId !== ctx.chainId || !verifyOrderAction(order, ctx.verify)) return reject("LANE_ERROR_BAD_ORDER", `order ${i}`);
    const key = toHex(orderId(order));
    if (bodies.has(key)) return reject("LANE_ERROR_DUPLICATE_ORDER", key);
    bodies.set(key, order);
  }
  return bodies;
}

/** Names the first difference between the recomputed and the claimed list. */
function compareLists(expected: readonly LaneEntry[], claimed: readonly Hash[]): Verdict<BlockLaneErrorCode> {
  const expectedKeys = new Set(expected.map((e) => toHex(e.orderId)));
  const claimedKeys = new Set(claimed.map(toHex));
  for (const key of claimedKeys) if (!expectedKeys.has(key)) return reject("LANE_ERROR_INSERTED", key);
  for (const key of expectedKeys) if (!claimedKeys.has(key)) return reject("LANE_ERROR_OMITTED", key);
  for (let i = 0; i < expected.length; i++) {
    if (!bytesEqual(expected[i]!.orderId, claimed[i]!)) return reject("LANE_ERROR_REORDERED", `position ${i}`);
  }
  return ACCEPT;
}

/** The replica's check of a proposed block's lane section: every rule of fair-order.ts, recomputed. */
export function validateBlockLane(section: BlockLaneSection, ctx: BlockLaneContext): Verdict<BlockLaneErrorCode> {
  const checked = checkBlockLane(section, ctx);
  return checked.ok ? ACCEPT : checked.verdict;
}

/** validateBlockLane that also returns the recomputed lane (its entries and the orders it reports late). */
export function checkBlockLane(
  section: BlockLaneSection,
  ctx: BlockLaneContext,
): { ok: true; outcome: LaneOutcome } | { ok: false; verdict: Verdict<BlockLaneErrorCode> } {
  const verdict = checkSection(section, ctx);
  return "entries" in verdict ? { ok: true, outcome: verdict } : { ok: false, verdict };
}

function checkSection(section: BlockLaneSection, ctx: BlockLaneContext): Verdict<BlockLaneErrorCode> | LaneOutcome {
  for (const batch of section.evidence) {
    const v = validateReceiptBatch(batch, ctx);
    if (v.action !== "accept") {
      const code = v.code === "RECEIPTS_ERROR_INVALID_SIGNATURE" ? "LANE_ERROR_BAD_BATCH_SIGNATURE" : "LANE_ERROR_BAD_BATCH";
      return reject(code, `validator ${batch.validator} batch ${batch.batchSeq}: ${v.code}`);
    }
  }
  const bodies = indexBodies(section, ctx);
  if (!(bodies instanceof Map)) return bodies;
  const result = computeBlockLane({ ...ctx, evidence: section.evidence, bodies });
  if (!result.ok) {
    // A body that no quorum stamped is an insertion; a quorum-stamped order without its body an omission.
    const code = result.code === "LANE_ERROR_MISSING_BODY" ? "LANE_ERROR_OMITTED" : result.code;
    return reject(code, result.detail);
  }
  const claimed = section.orders.map((o) => orderId(o));
  const lists = compareLists(result.value.entries, claimed);
  if (lists.action !== "accept") return lists;
  if (!bytesEqual(laneRoot(claimed), ctx.laneRoot)) return reject("LANE_ERROR_ROOT_MISMATCH", "header laneRoot");
  return result.value;
}
