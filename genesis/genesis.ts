// The genesis of a chain as the node uses it: typed, validated, canonically ordered (accounts by address,
// validators by public key). Produced by genesis-schema.ts from JSON; hashed by genesis-hash.ts.

import type { Address, ChainParams, Validator } from "../consensus/types.ts";
import type { GenesisLane, GenesisLaneJson } from "./genesis-lane.ts";

export interface GenesisAccount {
  address: Address;
  /** Wei. */
  balance: bigint;
}

export interface Genesis {
  chainId: bigint;
  /** Milliseconds since the Unix epoch; the first block's timestamp must be above it. */
  genesisTimeMs: number;
  /** params.chainId equals chainId. */
  params: ChainParams;
  /** Sorted by address, no duplicates. */
  accounts: GenesisAccount[];
  /** Sorted by public key, no duplicates; stake is bonded at genesis (not taken from operator balances). */
  validators: Validator[];
  /** The order lane's markets; absent when the chain runs no lane. */
  lane?: GenesisLane;
}

/** The JSON file format (genesis/devnet.json is an example). Amounts are decimal strings of wei. */
export interface GenesisJson {
  chainId: number;
  /** ISO 8601 in UTC with a Z, e.g. "2025-01-01T00:00:00.000Z". */
  genesisTime: string;
  params: {
    epochLengthBlocks: number;
    unbondingPeriodBlocks: number;
    minValidatorStake: string;
    maxValidators: number;
    slashFractionBps: number;
    jailPeriodBlocks: number;
    blockReward: string;
    proposerRewardBps: number;
    minBaseFeePerGas: string;
    blockGasLimit: string;
    maxTransactionsPerBlock: number;
  };
  /** address (0x, 40 hex, EIP-55 checksummed or all lowercase) -> balance in wei. */
  accounts: Record<string, string>;
  validators: { publicKey: string; operator: string; stake: string }[];
  lane?: GenesisLaneJson;
}
