// The lane_ namespace: the order lane's committed state (markets, books, accounts, open orders, funding), order
// status and fills the node kept, an RPC path for signed orders beside the UDP lane, the lane system call encoded
// as an ordinary transaction request, and lane_subscribe / lane_unsubscribe over WebSocket (lane-subscriptions.ts).
// JSON: bigints (quote amounts, funding index, chain id, nonces) are decimal strings; safe integers (ticks, lots,
// heights, bps, market ids, counts) are JSON numbers; addresses lowercase 0x; order ids and keys 0x-hex. The one
// exception is lane_encodeCall's `value`, a hex quantity as eth_sendTransaction takes it. Shapes: lane-format.ts.

import { fromHex } from "../../consensus/crypto/hash.ts";
import { accountView, armedTriggers, bookDepth, fundingView, marketViews, openOrders } from "../../consensus/derivatives/engine-queries.ts";
import { encodeLaneCall, LANE_ADDRESS, LaneOp, WEI_PER_QUOTE, type LaneCall } from "../../consensus/lane/lane-call.ts";
import { accountIdOf, keysOfAccount, type LaneState } from "../../consensus/lane/lane-state.ts";
import { ORDER_ACTION_BYTES_MAX } from "../../consensus/lane/order-codec.ts";
import type { LaneBackend } from "../lane/lane-backend.ts";
import { formatAddress, formatData, formatQuantity, parseAddressParam } from "./hex.ts";
import {
  formatAccount, formatAccountFill, formatBook, formatFunding, formatMarket, formatOpenOrders, formatOrderRecord, prefixedHex,
} from "./lane-format.ts";
import type { LaneTopic } from "./lane-subscriptions.ts";
import type { MethodContext, MethodHandler, MethodTable } from "./method-context.ts";
import { RpcError, invalidParams } from "./rpc-error.ts";
import { addressParam, dataParam, expectArity } from "./rpc-params.ts";

export const LANE_BOOK_DEPTH_DEFAULT = 20;
export const LANE_BOOK_DEPTH_MAX = 500;
export const LANE_FILLS_LIMIT_DEFAULT = 100;
export const LANE_FILLS_LIMIT_MAX = 1000;

export const LANE_NOT_ENABLED = "the order lane is not enabled on this node";

type LaneHandler = (params: unknown[], lane: LaneBackend, ctx: MethodContext) => unknown;

/** Every lane_ method first needs the lane: -32601 like a namespace the node does not serve. */
function laneMethod(fn: LaneHandler): MethodHandler {
  return (params, ctx) => {
    if (ctx.lane === undefined) throw new RpcError("RPC_ERROR_METHOD_NOT_FOUND", LANE_NOT_ENABLED);
    return fn(params, ctx.lane, ctx);
  };
}

function label(index: number, name: string): string {
  return `invalid argument ${index} (${name})`;
}

function intParam(params: unknown[], index: number, name: string, lo: number, hi: number, fallback?: number): number {
  const v = params[index];
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  return intValue(v, label(index, name), lo, hi);
}

function intValue(v: unknown, what: string, lo: number, hi: number): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < lo || v > hi) throw invalidParams(`${what}: must be an integer in [${lo}, ${hi}]`);
  return v;
}

function marketMustExist(state: LaneState, marketId: number): void {
  if (state.engine.markets.has(marketId)) return;
  const known = [...state.engine.markets.keys()].join(", ");
  throw new RpcError("RPC_ERROR_RESOURCE_NOT_FOUND", `market ${marketId} does not exist (markets: ${known === "" ? "none" : known})`);
}

function marketParam(params: unknown[], index: number, state: LaneState): number {
  const id = intParam(params, index, "marketId", 0, 0xffff);
  marketMustExist(state, id);
  return id;
}

function accountParam(params: unknown[], index: number): string {
  return accountIdOf(addressParam(params, index, "address"));
}

const HEX32_RE = /^(?:0x)?[0-9a-fA-F]{64}$/;

/** 32 bytes of hex, with or without 0x; lowercase without 0x. */
function hex32(v: unknown, what: string): string {
  if (typeof v !== "string" || v.length > 66 || !HEX32_RE.test(v)) throw invalidParams(`${what}: must be 32 bytes of hex (64 digits, 0x optional)`);
  return (v.length === 66 ? v.slice(2) : v).toLowerCase();
}

