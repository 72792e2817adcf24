// The derivatives engine's state machine: apply(state, action) -> { state, events, rejection? }. Every validator
// runs the same actions in the same order (fair order from the lane, then block ticks) and gets the same state
// hash. The state is changed in place and returned; a rejected action changes nothing (all checks run first).
// Money: collateral enters only by deposit (debited from the chain's native balance by block execution) and
// leaves only by withdrawal (credited back), so collateral, fees, insurance and funding pools never mint value.

import { createAccount, isNonceFresh, useNonce, type Account } from "./account.ts";
import type { EngineAction, PlaceAction } from "./actions.ts";
import { ENGINE_REJECT, reject, type EngineRejection } from "./engine-errors.ts";
import type { EngineState, MarketState } from "./engine-state.ts";
import type { EngineEvent } from "./events.ts";
import { accrueFunding, fundingRateBps, isFundingHeight } from "./funding.ts";
import { liquidateAccounts } from "./liquidation.ts";
import { equityQuote, initialRequirementQuote } from "./margin.ts";
import { indexPrice, markPrice } from "./mark-price.ts";
import { cancelRestingOrder, checkOrder, executeOrder, isWholeIn, sideOf } from "./order-flow.ts";
import { armTrigger, cancelTrigger, findTrigger, fireTriggers } from "./triggers.ts";

export interface ApplyResult {
  readonly state: EngineState;
  readonly events: EngineEvent[];
  readonly rejection?: EngineRejection;
}

export function apply(state: EngineState, action: EngineAction): ApplyResult {
  const events: EngineEvent[] = [];
  const rejection = dispatch(state, action, events);
  return rejection === undefined ? { state, events } : { state, events: [], rejection };
}

function dispatch(state: EngineState, action: EngineAction, events: EngineEvent[]): EngineRejection | undefined {
  switch (action.kind) {
    case "deposit": return deposit(state, action.account, action.amountQuote, events);
    case "withdraw": return withdraw(state, action.account, action.amountQuote, events);
    case "place": return place(state, action, events);
    case "cancel": return cancel(state, action.account, action.nonce, action.orderNonce, events);
    case "cancel-all": return cancelAll(state, action.account, action.nonce, action.marketId, events);
    case "replace": return replace(state, action, events);
    case "index-price": return submitIndex(state, action.oracle, action.marketId, action.priceTicks);
    case "block": return blockTick(state, action.height, events);
  }
}

function amountOk(state: EngineState, amount: bigint): boolean {
  return typeof amount === "bigint" && amount > 0n && amount <= state.limits.maxAmountQuote;
}

function deposit(state: EngineState, id: string, amount: bigint, events: EngineEvent[]): EngineRejection | undefined {
  if (!amountOk(state, amount)) return reject(ENGINE_REJECT.BAD_AMOUNT);
  let account = state.accounts.get(id);
  if (account !== undefined && account.collateralQuote + amount > state.limits.maxAmountQuote) return reject(ENGINE_REJECT.BAD_AMOUNT, "collateral limit");
  if (account === undefined) {
    if (state.accountsByIndex.length >= state.limits.maxAccounts) return reject(ENGINE_REJECT.TOO_MANY_ACCOUNTS);
    account = createAccount(state.accountsByIndex.length, id);
    state.accounts.set(id, account);
    state.accountsByIndex.push(account);
  }
  account.collateralQuote += amount;
  state.depositedQuote += amount;
  events.push({ type: "deposited", account: id, amountQuote: amount });
  return undefined;
}

/** Withdraws cash only (not unrealized profit), and only while equity stays above the initial requirement. */
function withdraw(state: EngineState, id: string, amount: bigint, events: EngineEvent[]): EngineRejection | undefined {
  if (!amountOk(state, amount)) return reject(ENGINE_REJECT.BAD_AMOUNT);
  const account = state.accounts.get(id);
  if (account === undefined) return reject(ENGINE_REJECT.UNKNOWN_ACCOUNT);
  if (amount > account.collateralQuote) return reject(ENGINE_REJECT.INSUFFICIENT_COLLATERAL);
  if (equityQuote(state, account) - amount < initialRequirementQuote(state, account)) return reject(ENGINE_REJECT.INSUFFICIENT_MARGIN);
  account.collateralQuote -= amount;
  state.withdrawnQuote += amount;
  events.push({ type: "withdrawn", account: id, amountQuote: amount });
  return undefined;
}

