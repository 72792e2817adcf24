// Read-only engine views over states built with the real engine (apply): market list, depth by level, the
// margin picture of an account (checked against the numbers margin.ts rules give by hand), open orders and
// triggers, funding. The test market makes one tick x one lot one quote unit, so notional = price * lots.
import { describe, expect, it } from "vitest";
import { createEngineState, DEFAULT_ENGINE_LIMITS, type EngineState } from "../../../../consensus/derivatives/engine-state.ts";
import {
  accountView,
  armedTriggers,
  bookDepth,
  fundingView,
  marginRatioBps,
  marketViews,
  openOrders,
} from "../../../../consensus/derivatives/engine-queries.ts";
import { engineStateHashHex } from "../../../../consensus/derivatives/state-hash.ts";
import { ok, ORACLES, order, setIndex, TEST_MARKET } from "./engine-fixtures.ts";

const OTHER = { ...TEST_MARKET, id: 3, symbol: "OTHER-PERP", initialIndexTicks: 2_000 };

function world(): EngineState {
  const s = createEngineState({ markets: [TEST_MARKET, OTHER], oracles: ORACLES, limits: DEFAULT_ENGINE_LIMITS });
  ok(s, { kind: "deposit", account: "alice", amountQuote: 100_000n });
  ok(s, { kind: "deposit", account: "bob", amountQuote: 100_000n });
  ok(s, order("bob", "sell", 1_000, 10, { nonce: 1 }));
  ok(s, order("bob", "sell", 1_010, 5, { nonce: 2 }));
  ok(s, order("bob", "sell", 1_010, 3, { nonce: 3 }));
  ok(s, order("alice", "buy", 1_000, 4, { nonce: 1 })); // takes 4 of bob's first order
  ok(s, order("alice", "buy", 990, 2, { nonce: 2, goodTilBlock: 50 }));
  ok(s, order("alice", "buy", 980, 1, { nonce: 3 }));
  return s;
}

describe("marketViews", () => {
  it("lists every market in id order with parameters, prices and book summary", () => {
    const s = world();
    const views = marketViews(s);
    expect(views.map((v) => v.market.id)).toEqual([3, 7]);
    expect(views[1]).toEqual({
      market: { ...TEST_MARKET, quotePerTickLot: 1n },
      indexTicks: 1_000, markTicks: 1_000, bestBidTicks: 990, bestAskTicks: 1_000, lastFundingRateBps: 0, fundingIndex: 0n, restingOrders: 5,
    });
    expect(views[0]).toMatchObject({ indexTicks: 2_000, markTicks: 2_000, bestBidTicks: null, bestAskTicks: null, restingOrders: 0 });
  });
});

describe("bookDepth", () => {
  it("aggregates each side by price level, best first, up to depth", () => {
    const s = world();
    expect(bookDepth(s, 7, 20)).toEqual({
      marketId: 7,
      height: 0,
      bids: [{ priceTicks: 990, lots: 2, orders: 1 }, { priceTicks: 980, lots: 1, orders: 1 }],
      asks: [{ priceTicks: 1_000, lots: 6, orders: 1 }, { priceTicks: 1_010, lots: 8, orders: 2 }],
    });
    expect(bookDepth(s, 7, 1)).toMatchObject({ bids: [{ priceTicks: 990 }], asks: [{ priceTicks: 1_000 }] });
    expect(bookDepth(s, 3, 5)).toEqual({ marketId: 3, height: 0, bids: [], asks: [] });
    expect(bookDepth(s, 4, 5)).toBeUndefined();
  });
});

