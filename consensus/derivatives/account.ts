// Cross-margin trading accounts. One collateral balance (quote units, bigint) backs every position of the account.
// A position keeps a signed size in lots and a signed entry notional (quote paid to open it: positive for longs);
// unrealized PnL at mark M is size*M*quotePerTickLot - entryNotional. Every trade moves size and notional between
// the two sides exactly, so the sum over all accounts of (collateral - entry notional) only changes by fees,
// funding and insurance flows: that is the conservation law the property tests check. Not margin (margin.ts).

import { assert } from "../errors.ts";
import { notionalQuote, type Market } from "./market.ts";

/** The account's state in one market: its position and what its open orders could add. */
export interface AccountMarket {
  sizeLots: number;
  entryNotionalQuote: bigint;
  /** The market's cumulative funding index when funding was last settled into collateral. */
  fundingIndexSnapshot: bigint;
  openBuyLots: number;
  openSellLots: number;
}

export interface OrderRef {
  readonly marketId: number;
  readonly orderId: number;
}

export interface Account {
  /** Dense index in order of creation: the owner number in books. */
  readonly index: number;
  /** The chain address that owns it, lowercase 0x-hex. */
  readonly id: string;
  collateralQuote: bigint;
  /** Cumulative realized PnL (reporting only; already inside collateral). */
  realizedPnlQuote: bigint;
  /** Highest nonce used by a place/cancel/replace. */
  lastNonce: number;
  /** Nonces used within NONCE_WINDOW below lastNonce (the batch rule may run a later nonce first). */
  readonly recentNonces: Set<number>;
  readonly markets: Map<number, AccountMarket>;
  /** Resting orders by the nonce that placed them. */
  readonly orders: Map<number, OrderRef>;
  /** Armed stop / take-profit orders by nonce (the triggers live in their market). */
  readonly triggerNonces: Set<number>;
}

export function createAccount(index: number, id: string): Account {
  return { index, id, collateralQuote: 0n, realizedPnlQuote: 0n, lastNonce: 0, recentNonces: new Set(), markets: new Map(), orders: new Map(), triggerNonces: new Set() };
}

/**
 * Lane nonces: each may be used once. The batch rule runs cancels before places, so an account's nonces may
 * arrive out of order within a window; a nonce at or below lastNonce - NONCE_WINDOW is stale.
 */
export const NONCE_WINDOW = 256;

export function isNonceFresh(account: Account, nonce: number): boolean {
  return Number.isSafeInteger(nonce) && nonce > 0 && nonce > account.lastNonce - NONCE_WINDOW && !account.recentNonces.has(nonce);
}

export function useNonce(account: Account, nonce: number): void {
  account.recentNonces.add(nonce);
  if (nonce > account.lastNonce) {
    account.lastNonce = nonce;
    for (const n of account.recentNonces) if (n <= nonce - NONCE_WINDOW) account.recentNonces.delete(n);
  }
}

export function accountMarket(account: Account, marketId: number, fundingIndex: bigint): AccountMarket {
  let m = account.markets.get(marketId);
  if (m === undefined) {
    m = { sizeLots: 0, entryNotionalQuote: 0n, fundingIndexSnapshot: fundingIndex, openBuyLots: 0, openSellLots: 0 };
    account.markets.set(marketId, m);
  }
  return m;
}

/** Forgets an empty per-market record so that idle markets cost nothing in state and hash. */
export function pruneAccountMarket(account: Account, marketId: number): void {
  const m = account.markets.get(marketId);
  if (m !== undefined && m.sizeLots === 0 && m.openBuyLots === 0 && m.openSellLots === 0) {
    assert(m.entryNotionalQuote === 0n, "flat position keeps no entry notional");
    account.markets.delete(marketId);
  }
}

export function unrealizedPnlQuote(market: Market, m: AccountMarket, markTicks: number): bigint {
  return BigInt(m.sizeLots) * BigInt(markTicks) * market.quotePerTickLot - m.entryNotionalQuote;
}

/**
 * Applies a trade of `signedLots` (+ buy, - sell) at `priceTicks` to a position and realizes PnL on the part that
 * closes. The closed share of entry notional is taken pro rata, truncated toward zero; the remainder stays in the
 * open position, so nothing is created or lost by rounding. Returns the realized PnL moved into collateral.
 */
export function applyTrade(market: Market, account: Account, m: AccountMarket, signedLots: number, priceTicks: number): bigint {
  assert(signedLots !== 0, "empty trade");
  const tradeNotional = notionalQuote(market, priceTicks, Math.abs(signedLots));
  const before = m.sizeLots;
  const after = before + signedLots;
  let realized = 0n;
  if (before === 0 || Math.sign(before) === Math.sign(signedLots)) {
    m.entryNotionalQuote += signedLots > 0 ? tradeNotional : -tradeNotional;
  } else if (Math.abs(signedLots) <= Math.abs(before)) {
    // Reducing (possibly to flat): keep the open share of entry notional.
    const kept = (m.entryNotionalQuote * BigInt(after)) / BigInt(before);
    const closedEntry = m.entryNotionalQuote - kept;
    const exitValue = signedLots < 0 ? tradeNotional : -tradeNotional;
    realized = exitValue - closedEntry;
    m.entryNotionalQuote = kept;
  } else {
    // Flipping: close all at this price, open the rest.
    const closeNotional = notionalQuote(market, priceTicks, Math.abs(before));
    realized = (before > 0 ? closeNotional : -closeNotional) - m.entryNotionalQuote;
    const openNotional = tradeNotional - closeNotional;
    m.entryNotionalQuote = after > 0 ? openNotional : -openNotional;
  }
  m.sizeLots = after;
  account.collateralQuote += realized;
  account.realizedPnlQuote += realized;
  return realized;
}
