// Executes a proposed block on its parent state, deterministically: header sanity, parent notarization, evidence
// (validate, slash, jail), transactions in order (any invalid one makes the block invalid), tips, block reward, unbonding
// releases, height, and at an epoch boundary the next validator set. Returns the new snapshot, its write set,
// receipts and the three roots; validateBlockRoots compares them with what the proposer put in the header.

import { bytesEqual, toHex } from "../crypto/hash.ts";
import { ACCEPT, type Verdict } from "../errors.ts";
import type { Block, BlockHeader, Hash, Validator } from "../types.ts";
import { LIMITS } from "../types.ts";
import { evidenceRoot, transactionsRoot } from "./block-roots.ts";
import { type EvidenceErrorCode, validateEvidence } from "./evidence-validation.ts";
import type { BlockEnv, ExecutionContext } from "./execution-context.ts";
import { advanceEpoch, isEpochBoundary } from "./epoch.ts";
import { baseFeePerGas } from "./fees.ts";
import { type TxOutcome, applyTransaction } from "./apply-transaction.ts";
import { type KnownSender, type PreparedTransaction, prepareTransaction } from "./prepare-transaction.ts";
import type { Receipt } from "./receipt.ts";
import { type NotarizationErrorCode, distributeRewards, validateParentNotarization } from "./rewards.ts";
import { slash } from "./slashing.ts";
import type { TxErrorCode } from "./tx-errors.ts";
import { releaseUnbonding } from "./unbonding-release.ts";
import { creditAccount, getEpochRecord, getHeight, putHeight } from "../state/state-access.ts";
import { StateOverlay } from "../state/state-overlay.ts";
import type { StateWrite, WorldState } from "../state/world-state.ts";
import type { LaneState } from "../lane/lane-state.ts";
import { ValidatorSet } from "../validator-set.ts";
import { beginLaneStep, finishLaneStep, type LaneBlockExecution, type LaneStepErrorCode, type LaneStepFailure } from "./lane-step.ts";

export type BlockErrorCode =
  | "BLOCK_ERROR_WRONG_CHAIN_ID"
  | "BLOCK_ERROR_WRONG_HEIGHT"
  | "BLOCK_ERROR_TOO_MANY_TRANSACTIONS"
  | "BLOCK_ERROR_TOO_MANY_EVIDENCE"
  | "BLOCK_ERROR_UNKNOWN_PROPOSER"
  | "BLOCK_ERROR_INVALID_TRANSACTION"
  | "BLOCK_ERROR_GAS_LIMIT_EXCEEDED"
  | "BLOCK_ERROR_INVALID_EVIDENCE"
  | "BLOCK_ERROR_STATE_ROOT_MISMATCH"
  | "BLOCK_ERROR_TRANSACTIONS_ROOT_MISMATCH"
  | "BLOCK_ERROR_EVIDENCE_ROOT_MISMATCH"
  | LaneStepErrorCode
  | NotarizationErrorCode;

export interface BlockExecution {
  state: WorldState;
  /** The block's state changes, sorted by key: node/store persists exactly these. */
  writeSet: StateWrite[];
  receipts: Receipt[];
  stateRoot: Hash;
  transactionsRoot: Hash;
  evidenceRoot: Hash;
  gasUsed: bigint;
  minted: bigint;
  burnedFees: bigint;
  slashed: bigint;
  released: bigint;
  /** The set for the next heights differs from the one before (only at an epoch boundary). */
  validatorSetChanged: boolean;
  /** The order lane's result, on chains that run it (ExecuteOptions.lane). */
  lane?: LaneBlockExecution;
}

export interface BlockFailure {
  ok: false;
  code: BlockErrorCode;
  detail: string;
  /** Index of the offending transaction or evidence. */
  index?: number;
  txCode?: TxErrorCode;
  evidenceCode?: EvidenceErrorCode;
}

export type ExecuteBlockResult = { ok: true; value: BlockExecution } | BlockFailure;

export interface ExecuteOptions {
  /** Already prepared transactions (same order and same raw byte arrays as the block): skips re-recovery. */
  prepared?: readonly PreparedTransaction[];
  /** Senders recovered earlier by this node (mempool), by transaction hash: skips their recovery. */
  knownSender?: KnownSender;
  /** The parent's lane state, on chains that run the order lane (never changed: execution works on a clone). */
  lane?: LaneState;
}

