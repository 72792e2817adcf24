// The whole derivatives engine state: markets (book, funding, index and mark, triggers), accounts, the insurance
// fund, the fee pool and the totals that enter and leave through deposits and withdrawals. Mutable: engine.ts
// applies an action in place after all checks passed, so a rejected action changes nothing. Not the rules.

import { assert } from "../errors.ts";
import type { Account } from "./account.ts";
import type { FundingState } from "./funding.ts";
import { createMarket, type Market, type MarketSpec } from "./market.ts";
import type { IndexSubmission } from "./mark-price.ts";
import type { TimeInForce } from "./matching.ts";
import { OrderBook, type Side } from "./order-book.ts";

export interface EngineLimits {
  readonly maxAccounts: number;
  readonly maxOrdersPerAccount: number;
  readonly maxTriggersPerAccount: number;
  readonly maxOrdersPerBook: number;
  readonly maxOrdersPerLevel: number;
  readonly maxTriggersPerMarket: number;
  readonly maxLiquidationsPerBlock: number;
  readonly maxOracles: number;
  /** Ceiling on any single deposit, withdrawal and on an account's collateral (keeps sums far from overflow). */
  readonly maxAmountQuote: bigint;
}

export const DEFAULT_ENGINE_LIMITS: EngineLimits = {
  maxAccounts: 100_000,
  maxOrdersPerAccount: 256,
  maxTriggersPerAccount: 64,
  maxOrdersPerBook: 200_000,
  maxOrdersPerLevel: 4_096,
  maxTriggersPerMarket: 20_000,
  maxLiquidationsPerBlock: 64,
  maxOracles: 256,
  maxAmountQuote: 10n ** 18n,
};

export type TriggerKind = "stop" | "take-profit";

/** A conditional order armed until the mark crosses triggerTicks; then placed as an ordinary order. */
export interface Trigger {
  readonly seq: number;
  readonly owner: number;
  readonly nonce: number;
  readonly kind: TriggerKind;
  readonly triggerTicks: number;
  readonly side: Side;
  readonly priceTicks: number;
  readonly lots: number;
  readonly tif: TimeInForce;
  readonly reduceOnly: boolean;
  readonly goodTilBlock: number;
}

export interface MarketState extends FundingState {
  readonly market: Market;
  readonly book: OrderBook;
  indexTicks: number;
  markTicks: number;
  lastFundingRateBps: number;
  /** Latest submission per oracle. */
  readonly indexSubmissions: Map<string, IndexSubmission>;
  /** Armed triggers in arming order (seq ascending). */
  triggers: Trigger[];
  /** goodTilBlock -> ids of resting orders that stop resting after that block. */
  readonly expiries: Map<number, Set<number>>;
}

export interface EngineState {
  readonly limits: EngineLimits;
  /** By market id, inserted in ascending id order. */
  readonly markets: Map<number, MarketState>;
  readonly accounts: Map<string, Account>;
  /** accountsByIndex[a.index] === a: owners in books are these indices. */
  readonly accountsByIndex: Account[];
  readonly oracles: ReadonlySet<string>;
  /** The block whose tick ran last; actions apply within it. */
  height: number;
  insuranceFundQuote: bigint;
  feePoolQuote: bigint;
  /** Everything that entered (deposits and the genesis insurance fund) and left (withdrawals). */
  depositedQuote: bigint;
  withdrawnQuote: bigint;
  nextOrderId: number;
  nextTriggerSeq: number;
}

export interface EngineGenesis {
  readonly markets: readonly MarketSpec[];
  readonly oracles: readonly string[];
  readonly insuranceFundQuote?: bigint;
  readonly limits?: EngineLimits;
  readonly height?: number;
}

export function createEngineState(genesis: EngineGenesis): EngineState {
  const limits = genesis.limits ?? DEFAULT_ENGINE_LIMITS;
  assert(genesis.oracles.length <= limits.maxOracles, "too many oracles at genesis");
  const markets = new Map<number, MarketState>();
  for (const spec of [...genesis.markets].sort((a, b) => a.id - b.id)) {
    assert(!markets.has(spec.id), `duplicate market id ${spec.id}`);
    const market = createMarket(spec);
    markets.set(spec.id, {
      market,
      book: new OrderBook(market.maxPriceTicks, { maxOrders: limits.maxOrdersPerBook, maxOrdersPerLevel: limits.maxOrdersPerLevel }),
      indexTicks: market.initialIndexTicks,
      markTicks: market.initialIndexTicks,
      lastFundingRateBps: 0,
      fundingIndex: 0n,
      fundingPoolQuote: 0n,
      indexSubmissions: new Map(),
      triggers: [],
      expiries: new Map(),
    });
  }
  const insurance = genesis.insuranceFundQuote ?? 0n;
  assert(insurance >= 0n, "insurance fund cannot start negative");
  return {
    limits, markets, accounts: new Map(), accountsByIndex: [], oracles: new Set(genesis.oracles),
    height: genesis.height ?? 0, insuranceFundQuote: insurance, feePoolQuote: 0n, depositedQuote: insurance,
    withdrawnQuote: 0n, nextOrderId: 1, nextTriggerSeq: 1,
  };
}
