// The lane_ methods over a FakeLaneBackend holding a real LaneState (keys registered and collateral deposited by
// lane calls, signed orders executed by executeLaneOrder): every method's exact JSON, every refused parameter,
// the "not enabled" answer without a lane, and the wiring into the server over HTTP on loopback.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toHex } from "../../../../consensus/crypto/hash.ts";
import { decodeLaneCall, WEI_PER_QUOTE } from "../../../../consensus/lane/lane-call.ts";
import { OrderFlag, TriggerKind } from "../../../../consensus/lane/order.ts";
import { handleText } from "../../../../node/rpc/json-rpc.ts";
import { LANE_METHODS, LANE_NOT_ENABLED } from "../../../../node/rpc/lane-methods.ts";
import { type MethodContext, methodCaller } from "../../../../node/rpc/method-context.ts";
import { RPC_METHODS } from "../../../../node/rpc/rpc-server.ts";
import { FakeLaneBackend, placeLeg, RECEIVED_AT_US, signedOrder, trader } from "../../../support/fake-lane-backend.ts";
import { FakeBackend } from "./fake-backend.ts";
import { call, useRpcServers } from "./rpc-test-server.ts";

const alice = trader(0xa1);
const bob = trader(0xb2);
const carol = trader(0xc3); // never registers
const LANE_TO = "0x0000000000000000000000000000000000000200";

interface Answer {
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

async function rpc(ctx: MethodContext, method: string, params: unknown[] = []): Promise<Answer> {
  const text = await handleText(JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }), methodCaller(RPC_METHODS, ctx), {
    batchLengthMax: 10,
    onInternalError: (_m, err) => {
      throw err;
    },
  });
  return JSON.parse(text!) as Answer;
}

/**
 * Block 1 registers alice's and bob's keys and deposits 100_000 each; block 2 runs bob's three asks, then alice's
 * action: buy 4 at 1000 (takes from bob's first ask), rest 2 at 990, arm a stop on market 2.
 */
function world() {
  const lane = new FakeLaneBackend();
  lane.fund([alice, bob], 100_000n);
  lane.commitBlock();
  const bobs = signedOrder(bob, 1, [placeLeg(1, "sell", 1_000, 10, 1), placeLeg(1, "sell", 1_010, 5, 2), placeLeg(1, "sell", 1_010, 3, 3)]);
  const stop = { ...placeLeg(2, "buy", 2_150, 1, 3), triggerKind: TriggerKind.Stop, triggerPriceTicks: 2_100n };
  const alices = signedOrder(alice, 1, [placeLeg(1, "buy", 1_000, 4, 1), placeLeg(1, "buy", 990, 2, 2), stop]);
  const carols = signedOrder(carol, 1, [placeLeg(1, "buy", 900, 1, 1)]);
  for (const o of [bobs, alices, carols]) expect(lane.submitOrder(o.bytes)).toEqual({ ok: true, orderId: o.id });
  lane.commitBlock();
  const ctx: MethodContext = { backend: new FakeBackend(), transport: "http", lane };
  return { lane, ctx, bobs, alices, carols };
}

async function result(ctx: MethodContext, method: string, params: unknown[] = []): Promise<unknown> {
  const a = await rpc(ctx, method, params);
  expect(a.error, JSON.stringify(a.error)).toBeUndefined();
  return a.result;
}

async function refusal(ctx: MethodContext, method: string, params: unknown[]): Promise<{ code: number; message: string; data?: unknown }> {
  const a = await rpc(ctx, method, params);
  expect(a.error, `${method} ${JSON.stringify(params)} answered ${JSON.stringify(a.result)}`).toBeDefined();
  return a.error!;
}

const MARKET_PARAMS = {
  tickSizeQuote: "1", lotSizeBaseE9: "1000000000", quotePerTickLot: "1", maxPriceTicks: 100_000, maxOrderLots: 10_000, maxPositionLots: 50_000,
  initialMarginBps: 1_000, maintenanceMarginBps: 500, makerFeeBps: 5, liquidationFeeBps: 100, fundingIntervalBlocks: 10,
  maxFundingRateBps: 50, markBandBps: 1_000, indexMaxAgeBlocks: 5, lastFundingRateBps: 0, fundingIndex: "0",
};

