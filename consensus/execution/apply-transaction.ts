// Applies one prepared transaction to state: the stateful checks (nonce, fee cap against the base fee, balance
// for value + gasLimit * fee cap), then fees (base fee burned, tip returned), then the value
// transfer or the staking operation. A refused staking operation reverts: fees and nonce stand, nothing else.
// Tips are returned to the caller, which credits their sum to the proposer's operator after the last transaction.

import { effectiveTipPerGas, maxTransactionCost } from "./fees.ts";
import type { BlockEnv } from "./execution-context.ts";
import type { PreparedTransaction } from "./prepare-transaction.ts";
import { type StakingErrorCode, applyStakingCall } from "./staking-ops.ts";
import { type TxResult, txError } from "./tx-errors.ts";
import { type StateWriter, creditAccount, getAccount, putAccount } from "../state/state-access.ts";
import type { StateReader } from "../state/world-state.ts";
import type { Account } from "../state/account.ts";

export interface TxOutcome {
  /** 1 success, 0 reverted (a refused staking operation). */
  status: 0 | 1;
  gasUsed: bigint;
  /** Base fee + tip actually paid per gas. */
  effectiveGasPrice: bigint;
  burned: bigint;
  tip: bigint;
  /** Why a reverted transaction reverted. */
  revertCode: StakingErrorCode | null;
}

/** Whether the transaction may run on top of `db` now (used by the mempool, the builder and execution). */
export function checkTransactionAgainstState(
  db: StateReader,
  ptx: PreparedTransaction,
  baseFeePerGas: bigint,
): TxResult<void> {
  return checkAgainstAccount(getAccount(db, ptx.from), ptx, baseFeePerGas);
}

function checkAgainstAccount(account: Account, ptx: PreparedTransaction, baseFeePerGas: bigint): TxResult<void> {
  const { tx } = ptx;
  if (tx.maxFeePerGas < baseFeePerGas) {
    return txError("TX_ERROR_FEE_CAP_BELOW_BASE_FEE", `fee cap ${tx.maxFeePerGas} below base fee ${baseFeePerGas}`);
  }
  if (tx.nonce < account.nonce) return txError("TX_ERROR_NONCE_TOO_LOW", `nonce ${tx.nonce}, account nonce ${account.nonce}`);
  if (tx.nonce > account.nonce) return txError("TX_ERROR_NONCE_TOO_HIGH", `nonce ${tx.nonce}, account nonce ${account.nonce}`);
  const cost = maxTransactionCost(tx);
  if (account.balance < cost) {
    return txError("TX_ERROR_INSUFFICIENT_FUNDS", `balance ${account.balance}, needs ${cost}`);
  }
  return { ok: true, value: undefined };
}

/**
 * Applies `ptx`. The tip is returned, not credited: the block credits all tips to the proposer's operator after
 * its last transaction, so the proposer cannot spend, within a block, tips that block has not yet finished paying.
 */
export function applyTransaction(db: StateWriter, ptx: PreparedTransaction, env: BlockEnv): TxResult<TxOutcome> {
  const sender = getAccount(db, ptx.from);
  const check = checkAgainstAccount(sender, ptx, env.baseFeePerGas);
  if (!check.ok) return check;
  const { tx, gasUsed } = ptx;
  const tipPerGas = effectiveTipPerGas(tx, env.baseFeePerGas);
  const burned = gasUsed * env.baseFeePerGas;
  const tip = gasUsed * tipPerGas;
  const moved = ptx.stakingCall === null ? tx.value : 0n;
  putAccount(db, ptx.from, { balance: sender.balance - burned - tip - moved, nonce: sender.nonce + 1n });
  let revertCode: StakingErrorCode | null = null;
  if (ptx.stakingCall !== null) revertCode = applyStakingCall(db, ptx.stakingCall, ptx.from, tx.value, env);
  else creditAccount(db, tx.to!, moved);
  return {
    ok: true,
    value: {
      status: revertCode === null ? 1 : 0,
      gasUsed,
      effectiveGasPrice: env.baseFeePerGas + tipPerGas,
      burned,
      tip,
      revertCode,
    },
  };
}
