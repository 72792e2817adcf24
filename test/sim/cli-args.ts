// Flags of `npm run sim`: parsed and checked with messages that name the flag. Byzantine nodes must stay below
// a third of the nodes (stake is equal in the simulation), or the protocol promises nothing to check.

import { FAULT_KINDS, type FaultKind } from "./faults.ts";
import type { AppKind } from "./app-factory.ts";
import type { CryptoMode } from "./sim-crypto.ts";

export interface CliOptions {
  seeds: number;
  seedBase: number;
  nodes: number;
  byzantine: number;
  faults: FaultKind[];
  crypto: CryptoMode;
  app: AppKind;
  /** Simulated length of the fault phase and of the quiet phase after healing. */
  faultMs: number;
  quietMs: number;
  quiet: boolean;
}

export class CliError extends Error {}

function integer(flag: string, value: string | undefined, min: number, max: number): number {
  if (value === undefined) throw new CliError(`${flag} needs a value`);
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new CliError(`${flag} must be an integer in [${min}, ${max}], got "${value}"`);
  }
  return n;
}

export function parseArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = { seeds: 10, seedBase: 1, nodes: 4, byzantine: 1, faults: [], crypto: "fake", app: "execution", faultMs: 12_000, quietMs: 12_000, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    switch (flag) {
      case "--seeds": options.seeds = integer(flag, value, 1, 1_000_000); i++; break;
      case "--seed-base": options.seedBase = integer(flag, value, 0, 2 ** 32 - 1); i++; break;
      case "--nodes": options.nodes = integer(flag, value, 4, 16); i++; break;
      case "--byzantine": options.byzantine = integer(flag, value, 0, 16); i++; break;
      case "--faults": options.faults = parseFaults(value); i++; break;
      case "--crypto":
        if (value !== "fake" && value !== "ed25519") throw new CliError(`--crypto must be fake or ed25519, got "${value}"`);
        options.crypto = value;
        i++;
        break;
      case "--app":
        if (value !== "execution" && value !== "synthetic") throw new CliError(`--app must be execution or synthetic, got "${value}"`);
        options.app = value;
        i++;
        break;
      case "--fault-ms": options.faultMs = integer(flag, value, 0, 3_600_000); i++; break;
      case "--quiet-ms": options.quietMs = integer(flag, value, 1000, 3_600_000); i++; break;
      case "--quiet": options.quiet = true; break;
      default: throw new CliError(`unknown flag "${flag}" (flags: --seeds --seed-base --nodes --byzantine --faults --crypto --app --fault-ms --quiet-ms --quiet)`);
    }
  }
  if (3 * options.byzantine >= options.nodes) {
    throw new CliError(`--byzantine ${options.byzantine} must be below a third of --nodes ${options.nodes} (at most ${Math.floor((options.nodes - 1) / 3)})`);
  }
  if (options.seedBase + options.seeds - 1 > 2 ** 32 - 1) throw new CliError("--seed-base + --seeds exceeds 2^32");
  return options;
}

function parseFaults(value: string | undefined): FaultKind[] {
  if (value === undefined) throw new CliError("--faults needs a value");
  if (value === "none" || value === "") return [];
  const kinds = value.split(",");
  for (const k of kinds) {
    if (!(FAULT_KINDS as readonly string[]).includes(k)) throw new CliError(`--faults: unknown fault "${k}" (known: ${FAULT_KINDS.join(",")})`);
  }
  return kinds as FaultKind[];
}
