// Simulated views per second: how fast the simulator explores (wall clock, one core). Configurations: 4 and 16
// nodes, honest and fault-free, then with f Byzantine and every fault kind. Median of RUNS runs each, one JSON
// line per configuration, each with its ratio to the 4-node fault-free baseline measured in the same run.
// Usage: npm run bench:sim [-- --runs 5]

import { FAULT_KINDS } from "../test/sim/faults.ts";
import { runSeed, type SimOptions } from "../test/sim/simulation.ts";

const runsFlag = process.argv.indexOf("--runs");
const RUNS = runsFlag >= 0 ? Number(process.argv[runsFlag + 1]) : 5;

interface Config {
  name: string;
  options: Omit<SimOptions, "seed">;
}

const CONFIGS: Config[] = [
  { name: "4 nodes, honest, no faults", options: { nodes: 4, byzantine: 0, faults: [], faultPhaseMs: 1000, quietPhaseMs: 20_000 } },
  { name: "16 nodes, honest, no faults", options: { nodes: 16, byzantine: 0, faults: [], faultPhaseMs: 1000, quietPhaseMs: 20_000 } },
  { name: "4 nodes, f=1, all faults", options: { nodes: 4, byzantine: 1, faults: [...FAULT_KINDS] } },
  { name: "16 nodes, f=5, all faults", options: { nodes: 16, byzantine: 5, faults: [...FAULT_KINDS] } },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

let baseline = 0;
for (const config of CONFIGS) {
  const viewsPerSecond: number[] = [];
  const eventsPerSecond: number[] = [];
  let finalized = 0;
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const result = runSeed({ ...config.options, seed: 1000 + run });
    const seconds = (performance.now() - started) / 1000;
    if (result.violations.length > 0) throw new Error(`${config.name}: seed ${1000 + run} violated ${JSON.stringify(result.violations[0])}`);
    viewsPerSecond.push(result.views / seconds);
    eventsPerSecond.push(result.events / seconds);
    finalized += result.finalizedBlocks;
  }
  const views = median(viewsPerSecond);
  if (baseline === 0) baseline = views;
  const line = {
    bench: "sim-views",
    config: config.name,
    nodes: config.options.nodes,
    byzantine: config.options.byzantine,
    faults: config.options.faults,
    runs: RUNS,
    medianViewsPerSecond: Math.round(views),
    medianEventsPerSecond: Math.round(median(eventsPerSecond)),
    finalizedBlocksPerRun: Math.round(finalized / RUNS),
    ratioToBaseline: Number((views / baseline).toFixed(3)),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