describe("lane_ read methods", () => {
  it("lane_info and lane_markets", async () => {
    const { ctx } = world();
    expect(await result(ctx, "lane_info")).toEqual({
      chainId: "31337", headHeight: 2, host: "127.0.0.1", port: 9700, ingest: "udp", reason: "AF_XDP needs CAP_NET_RAW", deltaMs: 50,
    });
    expect(await result(ctx, "lane_markets")).toEqual([
      { ...MARKET_PARAMS, id: 1, symbol: "ALPHA-PERP", takerFeeBps: 10, initialIndexTicks: 1_000, indexTicks: 1_000, markTicks: 1_000, bestBidTicks: 990, bestAskTicks: 1_000, restingOrders: 4 },
      { ...MARKET_PARAMS, id: 2, symbol: "BETA-PERP", takerFeeBps: 20, initialIndexTicks: 2_000, indexTicks: 2_000, markTicks: 2_000, bestBidTicks: null, bestAskTicks: null, restingOrders: 0 },
    ]);
  });

  it("lane_book aggregates levels best first, depth 20 by default", async () => {
    const { ctx } = world();
    const full = {
      marketId: 1, height: 2,
      bids: [{ priceTicks: 990, lots: 2, orders: 1 }],
      asks: [{ priceTicks: 1_000, lots: 6, orders: 1 }, { priceTicks: 1_010, lots: 8, orders: 2 }],
    };
    expect(await result(ctx, "lane_book", [1])).toEqual(full);
    expect(await result(ctx, "lane_book", [1, null])).toEqual(full);
    expect(await result(ctx, "lane_book", [1, 500])).toEqual(full);
    expect(await result(ctx, "lane_book", [1, 1])).toEqual({ ...full, asks: [full.asks[0]] });
    expect(await result(ctx, "lane_book", [2])).toEqual({ marketId: 2, height: 2, bids: [], asks: [] });
  });

  it("lane_account gives the margin picture and the registered keys", async () => {
    const { ctx } = world();
    expect(await result(ctx, "lane_account", [alice.id])).toEqual({
      account: alice.id, height: 2, exists: true,
      collateralQuote: "99996", // 100_000 - taker fee ceil(4000 * 10 / 10_000)
      equityQuote: "99996",
      initialRequirementQuote: "600", // max(|4 + 2|, |4|) lots * 1000 * 10%; the armed stop adds nothing until it fires
      maintenanceRequirementQuote: "200",
      realizedPnlQuote: "0",
      marginRatioBps: 21,
      liquidatable: false,
      positions: [{
        marketId: 1, sizeLots: 4, entryNotionalQuote: "4000", markTicks: 1_000, unrealizedPnlQuote: "0", pendingFundingQuote: "0",
        maintenanceRequirementQuote: "200", openBuyLots: 2, openSellLots: 0,
      }],
      tradingKeys: [`0x${toHex(alice.tradingKey)}`],
    });
    // Upper-case input; the answer is lowercase.
    const bobAccount = await result(ctx, "lane_account", [`0x${bob.id.slice(2).toUpperCase()}`]);
    expect(bobAccount).toMatchObject({ account: bob.id, collateralQuote: "99998", positions: [{ sizeLots: -4, entryNotionalQuote: "-4000", openSellLots: 14 }] });
    expect(await result(ctx, "lane_account", [carol.id])).toEqual({
      account: carol.id, height: 2, exists: false, collateralQuote: "0", equityQuote: "0", initialRequirementQuote: "0", maintenanceRequirementQuote: "0",
      realizedPnlQuote: "0", marginRatioBps: 0, liquidatable: false, positions: [], tradingKeys: [],
    });
  });

  it("lane_openOrders lists resting orders and armed triggers", async () => {
    const { ctx } = world();
    expect(await result(ctx, "lane_openOrders", [alice.id])).toEqual({
      account: alice.id,
      height: 2,
      orders: [{ marketId: 1, clientOrderId: 2, side: "buy", priceTicks: 990, remainingLots: 2, reduceOnly: false, goodTilBlock: 0 }],
      triggers: [{ marketId: 2, clientOrderId: 3, kind: "stop", triggerTicks: 2_100, side: "buy", priceTicks: 2_150, lots: 1, timeInForce: "gtc", reduceOnly: false, goodTilBlock: 0 }],
    });
    expect(await result(ctx, "lane_openOrders", [carol.id])).toEqual({ account: carol.id, height: 2, orders: [], triggers: [] });
  });

  it("lane_orderStatus: executed with every event, rejected, pending, unknown", async () => {
    const { ctx, lane, alices, carols } = world();
    const executed = {
      orderId: `0x${alices.id}`, account: alice.id, status: "executed", receivedAtUs: RECEIVED_AT_US, blockHeight: 2, position: 1,
      outcome: {
        nonce: "1",
        rejected: null,
        legs: [{ ok: true, code: null, message: null }, { ok: true, code: null, message: null }, { ok: true, code: null, message: null }],
        events: [
          { type: "order-accepted", account: alice.id, marketId: 1, nonce: 1, side: "buy", priceTicks: 1_000, lots: 4 },
          {
            type: "fill", marketId: 1, priceTicks: 1_000, lots: 4, taker: alice.id, takerNonce: 1, takerSide: "buy", maker: bob.id, makerNonce: 1,
            takerFeeQuote: "4", makerFeeQuote: "2",
          },
          { type: "order-done", account: alice.id, marketId: 1, nonce: 1, reason: "filled" },
          { type: "order-accepted", account: alice.id, marketId: 1, nonce: 2, side: "buy", priceTicks: 990, lots: 2 },
          { type: "order-rested", account: alice.id, marketId: 1, nonce: 2, orderId: 5, lots: 2 },
          { type: "trigger-armed", account: alice.id, marketId: 2, nonce: 3 },
        ],
      },
    };
    expect(await result(ctx, "lane_orderStatus", [`0x${alices.id}`])).toEqual(executed);
    expect(await result(ctx, "lane_orderStatus", [alices.id])).toEqual(executed);
    expect(await result(ctx, "lane_orderStatus", [`0x${alices.id.toUpperCase()}`])).toEqual(executed);
    expect(await result(ctx, "lane_orderStatus", [carols.id])).toEqual({
      orderId: `0x${carols.id}`, account: carol.id, status: "rejected", receivedAtUs: RECEIVED_AT_US, blockHeight: 2, position: 2,
      outcome: {
        nonce: "1",
        rejected: { code: "LANE_REJECT_UNREGISTERED_KEY", message: "the trading key is not registered (or was revoked)" },
        legs: [],
        events: [],
      },
    });
    const later = signedOrder(alice, 2, [placeLeg(1, "buy", 980, 1, 4)]);
    lane.submitOrder(later.bytes);
    expect(await result(ctx, "lane_orderStatus", [later.id])).toEqual({
      orderId: `0x${later.id}`, account: alice.id, status: "pending", receivedAtUs: RECEIVED_AT_US, blockHeight: null, position: null, outcome: null,
    });
    expect(await result(ctx, "lane_orderStatus", ["ab".repeat(32)])).toBeNull();
  });

  it("lane_fills: most recent first, both sides, limited", async () => {
    const { ctx, lane } = world();
    expect(await result(ctx, "lane_fills", [alice.id])).toEqual([
      { blockHeight: 2, marketId: 1, priceTicks: 1_000, lots: 4, side: "buy", clientOrderId: 1, liquidity: "taker", feeQuote: "4", counterparty: bob.id },
    ]);
    lane.submitOrder(signedOrder(alice, 2, [placeLeg(1, "buy", 1_010, 7, 4, OrderFlag.Ioc)]).bytes);
    lane.commitBlock(); // 6 at 1000 from bob's first ask, then 1 at 1010 from his second
    expect(await result(ctx, "lane_fills", [bob.id, 2])).toEqual([
      { blockHeight: 3, marketId: 1, priceTicks: 1_010, lots: 1, side: "sell", clientOrderId: 2, liquidity: "maker", feeQuote: "1", counterparty: alice.id },
      { blockHeight: 3, marketId: 1, priceTicks: 1_000, lots: 6, side: "sell", clientOrderId: 1, liquidity: "maker", feeQuote: "3", counterparty: alice.id },
    ]);
    expect(await result(ctx, "lane_fills", [bob.id, 1000])).toHaveLength(3);
    expect(await result(ctx, "lane_fills", [carol.id])).toEqual([]);
  });

  it("lane_funding gives the last and predicted rate and the next funding height", async () => {
    const { ctx, lane } = world();
    expect(await result(ctx, "lane_funding", [1])).toEqual({
      marketId: 1, lastFundingRateBps: 0, predictedRateBps: 0, fundingIndex: "0", fundingIntervalBlocks: 10, nextFundingHeight: 10,
      markTicks: 1_000, indexTicks: 1_000,
    });
    lane.indexPrice(1, 900);
    while (lane.headHeight() < 10) lane.commitBlock();
    // Mark = median(900, bid 990, ask 1000) = 990; rate (990 - 900) / 900 clamped to 50 bps; index += 50 * 990 * 1e6 / 10_000.
    expect(await result(ctx, "lane_funding", [1])).toEqual({
      marketId: 1, lastFundingRateBps: 50, predictedRateBps: 50, fundingIndex: "4950000", fundingIntervalBlocks: 10, nextFundingHeight: 20,
      markTicks: 990, indexTicks: 900,
    });
  });
});

