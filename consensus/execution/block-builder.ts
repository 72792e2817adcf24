// The proposer's side: choose a block body from mempool candidates by trial application on a scratch overlay
// (the same order execution uses: evidence, then transactions), skipping every invalid candidate with its code,
// within ChainParams and LIMITS; then proposeBlock executes the body and fills in the header roots.

import { encodeEvidence } from "../codec/evidence-codec.ts";
import { bytesEqual, toHex } from "../crypto/hash.ts";
import type { Block, BlockHeader, Certificate, Evidence, Hash, PublicKey } from "../types.ts";
import { LIMITS } from "../types.ts";
import { applyTransaction } from "./apply-transaction.ts";
import { type EvidenceErrorCode, validateEvidence } from "./evidence-validation.ts";
import type { BlockEnv, ExecutionContext } from "./execution-context.ts";
import { type BlockExecution, type BlockFailure, executeBlock } from "./execute-block.ts";
import { baseFeePerGas } from "./fees.ts";
import { type KnownSender, type PreparedTransaction, prepareTransaction } from "./prepare-transaction.ts";
import { slash } from "./slashing.ts";
import { type TxErrorCode, TX_ERROR_MESSAGES } from "./tx-errors.ts";
import { getEpochRecord, getHeight } from "../state/state-access.ts";
import { StateOverlay } from "../state/state-overlay.ts";
import type { WorldState } from "../state/world-state.ts";
import type { BlockLane } from "../lane/lane-section.ts";
import { beginLaneBlock } from "../lane/lane-execution.ts";
import { cloneLaneState, type LaneState } from "../lane/lane-state.ts";

export interface SkippedTransaction {
  /** Index in the candidate list. */
  index: number;
  /** null when the bytes did not even decode. */
  hash: Hash | null;
  code: TxErrorCode;
  detail: string;
}

export interface BlockBody {
  transactions: Uint8Array[];
  /** The chosen transactions, prepared (pass to executeBlock's options to skip re-recovery). */
  prepared: PreparedTransaction[];
  evidence: Evidence[];
  skipped: SkippedTransaction[];
  skippedEvidence: { index: number; code: EvidenceErrorCode }[];
}

export interface BuildOptions {
  /** The proposing validator's key (must be in the current set). */
  proposer: PublicKey;
  evidence?: readonly Evidence[];
  /** Senders the mempool recovered already, by transaction hash: candidates skip recovery. */
  knownSender?: KnownSender;
  /**
   * On chains with the order lane: the parent's lane state and the block's section. Trial lane calls then run on a
   * scratch copy started as execution starts it (tick, prices), so deposits and withdrawals move value as they will.
   */
  lane?: { parent: LaneState; section: BlockLane };
}

/** Block bytes left for transactions after the header, evidence and a parent notarization. */
const BODY_OVERHEAD_BYTES = 256 * 1024;

function chooseEvidence(db: StateOverlay, candidates: readonly Evidence[], ctx: ExecutionContext, env: BlockEnv, body: BlockBody): void {
  candidates.forEach((ev, index) => {
    if (body.evidence.length >= LIMITS.maxEvidencePerBlock) return;
    const verdict = validateEvidence(ev, { chainId: ctx.params.chainId, ed25519Verify: ctx.ed25519Verify, state: db });
    if (verdict.action !== "accept") {
      body.skippedEvidence.push({ index, code: verdict.code });
      return;
    }
    slash(db, ev, env);
    body.evidence.push(ev);
  });
}

