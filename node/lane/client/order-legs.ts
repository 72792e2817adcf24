// What a trader asks for (place, cancel, cancel-all, replace, in market symbols and human prices and sizes, or
// raw ticks and lots) turned into the signed legs of order.ts, with the same leg rules the validators apply
// (order-validation.ts legProblem) checked first so a bad order fails here with a clear message instead of
// being refused by the chain. Pure: markets come in, legs go out; ids and nonces are the client's business.

import { legProblem } from "../../../consensus/lane/order-validation.ts";
import { ActionKind, MARKET_ALL, OrderFlag, Side, TriggerKind, type OrderLeg } from "../../../consensus/lane/order.ts";
import { badOrder } from "./lane-client-error.ts";
import { checkLots, checkTicks, findMarket, priceToTicks, sizeToLots, type LaneMarket } from "./market-units.ts";

export type TimeInForceName = "gtc" | "ioc" | "fok" | "post-only";
export const TIME_IN_FORCE_NAMES: readonly TimeInForceName[] = ["gtc", "ioc", "fok", "post-only"];
export type SideName = "buy" | "sell";
export type MarketRef = string | number;

/** A price: human quote currency ("60000.5") in `price`, or raw ticks in `priceTicks`; exactly one. */
export interface PriceInput {
  price?: string | number;
  priceTicks?: bigint | number;
}

/** A size: human base units ("0.01") in `size`, or raw lots in `sizeLots`; exactly one. */
export interface SizeInput {
  size?: string | number;
  sizeLots?: bigint | number;
}

export interface PlaceSpec extends PriceInput, SizeInput {
  market: MarketRef;
  side: SideName;
  tif: TimeInForceName;
  reduceOnly?: boolean;
  /** Stop or take-profit: the leg is armed until the mark crosses the trigger price. */
  trigger?: { kind: "stop" | "take-profit" } & PriceInput;
}

export interface ReplaceSpec extends PriceInput, SizeInput {
  market: MarketRef;
  /** The side of the order being replaced (a replace leg carries it). */
  side: SideName;
  targetClientOrderId: number;
  postOnly?: boolean;
}

export type LegSpec =
  | ({ kind: "place" } & PlaceSpec)
  | { kind: "cancel"; market: MarketRef; clientOrderId: number }
  | { kind: "cancel-all"; market?: MarketRef }
  | ({ kind: "replace" } & ReplaceSpec);

const TIF_FLAGS: Record<TimeInForceName, number> = {
  gtc: OrderFlag.Gtc,
  ioc: OrderFlag.Ioc,
  fok: OrderFlag.Fok,
  "post-only": OrderFlag.Gtc | OrderFlag.PostOnly,
};

/** Place and replace legs spend a client order id; cancels name theirs. */
export function legUsesClientId(spec: LegSpec): boolean {
  return spec.kind === "place" || spec.kind === "replace";
}

function humanText(v: string | number, what: string): string {
  const text = typeof v === "number" ? String(v) : v;
  if (typeof v === "number" && (!Number.isFinite(v) || /e/i.test(text))) throw badOrder(`${what} ${text} cannot be written as a plain decimal; pass it as a string`);
  return text;
}

function rawInt(v: bigint | number, what: string): bigint {
  if (typeof v === "number" && !Number.isSafeInteger(v)) throw badOrder(`${what} ${v} is not an integer`);
  return BigInt(v);
}

export function ticksOf(market: LaneMarket, p: PriceInput, what = "price"): bigint {
  if ((p.price === undefined) === (p.priceTicks === undefined)) throw badOrder(`give exactly one of ${what} and ${what} in ticks`);
  if (p.priceTicks !== undefined) return checkTicks(market, rawInt(p.priceTicks, `${what} ticks`), what);
  return priceToTicks(market, humanText(p.price!, what), what);
}