describe("lane_sendOrder", () => {
  it("hands the bytes to the backend and maps its refusals to -32000 with the code", async () => {
    const { ctx, lane } = world();
    const o = signedOrder(alice, 9, [placeLeg(1, "buy", 950, 1, 9)]);
    const hex = `0x${toHex(o.bytes)}`;
    expect(await result(ctx, "lane_sendOrder", [hex])).toEqual({ orderId: `0x${o.id}` });
    expect(lane.orderStatus(o.id)?.status).toBe("pending");
    expect(await refusal(ctx, "lane_sendOrder", [hex])).toEqual({ code: -32000, message: "already known", data: { code: "LANE_SUBMIT_DUPLICATE" } });
    const badSig = Uint8Array.from(o.bytes);
    badSig[badSig.length - 1]! ^= 1;
    expect(await refusal(ctx, "lane_sendOrder", [`0x${toHex(badSig)}`])).toEqual({
      code: -32000, message: "order refused: ORDER_ERROR_INVALID_SIGNATURE", data: { code: "ORDER_ERROR_INVALID_SIGNATURE" },
    });
    expect(await refusal(ctx, "lane_sendOrder", ["0x0102"])).toMatchObject({ code: -32000, data: { code: "CODEC_ERROR_LENGTH_LIMIT" } });
  });

  it("refuses what is not order bytes", async () => {
    const { ctx } = world();
    const cases: [unknown[], string][] = [
      [[], "missing value for required argument 0"],
      [["0x01", 1], "too many arguments, want at most 1"],
      [["0x"], "invalid argument 0 (order): empty order"],
      [["0x0"], "invalid argument 0 (order): must be 0x-prefixed hex of even length"],
      [["0102"], "invalid argument 0 (order): must be 0x-prefixed hex of even length"],
      [[12], "invalid argument 0 (order): must be a hex string"],
      [[`0x${"00".repeat(1359)}`], "invalid argument 0 (order): must be at most 1358 bytes"],
    ];
    for (const [params, message] of cases) expect(await refusal(ctx, "lane_sendOrder", params)).toEqual({ code: -32602, message });
  });
});

