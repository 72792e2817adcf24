// The seeded network between simulated nodes: per-message delay, drop, duplicate and reorder (extra delay on a
// random share of messages), and partitions (messages between groups are lost until healed). Delivery to a node
// that is down is lost, as a datagram would be.

import type { EventQueue } from "./event-queue.ts";
import type { Prng } from "./prng.ts";

export interface NetworkFaults {
  dropRate: number;
  duplicateRate: number;
  reorderRate: number;
}

export const NO_NETWORK_FAULTS: NetworkFaults = { dropRate: 0, duplicateRate: 0, reorderRate: 0 };

export class SimNetwork<M> {
  faults: NetworkFaults = { ...NO_NETWORK_FAULTS };
  /** group[i]: partition group of node i; messages cross only within a group. */
  private group: number[];
  messagesSent = 0;
  messagesDropped = 0;

  constructor(
    private readonly queue: EventQueue,
    private readonly rng: Prng,
    readonly size: number,
    private readonly deliver: (to: number, from: number, message: M) => void,
    private readonly delayMinMs = 5,
    private readonly delayMaxMs = 50,
  ) {
    this.group = new Array<number>(size).fill(0);
  }

  connected(a: number, b: number): boolean {
    return this.group[a] === this.group[b];
  }

  partition(groups: readonly (readonly number[])[]): void {
    this.group = new Array<number>(this.size).fill(0);
    groups.forEach((members, g) => members.forEach((m) => (this.group[m] = g)));
  }

  heal(): void {
    this.group.fill(0);
  }

  send(from: number, to: number, message: M): void {
    this.messagesSent++;
    if (from !== to && (!this.connected(from, to) || this.rng.chance(this.faults.dropRate))) {
      this.messagesDropped++;
      return;
    }
    const copies = from !== to && this.rng.chance(this.faults.duplicateRate) ? 2 : 1;
    for (let c = 0; c < copies; c++) {
      let delay = from === to ? 0 : this.rng.int(this.delayMinMs, this.delayMaxMs);
      if (this.rng.chance(this.faults.reorderRate)) delay += this.rng.int(0, 4 * this.delayMaxMs);
      this.queue.schedule(delay, () => {
        if (from === to || this.connected(from, to)) this.deliver(to, from, message);
        else this.messagesDropped++;
      });
    }
  }

  broadcast(from: number, message: M): void {
    for (let to = 0; to < this.size; to++) if (to !== from) this.send(from, to, message);
  }
}
