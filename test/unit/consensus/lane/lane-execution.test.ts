// Lane execution (consensus/lane/lane-execution.ts): wallet lane calls with their exact wei moves and refusals,
// the block start (tick and oracle prices), signed actions against the key registry and nonce windows, and
// every leg kind mapped onto the engine action it means. Refusals are data and change nothing.
import { describe, expect, it } from "vitest";
import { toHex } from "../../../../consensus/crypto/hash.ts";
import type { EngineGenesis } from "../../../../consensus/derivatives/engine-state.ts";
import type { EngineEvent } from "../../../../consensus/derivatives/events.ts";
import { LaneOp, WEI_PER_QUOTE } from "../../../../consensus/lane/lane-call.ts";
import { applyLaneCall, beginLaneBlock, executeLaneOrder, legAction, type LaneCallResult } from "../../../../consensus/lane/lane-execution.ts";
import { createLaneState, keysOfAccount, laneStateHash, TRADING_KEYS_PER_ACCOUNT_MAX, type LaneState } from "../../../../consensus/lane/lane-state.ts";
import { ActionKind, MARKET_ALL, OrderFlag, Side, TriggerKind, type OrderActionBody, type OrderLeg } from "../../../../consensus/lane/order.ts";
import { TEST_MARKET } from "../derivatives/engine-fixtures.ts";
import { actionBody, cancelLeg, placeLeg, seededKey } from "./lane-fixtures.ts";

const ORACLE = "0a".repeat(32);
const SECOND_MARKET = { ...TEST_MARKET, id: 8, symbol: "TEST2-PERP" };
const GENESIS: EngineGenesis = { markets: [TEST_MARKET, SECOND_MARKET], oracles: [ORACLE], insuranceFundQuote: 0n };

const ALICE = new Uint8Array(20).fill(0xa1);
const BOB = new Uint8Array(20).fill(0xb2);
const ALICE_ID = `0x${"a1".repeat(20)}`;
const BOB_ID = `0x${"b2".repeat(20)}`;
const aliceKey = seededKey(0x41);
const bobKey = seededKey(0x42);

function newLane(): LaneState {
  return createLaneState(GENESIS);
}

function expectOk(r: LaneCallResult): Extract<LaneCallResult, { ok: true }> {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r;
}

function codeOf(r: LaneCallResult): string {
  return r.ok ? "ok" : r.code;
}

/** Registers `key` for `from` and deposits `quote` units; ticks the engine to height 1. */
function trader(lane: LaneState, from: Uint8Array, key: Uint8Array, quote: bigint): void {
  expectOk(applyLaneCall(lane, { op: LaneOp.RegisterKey, tradingKey: key }, from, 0n));
  expectOk(applyLaneCall(lane, { op: LaneOp.Deposit }, from, quote * WEI_PER_QUOTE));
}

/** A lane at height 1 with Alice and Bob registered and funded with 1,000,000 quote units each. */
function twoTraders(): LaneState {
  const lane = newLane();
  trader(lane, ALICE, aliceKey.publicKey, 1_000_000n);
  trader(lane, BOB, bobKey.publicKey, 1_000_000n);
  beginLaneBlock(lane, 1, ORACLE, []);
  return lane;
}

function aliceBody(legs: OrderLeg[], over: Partial<OrderActionBody> = {}): OrderActionBody {
  return actionBody(aliceKey.publicKey, legs, { account: ALICE, ...over });
}

function bobBody(legs: OrderLeg[], over: Partial<OrderActionBody> = {}): OrderActionBody {
  return actionBody(bobKey.publicKey, legs, { account: BOB, ...over });
}

const postOnly = OrderFlag.Gtc | OrderFlag.PostOnly;

function leg(over: Partial<OrderLeg>): OrderLeg {
  return placeLeg({ priceTicks: 1_000n, sizeLots: 10n, ...over });
}

function cancelAllLeg(marketId: number): OrderLeg {
  return { ...cancelLeg(1, marketId), action: ActionKind.CancelAll, targetClientOrderId: 0 };
}

function restingNonces(lane: LaneState, id: string): number[] {
  return [...lane.engine.accounts.get(id)!.orders.keys()].sort((a, b) => a - b);
}