export function buildBlockBody(state: WorldState, candidates: readonly Uint8Array[], ctx: ExecutionContext, options: BuildOptions): BlockBody {
  const db = new StateOverlay(state);
  const isMember = getEpochRecord(db).current.validators.some((v) => bytesEqual(v.publicKey, options.proposer));
  if (!isMember) throw new RangeError("buildBlockBody: the proposer is not in the current validator set");
  const env: BlockEnv = {
    params: ctx.params,
    ed25519Verify: ctx.ed25519Verify,
    height: getHeight(db) + 1,
    baseFeePerGas: baseFeePerGas(ctx.params),
  };
  if (options.lane !== undefined && options.lane.parent.engine.height + 1 === env.height) {
    const lane = cloneLaneState(options.lane.parent);
    beginLaneBlock(lane, env.height, toHex(options.proposer), options.lane.section.prices);
    env.lane = { state: lane, events: [] };
  }
  const body: BlockBody = { transactions: [], prepared: [], evidence: [], skipped: [], skippedEvidence: [] };
  chooseEvidence(db, options.evidence ?? [], ctx, env, body);
  const maxTxs = Math.min(ctx.params.maxTransactionsPerBlock, LIMITS.maxTransactionsPerBlock);
  let bytesLeft = LIMITS.maxBlockBytes - BODY_OVERHEAD_BYTES - body.evidence.reduce((n, e) => n + encodeEvidence(e).length, 0);
  let gasUsed = 0n;
  const skip = (index: number, hash: Hash | null, code: TxErrorCode, detail = TX_ERROR_MESSAGES[code]) => body.skipped.push({ index, hash, code, detail });
  candidates.forEach((raw, index) => {
    if (body.transactions.length >= maxTxs) return skip(index, null, "TX_ERROR_BLOCK_FULL");
    if (raw.length + 4 > bytesLeft) return skip(index, null, "TX_ERROR_BLOCK_FULL", "block byte limit reached");
    const prepared = prepareTransaction(raw, ctx.params, ctx.recoverSigner, options.knownSender);
    if (!prepared.ok) return skip(index, null, prepared.code, prepared.detail);
    const ptx = prepared.value;
    if (gasUsed + ptx.tx.gasLimit > ctx.params.blockGasLimit) return skip(index, ptx.hash, "TX_ERROR_BLOCK_GAS_EXHAUSTED");
    const applied = applyTransaction(db, ptx, env);
    if (!applied.ok) return skip(index, ptx.hash, applied.code, applied.detail);
    gasUsed += applied.value.gasUsed;
    bytesLeft -= raw.length + 4;
    body.transactions.push(raw);
    body.prepared.push(ptx);
  });
  return body;
}

export interface ProposalInput {
  /** The header without its three roots, which are computed here. */
  header: Omit<BlockHeader, "stateRoot" | "transactionsRoot" | "evidenceRoot">;
  parentNotarization: Certificate | null;
  candidateTransactions: readonly Uint8Array[];
  candidateEvidence?: readonly Evidence[];
  knownSender?: KnownSender;
  /** On chains with the order lane: the parent's lane state and the section (header.laneRoot must match it). */
  lane?: { parent: LaneState; section: BlockLane };
}

export type ProposeResult = { ok: true; block: Block; execution: BlockExecution; body: BlockBody } | BlockFailure;

/** Builds a body, executes it and returns the complete block with its roots (and the execution, to commit later). */
export function proposeBlock(state: WorldState, input: ProposalInput, ctx: ExecutionContext): ProposeResult {
  const body = buildBlockBody(state, input.candidateTransactions, ctx, {
    proposer: input.header.proposer,
    evidence: input.candidateEvidence ?? [],
    ...(input.knownSender ? { knownSender: input.knownSender } : {}),
    ...(input.lane ? { lane: input.lane } : {}),
  });
  const zero = new Uint8Array(32);
  const draft: Block = {
    header: { ...input.header, stateRoot: zero, transactionsRoot: zero, evidenceRoot: zero },
    transactions: body.transactions,
    evidence: body.evidence,
    parentNotarization: input.parentNotarization,
    ...(input.lane ? { lane: input.lane.section } : {}),
  };
  const result = executeBlock(state, draft, ctx, { prepared: body.prepared, ...(input.lane ? { lane: input.lane.parent } : {}) });
  if (!result.ok) return result;
  const exec = result.value;
  const header: BlockHeader = { ...draft.header, stateRoot: exec.stateRoot, transactionsRoot: exec.transactionsRoot, evidenceRoot: exec.evidenceRoot };
  return { ok: true, block: { ...draft, header }, execution: exec, body };
}
