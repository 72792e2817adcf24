// Markets as lane_markets reports them, and the exact conversions between what people type (a price in quote
// currency, a size in base units, decimal strings) and what orders carry (integer ticks and lots). Fixed-point
// bigint arithmetic only: a price that is not a whole tick or a size that is not a whole lot is an error, never
// rounded. Units follow consensus/derivatives/market.ts (quote units have QUOTE_DECIMALS, lots are in 1e-9 base).

import { QUOTE_DECIMALS } from "../../../consensus/derivatives/market.ts";
import { badOrder, LaneClientError } from "./lane-client-error.ts";

/** Lot sizes are in billionths of a base unit (market.ts LOT_SIZE_SCALE = 10^9). */
const BASE_DECIMALS = 9;
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;
const U64_MAX = (1n << 64n) - 1n;

export interface LaneMarket {
  id: number;
  symbol: string;
  /** Quote units per whole base unit per tick. */
  tickSizeQuote: bigint;
  /** Billionths of a base unit per lot. */
  lotSizeBaseE9: bigint;
  markTicks: number;
  indexTicks: number;
  maxPriceTicks: number;
  maxOrderLots: number;
}

function bigintField(o: Record<string, unknown>, name: string): bigint {
  const v = o[name];
  if (typeof v === "string" && /^\d+$/.test(v)) return BigInt(v);
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  throw new LaneClientError("LANE_CLIENT_ERROR_RESPONSE", `lane_markets: ${name} must be a decimal integer, got ${JSON.stringify(v)}`);
}

function intField(o: Record<string, unknown>, name: string, fallback?: number): number {
  const v = o[name];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return v;
  if (typeof v === "string" && /^\d{1,15}$/.test(v)) return Number(v);
  throw new LaneClientError("LANE_CLIENT_ERROR_RESPONSE", `lane_markets: ${name} must be a non-negative integer, got ${JSON.stringify(v)}`);
}

/** Checks the lane_markets answer; fields this client does not use are ignored. */
export function parseLaneMarkets(json: unknown): LaneMarket[] {
  if (!Array.isArray(json)) throw new LaneClientError("LANE_CLIENT_ERROR_RESPONSE", "lane_markets must return an array");
  return json.map((m) => {
    if (typeof m !== "object" || m === null) throw new LaneClientError("LANE_CLIENT_ERROR_RESPONSE", "lane_markets: each market must be an object");
    const o = m as Record<string, unknown>;
    if (typeof o.symbol !== "string") throw new LaneClientError("LANE_CLIENT_ERROR_RESPONSE", "lane_markets: symbol must be a string");
    const tickSizeQuote = bigintField(o, "tickSizeQuote");
    const lotSizeBaseE9 = bigintField(o, "lotSizeBaseE9");
    if (tickSizeQuote === 0n || lotSizeBaseE9 === 0n) throw new LaneClientError("LANE_CLIENT_ERROR_RESPONSE", `lane_markets: ${o.symbol} has a zero tick or lot size`);
    const markTicks = intField(o, "markTicks");
    return {
      id: intField(o, "id"),
      symbol: o.symbol,
      tickSizeQuote,
      lotSizeBaseE9,
      markTicks,
      indexTicks: intField(o, "indexTicks", markTicks),
      maxPriceTicks: intField(o, "maxPriceTicks"),
      maxOrderLots: intField(o, "maxOrderLots"),
    };
  });
}

/** By symbol (any case) or by numeric id. */
export function findMarket(markets: readonly LaneMarket[], ref: string | number): LaneMarket {
  const byId = typeof ref === "number" || /^\d+$/.test(ref) ? markets.find((m) => m.id === Number(ref)) : undefined;
  const found = byId ?? markets.find((m) => typeof ref === "string" && m.symbol.toUpperCase() === ref.toUpperCase());
  if (!found) {
    const known = markets.map((m) => `${m.symbol} (${m.id})`).join(", ") || "none";
    throw badOrder(`unknown market '${ref}'; markets: ${known}`, { market: ref });
  }
  return found;
}

