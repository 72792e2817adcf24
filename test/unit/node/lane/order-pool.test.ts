// OrderPool: bodies held until they execute and the records of those that did, both bounded with the oldest
// forgotten first; statuses for RPC; the first-seen order the lane service re-stamps and drops by.

import { describe, expect, it } from "vitest";
import type { OrderAction } from "../../../../consensus/lane/order.ts";
import type { LaneOrderRecord } from "../../../../node/lane/lane-backend.ts";
import { OrderPool, type PendingOrder } from "../../../../node/lane/order-pool.ts";

const ORDER = {} as OrderAction; // the pool never looks inside

function pending(firstSeenMs: number, stampUs?: number): PendingOrder {
  return { order: ORDER, bytes: new Uint8Array([firstSeenMs & 0xff]), account: "0xaa", firstSeenMs, ...(stampUs === undefined ? {} : { stampUs }) };
}

function record(orderId: string, blockHeight = 1): LaneOrderRecord {
  return { orderId, account: "0xaa", status: "executed", blockHeight, position: 0 };
}

describe("OrderPool", () => {
  it("adds a body once, and never one that already executed", () => {
    const pool = new OrderPool();
    expect(pool.add("a", pending(1))).toBe("added");
    expect(pool.add("a", pending(2))).toBe("duplicate");
    expect(pool.get("a")?.firstSeenMs).toBe(1);
    pool.settle(record("a"));
    expect(pool.has("a")).toBe(true);
    expect(pool.get("a")).toBeUndefined();
    expect(pool.add("a", pending(3))).toBe("duplicate");
    expect(pool.pendingCount).toBe(0);
  });

  it("refuses new bodies when full, keeping the held ones (receipts may name them), counted", () => {
    const pool = new OrderPool(2, 10);
    expect([["a", 1], ["b", 2], ["c", 3], ["d", 4]].map(([id, t]) => pool.add(id as string, pending(t as number)))).toEqual(["added", "added", "full", "full"]);
    expect(pool.pendingCount).toBe(2);
    expect(pool.refusedFull).toBe(2);
    expect(["a", "b", "c", "d"].map((id) => pool.has(id))).toEqual([true, true, false, false]);
    pool.settle(record("a")); // an execution makes room
    expect(pool.add("c", pending(5))).toBe("added");
    expect(pool.add("d", pending(6))).toBe("full");
    expect(pool.refusedFull).toBe(3);
  });

  it("settles: the record replaces the body, keeps this validator's stamp, and statuses follow", () => {
    const pool = new OrderPool();
    pool.add("a", pending(1, 1_000_000));
    pool.add("b", pending(2));
    expect(pool.status("a")).toEqual({ orderId: "a", account: "0xaa", status: "pending", receivedAtUs: 1_000_000 });
    expect(pool.status("b")).toEqual({ orderId: "b", account: "0xaa", status: "pending" });
    expect(pool.status("z")).toBeUndefined();
    pool.settle(record("a", 7));
    pool.settle(record("z", 8)); // executed without ever being held here
    expect(pool.status("a")).toEqual({ orderId: "a", account: "0xaa", status: "executed", blockHeight: 7, position: 0, receivedAtUs: 1_000_000 });
    expect(pool.status("z")).toEqual({ orderId: "z", account: "0xaa", status: "executed", blockHeight: 8, position: 0 });
    expect(pool.pendingCount).toBe(1);
  });

  it("forgets the oldest record beyond its bound; the first outcome of an order stands", () => {
    const pool = new OrderPool(10, 3);
    for (const id of ["r1", "r2", "r3"]) pool.settle(record(id));
    pool.settle(record("r1", 2)); // a second run of r1 (a stale-nonce refusal) does not replace its outcome
    pool.settle(record("r4"));
    expect(["r1", "r2", "r3", "r4"].map((id) => pool.status(id)?.blockHeight)).toEqual([undefined, 1, 1, 1]);
  });

  it("keeps the bodies of settled orders, bounded, for a proposer whose evidence names them again", () => {
    const pool = new OrderPool(10, 10, 2);
    for (const [id, t] of [["a", 1], ["b", 2], ["c", 3]] as const) pool.add(id, pending(t));
    for (const id of ["a", "b", "c"]) pool.settle(record(id));
    expect(pool.get("b")).toBeUndefined(); // no longer pending
    expect(["a", "b", "c"].map((id) => pool.settledBody(id)?.firstSeenMs)).toEqual([undefined, 2, 3]);
  });

  it("lists bodies first held before a time, oldest first, and drops them on request", () => {
    const pool = new OrderPool();
    pool.add("a", pending(10));
    pool.add("b", pending(20));
    pool.add("c", pending(30));
    expect(pool.olderThan(20).map(([id]) => id)).toEqual(["a"]); // strictly before
    expect(pool.olderThan(31).map(([id]) => id)).toEqual(["a", "b", "c"]);
    expect(pool.olderThan(10)).toEqual([]);
    pool.drop("b");
    expect(pool.olderThan(31).map(([id, p]) => [id, p.firstSeenMs])).toEqual([["a", 10], ["c", 30]]);
    expect(pool.has("b")).toBe(false);
  });
});