describe("lane_encodeCall", () => {
  it("encodes each lane system call as a wallet transaction request", async () => {
    const { ctx, lane } = world();
    const key = `0x${toHex(carol.tradingKey)}`;
    expect(await result(ctx, "lane_encodeCall", [{ op: "registerKey", tradingKey: key }])).toEqual({ to: LANE_TO, data: `0x01${key.slice(2)}`, value: "0x0" });
    expect(await result(ctx, "lane_encodeCall", [{ op: "revokeKey", tradingKey: key.slice(2).toUpperCase(), amountQuote: null }])).toEqual({ to: LANE_TO, data: `0x02${key.slice(2)}`, value: "0x0" });
    expect(await result(ctx, "lane_encodeCall", [{ op: "deposit", amountQuote: "1500000" }])).toEqual({
      to: LANE_TO, data: "0x03", value: `0x${(1_500_000n * WEI_PER_QUOTE).toString(16)}`,
    });
    expect(await result(ctx, "lane_encodeCall", [{ op: "withdraw", amountQuote: 250 }])).toEqual({ to: LANE_TO, data: `0x04${"00".repeat(31)}fa`, value: "0x0" });

    // What it encodes is what block execution applies.
    for (const op of [{ op: "registerKey", tradingKey: key }, { op: "deposit", amountQuote: "5000" }]) {
      const tx = (await result(ctx, "lane_encodeCall", [op])) as { data: string; value: string };
      const decoded = decodeLaneCall(Uint8Array.from(Buffer.from(tx.data.slice(2), "hex")));
      if (!decoded.ok) throw new Error(decoded.detail);
      lane.laneCall(carol.address, decoded.value, BigInt(tx.value));
    }
    lane.commitBlock();
    expect(await result(ctx, "lane_account", [carol.id])).toMatchObject({ exists: true, collateralQuote: "5000", tradingKeys: [key] });
  });

  it("refuses malformed calls with a clear message", async () => {
    const { ctx } = world();
    const key = toHex(carol.tradingKey);
    const what = "invalid argument 0 (call)";
    const cases: [unknown, string][] = [
      [null, "missing value for required argument 0"],
      ["deposit", `${what}: must be an object`],
      [[], `${what}: must be an object`],
      [{}, `${what}: op must be one of registerKey, revokeKey, deposit, withdraw`],
      [{ op: "mint" }, `${what}: op must be one of registerKey, revokeKey, deposit, withdraw`],
      [{ op: "deposit", amountQuote: "1", to: "0x00" }, `${what}: unknown field "to", expected op, tradingKey, amountQuote`],
      [{ op: "registerKey" }, `${what}: registerKey needs tradingKey`],
      [{ op: "registerKey", tradingKey: key, amountQuote: "1" }, `${what}: registerKey takes no amountQuote`],
      [{ op: "revokeKey", tradingKey: key.slice(2) }, `${what}: tradingKey: must be 32 bytes of hex (64 digits, 0x optional)`],
      [{ op: "revokeKey", tradingKey: `0x${"zz".repeat(32)}` }, `${what}: tradingKey: must be 32 bytes of hex (64 digits, 0x optional)`],
      [{ op: "deposit" }, `${what}: deposit needs amountQuote`],
      [{ op: "withdraw", amountQuote: "1", tradingKey: key }, `${what}: withdraw takes no tradingKey`],
      [{ op: "deposit", amountQuote: "0" }, `${what}: amountQuote: must be a positive whole number of quote units as a decimal string`],
      [{ op: "deposit", amountQuote: "-5" }, `${what}: amountQuote: must be a positive whole number of quote units as a decimal string`],
      [{ op: "deposit", amountQuote: "1.5" }, `${what}: amountQuote: must be a positive whole number of quote units as a decimal string`],
      [{ op: "deposit", amountQuote: "0x10" }, `${what}: amountQuote: must be a positive whole number of quote units as a decimal string`],
      [{ op: "deposit", amountQuote: 1.5 }, `${what}: amountQuote: must be a positive whole number of quote units as a decimal string`],
      [{ op: "withdraw", amountQuote: "1000000000000000001" }, `${what}: amountQuote: must be at most 1000000000000000000 quote units`],
    ];
    for (const [arg, message] of cases) expect(await refusal(ctx, "lane_encodeCall", [arg]), JSON.stringify(arg)).toEqual({ code: -32602, message });
    expect(await refusal(ctx, "lane_encodeCall", [])).toEqual({ code: -32602, message: "missing value for required argument 0" });
  });
});

