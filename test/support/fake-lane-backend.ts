// Test support: an in-memory LaneBackend over a real LaneState. Lane calls and signed orders are queued and run by
// commitBlock() exactly as block execution runs them (beginLaneBlock tick and index prices, then applyLaneCall,
// then executeLaneOrder in arrival order); it keeps order records and per-account fills like the lane service and
// tells onBlock listeners with a LaneBlockSummary. Not the lane service: no stamping, relaying or fair order.

import { nobleVerify, keyPairFromSeed } from "../../consensus/crypto/ed25519.ts";
import { sha256, toHex } from "../../consensus/crypto/hash.ts";
import { bookDepth } from "../../consensus/derivatives/engine-queries.ts";
import type { EngineEvent } from "../../consensus/derivatives/events.ts";
import type { MarketSpec } from "../../consensus/derivatives/market.ts";
import { LaneOp, WEI_PER_QUOTE, type LaneCall } from "../../consensus/lane/lane-call.ts";
import { applyLaneCall, beginLaneBlock, executeLaneOrder, type LaneOrderOutcome } from "../../consensus/lane/lane-execution.ts";
import type { IndexPriceSubmission } from "../../consensus/lane/lane-section.ts";
import { createLaneState, type LaneState } from "../../consensus/lane/lane-state.ts";
import { decodeOrderAction, encodeOrderAction, orderId, signOrderAction } from "../../consensus/lane/order-codec.ts";
import { validateOrderAction } from "../../consensus/lane/order-validation.ts";
import { ActionKind, OrderFlag, ORDER_VERSION, Side, TriggerKind, type OrderActionBody, type OrderLeg } from "../../consensus/lane/order.ts";
import type { LaneBackend, LaneBlockSummary, LaneFill, LaneInfo, LaneOrderRecord, SubmitOrderResult } from "../../node/lane/lane-backend.ts";

export const LANE_CHAIN_ID = 31337n;
export const LANE_ORACLE = "oracle-0";
export const RECEIVED_AT_US = 1_735_689_600_000_000;

const BASE_MARKET = {
  tickSizeQuote: 1n, lotSizeBaseE9: 1_000_000_000n, maxPriceTicks: 100_000, maxOrderLots: 10_000, maxPositionLots: 50_000,
  initialMarginBps: 1_000, maintenanceMarginBps: 500, takerFeeBps: 10, makerFeeBps: 5, liquidationFeeBps: 100,
  fundingIntervalBlocks: 10, maxFundingRateBps: 50, markBandBps: 1_000, indexMaxAgeBlocks: 5,
} as const;

/** Two markets where one tick x one lot is one quote unit, so notional = price * lots. */
export const LANE_TEST_MARKETS: readonly MarketSpec[] = [
  { ...BASE_MARKET, id: 1, symbol: "ALPHA-PERP", initialIndexTicks: 1_000 },
  { ...BASE_MARKET, id: 2, symbol: "BETA-PERP", initialIndexTicks: 2_000, takerFeeBps: 20 },
];

export interface Trader {
  address: Uint8Array;
  /** Lowercase 0x address: the engine's account id. */
  id: string;
  secretKey: Uint8Array;
  tradingKey: Uint8Array;
}

export function trader(byte: number): Trader {
  const address = new Uint8Array(20).fill(byte);
  const { secretKey, publicKey } = keyPairFromSeed(new Uint8Array(32).fill(byte));
  return { address, id: `0x${toHex(address)}`, secretKey, tradingKey: publicKey };
}

export function placeLeg(marketId: number, side: "buy" | "sell", priceTicks: number, sizeLots: number, clientOrderId: number, flags: number = OrderFlag.Gtc): OrderLeg {
  return {
    marketId, action: ActionKind.Place, side: side === "buy" ? Side.Buy : Side.Sell, flags, triggerKind: TriggerKind.None,
    priceTicks: BigInt(priceTicks), sizeLots: BigInt(sizeLots), triggerPriceTicks: 0n, clientOrderId, targetClientOrderId: 0,
  };
}

export function cancelLeg(marketId: number, target: number): OrderLeg {
  return {
    marketId, action: ActionKind.Cancel, side: Side.None, flags: 0, triggerKind: TriggerKind.None,
    priceTicks: 0n, sizeLots: 0n, triggerPriceTicks: 0n, clientOrderId: 0, targetClientOrderId: target,
  };
}

export function orderBody(t: Trader, nonce: number, legs: OrderLeg[], goodTilBlock = 0): OrderActionBody {
  return { version: ORDER_VERSION, chainId: LANE_CHAIN_ID, account: t.address, tradingKey: t.tradingKey, nonce: BigInt(nonce), goodTilBlock: BigInt(goodTilBlock), legs };
}

/** Signed wire bytes and the hex order id (no 0x). */
export function signedOrder(t: Trader, nonce: number, legs: OrderLeg[], goodTilBlock = 0): { bytes: Uint8Array; id: string } {
  const body = orderBody(t, nonce, legs, goodTilBlock);
  return { bytes: encodeOrderAction(signOrderAction(body, t.secretKey)), id: toHex(orderId(body)) };
}

const BOOK_COMPARE_DEPTH = 10_000;

export class FakeLaneBackend implements LaneBackend {
  readonly lane: LaneState;
  readonly summaries: LaneBlockSummary[] = [];
  private height = 0;
  private calls: { from: Uint8Array; call: LaneCall; valueWei: bigint }[] = [];
  private orders: { body: OrderActionBody; id: string }[] = [];
  private prices: IndexPriceSubmission[] = [];
  private readonly records = new Map<string, LaneOrderRecord>();
  private readonly fillsByAccount = new Map<string, LaneFill[]>();
  private readonly listeners = new Set<(s: LaneBlockSummary) => void>();
  private stateReadHook: (() => void) | undefined;

