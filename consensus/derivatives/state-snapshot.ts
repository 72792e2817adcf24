// Engine snapshots: the bytes a validator saves at each finalized block and loads on restart. Format: a version
// byte, the engine limits, then the canonical state encoding of state-hash.ts unchanged, so a loaded state has the
// same hash by construction (the loader re-encodes what it rebuilt and refuses bytes that differ). Market specs,
// oracles and limits come from the genesis and are checked against the bytes. Not the disk framing (CRC, key):
// node/store does that. Indexes the encoding leaves out (accounts by index, expiries) are rebuilt from it.

import { ByteReader } from "../codec/byte-reader.ts";
import { ByteWriter } from "../codec/byte-writer.ts";
import { CodecError, decodeWith, type DecodeResult } from "../codec/codec-error.ts";
import { bytesEqual } from "../crypto/hash.ts";
import { assert } from "../errors.ts";
import { NONCE_WINDOW, type Account, type OrderRef } from "./account.ts";
import { createEngineState, type EngineGenesis, type EngineLimits, type EngineState, type MarketState, type Trigger } from "./engine-state.ts";
import { LOTS_LIMIT } from "./market.ts";
import type { TimeInForce } from "./matching.ts";
import { BUY, RestingOrder, SELL, type Side } from "./order-book.ts";
import { encodeEngineState, STATE_ENCODING_VERSION } from "./state-hash.ts";

export { cloneEngineState } from "./state-clone.ts";

export const ENGINE_SNAPSHOT_VERSION = 1;
/** Account ids, oracle names and time-in-force names: far above any real one (addresses are 42 bytes). */
export const SNAPSHOT_TEXT_BYTES_MAX = 1_024;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const utf8Out = new TextEncoder();
const TIFS: readonly TimeInForce[] = ["gtc", "ioc", "fok", "post-only"];
/** Encoded sizes (see state-hash.ts): each list's count is checked against them before anything is allocated. */
const SIGNED_BYTES = 33;
const TEXT_MIN_BYTES = 4;
const ORDER_BYTES = 8 + 4 + 8 + 8 + 1 + 8;
const LEVEL_MIN_BYTES = 4 + 4 + 8 + ORDER_BYTES;
const SUBMISSION_BYTES = TEXT_MIN_BYTES + 4 + 8;
const TRIGGER_MIN_BYTES = 8 + 4 + 8 + 1 + 4 + 1 + 4 + 8 + TEXT_MIN_BYTES + 1 + 8;
const ACCOUNT_MARKET_BYTES = 2 + 3 * SIGNED_BYTES + 8 + 8;
const ORDER_REF_BYTES = 8 + 2 + 8;
const ACCOUNT_MIN_BYTES = TEXT_MIN_BYTES + 4 + 2 * SIGNED_BYTES + 8 + 4 * 4;

/** The limits in a fixed order; maxAmountQuote last. */
const LIMIT_COUNTS = [
  "maxAccounts", "maxOrdersPerAccount", "maxTriggersPerAccount", "maxOrdersPerBook", "maxOrdersPerLevel", "maxTriggersPerMarket",
  "maxLiquidationsPerBlock", "maxOracles",
] as const satisfies readonly (keyof EngineLimits)[];

