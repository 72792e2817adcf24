// The genesis hash: domainHash("genesis", canonical encoding). The encoding is binary and fixed-order (a
// version byte, chain id, time, every ChainParams field, accounts by address, validators by key), so the hash
// does not depend on JSON key order, whitespace, address case or how the file listed things.

import { ByteWriter } from "../consensus/codec/byte-writer.ts";
import { compareBytes, domainHash } from "../consensus/crypto/hash.ts";
import type { Hash } from "../consensus/types.ts";
import type { Genesis } from "./genesis.ts";
import { writeGenesisLane } from "./genesis-lane.ts";

const GENESIS_ENCODING_VERSION = 1;

export function encodeGenesis(g: Genesis): Uint8Array {
  const p = g.params;
  const w = new ByteWriter(512 + g.accounts.length * 52 + g.validators.length * 84);
  w.u8(GENESIS_ENCODING_VERSION).u64n(g.chainId).u64(g.genesisTimeMs);
  w.u64(p.epochLengthBlocks)
    .u64(p.unbondingPeriodBlocks)
    .u256(p.minValidatorStake)
    .u32(p.maxValidators)
    .u16(p.slashFractionBps)
    .u64(p.jailPeriodBlocks)
    .u256(p.blockReward)
    .u16(p.proposerRewardBps)
    .u256(p.minBaseFeePerGas)
    .u64n(p.blockGasLimit)
    .u32(p.maxTransactionsPerBlock);
  const accounts = [...g.accounts].sort((a, b) => compareBytes(a.address, b.address));
  w.list(accounts, (ww, a) => ww.fixed(a.address, 20).u256(a.balance));
  const validators = [...g.validators].sort((a, b) => compareBytes(a.publicKey, b.publicKey));
  w.list(validators, (ww, v) => ww.fixed(v.publicKey, 32).fixed(v.operator, 20).u256(v.stake));
  // Chains without the lane keep the encoding (and the hash) they always had.
  if (g.lane) writeGenesisLane(w.u8(1), g.lane);
  return w.finish();
}

export function genesisHash(g: Genesis): Hash {
  return domainHash("genesis", encodeGenesis(g));
}
