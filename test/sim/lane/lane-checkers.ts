// Checkers for the order-lane simulation: one per guarantee stated in consensus/lane/fair-order.ts (range,
// linearizability, cut-off integrity, bounded censorship, deterministic replay) and the measured rate of
// receive-order violations. Each returns numbers and the first few failures, each failure naming the seed.

import { toHex } from "../../../consensus/crypto/hash.ts";
import { computeBlockLane } from "../../../consensus/lane/fair-order.ts";
import type { OrderAction } from "../../../consensus/lane/order.ts";
import { Prng } from "../prng.ts";
import type { LaneSimResult } from "./lane-sim.ts";
import { CHAIN_ID } from "./lane-world.ts";

export interface CheckReport {
  failures: string[];
  [metric: string]: number | string[];
}

interface Placement {
  block: number;
  position: number;
  laneClass: number;
}

function placements(r: LaneSimResult): Map<string, Placement> {
  const out = new Map<string, Placement>();
  for (const b of r.blocks) {
    b.entries.forEach((e, position) => {
      const key = toHex(e.orderId);
      if (!out.has(key)) out.set(key, { block: b.height, position, laneClass: e.laneClass });
    });
  }
  return out;
}

/** Every stamp an honest validator issued for each order (originals and re-stamps). */
function honestStamps(r: LaneSimResult): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const v of r.world.validators) {
    if (v.stamper !== "honest") continue;
    for (const rc of v.receipts) {
      const list = out.get(rc.orderKey) ?? [];
      list.push(rc.stampUs);
      out.set(rc.orderKey, list);
    }
  }
  return out;
}

/** G1: assigned time between the lowest and highest honest stamp of the earliest quorum. G3: an honest stamp before the cut-off. */
export function checkRangeAndCutoff(r: LaneSimResult): CheckReport {
  const failures: string[] = [];
  let checked = 0;
  for (const b of r.blocks) {
    for (const e of b.entries) {
      checked++;
      const honest = e.quorum.filter((q) => r.world.isHonest(q.validator)).map((q) => q.stampUs);
      const lo = Math.min(...honest);
      const hi = Math.max(...honest);
      if (!(honest.length > 0 && lo <= e.assignedTimeUs && e.assignedTimeUs <= hi)) {
        failures.push(`seed ${r.world.cfg.seed} block ${b.height}: assigned ${e.assignedTimeUs} outside honest [${lo}, ${hi}]`);
      }
      if (!(lo < b.cutoffUs)) failures.push(`seed ${r.world.cfg.seed} block ${b.height}: no honest stamp before the cut-off`);
    }
  }
  return { failures: failures.slice(0, 5), checked };
}

/** G2: if all honest stamps of A precede all honest stamps of B and both executed, A is not placed after B. */
export function checkLinearizability(r: LaneSimResult): CheckReport {
  const placed = placements(r);
  const honest = honestStamps(r);
  const rows = [...placed].map(([key, p]) => ({ key, p, lo: Math.min(...honest.get(key)!), hi: Math.max(...honest.get(key)!) }));
  rows.sort((a, b) => a.hi - b.hi);
  const failures: string[] = [];
  let pairs = 0;
  for (let i = 0; i < rows.length; i++) {
    for (let j = 0; j < rows.length; j++) {
      const a = rows[i]!;
      const b = rows[j]!;
      if (!(a.hi < b.lo)) continue;
      pairs++;
      const bad = a.p.block > b.p.block || (a.p.block === b.p.block && a.p.laneClass === b.p.laneClass && a.p.position > b.p.position);
      if (bad && failures.length < 5) failures.push(`seed ${r.world.cfg.seed}: ${a.key.slice(0, 8)} after ${b.key.slice(0, 8)}`);
    }
  }
  return { failures, pairs };
}

/**
 * G4: every order that honest validators hold is executed, within k blocks of the first block whose cut-off is
 * past all its honest first stamps; k is measured and compared with the bound (longest Byzantine run + 2).
 */
