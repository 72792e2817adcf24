// Generates an N-validator devnet genesis. Funded accounts are the development mnemonic's first accounts
// (devnet-accounts.ts); validator i's operator is mnemonic account `fundedAccounts + i` (also funded), so
// wallet tests on account 0 never see rewards. Validator ed25519 keys come from sha256 of a public devnet seed:
// INSECURE by design, for devnets only. Deterministic: the same options give the same bytes.

import { ByteWriter } from "../consensus/codec/byte-writer.ts";
import { keyPairFromSeed } from "../consensus/crypto/ed25519.ts";
import { sha256 } from "../consensus/crypto/hash.ts";
import type { ChainParams } from "../consensus/types.ts";
import { devAccounts } from "./devnet-accounts.ts";
import type { Genesis, GenesisJson } from "./genesis.ts";
import { genesisFromJson } from "./genesis-loader.ts";
import { genesisToJson } from "./genesis-json.ts";
import { DEVNET_LANE, type GenesisLane } from "./genesis-lane.ts";

const ETHER = 10n ** 18n;
const KEY_DERIVATION_TAG = "xdpchain/devnet-validator-key/v1 INSECURE";
export const DEVNET_VALIDATORS_MAX = 64;

export interface DevnetOptions {
  validators: number;
  chainId?: bigint;
  /** ISO 8601 UTC; fixed by default so the shipped file is reproducible. */
  genesisTime?: string;
  fundedAccounts?: number;
  accountBalanceWei?: bigint;
  validatorStakeWei?: bigint;
  /** Public seed the validator keys derive from. Anyone who knows it has the keys. */
  devnetSeed?: string;
  params?: Partial<Omit<ChainParams, "chainId">>;
  /** The order lane's markets; DEVNET_LANE by default, null for a chain without the lane. */
  lane?: GenesisLane | null;
}

export interface DevnetValidatorKey {
  index: number;
  publicKey: Uint8Array;
  secretKey: Uint8Array;
  operator: Uint8Array;
  operatorPrivateKey: Uint8Array;
}

export const DEVNET_DEFAULTS = {
  chainId: 31337n,
  genesisTime: "2025-01-01T00:00:00.000Z",
  fundedAccounts: 10,
  accountBalanceWei: 10_000n * ETHER,
  validatorStakeWei: 1_000_000n * ETHER,
  devnetSeed: "xdpchain-devnet",
} as const;

export const DEVNET_PARAMS: Omit<ChainParams, "chainId"> = {
  epochLengthBlocks: 100,
  unbondingPeriodBlocks: 1_000,
  minValidatorStake: 1_000n * ETHER,
  maxValidators: 100,
  slashFractionBps: 500,
  jailPeriodBlocks: 1_000,
  blockReward: 2n * ETHER,
  proposerRewardBps: 2_000,
  minBaseFeePerGas: 1_000_000_000n,
  blockGasLimit: 21_000n * 20_000n,
  maxTransactionsPerBlock: 20_000,
};

/** The ed25519 key of devnet validator `index`: seed = sha256(tag || 0 || devnetSeed || u32 index). */
export function devnetValidatorKey(devnetSeed: string, index: number): { secretKey: Uint8Array; publicKey: Uint8Array } {
  const enc = new TextEncoder();
  const body = new ByteWriter().fixed(enc.encode(KEY_DERIVATION_TAG), enc.encode(KEY_DERIVATION_TAG).length).u8(0);
  body.bytes(enc.encode(devnetSeed)).u32(index);
  return keyPairFromSeed(sha256(body.finish()));
}

/**
 * `json` lists accounts in mnemonic order and validators by index (for people reading the file); `genesis`
 * is the parsed, canonically ordered form. Both describe the same chain and give the same genesis hash.
 */
export function generateDevnetGenesis(options: DevnetOptions): { genesis: Genesis; json: GenesisJson; validatorKeys: DevnetValidatorKey[] } {
  const o = { ...DEVNET_DEFAULTS, ...options };
  if (!Number.isInteger(o.validators) || o.validators < 1 || o.validators > DEVNET_VALIDATORS_MAX) {
    throw new RangeError(`a devnet has 1..${DEVNET_VALIDATORS_MAX} validators`);
  }
  const funded = devAccounts(o.fundedAccounts, 0);
  const operators = devAccounts(o.validators, o.fundedAccounts);
  const validatorKeys = operators.map((op, i) => ({
    index: i,
    ...devnetValidatorKey(o.devnetSeed, i),
    operator: op.address,
    operatorPrivateKey: op.privateKey,
  }));
  const params = { ...DEVNET_PARAMS, ...options.params };
  const draft: Genesis = {
    chainId: o.chainId,
    genesisTimeMs: 0,
    params: { chainId: o.chainId, ...params },
    accounts: [...funded, ...operators].map((a) => ({ address: a.address, balance: o.accountBalanceWei })),
    validators: validatorKeys.map((k) => ({ publicKey: k.publicKey, operator: k.operator, stake: o.validatorStakeWei })),
  };
  const lane = options.lane === undefined ? DEVNET_LANE : options.lane;
  if (lane) draft.lane = lane;
  const json = { ...genesisToJson(draft), genesisTime: o.genesisTime };
  // Through the schema: the generator can only produce what the loader accepts.
  return { genesis: genesisFromJson(json), json, validatorKeys };
}
