// Human output of the `xdpchain lane` commands: aligned tables, and lane RPC rows made readable (market ids as
// symbols, ticks as prices, lots as sizes, quote units as decimals) using the markets from lane_markets. Rows of
// shapes this file does not know are still shown, column by column, as the node sent them.

import { formatQuote, lotsToSize, ticksToPrice, type LaneMarket } from "../lane/client/market-units.ts";

export function formatTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (r: readonly string[]) => r.map((cell, c) => (cell ?? "").padEnd(widths[c]!)).join("  ").trimEnd();
  return [line(head), ...rows.map(line)].join("\n");
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return "-";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function toBig(v: unknown): bigint | null {
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === "string" && /^-?\d+$/.test(v)) return BigInt(v);
  return null;
}

const LOT_FIELDS = /^(lots|sizeLots|remainingLots|filledLots|positionLots)$/;

/** One row with known units converted: marketId -> market symbol, *Ticks -> price, lots -> size, *Quote -> decimal. */
export function humanizeRow(row: Record<string, unknown>, markets: readonly LaneMarket[]): Record<string, string> {
  const market = typeof row.marketId === "number" ? markets.find((m) => m.id === row.marketId) : undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(row)) {
    const n = toBig(v);
    if (k === "marketId" && market) out.market = market.symbol;
    else if (market && n !== null && /Ticks$/.test(k)) out[k.replace(/Ticks$/, "") || "price"] = ticksToPrice(market, n);
    else if (market && n !== null && LOT_FIELDS.test(k)) {
      const neg = n < 0n;
      out[k === "lots" || k === "sizeLots" ? "size" : k.replace(/Lots$/, "")] = `${neg ? "-" : ""}${lotsToSize(market, neg ? -n : n)}`;
    } else if (n !== null && /Quote$/.test(k)) out[k.replace(/Quote$/, "")] = formatQuote(n);
    else out[k] = cell(v);
  }
  return out;
}

/** Rows of objects as one table; columns in order of first appearance. */
export function objectTable(rows: readonly Record<string, unknown>[], markets: readonly LaneMarket[], empty: string): string {
  if (rows.length === 0) return empty;
  const human = rows.map((r) => humanizeRow(r, markets));
  const columns: string[] = [];
  for (const r of human) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  return formatTable(columns, human.map((r) => columns.map((c) => r[c] ?? "-")));
}

export function marketsTable(markets: readonly LaneMarket[]): string {
  return formatTable(
    ["ID", "SYMBOL", "TICK", "LOT", "MARK", "INDEX", "MAX PRICE", "MAX LOTS"],
    markets.map((m) => [
      String(m.id), m.symbol, ticksToPrice(m, 1), lotsToSize(m, 1), ticksToPrice(m, m.markTicks), ticksToPrice(m, m.indexTicks),
      ticksToPrice(m, m.maxPriceTicks), String(m.maxOrderLots),
    ]),
  );
}

interface BookLevel {
  priceTicks: number;
  lots: number;
  orders?: number;
}

function levels(v: unknown): BookLevel[] {
  return Array.isArray(v) ? (v as BookLevel[]).filter((l) => typeof l?.priceTicks === "number" && typeof l?.lots === "number") : [];
}

/** Asks from the highest down to the best, then the bids from the best down: the usual ladder. */
export function bookTable(book: Record<string, unknown>, market: LaneMarket): string {
  const asks = levels(book.asks).sort((a, b) => b.priceTicks - a.priceTicks);
  const bids = levels(book.bids).sort((a, b) => b.priceTicks - a.priceTicks);
  const row = (side: string, l: BookLevel) => [side, ticksToPrice(market, l.priceTicks), lotsToSize(market, l.lots), String(l.orders ?? "-")];
  const title = `${market.symbol} at height ${cell(book.height)}, mark ${ticksToPrice(market, market.markTicks)}`;
  if (asks.length === 0 && bids.length === 0) return `${title}\n(empty book)`;
  const table = formatTable(["SIDE", "PRICE", "SIZE", "ORDERS"], [...asks.map((l) => row("ask", l)), ...bids.map((l) => row("bid", l))]);
  return `${title}\n${table}`;
}

export interface FillView {
  market: string;
  side: string;
  price: string;
  size: string;
  role: string;
  fee: string;
  counterparty: string;
}

/** The account's fills among a lane order's engine events (outcome.events of lane_orderStatus). */
export function fillsFromEvents(events: readonly Record<string, unknown>[], account: string, markets: readonly LaneMarket[]): FillView[] {
  const me = account.toLowerCase();
  const out: FillView[] = [];
  for (const e of events) {
    if (e.type !== "fill" || typeof e.priceTicks !== "number" || typeof e.lots !== "number") continue;
    const taker = String(e.taker).toLowerCase();
    const maker = String(e.maker).toLowerCase();
    if (taker !== me && maker !== me) continue;
    const market = markets.find((m) => m.id === e.marketId);
    const isTaker = taker === me;
    const takerSide = String(e.takerSide);
    const side = isTaker ? takerSide : takerSide === "buy" ? "sell" : "buy";
    const fee = toBig(isTaker ? e.takerFeeQuote : e.makerFeeQuote);
    out.push({
      market: market?.symbol ?? String(e.marketId),
      side,
      price: market ? ticksToPrice(market, e.priceTicks) : `${e.priceTicks} ticks`,
      size: market ? lotsToSize(market, e.lots) : `${e.lots} lots`,
      role: isTaker ? "taker" : "maker",
      fee: fee === null ? "-" : formatQuote(fee),
      counterparty: isTaker ? maker : taker,
    });
  }
  return out;
}

export function fillsTable(fills: readonly FillView[]): string {
  return formatTable(["MARKET", "SIDE", "PRICE", "SIZE", "ROLE", "FEE", "COUNTERPARTY"], fills.map((f) => [f.market, f.side, f.price, f.size, f.role, f.fee, f.counterparty]));
}
