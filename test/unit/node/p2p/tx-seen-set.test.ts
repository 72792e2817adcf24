// The gossip de-duplication memory: delivered once, sent once, origin remembered, bounded.
import { describe, expect, it } from "vitest";

import { TxSeenSet } from "../../../../node/p2p/tx-seen-set.ts";

describe("TxSeenSet", () => {
  it("delivers a transaction once and remembers who brought it", () => {
    const seen = new TxSeenSet(10);
    expect(seen.markDelivered("h1", "peerA")).toBe(true);
    expect(seen.markDelivered("h1", "peerB")).toBe(false);
    expect(seen.markSent("h1")).toEqual({ origin: "peerA" });
    expect(seen.markSent("h1")).toBeUndefined();
  });

  it("treats the node's own transactions as delivered, so an echo is not handed back", () => {
    const seen = new TxSeenSet(10);
    expect(seen.markSent("own")).toEqual({ origin: undefined });
    expect(seen.markDelivered("own", "peerA")).toBe(false);
  });

  it("forgets the oldest entry beyond its bound", () => {
    const seen = new TxSeenSet(2);
    seen.markDelivered("a", "p");
    seen.markDelivered("b", "p");
    seen.markDelivered("c", "p");
    expect(seen.size).toBe(2);
    expect(seen.markDelivered("a", "p")).toBe(true);
    expect(seen.markDelivered("c", "p")).toBe(false);
  });
});
