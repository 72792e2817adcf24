// A child of the machine-driven kill -9 test: four validators in one process, each the real Simplex state
// machine (driven by the simulator's node driver on a simulated network and clock) persisting through the real
// SignGuard and WAL in its own directory (durable-sim-disk.ts). Killing this process is a power cut of the whole
// network; every restart resumes every validator from its disk (restoreState). Node 0's votes go to stdout only
// after its persist returned; the parent checks them across runs.
// Usage: node --import tsx validator-child.ts <dir> <run> <seed> <simulatedMsMax> <finalizedTarget>
// (stops once node 0 finalized <finalizedTarget> blocks above the view it resumed at, or at the time limit).

import * as fs from "node:fs";
import * as path from "node:path";
import { toHex } from "../../consensus/crypto/hash.ts";
import type { Message } from "../../consensus/simplex/index.ts";
import type { Block, Hash } from "../../consensus/types.ts";
import { ValidatorSet } from "../../consensus/validator-set.ts";
import { createApplication } from "../sim/app-factory.ts";
import { EventQueue } from "../sim/event-queue.ts";
import { Prng } from "../sim/prng.ts";
import { simKey, simVerify } from "../sim/sim-crypto.ts";
import { SimNetwork } from "../sim/sim-network.ts";
import { SimNode, type NodeEnv } from "../sim/sim-node.ts";
import { SIM_CHAIN_ID, simConfig } from "../sim/simulation.ts";
import { DurableSimDisk } from "./durable-sim-disk.ts";

const NODES = 4;
const KEY_SEED = 1;
const GENESIS_TIME_MS = 1_700_000_000_000;
/** One epoch for the whole test: restarts re-finalize from genesis (application state is not persisted here). */
const EPOCH_LENGTH_BLOCKS = 1_000_000_000;

const [dir, runArg, seedArg, simMsArg, targetArg] = process.argv.slice(2);
if (!dir || !runArg || !seedArg || !simMsArg || !targetArg) {
  console.error("usage: validator-child.ts <dir> <run> <seed> <simulatedMsMax> <finalizedTarget>");
  process.exit(2);
}
const run = Number(runArg);
const emit = (line: Record<string, unknown>) => fs.writeSync(1, JSON.stringify(line) + "\n");

const queue = new EventQueue();
const rng = new Prng(Number(seedArg) * 1009 + run);
const verify = simVerify("fake");
const keys = Array.from({ length: NODES }, (_, i) => simKey("fake", KEY_SEED, i));
const validators = keys.map((k, i) => ({ publicKey: k.publicKey, operator: new Uint8Array(20).fill(i + 1), stake: 100n }));
const genesisHash = new Uint8Array(32).fill(0x6e);
const genesisSet = new ValidatorSet(validators, genesisHash);
const nodes: SimNode<unknown>[] = [];
const disks: DurableSimDisk<unknown>[] = [];
const network = new SimNetwork<Message>(queue, rng, NODES, (to, _from, message) => nodes[to]!.up && nodes[to]!.receive(message));
let resumeView = 0;
let finalizedAboveResume = 0;
const env: NodeEnv = {
  queue,
  genesisTimeMs: GENESIS_TIME_MS,
  buildDelayMs: 5,
  verifyDelayMs: 3,
  fetchRetryMs: 200,
  send: (from, message) => network.broadcast(from, message),
  findBlock: (requester, hash) => findBlock(requester, hash),
  onSigned: (node, vote) => {
    if (node === 0) emit({ t: "vote", run, kind: vote.kind, view: vote.view, hash: toHex(vote.blockHash) });
  },
  onFinalized: (node, block) => {
    if (node !== 0 || block.header.view <= resumeView) return;
    finalizedAboveResume++;
    emit({ t: "finalized", run, height: block.header.height, view: block.header.view });
  },
  onEvidence: () => undefined,
};

for (let i = 0; i < NODES; i++) {
  const app = createApplication("synthetic", { chainId: SIM_CHAIN_ID, validators, verify, genesisHash, seed: Number(seedArg) * 7 + run, node: i });
  const disk = new DurableSimDisk(app.disk.committed, path.join(dir, `node-${i}`), keys[i]!, genesisSet.indexOf(keys[i]!.publicKey)!, SIM_CHAIN_ID);
  disks.push(disk);
  nodes.push(new SimNode(i, keys[i]!, "honest", disk, simConfig(keys[i]!.publicKey, EPOCH_LENGTH_BLOCKS), verify, env, app.make, genesisSet));
}
const own0 = disks[0]!.records.flatMap((r) => (r.type === "ownVote" ? [r.vote.view] : []));
resumeView = own0.length > 0 ? Math.max(...own0) : 0;
emit({
  t: "open",
  run,
  guard: disks[0]!.opened.guard,
  wal: { records: disks[0]!.opened.wal.records, droppedTail: disks[0]!.opened.wal.droppedTail },
  votesFromGuard: disks.map((d) => d.opened.votesFromGuard),
  resumeView,
});
// The simulated clock restarts past every block on disk, so new blocks' timestamps stay above their parents'.
queue.nowMs = Math.max(0, ...disks.map((d) => d.latestTimestampMs() - GENESIS_TIME_MS + 1_000));
for (const node of nodes) {
  if (node.disk.records.length > 0) node.restart(simConfig(node.key.publicKey, EPOCH_LENGTH_BLOCKS));
  else node.input({ type: "start" });
}

const simMsMax = queue.nowMs + Number(simMsArg);
const finalizedTarget = Number(targetArg);
while (queue.runNext(simMsMax) && finalizedAboveResume < finalizedTarget);
for (const d of disks) d.close();
emit({ t: "done", run, simulatedMs: queue.nowMs, finalizedAboveResume });

function findBlock(requester: number, hash: Hash): Block | undefined {
  const key = toHex(hash);
  for (const node of nodes) {
    if (node.index === requester || !node.up) continue;
    const block = node.state.blocks.get(key)?.block ?? node.disk.blocks.get(key) ?? node.disk.finalizedByHash.get(key);
    if (block) return block;
  }
  return undefined;
}