function failure(code: BlockErrorCode, detail: string, extra: Partial<BlockFailure> = {}): BlockFailure {
  return { ok: false, code, detail, ...extra };
}

function checkHeader(db: StateOverlay, block: Block, ctx: ExecutionContext): BlockFailure | Validator {
  const { header } = block;
  const { params } = ctx;
  if (header.chainId !== params.chainId) return failure("BLOCK_ERROR_WRONG_CHAIN_ID", `chain id ${header.chainId}`);
  const parentHeight = getHeight(db);
  if (header.height !== parentHeight + 1) return failure("BLOCK_ERROR_WRONG_HEIGHT", `height ${header.height} on parent ${parentHeight}`);
  const maxTxs = Math.min(params.maxTransactionsPerBlock, LIMITS.maxTransactionsPerBlock);
  if (block.transactions.length > maxTxs) return failure("BLOCK_ERROR_TOO_MANY_TRANSACTIONS", `${block.transactions.length} > ${maxTxs}`);
  if (block.evidence.length > LIMITS.maxEvidencePerBlock) return failure("BLOCK_ERROR_TOO_MANY_EVIDENCE", `${block.evidence.length}`);
  const proposer = getEpochRecord(db).current.validators.find((v) => bytesEqual(v.publicKey, header.proposer));
  if (proposer === undefined) return failure("BLOCK_ERROR_UNKNOWN_PROPOSER", toHex(header.proposer));
  return proposer;
}

function applyEvidence(db: StateOverlay, block: Block, ctx: ExecutionContext, env: BlockEnv): BlockFailure | bigint {
  let slashed = 0n;
  for (let i = 0; i < block.evidence.length; i++) {
    const ev = block.evidence[i]!;
    const verdict = validateEvidence(ev, { chainId: ctx.params.chainId, ed25519Verify: ctx.ed25519Verify, state: db });
    if (verdict.action !== "accept") {
      return failure("BLOCK_ERROR_INVALID_EVIDENCE", verdict.detail ?? verdict.code, { index: i, evidenceCode: verdict.code });
    }
    slashed += slash(db, ev, env);
  }
  return slashed;
}

interface TxTotals {
  receipts: Receipt[];
  gasUsed: bigint;
  burnedFees: bigint;
  tips: bigint;
}

function applyTransactions(db: StateOverlay, block: Block, ctx: ExecutionContext, env: BlockEnv, options: ExecuteOptions): BlockFailure | TxTotals {
  const totals: TxTotals = { receipts: [], gasUsed: 0n, burnedFees: 0n, tips: 0n };
  for (let i = 0; i < block.transactions.length; i++) {
    const raw = block.transactions[i]!;
    const given = options.prepared?.[i];
    const prepared = given !== undefined && given.raw === raw ? { ok: true as const, value: given } : prepareTransaction(raw, ctx.params, ctx.recoverSigner, options.knownSender);
    if (!prepared.ok) return failure("BLOCK_ERROR_INVALID_TRANSACTION", prepared.detail, { index: i, txCode: prepared.code });
    const ptx = prepared.value;
    if (totals.gasUsed + ptx.tx.gasLimit > ctx.params.blockGasLimit) {
      return failure("BLOCK_ERROR_GAS_LIMIT_EXCEEDED", `transaction ${i} gas limit exceeds what the block has left`, { index: i });
    }
    const applied = applyTransaction(db, ptx, env);
    if (!applied.ok) return failure("BLOCK_ERROR_INVALID_TRANSACTION", applied.detail, { index: i, txCode: applied.code });
    totals.gasUsed += applied.value.gasUsed;
    totals.burnedFees += applied.value.burned;
    totals.tips += applied.value.tip;
    totals.receipts.push(receiptOf(ptx, applied.value, totals.gasUsed));
  }
  return totals;
}

function receiptOf(ptx: PreparedTransaction, out: TxOutcome, cumulativeGasUsed: bigint): Receipt {
  return {
    transactionHash: ptx.hash,
    from: ptx.from,
    to: ptx.tx.to,
    status: out.status,
    gasUsed: out.gasUsed,
    cumulativeGasUsed,
    effectiveGasPrice: out.effectiveGasPrice,
    revertCode: out.revertCode,
  };
}

