// Staking operations carried by transactions to the staking address (see staking-call.ts): bond, unbond and
// unjail. Each checks everything before it writes anything, so a refused operation changes nothing here; the
// transaction then counts as reverted (fees paid, nonce used, receipt status 0 with the STAKING_ERROR code).

import { isValidValidatorKey } from "../crypto/ed25519.ts";
import { bytesEqual } from "../crypto/hash.ts";
import type { Address } from "../types.ts";
import type { BlockEnv } from "./execution-context.ts";
import { type StakingCall, StakingOp, registrationSigningBytes } from "./staking-call.ts";
import { getAccount, getRegistry, getUnbondingQueue, getValidatorRecord, putAccount, putRegistry, putUnbondingQueue, putValidatorRecord, type StateWriter } from "../state/state-access.ts";
import { KEY_LIST_MAX, insertKey } from "../state/key-list.ts";
import { UNBONDING_ENTRIES_MAX, type ValidatorRecord } from "../state/validator-record.ts";
import { pruneValidatorRecord } from "./unbonding-release.ts";

export type StakingErrorCode =
  | "STAKING_ERROR_ZERO_AMOUNT"
  | "STAKING_ERROR_VALUE_NOT_ALLOWED"
  | "STAKING_ERROR_INVALID_KEY"
  | "STAKING_ERROR_INVALID_PROOF"
  | "STAKING_ERROR_NOT_OPERATOR"
  | "STAKING_ERROR_BELOW_MIN_STAKE"
  | "STAKING_ERROR_REGISTRY_FULL"
  | "STAKING_ERROR_UNKNOWN_VALIDATOR"
  | "STAKING_ERROR_INSUFFICIENT_STAKE"
  | "STAKING_ERROR_TOO_MANY_UNBONDING"
  | "STAKING_ERROR_QUEUE_FULL"
  | "STAKING_ERROR_NOT_JAILED"
  | "STAKING_ERROR_STILL_JAILED";

function operatorRecord(db: StateWriter, publicKey: Uint8Array, from: Address): ValidatorRecord | StakingErrorCode {
  const rec = getValidatorRecord(db, publicKey);
  if (rec === undefined) return "STAKING_ERROR_UNKNOWN_VALIDATOR";
  if (!bytesEqual(rec.operator, from)) return "STAKING_ERROR_NOT_OPERATOR";
  return rec;
}

function bond(db: StateWriter, call: StakingCall & { op: 1 }, from: Address, value: bigint, env: BlockEnv): StakingErrorCode | null {
  if (value === 0n) return "STAKING_ERROR_ZERO_AMOUNT";
  if (!isValidValidatorKey(call.publicKey)) return "STAKING_ERROR_INVALID_KEY";
  const message = registrationSigningBytes(env.params.chainId, call.publicKey, from);
  if (!env.ed25519Verify(call.publicKey, message, call.proof)) return "STAKING_ERROR_INVALID_PROOF";
  let rec = getValidatorRecord(db, call.publicKey);
  if (rec !== undefined && !bytesEqual(rec.operator, from)) return "STAKING_ERROR_NOT_OPERATOR";
  if (rec === undefined) {
    if (value < env.params.minValidatorStake) return "STAKING_ERROR_BELOW_MIN_STAKE";
    const registry = getRegistry(db);
    if (registry.length >= KEY_LIST_MAX) return "STAKING_ERROR_REGISTRY_FULL";
    insertKey(registry, call.publicKey);
    putRegistry(db, registry);
    rec = { publicKey: call.publicKey, operator: from, bondedStake: 0n, unbonding: [], jailed: false, jailedUntilHeight: 0, slashed: false };
  }
  const sender = getAccount(db, from);
  putAccount(db, from, { balance: sender.balance - value, nonce: sender.nonce });
  putValidatorRecord(db, { ...rec, bondedStake: rec.bondedStake + value });
  return null;
}

function unbond(db: StateWriter, call: StakingCall & { op: 2 }, from: Address, env: BlockEnv): StakingErrorCode | null {
  const rec = operatorRecord(db, call.publicKey, from);
  if (typeof rec === "string") return rec;
  if (call.amount === 0n) return "STAKING_ERROR_ZERO_AMOUNT";
  if (call.amount > rec.bondedStake) return "STAKING_ERROR_INSUFFICIENT_STAKE";
  const releaseHeight = env.height + env.params.unbondingPeriodBlocks;
  const unbonding = rec.unbonding.map((e) => ({ ...e }));
  const last = unbonding[unbonding.length - 1];
  if (last !== undefined && last.releaseHeight === releaseHeight) {
    last.amount += call.amount;
  } else {
    if (unbonding.length >= UNBONDING_ENTRIES_MAX) return "STAKING_ERROR_TOO_MANY_UNBONDING";
    const queue = getUnbondingQueue(db, releaseHeight);
    if (queue.length >= KEY_LIST_MAX) return "STAKING_ERROR_QUEUE_FULL";
    insertKey(queue, call.publicKey);
    putUnbondingQueue(db, releaseHeight, queue);
    unbonding.push({ amount: call.amount, releaseHeight });
  }
  putValidatorRecord(db, { ...rec, bondedStake: rec.bondedStake - call.amount, unbonding });
  return null;
}

function unjail(db: StateWriter, call: StakingCall & { op: 3 }, from: Address, env: BlockEnv): StakingErrorCode | null {
  const rec = operatorRecord(db, call.publicKey, from);
  if (typeof rec === "string") return rec;
  if (!rec.jailed) return "STAKING_ERROR_NOT_JAILED";
  if (env.height < rec.jailedUntilHeight) return "STAKING_ERROR_STILL_JAILED";
  putValidatorRecord(db, { ...rec, jailed: false });
  pruneValidatorRecord(db, call.publicKey);
  return null;
}

/** Applies one staking operation for `from`, who sent `value` with it; null on success. */
export function applyStakingCall(db: StateWriter, call: StakingCall, from: Address, value: bigint, env: BlockEnv): StakingErrorCode | null {
  if (call.op === StakingOp.Bond) return bond(db, call, from, value, env);
  if (value !== 0n) return "STAKING_ERROR_VALUE_NOT_ALLOWED";
  if (call.op === StakingOp.Unbond) return unbond(db, call, from, env);
  return unjail(db, call, from, env);
}