describe("lane_ parameter checks", () => {
  it("names unknown markets with -32001 and refuses malformed ids, depths, limits and addresses", async () => {
    const { ctx } = world();
    const unknown = { code: -32001, message: "market 9 does not exist (markets: 1, 2)" };
    expect(await refusal(ctx, "lane_book", [9])).toEqual(unknown);
    expect(await refusal(ctx, "lane_funding", [9])).toEqual(unknown);
    const marketMsg = "invalid argument 0 (marketId): must be an integer in [0, 65535]";
    for (const bad of ["1", -1, 65_536, 1.5, null, true]) {
      expect(await refusal(ctx, "lane_book", [bad]), JSON.stringify(bad)).toEqual({ code: -32602, message: bad === null ? "missing value for required argument 0" : marketMsg });
      expect(await refusal(ctx, "lane_funding", [bad])).toMatchObject({ code: -32602 });
    }
    for (const bad of [0, 501, "20", 2.5]) {
      expect(await refusal(ctx, "lane_book", [1, bad])).toEqual({ code: -32602, message: "invalid argument 1 (depth): must be an integer in [1, 500]" });
    }
    for (const bad of [0, 1_001, "5", 0.5]) {
      expect(await refusal(ctx, "lane_fills", [alice.id, bad])).toEqual({ code: -32602, message: "invalid argument 1 (limit): must be an integer in [1, 1000]" });
    }
    for (const method of ["lane_account", "lane_openOrders", "lane_fills"]) {
      expect(await refusal(ctx, method, ["0x12"])).toEqual({ code: -32602, message: "invalid argument 0 (address): address must be 0x followed by 40 hex digits" });
      expect(await refusal(ctx, method, [alice.id.replace("a1", "A1")])).toEqual({ code: -32602, message: "invalid argument 0 (address): address has an invalid EIP-55 checksum" });
      expect(await refusal(ctx, method, [])).toEqual({ code: -32602, message: "missing value for required argument 0" });
    }
    for (const bad of ["0x12", "ab".repeat(31), `0x${"ab".repeat(33)}`, 5, `0x${"gg".repeat(32)}`]) {
      expect(await refusal(ctx, "lane_orderStatus", [bad])).toEqual({ code: -32602, message: "invalid argument 0 (orderId): must be 32 bytes of hex (64 digits, 0x optional)" });
    }
    expect(await refusal(ctx, "lane_info", [1])).toEqual({ code: -32602, message: "too many arguments, want at most 0" });
    expect(await refusal(ctx, "lane_markets", [1])).toEqual({ code: -32602, message: "too many arguments, want at most 0" });
    expect(await refusal(ctx, "lane_subscribe", ["fills"])).toEqual({ code: -32601, message: "notifications not supported: lane_subscribe needs a WebSocket connection" });
    expect(await refusal(ctx, "lane_unsubscribe", ["0x01"])).toEqual({ code: -32601, message: "notifications not supported: lane_unsubscribe needs a WebSocket connection" });
  });

  it("answers every lane_ method with 'not enabled' when the node runs no lane", async () => {
    const ctx: MethodContext = { backend: new FakeBackend(), transport: "http" };
    expect(LANE_METHODS.size).toBe(12);
    for (const method of LANE_METHODS.keys()) expect(await refusal(ctx, method, [1])).toEqual({ code: -32601, message: LANE_NOT_ENABLED });
  });

  it("arbitrary parameters end in a result or a protocol error, never -32603", async () => {
    const { ctx } = world();
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom(0, 1, 2, 9, 20, 500, 501, alice.id, carol.id, "0x", "0x01", `0x${"ab".repeat(32)}`, "fills", "book", null),
      fc.record({ op: fc.constantFrom("registerKey", "deposit", "withdraw", "x"), amountQuote: fc.constantFrom("1", 1, "0", -1), tradingKey: fc.constantFrom("ab".repeat(32), 1) }, { requiredKeys: [] }),
      fc.record({ marketId: fc.constantFrom(1, 9, "1"), depth: fc.constantFrom(1, 0, 600), account: fc.constantFrom(alice.id, "0x1") }, { requiredKeys: [] }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...LANE_METHODS.keys()), fc.array(value, { maxLength: 3 }), async (method, params) => {
        const a = await rpc(ctx, method, params);
        if (a.error) expect([-32602, -32601, -32001, -32000], `${method} ${JSON.stringify(params)}`).toContain(a.error.code);
      }),
      { numRuns: 600, seed: 20260113 },
    );
  });
});

describe("lane_ methods in the server", () => {
  const startServer = useRpcServers();

  it("serves lane_ over HTTP when given a lane, and 'not enabled' without one", async () => {
    const { lane } = world();
    const withLane = await startServer({ lane });
    expect((await call(withLane.url, "lane_info")).result).toMatchObject({ chainId: "31337", headHeight: 2, port: 9700 });
    expect((await call(withLane.url, "lane_book", [1, 1])).result).toEqual({
      marketId: 1, height: 2, bids: [{ priceTicks: 990, lots: 2, orders: 1 }], asks: [{ priceTicks: 1_000, lots: 6, orders: 1 }],
    });
    expect((await call(withLane.url, "eth_chainId")).result).toBe("0x7a69");
    const without = await startServer();
    expect((await call(without.url, "lane_markets")).error).toEqual({ code: -32601, message: LANE_NOT_ENABLED });
  });
});
