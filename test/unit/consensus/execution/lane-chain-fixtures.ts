// A 4-validator devnet chain that runs the order lane, for block-level lane tests: genesis from
// generateDevnetGenesis (DEVNET_LANE), wallet transactions to LANE_ADDRESS signed with the development accounts,
// receipt batches signed with the devnet validator keys, fair order and cut-off computed as a proposer does,
// real parent notarizations. Test code only.

import { blockHash } from "../../../../consensus/codec/block-codec.ts";
import { voteSigningBytes } from "../../../../consensus/codec/vote-codec.ts";
import { nobleVerify, signEd25519 } from "../../../../consensus/crypto/ed25519.ts";
import { toHex, ZERO_HASH } from "../../../../consensus/crypto/hash.ts";
import { proposeBlock, type ProposeResult } from "../../../../consensus/execution/block-builder.ts";
import { epochInfoAt, validatorSetAt } from "../../../../consensus/execution/epoch.ts";
import type { BlockExecution } from "../../../../consensus/execution/execute-block.ts";
import type { ExecutionContext } from "../../../../consensus/execution/execution-context.ts";
import { nobleRecoverSigner } from "../../../../consensus/execution/recover-signer.ts";
import { signAndEncodeTransaction } from "../../../../consensus/execution/transaction-signer.ts";
import { TxType } from "../../../../consensus/execution/transaction.ts";
import { computeBlockLane, laneRoot } from "../../../../consensus/lane/fair-order.ts";
import { encodeLaneCall, LANE_ADDRESS, type LaneCall } from "../../../../consensus/lane/lane-call.ts";
import type { BlockLane, IndexPriceSubmission } from "../../../../consensus/lane/lane-section.ts";
import type { LaneState } from "../../../../consensus/lane/lane-state.ts";
import { orderId } from "../../../../consensus/lane/order-codec.ts";
import type { OrderAction } from "../../../../consensus/lane/order.ts";
import { signReceiptBatch, type ReceiptBatch } from "../../../../consensus/lane/receipt-batch.ts";
import type { WorldState } from "../../../../consensus/state/world-state.ts";
import { type Address, type Block, type Certificate, type Hash, VoteKind } from "../../../../consensus/types.ts";
import type { ValidatorSet } from "../../../../consensus/validator-set.ts";
import { devAccounts, type DevAccount } from "../../../../genesis/devnet-accounts.ts";
import { generateDevnetGenesis, type DevnetOptions } from "../../../../genesis/devnet-genesis.ts";
import { genesisLaneOf } from "../../../../genesis/genesis-lane.ts";
import { genesisWorldState } from "../../../../genesis/genesis-state-input.ts";
import type { Genesis } from "../../../../genesis/genesis.ts";

export const GWEI = 10n ** 9n;
export const ETHER = 10n ** 18n;
/** Every lane call pays the system-call gas (fees.ts STAKING_CALL_GAS) at base fee 1 gwei + tip 0.5 gwei. */
export const LANE_CALL_GAS = 50_000n;
export const GAS_PRICE = GWEI + GWEI / 2n;

/** Development accounts 0 and 1 (funded with 10,000 ether each); never validator operators. */
export const [ALICE, BOB, CAROL] = devAccounts(3) as [DevAccount, DevAccount, DevAccount];

export function laneTx(from: DevAccount, nonce: bigint, call: LaneCall, valueWei = 0n, chainId = 31337n): Uint8Array {
  return signAndEncodeTransaction(
    {
      type: TxType.DynamicFee, chainId, nonce, maxPriorityFeePerGas: GWEI / 2n, maxFeePerGas: 2n * GWEI, gasLimit: LANE_CALL_GAS,
      to: LANE_ADDRESS, value: valueWei, data: encodeLaneCall(call), accessList: [],
    },
    from.privateKey,
  );
}

export function transferTx(from: DevAccount, nonce: bigint, to: Address, valueWei: bigint): Uint8Array {
  return signAndEncodeTransaction(
    {
      type: TxType.DynamicFee, chainId: 31337n, nonce, maxPriorityFeePerGas: GWEI / 2n, maxFeePerGas: 2n * GWEI, gasLimit: 21_000n,
      to, value: valueWei, data: new Uint8Array(0), accessList: [],
    },
    from.privateKey,
  );
}

export interface SectionPlan {
  /** Orders and, per validator in set order, its stamp of each order (undefined: not stamped). */
  orders?: OrderAction[];
  stamps?: (number | undefined)[][];
  /** Per validator in set order; defaults to `cutoffUs` for all. */
  watermarksUs?: number[];
  prices?: IndexPriceSubmission[];
}

export interface Proposal {
  header: { height: number; view: number; parentHash: Hash; timestampMs: number; laneRoot: Hash };
  section: BlockLane;
}

/** The devnet chain as a proposer and its replicas see it; `advance` commits one block. */
export class LaneChain {
  readonly genesis: Genesis;
  readonly ctx: ExecutionContext;
  state: WorldState;
  /** The head's lane state (on a chain without the lane: an unused placeholder that is never read). */
  lane: LaneState;
  readonly blocks: Block[] = [];
  readonly executions: BlockExecution[] = [];
  private readonly secretByKey = new Map<string, Uint8Array>();
  private parent: { hash: Hash; view: number; set: ValidatorSet } | null = null;
  private batchSeq = 0;

  constructor(options: Partial<DevnetOptions> = {}) {
    const generated = generateDevnetGenesis({ validators: 4, ...options });
    this.genesis = generated.genesis;
    for (const k of generated.validatorKeys) this.secretByKey.set(toHex(k.publicKey), k.secretKey);
    this.ctx = { params: this.genesis.params, recoverSigner: nobleRecoverSigner, ed25519Verify: nobleVerify };
    this.state = genesisWorldState(this.genesis);
    this.lane = this.genesis.lane ? genesisLaneOf(this.genesis.lane, this.genesis.validators).state : (undefined as unknown as LaneState);
  }

