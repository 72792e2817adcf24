// The UDP path's checks on the JavaScript thread (the rule of net-native/native/lane_order.h) and its bounded
// dedupe (the rule of lane_dedupe.h): shape, chain, shard choice, oldest-first eviction.
import { describe, expect, it } from "vitest";

import { dedupeShard, laneDatagramChecker } from "../../../../../node/lane/ingest/lane-datagram.ts";
import { LaneDedupe } from "../../../../../node/lane/ingest/lane-dedupe.ts";
import { LANE_CHAIN_ID, malformedDatagrams, signedOrder, trader } from "./lane-ingest-fixtures.ts";

describe("lane datagram check", () => {
  const check = laneDatagramChecker(LANE_CHAIN_ID);
  const key = trader(0x71);

  it("accepts every leg count's exact size and refuses everything else as malformed", () => {
    for (let legs = 1; legs <= 32; legs++) {
      const o = signedOrder(key, 1n, legs);
      expect(check(o.bytes)).toBe("ok");
      expect(check(o.bytes.subarray(0, o.bytes.length - 1))).toBe("malformed");
    }
    for (const bad of malformedDatagrams(signedOrder(key, 2n))) expect(check(bad)).toBe("malformed");
    expect(check(new Uint8Array(0))).toBe("malformed");
    expect(check(new Uint8Array(2000))).toBe("malformed");
  });

  it("compares the whole 64-bit chain id", () => {
    expect(check(signedOrder(key, 1n, 1, LANE_CHAIN_ID + (1n << 32n)).bytes)).toBe("wrongChain");
    expect(check(signedOrder(key, 1n, 1, LANE_CHAIN_ID + 1n).bytes)).toBe("wrongChain");
    const big = 0xfedcba9876543210n;
    expect(laneDatagramChecker(big)(signedOrder(key, 1n, 1, big).bytes)).toBe("ok");
  });

  it("puts every copy of an order in one shard, and spreads different orders", () => {
    const shards = new Set<number>();
    for (let i = 0; i < 64; i++) {
      const o = signedOrder(trader(i + 1), BigInt(i));
      expect(dedupeShard(o.bytes, 4)).toBe(dedupeShard(o.bytes.slice(), 4));
      shards.add(dedupeShard(o.bytes, 4));
    }
    expect(shards.size).toBe(4);
    expect(dedupeShard(signedOrder(key, 1n).bytes, 1)).toBe(0);
  });
});

describe("lane dedupe", () => {
  it("remembers up to its capacity and evicts the oldest first", () => {
    const d = new LaneDedupe(3);
    expect([d.add("a"), d.add("b"), d.add("c"), d.add("a")]).toEqual([true, true, true, false]);
    expect(d.add("d")).toBe(true);
    expect([d.has("a"), d.has("b"), d.has("c"), d.has("d")]).toEqual([false, true, true, true]);
    expect(d.size).toBe(3);
    expect(d.delete("c")).toBe(true);
    expect(d.has("c")).toBe(false);
    expect(() => new LaneDedupe(0)).toThrow(RangeError);
  });
});
