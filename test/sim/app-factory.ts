// Chooses the application a simulated node runs and builds its disk: "synthetic" (sim-app.ts, synthetic
// payloads). Each node gets its own seeded payload generator so runs replay exactly.

import type { Ed25519Verify } from "../../consensus/crypto/ed25519.ts";
import type { Hash, Validator } from "../../consensus/types.ts";
import { Prng } from "./prng.ts";
import { SyntheticApp, type SimApplication } from "./sim-app.ts";
import { SimDisk } from "./sim-disk.ts";

export type AppKind = "synthetic";

export interface AppContext {
  chainId: bigint;
  validators: readonly Validator[];
  verify: Ed25519Verify;
  genesisHash: Hash;
  seed: number;
  node: number;
}

export interface AppBundle {
  disk: SimDisk<unknown>;
  make: (disk: SimDisk<unknown>) => SimApplication<unknown>;
}

export function createApplication(_kind: AppKind, ctx: AppContext): AppBundle {
  const genesis = SyntheticApp.genesisState();
  const disk = new SimDisk<unknown>({ hash: ctx.genesisHash, height: 0, view: 0, state: genesis });
  const rng = new Prng((ctx.seed * 7919 + ctx.node * 104729) >>> 0);
  const make = (d: SimDisk<unknown>) =>
    new SyntheticApp(ctx.chainId, ctx.validators, ctx.verify, rng, {
      hash: d.committed.hash,
      state: d.committed.state as ReturnType<typeof SyntheticApp.genesisState>,
    }) as SimApplication<unknown>;
  return { disk, make };
}