function eventTypes(events: EngineEvent[]): string[] {
  return events.map((e) => e.type);
}

describe("applyLaneCall: register and revoke", () => {
  it("registers a key to the sender with an empty nonce window, moving no value", () => {
    const lane = newLane();
    const r = expectOk(applyLaneCall(lane, { op: LaneOp.RegisterKey, tradingKey: aliceKey.publicKey }, ALICE, 0n));
    expect(r).toEqual({ ok: true, creditWei: 0n, debitWei: 0n, events: [] });
    expect([...lane.keys]).toEqual([[toHex(aliceKey.publicKey), { account: ALICE_ID, window: { highest: 0n, seen: 0n } }]]);
  });

  it("refuses a key already registered, by another account or the same one, changing nothing", () => {
    const lane = newLane();
    expectOk(applyLaneCall(lane, { op: LaneOp.RegisterKey, tradingKey: aliceKey.publicKey }, ALICE, 0n));
    const before = toHex(laneStateHash(lane));
    expect(codeOf(applyLaneCall(lane, { op: LaneOp.RegisterKey, tradingKey: aliceKey.publicKey }, BOB, 0n))).toBe("LANE_CALL_ERROR_KEY_TAKEN");
    expect(codeOf(applyLaneCall(lane, { op: LaneOp.RegisterKey, tradingKey: aliceKey.publicKey }, ALICE, 0n))).toBe("LANE_CALL_ERROR_KEY_TAKEN");
    expect(lane.keys.get(toHex(aliceKey.publicKey))!.account).toBe(ALICE_ID);
    expect(toHex(laneStateHash(lane))).toBe(before);
  });

  it("revokes only the sender's own key; a revoked key can never be registered again", () => {
    const lane = newLane();
    expectOk(applyLaneCall(lane, { op: LaneOp.RegisterKey, tradingKey: aliceKey.publicKey }, ALICE, 0n));
    const before = toHex(laneStateHash(lane));
    expect(codeOf(applyLaneCall(lane, { op: LaneOp.RevokeKey, tradingKey: aliceKey.publicKey }, BOB, 0n))).toBe("LANE_CALL_ERROR_NOT_YOUR_KEY");
    expect(codeOf(applyLaneCall(lane, { op: LaneOp.RevokeKey, tradingKey: bobKey.publicKey }, BOB, 0n))).toBe("LANE_CALL_ERROR_NOT_YOUR_KEY");
    expect(toHex(laneStateHash(lane))).toBe(before);
    expect(expectOk(applyLaneCall(lane, { op: LaneOp.RevokeKey, tradingKey: aliceKey.publicKey }, ALICE, 0n))).toEqual({ ok: true, creditWei: 0n, debitWei: 0n, events: [] });
    expect(lane.keys.size).toBe(0);
    expect([...lane.revokedKeys]).toEqual([toHex(aliceKey.publicKey)]);
    expect(codeOf(applyLaneCall(lane, { op: LaneOp.RegisterKey, tradingKey: aliceKey.publicKey }, ALICE, 0n))).toBe("LANE_CALL_ERROR_KEY_REVOKED");
    expect(codeOf(applyLaneCall(lane, { op: LaneOp.RegisterKey, tradingKey: aliceKey.publicKey }, BOB, 0n))).toBe("LANE_CALL_ERROR_KEY_REVOKED");
    expect(codeOf(applyLaneCall(lane, { op: LaneOp.RevokeKey, tradingKey: aliceKey.publicKey }, ALICE, 0n))).toBe("LANE_CALL_ERROR_NOT_YOUR_KEY");
  });

  it(`holds at most ${TRADING_KEYS_PER_ACCOUNT_MAX} keys per account; revoking one frees a place`, () => {
    const lane = newLane();
    const keys = Array.from({ length: TRADING_KEYS_PER_ACCOUNT_MAX + 2 }, (_, i) => seededKey(0x80 + i).publicKey);
    for (let i = 0; i < TRADING_KEYS_PER_ACCOUNT_MAX; i++) expectOk(applyLaneCall(lane, { op: LaneOp.RegisterKey, tradingKey: keys[i]! }, ALICE, 0n));
    const ninth = applyLaneCall(lane, { op: LaneOp.RegisterKey, tradingKey: keys[8]! }, ALICE, 0n);
    expect(codeOf(ninth)).toBe("LANE_CALL_ERROR_TOO_MANY_KEYS");
    expect(lane.keys.size).toBe(8);
    // another account is not limited by Alice's keys
    expectOk(applyLaneCall(lane, { op: LaneOp.RegisterKey, tradingKey: keys[9]! }, BOB, 0n));
    expectOk(applyLaneCall(lane, { op: LaneOp.RevokeKey, tradingKey: keys[0]! }, ALICE, 0n));
    expectOk(applyLaneCall(lane, { op: LaneOp.RegisterKey, tradingKey: keys[8]! }, ALICE, 0n));
    expect(keysOfAccount(lane, ALICE_ID)).toEqual(keys.slice(1, 9).map(toHex).sort());
    expect(keysOfAccount(lane, BOB_ID)).toEqual([toHex(keys[9]!)]);
  });

  it("refuses value on every op but a deposit", () => {
    const lane = newLane();
    expectOk(applyLaneCall(lane, { op: LaneOp.RegisterKey, tradingKey: aliceKey.publicKey }, ALICE, 0n));
    expectOk(applyLaneCall(lane, { op: LaneOp.Deposit }, ALICE, 10n * WEI_PER_QUOTE));
    const before = toHex(laneStateHash(lane));
    for (const call of [
      { op: LaneOp.RegisterKey, tradingKey: bobKey.publicKey },
      { op: LaneOp.RevokeKey, tradingKey: aliceKey.publicKey },
      { op: LaneOp.Withdraw, amountQuote: 1n },
    ] as const) {
      expect(codeOf(applyLaneCall(lane, call, ALICE, 1n))).toBe("LANE_CALL_ERROR_VALUE_NOT_ALLOWED");
    }
    expect(toHex(laneStateHash(lane))).toBe(before);
  });
});

