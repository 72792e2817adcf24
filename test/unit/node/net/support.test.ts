// Small pieces of node/net: the seeded PRNG, the manual scheduler and the neighbour table.
import { describe, expect, it } from "vitest";

import { NeighbourTable } from "../../../../node/net/neighbour-table.ts";
import { ManualScheduler } from "../../../../node/net/scheduler.ts";
import { seededRandom } from "../../../../node/net/seeded-random.ts";

describe("seededRandom", () => {
  it("repeats a sequence per seed, stays in [0, 1) and spreads", () => {
    const a = seededRandom(9);
    const b = seededRandom(9);
    const xs = Array.from({ length: 10_000 }, () => a());
    expect(Array.from({ length: 10_000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
    expect(seededRandom(10)()).not.toBe(seededRandom(9)());
  });
});

describe("ManualScheduler", () => {
  it("runs tasks in time order, ties in scheduling order, including tasks scheduled while running", () => {
    const s = new ManualScheduler();
    const log: string[] = [];
    s.schedule(5, () => log.push("b"));
    s.schedule(1, () => {
      log.push("a");
      s.schedule(5, () => log.push("c"));
    });
    s.schedule(9, () => log.push("late"));
    expect(s.run(5)).toBe(3);
    expect(log).toEqual(["a", "b", "c"]);
    expect(s.now()).toBe(5);
    expect(s.pendingCount()).toBe(1);
  });
});

describe("NeighbourTable", () => {
  const mac = Uint8Array.of(2, 0, 0, 0, 0, 7);
  it("answers from configuration before asking the kernel", () => {
    const calls: number[] = [];
    const fixed = new NeighbourTable({ resolve: (ip) => (calls.push(ip), { state: "failed", nextHop: 0 }), now: () => 0, fixed: mac });
    expect(fixed.lookup(1)).toEqual({ kind: "mac", mac });
    const table = new NeighbourTable({
      resolve: (ip) => (calls.push(ip), { state: "failed", nextHop: 0, why: "no route" }),
      now: () => 0,
      staticEntries: new Map([[5, mac]]),
    });
    expect(table.lookup(5)).toEqual({ kind: "mac", mac });
    expect(table.lookup(6)).toEqual({ kind: "failed", why: "no route" });
    expect(calls).toEqual([6]);
  });
  it("caches kernel answers, refreshes them, and keeps the old MAC while the kernel re-resolves", () => {
    let time = 0;
    let state: "valid" | "pending" = "pending";
    let asked = 0;
    const table = new NeighbourTable({
      resolve: () => (asked++, state === "valid" ? { state, nextHop: 1, mac } : { state, nextHop: 1 }),
      now: () => time,
      refreshMs: 100,
    });
    expect(table.lookup(1)).toEqual({ kind: "pending" });
    state = "valid";
    expect(table.lookup(1)).toEqual({ kind: "mac", mac });
    time = 50;
    expect(table.lookup(1).kind).toBe("mac");
    expect(asked).toBe(2);
    time = 200;
    state = "pending";
    expect(table.lookup(1)).toEqual({ kind: "mac", mac });
    expect(asked).toBe(3);
  });
});
