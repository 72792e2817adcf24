// Exact conversions between human prices and sizes and integer ticks and lots on the devnet markets, and the
// lane_markets shape check.
import { describe, expect, it } from "vitest";
import { findMarket, formatFixed, lotsToSize, parseDecimal, parseLaneMarkets, priceToTicks, sizeToLots, ticksToPrice } from "../../../../../node/lane/client/market-units.ts";
import { marketsJson } from "./fake-lane-node.ts";

const markets = parseLaneMarkets(marketsJson());
const btc = findMarket(markets, "BTC-PERP");
const eth = findMarket(markets, 2);

describe("market units", () => {
  it("parses lane_markets and finds markets by symbol in any case or by id", () => {
    expect(btc).toMatchObject({ id: 1, tickSizeQuote: 100_000n, lotSizeBaseE9: 1_000_000n, markTicks: 600_000 });
    expect(findMarket(markets, "eth-perp")).toBe(eth);
    expect(findMarket(markets, "1")).toBe(btc);
    expect(() => parseLaneMarkets([{ symbol: "X", tickSizeQuote: "1.5" }])).toThrow(/LANE_CLIENT_ERROR_RESPONSE.*tickSizeQuote/);
    expect(() => parseLaneMarkets({})).toThrow(/must return an array/);
  });

  it("converts both ways exactly", () => {
    expect(priceToTicks(btc, "60000.5")).toBe(600_005n);
    expect(priceToTicks(eth, "3000.01")).toBe(300_001n);
    expect(sizeToLots(btc, "0.01")).toBe(10n);
    expect(sizeToLots(eth, "1.50")).toBe(150n);
    expect(ticksToPrice(btc, 600_005)).toBe("60000.5");
    expect(lotsToSize(btc, 10)).toBe("0.01");
    expect(lotsToSize(eth, 100)).toBe("1");
  });

  it("never rounds: off-tick, off-lot, too many decimals and non-numbers are errors", () => {
    expect(() => priceToTicks(btc, "60000.55")).toThrow(/not a whole tick of BTC-PERP \(tick size 0.1\)/);
    expect(() => priceToTicks(btc, "1.1234567")).toThrow(/more than 6 decimals/);
    expect(() => sizeToLots(eth, "0.015")).toThrow(/not a whole lot of ETH-PERP \(lot size 0.01\)/);
    expect(() => sizeToLots(btc, "-1")).toThrow(/not a plain decimal/);
    expect(() => priceToTicks(btc, "0")).toThrow(/outside 1..4000000/);
  });

  it("parses and formats fixed point", () => {
    expect(parseDecimal("12.5", 6, "x")).toBe(12_500_000n);
    expect(parseDecimal("7", 0, "x")).toBe(7n);
    expect(parseDecimal("1.500", 1, "x")).toBe(15n);
    expect(formatFixed(12_500_000n, 6)).toBe("12.5");
    expect(formatFixed(-1n, 6)).toBe("-0.000001");
  });
});
