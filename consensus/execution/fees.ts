// Gas and fees. Fixed gas per kind of transaction (no EVM): 21000 for a transfer, 50000 for a staking call,
// plus EIP-2930 access-list gas. Fee market: EIP-1559 arithmetic with the base fee held constant at
// ChainParams.minBaseFeePerGas (no per-block adjustment yet); the base fee is burned, the tip goes to the proposer.

import type { ChainParams } from "../types.ts";
import type { UnsignedTransaction } from "./transaction.ts";

export const TRANSFER_GAS = 21_000n;
/** Covers one ed25519 verification (bond) and a few state records. */
export const STAKING_CALL_GAS = 50_000n;
export const ACCESS_LIST_ADDRESS_GAS = 2_400n;
export const ACCESS_LIST_STORAGE_KEY_GAS = 1_900n;

/** Gas a transaction uses: it is also the minimum gas limit. */
export function intrinsicGas(tx: UnsignedTransaction, isStakingCall: boolean): bigint {
  let gas = isStakingCall ? STAKING_CALL_GAS : TRANSFER_GAS;
  for (const entry of tx.accessList) {
    gas += ACCESS_LIST_ADDRESS_GAS + ACCESS_LIST_STORAGE_KEY_GAS * BigInt(entry.storageKeys.length);
  }
  return gas;
}

/** The base fee of every block: constant at the genesis minimum. Kept behind a function so it can evolve. */
export function baseFeePerGas(params: ChainParams): bigint {
  return params.minBaseFeePerGas;
}

/** EIP-1559: the tip actually paid per gas, min(tip cap, fee cap - base fee). Requires feeCap >= baseFee. */
export function effectiveTipPerGas(tx: UnsignedTransaction, baseFee: bigint): bigint {
  const room = tx.maxFeePerGas - baseFee;
  return tx.maxPriorityFeePerGas < room ? tx.maxPriorityFeePerGas : room;
}

/** What the sender's balance must cover up front: value + gasLimit * fee cap. */
export function maxTransactionCost(tx: UnsignedTransaction): bigint {
  return tx.value + tx.gasLimit * tx.maxFeePerGas;
}
