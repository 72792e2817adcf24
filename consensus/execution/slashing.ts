// Slashing for equivocation: ChainParams.slashFractionBps of bonded and of each unbonding entry is burned
// (floor per component), the key is jailed until height + jailPeriodBlocks and marked slashed for the view.
// Jailing takes effect in the validator set at the next epoch boundary; the current epoch's set is fixed.

import { assert } from "../errors.ts";
import type { Evidence } from "../types.ts";
import type { BlockEnv } from "./execution-context.ts";
import { type StateWriter, getValidatorRecord, markSlashedForView, putValidatorRecord } from "../state/state-access.ts";

const BPS = 10_000n;

/** Slashes the key named by validated evidence; returns the amount burned. */
export function slash(db: StateWriter, evidence: Evidence, env: BlockEnv): bigint {
  const rec = getValidatorRecord(db, evidence.publicKey);
  assert(rec !== undefined, "slash called for evidence that was not validated against state");
  const bps = BigInt(env.params.slashFractionBps);
  const cut = (amount: bigint): bigint => (amount * bps) / BPS;
  let burned = cut(rec.bondedStake);
  const unbonding = rec.unbonding.map((e) => {
    const c = cut(e.amount);
    burned += c;
    return { amount: e.amount - c, releaseHeight: e.releaseHeight };
  });
  const jailedUntilHeight = Math.max(rec.jailed ? rec.jailedUntilHeight : 0, env.height + env.params.jailPeriodBlocks);
  putValidatorRecord(db, {
    ...rec,
    bondedStake: rec.bondedStake - cut(rec.bondedStake),
    unbonding,
    jailed: true,
    jailedUntilHeight,
    slashed: true,
  });
  markSlashedForView(db, evidence.publicKey, evidence.first.view);
  return burned;
}
