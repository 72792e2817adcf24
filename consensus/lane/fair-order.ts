// Fair ordering of the order lane (Pompē-style, DESIGN "Order lane"): from the receipt batches a block carries as
// evidence, compute which orders the block holds and in which order. Pure and deterministic: every validator
// recomputes the proposer's list (validateBlockLane) and the result depends on no clock, no input order.
// Not the execution of orders (the engine), nor the choice of cut-off (the node derives it from the block time).
//
// Rule. For each order take, per validator, its latest stamp below the cut-off C_h (at most one per validator).
// Sort the stamps by (stamp, validator index); P is the shortest prefix whose stake is more than 2/3 of the total
// (the earliest quorum). Without such a prefix the order is not eligible. Its assigned time t is the lower
// stake-weighted median of P: the first stamp of P at which 2 * (stake up to and including it) >= stake(P).
// Block h holds exactly the eligible orders with C_{h-1} <= t < C_h (an order of a closed window is "late" and is
// reported, not included). Order: class (cancels, post-only, rest; order.ts laneClassOf), then t, then the
// tie-break sha256(tag || seed || order id) where seed is the parent block hash, then the id. The block's cut-off
// must not exceed the watermark (batch field) that validators with more than 2/3 of stake reported.
// Why the earliest quorum's median: any set of more than 2/3 stake holds more than 1/3 honest stake, so its
// weighted median has honest stamps on both sides; taking the earliest quorum fixes t once a quorum has stamped,
// so later stamps (slow paths, Byzantine validators stamping late) cannot move it or make a closed window reopen.
//
// Guarantees. Assume Byzantine stake < 1/3 of the epoch's stake; H(o) = the honest stamps of o that the block's
// evidence counts; stamps are the signers' own clocks (honest clocks within a skew bound σ of true time).
//  G1 range:      min H(o) <= t(o) <= max H(o) for every included o. No synchrony needed.
//  G2 linearizability: if every stamp an honest validator issued for A precedes every one issued for B, and both
//                 execute, then A's block is not after B's, and inside one block and one class A comes first.
//                 (From G1 and disjoint windows.) Classes deliberately reorder inside a block: cancels go first.
//  G3 cut-off integrity: an order is in block h only if an honest validator stamped it before C_h (a quorum
//                 stamped it before C_h); nothing else can be inserted, omitted or moved, since the list is a
//                 function of the evidence, the cut-offs and the seed, and replicas recompute it.
//  G4 bounded censorship: with synchrony (honest batches reach the proposer within the cut-off lag) and honest
//                 validators re-stamping, when block h reports an order late (LaneOutcome.late) and it has not
//                 executed, an order every honest validator holds (they relay bodies) is included within
//                 (longest run of Byzantine proposers + 2) blocks of the first cut-off past its honest stamps.
//                 A Byzantine proposer can delay an order (omit evidence) but not reorder or insert.
//  G5 deterministic replay: same evidence, cut-offs, seed and bodies give the same list on every replica, in any
//                 evidence order. A proposer still chooses which valid batches to include: within G1's bounds.

import { domainTag } from "../crypto/domains.ts";
import { sha256Parts } from "../crypto/sha256-fast.ts";
import { bytesEqual, compareBytes, toHex } from "../crypto/hash.ts";
import { merkleRoot } from "../merkle.ts";
import type { Hash } from "../types.ts";
import type { ValidatorSet } from "../validator-set.ts";
import { orderId } from "./order-codec.ts";
import { laneClassOf, type LaneClass, type OrderActionBody } from "./order.ts";
import { validateReceiptBatchShape, type ReceiptBatch } from "./receipt-batch.ts";

/** Receipt batches one block may carry as lane evidence, and receipts in all of them. */
export const LANE_EVIDENCE_BATCHES_MAX = 8192;
export const LANE_EVIDENCE_RECEIPTS_MAX = 262_144;
/** Order bodies one block may carry. */
export const LANE_ORDERS_PER_BLOCK_MAX = 65_536;

const TIE_BREAK_TAG = domainTag("laneTieBreak");

export type LaneErrorCode =
  | "LANE_ERROR_TOO_MUCH_EVIDENCE"
  | "LANE_ERROR_BAD_BATCH"
  | "LANE_ERROR_DUPLICATE_BATCH"
  | "LANE_ERROR_CUTOFF_NOT_INCREASING"
  | "LANE_ERROR_CUTOFF_ABOVE_WATERMARK"
  | "LANE_ERROR_MISSING_BODY"
  | "LANE_ERROR_TOO_MANY_ORDERS";

export interface LaneInput {
  chainId: bigint;
  epoch: number;
  set: ValidatorSet;
  evidence: readonly ReceiptBatch[];
  /** Cut-off of the previous block (0 at the lane's start) and of this block, µs. */
  previousCutoffUs: number;
  cutoffUs: number;
  /** The parent block hash: fixed before the proposer of this block is known to have any order. */
  seed: Hash;
  /** Order bodies by hex order id; the ones no entry uses are ignored here. */
  bodies: ReadonlyMap<string, OrderActionBody>;
}

export interface LaneEntry {
  orderId: Hash;
  assignedTimeUs: number;
  laneClass: LaneClass;
  tieBreak: Hash;
  body: OrderActionBody;
  /** Validators whose stamps formed the earliest quorum, by stamp (for audits and the simulation's checkers). */
  quorum: { validator: number; stampUs: number }[];
}

export interface LaneOutcome {
  entries: LaneEntry[];
  /** Eligible orders whose assigned time lies before the previous cut-off: not in this block (hex ids). */
  late: string[];
}

export type LaneResult = { ok: true; value: LaneOutcome } | { ok: false; code: LaneErrorCode; detail: string };

