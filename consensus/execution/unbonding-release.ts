// Releases unbonding stake at its release height: every entry of the keys queued for this height is paid to
// the validator's operator account (minus anything slashed meanwhile). A record left with no stake, nothing
// unbonding and no jail is removed from state and from the registry.

import type { PublicKey } from "../types.ts";
import {
  type StateWriter,
  creditAccount,
  deleteValidatorRecord,
  getRegistry,
  getUnbondingQueue,
  getValidatorRecord,
  putRegistry,
  putUnbondingQueue,
  putValidatorRecord,
} from "../state/state-access.ts";
import { removeKey } from "../state/key-list.ts";
import type { ValidatorRecord } from "../state/validator-record.ts";

function isSpent(rec: ValidatorRecord): boolean {
  return rec.bondedStake === 0n && rec.unbonding.length === 0 && !rec.jailed;
}

/** Removes a record that holds nothing any more. */
export function pruneValidatorRecord(db: StateWriter, publicKey: PublicKey): void {
  const rec = getValidatorRecord(db, publicKey);
  if (rec === undefined || !isSpent(rec)) return;
  deleteValidatorRecord(db, publicKey);
  const registry = getRegistry(db);
  if (removeKey(registry, publicKey)) putRegistry(db, registry);
}

/** Pays out what matures at `height`; returns the total released. */
export function releaseUnbonding(db: StateWriter, height: number): bigint {
  const queue = getUnbondingQueue(db, height);
  if (queue.length === 0) return 0n;
  let released = 0n;
  for (const publicKey of queue) {
    const rec = getValidatorRecord(db, publicKey);
    if (rec === undefined) continue;
    const due = rec.unbonding.filter((e) => e.releaseHeight <= height);
    if (due.length === 0) continue;
    let amount = 0n;
    for (const e of due) amount += e.amount;
    creditAccount(db, rec.operator, amount);
    released += amount;
    putValidatorRecord(db, { ...rec, unbonding: rec.unbonding.filter((e) => e.releaseHeight > height) });
    pruneValidatorRecord(db, publicKey);
  }
  putUnbondingQueue(db, height, []);
  return released;
}
