// lane_subscribe / lane_unsubscribe over a real WebSocket on loopback: "fills" (all, or one account's) and "book"
// notifications built from each finalized block, delivery only after the subscribe answer, the per-connection cap
// shared with eth_subscribe, one backend listener for every connection, and parameter refusals.
// Absence of a notification is shown by ordering: blocks are committed synchronously and notifications sent at
// commit, so one would arrive before the answer to any request sent after the commit.
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { OrderFlag } from "../../../../consensus/lane/order.ts";
import { LANE_NOT_ENABLED } from "../../../../node/rpc/lane-methods.ts";
import { FakeLaneBackend, placeLeg, signedOrder, trader } from "../../../support/fake-lane-backend.ts";
import { useRpcServers } from "./rpc-test-server.ts";

const startServer = useRpcServers();
const alice = trader(0xa1);
const bob = trader(0xb2);
const carol = trader(0xc3);

type Message = Record<string, unknown>;

interface Client {
  ws: WebSocket;
  next(): Promise<Message>;
  request(method: string, params?: unknown[]): Promise<Message>;
  send(method: string, params?: unknown[]): void;
  closed: Promise<number>;
}

async function open(url: string): Promise<Client> {
  const ws = new WebSocket(url);
  const queue: Message[] = [];
  const waiters: ((m: Message) => void)[] = [];
  ws.on("message", (data) => {
    const m = JSON.parse(data.toString()) as Message;
    const w = waiters.shift();
    if (w) w(m);
    else queue.push(m);
  });
  const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  let id = 0;
  const next = (): Promise<Message> => {
    const m = queue.shift();
    return m ? Promise.resolve(m) : new Promise((resolve) => waiters.push(resolve));
  };
  const send = (method: string, params: unknown[] = []): void => ws.send(JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }));
  return { ws, next, closed, send, request: (method, params) => (send(method, params), next()) };
}

/** A lane where alice and bob are registered and funded (block 1) and bob rests asks on market 1 (block 2). */
function fundedLane(): FakeLaneBackend {
  const lane = new FakeLaneBackend();
  lane.fund([alice, bob, carol], 100_000n);
  lane.commitBlock();
  lane.submitOrder(signedOrder(bob, 1, [placeLeg(1, "sell", 1_000, 10, 1), placeLeg(1, "sell", 1_010, 5, 2)]).bytes);
  lane.commitBlock();
  return lane;
}

async function subscribe(c: Client, params: unknown[]): Promise<string> {
  const answer = await c.request("lane_subscribe", params);
  expect(answer.error, JSON.stringify(answer.error)).toBeUndefined();
  expect(answer.result).toMatch(/^0x[0-9a-f]{32}$/);
  return answer.result as string;
}

/** Resolves once the answer to a fresh request arrives, failing if any notification came first. */
async function expectNothingPending(c: Client): Promise<void> {
  expect(await c.request("lane_info")).toMatchObject({ result: { port: 9700 } });
}

const aliceTakes4 = { marketId: 1, priceTicks: 1_000, lots: 4, taker: alice.id, takerClientOrderId: 1, takerSide: "buy", maker: bob.id, makerClientOrderId: 1, takerFeeQuote: "4", makerFeeQuote: "2" };

