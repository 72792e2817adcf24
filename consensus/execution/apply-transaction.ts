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
import { assert } from "../errors.ts";
import { LANE_ADDRESS } from "../lane/lane-call.ts";
import { applyLaneCall, type LaneCallErrorCode } from "../lane/lane-execution.ts";

export interface TxOutcome {
  /** 1 success, 0 reverted (a refused staking operation). */
  status: 0 | 1;
  gasUsed: bigint;
  /** Base fee + tip actually paid per gas. */
  effectiveGasPrice: bigint;
  burned: bigint;
  tip: bigint;
  /** Why a reverted transaction reverted. */
  revertCode: StakingErrorCode | LaneCallErrorCode | null;
}

/**
 * A lane system call: the engine decides, then native value moves between the sender and the lane escrow
 * (LANE_ADDRESS). A refusal reverts; so does any lane call on a chain without the lane (or in a builder's trial).
 */
function laneCall(db: StateWriter, ptx: PreparedTransaction, env: BlockEnv): LaneCallErrorCode | null {
  if (env.lane === undefined) return "LANE_CALL_ERROR_NO_LANE";
  const result = applyLaneCall(env.lane.state, ptx.laneCall!, ptx.from, ptx.tx.value);
  if (!result.ok) return result.code;
  env.lane.events.push(...result.events);
  if (result.debitWei > 0n) {
    const sender = getAccount(db, ptx.from);
    putAccount(db, ptx.from, { ...sender, balance: sender.balance - result.debitWei });
    creditAccount(db, LANE_ADDRESS, result.debitWei);
  }
  if (result.creditWei > 0n) {
    const escrow = getAccount(db, LANE_ADDRESS);
    assert(escrow.balance >= result.creditWei, "lane escrow holds every withdrawable quote unit");
    putAccount(db, LANE_ADDRESS, { ...escrow, balance: escrow.balance - result.creditWei });
    creditAccount(db, ptx.from, result.creditWei);
  }
  return null;
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
  const isCall = ptx.stakingCall !== null || ptx.laneCall !== null;
  const moved = isCall ? 0n : tx.value;
  putAccount(db, ptx.from, { balance: sender.balance - burned - tip - moved, nonce: sender.nonce + 1n });
  let revertCode: StakingErrorCode | LaneCallErrorCode | null = null;
  if (ptx.stakingCall !== null) revertCode = applyStakingCall(db, ptx.stakingCall, ptx.from, tx.value, env);
  else if (ptx.laneCall !== null) revertCode = laneCall(db, ptx, env);
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
