// One seeded simulation run: N nodes (f of them Byzantine), a fault phase (drop, duplicate, reorder, partition,
// crash/restart, as enabled), then a quiet phase after healing. Checkers run after every event; the result says
// what was finalized and every violation, and replayCommand() reproduces the run from its seed.

import { headerHash } from "./header-hash.ts";
import { InvariantError } from "../../consensus/errors.ts";
import { bytesEqual, toHex } from "../../consensus/crypto/hash.ts";
import type { Message, SimplexConfig } from "../../consensus/simplex/index.ts";
import type { Block, Hash, Validator } from "../../consensus/types.ts";
import { ValidatorSet } from "../../consensus/validator-set.ts";
import { byzantineDeliveries, pickStrategy, type ByzantineStrategy } from "./byzantine.ts";
import { Checkers, type Violation } from "./checkers.ts";
import { EventQueue } from "./event-queue.ts";
import { scheduleFaults, type FaultKind } from "./faults.ts";
import { Prng } from "./prng.ts";
import { createApplication, type AppKind } from "./app-factory.ts";
import { simKey, simVerify, type CryptoMode } from "./sim-crypto.ts";
import { SimNetwork } from "./sim-network.ts";
import { SimNode, type NodeEnv, type NodeMode } from "./sim-node.ts";

export interface SimOptions {
  seed: number;
  nodes: number;
  byzantine: number;
  faults: readonly FaultKind[];
  crypto?: CryptoMode;
  app?: AppKind;
  faultPhaseMs?: number;
  quietPhaseMs?: number;
  epochLengthBlocks?: number;
  /** Nodes whose disk is wiped at every restart: no durable WAL or sign guard (for checker tests). */
  brokenNodes?: readonly number[];
  /** Quorums of more than 1/3 instead of 2/3 (for checker tests: partitions then fork the chain). */
  weakQuorum?: boolean;
}

export interface SimResult {
  seed: number;
  finalizedBlocks: number;
  views: number;
  events: number;
  evidence: number;
  slashes: number;
  violations: Violation[];
  simulatedMs: number;
}

export const SIM_CHAIN_ID = 7357n;
export const DEFAULT_FAULT_PHASE_MS = 12_000;
export const DEFAULT_QUIET_PHASE_MS = 12_000;

export function simConfig(publicKey: Uint8Array, epochLengthBlocks: number): SimplexConfig {
  return {
    chainId: SIM_CHAIN_ID,
    publicKey,
    epochLengthBlocks,
    viewWindow: 24,
    viewsKeptMax: 2048,
    leaderTimeoutMs: 400,
    notarizationTimeoutMs: 800,
    retryTimeoutMs: 500,
    blocksMax: 256,
    fetchesMax: 32,
  };
}

/** A deliberately unsafe validator set for checker tests. */
class WeakQuorumSet extends ValidatorSet {
  override isQuorum(stake: bigint): boolean {
    return 3n * stake > this.totalStake;
  }
}

interface World {
  queue: EventQueue;
  rng: Prng;
  network: SimNetwork<Message>;
  nodes: SimNode<unknown>[];
  honest: Set<number>;
  checkers: Checkers;
  epochLength: number;
  env: NodeEnv;
}

/** Keys, applications, roles (Byzantine chosen by seed), network and nodes of one run. */
function buildWorld(options: SimOptions): World {
  const crypto = options.crypto ?? "fake";
  const epochLength = options.epochLengthBlocks ?? 16;
  const rng = new Prng(options.seed);
  const queue = new EventQueue();
  const n = options.nodes;
  const keys = Array.from({ length: n }, (_, i) => simKey(crypto, options.seed, i));
  const validators: Validator[] = keys.map((k, i) => ({ publicKey: k.publicKey, operator: new Uint8Array(20).fill(i + 1), stake: 100n }));
  const genesisHash = new Uint8Array(32).fill(0x6e);
  const verify = simVerify(crypto);
  const appKind = options.app ?? (options.weakQuorum ? "synthetic" : "execution");
  const appContext = { chainId: SIM_CHAIN_ID, epochLengthBlocks: epochLength, validators, verify, genesisHash, seed: options.seed };
  const bundles = Array.from({ length: n }, (_, node) => createApplication(appKind, { ...appContext, node }));
  const genesisSet = options.weakQuorum ? new WeakQuorumSet(validators, genesisHash) : bundles[0]!.genesisSet;
  // Byzantine nodes are chosen by seed; everyone else is checked (broken nodes too: the checkers must catch them).
  const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  const byzantine = new Set(order.slice(0, options.byzantine));
  const broken = new Set(options.brokenNodes ?? []);
  const honest = new Set(order.filter((i) => !byzantine.has(i)));
  const strategies = new Map<number, ByzantineStrategy>([...byzantine].map((i) => [i, pickStrategy(rng)]));
  const checkers = new Checkers(honest);
  const nodes: SimNode<unknown>[] = [];
  const network = new SimNetwork<Message>(queue, rng, n, (to, _from, message) => nodes[to]!.up && nodes[to]!.receive(message));
  const env: NodeEnv = {
    queue,
    genesisTimeMs: 1_700_000_000_000,
    buildDelayMs: 5,
    verifyDelayMs: 3,
    fetchRetryMs: 200,
    send(from, message) {
      const strategy = strategies.get(from);
      if (!strategy) return network.broadcast(from, message);
      for (const d of byzantineDeliveries(nodes[from]!, strategy, message, n, SIM_CHAIN_ID, rng)) {
        for (const to of d.to) network.send(from, to, d.message);
      }
    },
    findBlock: (requester, hash) => findBlock(nodes, network, requester, hash),
    onSigned: (node, vote) => checkers.onSigned(node, vote, queue.nowMs),
    onFinalized: (node, block, hash) => checkers.onFinalized(node, block, hash, queue.nowMs),
    onEvidence: (node, evidence) => checkers.onEvidence(node, evidence, queue.nowMs),
  };
  for (let i = 0; i < n; i++) {
    const mode: NodeMode = byzantine.has(i) ? "byzantine" : broken.has(i) ? "broken" : "honest";
    const config = simConfig(keys[i]!.publicKey, epochLength);
    nodes.push(new SimNode(i, keys[i]!, mode, bundles[i]!.disk, config, verify, env, bundles[i]!.make, genesisSet));
  }
  return { queue, rng, network, nodes, honest, checkers, epochLength, env };
}

