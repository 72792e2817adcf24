// The order lane's part of block execution (execute-block.ts calls it on chains that run the lane): check the
// block's lane section against the parent's lane state (cut-off, prices, the fair order recomputed by
// lane/block-lane.ts), run the tick and prices, let transactions make lane calls, execute the orders, and write
// the lane state's hash under LANE_STATE_KEY so the stateRoot commits to it. Not the rules themselves (lane/).

import { bytesEqual, toHex, ZERO_HASH } from "../crypto/hash.ts";
import type { EngineEvent } from "../derivatives/events.ts";
import { checkBlockLane } from "../lane/block-lane.ts";
import { beginLaneBlock, executeLaneOrder, type LaneOrderOutcome } from "../lane/lane-execution.ts";
import { emptyBlockLane, LANE_PRICES_MAX, type BlockLane } from "../lane/lane-section.ts";
import { cloneLaneState, laneStateHash, type LaneState } from "../lane/lane-state.ts";
import { orderId } from "../lane/order-codec.ts";
import { LANE_STATE_KEY } from "../state/state-keys.ts";
import type { StateWriter } from "../state/state-access.ts";
import type { Block } from "../types.ts";
import type { ValidatorSet } from "../validator-set.ts";
import type { ExecutionContext } from "./execution-context.ts";

export type LaneStepErrorCode = "BLOCK_ERROR_INVALID_LANE";

export interface LaneStepFailure {
  ok: false;
  code: LaneStepErrorCode;
  detail: string;
}

/** The lane's share of a block's execution: the new lane state and what happened, for receipts and RPC. */
export interface LaneBlockExecution {
  state: LaneState;
  section: BlockLane;
  /** Tick (expiry, mark, funding, triggers, liquidations) and price events, then lane-call events. */
  blockEvents: EngineEvent[];
  orders: LaneOrderOutcome[];
  /** Hex ids of quorum-stamped orders whose time fell in an earlier window: honest validators re-stamp them. */
  late: string[];
}

function fail(detail: string): LaneStepFailure {
  return { ok: false, code: "BLOCK_ERROR_INVALID_LANE", detail };
}

/** Rules that need no signatures: the cut-off and the proposer's prices. */
function checkShape(section: BlockLane, block: Block, parent: LaneState): LaneStepFailure | null {
  const { cutoffUs } = section;
  if (!Number.isSafeInteger(cutoffUs) || cutoffUs < parent.cutoffUs) return fail(`cut-off ${cutoffUs} below the parent's ${parent.cutoffUs}`);
  if (cutoffUs > block.header.timestampMs * 1000) return fail(`cut-off ${cutoffUs} after the block's timestamp`);
  if (cutoffUs === parent.cutoffUs && (section.evidence.length > 0 || section.orders.length > 0)) {
    return fail("a lane that does not advance its cut-off carries no evidence and no orders");
  }
  if (section.prices.length > Math.min(LANE_PRICES_MAX, parent.engine.markets.size)) return fail(`${section.prices.length} prices`);
  const seen = new Set<number>();
  for (const p of section.prices) {
    const ms = parent.engine.markets.get(p.marketId);
    if (ms === undefined || seen.has(p.marketId)) return fail(`price for unknown or repeated market ${p.marketId}`);
    if (!Number.isSafeInteger(p.priceTicks) || p.priceTicks < 1 || p.priceTicks > ms.market.maxPriceTicks) return fail(`price ${p.priceTicks} for market ${p.marketId}`);
    seen.add(p.marketId);
  }
  return null;
}

export interface LaneStepInput {
  block: Block;
  parent: LaneState;
  set: ValidatorSet;
  epoch: number;
  ctx: ExecutionContext;
}

/**
 * Checks the section and starts the block on a clone of the parent's lane state (tick and prices). Returns the
 * working state, which transactions' lane calls then change, and the recomputed order list to finish with.
 */
export function beginLaneStep(input: LaneStepInput): LaneStepFailure | { lane: LaneState; section: BlockLane; events: EngineEvent[]; late: string[] } {
  const { block, parent } = input;
  const section = block.lane ?? emptyBlockLane(parent.cutoffUs);
  if (block.lane === undefined && !bytesEqual(block.header.laneRoot, ZERO_HASH)) return fail("laneRoot without a lane section");
  const shape = checkShape(section, block, parent);
  if (shape) return shape;
  let late: string[] = [];
  if (section.cutoffUs > parent.cutoffUs) {
    const checked = checkBlockLane(section, {
      chainId: input.ctx.params.chainId, epoch: input.epoch, set: input.set, previousCutoffUs: parent.cutoffUs,
      cutoffUs: section.cutoffUs, seed: block.header.parentHash, verify: input.ctx.ed25519Verify, laneRoot: block.header.laneRoot,
    });
    if (!checked.ok) return fail(`${checked.verdict.action === "accept" ? "" : checked.verdict.code} ${"detail" in checked.verdict ? checked.verdict.detail ?? "" : ""}`.trim());
    late = checked.outcome.late;
  } else if (!bytesEqual(block.header.laneRoot, ZERO_HASH)) {
    return fail("laneRoot of an empty lane must be zero");
  }
  const lane = cloneLaneState(parent);
  const events = beginLaneBlock(lane, block.header.height, toHex(block.header.proposer), section.prices);
  return { lane, section, events, late };
}

/** After the transactions: the orders in the section's (already checked) order, the cut-off, the state hash. */
export function finishLaneStep(
  db: StateWriter,
  begun: { lane: LaneState; section: BlockLane; events: EngineEvent[]; late: string[] },
  height: number,
): LaneBlockExecution {
  const { lane, section } = begun;
  const orders = section.orders.map((o) => executeLaneOrder(lane, o, toHex(orderId(o)), height));
  lane.cutoffUs = section.cutoffUs;
  db.set(LANE_STATE_KEY, laneStateHash(lane));
  return { state: lane, section, blockEvents: begun.events, orders, late: begun.late };
}