describe("applyLaneCall: deposit and withdraw", () => {
  it("a deposit debits exactly its value and credits value / WEI_PER_QUOTE quote units", () => {
    const lane = newLane();
    const r = expectOk(applyLaneCall(lane, { op: LaneOp.Deposit }, ALICE, 1_234n * WEI_PER_QUOTE));
    expect(r).toEqual({ ok: true, creditWei: 0n, debitWei: 1_234_000_000_000_000n, events: [{ type: "deposited", account: ALICE_ID, amountQuote: 1_234n }] });
    expect(lane.engine.accounts.get(ALICE_ID)!.collateralQuote).toBe(1_234n);
    expect(lane.engine.depositedQuote).toBe(1_234n);
  });

  it("refuses a zero deposit and one that is not a whole number of quote units", () => {
    const lane = newLane();
    const before = toHex(laneStateHash(lane));
    for (const wei of [0n, 1n, WEI_PER_QUOTE - 1n, WEI_PER_QUOTE + 1n, 3n * WEI_PER_QUOTE / 2n]) {
      expect(codeOf(applyLaneCall(lane, { op: LaneOp.Deposit }, ALICE, wei))).toBe("LANE_CALL_ERROR_BAD_AMOUNT");
    }
    expect(lane.engine.accounts.size).toBe(0);
    expect(toHex(laneStateHash(lane))).toBe(before);
  });

  it("refuses a deposit above the engine's amount limit with the engine's code", () => {
    const lane = newLane();
    const r = applyLaneCall(lane, { op: LaneOp.Deposit }, ALICE, (lane.engine.limits.maxAmountQuote + 1n) * WEI_PER_QUOTE);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe("LANE_CALL_ERROR_REFUSED");
      expect(r.message.startsWith("ENGINE_REJECT_BAD_AMOUNT:")).toBe(true);
    }
  });

  it("a withdrawal credits exactly amount * WEI_PER_QUOTE and lowers collateral by amount", () => {
    const lane = newLane();
    expectOk(applyLaneCall(lane, { op: LaneOp.Deposit }, ALICE, 500n * WEI_PER_QUOTE));
    const r = expectOk(applyLaneCall(lane, { op: LaneOp.Withdraw, amountQuote: 499n }, ALICE, 0n));
    expect(r).toEqual({ ok: true, creditWei: 499n * WEI_PER_QUOTE, debitWei: 0n, events: [{ type: "withdrawn", account: ALICE_ID, amountQuote: 499n }] });
    expect(lane.engine.accounts.get(ALICE_ID)!.collateralQuote).toBe(1n);
    expect(lane.engine.withdrawnQuote).toBe(499n);
  });

  it("refuses withdrawing more than the collateral, zero, or from an account that never deposited", () => {
    const lane = newLane();
    expectOk(applyLaneCall(lane, { op: LaneOp.Deposit }, ALICE, 500n * WEI_PER_QUOTE));
    const before = toHex(laneStateHash(lane));
    const cases: [Uint8Array, bigint, string][] = [
      [ALICE, 501n, "ENGINE_REJECT_INSUFFICIENT_COLLATERAL"],
      [ALICE, 0n, "ENGINE_REJECT_BAD_AMOUNT"],
      [BOB, 1n, "ENGINE_REJECT_UNKNOWN_ACCOUNT"],
    ];
    for (const [from, amountQuote, engineCode] of cases) {
      const r = applyLaneCall(lane, { op: LaneOp.Withdraw, amountQuote }, from, 0n);
      expect(r.ok ? "ok" : [r.code, r.message.split(":")[0]]).toEqual(["LANE_CALL_ERROR_REFUSED", engineCode]);
    }
    expect(lane.engine.accounts.get(ALICE_ID)!.collateralQuote).toBe(500n);
    expect(toHex(laneStateHash(lane))).toBe(before);
  });

  it("refuses a withdrawal that would leave equity below the initial margin of open orders", () => {
    const lane = newLane();
    trader(lane, ALICE, aliceKey.publicKey, 2_000n);
    beginLaneBlock(lane, 1, ORACLE, []);
    // a resting buy of 10 lots at the mark (1000 ticks, 1 quote per tick-lot): initial requirement 10% of 10,000
    const placed = executeLaneOrder(lane, aliceBody([leg({ flags: postOnly })]), "00", 1);
    expect(placed.legs).toEqual([{ ok: true }]);
    const r = applyLaneCall(lane, { op: LaneOp.Withdraw, amountQuote: 1_001n }, ALICE, 0n);
    expect(r.ok ? "ok" : r.message.split(":")[0]).toBe("ENGINE_REJECT_INSUFFICIENT_MARGIN");
    expect(expectOk(applyLaneCall(lane, { op: LaneOp.Withdraw, amountQuote: 1_000n }, ALICE, 0n)).creditWei).toBe(1_000n * WEI_PER_QUOTE);
  });
});

