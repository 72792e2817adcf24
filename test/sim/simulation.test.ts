// Seeded simulation runs inside vitest: a modest number of seeds per configuration with the fast stand-in
// signatures, and a few seeds with real strict ed25519 (noble) so the signed paths are exercised for real.
// The CI runs many more seeds through `npm run sim` (see .ci/run).

import { describe, expect, it } from "vitest";
import { FAULT_KINDS } from "./faults.ts";
import { replayCommand, runSeed, type SimOptions } from "./simulation.ts";

function runAll(base: Omit<SimOptions, "seed">, seeds: number[]) {
  return seeds.map((seed) => {
    const options = { ...base, seed };
    const result = runSeed(options);
    return { options, result, replay: replayCommand(options) };
  });
}

function expectClean(runs: ReturnType<typeof runAll>) {
  const failures = runs.filter((r) => r.result.violations.length > 0).map((r) => `${r.replay}: ${JSON.stringify(r.result.violations)}`);
  expect(failures).toEqual([]);
  for (const r of runs) expect(r.result.finalizedBlocks).toBeGreaterThan(0);
}

describe("simulation", () => {
  it("4 honest nodes without faults finalize a block in almost every view, across epochs", () => {
    const [run] = runAll({ nodes: 4, byzantine: 0, faults: [], faultPhaseMs: 2000, quietPhaseMs: 4000 }, [1]);
    expectClean([run!]);
    expect(run!.result.finalizedBlocks).toBeGreaterThan(run!.result.views * 0.8);
    expect(run!.result.finalizedBlocks).toBeGreaterThan(32);
  });

  it("4 nodes, 1 Byzantine, every fault kind: safe, live after healing, evidence slashed", () => {
    const runs = runAll({ nodes: 4, byzantine: 1, faults: [...FAULT_KINDS] }, [11, 12, 13, 14, 15, 16]);
    expectClean(runs);
    expect(runs.reduce((n, r) => n + r.result.slashes, 0)).toBeGreaterThan(0);
  });

  it("7 nodes, 2 Byzantine, every fault kind", () => {
    expectClean(runAll({ nodes: 7, byzantine: 2, faults: [...FAULT_KINDS] }, [21, 22, 23]));
  });

  it("16 nodes, 5 Byzantine, every fault kind", () => {
    expectClean(runAll({ nodes: 16, byzantine: 5, faults: [...FAULT_KINDS], faultPhaseMs: 6000, quietPhaseMs: 8000 }, [31]));
  });

  it("real ed25519 signatures (noble, strict): 4 nodes, 1 Byzantine, crashes and drops", () => {
    const runs = runAll({ nodes: 4, byzantine: 1, faults: ["drop", "crash"], crypto: "ed25519", faultPhaseMs: 3000, quietPhaseMs: 4000 }, [41, 42]);
    expectClean(runs);
  });

  it("one seed replays to the same result", () => {
    const options: SimOptions = { seed: 77, nodes: 4, byzantine: 1, faults: ["drop", "partition", "crash"], faultPhaseMs: 4000, quietPhaseMs: 4000 };
    const a = runSeed(options);
    const b = runSeed(options);
    expect(b).toEqual(a);
  });
});
