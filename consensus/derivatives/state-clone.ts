// A deep copy of the engine state for speculative block execution: each child block runs on its own copy of the
// parent's state. Nothing mutable is shared with the original; immutable parts are (market specs, limits, triggers,
// index submissions and order refs, which the engine replaces rather than changes). Every Map and Set keeps its
// iteration order and books keep time priority, so the copy emits the same events as the original would.
// Direct rather than through snapshot bytes: see state-snapshot.ts, and test/support/derivatives-clone-timing.ts.

import type { Account, AccountMarket } from "./account.ts";
import type { EngineState, MarketState } from "./engine-state.ts";
import { BUY, OrderBook, RestingOrder, SELL } from "./order-book.ts";

export function cloneEngineState(state: EngineState): EngineState {
  const markets = new Map<number, MarketState>();
  for (const [id, ms] of state.markets) markets.set(id, cloneMarket(ms));
  const accounts = new Map<string, Account>();
  const accountsByIndex: Account[] = new Array(state.accountsByIndex.length);
  for (const [id, a] of state.accounts) {
    const copy = cloneAccount(a);
    accounts.set(id, copy);
    accountsByIndex[copy.index] = copy;
  }
  return {
    limits: state.limits, markets, accounts, accountsByIndex, oracles: new Set(state.oracles), height: state.height,
    insuranceFundQuote: state.insuranceFundQuote, feePoolQuote: state.feePoolQuote, depositedQuote: state.depositedQuote,
    withdrawnQuote: state.withdrawnQuote, nextOrderId: state.nextOrderId, nextTriggerSeq: state.nextTriggerSeq,
  };
}

function cloneMarket(ms: MarketState): MarketState {
  const expiries = new Map<number, Set<number>>();
  for (const [block, ids] of ms.expiries) expiries.set(block, new Set(ids));
  return {
    market: ms.market, book: cloneBook(ms.book), indexTicks: ms.indexTicks, markTicks: ms.markTicks,
    lastFundingRateBps: ms.lastFundingRateBps, fundingIndex: ms.fundingIndex, fundingPoolQuote: ms.fundingPoolQuote,
    indexSubmissions: new Map(ms.indexSubmissions), triggers: [...ms.triggers], expiries,
  };
}

/** Re-inserting each level's queue from head to tail in priority order rebuilds levels, best prices and links. */
function cloneBook(book: OrderBook): OrderBook {
  const copy = new OrderBook(book.maxPriceTicks, book.limits);
  for (const side of [BUY, SELL] as const) {
    for (let level = book.best(side); level !== undefined; level = book.nextLevel(side, level.priceTicks)) {
      for (let o = level.head; o !== null; o = o.next) {
        copy.insert(new RestingOrder(o.id, o.owner, o.side, o.priceTicks, o.remainingLots, o.nonce, o.reduceOnly, o.goodTilBlock));
      }
    }
  }
  return copy;
}

function cloneAccount(a: Account): Account {
  const markets = new Map<number, AccountMarket>();
  for (const [id, m] of a.markets) markets.set(id, { ...m });
  return {
    index: a.index, id: a.id, collateralQuote: a.collateralQuote, realizedPnlQuote: a.realizedPnlQuote, lastNonce: a.lastNonce,
    recentNonces: new Set(a.recentNonces), markets, orders: new Map(a.orders), triggerNonces: new Set(a.triggerNonces),
  };
}
