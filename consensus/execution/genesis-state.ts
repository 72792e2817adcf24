// The initial state from a genesis description: funded accounts and bonded validators, which form the set of
// epoch 0 (heights 1..epochLengthBlocks). genesis/ parses and checks the file format and calls
// createGenesisState; the checks here name the offending field (e.g. "validators[2].stake") in a coded error.

import { isValidValidatorKey } from "../crypto/ed25519.ts";
import { ZERO_HASH, toHex } from "../crypto/hash.ts";
import { XdpchainError } from "../errors.ts";
import { type Address, type ChainParams, type Hash, LIMITS, type PublicKey } from "../types.ts";
import { StateOverlay } from "../state/state-overlay.ts";
import { putAccount, putEpochRecord, putHeight, putRegistry, putValidatorRecord } from "../state/state-access.ts";
import { KEY_LIST_MAX } from "../state/key-list.ts";
import { WorldState } from "../state/world-state.ts";
import { epochSeed, sortByKey } from "./epoch.ts";
import { isStakingAddress } from "./staking-call.ts";
import { isLaneAddress, LANE_ADDRESS } from "../lane/lane-call.ts";
import { LANE_STATE_KEY } from "../state/state-keys.ts";
import { UINT256_MAX } from "./transaction.ts";

export interface GenesisAccount {
  address: Address;
  balance: bigint;
}

export interface GenesisValidator {
  publicKey: PublicKey;
  /** Account that controls the stake and receives rewards. */
  operator: Address;
  stake: bigint;
}

export interface GenesisState {
  params: ChainParams;
  accounts: GenesisAccount[];
  validators: GenesisValidator[];
  /** On chains with the order lane: the lane state's hash at height 0 and the escrow's starting balance (wei). */
  lane?: { laneStateHash: Hash; escrowWei: bigint };
}

export type GenesisStateErrorCode = "GENESIS_STATE_ERROR_INVALID_PARAM" | "GENESIS_STATE_ERROR_INVALID_ACCOUNT" | "GENESIS_STATE_ERROR_INVALID_VALIDATOR";

export class GenesisStateError extends XdpchainError<GenesisStateErrorCode, { field: string }> {}

function fail(code: GenesisStateErrorCode, field: string, why: string): never {
  throw new GenesisStateError(code, `${field}: ${why}`, { field });
}

function checkInt(field: keyof ChainParams, v: number, min: number, max: number): void {
  if (!Number.isSafeInteger(v) || v < min || v > max) fail("GENESIS_STATE_ERROR_INVALID_PARAM", `params.${field}`, `must be an integer in [${min}, ${max}]`);
}

function checkAmount(code: GenesisStateErrorCode, field: string, v: bigint, min = 0n): void {
  if (typeof v !== "bigint" || v < min || v > UINT256_MAX) fail(code, field, `must be an integer in [${min}, 2^256)`);
}

/** Throws GenesisStateError naming the first bad parameter. */
export function checkChainParams(p: ChainParams): void {
  const param = "GENESIS_STATE_ERROR_INVALID_PARAM";
  if (typeof p.chainId !== "bigint" || p.chainId < 1n || p.chainId >= 2n ** 64n) fail(param, "params.chainId", "must be in [1, 2^64)");
  checkInt("epochLengthBlocks", p.epochLengthBlocks, 1, 2 ** 32);
  checkInt("unbondingPeriodBlocks", p.unbondingPeriodBlocks, 1, 2 ** 32);
  checkInt("maxValidators", p.maxValidators, 1, LIMITS.maxValidators);
  checkInt("slashFractionBps", p.slashFractionBps, 0, 10_000);
  checkInt("jailPeriodBlocks", p.jailPeriodBlocks, 0, 2 ** 32);
  checkInt("proposerRewardBps", p.proposerRewardBps, 0, 10_000);
  checkInt("maxTransactionsPerBlock", p.maxTransactionsPerBlock, 0, LIMITS.maxTransactionsPerBlock);
  checkAmount(param, "params.minValidatorStake", p.minValidatorStake, 1n);
  checkAmount(param, "params.blockReward", p.blockReward);
  if (p.blockReward >= BLOCK_REWARD_LIMIT) fail(param, "params.blockReward", "must be below 2^128");
  checkAmount(param, "params.minBaseFeePerGas", p.minBaseFeePerGas);
  if (typeof p.blockGasLimit !== "bigint" || p.blockGasLimit < 21_000n || p.blockGasLimit >= 2n ** 64n) {
    fail(param, "params.blockGasLimit", "must be in [21000, 2^64)");
  }
}