  get height(): number {
    return this.blocks.length;
  }

  get set(): ValidatorSet {
    return validatorSetAt(this.state);
  }

  /** Block time of height h: one second after the previous, starting one second after genesis. */
  timestampMs(height = this.height + 1): number {
    return this.genesis.genesisTimeMs + height * 1_000;
  }

  secretOf(validator: number): Uint8Array {
    return this.secretByKey.get(toHex(this.set.get(validator)!.publicKey))!;
  }

  /** One signed batch per validator: its stamps of `orders` in stamp order, under its watermark. */
  batches(orders: readonly OrderAction[], stamps: readonly (readonly (number | undefined)[])[], watermarksUs: readonly number[]): ReceiptBatch[] {
    const { epoch } = epochInfoAt(this.state);
    const seq = this.batchSeq++;
    return stamps.map((row, validator) => {
      const receipts = row
        .map((stampUs, i) => ({ stampUs, orderId: orderId(orders[i]!) }))
        .filter((r): r is { stampUs: number; orderId: Uint8Array } => r.stampUs !== undefined)
        .sort((a, b) => a.stampUs - b.stampUs)
        .map((r, k) => ({ ...r, localSeq: k }));
      const body = { version: 1, chainId: this.genesis.chainId, epoch, validator, batchSeq: seq, watermarkUs: watermarksUs[validator]!, receipts };
      return signReceiptBatch(body, this.secretOf(validator));
    });
  }

  /**
   * The section a proposer builds: cut-off = min(the highest watermark a quorum reached, block time), the fair
   * order of the stamped orders recomputed by fair-order.ts, the header's laneRoot. Without a later cut-off,
   * an empty lane that keeps the parent's.
   */
  plan(p: SectionPlan = {}, timestampMs = this.timestampMs()): Proposal {
    const height = this.height + 1;
    const view = height * 2 + 1;
    const parentHash = this.parent?.hash ?? ZERO_HASH;
    const prices = p.prices ?? [];
    const header = { height, view, parentHash, timestampMs, laneRoot: ZERO_HASH };
    const orders = p.orders ?? [];
    const previousCutoffUs = this.genesis.lane ? this.lane.cutoffUs : 0;
    if (p.stamps === undefined) return { header, section: { cutoffUs: previousCutoffUs, prices, evidence: [], orders: [] } };
    const set = this.set;
    const watermarks = p.watermarksUs ?? set.validators.map(() => timestampMs * 1000);
    const cutoffUs = Math.min(quorumWatermark(set, watermarks), timestampMs * 1000);
    const evidence = this.batches(orders, p.stamps, watermarks);
    const bodies = new Map(orders.map((o) => [toHex(orderId(o)), o]));
    const computed = computeBlockLane({
      chainId: this.genesis.chainId, epoch: epochInfoAt(this.state).epoch, set, evidence, previousCutoffUs, cutoffUs, seed: parentHash, bodies,
    });
    if (!computed.ok) throw new Error(`test plan has no valid lane: ${computed.code} ${computed.detail}`);
    const ordered = computed.value.entries.map((e) => bodies.get(toHex(e.orderId))!);
    return { header: { ...header, laneRoot: laneRoot(computed.value.entries.map((e) => e.orderId)) }, section: { cutoffUs, prices, evidence, orders: ordered } };
  }

  propose(proposal: Proposal, txs: readonly Uint8Array[] = []): ProposeResult {
    const set = this.set;
    return proposeBlock(
      this.state,
      {
        header: { chainId: this.genesis.chainId, proposer: set.get(set.leaderOf(proposal.header.view))!.publicKey, ...proposal.header },
        parentNotarization: this.parent ? this.notarize(this.parent.set, this.parent.view, this.parent.hash) : null,
        candidateTransactions: txs,
        ...(this.genesis.lane ? { lane: { parent: this.lane, section: proposal.section } } : {}),
      },
      this.ctx,
    );
  }

  /** Proposes and commits; throws when the proposal failed (a test bug). */
  advance(proposal: Proposal = this.plan(), txs: readonly Uint8Array[] = []): BlockExecution & { block: Block; skippedCodes: string[] } {
    const setBefore = this.set;
    const r = this.propose(proposal, txs);
    if (!r.ok) throw new Error(`proposal failed: ${r.code} ${r.detail}`);
    this.blocks.push(r.block);
    this.executions.push(r.execution);
    this.parent = { hash: blockHash(r.block.header), view: r.block.header.view, set: setBefore };
    this.state = r.execution.state;
    if (r.execution.lane) this.lane = r.execution.lane.state;
    return { ...r.execution, block: r.block, skippedCodes: r.body.skipped.map((s) => s.code) };
  }

  notarize(set: ValidatorSet, view: number, hash: Hash): Certificate {
    const body = { kind: VoteKind.Notarize, view, blockHash: hash };
    const message = voteSigningBytes(this.genesis.chainId, body);
    return { ...body, signers: set.validators.map((v, validator) => ({ validator, signature: signEd25519(this.secretByKey.get(toHex(v.publicKey))!, message) })) };
  }
}

/** The highest time W such that validators with more than 2/3 of the stake have a watermark >= W. */
export function quorumWatermark(set: ValidatorSet, watermarksUs: readonly number[]): number {
  const byWatermark = watermarksUs.map((w, v) => ({ w, v })).sort((a, b) => b.w - a.w);
  let stake = 0n;
  for (const { w, v } of byWatermark) {
    stake += set.get(v)!.stake;
    if (set.isQuorum(stake)) return w;
  }
  return 0;
}
