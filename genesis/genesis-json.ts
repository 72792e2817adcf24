// Writes a Genesis back to its JSON form (the inverse of parseGenesis): checksummed addresses, 0x keys,
// decimal amounts, a stable field order, so generated files are byte-for-byte reproducible.

import { toHex } from "../consensus/crypto/hash.ts";
import { toChecksumAddress } from "./eth-address.ts";
import type { Genesis, GenesisJson } from "./genesis.ts";
import { laneToJson } from "./genesis-lane.ts";

export function genesisToJson(g: Genesis): GenesisJson {
  const p = g.params;
  const accounts: Record<string, string> = {};
  for (const a of g.accounts) accounts[toChecksumAddress(a.address)] = a.balance.toString();
  return {
    chainId: Number(g.chainId),
    genesisTime: new Date(g.genesisTimeMs).toISOString(),
    params: {
      epochLengthBlocks: p.epochLengthBlocks,
      unbondingPeriodBlocks: p.unbondingPeriodBlocks,
      minValidatorStake: p.minValidatorStake.toString(),
      maxValidators: p.maxValidators,
      slashFractionBps: p.slashFractionBps,
      jailPeriodBlocks: p.jailPeriodBlocks,
      blockReward: p.blockReward.toString(),
      proposerRewardBps: p.proposerRewardBps,
      minBaseFeePerGas: p.minBaseFeePerGas.toString(),
      blockGasLimit: p.blockGasLimit.toString(),
      maxTransactionsPerBlock: p.maxTransactionsPerBlock,
    },
    accounts,
    validators: g.validators.map((v) => ({
      publicKey: `0x${toHex(v.publicKey)}`,
      operator: toChecksumAddress(v.operator),
      stake: v.stake.toString(),
    })),
    ...(g.lane ? { lane: laneToJson(g.lane) } : {}),
  };
}
