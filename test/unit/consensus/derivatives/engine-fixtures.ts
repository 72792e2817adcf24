// Shared fixtures for the derivatives engine tests: a test market where one tick x one lot is one quote unit
// (notional = price * lots), and helpers to run actions and read positions. Test code only.

import { expect } from "vitest";
import type { EngineAction, PlaceAction } from "../../../../consensus/derivatives/actions.ts";
import { apply, type ApplyResult } from "../../../../consensus/derivatives/engine.ts";
import { createEngineState, DEFAULT_ENGINE_LIMITS, type EngineLimits, type EngineState } from "../../../../consensus/derivatives/engine-state.ts";
import type { EngineEvent } from "../../../../consensus/derivatives/events.ts";
import type { MarketSpec } from "../../../../consensus/derivatives/market.ts";

export const TEST_MARKET: MarketSpec = {
  id: 7, symbol: "TEST-PERP", tickSizeQuote: 1n, lotSizeBaseE9: 1_000_000_000n, maxPriceTicks: 100_000, maxOrderLots: 10_000,
  maxPositionLots: 50_000, initialMarginBps: 1_000, maintenanceMarginBps: 500, takerFeeBps: 10, makerFeeBps: 5,
  liquidationFeeBps: 100, fundingIntervalBlocks: 10, maxFundingRateBps: 50, markBandBps: 1_000, initialIndexTicks: 1_000,
  indexMaxAgeBlocks: 5,
};

export const ORACLES = ["val-a", "val-b", "val-c"];

export function newEngine(opts: { insurance?: bigint; limits?: Partial<EngineLimits>; market?: Partial<MarketSpec> } = {}): EngineState {
  return createEngineState({
    markets: [{ ...TEST_MARKET, ...opts.market }],
    oracles: ORACLES,
    insuranceFundQuote: opts.insurance ?? 0n,
    limits: { ...DEFAULT_ENGINE_LIMITS, ...opts.limits },
  });
}

export function ok(state: EngineState, action: EngineAction): EngineEvent[] {
  const r = apply(state, action);
  expect(r.rejection, JSON.stringify(r.rejection)).toBeUndefined();
  return r.events;
}

export function run(state: EngineState, action: EngineAction): ApplyResult {
  return apply(state, action);
}

let nonceCounter = 1;
export function nextNonce(): number {
  return nonceCounter++;
}

export function order(account: string, side: "buy" | "sell", priceTicks: number, sizeLots: number, extra: Partial<PlaceAction> = {}): PlaceAction {
  return { kind: "place", account, nonce: nextNonce(), marketId: TEST_MARKET.id, side, priceTicks, sizeLots, tif: "gtc", ...extra };
}

export function position(state: EngineState, account: string): number {
  return state.accounts.get(account)?.markets.get(TEST_MARKET.id)?.sizeLots ?? 0;
}

export function collateral(state: EngineState, account: string): bigint {
  return state.accounts.get(account)!.collateralQuote;
}

export function fills(events: EngineEvent[]): Extract<EngineEvent, { type: "fill" }>[] {
  return events.filter((e): e is Extract<EngineEvent, { type: "fill" }> => e.type === "fill");
}

/** Moves the index (all oracles) and ticks one block so the mark follows. */
export function setIndex(state: EngineState, priceTicks: number): EngineEvent[] {
  for (const oracle of ORACLES) ok(state, { kind: "index-price", oracle, marketId: TEST_MARKET.id, priceTicks });
  return ok(state, { kind: "block", height: state.height + 1 });
}

export function market(state: EngineState) {
  return state.markets.get(TEST_MARKET.id)!;
}