export function lotsOf(market: LaneMarket, s: SizeInput): bigint {
  if ((s.size === undefined) === (s.sizeLots === undefined)) throw badOrder("give exactly one of size and size in lots");
  if (s.sizeLots !== undefined) return checkLots(market, rawInt(s.sizeLots, "size lots"));
  return sizeToLots(market, humanText(s.size!, "size"));
}

function clientId(id: number, what: string): number {
  if (!Number.isInteger(id) || id < 1 || id > 0xffff_ffff) throw badOrder(`${what} must be an integer in 1..4294967295, got ${id}`);
  return id;
}

function sideOf(side: string): Side {
  if (side === "buy") return Side.Buy;
  if (side === "sell") return Side.Sell;
  throw badOrder(`side must be buy or sell, got '${side}'`);
}

const EMPTY: Omit<OrderLeg, "marketId" | "action"> = {
  side: Side.None, flags: 0, triggerKind: TriggerKind.None, priceTicks: 0n, sizeLots: 0n, triggerPriceTicks: 0n, clientOrderId: 0, targetClientOrderId: 0,
};

function placeLeg(markets: readonly LaneMarket[], spec: PlaceSpec, id: number): OrderLeg {
  const market = findMarket(markets, spec.market);
  const tif = TIF_FLAGS[spec.tif];
  if (tif === undefined) throw badOrder(`time in force must be one of ${TIME_IN_FORCE_NAMES.join(", ")}, got '${spec.tif}'`);
  let triggerKind: TriggerKind = TriggerKind.None;
  let triggerPriceTicks = 0n;
  if (spec.trigger) {
    if (spec.trigger.kind !== "stop" && spec.trigger.kind !== "take-profit") throw badOrder(`trigger must be stop or take-profit, got '${spec.trigger.kind}'`);
    triggerKind = spec.trigger.kind === "stop" ? TriggerKind.Stop : TriggerKind.TakeProfit;
    triggerPriceTicks = ticksOf(market, spec.trigger, "trigger price");
  }
  return {
    ...EMPTY, marketId: market.id, action: ActionKind.Place, side: sideOf(spec.side),
    flags: tif | (spec.reduceOnly ? OrderFlag.ReduceOnly : 0), triggerKind, triggerPriceTicks,
    priceTicks: ticksOf(market, spec), sizeLots: lotsOf(market, spec), clientOrderId: id,
  };
}

function replaceLeg(markets: readonly LaneMarket[], spec: ReplaceSpec, id: number): OrderLeg {
  const market = findMarket(markets, spec.market);
  return {
    ...EMPTY, marketId: market.id, action: ActionKind.Replace, side: sideOf(spec.side),
    flags: OrderFlag.Gtc | (spec.postOnly ? OrderFlag.PostOnly : 0), priceTicks: ticksOf(market, spec), sizeLots: lotsOf(market, spec),
    clientOrderId: id, targetClientOrderId: clientId(spec.targetClientOrderId, "the client order id to replace"),
  };
}

/** One leg; `id` is the client order id for place and replace legs (ignored by cancels). */
export function buildLeg(markets: readonly LaneMarket[], spec: LegSpec, id: number): OrderLeg {
  let leg: OrderLeg;
  switch (spec.kind) {
    case "place":
      leg = placeLeg(markets, spec, id);
      break;
    case "replace":
      leg = replaceLeg(markets, spec, id);
      break;
    case "cancel":
      leg = { ...EMPTY, marketId: findMarket(markets, spec.market).id, action: ActionKind.Cancel, targetClientOrderId: clientId(spec.clientOrderId, "the client order id to cancel") };
      break;
    case "cancel-all":
      leg = { ...EMPTY, marketId: spec.market === undefined ? MARKET_ALL : findMarket(markets, spec.market).id, action: ActionKind.CancelAll };
      break;
    default:
      throw badOrder(`unknown leg kind '${(spec as { kind: string }).kind}'`);
  }
  const problem = legProblem(leg);
  if (problem !== undefined) throw badOrder(problem);
  return leg;
}