/** A JSON object parameter with only the named fields; omitted or null gives {}. */
function objectParam(v: unknown, what: string, fields: readonly string[]): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v)) throw invalidParams(`${what}: must be an object`);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!fields.includes(k)) throw invalidParams(`${what}: unknown field ${JSON.stringify(k.slice(0, 32))}, expected ${fields.join(", ")}`);
  }
  return o;
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

const info: LaneHandler = (params, lane, ctx) => {
  expectArity(params, 0, 0);
  const i = lane.info();
  return { chainId: ctx.backend.chainId.toString(), headHeight: lane.headHeight(), host: i.host, port: i.port, ingest: i.ingest, reason: i.reason, deltaMs: i.deltaMs };
};

const markets: LaneHandler = (params, lane) => {
  expectArity(params, 0, 0);
  return marketViews(lane.state().engine).map(formatMarket);
};

const book: LaneHandler = (params, lane) => {
  expectArity(params, 1, 2);
  const state = lane.state();
  const marketId = marketParam(params, 0, state);
  const depth = intParam(params, 1, "depth", 1, LANE_BOOK_DEPTH_MAX, LANE_BOOK_DEPTH_DEFAULT);
  return formatBook(bookDepth(state.engine, marketId, depth)!);
};

const account: LaneHandler = (params, lane) => {
  expectArity(params, 1, 1);
  const id = accountParam(params, 0);
  const state = lane.state();
  return formatAccount(accountView(state.engine, id), keysOfAccount(state, id), state.engine.height);
};

const orders: LaneHandler = (params, lane) => {
  expectArity(params, 1, 1);
  const id = accountParam(params, 0);
  const { engine } = lane.state();
  return formatOpenOrders(id, engine.height, openOrders(engine, id), armedTriggers(engine, id));
};

const orderStatus: LaneHandler = (params, lane) => {
  expectArity(params, 1, 1);
  const record = lane.orderStatus(hex32(params[0], label(0, "orderId")));
  return record === undefined ? null : formatOrderRecord(record);
};

const fills: LaneHandler = (params, lane) => {
  expectArity(params, 1, 2);
  const id = accountParam(params, 0);
  const limit = intParam(params, 1, "limit", 1, LANE_FILLS_LIMIT_MAX, LANE_FILLS_LIMIT_DEFAULT);
  return lane.fills(id, limit).slice(0, limit).map(formatAccountFill);
};

const funding: LaneHandler = (params, lane) => {
  expectArity(params, 1, 1);
  const state = lane.state();
  return formatFunding(fundingView(state.engine, marketParam(params, 0, state))!);
};

const sendOrder: LaneHandler = (params, lane) => {
  expectArity(params, 1, 1);
  const bytes = dataParam(params, 0, "order", ORDER_ACTION_BYTES_MAX);
  if (bytes.length === 0) throw invalidParams(`${label(0, "order")}: empty order`);
  const result = lane.submitOrder(bytes);
  if (!result.ok) throw new RpcError("RPC_ERROR_SERVER", result.message, { code: result.code });
  return { orderId: prefixedHex(result.orderId) };
};

const CALL_OPS: ReadonlyMap<string, LaneOp> = new Map<string, LaneOp>([
  ["registerKey", LaneOp.RegisterKey],
  ["revokeKey", LaneOp.RevokeKey],
  ["deposit", LaneOp.Deposit],
  ["withdraw", LaneOp.Withdraw],
]);

const AMOUNT_RE = /^[1-9][0-9]{0,39}$/;

/** A positive quote amount: a decimal string, or a JSON number when it is a safe integer. */
function amountValue(v: unknown, what: string, max: bigint): bigint {
  let amount: bigint;
  if (typeof v === "number" && Number.isSafeInteger(v) && v > 0) amount = BigInt(v);
  else if (typeof v === "string" && AMOUNT_RE.test(v)) amount = BigInt(v);
  else throw invalidParams(`${what}: must be a positive whole number of quote units as a decimal string`);
  if (amount > max) throw invalidParams(`${what}: must be at most ${max} quote units`);
  return amount;
}