describe("beginLaneBlock", () => {
  it("ticks the engine to the height and records an oracle's prices; a non-oracle's are ignored", () => {
    const lane = newLane();
    beginLaneBlock(lane, 1, ORACLE, [{ marketId: 7, priceTicks: 1_050 }, { marketId: 8, priceTicks: 990 }]);
    expect(lane.engine.height).toBe(1);
    expect(lane.engine.markets.get(7)!.indexSubmissions.get(ORACLE)).toEqual({ priceTicks: 1_050, height: 1 });
    expect(lane.engine.markets.get(8)!.indexSubmissions.get(ORACLE)).toEqual({ priceTicks: 990, height: 1 });
    beginLaneBlock(lane, 2, "0b".repeat(32), [{ marketId: 7, priceTicks: 5 }]);
    expect(lane.engine.height).toBe(2);
    expect(lane.engine.markets.get(7)!.indexSubmissions.size).toBe(1);
  });

  it("throws on a height that does not follow the engine's (execution checked it: a broken invariant)", () => {
    const lane = newLane();
    expect(() => beginLaneBlock(lane, 2, ORACLE, [])).toThrow(/lane tick at 2/);
  });
});

describe("executeLaneOrder: the action's checks", () => {
  it("refuses a key that was never registered, before any leg runs", () => {
    const lane = twoTraders();
    const stranger = seededKey(0x99);
    const before = toHex(laneStateHash(lane));
    const out = executeLaneOrder(lane, actionBody(stranger.publicKey, [leg({})], { account: ALICE }), "ab", 1);
    expect(out).toEqual({
      orderId: "ab", account: ALICE_ID, nonce: 5n, legs: [], events: [],
      rejected: { code: "LANE_REJECT_UNREGISTERED_KEY", message: "the trading key is not registered (or was revoked)" },
    });
    expect(toHex(laneStateHash(lane))).toBe(before);
  });

  it("refuses a key registered to another account", () => {
    const lane = twoTraders();
    const before = toHex(laneStateHash(lane));
    const out = executeLaneOrder(lane, actionBody(bobKey.publicKey, [leg({})], { account: ALICE }), "ab", 1);
    expect(out.rejected?.code).toBe("LANE_REJECT_WRONG_ACCOUNT");
    expect(out.legs).toEqual([]);
    expect(toHex(laneStateHash(lane))).toBe(before);
  });

  it("refuses an expired action without spending its nonce; good-til-block equal to the height runs", () => {
    const lane = twoTraders();
    beginLaneBlock(lane, 2, ORACLE, []);
    const expired = executeLaneOrder(lane, aliceBody([leg({})], { goodTilBlock: 1n, nonce: 9n }), "x", 2);
    expect(expired.rejected).toEqual({ code: "LANE_REJECT_EXPIRED", message: "good-til-block 1 < 2" });
    expect(lane.keys.get(toHex(aliceKey.publicKey))!.window).toEqual({ highest: 0n, seen: 0n });
    const onTime = executeLaneOrder(lane, aliceBody([leg({})], { goodTilBlock: 2n, nonce: 9n }), "y", 2);
    expect(onTime.rejected).toBeUndefined();
    expect(onTime.legs).toEqual([{ ok: true }]);
  });

  it("spends the nonce even when every leg is refused; a reused or too-old nonce is refused", () => {
    const lane = twoTraders();
    const allBad = executeLaneOrder(lane, aliceBody([leg({ flags: 0 }), leg({ marketId: 99, clientOrderId: 2 })], { nonce: 100n }), "a", 1);
    expect(allBad.rejected).toBeUndefined();
    expect(allBad.legs).toEqual([
      { ok: false, code: "LANE_REJECT_BAD_LEG", message: "exactly one of GTC, IOC, FOK" },
      { ok: false, code: "ENGINE_REJECT_UNKNOWN_MARKET", message: "no market with this id (market 99)" },
    ]);
    expect(lane.keys.get(toHex(aliceKey.publicKey))!.window).toEqual({ highest: 100n, seen: 1n });
    const before = toHex(laneStateHash(lane));
    const again = executeLaneOrder(lane, aliceBody([leg({ clientOrderId: 3 })], { nonce: 100n }), "b", 1);
    expect(again.rejected).toEqual({ code: "LANE_REJECT_STALE_NONCE", message: "NONCE_ERROR_REUSED" });
    const old = executeLaneOrder(lane, aliceBody([leg({ clientOrderId: 3 })], { nonce: 36n }), "c", 1);
    expect(old.rejected).toEqual({ code: "LANE_REJECT_STALE_NONCE", message: "NONCE_ERROR_TOO_OLD" });
    expect(toHex(laneStateHash(lane))).toBe(before);
    expect(restingNonces(lane, ALICE_ID)).toEqual([]);
    // inside the window, out of order, is fine
    expect(executeLaneOrder(lane, aliceBody([leg({ clientOrderId: 3 })], { nonce: 37n }), "d", 1).legs).toEqual([{ ok: true }]);
    expect(lane.keys.get(toHex(aliceKey.publicKey))!.window).toEqual({ highest: 100n, seen: 1n | (1n << 63n) });
  });

  it("runs the other legs of an action when one leg is refused, in leg order, without undoing earlier legs", () => {
    const lane = twoTraders();
    const out = executeLaneOrder(lane, aliceBody([
      leg({ clientOrderId: 1, priceTicks: 990n }),
      leg({ clientOrderId: 2, priceTicks: 0n }), // bad leg: price 0
      leg({ clientOrderId: 3, priceTicks: 1_000_000n }), // engine: above maxPriceTicks
      leg({ clientOrderId: 4, priceTicks: 980n }),
    ]), "e", 1);
    expect(out.legs).toEqual([
      { ok: true },
      { ok: false, code: "LANE_REJECT_BAD_LEG", message: "price must be > 0" },
      { ok: false, code: "ENGINE_REJECT_BAD_TICK", message: "price must be a whole number of ticks in [1, maxPriceTicks] (price 1000000)" },
      { ok: true },
    ]);
    expect(restingNonces(lane, ALICE_ID)).toEqual([1, 4]);
    expect(eventTypes(out.events)).toEqual(["order-accepted", "order-rested", "order-accepted", "order-rested"]);
  });

  it("a revoked key's later actions are refused, and its window is gone with it", () => {
    const lane = twoTraders();
    expect(executeLaneOrder(lane, aliceBody([leg({ clientOrderId: 1, flags: postOnly })], { nonce: 1n }), "f", 1).legs).toEqual([{ ok: true }]);
    expectOk(applyLaneCall(lane, { op: LaneOp.RevokeKey, tradingKey: aliceKey.publicKey }, ALICE, 0n));
    const before = toHex(laneStateHash(lane));
    const out = executeLaneOrder(lane, aliceBody([cancelLeg(1)], { nonce: 2n }), "g", 1);
    expect(out.rejected?.code).toBe("LANE_REJECT_UNREGISTERED_KEY");
    expect(restingNonces(lane, ALICE_ID)).toEqual([1]); // the cancel did not run
    expect(toHex(laneStateHash(lane))).toBe(before);
    // a second key of the same account still trades
    const second = seededKey(0x43);
    expectOk(applyLaneCall(lane, { op: LaneOp.RegisterKey, tradingKey: second.publicKey }, ALICE, 0n));
    expect(executeLaneOrder(lane, actionBody(second.publicKey, [cancelLeg(1)], { account: ALICE, nonce: 2n }), "h", 1).legs).toEqual([{ ok: true }]);
    expect(restingNonces(lane, ALICE_ID)).toEqual([]);
  });
});