describe("lane_subscribe fills", () => {
  it("delivers each block's fills after the subscribe answer, filtered by account on request", async () => {
    const lane = fundedLane();
    const t = await startServer({ lane });
    const c = await open(t.wsUrl);
    const all = await subscribe(c, ["fills"]);
    const mine = await subscribe(c, ["fills", { account: `0x${alice.id.slice(2).toUpperCase()}` }]);
    const carols = await subscribe(c, ["fills", { account: carol.id }]);
    lane.submitOrder(signedOrder(alice, 1, [placeLeg(1, "buy", 1_000, 4, 1)]).bytes);
    const s3 = lane.commitBlock();
    const result = { blockHeight: 3, blockHash: `0x${s3.hash}`, fills: [aliceTakes4] };
    expect(await c.next()).toEqual({ jsonrpc: "2.0", method: "lane_subscription", params: { subscription: all, result } });
    expect(await c.next()).toEqual({ jsonrpc: "2.0", method: "lane_subscription", params: { subscription: mine, result } });
    await expectNothingPending(c); // carol took no part
    lane.commitBlock(); // no fills: nothing at all
    await expectNothingPending(c);

    // Carol's IOC sweeps bob twice; only the fills she is in reach her, all of them reach `all`.
    lane.submitOrder(signedOrder(carol, 1, [placeLeg(1, "buy", 1_010, 7, 1, OrderFlag.Ioc)]).bytes);
    lane.commitBlock();
    const sweep = (await c.next()) as { params: { subscription: string; result: { blockHeight: number; fills: { maker: string; lots: number; priceTicks: number }[] } } };
    expect(sweep.params.subscription).toBe(all);
    expect(sweep.params.result.blockHeight).toBe(5);
    expect(sweep.params.result.fills.map((f) => [f.maker, f.priceTicks, f.lots])).toEqual([[bob.id, 1_000, 6], [bob.id, 1_010, 1]]);
    expect(await c.next()).toMatchObject({ params: { subscription: carols, result: { blockHeight: 5, fills: sweep.params.result.fills } } });
    await expectNothingPending(c);
    c.ws.close();
  });

  it("never delivers a block finalized while the subscribe request was being handled", async () => {
    const lane = fundedLane();
    const t = await startServer({ lane });
    const c = await open(t.wsUrl);
    lane.submitOrder(signedOrder(alice, 1, [placeLeg(1, "buy", 1_000, 4, 1)]).bytes);
    // A batch answers once both ran; block 3 is finalized inside lane_book, after lane_subscribe reserved its id.
    lane.onNextStateRead(() => lane.onNextStateRead(() => lane.commitBlock()));
    c.ws.send(JSON.stringify([
      { jsonrpc: "2.0", id: "s", method: "lane_subscribe", params: ["fills"] },
      { jsonrpc: "2.0", id: "b", method: "lane_book", params: [1, 1] },
    ]));
    const answer = (await c.next()) as unknown as [{ id: string; result: string }, { id: string; result: unknown }];
    expect(answer).toEqual([
      { jsonrpc: "2.0", id: "s", result: expect.stringMatching(/^0x[0-9a-f]{32}$/) },
      { jsonrpc: "2.0", id: "b", result: { marketId: 1, height: 3, bids: [], asks: [{ priceTicks: 1_000, lots: 6, orders: 1 }] } },
    ]);
    const id = answer[0].result;
    await expectNothingPending(c);
    lane.submitOrder(signedOrder(alice, 2, [placeLeg(1, "buy", 1_000, 1, 2)]).bytes);
    lane.commitBlock();
    expect(await c.next()).toMatchObject({ method: "lane_subscription", params: { subscription: id, result: { blockHeight: 4 } } });
    c.ws.close();
  });
});

describe("lane_subscribe book", () => {
  it("sends the market's depth after each block that changed its book, and only then", async () => {
    const lane = fundedLane();
    const t = await startServer({ lane });
    const c = await open(t.wsUrl);
    const top = await subscribe(c, ["book", { marketId: 1, depth: 1 }]);
    const full = await subscribe(c, ["book", { marketId: 1 }]);
    const other = await subscribe(c, ["book", { marketId: 2, depth: null }]);
    lane.submitOrder(signedOrder(alice, 1, [placeLeg(1, "buy", 990, 3, 1), placeLeg(1, "buy", 995, 1, 2)]).bytes);
    lane.commitBlock();
    const bids = [{ priceTicks: 995, lots: 1, orders: 1 }, { priceTicks: 990, lots: 3, orders: 1 }];
    const asks = [{ priceTicks: 1_000, lots: 10, orders: 1 }, { priceTicks: 1_010, lots: 5, orders: 1 }];
    expect(await c.next()).toEqual({
      jsonrpc: "2.0", method: "lane_subscription",
      params: { subscription: top, result: { marketId: 1, height: 3, bids: bids.slice(0, 1), asks: asks.slice(0, 1) } },
    });
    expect(await c.next()).toEqual({ jsonrpc: "2.0", method: "lane_subscription", params: { subscription: full, result: { marketId: 1, height: 3, bids, asks } } });
    await expectNothingPending(c); // market 2 did not change

    lane.submitOrder(signedOrder(bob, 2, [placeLeg(2, "sell", 2_100, 2, 3)]).bytes);
    lane.commitBlock();
    expect(await c.next()).toEqual({
      jsonrpc: "2.0", method: "lane_subscription",
      params: { subscription: other, result: { marketId: 2, height: 4, bids: [], asks: [{ priceTicks: 2_100, lots: 2, orders: 1 }] } },
    });
    await expectNothingPending(c);
    lane.commitBlock(); // nothing changed anywhere
    await expectNothingPending(c);
    c.ws.close();
  });
});