/** Executes `block` on `state` (its parent). Never throws on peer-supplied blocks; failures carry a code. */
export function executeBlock(state: WorldState, block: Block, ctx: ExecutionContext, options: ExecuteOptions = {}): ExecuteBlockResult {
  const db = new StateOverlay(state);
  const proposer = checkHeader(db, block, ctx);
  if ("ok" in proposer) return proposer;
  const epoch = getEpochRecord(db);
  const notarization = validateParentNotarization(block, epoch, ctx);
  if (notarization.verdict.action !== "accept") {
    return failure(notarization.verdict.code, notarization.verdict.detail ?? notarization.verdict.code);
  }
  const height = block.header.height;
  const env: BlockEnv = { params: ctx.params, ed25519Verify: ctx.ed25519Verify, height, baseFeePerGas: baseFeePerGas(ctx.params) };
  let laneBegun: Exclude<ReturnType<typeof beginLaneStep>, LaneStepFailure> | undefined;
  if (options.lane !== undefined) {
    const set = new ValidatorSet(epoch.current.validators, epoch.current.seed);
    const begun = beginLaneStep({ block, parent: options.lane, set, epoch: epoch.epoch, ctx });
    if ("ok" in begun) return failure(begun.code, begun.detail);
    laneBegun = begun;
    env.lane = { state: begun.lane, events: begun.events };
  } else if (block.lane !== undefined) {
    return failure("BLOCK_ERROR_INVALID_LANE", "this chain runs no order lane");
  }
  const slashed = applyEvidence(db, block, ctx, env);
  if (typeof slashed !== "bigint") return slashed;
  const txs = applyTransactions(db, block, ctx, env, options);
  if ("ok" in txs) return txs;
  const lane = laneBegun === undefined ? undefined : finishLaneStep(db, laneBegun, height);
  creditAccount(db, proposer.operator, txs.tips);
  const minted = distributeRewards(db, proposer, notarization.signers, ctx.params.blockReward, ctx.params.proposerRewardBps);
  const released = releaseUnbonding(db, height);
  putHeight(db, height);
  const validatorSetChanged = isEpochBoundary(height, ctx.params) ? advanceEpoch(db, height, block.header.parentHash, ctx.params) : false;
  const { state: next, writeSet } = db.commit();
  return {
    ok: true,
    value: {
      state: next,
      writeSet,
      receipts: txs.receipts,
      stateRoot: next.stateRoot,
      transactionsRoot: transactionsRoot(block.transactions),
      evidenceRoot: evidenceRoot(block.evidence),
      gasUsed: txs.gasUsed,
      minted,
      burnedFees: txs.burnedFees,
      slashed,
      released,
      validatorSetChanged,
      ...(lane === undefined ? {} : { lane }),
    },
  };
}

export type RootErrorCode = "BLOCK_ERROR_STATE_ROOT_MISMATCH" | "BLOCK_ERROR_TRANSACTIONS_ROOT_MISMATCH" | "BLOCK_ERROR_EVIDENCE_ROOT_MISMATCH";

/** Compares the proposer's header roots with the re-execution's. */
export function validateBlockRoots(header: BlockHeader, exec: BlockExecution): Verdict<RootErrorCode> {
  if (!bytesEqual(header.transactionsRoot, exec.transactionsRoot)) return { action: "reject", code: "BLOCK_ERROR_TRANSACTIONS_ROOT_MISMATCH" };
  if (!bytesEqual(header.evidenceRoot, exec.evidenceRoot)) return { action: "reject", code: "BLOCK_ERROR_EVIDENCE_ROOT_MISMATCH" };
  if (!bytesEqual(header.stateRoot, exec.stateRoot)) return { action: "reject", code: "BLOCK_ERROR_STATE_ROOT_MISMATCH" };
  return ACCEPT;
}

/** Executes and checks the header roots: what a validator runs before voting for a proposal. */
export function verifyBlock(state: WorldState, block: Block, ctx: ExecutionContext, options: ExecuteOptions = {}): ExecuteBlockResult {
  const result = executeBlock(state, block, ctx, options);
  if (!result.ok) return result;
  const roots = validateBlockRoots(block.header, result.value);
  if (roots.action !== "accept") return failure(roots.code, "header root differs from re-execution");
  return result;
}
