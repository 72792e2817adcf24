// Why a transaction is refused. Every refusal carries one of these codes so the mempool and JSON-RPC can show it;
// the messages follow go-ethereum's wording where one exists, because wallets (viem, ethers) match on it.
// Stateless codes come from decoding and policy; stateful ones from checking against an account.

export type TxErrorCode =
  | "TX_ERROR_TOO_LARGE"
  | "TX_ERROR_MALFORMED"
  | "TX_ERROR_NON_CANONICAL"
  | "TX_ERROR_UNSUPPORTED_TYPE"
  | "TX_ERROR_MISSING_CHAIN_ID"
  | "TX_ERROR_WRONG_CHAIN_ID"
  | "TX_ERROR_INVALID_SIGNATURE"
  | "TX_ERROR_SIGNATURE_HIGH_S"
  | "TX_ERROR_CONTRACT_CREATION_UNSUPPORTED"
  | "TX_ERROR_CONTRACT_CALL_UNSUPPORTED"
  | "TX_ERROR_STAKING_MALFORMED_CALL"
  | "TX_ERROR_LANE_MALFORMED_CALL"
  | "TX_ERROR_INTRINSIC_GAS_TOO_LOW"
  | "TX_ERROR_GAS_LIMIT_ABOVE_BLOCK_LIMIT"
  | "TX_ERROR_TIP_ABOVE_FEE_CAP"
  | "TX_ERROR_FEE_CAP_BELOW_BASE_FEE"
  | "TX_ERROR_NONCE_TOO_LOW"
  | "TX_ERROR_NONCE_TOO_HIGH"
  | "TX_ERROR_NONCE_MAX"
  | "TX_ERROR_INSUFFICIENT_FUNDS"
  | "TX_ERROR_BLOCK_GAS_EXHAUSTED"
  | "TX_ERROR_BLOCK_FULL";

export const TX_ERROR_MESSAGES: Record<TxErrorCode, string> = {
  TX_ERROR_TOO_LARGE: "oversized data",
  TX_ERROR_MALFORMED: "rlp: malformed transaction",
  TX_ERROR_NON_CANONICAL: "rlp: non-canonical encoding",
  TX_ERROR_UNSUPPORTED_TYPE: "transaction type not supported",
  TX_ERROR_MISSING_CHAIN_ID: "only replay-protected (EIP-155) transactions allowed",
  TX_ERROR_WRONG_CHAIN_ID: "invalid chain id for signer",
  TX_ERROR_INVALID_SIGNATURE: "invalid transaction v, r, s values",
  TX_ERROR_SIGNATURE_HIGH_S: "invalid transaction v, r, s values: high s (EIP-2)",
  TX_ERROR_CONTRACT_CREATION_UNSUPPORTED: "contract creation is not supported: this chain only transfers value",
  TX_ERROR_CONTRACT_CALL_UNSUPPORTED: "contract calls are not supported: a transfer must carry no data",
  TX_ERROR_STAKING_MALFORMED_CALL: "staking call data is malformed",
  TX_ERROR_LANE_MALFORMED_CALL: "order-lane call data is malformed",
  TX_ERROR_INTRINSIC_GAS_TOO_LOW: "intrinsic gas too low",
  TX_ERROR_GAS_LIMIT_ABOVE_BLOCK_LIMIT: "exceeds block gas limit",
  TX_ERROR_TIP_ABOVE_FEE_CAP: "max priority fee per gas higher than max fee per gas",
  TX_ERROR_FEE_CAP_BELOW_BASE_FEE: "max fee per gas less than block base fee",
  TX_ERROR_NONCE_TOO_LOW: "nonce too low",
  TX_ERROR_NONCE_TOO_HIGH: "nonce too high",
  TX_ERROR_NONCE_MAX: "nonce has max value",
  TX_ERROR_INSUFFICIENT_FUNDS: "insufficient funds for gas * price + value",
  TX_ERROR_BLOCK_GAS_EXHAUSTED: "gas limit reached",
  TX_ERROR_BLOCK_FULL: "block transaction count limit reached",
};

export type TxResult<T> = { ok: true; value: T } | { ok: false; code: TxErrorCode; detail: string };

export function txError<T>(code: TxErrorCode, detail: string = TX_ERROR_MESSAGES[code]): TxResult<T> {
  return { ok: false, code, detail };
}
