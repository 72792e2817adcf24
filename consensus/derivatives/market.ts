// Perpetual-futures market specification, fixed at genesis. Units: prices are integer ticks, sizes integer lots,
// money is quote units (QUOTE_DECIMALS fixed decimals, bigint), rates and margins are basis points (1/10,000).
// The notional of `lots` at `priceTicks` is priceTicks * lots * quotePerTickLot quote units, exactly.
// Not the book or the account state: see order-book.ts and account.ts.

import { XdpchainError } from "../errors.ts";

/** Quote units carry 6 decimals: 1_000_000n quote units are one unit of the collateral asset (e.g. 1 USD). */
export const QUOTE_DECIMALS = 6;
export const BPS_DENOMINATOR = 10_000n;
/** Lot sizes are given in billionths of one base unit so that 0.001 BTC is exactly 1_000_000n. */
export const LOT_SIZE_SCALE = 1_000_000_000n;
/** Ceiling for price and size fields: products of two stay safe integers. */
export const PRICE_TICKS_LIMIT = 1 << 26;
export const LOTS_LIMIT = 1 << 26;

export interface MarketSpec {
  readonly id: number;
  readonly symbol: string;
  /** Price increment in quote units per whole base unit (100_000n = 0.1 USD). */
  readonly tickSizeQuote: bigint;
  /** Lot size in billionths of a base unit (1_000_000n = 0.001 BTC). */
  readonly lotSizeBaseE9: bigint;
  readonly maxPriceTicks: number;
  readonly maxOrderLots: number;
  readonly maxPositionLots: number;
  readonly initialMarginBps: number;
  readonly maintenanceMarginBps: number;
  readonly takerFeeBps: number;
  readonly makerFeeBps: number;
  /** Penalty on notional closed by liquidation, paid to the insurance fund out of what the account has left. */
  readonly liquidationFeeBps: number;
  readonly fundingIntervalBlocks: number;
  /** Cap on |funding rate| per interval. */
  readonly maxFundingRateBps: number;
  /** Mark price may deviate from the index by at most this much. */
  readonly markBandBps: number;
  /** Index used until validators submit one. */
  readonly initialIndexTicks: number;
  /** Index submissions older than this many blocks are ignored. */
  readonly indexMaxAgeBlocks: number;
}

/** A validated spec with its derived constant. */
export interface Market extends MarketSpec {
  /** Quote units per (1 tick x 1 lot) = tickSizeQuote * lotSizeBaseE9 / 1e9, required to be whole. */
  readonly quotePerTickLot: bigint;
}

export type MarketErrorCode = "MARKET_ERROR_INVALID_SPEC";

export class MarketError extends XdpchainError<MarketErrorCode, { symbol: string; field: string }> {}

function bad(spec: MarketSpec, field: string, why: string): never {
  throw new MarketError("MARKET_ERROR_INVALID_SPEC", `${spec.symbol}: ${field} ${why}`, { symbol: spec.symbol, field });
}

function intIn(spec: MarketSpec, field: keyof MarketSpec, lo: number, hi: number): void {
  const v = spec[field];
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < lo || v > hi) bad(spec, field, `must be an integer in [${lo}, ${hi}]`);
}

/** Checks a genesis market spec (an operating error on bad genesis, not peer input) and derives quotePerTickLot. */
export function createMarket(spec: MarketSpec): Market {
  intIn(spec, "id", 0, 0xffff);
  if (!/^[A-Z0-9-]{1,16}$/.test(spec.symbol)) bad(spec, "symbol", "must be 1-16 of A-Z 0-9 -");
  if (spec.tickSizeQuote <= 0n || spec.lotSizeBaseE9 <= 0n) bad(spec, "tickSizeQuote/lotSizeBaseE9", "must be positive");
  const product = spec.tickSizeQuote * spec.lotSizeBaseE9;
  if (product % LOT_SIZE_SCALE !== 0n) bad(spec, "tickSizeQuote*lotSizeBaseE9", "must be a whole number of quote units");
  intIn(spec, "maxPriceTicks", 2, PRICE_TICKS_LIMIT);
  intIn(spec, "maxOrderLots", 1, LOTS_LIMIT);
  intIn(spec, "maxPositionLots", 1, LOTS_LIMIT);
  intIn(spec, "maintenanceMarginBps", 1, 5_000);
  intIn(spec, "initialMarginBps", spec.maintenanceMarginBps, 10_000);
  intIn(spec, "takerFeeBps", 0, 1_000);
  intIn(spec, "makerFeeBps", 0, spec.takerFeeBps);
  intIn(spec, "liquidationFeeBps", 0, spec.maintenanceMarginBps);
  intIn(spec, "fundingIntervalBlocks", 1, 1_000_000);
  intIn(spec, "maxFundingRateBps", 0, 1_000);
  intIn(spec, "markBandBps", 0, 5_000);
  intIn(spec, "initialIndexTicks", 1, spec.maxPriceTicks);
  intIn(spec, "indexMaxAgeBlocks", 1, 1_000_000);
  return { ...spec, quotePerTickLot: product / LOT_SIZE_SCALE };
}

/** Exact notional in quote units (unsigned). */
export function notionalQuote(market: Market, priceTicks: number, lots: number): bigint {
  return BigInt(priceTicks) * BigInt(lots) * market.quotePerTickLot;
}

/** ceil(amount * bps / 10_000) for amount >= 0: fees and margins round against the account. */
export function bpsCeil(amountQuote: bigint, bps: number): bigint {
  return (amountQuote * BigInt(bps) + BPS_DENOMINATOR - 1n) / BPS_DENOMINATOR;
}

/** Devnet markets: BTC-PERP (tick 0.1 USD, lot 0.001 BTC) and ETH-PERP (tick 0.01 USD, lot 0.01 ETH). */
export const DEVNET_MARKETS: readonly MarketSpec[] = [
  {
    id: 1, symbol: "BTC-PERP", tickSizeQuote: 100_000n, lotSizeBaseE9: 1_000_000n, maxPriceTicks: 4_000_000,
    maxOrderLots: 1_000_000, maxPositionLots: 10_000_000, initialMarginBps: 1_000, maintenanceMarginBps: 500,
    takerFeeBps: 5, makerFeeBps: 2, liquidationFeeBps: 100, fundingIntervalBlocks: 3_600, maxFundingRateBps: 75,
    markBandBps: 100, initialIndexTicks: 600_000, indexMaxAgeBlocks: 30,
  },
  {
    id: 2, symbol: "ETH-PERP", tickSizeQuote: 10_000n, lotSizeBaseE9: 10_000_000n, maxPriceTicks: 4_000_000,
    maxOrderLots: 1_000_000, maxPositionLots: 10_000_000, initialMarginBps: 1_000, maintenanceMarginBps: 500,
    takerFeeBps: 5, makerFeeBps: 2, liquidationFeeBps: 100, fundingIntervalBlocks: 3_600, maxFundingRateBps: 75,
    markBandBps: 100, initialIndexTicks: 300_000, indexMaxAgeBlocks: 30,
  },
];
