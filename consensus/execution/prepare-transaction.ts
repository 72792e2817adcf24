// Everything about a transaction that does not depend on state: decode, chain id, signature range (EIP-2),
// the transfers-only policy with its one exception (staking calls), fee-field sanity, intrinsic gas, and
// finally sender recovery (the costly step, so last). The mempool runs this once per received transaction.

import type { Address, ChainParams, Hash } from "../types.ts";
import { intrinsicGas } from "./fees.ts";
import { type RecoverSigner, checkSignatureRange } from "./recover-signer.ts";
import { type StakingCall, decodeStakingCall, isStakingAddress } from "./staking-call.ts";
import { type LaneCall, decodeLaneCall, isLaneAddress } from "../lane/lane-call.ts";
import { decodeTransaction } from "./transaction-codec.ts";
import { NONCE_MAX, type SignedTransaction } from "./transaction.ts";
import { type TxResult, txError } from "./tx-errors.ts";

export interface PreparedTransaction {
  raw: Uint8Array;
  hash: Hash;
  tx: SignedTransaction;
  from: Address;
  /** Decoded staking operation when `to` is the staking address; null for a plain transfer. */
  stakingCall: StakingCall | null;
  /** A call to the lane system address (lane/lane-call.ts), decoded. */
  laneCall: LaneCall | null;
  /** Gas the transaction uses (fixed per kind): also its minimum gas limit. */
  gasUsed: bigint;
}

/** Stateless rules on a decoded transaction, sender not yet known. */
export function checkTransactionRules(
  tx: SignedTransaction,
  params: ChainParams,
): TxResult<{ stakingCall: StakingCall | null; laneCall: LaneCall | null; gasUsed: bigint }> {
  if (tx.chainId !== params.chainId) {
    return txError("TX_ERROR_WRONG_CHAIN_ID", `chain id ${tx.chainId}, this chain is ${params.chainId}`);
  }
  const range = checkSignatureRange(tx.r, tx.s);
  if (range === "high-s") return txError("TX_ERROR_SIGNATURE_HIGH_S");
  if (range === "invalid") return txError("TX_ERROR_INVALID_SIGNATURE", "r or s out of range");
  if (tx.to === null) return txError("TX_ERROR_CONTRACT_CREATION_UNSUPPORTED");
  let stakingCall: StakingCall | null = null;
  let laneCall: LaneCall | null = null;
  if (isStakingAddress(tx.to)) {
    const call = decodeStakingCall(tx.data);
    if (!call.ok) return txError("TX_ERROR_STAKING_MALFORMED_CALL", call.detail);
    stakingCall = call.value;
  } else if (isLaneAddress(tx.to)) {
    const call = decodeLaneCall(tx.data);
    if (!call.ok) return txError("TX_ERROR_LANE_MALFORMED_CALL", call.detail);
    laneCall = call.value;
  } else if (tx.data.length > 0) {
    return txError("TX_ERROR_CONTRACT_CALL_UNSUPPORTED");
  }
  if (tx.maxPriorityFeePerGas > tx.maxFeePerGas) return txError("TX_ERROR_TIP_ABOVE_FEE_CAP");
  const gasUsed = intrinsicGas(tx, stakingCall !== null || laneCall !== null);
  if (tx.gasLimit < gasUsed) return txError("TX_ERROR_INTRINSIC_GAS_TOO_LOW", `gas limit ${tx.gasLimit} below ${gasUsed}`);
  if (tx.gasLimit > params.blockGasLimit) return txError("TX_ERROR_GAS_LIMIT_ABOVE_BLOCK_LIMIT");
  if (tx.nonce >= NONCE_MAX) return txError("TX_ERROR_NONCE_MAX");
  return { ok: true, value: { stakingCall, laneCall, gasUsed } };
}

/**
 * Senders this node already recovered, by transaction hash (e.g. the mempool's, filled at gossip time). The hash
 * covers the signature, so equal hashes mean equal bytes and the same sender; only locally computed entries.
 */
export type KnownSender = (txHash: Hash) => Address | undefined;

/** Decode, check every stateless rule, recover the sender (unless known). Never throws on any input bytes. */
export function prepareTransaction(
  raw: Uint8Array,
  params: ChainParams,
  recover: RecoverSigner,
  knownSender?: KnownSender,
): TxResult<PreparedTransaction> {
  const decoded = decodeTransaction(raw);
  if (!decoded.ok) return decoded;
  const { tx, hash, signingHash } = decoded.value;
  const rules = checkTransactionRules(tx, params);
  if (!rules.ok) return rules;
  const from = knownSender?.(hash) ?? recover(signingHash, tx.r, tx.s, tx.yParity);
  if (from === null) return txError("TX_ERROR_INVALID_SIGNATURE", "no public key recovers from the signature");
  return { ok: true, value: { raw, hash, tx, from, stakingCall: rules.value.stakingCall, laneCall: rules.value.laneCall, gasUsed: rules.value.gasUsed } };
}