/**
 * Bounds that keep every balance far from 2^256: genesis supply below 2^200 plus at most 2^128 minted per block
 * cannot overflow a u256 in any number of blocks a chain will see.
 */
const SUPPLY_LIMIT = 1n << 200n;
const BLOCK_REWARD_LIMIT = 1n << 128n;

function checkSupply(genesis: GenesisState): void {
  let total = 0n;
  for (const a of genesis.accounts) total += a.balance;
  for (const v of genesis.validators) total += v.stake;
  if (total >= SUPPLY_LIMIT) fail("GENESIS_STATE_ERROR_INVALID_ACCOUNT", "accounts", "total supply must be below 2^200");
}

function checkValidators(genesis: GenesisState): void {
  const code = "GENESIS_STATE_ERROR_INVALID_VALIDATOR";
  const { validators, params } = genesis;
  if (validators.length === 0) fail(code, "validators", "at least one validator is required");
  if (validators.length > params.maxValidators) fail(code, "validators", `more than params.maxValidators (${params.maxValidators})`);
  const seen = new Set<string>();
  validators.forEach((v, i) => {
    const field = `validators[${i}]`;
    if (!(v.publicKey instanceof Uint8Array) || !isValidValidatorKey(v.publicKey)) fail(code, `${field}.publicKey`, "not a valid ed25519 validator key");
    if (!(v.operator instanceof Uint8Array) || v.operator.length !== 20) fail(code, `${field}.operator`, "must be a 20-byte address");
    checkAmount(code, `${field}.stake`, v.stake, params.minValidatorStake);
    const hex = toHex(v.publicKey);
    if (seen.has(hex)) fail(code, `${field}.publicKey`, "duplicate validator key");
    seen.add(hex);
  });
  if (validators.length > KEY_LIST_MAX) fail(code, "validators", `more than ${KEY_LIST_MAX}`);
}

function checkAccounts(genesis: GenesisState): void {
  const code = "GENESIS_STATE_ERROR_INVALID_ACCOUNT";
  const seen = new Set<string>();
  genesis.accounts.forEach((a, i) => {
    const field = `accounts[${i}]`;
    if (!(a.address instanceof Uint8Array) || a.address.length !== 20) fail(code, `${field}.address`, "must be a 20-byte address");
    if (isStakingAddress(a.address)) fail(code, `${field}.address`, "the staking system address holds no balance");
    if (isLaneAddress(a.address)) fail(code, `${field}.address`, "the lane escrow's balance comes from the lane section");
    checkAmount(code, `${field}.balance`, a.balance);
    const hex = toHex(a.address);
    if (seen.has(hex)) fail(code, `${field}.address`, "duplicate account");
    seen.add(hex);
  });
}

/** The state at height 0. Throws GenesisStateError (code + field) on any invalid input. */
export function createGenesisState(genesis: GenesisState): WorldState {
  checkChainParams(genesis.params);
  checkAccounts(genesis);
  checkValidators(genesis);
  checkSupply(genesis);
  const db = new StateOverlay(WorldState.EMPTY);
  for (const a of genesis.accounts) putAccount(db, a.address, { balance: a.balance, nonce: 0n });
  const set = sortByKey(genesis.validators.map((v) => ({ publicKey: v.publicKey.slice(), operator: v.operator.slice(), stake: v.stake })));
  for (const v of set) {
    putValidatorRecord(db, { publicKey: v.publicKey, operator: v.operator, bondedStake: v.stake, unbonding: [], jailed: false, jailedUntilHeight: 0, slashed: false });
  }
  putRegistry(db, set.map((v) => v.publicKey));
  putEpochRecord(db, { epoch: 0, startHeight: 1, current: { seed: epochSeed(genesis.params.chainId, 0, ZERO_HASH), validators: set }, previous: null });
  putHeight(db, 0);
  if (genesis.lane) {
    putAccount(db, LANE_ADDRESS, { balance: genesis.lane.escrowWei, nonce: 0n });
    db.set(LANE_STATE_KEY, genesis.lane.laneStateHash);
  }
  return db.commit().state;
}