export function checkCensorship(r: LaneSimResult): CheckReport {
  const placed = placements(r);
  const failures: string[] = [];
  let longestRun = 0;
  let run = 0;
  for (const b of r.blocks) {
    run = b.byzantineProposer ? run + 1 : 0;
    longestRun = Math.max(longestRun, run);
  }
  let maxDelayBlocks = 0;
  let delaySum = 0;
  let held = 0;
  const firstByValidator = r.world.validators.filter((v) => v.stamper === "honest").map((v) => {
    const first = new Map<string, number>();
    for (const x of v.receipts) if (!first.has(x.orderKey)) first.set(x.orderKey, x.stampUs);
    return first;
  });
  for (const o of r.world.orders) {
    const firsts = firstByValidator.map((m) => m.get(o.key));
    if (firsts.some((s) => s === undefined)) continue; // not held by every honest validator: no promise
    held++;
    const last = Math.max(...(firsts as number[]));
    const due = r.blocks.find((b) => b.cutoffUs > last);
    const at = placed.get(o.key);
    if (!at || !due) {
      if (failures.length < 5) failures.push(`seed ${r.world.cfg.seed}: order ${o.key.slice(0, 8)} never executed`);
      continue;
    }
    const delay = Math.max(0, at.block - due.height);
    delaySum += delay;
    maxDelayBlocks = Math.max(maxDelayBlocks, delay);
  }
  const boundBlocks = longestRun + 2;
  if (maxDelayBlocks > boundBlocks) failures.push(`seed ${r.world.cfg.seed}: delay ${maxDelayBlocks} blocks > bound ${boundBlocks}`);
  return { failures, held, maxDelayBlocks, boundBlocks, meanDelayBlocks: held === 0 ? 0 : delaySum / held };
}

/** G5 (part): each block's lane recomputed from shuffled evidence gives the same root. The other part re-runs the seed. */
export function checkEvidenceOrderIndependence(r: LaneSimResult): CheckReport {
  const failures: string[] = [];
  const prng = new Prng(r.world.cfg.seed ^ 0xabcdef);
  const bodies = new Map<string, OrderAction>(r.world.orders.map((o) => [o.key, o.action]));
  for (const b of r.blocks) {
    const evidence = prng.shuffle(b.evidence.slice());
    const again = computeBlockLane({ chainId: CHAIN_ID, epoch: 0, set: r.world.set, evidence, previousCutoffUs: b.previousCutoffUs, cutoffUs: b.cutoffUs, seed: b.seed, bodies });
    const ids = again.ok ? again.value.entries.map((e) => toHex(e.orderId)).join() : "";
    if (ids !== b.entries.map((e) => toHex(e.orderId)).join()) failures.push(`seed ${r.world.cfg.seed} block ${b.height}: evidence order changed the lane`);
  }
  return { failures: failures.slice(0, 5), blocks: r.blocks.length };
}

/**
 * Receive-order fairness, measured: among executed pairs of one class whose true send times differ by less than
 * `windowUs`, the share executed opposite to the send order. Also over all executed pairs of one class.
 */
export function receiveOrderViolations(r: LaneSimResult, windowUs: number): { closePairs: number; closeViolations: number; allPairs: number; allViolations: number } {
  const placed = placements(r);
  const rows = r.world.orders.filter((o) => placed.has(o.key)).map((o) => ({ sendUs: o.sendUs, p: placed.get(o.key)! }));
  rows.sort((a, b) => a.sendUs - b.sendUs);
  let closePairs = 0, closeViolations = 0, allPairs = 0, allViolations = 0;
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length; j++) {
      const a = rows[i]!;
      const b = rows[j]!;
      if (a.sendUs === b.sendUs || a.p.laneClass !== b.p.laneClass) continue;
      const violated = a.p.block > b.p.block || (a.p.block === b.p.block && a.p.position > b.p.position);
      allPairs++;
      if (violated) allViolations++;
      if (b.sendUs - a.sendUs < windowUs) {
        closePairs++;
        if (violated) closeViolations++;
      }
    }
  }
  return { closePairs, closeViolations, allPairs, allViolations };
}
