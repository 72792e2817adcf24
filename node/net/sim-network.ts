// The simulated network behind SimTransport: in-memory delivery with seeded delay, jitter, drop, duplicate,
// reorder and partitions, driven entirely by an injected Scheduler and random source, so a simulation replays
// exactly from its seed. No real timers, no sockets. Delivery times are rounded up to whole `tickMs`, and
// datagrams for one endpoint due at the same tick arrive as one batch.
import type { Address, Datagram } from "./datagram-transport.ts";
import type { Scheduler } from "./scheduler.ts";

export interface LinkConditions {
  delayMs: number;
  jitterMs: number; // uniform extra delay in [0, jitterMs)
  dropRate: number;
  duplicateRate: number;
  reorderRate: number; // chance of an extra uniform delay in [0, reorderDelayMs)
  reorderDelayMs: number;
}

export interface SimNetworkOptions {
  scheduler: Scheduler;
  /** Floats in [0, 1), seeded by the caller (see seeded-random.ts). */
  random: () => number;
  conditions?: Partial<LinkConditions>;
  tickMs?: number;
  payloadMaxBytes?: number;
  /** Datagrams in flight towards one endpoint before further ones are dropped (counted as queueFull). */
  inFlightMax?: number;
}

export interface SimNetworkStats {
  sent: number;
  delivered: number;
  dropped: number;
  duplicated: number;
  reordered: number;
  partitioned: number;
  unreachable: number;
  queueFull: number;
}

/** What SimNetwork needs from an endpoint: SimTransport implements it. */
export interface SimEndpoint {
  deliver(batch: Datagram[]): void;
}

const NO_LOSS: LinkConditions = { delayMs: 1, jitterMs: 0, dropRate: 0, duplicateRate: 0, reorderRate: 0, reorderDelayMs: 0 };

export class SimNetwork {
  readonly payloadMaxBytes: number;
  private readonly scheduler: Scheduler;
  private readonly random: () => number;
  private readonly tickMs: number;
  private readonly inFlightMax: number;
  private defaults: LinkConditions;
  private readonly links = new Map<string, LinkConditions>();
  private readonly endpoints = new Map<string, SimEndpoint>();
  private readonly inFlight = new Map<string, number>();
  private readonly arriving = new Map<string, Datagram[]>();
  private groupOf: Map<string, number> | null = null;
  private readonly counters: SimNetworkStats = {
    sent: 0, delivered: 0, dropped: 0, duplicated: 0, reordered: 0, partitioned: 0, unreachable: 0, queueFull: 0,
  };

  constructor(options: SimNetworkOptions) {
    this.scheduler = options.scheduler;
    this.random = options.random;
    this.tickMs = options.tickMs ?? 1;
    this.payloadMaxBytes = options.payloadMaxBytes ?? 1472;
    this.inFlightMax = options.inFlightMax ?? 65536;
    this.defaults = { ...NO_LOSS, ...options.conditions };
  }

  /** Conditions for every link, or for the one-way link from -> to (hosts). */
  setConditions(conditions: Partial<LinkConditions>, from?: string, to?: string): void {
    if (from === undefined || to === undefined) this.defaults = { ...this.defaults, ...conditions };
    else this.links.set(`${from}>${to}`, { ...(this.links.get(`${from}>${to}`) ?? this.defaults), ...conditions });
  }

  /** Hosts in different groups cannot reach each other; hosts in no group reach everyone. */
  partition(groups: readonly (readonly string[])[]): void {
    this.groupOf = new Map();
    groups.forEach((g, i) => g.forEach((h) => this.groupOf!.set(h, i)));
  }
  heal(): void {
    this.groupOf = null;
  }

  stats(): SimNetworkStats {
    return { ...this.counters };
  }

  attach(address: Address, endpoint: SimEndpoint): boolean {
    const key = `${address.host}:${address.port}`;
    if (this.endpoints.has(key)) return false;
    this.endpoints.set(key, endpoint);
    return true;
  }
  detach(address: Address): void {
    this.endpoints.delete(`${address.host}:${address.port}`);
  }

  /** Takes a copy of each payload now: the sender may reuse its buffers as soon as send() returns. */
  transmit(from: Address, batch: readonly Datagram[]): void {
    for (const d of batch) {
      this.counters.sent++;
      const c = this.links.get(`${from.host}>${d.peer.host}`) ?? this.defaults;
      const ga = this.groupOf?.get(from.host);
      const gb = this.groupOf?.get(d.peer.host);
      if (ga !== undefined && gb !== undefined && ga !== gb) {
        this.counters.partitioned++;
        continue;
      }
      if (this.random() < c.dropRate) {
        this.counters.dropped++;
        continue;
      }
      const copies = this.random() < c.duplicateRate ? 2 : 1;
      if (copies === 2) this.counters.duplicated++;
      for (let k = 0; k < copies; k++) {
        let delay = c.delayMs + this.random() * c.jitterMs;
        if (this.random() < c.reorderRate) {
          delay += this.random() * c.reorderDelayMs;
          this.counters.reordered++;
        }
        this.enqueue(`${d.peer.host}:${d.peer.port}`, { peer: from, payload: new Uint8Array(d.payload) }, delay);
      }
    }
  }

  private enqueue(to: string, datagram: Datagram, delayMs: number): void {
    const queued = this.inFlight.get(to) ?? 0;
    if (queued >= this.inFlightMax) {
      this.counters.queueFull++;
      return;
    }
    this.inFlight.set(to, queued + 1);
    const at = Math.ceil((this.scheduler.now() + delayMs) / this.tickMs) * this.tickMs;
    const key = `${to}@${at}`;
    const group = this.arriving.get(key);
    if (group) {
      group.push(datagram);
      return;
    }
    this.arriving.set(key, [datagram]);
    this.scheduler.schedule(at, () => {
      const batch = this.arriving.get(key) ?? [];
      this.arriving.delete(key);
      this.inFlight.set(to, (this.inFlight.get(to) ?? batch.length) - batch.length);
      const endpoint = this.endpoints.get(to);
      if (!endpoint) {
        this.counters.unreachable += batch.length;
        return;
      }
      this.counters.delivered += batch.length;
      endpoint.deliver(batch);
    });
  }
}
