// SimTransport and SimNetwork: the compliance suite on a simulated clock, then what only a simulation has:
// determinism from a seed, loss/duplication/reordering/partitions, and payload poisoning after the handler.
import { describe, expect, it } from "vitest";

import type { Datagram } from "../../../../node/net/datagram-transport.ts";
import { ManualScheduler } from "../../../../node/net/scheduler.ts";
import { seededRandom } from "../../../../node/net/seeded-random.ts";
import { SimNetwork, type LinkConditions } from "../../../../node/net/sim-network.ts";
import { SimTransport } from "../../../../node/net/sim-transport.ts";
import { checkPayload, describeTransportCompliance, testPayload } from "./transport-compliance.ts";

function simHarness() {
  let scheduler = new ManualScheduler();
  return {
    async open() {
      scheduler = new ManualScheduler();
      const network = new SimNetwork({ scheduler, random: seededRandom(1), conditions: { delayMs: 2, jitterMs: 3 } });
      return {
        a: SimTransport.open(network, { host: "10.0.0.1", port: 9000 }),
        b: SimTransport.open(network, { host: "10.0.0.2", port: 9000 }),
      };
    },
    async until(cond: () => boolean, boundMs: number) {
      const end = scheduler.now() + boundMs;
      while (!cond() && scheduler.now() < end) scheduler.run(scheduler.now() + 1);
      return cond();
    },
  };
}

describeTransportCompliance("SimTransport", simHarness());

function trace(seed: number, conditions: Partial<LinkConditions>): string[] {
  const scheduler = new ManualScheduler();
  const network = new SimNetwork({ scheduler, random: seededRandom(seed), conditions });
  const a = SimTransport.open(network, { host: "a", port: 1 });
  const b = SimTransport.open(network, { host: "b", port: 1 });
  const log: string[] = [];
  b.onBatch((batch) => log.push(`${scheduler.now()}:${batch.map((d) => checkPayload(d.payload)).join(",")}`));
  for (let round = 0; round < 20; round++) {
    a.send(Array.from({ length: 10 }, (_, i) => ({ peer: b.localAddress, payload: testPayload(round * 10 + i, 8) })));
    scheduler.run(scheduler.now() + 3);
  }
  scheduler.run(scheduler.now() + 1000);
  return log;
}

describe("SimNetwork", () => {
  const lossy: Partial<LinkConditions> = {
    delayMs: 5, jitterMs: 10, dropRate: 0.1, duplicateRate: 0.05, reorderRate: 0.2, reorderDelayMs: 50,
  };

  it("replays exactly from a seed and differs across seeds", () => {
    expect(trace(42, lossy)).toEqual(trace(42, lossy));
    expect(trace(42, lossy)).not.toEqual(trace(43, lossy));
  });

  it("drops, duplicates and reorders at roughly the configured rates", () => {
    const scheduler = new ManualScheduler();
    const network = new SimNetwork({ scheduler, random: seededRandom(7), conditions: lossy });
    const a = SimTransport.open(network, { host: "a", port: 1 });
    const b = SimTransport.open(network, { host: "b", port: 1 });
    const order: number[] = [];
    b.onBatch((batch) => batch.forEach((d) => order.push(checkPayload(d.payload))));
    for (let i = 0; i < 5000; i++) {
      a.send([{ peer: b.localAddress, payload: testPayload(i, 8) }]);
      if (i % 10 === 0) scheduler.run(scheduler.now() + 1);
    }
    scheduler.run(scheduler.now() + 1000);
    const s = network.stats();
    expect(s.sent).toBe(5000);
    expect(s.dropped / s.sent).toBeGreaterThan(0.07);
    expect(s.dropped / s.sent).toBeLessThan(0.13);
    expect(s.duplicated).toBeGreaterThan(0);
    expect(s.delivered).toBe(s.sent - s.dropped + s.duplicated);
    expect(order.some((v, i) => i > 0 && v < order[i - 1]!)).toBe(true); // reordered
    expect(new Set(order).size).toBeLessThan(order.length); // duplicated
  });

  it("partitions and heals", () => {
    const scheduler = new ManualScheduler();
    const network = new SimNetwork({ scheduler, random: seededRandom(1) });
    const a = SimTransport.open(network, { host: "a", port: 1 });
    const b = SimTransport.open(network, { host: "b", port: 1 });
    let got = 0;
    b.onBatch((batch) => (got += batch.length));
    network.partition([["a"], ["b"]]);
    a.send([{ peer: b.localAddress, payload: new Uint8Array(1) }]);
    scheduler.run(100);
    expect(got).toBe(0);
    expect(network.stats().partitioned).toBe(1);
    network.heal();
    a.send([{ peer: b.localAddress, payload: new Uint8Array(1) }]);
    scheduler.run(200);
    expect(got).toBe(1);
  });

  it("applies per-link conditions one way only", () => {
    const scheduler = new ManualScheduler();
    const network = new SimNetwork({ scheduler, random: seededRandom(1) });
    network.setConditions({ dropRate: 1 }, "a", "b");
    const a = SimTransport.open(network, { host: "a", port: 1 });
    const b = SimTransport.open(network, { host: "b", port: 1 });
    let atA = 0;
    let atB = 0;
    a.onBatch((batch) => (atA += batch.length));
    b.onBatch((batch) => (atB += batch.length));
    a.send([{ peer: b.localAddress, payload: new Uint8Array(1) }]);
    b.send([{ peer: a.localAddress, payload: new Uint8Array(1) }]);
    scheduler.run(100);
    expect([atA, atB]).toEqual([1, 0]);
  });

  it("overwrites payloads after the handler returns, so kept views are caught", () => {
    const scheduler = new ManualScheduler();
    const network = new SimNetwork({ scheduler, random: seededRandom(1) });
    const a = SimTransport.open(network, { host: "a", port: 1 });
    const b = SimTransport.open(network, { host: "b", port: 1 });
    const kept: Datagram[] = [];
    b.onBatch((batch) => kept.push(...batch));
    const sent = testPayload(5, 16);
    a.send([{ peer: b.localAddress, payload: sent }]);
    sent.fill(0); // the sender reusing its buffer must not change what arrives
    scheduler.run(10);
    expect(kept).toHaveLength(1);
    expect(Array.from(kept[0]!.payload)).toEqual(new Array(16).fill(0xee));
  });

  it("counts datagrams to an address nobody holds as unreachable, and refuses a taken address", () => {
    const scheduler = new ManualScheduler();
    const network = new SimNetwork({ scheduler, random: seededRandom(1) });
    const a = SimTransport.open(network, { host: "a", port: 1 });
    expect(() => SimTransport.open(network, { host: "a", port: 1 })).toThrowError(/ADDRESS_IN_USE/);
    a.send([{ peer: { host: "nobody", port: 1 }, payload: new Uint8Array(1) }]);
    scheduler.run(10);
    expect(network.stats().unreachable).toBe(1);
  });

  it("bounds what is in flight towards one endpoint", () => {
    const scheduler = new ManualScheduler();
    const network = new SimNetwork({ scheduler, random: seededRandom(1), inFlightMax: 10 });
    const a = SimTransport.open(network, { host: "a", port: 1 });
    const b = SimTransport.open(network, { host: "b", port: 1 });
    b.onBatch(() => {});
    a.send(Array.from({ length: 15 }, () => ({ peer: b.localAddress, payload: new Uint8Array(1) })));
    scheduler.run(10);
    expect(network.stats().queueFull).toBe(5);
    expect(b.stats().rxDatagrams).toBe(10);
  });
});
