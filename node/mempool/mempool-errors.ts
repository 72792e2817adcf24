// Why the mempool refuses a transaction: the stateless TX_ERROR_* codes of prepareTransaction, plus the pool's
// own MEMPOOL_ERROR_* codes. Messages follow go-ethereum's txpool wording ("already known", "nonce too low",
// "replacement transaction underpriced", ...) because wallets (viem, ethers, MetaMask) match on the prefix;
// callers branch on `code`, never on the text. Refusals are data (peer input), never exceptions.

import { XdpchainError } from "../../consensus/errors.ts";
import { TX_ERROR_MESSAGES, type TxErrorCode } from "../../consensus/execution/tx-errors.ts";

/** TX_ERROR_* codes that depend on state or on a block: prepareTransaction never returns them. */
type StatefulTxErrorCode =
  | "TX_ERROR_FEE_CAP_BELOW_BASE_FEE"
  | "TX_ERROR_NONCE_TOO_LOW"
  | "TX_ERROR_NONCE_TOO_HIGH"
  | "TX_ERROR_INSUFFICIENT_FUNDS"
  | "TX_ERROR_BLOCK_GAS_EXHAUSTED"
  | "TX_ERROR_BLOCK_FULL";

export type StatelessTxErrorCode = Exclude<TxErrorCode, StatefulTxErrorCode>;

export type MempoolOwnErrorCode =
  | "MEMPOOL_ERROR_ALREADY_KNOWN"
  | "MEMPOOL_ERROR_NONCE_TOO_LOW"
  | "MEMPOOL_ERROR_NONCE_GAP"
  | "MEMPOOL_ERROR_INSUFFICIENT_FUNDS"
  | "MEMPOOL_ERROR_FEE_CAP_BELOW_BASE_FEE"
  | "MEMPOOL_ERROR_REPLACEMENT_UNDERPRICED"
  | "MEMPOOL_ERROR_POOL_FULL"
  | "MEMPOOL_ERROR_SENDER_FULL";

export type MempoolErrorCode = StatelessTxErrorCode | MempoolOwnErrorCode;

/** The leading words of each message: the part wallets match on. Details follow after ": ". */
export const MEMPOOL_ERROR_MESSAGES: Record<MempoolOwnErrorCode, string> = {
  MEMPOOL_ERROR_ALREADY_KNOWN: "already known",
  MEMPOOL_ERROR_NONCE_TOO_LOW: "nonce too low",
  MEMPOOL_ERROR_NONCE_GAP: "nonce too high",
  MEMPOOL_ERROR_INSUFFICIENT_FUNDS: "insufficient funds for gas * price + value",
  MEMPOOL_ERROR_FEE_CAP_BELOW_BASE_FEE: "max fee per gas less than block base fee",
  MEMPOOL_ERROR_REPLACEMENT_UNDERPRICED: "replacement transaction underpriced",
  MEMPOOL_ERROR_POOL_FULL: "txpool is full",
  MEMPOOL_ERROR_SENDER_FULL: "account limit exceeded",
};

export interface MempoolRejection {
  ok: false;
  code: MempoolErrorCode;
  message: string;
}

const STATEFUL_TX_CODES: ReadonlySet<TxErrorCode> = new Set<StatefulTxErrorCode>([
  "TX_ERROR_FEE_CAP_BELOW_BASE_FEE",
  "TX_ERROR_NONCE_TOO_LOW",
  "TX_ERROR_NONCE_TOO_HIGH",
  "TX_ERROR_INSUFFICIENT_FUNDS",
  "TX_ERROR_BLOCK_GAS_EXHAUSTED",
  "TX_ERROR_BLOCK_FULL",
]);

export function isStatelessTxErrorCode(code: TxErrorCode): code is StatelessTxErrorCode {
  return !STATEFUL_TX_CODES.has(code);
}

/** A pool refusal: "<go-ethereum words>" or "<go-ethereum words>: <detail>". */
export function mempoolRejection(code: MempoolOwnErrorCode, detail?: string): MempoolRejection {
  const head = MEMPOOL_ERROR_MESSAGES[code];
  return { ok: false, code, message: detail === undefined ? head : `${head}: ${detail}` };
}

/** A stateless refusal from prepareTransaction, its detail appended when it says more than the standard text. */
export function txRejection(code: StatelessTxErrorCode, detail: string): MempoolRejection {
  const head = TX_ERROR_MESSAGES[code];
  return { ok: false, code, message: detail === head || detail === "" ? head : `${head}: ${detail}` };
}

/** Operating errors of the mempool itself (bad configuration), as opposed to refusals of transactions. */
export class MempoolError extends XdpchainError<"MEMPOOL_ERROR_INVALID_LIMITS", { field: string }> {}
