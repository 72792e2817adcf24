// The consensus data model shared by every part: votes, certificates, blocks, evidence, validators and
// chain parameters. Views and heights are safe integers (u64 on the wire); amounts and stake are bigint.
// Encodings live in codec/; this file holds shapes only.

import type { BlockLane } from "./lane/lane-section.ts";

export type Hash = Uint8Array; // 32 bytes
export type Address = Uint8Array; // 20-byte Ethereum-style account address
export type PublicKey = Uint8Array; // 32-byte ed25519 validator key
export type Signature = Uint8Array; // 64-byte ed25519 signature

export const VoteKind = { Notarize: 1, Nullify: 2, Finalize: 3 } as const;
export type VoteKind = (typeof VoteKind)[keyof typeof VoteKind];
export const VOTE_KINDS: readonly VoteKind[] = [VoteKind.Notarize, VoteKind.Nullify, VoteKind.Finalize];

/**
 * What a validator signs: (chain id, kind, view, block hash). A nullify vote carries the zero hash.
 * `validator` is the index in the validator set of the epoch the view belongs to; it is not signed.
 */
export interface VoteBody {
  kind: VoteKind;
  view: number;
  blockHash: Hash;
}

export interface Vote extends VoteBody {
  validator: number;
  signature: Signature;
}

/** More than 2/3 of stake voted the same body. Signers sorted by index, no duplicates. */
export interface Certificate extends VoteBody {
  signers: { validator: number; signature: Signature }[];
}

export interface BlockHeader {
  chainId: bigint;
  height: number;
  view: number;
  parentHash: Hash;
  /** Milliseconds since the Unix epoch, chosen by the proposer, strictly above the parent's. */
  timestampMs: number;
  /** The proposer's ed25519 validator key. */
  proposer: PublicKey;
  /** Commitment to the state after executing this block. */
  stateRoot: Hash;
  /** Merkle root of the block's raw transactions. */
  transactionsRoot: Hash;
  /** Merkle root of the block's evidence list (DESIGN lists the other fields; evidence must be committed too). */
  evidenceRoot: Hash;
  /** Merkle root of the ids of the orders the block executes (lane/fair-order.ts laneRoot); zero when none. */
  laneRoot: Hash;
}

/**
 * Two signed votes by one key in one view that an honest validator never both sends:
 * notarize/notarize or finalize/finalize for different blocks, or nullify with finalize.
 * Carries the public key (not an index) so it can be checked against any epoch's set.
 */
export interface Evidence {
  publicKey: PublicKey;
  first: VoteBody & { signature: Signature };
  second: VoteBody & { signature: Signature };
}

export interface Block {
  header: BlockHeader;
  /** Raw signed Ethereum transactions (legacy RLP or EIP-2718 typed envelopes). */
  transactions: Uint8Array[];
  evidence: Evidence[];
  /** Notarization of the parent (null when the parent is genesis); its signers earn the voter reward. */
  parentNotarization: Certificate | null;
  /** The order-lane section; absent on chains without the lane (and then laneRoot is zero). */
  lane?: BlockLane;
}

export interface Validator {
  publicKey: PublicKey;
  /** The account that bonded the stake and receives rewards. */
  operator: Address;
  stake: bigint;
}

export interface ChainParams {
  chainId: bigint;
  /** Blocks per epoch: the validator set changes only at epoch boundaries. */
  epochLengthBlocks: number;
  /** Blocks an unbonding amount stays slashable before it returns to the operator. */
  unbondingPeriodBlocks: number;
  minValidatorStake: bigint;
  maxValidators: number;
  /** Share of stake slashed for equivocation, in basis points (1/10000). */
  slashFractionBps: number;
  /** Blocks a slashed validator stays jailed. */
  jailPeriodBlocks: number;
  /** New native tokens minted per block, split between proposer and the parent's voters. */
  blockReward: bigint;
  proposerRewardBps: number;
  /** Minimum base fee per gas (wei). */
  minBaseFeePerGas: bigint;
  blockGasLimit: bigint;
  maxTransactionsPerBlock: number;
}

/** Limits on decoded sizes: decoders reject anything larger before allocating. */
export const LIMITS = {
  maxTransactionBytes: 128 * 1024,
  maxTransactionsPerBlock: 20_000,
  maxEvidencePerBlock: 64,
  maxValidators: 1024,
  maxBlockBytes: 32 * 1024 * 1024,
} as const;
