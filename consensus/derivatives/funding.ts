// Funding: a cumulative per-market index, advanced once per funding interval by rate * mark notional of one lot,
// and settled into an account's collateral lazily whenever its position is touched (trade, liquidation, ADL).
// Index unit: quote units * 1e-6 per lot (FUNDING_INDEX_SCALE). Positive rate: longs pay shorts.
// Settlement rounds against the account (payers pay the ceiling, receivers get the floor) and passes through the
// market's funding pool, which may dip below zero between settlements but is never short once all have settled.

import { divTrunc } from "./int-math.ts";
import { BPS_DENOMINATOR, type Market } from "./market.ts";
import type { AccountMarket, Account } from "./account.ts";

export const FUNDING_INDEX_SCALE = 1_000_000n;

export interface FundingState {
  fundingIndex: bigint;
  /** Quote received from payers minus quote paid to receivers. */
  fundingPoolQuote: bigint;
}

/** Signed quote the account owes for funding since its snapshot (negative: it is owed). */
export function pendingFundingQuote(m: AccountMarket, fundingIndex: bigint): bigint {
  const d = BigInt(m.sizeLots) * (fundingIndex - m.fundingIndexSnapshot);
  if (d > 0n) return (d + FUNDING_INDEX_SCALE - 1n) / FUNDING_INDEX_SCALE;
  return -(-d / FUNDING_INDEX_SCALE);
}

/** Moves pending funding between the account and the pool; returns what the account paid (signed). */
export function settleFunding(account: Account, m: AccountMarket, funding: FundingState): bigint {
  const owed = pendingFundingQuote(m, funding.fundingIndex);
  m.fundingIndexSnapshot = funding.fundingIndex;
  if (owed === 0n) return 0n;
  account.collateralQuote -= owed;
  funding.fundingPoolQuote += owed;
  return owed;
}

/** Premium of mark over index in bps, truncated toward zero and clamped to the market's cap. */
export function fundingRateBps(market: Market, markTicks: number, indexTicks: number): number {
  const premium = divTrunc((markTicks - indexTicks) * 10_000, indexTicks);
  const cap = market.maxFundingRateBps;
  return premium > cap ? cap : premium < -cap ? -cap : premium;
}

/** Whether this height closes a funding interval. */
export function isFundingHeight(market: Market, height: number): boolean {
  return height > 0 && height % market.fundingIntervalBlocks === 0;
}

/** Advances the index by one interval at `rateBps`; returns the per-lot increment (index units). */
export function accrueFunding(market: Market, funding: FundingState, markTicks: number, rateBps: number): bigint {
  const delta = (BigInt(rateBps) * BigInt(markTicks) * market.quotePerTickLot * FUNDING_INDEX_SCALE) / BPS_DENOMINATOR;
  funding.fundingIndex += delta;
  return delta;
}