export function runSeed(options: SimOptions): SimResult {
  const faultPhaseMs = options.faultPhaseMs ?? DEFAULT_FAULT_PHASE_MS;
  const quietPhaseMs = options.quietPhaseMs ?? DEFAULT_QUIET_PHASE_MS;
  const { queue, rng, network, nodes, honest, checkers, epochLength, env } = buildWorld(options);
  for (const node of nodes) node.input({ type: "start" });
  const restart = (node: SimNode<unknown>) => node.restart(simConfig(node.key.publicKey, epochLength));
  const control = scheduleFaults({ queue, rng, network, nodes, crashable: honest, faults: options.faults, faultPhaseMs, restart, env });
  const endMs = faultPhaseMs + quietPhaseMs;
  let heightsAtHeal: Map<number, number> | null = null;
  try {
    while (queue.runNext(endMs)) {
      if (heightsAtHeal === null && control.healed) heightsAtHeal = heights(nodes, honest);
      if (checkers.violations.length > 0) break;
    }
  } catch (error) {
    if (!(error instanceof InvariantError)) throw error;
    checkers.onInvariant(queue.nowMs, error.message);
  }
  let slashes = 0;
  if (checkers.violations.length === 0) {
    checkers.checkProgress(queue.nowMs, heightsAtHeal ?? new Map(), heights(nodes, honest), quietPhaseMs);
    slashes = checkers.checkEvidenceSlashed(queue.nowMs, faultPhaseMs, (node, key) => nodes[node]!.app.isSlashed(key));
  }
  return {
    seed: options.seed,
    finalizedBlocks: checkers.finalizedBlocks,
    views: Math.max(0, ...[...honest].map((i) => nodes[i]!.viewsEntered)),
    events: queue.eventsRun,
    evidence: checkers.evidenceCount,
    slashes,
    violations: checkers.violations,
    simulatedMs: queue.nowMs,
  };
}

function heights(nodes: SimNode<unknown>[], honest: ReadonlySet<number>): Map<number, number> {
  return new Map([...honest].map((i) => [i, nodes[i]!.app.committedHeight()]));
}

/** Block repair over the control plane: any reachable, running peer that holds the block serves it. */
function findBlock(nodes: SimNode<unknown>[], network: SimNetwork<Message>, requester: number, hash: Hash): Block | undefined {
  const key = toHex(hash);
  for (const node of nodes) {
    if (node.index === requester || !node.up || !network.connected(node.index, requester)) continue;
    const block = node.state.blocks.get(key)?.block ?? node.disk.blocks.get(key) ?? node.disk.finalizedByHash.get(key);
    if (block && bytesEqual(headerHash(block.header), hash)) return block;
  }
  return undefined;
}

export function replayCommand(options: SimOptions): string {
  return `npm run sim -- --seeds 1 --seed-base ${options.seed} --nodes ${options.nodes} --byzantine ${options.byzantine} --faults ${options.faults.join(",") || "none"}${options.crypto === "ed25519" ? " --crypto ed25519" : ""}${options.app === "synthetic" ? " --app synthetic" : ""}${phases(options)}`;
}

function phases(options: SimOptions): string {
  const fault = options.faultPhaseMs ?? DEFAULT_FAULT_PHASE_MS;
  const quiet = options.quietPhaseMs ?? DEFAULT_QUIET_PHASE_MS;
  return `${fault !== DEFAULT_FAULT_PHASE_MS ? ` --fault-ms ${fault}` : ""}${quiet !== DEFAULT_QUIET_PHASE_MS ? ` --quiet-ms ${quiet}` : ""}`;
}