describe("lane_unsubscribe and limits", () => {
  it("stops delivery; eth_ and lane_ ids are not interchangeable", async () => {
    const lane = fundedLane();
    const t = await startServer({ lane });
    const c = await open(t.wsUrl);
    const id = await subscribe(c, ["book", { marketId: 1 }]);
    const head = (await c.request("eth_subscribe", ["newHeads"])).result as string;
    expect((await c.request("eth_unsubscribe", [id])).result).toBe(false);
    expect((await c.request("lane_unsubscribe", [head])).result).toBe(false);
    expect((await c.request("lane_unsubscribe", [id])).result).toBe(true);
    expect((await c.request("lane_unsubscribe", [id])).result).toBe(false);
    lane.submitOrder(signedOrder(alice, 1, [placeLeg(1, "buy", 990, 3, 1)]).bytes);
    lane.commitBlock();
    await expectNothingPending(c);
    expect((await c.request("lane_unsubscribe", [5])).error).toEqual({ code: -32602, message: "invalid argument 0 (subscription id): must be a hex string" });
    c.ws.close();
  });

  it("counts lane_ and eth_ subscriptions against one per-connection cap", async () => {
    const t = await startServer({ lane: fundedLane(), limits: { wsSubscriptionsPerConnectionMax: 2 } });
    const c = await open(t.wsUrl);
    await subscribe(c, ["fills"]);
    expect((await c.request("eth_subscribe", ["newHeads"])).result).toBeDefined();
    expect((await c.request("lane_subscribe", ["book", { marketId: 1 }])).error).toEqual({ code: -32005, message: "too many subscriptions on this connection (limit 2)" });
    c.ws.close();
  });

  it("refuses unknown topics and bad options", async () => {
    const t = await startServer({ lane: fundedLane() });
    const c = await open(t.wsUrl);
    const cases: [unknown[], { code: number; message: string }][] = [
      [[], { code: -32602, message: "missing value for required argument 0" }],
      [["trades"], { code: -32602, message: 'invalid argument 0 (subscription type): unsupported subscription type "trades", expected "fills" or "book"' }],
      [[7], { code: -32602, message: 'invalid argument 0 (subscription type): unsupported subscription type a non-string, expected "fills" or "book"' }],
      [["fills", { account: "0x12" }], { code: -32602, message: "invalid argument 1 (options): account address must be 0x followed by 40 hex digits" }],
      [["fills", { marketId: 1 }], { code: -32602, message: 'invalid argument 1 (options): unknown field "marketId", expected account' }],
      [["fills", "all"], { code: -32602, message: "invalid argument 1 (options): must be an object" }],
      [["book"], { code: -32602, message: "invalid argument 1 (options): book needs { marketId, depth? }" }],
      [["book", { marketId: 9 }], { code: -32001, message: "market 9 does not exist (markets: 1, 2)" }],
      [["book", { marketId: "1" }], { code: -32602, message: "invalid argument 1 (options): marketId: must be an integer in [0, 65535]" }],
      [["book", { marketId: 1, depth: 501 }], { code: -32602, message: "invalid argument 1 (options): depth: must be an integer in [1, 500]" }],
      [["book", { marketId: 1 }, 3], { code: -32602, message: "too many arguments, want at most 2" }],
    ];
    for (const [params, error] of cases) expect((await c.request("lane_subscribe", params)).error, JSON.stringify(params)).toEqual(error);
    c.ws.close();
  });

  it("answers 'not enabled' over WebSocket when the node runs no lane", async () => {
    const t = await startServer();
    const c = await open(t.wsUrl);
    expect((await c.request("lane_subscribe", ["fills"])).error).toEqual({ code: -32601, message: LANE_NOT_ENABLED });
    expect((await c.request("lane_unsubscribe", ["0x01"])).error).toEqual({ code: -32601, message: LANE_NOT_ENABLED });
    c.ws.close();
  });
});

describe("fan-out", () => {
  it("uses one backend listener for every connection and detaches on close", async () => {
    const lane = fundedLane();
    const t = await startServer({ lane });
    expect(lane.listenerCount).toBe(1);
    const a = await open(t.wsUrl);
    const b = await open(t.wsUrl);
    const idA = await subscribe(a, ["fills", { account: bob.id }]);
    const idB = await subscribe(b, ["fills"]);
    expect(lane.listenerCount).toBe(1);
    lane.submitOrder(signedOrder(alice, 1, [placeLeg(1, "buy", 1_000, 4, 1)]).bytes);
    const s = lane.commitBlock();
    const result = { blockHeight: 3, blockHash: `0x${s.hash}`, fills: [aliceTakes4] };
    expect(await a.next()).toEqual({ jsonrpc: "2.0", method: "lane_subscription", params: { subscription: idA, result } });
    expect(await b.next()).toEqual({ jsonrpc: "2.0", method: "lane_subscription", params: { subscription: idB, result } });
    a.ws.close();
    await a.closed;
    lane.submitOrder(signedOrder(alice, 2, [placeLeg(1, "buy", 1_000, 1, 2)]).bytes);
    lane.commitBlock();
    expect(await b.next()).toMatchObject({ params: { subscription: idB, result: { blockHeight: 4 } } });
    await t.server.close();
    expect(await b.closed).toBe(1006);
    expect(lane.listenerCount).toBe(0);
    lane.commitBlock();
  });
});