describe("legAction: each leg kind as the engine action it means", () => {
  const body = aliceBody([leg({})], { goodTilBlock: 44n });
  const base = { kind: "place", account: ALICE_ID, nonce: 1, marketId: 7, side: "buy", priceTicks: 1_000, sizeLots: 10, reduceOnly: false, goodTilBlock: 44 };

  it("maps the time-in-force flags, post-only, reduce-only and the side", () => {
    expect(legAction(ALICE_ID, body, leg({ flags: OrderFlag.Gtc }))).toStrictEqual({ ...base, tif: "gtc" });
    expect(legAction(ALICE_ID, body, leg({ flags: OrderFlag.Ioc }))).toStrictEqual({ ...base, tif: "ioc" });
    expect(legAction(ALICE_ID, body, leg({ flags: OrderFlag.Fok }))).toStrictEqual({ ...base, tif: "fok" });
    expect(legAction(ALICE_ID, body, leg({ flags: postOnly }))).toStrictEqual({ ...base, tif: "post-only" });
    expect(legAction(ALICE_ID, body, leg({ flags: OrderFlag.Ioc | OrderFlag.ReduceOnly, side: Side.Sell, clientOrderId: 9, priceTicks: 7n, sizeLots: 3n }))).toStrictEqual({
      ...base, tif: "ioc", reduceOnly: true, side: "sell", nonce: 9, priceTicks: 7, sizeLots: 3,
    });
  });

  it("maps stop and take-profit triggers, and none without a trigger field", () => {
    expect(legAction(ALICE_ID, body, leg({ triggerKind: TriggerKind.Stop, triggerPriceTicks: 1_100n }))).toStrictEqual({
      ...base, tif: "gtc", trigger: { kind: "stop", triggerTicks: 1_100 },
    });
    expect(legAction(ALICE_ID, body, leg({ triggerKind: TriggerKind.TakeProfit, triggerPriceTicks: 900n }))).toStrictEqual({
      ...base, tif: "gtc", trigger: { kind: "take-profit", triggerTicks: 900 },
    });
  });

  it("turns u64 fields beyond safe integers into 0, which the engine refuses", () => {
    const huge = 2n ** 63n;
    expect(legAction(ALICE_ID, aliceBody([leg({})], { goodTilBlock: huge }), leg({ priceTicks: huge, sizeLots: huge }))).toStrictEqual({
      ...base, tif: "gtc", priceTicks: 0, sizeLots: 0, goodTilBlock: 0,
    });
    expect(legAction(ALICE_ID, body, leg({ priceTicks: BigInt(Number.MAX_SAFE_INTEGER) })))
      .toMatchObject({ priceTicks: Number.MAX_SAFE_INTEGER });
  });

  it("maps cancel by target client id, cancel-all of one market or of all, and replace", () => {
    expect(legAction(ALICE_ID, body, cancelLeg(33))).toStrictEqual({ kind: "cancel", account: ALICE_ID, nonce: 0, orderNonce: 33 });
    expect(legAction(ALICE_ID, body, cancelAllLeg(8))).toStrictEqual({ kind: "cancel-all", account: ALICE_ID, nonce: 0, marketId: 8 });
    expect(legAction(ALICE_ID, body, cancelAllLeg(MARKET_ALL))).toStrictEqual({ kind: "cancel-all", account: ALICE_ID, nonce: 0 });
    const replace = leg({ action: ActionKind.Replace, clientOrderId: 12, targetClientOrderId: 11, priceTicks: 995n, sizeLots: 4n });
    expect(legAction(ALICE_ID, body, replace)).toStrictEqual({ kind: "replace", account: ALICE_ID, nonce: 12, orderNonce: 11, priceTicks: 995, sizeLots: 4, postOnly: false });
    expect(legAction(ALICE_ID, body, { ...replace, flags: postOnly })).toMatchObject({ kind: "replace", postOnly: true });
  });
});

