// The shape of an Ethereum transaction as this chain reads it: legacy (EIP-155), access-list (EIP-2930) and
// dynamic-fee (EIP-1559) envelopes share one flat record. Legacy and access-list transactions have one gas
// price, held in both fee fields. Encodings live in transaction-codec.ts.

import type { Address, Hash } from "../types.ts";

export const TxType = { Legacy: 0, AccessList: 1, DynamicFee: 2 } as const;
export type TxType = (typeof TxType)[keyof typeof TxType];

export interface AccessListEntry {
  address: Address;
  storageKeys: Hash[];
}

export interface UnsignedTransaction {
  type: TxType;
  chainId: bigint;
  nonce: bigint;
  /** Dynamic fee: the tip cap. Legacy and access-list: the gas price (equal to maxFeePerGas). */
  maxPriorityFeePerGas: bigint;
  /** Dynamic fee: the fee cap. Legacy and access-list: the gas price. */
  maxFeePerGas: bigint;
  gasLimit: bigint;
  /** null is a contract creation (refused by policy, but decodable). */
  to: Address | null;
  value: bigint;
  data: Uint8Array;
  /** Always empty for legacy transactions. */
  accessList: AccessListEntry[];
}

export interface TransactionSignature {
  /** 0 or 1 (for legacy transactions derived from v = chainId * 2 + 35 + yParity). */
  yParity: 0 | 1;
  /** 32 bytes big-endian each. */
  r: Uint8Array;
  s: Uint8Array;
}

export type SignedTransaction = UnsignedTransaction & TransactionSignature;

/** A decoded transaction with the hashes computed from its bytes. */
export interface DecodedTransaction {
  tx: SignedTransaction;
  /** keccak256 of the raw bytes: the Ethereum transaction hash. */
  hash: Hash;
  /** keccak256 of the unsigned payload: what the sender signed. */
  signingHash: Hash;
}

/** EIP-2681: nonces are below 2^64 - 1. */
export const NONCE_MAX = 2n ** 64n - 1n;
export const UINT256_MAX = 2n ** 256n - 1n;