/**
 * Account and nonce checks shared by every lane action. A cancel may carry nonce 0: it names its target and the
 * order lane already refused replays of the signed action (lane/nonce-window.ts), so it need not spend a handle.
 */
function lanePrelude(state: EngineState, id: string, nonce: number, nonceOptional = false): Account | EngineRejection {
  const account = state.accounts.get(id);
  if (account === undefined) return reject(ENGINE_REJECT.UNKNOWN_ACCOUNT);
  if (nonceOptional && nonce === 0) return account;
  if (!isNonceFresh(account, nonce)) return reject(ENGINE_REJECT.STALE_NONCE, `nonce ${nonce}, last ${account.lastNonce}`);
  return account;
}

function spendNonce(account: Account, nonce: number): void {
  if (nonce !== 0) useNonce(account, nonce);
}

function place(state: EngineState, action: PlaceAction, events: EngineEvent[]): EngineRejection | undefined {
  const account = lanePrelude(state, action.account, action.nonce);
  if ("code" in account) return account;
  const ms = state.markets.get(action.marketId);
  if (ms === undefined) return reject(ENGINE_REJECT.UNKNOWN_MARKET, `market ${action.marketId}`);
  const request = {
    side: sideOf(action.side), priceTicks: action.priceTicks, lots: action.sizeLots, tif: action.tif,
    reduceOnly: action.reduceOnly ?? false, goodTilBlock: action.goodTilBlock ?? 0,
  };
  if (action.trigger !== undefined) {
    // Tick, lot and expiry are checked now; margin and reduce-only when it fires.
    if (!isWholeIn(request.priceTicks, 1, ms.market.maxPriceTicks)) return reject(ENGINE_REJECT.BAD_TICK);
    if (!isWholeIn(request.lots, 1, ms.market.maxOrderLots)) return reject(ENGINE_REJECT.BAD_LOT);
    if (request.goodTilBlock !== 0 && request.goodTilBlock < state.height) return reject(ENGINE_REJECT.EXPIRED);
    const refused = armTrigger(state, account, ms, action, events);
    if (refused === undefined) useNonce(account, action.nonce);
    return refused;
  }
  const checked = checkOrder(state, account, ms, request);
  if ("code" in checked) return checked;
  useNonce(account, action.nonce);
  events.push({ type: "order-accepted", account: account.id, marketId: ms.market.id, nonce: action.nonce, side: action.side, priceTicks: checked.priceTicks, lots: checked.lots });
  executeOrder(state, account, ms, checked, action.nonce, events);
  return undefined;
}

function cancel(state: EngineState, id: string, nonce: number, orderNonce: number, events: EngineEvent[]): EngineRejection | undefined {
  const account = lanePrelude(state, id, nonce, true);
  if ("code" in account) return account;
  const ref = account.orders.get(orderNonce);
  if (ref !== undefined) {
    const ms = state.markets.get(ref.marketId)!;
    cancelRestingOrder(state, ms, ms.book.get(ref.orderId)!, "cancelled", events);
  } else {
    const found = findTrigger(state, account, orderNonce);
    if (found === undefined) return reject(ENGINE_REJECT.UNKNOWN_ORDER, `order nonce ${orderNonce}`);
    cancelTrigger(state, found.ms, found.trigger, events);
  }
  spendNonce(account, nonce);
  return undefined;
}

/** Cancels every resting order and trigger of the account (in one market if given), in nonce order. */
function cancelAll(state: EngineState, id: string, nonce: number, marketId: number | undefined, events: EngineEvent[]): EngineRejection | undefined {
  const account = lanePrelude(state, id, nonce, true);
  if ("code" in account) return account;
  if (marketId !== undefined && !state.markets.has(marketId)) return reject(ENGINE_REJECT.UNKNOWN_MARKET);
  const orders = [...account.orders].filter(([, r]) => marketId === undefined || r.marketId === marketId).sort((a, b) => a[0] - b[0]);
  for (const [, ref] of orders) {
    const ms = state.markets.get(ref.marketId)!;
    cancelRestingOrder(state, ms, ms.book.get(ref.orderId)!, "cancelled", events);
  }
  for (const n of [...account.triggerNonces].sort((a, b) => a - b)) {
    const found = findTrigger(state, account, n)!;
    if (marketId === undefined || found.ms.market.id === marketId) cancelTrigger(state, found.ms, found.trigger, events);
  }
  spendNonce(account, nonce);
  return undefined;
}