/** Version, limits, state encoding. Ids longer than the loader takes would make a snapshot no node can load: asserted. */
export function saveEngineSnapshot(state: EngineState): Uint8Array {
  for (const id of [...state.accounts.keys(), ...state.oracles]) {
    assert(id.length <= SNAPSHOT_TEXT_BYTES_MAX / 3 || utf8Out.encode(id).length <= SNAPSHOT_TEXT_BYTES_MAX, `id longer than ${SNAPSHOT_TEXT_BYTES_MAX} bytes`);
  }
  const body = encodeEngineState(state);
  const w = new ByteWriter(1 + 8 * LIMIT_COUNTS.length + 32).u8(ENGINE_SNAPSHOT_VERSION);
  for (const k of LIMIT_COUNTS) w.u64(state.limits[k]);
  const head = w.u256(state.limits.maxAmountQuote).finish();
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

/**
 * Rebuilds the state saved by saveEngineSnapshot on top of createEngineState(genesis). Bytes that are truncated,
 * non-canonical, inconsistent (an order without its account's ref, open lots that do not add up, ...) or made for
 * another genesis give a decode error; nothing in them can make this throw. A bad genesis still throws (the
 * caller's operating error, as in createEngineState).
 */
export function loadEngineSnapshot(bytes: Uint8Array, genesis: EngineGenesis): DecodeResult<EngineState> {
  const state = createEngineState(genesis);
  return decodeWith(() => {
    const r = new ByteReader(bytes);
    readHead(r, state.limits);
    const bodyAt = r.position;
    const decoded = readBody(r, state);
    r.end("engine snapshot");
    linkAccounts(state, decoded, bodyAt);
    if (!bytesEqual(encodeEngineState(state), bytes.subarray(bodyAt))) {
      throw new CodecError("CODEC_ERROR_NON_CANONICAL", bodyAt, "state does not re-encode to the same bytes (order, duplicates or counts)");
    }
    return state;
  });
}

/** What the body holds besides the state fields: the resting orders and refs, for linkAccounts. */
interface Decoded {
  readonly orders: { ms: MarketState; order: RestingOrder }[];
  /** Per account: the order refs as read (nonce ascending), checked against the book before they are kept. */
  readonly refs: Map<Account, Map<number, OrderRef>>;
  readonly triggers: { ms: MarketState; trigger: Trigger }[];
  readonly accountTriggerNonces: Map<Account, number[]>;
}

/** The snapshot version and limits: the limits must be the genesis's (they decide what the engine accepts). */
function readHead(r: ByteReader, limits: EngineLimits): void {
  if (r.u8("snapshot version") !== ENGINE_SNAPSHOT_VERSION) throw new CodecError("CODEC_ERROR_BAD_TAG", 0, "unknown engine snapshot version");
  for (const k of LIMIT_COUNTS) {
    const at = r.position;
    if (r.u64(k) !== limits[k]) fail(at, `${k} differs from the genesis limits`);
  }
  const at = r.position;
  if (r.u256("maxAmountQuote") !== limits.maxAmountQuote) fail(at, "maxAmountQuote differs from the genesis limits");
}

function fail(at: number, detail: string): never {
  throw new CodecError("CODEC_ERROR_BAD_VALUE", at, detail);
}

function text(r: ByteReader, what: string): string {
  const at = r.position;
  const raw = r.bytes(SNAPSHOT_TEXT_BYTES_MAX, what);
  try {
    return utf8.decode(raw);
  } catch {
    return fail(at, `${what} is not UTF-8`);
  }
}

function signed(r: ByteReader, what: string): bigint {
  const negative = r.bool(`${what} sign`);
  const magnitude = r.u256(what);
  return negative ? -magnitude : magnitude;
}

function signedNumber(r: ByteReader, what: string, limit: number): number {
  const at = r.position;
  const v = signed(r, what);
  if (v > BigInt(limit) || v < -BigInt(limit)) fail(at, `${what} out of range`);
  return Number(v);
}

function ticks(r: ByteReader, ms: MarketState, what: string): number {
  const at = r.position;
  const v = r.u32(what);
  if (v < 1 || v > ms.market.maxPriceTicks) fail(at, `${what} ${v} outside [1, ${ms.market.maxPriceTicks}]`);
  return v;
}

function readBody(r: ByteReader, state: EngineState): Decoded {
  const versionAt = r.position;
  if (r.u8("state encoding version") !== STATE_ENCODING_VERSION) throw new CodecError("CODEC_ERROR_BAD_TAG", versionAt, "unknown state encoding version");
  state.height = r.u64("height");
  state.nextOrderId = r.u64("next order id");
  state.nextTriggerSeq = r.u64("next trigger seq");
  state.insuranceFundQuote = signed(r, "insurance fund");
  state.feePoolQuote = signed(r, "fee pool");
  state.depositedQuote = r.u256("deposited");
  state.withdrawnQuote = r.u256("withdrawn");
  const oraclesAt = r.position;
  const oracles = r.list(state.limits.maxOracles, TEXT_MIN_BYTES, (x) => text(x, "oracle"), "oracles");
  const expected = [...state.oracles].sort();
  if (oracles.length !== expected.length || oracles.some((o, i) => o !== expected[i])) fail(oraclesAt, "oracles differ from the genesis");
  const decoded: Decoded = { orders: [], refs: new Map(), triggers: [], accountTriggerNonces: new Map() };
  const marketsAt = r.position;
  if (r.u32("market count") !== state.markets.size) fail(marketsAt, "market count differs from the genesis");
  const orderIds = new Set<number>();
  for (const ms of state.markets.values()) readMarket(r, state, ms, decoded, orderIds);
  readAccounts(r, state, decoded);
  return decoded;
}

function readMarket(r: ByteReader, state: EngineState, ms: MarketState, decoded: Decoded, orderIds: Set<number>): void {
  const at = r.position;
  const id = r.u16("market id");
  const symbol = text(r, "market symbol");
  if (id !== ms.market.id || symbol !== ms.market.symbol) fail(at, `market ${id} ${symbol} is not the genesis market ${ms.market.id} ${ms.market.symbol}`);
  ms.indexTicks = ticks(r, ms, "index");
  ms.markTicks = ticks(r, ms, "mark");
  ms.lastFundingRateBps = signedNumber(r, "funding rate", 10_000);
  ms.fundingIndex = signed(r, "funding index");
  ms.fundingPoolQuote = signed(r, "funding pool");
  r.list(state.limits.maxOracles, SUBMISSION_BYTES, (x) => {
    const oracleAt = x.position;
    const oracle = text(x, "oracle");
    if (!state.oracles.has(oracle) || ms.indexSubmissions.has(oracle)) fail(oracleAt, `unknown or repeated oracle ${oracle}`);
    ms.indexSubmissions.set(oracle, { priceTicks: ticks(x, ms, "index submission"), height: x.u64("submission height") });
  }, "index submissions");
  let lastSeq = 0;
  ms.triggers = r.list(state.limits.maxTriggersPerMarket, TRIGGER_MIN_BYTES, (x) => {
    const trigger = readTrigger(x, ms);
    if (trigger.seq <= lastSeq || trigger.seq >= state.nextTriggerSeq) fail(x.position, `trigger seq ${trigger.seq} out of order`);
    lastSeq = trigger.seq;
    decoded.triggers.push({ ms, trigger });
    return trigger;
  }, "triggers");
  readBookSide(r, state, ms, BUY, decoded, orderIds);
  readBookSide(r, state, ms, SELL, decoded, orderIds);
}

function readTrigger(r: ByteReader, ms: MarketState): Trigger {
  const seq = r.u64("trigger seq");
  const owner = r.u32("trigger owner");
  const nonce = r.u64("trigger nonce");
  const kind = r.tag([0, 1], "trigger kind") === 0 ? "stop" : "take-profit";
  const triggerTicks = ticks(r, ms, "trigger price");
  const side = r.tag([BUY, SELL], "trigger side");
  const priceTicks = ticks(r, ms, "trigger limit");
  const lots = r.u64("trigger lots");
  const tifAt = r.position;
  const tif = text(r, "trigger tif") as TimeInForce;
  if (!TIFS.includes(tif)) fail(tifAt, `unknown time in force ${tif}`);
  return { seq, owner, nonce, kind, triggerTicks, side, priceTicks, lots, tif, reduceOnly: r.bool("trigger reduce-only"), goodTilBlock: r.u64("trigger good-til") };
}

/** Levels in priority order, each a FIFO: inserting them in the order read rebuilds time priority exactly. */
function readBookSide(r: ByteReader, state: EngineState, ms: MarketState, side: Side, decoded: Decoded, orderIds: Set<number>): void {
  const book = ms.book;
  r.list(book.limits.maxOrders, LEVEL_MIN_BYTES, (x) => {
    const priceTicks = ticks(x, ms, "level price");
    const countAt = x.position;
    const count = x.u32("level order count");
    if (count < 1 || count > book.limits.maxOrdersPerLevel) fail(countAt, `level of ${count} orders`);
    if (count * ORDER_BYTES + 8 > x.remaining) throw new CodecError("CODEC_ERROR_TRUNCATED", countAt, `level of ${count} orders cannot fit`);
    x.u64("level lots"); // derived: the re-encoding check compares it with the orders' sum
    for (let i = 0; i < count; i++) {
      const at = x.position;
      const id = x.u64("order id");
      const owner = x.u32("order owner");
      const lots = x.u64("order lots");
      const nonce = x.u64("order nonce");
      const reduceOnly = x.bool("order reduce-only");
      const goodTilBlock = x.u64("order good-til");
      if (id < 1 || id >= state.nextOrderId || orderIds.has(id)) fail(at, `order id ${id} repeated or not yet issued`);
      if (lots < 1 || lots > ms.market.maxOrderLots) fail(at, `order lots ${lots}`);
      if (goodTilBlock !== 0 && goodTilBlock < state.height) fail(at, `order good til ${goodTilBlock} rests past its expiry`);
      if (book.size >= book.limits.maxOrders) fail(at, "book over its order limit");
      orderIds.add(id);
      const order = new RestingOrder(id, owner, side, priceTicks, lots, nonce, reduceOnly, goodTilBlock);
      book.insert(order);
      decoded.orders.push({ ms, order });
    }
  }, side === BUY ? "bid levels" : "ask levels");
}

function readAccounts(r: ByteReader, state: EngineState, decoded: Decoded): void {
  const at = r.position;
  const accounts = r.list(state.limits.maxAccounts, ACCOUNT_MIN_BYTES, (x) => readAccount(x, state, decoded), "accounts");
  for (const a of accounts) {
    if (a.index >= accounts.length || state.accountsByIndex[a.index] !== undefined || state.accounts.has(a.id)) fail(at, `account ${a.id} index ${a.index} repeated or not dense`);
    state.accountsByIndex[a.index] = a;
    state.accounts.set(a.id, a);
  }
}

function readAccount(r: ByteReader, state: EngineState, decoded: Decoded): Account {
  const id = text(r, "account id");
  const account: Account = {
    index: r.u32("account index"), id, collateralQuote: signed(r, "collateral"), realizedPnlQuote: signed(r, "realized PnL"), lastNonce: r.u64("last nonce"),
    recentNonces: new Set(), markets: new Map(), orders: new Map(), triggerNonces: new Set(),
  };
  for (const n of r.list(NONCE_WINDOW, 8, (x) => x.u64("recent nonce"), "recent nonces")) account.recentNonces.add(n);
  r.list(state.markets.size, ACCOUNT_MARKET_BYTES, (x) => {
    const marketAt = x.position;
    const marketId = x.u16("account market");
    if (!state.markets.has(marketId)) fail(marketAt, `account ${id} holds unknown market ${marketId}`);
    account.markets.set(marketId, {
      sizeLots: signedNumber(x, "position", LOTS_LIMIT), entryNotionalQuote: signed(x, "entry notional"), fundingIndexSnapshot: signed(x, "funding snapshot"),
      openBuyLots: x.u64("open buy lots"), openSellLots: x.u64("open sell lots"),
    });
  }, "account markets");
  const refs = new Map<number, OrderRef>();
  r.list(state.limits.maxOrdersPerAccount, ORDER_REF_BYTES, (x) => {
    const refAt = x.position;
    const nonce = x.u64("order nonce");
    if (refs.has(nonce)) fail(refAt, `account ${id} repeats order nonce ${nonce}`);
    refs.set(nonce, { marketId: x.u16("order market"), orderId: x.u64("order id") });
  }, "order refs");
  decoded.refs.set(account, refs);
  decoded.accountTriggerNonces.set(account, r.list(state.limits.maxTriggersPerAccount, 8, (x) => x.u64("trigger nonce"), "trigger nonces"));
  return account;
}

/**
 * Checks every cross-reference the engine follows without looking (book owner -> account ref -> order, trigger
 * owner -> nonce, open lots = resting lots) and fills the indexes in the order the engine builds them: an account's
 * orders in the order they came to rest (ascending order id), its trigger nonces in arming order (ascending seq),
 * expiry buckets from resting orders' good-til-block (order-flow.ts addExpiry). Iteration order matters: a
 * liquidation cancels in that order, so events would differ otherwise.
 */
function linkAccounts(state: EngineState, decoded: Decoded, at: number): void {
  const open = new Map<string, number>();
  for (const { ms, order } of decoded.orders) {
    const owner = state.accountsByIndex[order.owner];
    const ref = owner === undefined ? undefined : decoded.refs.get(owner)!.get(order.nonce);
    if (ref === undefined || ref.marketId !== ms.market.id || ref.orderId !== order.id) fail(at, `order ${order.id} has no matching ref in its owner's orders`);
    if (!owner!.markets.has(ms.market.id)) fail(at, `order ${order.id}: owner has no record in market ${ms.market.id}`);
    const key = `${order.owner}/${ms.market.id}/${order.side}`;
    open.set(key, (open.get(key) ?? 0) + order.remainingLots);
  }
  let refCount = 0;
  for (const [account, refs] of decoded.refs) {
    refCount += refs.size;
    for (const [id, m] of account.markets) {
      if (m.openBuyLots !== (open.get(`${account.index}/${id}/${BUY}`) ?? 0) || m.openSellLots !== (open.get(`${account.index}/${id}/${SELL}`) ?? 0)) {
        fail(at, `account ${account.id} open lots in market ${id} differ from its resting orders`);
      }
    }
  }
  if (refCount !== decoded.orders.length) fail(at, "order refs without a resting order");
  for (const { ms, order } of [...decoded.orders].sort((a, b) => a.order.id - b.order.id)) {
    state.accountsByIndex[order.owner]!.orders.set(order.nonce, { marketId: ms.market.id, orderId: order.id });
    if (order.goodTilBlock !== 0) addExpiry(ms, order.goodTilBlock, order.id);
  }
  linkTriggers(state, decoded, at);
}

function linkTriggers(state: EngineState, decoded: Decoded, at: number): void {
  let nonceCount = 0;
  for (const nonces of decoded.accountTriggerNonces.values()) nonceCount += nonces.length;
  if (nonceCount !== decoded.triggers.length) fail(at, "trigger nonces and triggers do not match");
  for (const { trigger } of [...decoded.triggers].sort((a, b) => a.trigger.seq - b.trigger.seq)) {
    const owner = state.accountsByIndex[trigger.owner];
    if (owner === undefined || !decoded.accountTriggerNonces.get(owner)!.includes(trigger.nonce) || owner.triggerNonces.has(trigger.nonce) || owner.orders.has(trigger.nonce)) {
      fail(at, `trigger ${trigger.seq} has no matching nonce in its owner's triggers`);
    }
    owner.triggerNonces.add(trigger.nonce);
  }
}

function addExpiry(ms: MarketState, goodTilBlock: number, orderId: number): void {
  let bucket = ms.expiries.get(goodTilBlock);
  if (bucket === undefined) ms.expiries.set(goodTilBlock, (bucket = new Set()));
  bucket.add(orderId);
}
