// The order-lane simulation's block loop: stake-weighted proposers build blocks from the receipt batches that
// reached them, Byzantine proposers attack (omit, insert late, reorder, future cut-off, censor by dropping
// evidence), honest validators check each proposal with validateBlockLane and re-stamp orders that missed.
// Seeded and single-threaded; checkers over the result live in lane-checkers.ts.

import { toHex } from "../../../consensus/crypto/hash.ts";
import { validateBlockLane, type BlockLaneSection } from "../../../consensus/lane/block-lane.ts";
import { computeBlockLane, laneRoot, type LaneEntry, type LaneInput } from "../../../consensus/lane/fair-order.ts";
import { orderId } from "../../../consensus/lane/order-codec.ts";
import type { OrderAction } from "../../../consensus/lane/order.ts";
import type { ReceiptBatch } from "../../../consensus/lane/receipt-batch.ts";
import { fakeVerify } from "../sim-crypto.ts";
import { CHAIN_ID, LaneWorld, type LaneSimConfig, type SimValidator } from "./lane-world.ts";

export interface CommittedBlock {
  height: number;
  view: number;
  previousCutoffUs: number;
  cutoffUs: number;
  seed: Uint8Array;
  byzantineProposer: boolean;
  evidence: ReceiptBatch[];
  entries: LaneEntry[];
  root: string;
}

export type Attack = "omit-order" | "insert-late" | "reorder" | "future-cutoff" | "censor";
const MUST_REJECT: readonly Attack[] = ["omit-order", "insert-late", "reorder", "future-cutoff"];

export interface LaneSimResult {
  world: LaneWorld;
  blocks: CommittedBlock[];
  attacks: Map<Attack, { tried: number; rejected: number }>;
  /** A must-reject attack that an honest replica accepted (a checker failure). */
  acceptedForgeries: string[];
  /** Orders honest validators re-stamped after they missed their window. */
  restamps: number;
}

function lagUs(cfg: LaneSimConfig): number {
  return cfg.deltaUs + 2 * cfg.netDelayMaxUs + 2 * cfg.skewMaxUs + 200;
}

/** Highest time up to which validators with more than 2/3 of stake have reported. */
function quorumWatermark(world: LaneWorld, evidence: readonly ReceiptBatch[]): number {
  const best = new Map<number, number>();
  for (const b of evidence) best.set(b.validator, Math.max(best.get(b.validator) ?? 0, b.watermarkUs));
  let stake = 0n;
  for (const [v, w] of [...best].sort((a, b) => b[1] - a[1])) {
    stake += world.set.get(v)!.stake;
    if (world.set.isQuorum(stake)) return w;
  }
  return 0;
}

class LaneSim {
  readonly world: LaneWorld;
  readonly blocks: CommittedBlock[] = [];
  readonly attacks = new Map<Attack, { tried: number; rejected: number }>();
  readonly acceptedForgeries: string[] = [];
  readonly executed = new Set<string>();
  restamps = 0;
  private previousCutoffUs = 0;
  private parent: Uint8Array = new Uint8Array(32);

  constructor(readonly cfg: LaneSimConfig) {
    this.world = new LaneWorld(cfg);
    this.world.makeOrders();
    this.world.stampAll();
  }

  /** Batches that reached the proposer by `nowUs`, from the ticks that can still matter. */
  private available(nowUs: number): ReceiptBatch[] {
    const lookbackUs = 6 * this.cfg.blockIntervalUs;
    const firstTick = Math.max(0, Math.floor((this.previousCutoffUs - lookbackUs) / this.cfg.deltaUs));
    const out: ReceiptBatch[] = [];
    for (const v of this.world.validators) {
      for (let k = firstTick; this.world.batchSendUs(v, k) + this.cfg.netDelayMaxUs <= nowUs; k++) {
        if (this.world.batchSendUs(v, k) + this.world.delay() <= nowUs) out.push(this.world.batch(v, k));
      }
    }
    return out;
  }

  private input(evidence: ReceiptBatch[], cutoffUs: number): LaneInput {
    const bodies = new Map<string, OrderAction>();
    for (const o of this.world.orders) bodies.set(o.key, o.action);
    return { chainId: CHAIN_ID, epoch: 0, set: this.world.set, evidence, previousCutoffUs: this.previousCutoffUs, cutoffUs, seed: this.parent, bodies };
  }

  private section(entries: readonly LaneEntry[], evidence: ReceiptBatch[]): BlockLaneSection {
    return { evidence, orders: entries.map((e) => this.world.byOrderKey.get(toHex(e.orderId))!.action) };
  }

