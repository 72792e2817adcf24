// Stop and take-profit orders fire when the mark crosses their trigger and then trade like new orders.
import { describe, expect, it } from "vitest";
import { fills, newEngine, nextNonce, ok, order, position, setIndex } from "./engine-fixtures.ts";

describe("triggers", () => {
  it("a stop-loss sell fires on a mark drop; a take-profit waits; cancel removes a trigger", () => {
    const s = newEngine();
    for (const a of ["alice", "bob", "carol"]) ok(s, { kind: "deposit", account: a, amountQuote: 1_000_000n });
    ok(s, order("bob", "sell", 1_000, 10));
    ok(s, order("alice", "buy", 1_000, 10));
    const stop = order("alice", "sell", 900, 10, { tif: "ioc", reduceOnly: true, trigger: { kind: "stop", triggerTicks: 950 } });
    const tp = order("alice", "sell", 1_050, 10, { reduceOnly: true, trigger: { kind: "take-profit", triggerTicks: 1_050 } });
    expect(ok(s, stop).map((e) => e.type)).toEqual(["trigger-armed"]);
    ok(s, tp);
    ok(s, order("carol", "buy", 940, 10));
    expect(setIndex(s, 970).some((e) => e.type === "trigger-fired")).toBe(false);
    const ev = setIndex(s, 940);
    expect(ev.filter((e) => e.type === "trigger-fired").map((e) => "nonce" in e && e.nonce)).toEqual([stop.nonce]);
    expect(fills(ev).map((f) => [f.taker, f.maker, f.priceTicks, f.lots])).toEqual([["alice", "carol", 940, 10]]);
    expect(position(s, "alice")).toBe(0);
    ok(s, { kind: "cancel", account: "alice", nonce: nextNonce(), orderNonce: tp.nonce });
    expect(s.markets.get(7)!.triggers).toEqual([]);
  });

  it("a fired trigger that fails its checks is reported, not traded", () => {
    const s = newEngine();
    ok(s, { kind: "deposit", account: "alice", amountQuote: 1_000n });
    ok(s, order("alice", "buy", 1_100, 100, { trigger: { kind: "stop", triggerTicks: 1_050 } }));
    const ev = setIndex(s, 1_060);
    expect(ev.find((e) => e.type === "trigger-rejected")).toMatchObject({ code: "ENGINE_REJECT_INSUFFICIENT_MARGIN" });
  });
});