  constructor(markets: readonly MarketSpec[] = LANE_TEST_MARKETS) {
    this.lane = createLaneState({ markets, oracles: [LANE_ORACLE] });
  }

  state(): LaneState {
    const hook = this.stateReadHook;
    this.stateReadHook = undefined;
    hook?.();
    return this.lane;
  }

  headHeight(): number {
    return this.height;
  }

  info(): LaneInfo {
    return { host: "127.0.0.1", port: 9700, ingest: "udp", reason: "AF_XDP needs CAP_NET_RAW", deltaMs: 50 };
  }

  orderStatus(orderIdHex: string): LaneOrderRecord | undefined {
    return this.records.get(orderIdHex);
  }

  fills(account: string, limit: number): LaneFill[] {
    return (this.fillsByAccount.get(account) ?? []).slice(0, limit);
  }

  submitOrder(bytes: Uint8Array): SubmitOrderResult {
    const decoded = decodeOrderAction(bytes);
    if (!decoded.ok) return { ok: false, code: decoded.code, message: `malformed order: ${decoded.detail}` };
    const verdict = validateOrderAction(decoded.value, { chainId: LANE_CHAIN_ID, heightBlocks: BigInt(this.height + 1), verify: nobleVerify });
    if (verdict.action !== "accept") return { ok: false, code: verdict.code, message: `order refused: ${verdict.code}${verdict.detail ? ` (${verdict.detail})` : ""}` };
    const id = toHex(orderId(decoded.value));
    if (this.records.has(id)) return { ok: false, code: "LANE_SUBMIT_DUPLICATE", message: "already known" };
    this.orders.push({ body: decoded.value, id });
    this.records.set(id, { orderId: id, account: `0x${toHex(decoded.value.account)}`, status: "pending", receivedAtUs: RECEIVED_AT_US });
    return { ok: true, orderId: id };
  }

  onBlock(listener: (summary: LaneBlockSummary) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Queues a lane system call for the next block. */
  laneCall(from: Uint8Array, call: LaneCall, valueWei = 0n): void {
    this.calls.push({ from, call, valueWei });
  }

  /** Queues, for each trader, registering its trading key and a deposit of `amountQuote`. */
  fund(traders: readonly Trader[], amountQuote: bigint): void {
    for (const t of traders) {
      this.laneCall(t.address, { op: LaneOp.RegisterKey, tradingKey: t.tradingKey });
      this.laneCall(t.address, { op: LaneOp.Deposit }, amountQuote * WEI_PER_QUOTE);
    }
  }

  /** Runs once, at the next state() read (to finalize a block while a request is being handled). */
  onNextStateRead(hook: () => void): void {
    this.stateReadHook = hook;
  }

  /** Queues the oracle's index price for the next block. */
  indexPrice(marketId: number, priceTicks: number): void {
    this.prices.push({ marketId, priceTicks });
  }

  /** Executes the next block and tells the listeners. A refused lane call is a test bug: it throws. */
  commitBlock(): LaneBlockSummary {
    const height = ++this.height;
    const before = this.books();
    const events: EngineEvent[] = beginLaneBlock(this.lane, height, LANE_ORACLE, this.prices);
    for (const c of this.calls) {
      const r = applyLaneCall(this.lane, c.call, c.from, c.valueWei);
      if (!r.ok) throw new Error(`fake lane: call refused: ${r.code} ${r.message}`);
      events.push(...r.events);
    }
    const outcomes: LaneOrderOutcome[] = [];
    this.orders.forEach(({ body, id }, position) => {
      const outcome = executeLaneOrder(this.lane, body, id, height);
      outcomes.push(outcome);
      events.push(...outcome.events);
      const record = this.records.get(id)!;
      this.records.set(id, { ...record, status: outcome.rejected ? "rejected" : "executed", blockHeight: height, position, outcome });
    });
    this.calls = [];
    this.orders = [];
    this.prices = [];
    this.keepFills(height, events);
    const after = this.books();
    const booksChanged = [...after.keys()].filter((id) => after.get(id) !== before.get(id));
    const summary: LaneBlockSummary = {
      height, hash: toHex(sha256(Uint8Array.of(height))), timestampMs: 1_735_689_600_000 + height * 1000, cutoffUs: RECEIVED_AT_US + height,
      orders: outcomes, events, booksChanged,
    };
    this.summaries.push(summary);
    for (const l of [...this.listeners]) l(summary);
    return summary;
  }

  private books(): Map<number, string> {
    const out = new Map<number, string>();
    for (const id of this.lane.engine.markets.keys()) {
      const d = bookDepth(this.lane.engine, id, BOOK_COMPARE_DEPTH)!;
      out.set(id, JSON.stringify([d.bids, d.asks]));
    }
    return out;
  }

  private keepFills(height: number, events: EngineEvent[]): void {
    for (const e of events) {
      if (e.type !== "fill") continue;
      const makerSide = e.takerSide === "buy" ? "sell" : "buy";
      const common = { blockHeight: height, marketId: e.marketId, priceTicks: e.priceTicks, lots: e.lots };
      this.addFill(e.taker, { ...common, side: e.takerSide, clientOrderId: e.takerNonce, liquidity: "taker", feeQuote: e.takerFeeQuote, counterparty: e.maker });
      this.addFill(e.maker, { ...common, side: makerSide, clientOrderId: e.makerNonce, liquidity: "maker", feeQuote: e.makerFeeQuote, counterparty: e.taker });
    }
  }

  private addFill(account: string, fill: LaneFill): void {
    let list = this.fillsByAccount.get(account);
    if (list === undefined) this.fillsByAccount.set(account, (list = []));
    list.unshift(fill);
  }
}