describe("executeLaneOrder: the legs on the engine", () => {
  it("a resting post-only ask fills an IOC buy at the maker's price, with the exact fees", () => {
    const lane = twoTraders();
    const ask = executeLaneOrder(lane, aliceBody([leg({ side: Side.Sell, flags: postOnly, priceTicks: 1_001n, clientOrderId: 1 })]), "ask", 1);
    expect(ask.legs).toEqual([{ ok: true }]);
    const crossing = executeLaneOrder(lane, aliceBody([leg({ side: Side.Buy, flags: postOnly, priceTicks: 1_001n, clientOrderId: 2 })], { nonce: 6n }), "x", 1);
    expect(crossing.legs).toEqual([{ ok: false, code: "ENGINE_REJECT_POST_ONLY_WOULD_CROSS", message: "a post-only order would take liquidity at its price" }]);
    const buy = executeLaneOrder(lane, bobBody([leg({ side: Side.Buy, flags: OrderFlag.Ioc, priceTicks: 1_005n, sizeLots: 4n, clientOrderId: 1 })]), "buy", 1);
    expect(buy.legs).toEqual([{ ok: true }]);
    const fill = buy.events.find((e) => e.type === "fill");
    // notional 1001 * 4 = 4004 quote units; taker 10 bps -> ceil(4.004) = 5, maker 5 bps -> ceil(2.002) = 3
    expect(fill).toEqual({
      type: "fill", marketId: 7, priceTicks: 1_001, lots: 4, taker: BOB_ID, takerNonce: 1, takerSide: "buy",
      maker: ALICE_ID, makerNonce: 1, takerFeeQuote: 5n, makerFeeQuote: 3n,
    });
    expect(lane.engine.accounts.get(BOB_ID)!.markets.get(7)!.sizeLots).toBe(4);
    expect(lane.engine.accounts.get(ALICE_ID)!.markets.get(7)!.sizeLots).toBe(-4);
    expect(lane.engine.markets.get(7)!.book.get(lane.engine.accounts.get(ALICE_ID)!.orders.get(1)!.orderId)!.remainingLots).toBe(6);
  });

  it("a reduce-only leg without an opposite position is refused; a trigger leg arms", () => {
    const lane = twoTraders();
    const out = executeLaneOrder(lane, aliceBody([
      leg({ flags: OrderFlag.Ioc | OrderFlag.ReduceOnly, clientOrderId: 1 }),
      leg({ triggerKind: TriggerKind.Stop, triggerPriceTicks: 1_100n, clientOrderId: 2 }),
    ]), "r", 1);
    expect(out.legs[0]).toMatchObject({ ok: false, code: "ENGINE_REJECT_REDUCE_ONLY_WOULD_INCREASE" });
    expect(out.legs[1]).toEqual({ ok: true });
    expect(out.events).toEqual([{ type: "trigger-armed", account: ALICE_ID, marketId: 7, nonce: 2 }]);
    expect([...lane.engine.accounts.get(ALICE_ID)!.triggerNonces]).toEqual([2]);
    // a cancel by target client id reaches the trigger too
    const cancel = executeLaneOrder(lane, aliceBody([cancelLeg(2)], { nonce: 6n }), "c", 1);
    expect(cancel.events).toEqual([{ type: "trigger-cancelled", account: ALICE_ID, marketId: 7, nonce: 2 }]);
  });

  it("cancel names its target by client order id; an unknown target is refused", () => {
    const lane = twoTraders();
    executeLaneOrder(lane, aliceBody([leg({ clientOrderId: 1, priceTicks: 990n }), leg({ clientOrderId: 2, priceTicks: 980n })]), "p", 1);
    const out = executeLaneOrder(lane, aliceBody([cancelLeg(2), cancelLeg(77)], { nonce: 6n }), "c", 1);
    expect(out.legs).toEqual([{ ok: true }, { ok: false, code: "ENGINE_REJECT_UNKNOWN_ORDER", message: "no open order or trigger with this nonce (order nonce 77)" }]);
    expect(out.events).toEqual([{ type: "order-done", account: ALICE_ID, marketId: 7, nonce: 2, reason: "cancelled" }]);
    expect(restingNonces(lane, ALICE_ID)).toEqual([1]);
  });

  it("cancel-all of one market leaves the other market's orders; MARKET_ALL cancels every one", () => {
    const lane = twoTraders();
    executeLaneOrder(lane, aliceBody([
      leg({ clientOrderId: 1, priceTicks: 990n }),
      leg({ clientOrderId: 2, priceTicks: 980n, marketId: 8 }),
      leg({ clientOrderId: 3, priceTicks: 970n }),
      leg({ clientOrderId: 4, priceTicks: 960n, marketId: 8 }),
    ]), "p", 1);
    const one = executeLaneOrder(lane, aliceBody([cancelAllLeg(7)], { nonce: 6n }), "c7", 1);
    expect(one.legs).toEqual([{ ok: true }]);
    expect(one.events.map((e) => (e.type === "order-done" ? [e.marketId, e.nonce] : e.type))).toEqual([[7, 1], [7, 3]]);
    expect(restingNonces(lane, ALICE_ID)).toEqual([2, 4]);
    const all = executeLaneOrder(lane, aliceBody([cancelAllLeg(MARKET_ALL)], { nonce: 7n }), "call", 1);
    expect(all.events.map((e) => (e.type === "order-done" ? [e.marketId, e.nonce] : e.type))).toEqual([[8, 2], [8, 4]]);
    expect(restingNonces(lane, ALICE_ID)).toEqual([]);
    const unknown = executeLaneOrder(lane, aliceBody([cancelAllLeg(99)], { nonce: 8n }), "c99", 1);
    expect(unknown.legs).toEqual([{ ok: false, code: "ENGINE_REJECT_UNKNOWN_MARKET", message: "no market with this id" }]);
  });

  it("replace swaps the target for a new order under the new client id", () => {
    const lane = twoTraders();
    executeLaneOrder(lane, aliceBody([leg({ clientOrderId: 1, priceTicks: 990n })]), "p", 1);
    const out = executeLaneOrder(lane, aliceBody([leg({ action: ActionKind.Replace, clientOrderId: 2, targetClientOrderId: 1, priceTicks: 995n, sizeLots: 3n })], { nonce: 6n }), "r", 1);
    expect(out.legs).toEqual([{ ok: true }]);
    expect(eventTypes(out.events)).toEqual(["order-done", "order-accepted", "order-rested"]);
    expect(out.events[0]).toEqual({ type: "order-done", account: ALICE_ID, marketId: 7, nonce: 1, reason: "replaced" });
    expect(out.events[2]).toMatchObject({ nonce: 2, lots: 3 });
    expect(restingNonces(lane, ALICE_ID)).toEqual([2]);
    const book = lane.engine.markets.get(7)!.book;
    expect(book.bestBidTicks).toBe(995);
  });
});
