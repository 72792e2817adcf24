// Seeded order-lane simulations: n validators (4..16) with f < n/3 by stake Byzantine (lying stampers and a
// Byzantine proposer), clients sending to several validators over random delays, skewed clocks. Checks the five
// guarantees of consensus/lane/fair-order.ts and prints the measured rate of receive-order violations.
import { describe, expect, it } from "vitest";
import { checkCensorship, checkEvidenceOrderIndependence, checkLinearizability, checkRangeAndCutoff, receiveOrderViolations } from "./lane-checkers.ts";
import { runLaneSim } from "./lane-sim.ts";
import type { LaneSimConfig } from "./lane-world.ts";

function config(seed: number, validators: number, over: Partial<LaneSimConfig> = {}): LaneSimConfig {
  return {
    seed, validators, orders: 600, durationUs: 400_000, deltaUs: 5_000, blockIntervalUs: 20_000, skewMaxUs: 300,
    netDelayMinUs: 50, netDelayMaxUs: 1_500, byzantineStampers: true, byzantineProposer: true, ...over,
  };
}

const CASES: [number, number][] = [[1, 4], [2, 7], [3, 10], [4, 16]];

describe("order lane simulation", () => {
  for (const [seed, n] of CASES) {
    it(`seed ${seed}, ${n} validators, Byzantine stampers and proposer: all five guarantees hold`, () => {
      const r = runLaneSim(config(seed, n));
      const range = checkRangeAndCutoff(r);
      const lin = checkLinearizability(r);
      const censor = checkCensorship(r);
      const evidenceOrder = checkEvidenceOrderIndependence(r);
      const replay = runLaneSim(config(seed, n));
      const attacks = Object.fromEntries([...r.attacks].map(([k, v]) => [k, `${v.rejected}/${v.tried} rejected`]));
      const rate = receiveOrderViolations(r, 2 * 300);
      const byzantine = r.world.validators.filter((v) => v.stamper !== "honest").map((v) => v.stamper);
      console.log(
        `lane sim seed=${seed} n=${n} byzantine=[${byzantine}] blocks=${r.blocks.length} executed=${r.blocks.reduce((s, b) => s + b.entries.length, 0)}/${r.world.orders.length}` +
          ` restamps=${r.restamps} attacks=${JSON.stringify(attacks)} linPairs=${lin.pairs} censorship: held=${censor.held} maxDelay=${censor.maxDelayBlocks} (bound ${censor.boundBlocks})` +
          ` meanDelay=${(censor.meanDelayBlocks as number).toFixed(3)} receive-order violations: close(<600us)=${rate.closeViolations}/${rate.closePairs}` +
          ` (${((100 * rate.closeViolations) / Math.max(1, rate.closePairs)).toFixed(2)}%) all=${rate.allViolations}/${rate.allPairs}` +
          ` (${((100 * rate.allViolations) / Math.max(1, rate.allPairs)).toFixed(3)}%)`,
      );
      expect(r.acceptedForgeries).toEqual([]);
      expect(range.failures).toEqual([]);
      expect(lin.failures).toEqual([]);
      expect(censor.failures).toEqual([]);
      expect(evidenceOrder.failures).toEqual([]);
      expect(replay.blocks.map((b) => b.root)).toEqual(r.blocks.map((b) => b.root));
      expect(r.blocks.length).toBeGreaterThan(10);
    });
  }

  it("with no Byzantine validator every order executes and no forged block is tried", () => {
    const r = runLaneSim(config(9, 7, { byzantineStampers: false, byzantineProposer: false }));
    expect(r.attacks.size).toBe(0);
    expect(r.blocks.reduce((s, b) => s + b.entries.length, 0)).toBe(r.world.orders.length);
    expect(checkLinearizability(r).failures).toEqual([]);
    const rate = receiveOrderViolations(r, 600);
    console.log(`lane sim honest n=7: receive-order violations close(<600us)=${rate.closeViolations}/${rate.closePairs} all=${rate.allViolations}/${rate.allPairs}`);
  });
});