describe("accountView", () => {
  it("gives collateral, equity, requirements, PnL and positions at mark", () => {
    const s = world();
    // Alice: long 4 at 1000, taker fee ceil(4000 * 10 / 10_000) = 4; open bids 2 + 1 lots.
    expect(accountView(s, "alice")).toEqual({
      account: "alice", exists: true, collateralQuote: 99_996n, equityQuote: 99_996n,
      initialRequirementQuote: 700n, // max(|4 + 3|, |4 - 0|) = 7 lots * 1000 * 10%
      maintenanceRequirementQuote: 200n, // 4 lots * 1000 * 5%
      realizedPnlQuote: 0n, marginRatioBps: 21, // ceil(200 * 10_000 / 99_996)
      liquidatable: false,
      positions: [{
        marketId: 7, sizeLots: 4, entryNotionalQuote: 4_000n, markTicks: 1_000, unrealizedPnlQuote: 0n, pendingFundingQuote: 0n,
        maintenanceRequirementQuote: 200n, openBuyLots: 3, openSellLots: 0,
      }],
    });
    expect(accountView(s, "bob")).toMatchObject({ collateralQuote: 99_998n, positions: [{ sizeLots: -4, entryNotionalQuote: -4_000n, openSellLots: 14 }] });
  });

  it("follows the mark and funding; realizes PnL on a close", () => {
    const s = world();
    setIndex(s, 900); // mark = median(900, bid 990, ask 1000) = 990 (inside the 10% band)
    expect(accountView(s, "alice").positions[0]).toMatchObject({ markTicks: 990, unrealizedPnlQuote: -40n, pendingFundingQuote: 0n });
    while (s.height < 10) ok(s, { kind: "block", height: s.height + 1 });
    // Funding at height 10: rate clamped to 50 bps; index += 50 * 990 * 1e6 / 10_000 = 4_950_000 per lot.
    const a = accountView(s, "alice");
    expect(a.positions[0]).toMatchObject({ unrealizedPnlQuote: -40n, pendingFundingQuote: 20n }); // ceil(4 * 4.95)
    expect(a.equityQuote).toBe(99_996n - 40n - 20n);
    expect(accountView(s, "bob").positions[0]).toMatchObject({ unrealizedPnlQuote: 40n, pendingFundingQuote: -19n });
    // Alice closes into carol's bid above her own: 4 * 995 - 4000 realized; funding was settled into collateral.
    ok(s, { kind: "deposit", account: "carol", amountQuote: 100_000n });
    ok(s, order("carol", "buy", 995, 4, { nonce: 1 }));
    ok(s, order("alice", "sell", 995, 4, { nonce: 4, tif: "ioc" }));
    const closed = accountView(s, "alice");
    expect(closed.realizedPnlQuote).toBe(-20n);
    expect(closed.collateralQuote).toBe(99_996n - 20n - 20n - 4n); // funding, loss, taker fee ceil(3980 * 10 / 10_000)
    expect(closed.positions).toEqual([{
      marketId: 7, sizeLots: 0, entryNotionalQuote: 0n, markTicks: 990, unrealizedPnlQuote: 0n, pendingFundingQuote: 0n,
      maintenanceRequirementQuote: 0n, openBuyLots: 3, openSellLots: 0,
    }]);
    expect(closed.marginRatioBps).toBe(0);
  });

  it("is a zero view for an unknown account and never changes the state", () => {
    const s = world();
    const before = engineStateHashHex(s);
    expect(accountView(s, "nobody")).toEqual({
      account: "nobody", exists: false, collateralQuote: 0n, equityQuote: 0n, initialRequirementQuote: 0n, maintenanceRequirementQuote: 0n,
      realizedPnlQuote: 0n, marginRatioBps: 0, liquidatable: false, positions: [],
    });
    accountView(s, "alice");
    openOrders(s, "alice");
    armedTriggers(s, "alice");
    marketViews(s);
    bookDepth(s, 7, 500);
    fundingView(s, 7);
    expect(engineStateHashHex(s)).toBe(before);
  });

  it("reports liquidation exactly when the margin ratio passes 10_000", () => {
    expect(marginRatioBps(100n, 100n)).toBe(10_000);
    expect(marginRatioBps(99n, 100n)).toBe(10_102);
    expect(marginRatioBps(101n, 100n)).toBe(9_901);
    expect(marginRatioBps(0n, 100n)).toBeNull();
    expect(marginRatioBps(-5n, 100n)).toBeNull();
    expect(marginRatioBps(-5n, 0n)).toBe(0);
    expect(marginRatioBps(1n, 10n ** 30n)).toBeNull();
  });
});

describe("openOrders and armedTriggers", () => {
  it("lists resting orders by client order id and triggers in arming order", () => {
    const s = world();
    ok(s, order("alice", "sell", 900, 4, { nonce: 7, tif: "ioc", reduceOnly: true, trigger: { kind: "stop", triggerTicks: 950 } }));
    ok(s, order("alice", "buy", 1_900, 1, { nonce: 5, marketId: 3, goodTilBlock: 30, trigger: { kind: "take-profit", triggerTicks: 1_950 } }));
    expect(openOrders(s, "alice")).toEqual([
      { marketId: 7, clientOrderId: 2, orderId: 5, side: "buy", priceTicks: 990, remainingLots: 2, reduceOnly: false, goodTilBlock: 50 },
      { marketId: 7, clientOrderId: 3, orderId: 6, side: "buy", priceTicks: 980, remainingLots: 1, reduceOnly: false, goodTilBlock: 0 },
    ]);
    expect(openOrders(s, "bob").map((o) => [o.clientOrderId, o.side, o.remainingLots])).toEqual([[1, "sell", 6], [2, "sell", 5], [3, "sell", 3]]);
    expect(armedTriggers(s, "alice")).toEqual([
      { marketId: 7, clientOrderId: 7, kind: "stop", triggerTicks: 950, side: "sell", priceTicks: 900, lots: 4, tif: "ioc", reduceOnly: true, goodTilBlock: 0 },
      { marketId: 3, clientOrderId: 5, kind: "take-profit", triggerTicks: 1_950, side: "buy", priceTicks: 1_900, lots: 1, tif: "gtc", reduceOnly: false, goodTilBlock: 30 },
    ]);
    expect(openOrders(s, "nobody")).toEqual([]);
    expect(armedTriggers(s, "bob")).toEqual([]);
    expect(armedTriggers(s, "nobody")).toEqual([]);
  });
});

describe("fundingView", () => {
  it("gives the last and predicted rate, the index and the next funding height", () => {
    const s = world();
    expect(fundingView(s, 7)).toEqual({
      marketId: 7, lastFundingRateBps: 0, predictedRateBps: 0, fundingIndex: 0n, fundingIntervalBlocks: 10, nextFundingHeight: 10,
      markTicks: 1_000, indexTicks: 1_000,
    });
    setIndex(s, 900);
    expect(fundingView(s, 7)).toMatchObject({ predictedRateBps: 50, nextFundingHeight: 10, markTicks: 990, indexTicks: 900 });
    while (s.height < 10) ok(s, { kind: "block", height: s.height + 1 });
    expect(fundingView(s, 7)).toMatchObject({ lastFundingRateBps: 50, fundingIndex: 4_950_000n, nextFundingHeight: 20 });
    ok(s, { kind: "block", height: 11 });
    expect(fundingView(s, 7)?.nextFundingHeight).toBe(20);
    expect(fundingView(s, 99)).toBeUndefined();
  });
});
