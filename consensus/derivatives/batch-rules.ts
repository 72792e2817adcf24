// The order-lane rule for sequencing one block's lane actions inside a market, as the engine must receive them:
// cancels (cancel, cancel-all, replace count as cancels) first, then post-only places, then everything else, each
// class by (assigned time, tie-break hash). Arrival order plays no part, which the property tests show.
// Not the assignment of times (median of validators' stamps) nor the hash: those come from lane sequencing.

import type { EngineAction } from "./actions.ts";

export interface LaneItem {
  readonly action: EngineAction;
  /** Median receive stamp of validators holding > 2/3 of stake (integer, e.g. microseconds). */
  readonly assignedTime: number;
  /** Tie-break the proposer cannot choose, as lowercase hex of equal length. */
  readonly tieBreakHex: string;
}

export function batchClass(action: EngineAction): number {
  if (action.kind === "cancel" || action.kind === "cancel-all" || action.kind === "replace") return 0;
  if (action.kind === "place" && action.tif === "post-only" && action.trigger === undefined) return 1;
  return 2;
}

/** Sorted copy: class, then assigned time, then tie-break. */
export function sequenceBatch(items: readonly LaneItem[]): LaneItem[] {
  return [...items].sort((a, b) => {
    const c = batchClass(a.action) - batchClass(b.action);
    if (c !== 0) return c;
    if (a.assignedTime !== b.assignedTime) return a.assignedTime - b.assignedTime;
    return a.tieBreakHex < b.tieBreakHex ? -1 : a.tieBreakHex > b.tieBreakHex ? 1 : 0;
  });
}
