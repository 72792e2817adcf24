// What block execution needs from outside: chain parameters from genesis and the two injected signature
// checks (node/ passes native secp256k1 recovery and node:crypto ed25519; tests and the simulation pass the
// pure references). BlockEnv is the per-block part derived from the header and the parent state.

import type { Ed25519Verify } from "../crypto/ed25519.ts";
import type { EngineEvent } from "../derivatives/events.ts";
import type { LaneState } from "../lane/lane-state.ts";
import type { ChainParams } from "../types.ts";
import type { RecoverSigner } from "./recover-signer.ts";

export interface ExecutionContext {
  params: ChainParams;
  recoverSigner: RecoverSigner;
  ed25519Verify: Ed25519Verify;
}

export interface BlockEnv {
  params: ChainParams;
  ed25519Verify: Ed25519Verify;
  /** Height of the block being executed. */
  height: number;
  baseFeePerGas: bigint;
  /** The block's working lane state on chains that run the order lane; lane calls change it and log here. */
  lane?: { state: LaneState; events: EngineEvent[] };
}