/** Cancel-and-place in one step: same side, reduce-only flag and expiry; the new order takes the new nonce. */
function replace(state: EngineState, action: Extract<EngineAction, { kind: "replace" }>, events: EngineEvent[]): EngineRejection | undefined {
  const account = lanePrelude(state, action.account, action.nonce);
  if ("code" in account) return account;
  const ref = account.orders.get(action.orderNonce);
  if (ref === undefined) return reject(ENGINE_REJECT.UNKNOWN_ORDER, `order nonce ${action.orderNonce}`);
  const ms = state.markets.get(ref.marketId)!;
  const old = ms.book.get(ref.orderId)!;
  const request = {
    side: old.side, priceTicks: action.priceTicks, lots: action.sizeLots, tif: action.postOnly === true ? "post-only" as const : "gtc" as const,
    reduceOnly: old.reduceOnly, goodTilBlock: old.goodTilBlock,
  };
  const checked = checkOrder(state, account, ms, request, old);
  if ("code" in checked) return checked;
  cancelRestingOrder(state, ms, old, "replaced", events);
  useNonce(account, action.nonce);
  events.push({ type: "order-accepted", account: account.id, marketId: ms.market.id, nonce: action.nonce, side: old.side === 0 ? "buy" : "sell", priceTicks: checked.priceTicks, lots: checked.lots });
  executeOrder(state, account, ms, checked, action.nonce, events);
  return undefined;
}

function submitIndex(state: EngineState, oracle: string, marketId: number, priceTicks: number): EngineRejection | undefined {
  if (!state.oracles.has(oracle)) return reject(ENGINE_REJECT.UNKNOWN_ORACLE);
  const ms = state.markets.get(marketId);
  if (ms === undefined) return reject(ENGINE_REJECT.UNKNOWN_MARKET);
  if (!isWholeIn(priceTicks, 1, ms.market.maxPriceTicks)) return reject(ENGINE_REJECT.BAD_TICK);
  ms.indexSubmissions.set(oracle, { priceTicks, height: state.height });
  return undefined;
}

/** Start of block `height`: expiry, index and mark, funding, triggers, liquidations, in that order. */
function blockTick(state: EngineState, height: number, events: EngineEvent[]): EngineRejection | undefined {
  if (height !== state.height + 1) return reject(ENGINE_REJECT.BAD_HEIGHT, `got ${height}, expected ${state.height + 1}`);
  state.height = height;
  for (const ms of state.markets.values()) expireOrders(state, ms, height, events);
  for (const ms of state.markets.values()) updateMark(ms, height, events);
  for (const ms of state.markets.values()) {
    if (!isFundingHeight(ms.market, height)) continue;
    const rate = fundingRateBps(ms.market, ms.markTicks, ms.indexTicks);
    accrueFunding(ms.market, ms, ms.markTicks, rate);
    ms.lastFundingRateBps = rate;
    events.push({ type: "funding", marketId: ms.market.id, rateBps: rate, fundingIndex: ms.fundingIndex });
  }
  for (const ms of state.markets.values()) fireTriggers(state, ms, events);
  liquidateAccounts(state, events);
  return undefined;
}

/** Orders good until block g rest through block g and leave at the tick of g + 1. */
function expireOrders(state: EngineState, ms: MarketState, height: number, events: EngineEvent[]): void {
  const bucket = ms.expiries.get(height - 1);
  if (bucket === undefined) return;
  ms.expiries.delete(height - 1);
  for (const orderId of [...bucket].sort((a, b) => a - b)) {
    const order = ms.book.get(orderId);
    if (order !== undefined) cancelRestingOrder(state, ms, order, "expired", events);
  }
}

function updateMark(ms: MarketState, height: number, events: EngineEvent[]): void {
  const index = indexPrice(ms.indexSubmissions, height, ms.market.indexMaxAgeBlocks, ms.indexTicks);
  const mark = markPrice(ms.market, index, ms.book.bestBidTicks, ms.book.bestAskTicks);
  for (const [oracle, s] of [...ms.indexSubmissions]) if (height - s.height > ms.market.indexMaxAgeBlocks) ms.indexSubmissions.delete(oracle);
  if (index === ms.indexTicks && mark === ms.markTicks) return;
  ms.indexTicks = index;
  ms.markTicks = mark;
  events.push({ type: "mark", marketId: ms.market.id, indexTicks: index, markTicks: mark });
}
