// Test helpers for engine snapshots and clones: the genesis a state was made from, a fingerprint of the indexes
// the state hash leaves out (iteration orders, expiries, accounts by index, best prices), and a scribbler that
// changes every mutable part of a state, to show a copy shares none of them. Test code only.

import { createAccount } from "../../consensus/derivatives/account.ts";
import type { EngineGenesis, EngineState } from "../../consensus/derivatives/engine-state.ts";
import { BUY, RestingOrder, SELL } from "../../consensus/derivatives/order-book.ts";

export function genesisOf(state: EngineState): EngineGenesis {
  return { markets: [...state.markets.values()].map((ms) => ms.market), oracles: [...state.oracles], limits: state.limits };
}

/**
 * What the engine relies on beyond the hash: Map/Set iteration orders (liquidation cancels in them), books' best
 * prices and FIFO order, non-empty expiry buckets (empty ones behave as absent), accountsByIndex.
 */
export function indexFingerprint(state: EngineState): string {
  const markets = [...state.markets].map(([id, ms]) => ({
    id, bestBid: ms.book.bestBidTicks, bestAsk: ms.book.bestAskTicks, size: ms.book.size,
    levels: ([BUY, SELL] as const).map((side) => ms.book.levels(side).map((l) => {
      const ids: number[] = [];
      for (let o = l.head; o !== null; o = o.next) ids.push(o.id);
      return [l.priceTicks, l.count, l.totalLots, ids];
    })),
    expiries: [...ms.expiries].filter(([, b]) => b.size > 0).sort((a, b) => a[0] - b[0]).map(([g, b]) => [g, [...b].sort((x, y) => x - y)]),
    triggers: ms.triggers.map((t) => t.seq),
    submissions: [...ms.indexSubmissions.keys()].sort(),
  }));
  const accounts = state.accountsByIndex.map((a) => ({
    id: a.id, index: a.index, byId: state.accounts.get(a.id) === a, orders: [...a.orders].map(([n, r]) => [n, r.marketId, r.orderId]),
    triggers: [...a.triggerNonces], markets: [...a.markets.keys()].sort((x, y) => x - y),
  }));
  return JSON.stringify({ markets, accounts, limits: { ...state.limits, maxAmountQuote: String(state.limits.maxAmountQuote) } });
}

/** Changes every mutable field, collection and book of the state (the result is not a consistent state). */
export function scribble(state: EngineState): void {
  state.height += 7;
  state.insuranceFundQuote += 1n;
  state.feePoolQuote += 1n;
  state.depositedQuote += 1n;
  state.withdrawnQuote += 1n;
  state.nextOrderId += 1_000;
  state.nextTriggerSeq += 1_000;
  (state.oracles as Set<string>).add("scribbled-oracle");
  for (const a of state.accountsByIndex) {
    a.collateralQuote += 1n;
    a.realizedPnlQuote += 1n;
    a.lastNonce += 1;
    a.recentNonces.add(9_999_999);
    a.orders.set(9_999_999, { marketId: 0, orderId: 0 });
    a.triggerNonces.add(9_999_998);
    for (const m of a.markets.values()) {
      m.sizeLots += 1;
      m.entryNotionalQuote += 1n;
      m.fundingIndexSnapshot += 1n;
      m.openBuyLots += 1;
      m.openSellLots += 1;
    }
  }
  const extra = createAccount(state.accountsByIndex.length, "scribbled-account");
  state.accounts.set(extra.id, extra);
  state.accountsByIndex.push(extra);
  for (const ms of state.markets.values()) {
    ms.indexTicks += 1;
    ms.markTicks += 1;
    ms.lastFundingRateBps += 1;
    ms.fundingIndex += 1n;
    ms.fundingPoolQuote += 1n;
    ms.indexSubmissions.set("scribbled-oracle", { priceTicks: 1, height: 1 });
    ms.triggers.push({ ...(ms.triggers[0] ?? { seq: 0, owner: 0, nonce: 0, kind: "stop", triggerTicks: 1, side: BUY, priceTicks: 1, lots: 1, tif: "gtc", reduceOnly: false, goodTilBlock: 0 }) });
    for (const bucket of ms.expiries.values()) bucket.add(9_999_999);
    ms.expiries.set(9_999_999, new Set([1]));
    for (const side of [BUY, SELL] as const) {
      const level = ms.book.best(side);
      if (level?.head) {
        ms.book.reduce(level.head, -1, level);
        if (level.head.next) ms.book.remove(level.head.next);
      }
    }
    ms.book.insert(new RestingOrder(9_999_999, 0, BUY, 1, 1, 9_999_999, false, 0));
  }
}

/** The parts a copy may share: never changed in place by the engine (it replaces them). */
function immutableParts(state: EngineState): Set<object> {
  const out = new Set<object>([state.limits]);
  for (const ms of state.markets.values()) {
    out.add(ms.market).add(ms.book.limits);
    for (const t of ms.triggers) out.add(t);
    for (const s of ms.indexSubmissions.values()) out.add(s);
  }
  for (const a of state.accountsByIndex) for (const r of a.orders.values()) out.add(r);
  return out;
}

function reachable(root: object): Map<object, string> {
  const seen = new Map<object, string>();
  const stack: [unknown, string][] = [[root, "state"]];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v !== "object" || v === null || seen.has(v)) continue;
    seen.set(v, path);
    if (v instanceof Map) for (const [k, x] of v) stack.push([k, `${path}<key>`], [x, `${path}[${String(k)}]`]);
    else if (v instanceof Set) for (const x of v) stack.push([x, `${path}{}`]);
    else if (ArrayBuffer.isView(v)) continue;
    else for (const [k, x] of Object.entries(v)) stack.push([x, `${path}.${k}`]);
  }
  return seen;
}

/** Paths of mutable objects (collections, records, typed arrays) reachable from both states. */
export function sharedMutables(original: EngineState, copy: EngineState): string[] {
  const allowed = immutableParts(original);
  const inCopy = reachable(copy);
  const out: string[] = [];
  for (const [o, path] of reachable(original)) if (inCopy.has(o) && !allowed.has(o)) out.push(path);
  return out;
}
