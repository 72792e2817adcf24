// Canonical encoding of the whole engine state and its sha256, so validators (and tests) can compare engines.
// Every map is written in sorted key order and every book in priority order, so the encoding does not depend on
// insertion history. Signed integers are a sign byte plus a 256-bit magnitude. Engine snapshots
// (state-snapshot.ts) carry this encoding as their body and hold its decoder; a change here is a snapshot change.

import { ByteWriter } from "../codec/byte-writer.ts";
import { sha256, toHex } from "../crypto/hash.ts";
import type { Account } from "./account.ts";
import type { EngineState, MarketState } from "./engine-state.ts";
import { BUY, SELL, type Side } from "./order-book.ts";

export const STATE_ENCODING_VERSION = 1;
const utf8 = new TextEncoder();

function signed(w: ByteWriter, v: bigint): void {
  w.bool(v < 0n).u256(v < 0n ? -v : v);
}

function signedNumber(w: ByteWriter, v: number): void {
  signed(w, BigInt(v));
}

function text(w: ByteWriter, s: string): void {
  w.bytes(utf8.encode(s));
}

function writeBookSide(w: ByteWriter, ms: MarketState, side: Side): void {
  const levels = ms.book.levels(side);
  w.u32(levels.length);
  for (const level of levels) {
    w.u32(level.priceTicks).u32(level.count).u64(level.totalLots);
    for (let o = level.head; o !== null; o = o.next) {
      w.u64(o.id).u32(o.owner).u64(o.remainingLots).u64(o.nonce).bool(o.reduceOnly).u64(o.goodTilBlock);
    }
  }
}

function writeMarket(w: ByteWriter, ms: MarketState): void {
  w.u16(ms.market.id);
  text(w, ms.market.symbol);
  w.u32(ms.indexTicks).u32(ms.markTicks);
  signedNumber(w, ms.lastFundingRateBps);
  signed(w, ms.fundingIndex);
  signed(w, ms.fundingPoolQuote);
  const subs = [...ms.indexSubmissions].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  w.list(subs, (x, [oracle, s]) => {
    text(x, oracle);
    x.u32(s.priceTicks).u64(s.height);
  });
  w.list(ms.triggers, (x, t) => {
    x.u64(t.seq).u32(t.owner).u64(t.nonce).u8(t.kind === "stop" ? 0 : 1).u32(t.triggerTicks).u8(t.side).u32(t.priceTicks).u64(t.lots);
    text(x, t.tif);
    x.bool(t.reduceOnly).u64(t.goodTilBlock);
  });
  writeBookSide(w, ms, BUY);
  writeBookSide(w, ms, SELL);
}

function writeAccount(w: ByteWriter, a: Account): void {
  text(w, a.id);
  w.u32(a.index);
  signed(w, a.collateralQuote);
  signed(w, a.realizedPnlQuote);
  w.u64(a.lastNonce);
  w.list([...a.recentNonces].sort((x, y) => x - y), (x, n) => {
    x.u64(n);
  });
  w.list([...a.markets].sort((x, y) => x[0] - y[0]), (x, [id, m]) => {
    x.u16(id);
    signedNumber(x, m.sizeLots);
    signed(x, m.entryNotionalQuote);
    signed(x, m.fundingIndexSnapshot);
    x.u64(m.openBuyLots).u64(m.openSellLots);
  });
  w.list([...a.orders].sort((x, y) => x[0] - y[0]), (x, [nonce, ref]) => {
    x.u64(nonce).u16(ref.marketId).u64(ref.orderId);
  });
  w.list([...a.triggerNonces].sort((x, y) => x - y), (x, n) => {
    x.u64(n);
  });
}

export function encodeEngineState(state: EngineState): Uint8Array {
  const w = new ByteWriter(4096);
  w.u8(STATE_ENCODING_VERSION).u64(state.height).u64(state.nextOrderId).u64(state.nextTriggerSeq);
  signed(w, state.insuranceFundQuote);
  signed(w, state.feePoolQuote);
  w.u256(state.depositedQuote).u256(state.withdrawnQuote);
  w.list([...state.oracles].sort(), (x, o) => text(x, o));
  w.list([...state.markets.values()].sort((a, b) => a.market.id - b.market.id), writeMarket);
  const ids = [...state.accounts.keys()].sort();
  w.list(ids, (x, id) => writeAccount(x, state.accounts.get(id)!));
  return w.finish();
}

export function engineStateHash(state: EngineState): Uint8Array {
  return sha256(encodeEngineState(state));
}

export function engineStateHashHex(state: EngineState): string {
  return toHex(engineStateHash(state));
}
