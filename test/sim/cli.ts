// `npm run sim -- --seeds N --seed-base S --nodes K --byzantine F --faults drop,partition,crash`: runs N seeds,
// progress on stderr, one JSON summary line on stdout, exit 1 on any violation with the replay command of each
// failing seed, exit 2 on bad flags.

import { CliError, parseArgs } from "./cli-args.ts";
import { replayCommand, runSeed, type SimOptions } from "./simulation.ts";

function main(): number {
  let cli;
  try {
    cli = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`sim: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const failedSeeds: number[] = [];
  let finalizedBlocks = 0;
  let violations = 0;
  let views = 0;
  const started = performance.now();
  for (let k = 0; k < cli.seeds; k++) {
    const options: SimOptions = { seed: cli.seedBase + k, nodes: cli.nodes, byzantine: cli.byzantine, faults: cli.faults, crypto: cli.crypto, app: cli.app, faultPhaseMs: cli.faultMs, quietPhaseMs: cli.quietMs };
    const result = runSeed(options);
    finalizedBlocks += result.finalizedBlocks;
    views += result.views;
    if (result.violations.length > 0) {
      failedSeeds.push(options.seed);
      violations += result.violations.length;
      for (const v of result.violations) process.stderr.write(`seed ${options.seed}: ${v.checker} at ${v.atMs} ms: ${v.detail}\n`);
      process.stderr.write(`replay: ${replayCommand(options)}\n`);
    }
    if (!cli.quiet) {
      process.stderr.write(
        `seed ${options.seed} (${k + 1}/${cli.seeds}): finalized ${result.finalizedBlocks}, views ${result.views}, evidence ${result.evidence}, slashed ${result.slashes}, events ${result.events}${result.violations.length ? ", FAILED" : ""}\n`,
      );
    }
  }
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(`sim: ${cli.seeds} seeds in ${seconds.toFixed(1)} s\n`);
  const summary = { seeds: cli.seeds, nodes: cli.nodes, byzantine: cli.byzantine, faults: cli.faults, finalizedBlocks, views, violations, failedSeeds };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return violations > 0 ? 1 : 0;
}

process.exitCode = main();