function fail(code: LaneErrorCode, detail: string): LaneResult {
  return { ok: false, code, detail };
}

export function laneTieBreak(seed: Hash, id: Hash): Hash {
  return sha256Parts([TIE_BREAK_TAG, seed, id]);
}

type Stamp = { validator: number; stampUs: number };

/** Earliest quorum and its lower stake-weighted median, or undefined when no quorum stamped. */
export function assignedTime(stamps: readonly Stamp[], set: ValidatorSet): { timeUs: number; quorum: Stamp[] } | undefined {
  const sorted = [...stamps].sort((a, b) => a.stampUs - b.stampUs || a.validator - b.validator);
  let stake = 0n;
  let end = -1;
  for (let i = 0; i < sorted.length; i++) {
    stake += set.get(sorted[i]!.validator)!.stake;
    if (set.isQuorum(stake)) {
      end = i;
      break;
    }
  }
  if (end < 0) return undefined;
  const quorum = sorted.slice(0, end + 1);
  let acc = 0n;
  for (const s of quorum) {
    acc += set.get(s.validator)!.stake;
    if (2n * acc >= stake) return { timeUs: s.stampUs, quorum };
  }
  return undefined; // unreachable: the last element brings acc to stake
}

/** Checks limits and batch shapes; returns per order (hex id) the latest stamp per validator below the cut-off. */
function collectStamps(input: LaneInput): Map<string, Map<number, number>> | LaneResult {
  if (input.evidence.length > LANE_EVIDENCE_BATCHES_MAX) return fail("LANE_ERROR_TOO_MUCH_EVIDENCE", `${input.evidence.length} batches`);
  let receipts = 0;
  for (const b of input.evidence) receipts += b.receipts.length;
  if (receipts > LANE_EVIDENCE_RECEIPTS_MAX) return fail("LANE_ERROR_TOO_MUCH_EVIDENCE", `${receipts} receipts`);
  const seen = new Set<string>();
  const watermarkByValidator = new Map<number, number>();
  const stamps = new Map<string, Map<number, number>>();
  for (const batch of input.evidence) {
    const shape = validateReceiptBatchShape(batch, input);
    if (shape.action !== "accept") return fail("LANE_ERROR_BAD_BATCH", `validator ${batch.validator} batch ${batch.batchSeq}: ${shape.code}`);
    const name = `${batch.validator}/${batch.batchSeq}`;
    if (seen.has(name)) return fail("LANE_ERROR_DUPLICATE_BATCH", name);
    seen.add(name);
    watermarkByValidator.set(batch.validator, Math.max(watermarkByValidator.get(batch.validator) ?? 0, batch.watermarkUs));
    for (const r of batch.receipts) {
      if (r.stampUs >= input.cutoffUs) continue;
      const key = toHex(r.orderId);
      let perValidator = stamps.get(key);
      if (!perValidator) stamps.set(key, (perValidator = new Map()));
      const prior = perValidator.get(batch.validator);
      if (prior === undefined || r.stampUs > prior) perValidator.set(batch.validator, r.stampUs);
    }
  }
  const complete = [...watermarkByValidator].filter(([, w]) => w >= input.cutoffUs).map(([v]) => v);
  if (!input.set.isQuorum(input.set.stakeOf(complete))) {
    return fail("LANE_ERROR_CUTOFF_ABOVE_WATERMARK", `cut-off ${input.cutoffUs} above a quorum's watermark`);
  }
  return stamps;
}

function compareEntries(a: LaneEntry, b: LaneEntry): number {
  return (
    a.laneClass - b.laneClass ||
    a.assignedTimeUs - b.assignedTimeUs ||
    compareBytes(a.tieBreak, b.tieBreak) ||
    compareBytes(a.orderId, b.orderId)
  );
}

/** The block's lane: which orders, in which order. The proposer runs it to build; replicas to check. */
export function computeBlockLane(input: LaneInput): LaneResult {
  if (!(input.cutoffUs > input.previousCutoffUs)) {
    return fail("LANE_ERROR_CUTOFF_NOT_INCREASING", `${input.cutoffUs} <= ${input.previousCutoffUs}`);
  }
  const stamps = collectStamps(input);
  if (!(stamps instanceof Map)) return stamps;
  const entries: LaneEntry[] = [];
  const late: string[] = [];
  for (const [key, perValidator] of stamps) {
    const list = [...perValidator].map(([validator, stampUs]) => ({ validator, stampUs }));
    const at = assignedTime(list, input.set);
    if (!at) continue;
    if (at.timeUs < input.previousCutoffUs) {
      late.push(key);
      continue;
    }
    const body = input.bodies.get(key);
    if (!body) return fail("LANE_ERROR_MISSING_BODY", key);
    const id = orderId(body);
    if (toHex(id) !== key) return fail("LANE_ERROR_MISSING_BODY", `body filed under ${key} has another id`);
    const tieBreak = laneTieBreak(input.seed, id);
    entries.push({ orderId: id, assignedTimeUs: at.timeUs, laneClass: laneClassOf(body), tieBreak, body, quorum: at.quorum });
  }
  if (entries.length > LANE_ORDERS_PER_BLOCK_MAX) return fail("LANE_ERROR_TOO_MANY_ORDERS", `${entries.length} orders`);
  entries.sort(compareEntries);
  late.sort();
  return { ok: true, value: { entries, late } };
}

/** The header's laneRoot: Merkle root (consensus/merkle.ts) of the ordered order ids; zero hash when empty. */
export function laneRoot(orderIds: readonly Hash[]): Hash {
  return merkleRoot(orderIds);
}

export function sameOrderIds(a: readonly Hash[], b: readonly Hash[]): boolean {
  return a.length === b.length && a.every((id, i) => bytesEqual(id, b[i]!));
}