/** An exact decimal string as an integer scaled by 10^decimals; more decimals than that is an error. */
export function parseDecimal(text: string, decimals: number, what: string): bigint {
  const m = DECIMAL.exec(text.trim());
  if (!m) throw badOrder(`${what} '${text}' is not a plain decimal number (digits and an optional fraction)`);
  const frac = (m[2] ?? "").replace(/0+$/, "");
  if (frac.length > decimals) throw badOrder(`${what} '${text}' has more than ${decimals} decimals`);
  return BigInt(m[1]!) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, "0") || "0");
}

/** The integer scaled by 10^decimals as a decimal string without trailing zeros. */
export function formatFixed(value: bigint, decimals: number): string {
  const neg = value < 0n;
  const abs = neg ? -value : value;
  const scale = 10n ** BigInt(decimals);
  const frac = (abs % scale).toString().padStart(decimals, "0").replace(/0+$/, "");
  return `${neg ? "-" : ""}${abs / scale}${frac ? `.${frac}` : ""}`;
}

export function parseQuoteAmount(text: string, what = "amount"): bigint {
  return parseDecimal(text, QUOTE_DECIMALS, what);
}

export function formatQuote(amountQuote: bigint): string {
  return formatFixed(amountQuote, QUOTE_DECIMALS);
}

export function tickSize(market: LaneMarket): string {
  return formatFixed(market.tickSizeQuote, QUOTE_DECIMALS);
}

export function lotSize(market: LaneMarket): string {
  return formatFixed(market.lotSizeBaseE9, BASE_DECIMALS);
}

/** Raw ticks as given (flags or API), checked against the market's range. */
export function checkTicks(market: LaneMarket, ticks: bigint | number, what = "price"): bigint {
  const t = BigInt(ticks);
  if (t < 1n || t > BigInt(market.maxPriceTicks)) throw badOrder(`${what} ${t} ticks is outside 1..${market.maxPriceTicks} for ${market.symbol}`);
  return t;
}

export function checkLots(market: LaneMarket, lots: bigint | number): bigint {
  const l = BigInt(lots);
  if (l < 1n || l > BigInt(market.maxOrderLots)) throw badOrder(`size ${l} lots is outside 1..${market.maxOrderLots} for ${market.symbol}`);
  return l;
}

/** A price in quote currency ("60000.5") as ticks; it must be a whole number of ticks. */
export function priceToTicks(market: LaneMarket, price: string, what = "price"): bigint {
  const quote = parseDecimal(price, QUOTE_DECIMALS, what);
  if (quote % market.tickSizeQuote !== 0n) {
    throw badOrder(`${what} ${price} is not a whole tick of ${market.symbol} (tick size ${tickSize(market)})`, { market: market.symbol });
  }
  return checkTicks(market, quote / market.tickSizeQuote, what);
}

/** A size in base units ("0.01") as lots; it must be a whole number of lots. */
export function sizeToLots(market: LaneMarket, size: string): bigint {
  const e9 = parseDecimal(size, BASE_DECIMALS, "size");
  if (e9 % market.lotSizeBaseE9 !== 0n) {
    throw badOrder(`size ${size} is not a whole lot of ${market.symbol} (lot size ${lotSize(market)})`, { market: market.symbol });
  }
  return checkLots(market, e9 / market.lotSizeBaseE9);
}

export function ticksToPrice(market: LaneMarket, ticks: bigint | number): string {
  return formatFixed(BigInt(ticks) * market.tickSizeQuote, QUOTE_DECIMALS);
}

export function lotsToSize(market: LaneMarket, lots: bigint | number): string {
  return formatFixed(BigInt(lots) * market.lotSizeBaseE9, BASE_DECIMALS);
}

/** A u64 given as a number, bigint or decimal string (good-til-block, nonces). */
export function toU64(v: bigint | number | string, what: string): bigint {
  let n: bigint;
  try {
    n = BigInt(v);
  } catch {
    throw badOrder(`${what} '${String(v)}' is not an integer`);
  }
  if (n < 0n || n > U64_MAX) throw badOrder(`${what} ${n} is outside the u64 range`);
  return n;
}
