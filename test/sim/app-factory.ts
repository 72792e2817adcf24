// Chooses the application a simulated node runs and builds its disk: "execution" (the real block execution,
// execution-app.ts, the default) or "synthetic" (sim-app.ts, synthetic payloads, no staking). Each node gets its
// own seeded generator so runs replay exactly; the genesis validator set comes from the application.

import type { Ed25519Verify } from "../../consensus/crypto/ed25519.ts";
import type { Hash, Validator } from "../../consensus/types.ts";
import { validatorSetAt } from "../../consensus/execution/epoch.ts";
import type { WorldState } from "../../consensus/state/world-state.ts";
import { ValidatorSet } from "../../consensus/validator-set.ts";
import { ExecutionApp, simAccountKeys, simChainParams, simGenesisState } from "./execution-app.ts";
import { Prng } from "./prng.ts";
import { SyntheticApp, type SimApplication } from "./sim-app.ts";
import { SimDisk } from "./sim-disk.ts";

export type AppKind = "execution" | "synthetic";

export interface AppContext {
  chainId: bigint;
  /** Needed by "execution" only (its chain parameters); defaults to DEFAULT_EPOCH_LENGTH_BLOCKS. */
  epochLengthBlocks?: number;
  validators: readonly Validator[];
  verify: Ed25519Verify;
  genesisHash: Hash;
  seed: number;
  node: number;
}

export interface AppBundle {
  disk: SimDisk<unknown>;
  make: (disk: SimDisk<unknown>) => SimApplication<unknown>;
  genesisSet: ValidatorSet;
}

export const DEFAULT_EPOCH_LENGTH_BLOCKS = 16;
const ACCOUNTS = 8;
const TRANSFER_RATE = 0.25;

export function createApplication(kind: AppKind, ctx: AppContext): AppBundle {
  if (kind === "execution") return createExecution(ctx);
  return createSynthetic(ctx);
}

function createExecution(ctx: AppContext): AppBundle {
  const params = simChainParams(ctx.chainId, ctx.epochLengthBlocks ?? DEFAULT_EPOCH_LENGTH_BLOCKS);
  const keys = simAccountKeys(ACCOUNTS);
  const genesis = simGenesisState(params, ctx.validators, keys);
  const disk = new SimDisk<unknown>({ hash: ctx.genesisHash, height: 0, view: 0, state: genesis });
  const rng = new Prng((ctx.seed * 7919 + ctx.node * 104729) >>> 0);
  const make = (d: SimDisk<unknown>) =>
    new ExecutionApp(params, ctx.verify, keys, rng, TRANSFER_RATE, { hash: d.committed.hash, state: d.committed.state as WorldState }) as SimApplication<unknown>;
  return { disk, make, genesisSet: validatorSetAt(genesis) };
}

function createSynthetic(ctx: AppContext): AppBundle {
  const genesis = SyntheticApp.genesisState();
  const disk = new SimDisk<unknown>({ hash: ctx.genesisHash, height: 0, view: 0, state: genesis });
  const rng = new Prng((ctx.seed * 7919 + ctx.node * 104729) >>> 0);
  const make = (d: SimDisk<unknown>) =>
    new SyntheticApp(ctx.chainId, ctx.validators, ctx.verify, rng, {
      hash: d.committed.hash,
      state: d.committed.state as ReturnType<typeof SyntheticApp.genesisState>,
    }) as SimApplication<unknown>;
  return { disk, make, genesisSet: new ValidatorSet(ctx.validators, ctx.genesisHash) };
}