/** The lane call the object describes, and the wei it carries. */
function parseCall(v: unknown, maxAmountQuote: bigint): { call: LaneCall; valueWei: bigint } {
  const what = label(0, "call");
  const o = objectParam(v, what, ["op", "tradingKey", "amountQuote"]);
  const op = typeof o.op === "string" ? CALL_OPS.get(o.op) : undefined;
  if (op === undefined) throw invalidParams(`${what}: op must be one of ${[...CALL_OPS.keys()].join(", ")}`);
  if (op === LaneOp.RegisterKey || op === LaneOp.RevokeKey) {
    if (present(o.amountQuote)) throw invalidParams(`${what}: ${String(o.op)} takes no amountQuote`);
    if (!present(o.tradingKey)) throw invalidParams(`${what}: ${String(o.op)} needs tradingKey`);
    return { call: { op, tradingKey: fromHex(hex32(o.tradingKey, `${what}: tradingKey`)) }, valueWei: 0n };
  }
  if (present(o.tradingKey)) throw invalidParams(`${what}: ${String(o.op)} takes no tradingKey`);
  if (!present(o.amountQuote)) throw invalidParams(`${what}: ${String(o.op)} needs amountQuote`);
  const amount = amountValue(o.amountQuote, `${what}: amountQuote`, maxAmountQuote);
  if (op === LaneOp.Deposit) return { call: { op }, valueWei: amount * WEI_PER_QUOTE };
  return { call: { op, amountQuote: amount }, valueWei: 0n };
}

const encodeCall: LaneHandler = (params, lane) => {
  expectArity(params, 1, 1);
  const { call, valueWei } = parseCall(params[0], lane.state().engine.limits.maxAmountQuote);
  return { to: formatAddress(LANE_ADDRESS), data: formatData(encodeLaneCall(call)), value: formatQuantity(valueWei) };
};

function topicParam(params: unknown[], state: LaneState): LaneTopic {
  const kind = params[0];
  if (kind === "fills") {
    const o = objectParam(params[1], label(1, "options"), ["account"]);
    if (!present(o.account)) return { kind: "fills" };
    const address = parseAddressParam(o.account);
    if (!address.ok) throw invalidParams(`${label(1, "options")}: account ${address.reason}`);
    return { kind: "fills", account: accountIdOf(address.value) };
  }
  if (kind === "book") {
    const what = label(1, "options");
    if (!present(params[1])) throw invalidParams(`${what}: book needs { marketId, depth? }`);
    const o = objectParam(params[1], what, ["marketId", "depth"]);
    const marketId = intValue(o.marketId, `${what}: marketId`, 0, 0xffff);
    marketMustExist(state, marketId);
    const depth = present(o.depth) ? intValue(o.depth, `${what}: depth`, 1, LANE_BOOK_DEPTH_MAX) : LANE_BOOK_DEPTH_DEFAULT;
    return { kind: "book", marketId, depth };
  }
  const shown = typeof kind === "string" ? JSON.stringify(kind.slice(0, 32)) : "a non-string";
  throw invalidParams(`${label(0, "subscription type")}: unsupported subscription type ${shown}, expected "fills" or "book"`);
}

const subscribe: LaneHandler = (params, lane, ctx) => {
  if (!ctx.subscriptions) throw new RpcError("RPC_ERROR_METHOD_NOT_FOUND", "notifications not supported: lane_subscribe needs a WebSocket connection");
  expectArity(params, 1, 2);
  return ctx.subscriptions.subscribeLane(topicParam(params, lane.state()));
};

const unsubscribe: LaneHandler = (params, _lane, ctx) => {
  if (!ctx.subscriptions) throw new RpcError("RPC_ERROR_METHOD_NOT_FOUND", "notifications not supported: lane_unsubscribe needs a WebSocket connection");
  expectArity(params, 1, 1);
  if (typeof params[0] !== "string" || params[0].length > 66) throw invalidParams(`${label(0, "subscription id")}: must be a hex string`);
  return ctx.subscriptions.unsubscribe(params[0], "lane");
};

export const LANE_METHODS: MethodTable = new Map<string, MethodHandler>([
  ["lane_info", laneMethod(info)],
  ["lane_markets", laneMethod(markets)],
  ["lane_book", laneMethod(book)],
  ["lane_account", laneMethod(account)],
  ["lane_openOrders", laneMethod(orders)],
  ["lane_orderStatus", laneMethod(orderStatus)],
  ["lane_fills", laneMethod(fills)],
  ["lane_funding", laneMethod(funding)],
  ["lane_sendOrder", laneMethod(sendOrder)],
  ["lane_encodeCall", laneMethod(encodeCall)],
  ["lane_subscribe", laneMethod(subscribe)],
  ["lane_unsubscribe", laneMethod(unsubscribe)],
]);