  /** One view: returns true when a block committed. */
  step(view: number, nowUs: number): boolean {
    const proposer = this.world.validators[this.world.set.leaderOf(view)]!;
    let evidence = this.available(nowUs);
    const cutoffUs = Math.min(nowUs + proposer.offsetUs - lagUs(this.cfg), quorumWatermark(this.world, evidence));
    if (cutoffUs <= this.previousCutoffUs) return false;
    const byzantine = this.cfg.byzantineProposer && proposer.stamper !== "honest";
    let attack: Attack | undefined;
    if (byzantine) {
      attack = this.world.prng.pick<Attack>(["omit-order", "insert-late", "reorder", "future-cutoff", "censor"]);
      if (attack === "censor") evidence = this.censor(evidence);
    }
    const computed = computeBlockLane(this.input(evidence, cutoffUs));
    if (!computed.ok) throw new Error(`seed ${this.cfg.seed}: proposer cannot build: ${computed.code} ${computed.detail}`);
    let section = this.section(computed.value.entries, evidence);
    let claimedCutoffUs = cutoffUs;
    if (attack === "future-cutoff") claimedCutoffUs = quorumWatermark(this.world, evidence) + 10 * this.cfg.deltaUs;
    else if (attack !== undefined && attack !== "censor") {
      const forged = this.forge(attack, section);
      if (forged) section = forged;
      else attack = "censor";
    }
    const ctx = {
      chainId: CHAIN_ID, epoch: 0, set: this.world.set, previousCutoffUs: this.previousCutoffUs, cutoffUs: claimedCutoffUs,
      seed: this.parent, verify: fakeVerify, laneRoot: laneRoot(section.orders.map((o) => orderId(o))),
    };
    const verdict = validateBlockLane(section, ctx);
    if (attack) this.record(attack, verdict.action === "accept", view);
    if (verdict.action !== "accept") {
      if (!attack) throw new Error(`seed ${this.cfg.seed} view ${view}: honest block rejected: ${verdict.code} ${verdict.detail ?? ""}`);
      return false;
    }
    this.commit(view, cutoffUs, byzantine, evidence, computed.value.entries, computed.value.late, nowUs);
    return true;
  }

  private record(attack: Attack, accepted: boolean, view: number): void {
    const stats = this.attacks.get(attack) ?? { tried: 0, rejected: 0 };
    stats.tried++;
    if (!accepted) stats.rejected++;
    else if (MUST_REJECT.includes(attack)) this.acceptedForgeries.push(`seed ${this.cfg.seed} view ${view}: ${attack}`);
    this.attacks.set(attack, stats);
  }

  /** Keeps each validator's latest batch (so the watermark quorum holds) and drops half of the others. */
  private censor(evidence: ReceiptBatch[]): ReceiptBatch[] {
    const latest = new Map<number, number>();
    for (const b of evidence) latest.set(b.validator, Math.max(latest.get(b.validator) ?? -1, b.batchSeq));
    return evidence.filter((b) => latest.get(b.validator) === b.batchSeq || this.world.prng.chance(0.5));
  }

  private forge(attack: Attack, section: BlockLaneSection): BlockLaneSection | undefined {
    const orders = section.orders.slice();
    if (attack === "omit-order") {
      if (orders.length === 0) return undefined;
      orders.splice(this.world.prng.int(0, orders.length - 1), 1);
    } else if (attack === "reorder") {
      if (orders.length < 2) return undefined;
      const i = this.world.prng.int(0, orders.length - 2);
      [orders[i], orders[i + 1]] = [orders[i + 1]!, orders[i]!];
    } else {
      const inBlock = new Set(orders.map((o) => toHex(orderId(o))));
      const candidates = this.world.orders.filter((o) => !this.executed.has(o.key) && !inBlock.has(o.key));
      if (candidates.length === 0) return undefined;
      orders.splice(this.world.prng.int(0, orders.length), 0, this.world.prng.pick(candidates).action);
    }
    return { evidence: section.evidence, orders };
  }

  private commit(view: number, cutoffUs: number, byzantine: boolean, evidence: ReceiptBatch[], entries: LaneEntry[], late: string[], nowUs: number): void {
    const root = laneRoot(entries.map((e) => e.orderId));
    this.blocks.push({ height: this.blocks.length + 1, view, previousCutoffUs: this.previousCutoffUs, cutoffUs, seed: this.parent, byzantineProposer: byzantine, evidence, entries, root: toHex(root) });
    for (const e of entries) this.executed.add(toHex(e.orderId));
    this.previousCutoffUs = cutoffUs;
    this.parent = root; // stands in for the block hash
    const missed = late.filter((key) => !this.executed.has(key));
    for (const v of this.world.validators) if (v.stamper === "honest") this.restamp(v, missed, nowUs);
  }

  /**
   * Honest rule: an order the committed block reports late (a quorum stamped it, its window closed without it) and
   * that has not executed is re-stamped now. Every honest validator decides from the same block, so they re-stamp
   * together and the new stamps fall in one window.
   */
  private restamp(v: SimValidator, missed: readonly string[], nowUs: number): void {
    for (const key of missed) {
      if (!v.stamped.has(key)) continue;
      this.world.addReceipt(v, key, orderId(this.world.byOrderKey.get(key)!.action), nowUs + v.offsetUs);
      this.restamps++;
    }
  }
}

export function runLaneSim(cfg: LaneSimConfig): LaneSimResult {
  const sim = new LaneSim(cfg);
  const endUs = 10_000 + cfg.durationUs + 40 * cfg.blockIntervalUs;
  let nowUs = cfg.blockIntervalUs;
  for (let view = 1; nowUs < endUs; view++) {
    const committed = sim.step(view, nowUs);
    nowUs += committed ? cfg.blockIntervalUs : Math.floor(cfg.blockIntervalUs / 4);
  }
  return { world: sim.world, blocks: sim.blocks, attacks: sim.attacks, acceptedForgeries: sim.acceptedForgeries, restamps: sim.restamps };
}
