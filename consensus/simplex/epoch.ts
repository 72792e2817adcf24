// Epochs as disjoint view ranges. Epoch e owns views [e * 2^32, (e + 1) * 2^32) and heights
// (e * L, (e + 1) * L]; its base view holds its anchor (genesis, or the previous epoch's last block).
// Votes do not sign the epoch, so disjoint view ranges keep a vote of one epoch from ever meeting another's.
// The epoch's last block is never extended inside the epoch: leaders re-propose it until it finalizes, and only
// then does epoch e + 1 start (with the set the application computes from that block's state).

export const EPOCH_VIEW_SPAN = 2 ** 32;

export function epochOfView(view: number): number {
  return Math.floor(view / EPOCH_VIEW_SPAN);
}

export function epochBaseView(epoch: number): number {
  return epoch * EPOCH_VIEW_SPAN;
}

/** Last height of `epoch`: the boundary block whose finalization ends it. */
export function epochLastHeight(epoch: number, epochLengthBlocks: number): number {
  return (epoch + 1) * epochLengthBlocks;
}

export function epochFirstHeight(epoch: number, epochLengthBlocks: number): number {
  return epoch * epochLengthBlocks + 1;
}

/** Epoch a block at `height` belongs to (height 0, genesis, is the anchor of epoch 0). */
export function epochOfHeight(height: number, epochLengthBlocks: number): number {
  return height === 0 ? 0 : Math.floor((height - 1) / epochLengthBlocks);
}
