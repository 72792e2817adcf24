// Validator-set changes at epoch boundaries. After executing a block whose height is a multiple of
// epochLengthBlocks, the next set is the top maxValidators unjailed records by bonded stake (ties by key) with at
// least minValidatorStake; it validates the following heights. Its leader seed hashes the chain id, the height
// and the block's parent hash. If no record qualifies the current set stays, so the chain never has no set.

import { ByteWriter } from "../codec/byte-writer.ts";
import { compareBytes, domainHash } from "../crypto/hash.ts";
import type { ChainParams, Hash, Validator } from "../types.ts";
import { ValidatorSet } from "../validator-set.ts";
import type { EpochRecord } from "../state/epoch-record.ts";
import { type StateWriter, getEpochRecord, getRegistry, getValidatorRecord, putEpochRecord } from "../state/state-access.ts";
import { type StateReader, WorldState } from "../state/world-state.ts";

export function isEpochBoundary(height: number, params: ChainParams): boolean {
  return height % params.epochLengthBlocks === 0;
}

export function epochSeed(chainId: bigint, height: number, parentHash: Hash): Hash {
  return domainHash("epochSeed", new ByteWriter(48).u64n(chainId).u64(height).fixed(parentHash, 32).finish());
}

/** Orders a set as ValidatorSet does (by key), so stored signer indices match. */
export function sortByKey(validators: Validator[]): Validator[] {
  return validators.sort((a, b) => compareBytes(a.publicKey, b.publicKey));
}

/** The validators the staking records elect now, sorted by key. */
export function electValidators(db: StateReader, params: ChainParams): Validator[] {
  const candidates: Validator[] = [];
  for (const publicKey of getRegistry(db)) {
    const rec = getValidatorRecord(db, publicKey);
    if (rec === undefined || rec.jailed || rec.bondedStake < params.minValidatorStake || rec.bondedStake === 0n) continue;
    candidates.push({ publicKey: rec.publicKey, operator: rec.operator, stake: rec.bondedStake });
  }
  candidates.sort((a, b) => (a.stake === b.stake ? compareBytes(a.publicKey, b.publicKey) : a.stake > b.stake ? -1 : 1));
  return sortByKey(candidates.slice(0, params.maxValidators));
}

/** At a boundary: elects the next set and rolls the epoch record. Returns whether the members or stakes changed. */
export function advanceEpoch(db: StateWriter, height: number, parentHash: Hash, params: ChainParams): boolean {
  const rec = getEpochRecord(db);
  const elected = electValidators(db, params);
  const validators = elected.length > 0 ? elected : rec.current.validators;
  const next: EpochRecord = {
    epoch: rec.epoch + 1,
    startHeight: height + 1,
    current: { seed: epochSeed(params.chainId, height, parentHash), validators },
    previous: rec.current,
  };
  putEpochRecord(db, next);
  return !sameValidators(rec.current.validators, validators);
}

function sameValidators(a: readonly Validator[], b: readonly Validator[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((v, i) => compareBytes(v.publicKey, b[i]!.publicKey) === 0 && v.stake === b[i]!.stake);
}

/** Snapshots are immutable, so their set can be cached; an overlay is read afresh. */
const setCache = new WeakMap<WorldState, ValidatorSet>();

/** The set that validates the next block on top of `state` (height + 1). */
export function validatorSetAt(state: StateReader): ValidatorSet {
  const cached = state instanceof WorldState ? setCache.get(state) : undefined;
  if (cached) return cached;
  const rec = getEpochRecord(state);
  const set = new ValidatorSet(rec.current.validators, rec.current.seed);
  if (state instanceof WorldState) setCache.set(state, set);
  return set;
}

/** Epoch number and first height of the set returned by validatorSetAt. */
export function epochInfoAt(state: StateReader): { epoch: number; startHeight: number } {
  const rec = getEpochRecord(state);
  return { epoch: rec.epoch, startHeight: rec.startHeight };
}
