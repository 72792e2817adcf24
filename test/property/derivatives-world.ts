// A small trading world for the derivatives property tests: two markets, four accounts, three oracles, and
// fast-check arbitraries for action sequences that move prices far enough to liquidate. Test code only.

import fc from "fast-check";
import type { EngineAction } from "../../consensus/derivatives/actions.ts";
import { createEngineState, DEFAULT_ENGINE_LIMITS, type EngineState } from "../../consensus/derivatives/engine-state.ts";
import type { MarketSpec } from "../../consensus/derivatives/market.ts";
import { TEST_MARKET } from "../unit/consensus/derivatives/engine-fixtures.ts";

export const ACCOUNTS = ["a1", "a2", "a3", "a4"];
export const WORLD_ORACLES = ["o1", "o2", "o3"];
const SECOND: MarketSpec = { ...TEST_MARKET, id: 9, symbol: "TWO-PERP", tickSizeQuote: 3n, initialIndexTicks: 1_000, fundingIntervalBlocks: 3, takerFeeBps: 7, makerFeeBps: 0 };
export const MARKET_IDS = [TEST_MARKET.id, SECOND.id];

export function newWorld(): EngineState {
  return createEngineState({
    markets: [{ ...TEST_MARKET, fundingIntervalBlocks: 2 }, SECOND],
    oracles: WORLD_ORACLES,
    insuranceFundQuote: 2_000n,
    limits: { ...DEFAULT_ENGINE_LIMITS, maxOrdersPerAccount: 8, maxLiquidationsPerBlock: 16 },
  });
}

/** An action with a nonce slot filled in by `withNonces` (nonces rise per account, some deliberately stale). */
const account = fc.constantFrom(...ACCOUNTS);
const marketId = fc.constantFrom(...MARKET_IDS);
const side = fc.constantFrom("buy" as const, "sell" as const);
const tif = fc.constantFrom("gtc" as const, "ioc" as const, "fok" as const, "post-only" as const);

const place = fc.record({
  kind: fc.constant("place" as const), account, nonce: fc.constant(0), marketId, side,
  priceTicks: fc.oneof(fc.integer({ min: 900, max: 1_100 }), fc.integer({ min: 300, max: 1_400 })), sizeLots: fc.integer({ min: 1, max: 60 }), tif,
  reduceOnly: fc.constantFrom(false, false, false, true), goodTilBlock: fc.constantFrom(0, 0, 1, 3, 6),
  trigger: fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom("stop" as const, "take-profit" as const), triggerTicks: fc.integer({ min: 800, max: 1_200 }) }) },
  ),
});

export const arbAction: fc.Arbitrary<EngineAction> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("deposit" as const), account, amountQuote: fc.bigInt({ min: 1n, max: 40_000n }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("withdraw" as const), account, amountQuote: fc.bigInt({ min: 1n, max: 20_000n }) }) },
  { weight: 8, arbitrary: place },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("cancel" as const), account, nonce: fc.constant(0), orderNonce: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("cancel-all" as const), account, nonce: fc.constant(0), marketId: fc.option(marketId, { nil: undefined }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("replace" as const), account, nonce: fc.constant(0), orderNonce: fc.integer({ min: 1, max: 40 }),
      priceTicks: fc.integer({ min: 300, max: 1_400 }), sizeLots: fc.integer({ min: 1, max: 60 }), postOnly: fc.boolean(),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("index-price" as const), oracle: fc.constantFrom(...WORLD_ORACLES), marketId, priceTicks: fc.integer({ min: 300, max: 1_400 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("block" as const), height: fc.constant(0) }) },
);

/** Fills nonces (a counter per account, every 17th reused to exercise staleness), consecutive heights, relative expiries. */
export function withNonces(actions: readonly EngineAction[]): EngineAction[] {
  const counters = new Map<string, number>();
  let height = 0;
  return actions.map((a, i) => {
    if (a.kind === "block") return { ...a, height: ++height };
    if (!("nonce" in a)) return a;
    const n = (counters.get(a.account) ?? 0) + (i % 17 === 16 ? 0 : 1);
    counters.set(a.account, n);
    if (a.kind === "place" && a.goodTilBlock !== undefined && a.goodTilBlock > 0) return { ...a, nonce: n, goodTilBlock: height + a.goodTilBlock - 1 };
    return { ...a, nonce: n };
  });
}

/** Every account deposits first, so that most of the sequence trades. */
const OPENING: EngineAction[] = ACCOUNTS.map((a) => ({ kind: "deposit", account: a, amountQuote: 30_000n }));

export const arbSequence = fc.array(arbAction, { minLength: 30, maxLength: 150 }).map((xs) => withNonces([...OPENING, ...xs]));
