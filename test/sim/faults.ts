// The fault schedule of one run, drawn from the seed: during the fault phase, network fault rates (drop,
// duplicate, reorder), partitions that heal after a while, and crashes of honest nodes that restart from their
// disk, both between events and between a persist and the send after it. At the end of the phase everything heals
// and every crashed node restarts.

import type { Message } from "../../consensus/simplex/index.ts";
import type { EventQueue } from "./event-queue.ts";
import type { Prng } from "./prng.ts";
import type { SimNetwork } from "./sim-network.ts";
import type { NodeEnv, SimNode } from "./sim-node.ts";

export const FAULT_KINDS = ["drop", "duplicate", "reorder", "partition", "crash"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSetup {
  queue: EventQueue;
  rng: Prng;
  network: SimNetwork<Message>;
  nodes: SimNode<unknown>[];
  /** Nodes that may crash (honest and broken ones; Byzantine nodes misbehave instead). */
  crashable: ReadonlySet<number>;
  faults: readonly FaultKind[];
  faultPhaseMs: number;
  restart: (node: SimNode<unknown>) => void;
  /** Receives the crash point hook (crashes between a persist and the send that follows it). */
  env: NodeEnv;
}

/** Chance, per send of a crashable node during the fault phase, of crashing right before that send. */
const CRASH_POINT_RATE = 0.0005;

export interface FaultControl {
  healed: boolean;
}

export function scheduleFaults(setup: FaultSetup): FaultControl {
  const { queue, rng, network, nodes, faults, faultPhaseMs } = setup;
  const control: FaultControl = { healed: false };
  const on = (k: FaultKind) => faults.includes(k);
  network.faults = {
    dropRate: on("drop") ? 0.02 + rng.next() * 0.15 : 0,
    duplicateRate: on("duplicate") ? 0.02 + rng.next() * 0.15 : 0,
    reorderRate: on("reorder") ? 0.05 + rng.next() * 0.25 : 0,
  };
  const events = [...(on("partition") ? ["partition"] : []), ...(on("crash") ? ["crash"] : [])];
  const restartLater = (node: SimNode<unknown>, durationMs: number) =>
    queue.schedule(Math.min(durationMs, Math.max(0, faultPhaseMs - queue.nowMs)), () => !node.up && setup.restart(node));
  if (on("crash")) {
    setup.env.crashPoint = (i) => {
      if (queue.nowMs >= faultPhaseMs || !setup.crashable.has(i) || !rng.chance(CRASH_POINT_RATE)) return false;
      restartLater(nodes[i]!, rng.int(200, 3000));
      return true;
    };
  }
  const step = () => {
    if (queue.nowMs >= faultPhaseMs || events.length === 0) return;
    const kind = rng.pick(events);
    const durationMs = rng.int(500, 4000);
    if (kind === "partition") {
      const members = rng.shuffle(nodes.map((n) => n.index));
      const cut = rng.int(1, members.length - 1);
      network.partition([members.slice(0, cut), members.slice(cut)]);
      queue.schedule(Math.min(durationMs, Math.max(0, faultPhaseMs - queue.nowMs)), () => network.heal());
    } else {
      const candidates = [...setup.crashable].filter((i) => nodes[i]!.up);
      if (candidates.length > 0) {
        const node = nodes[rng.pick(candidates)]!;
        node.crash();
        restartLater(node, durationMs);
      }
    }
    queue.schedule(rng.int(300, 2500), step);
  };
  queue.schedule(rng.int(100, 1000), step);
  queue.schedule(faultPhaseMs, () => {
    network.heal();
    network.faults = { dropRate: 0, duplicateRate: 0, reorderRate: 0 };
    for (const node of nodes) if (!node.up) setup.restart(node);
    setup.env.crashPoint = undefined;
    control.healed = true;
  });
  return control;
}
