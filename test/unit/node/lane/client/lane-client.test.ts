// The lane client against fake nodes on loopback: its datagrams decode (order-codec.ts) to the intended legs
// under a valid signature, reach every target (explicit or found with lane_info), nonces and client order ids
// only increase and survive reopening the key file, bad input fails before anything is spent, batches stop at
// 32 legs, and waitForOrder follows lane_orderStatus (resending a datagram no node has seen).
import * as dgram from "node:dgram";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { nobleVerify } from "../../../../../consensus/crypto/ed25519.ts";
import { toHex } from "../../../../../consensus/crypto/hash.ts";
import { decodeOrderAction, orderId, UDP_PAYLOAD_BYTES_MAX } from "../../../../../consensus/lane/order-codec.ts";
import { validateOrderAction } from "../../../../../consensus/lane/order-validation.ts";
import { ActionKind, MARKET_ALL, OrderFlag, Side, TriggerKind, type OrderAction } from "../../../../../consensus/lane/order.ts";
import { LaneClient, NONCE_RESERVE } from "../../../../../node/lane/client/lane-client.ts";
import { LaneClientError } from "../../../../../node/lane/client/lane-client-error.ts";
import type { LegSpec } from "../../../../../node/lane/client/order-legs.ts";
import { TradingKeyFile } from "../../../../../node/lane/client/trading-key-file.ts";
import { makeTempDirs } from "../../../../support/temp-dirs.ts";
import { CHAIN_ID, until, useFakeLaneNodes } from "./fake-lane-node.ts";

const tmp = makeTempDirs();
const sockets: dgram.Socket[] = [];
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => new Promise<void>((ok) => s.close(() => ok()))));
  tmp.cleanup();
});
const fakeNode = useFakeLaneNodes();
const ACCOUNT = Uint8Array.from({ length: 20 }, (_, i) => i + 1);
const SEED = new Uint8Array(32).fill(7);

async function receiver(): Promise<{ port: number; got: Buffer[] }> {
  const s = dgram.createSocket("udp4");
  sockets.push(s);
  const got: Buffer[] = [];
  s.on("message", (m) => got.push(m));
  await new Promise<void>((ok) => s.bind(0, "127.0.0.1", () => ok()));
  return { port: s.address().port, got };
}

function keyFile(): TradingKeyFile {
  const k = TradingKeyFile.generate(path.join(tmp.make(), "lane-key.json"), { seed: SEED });
  k.setAccount(ACCOUNT);
  return k;
}

function decoded(bytes: Uint8Array): OrderAction {
  const d = decodeOrderAction(bytes);
  if (!d.ok) throw new Error(d.detail);
  return d.value;
}

async function client(o: { key?: TradingKeyFile; nowUs?: () => bigint; targets?: { host: string; port: number }[] } = {}) {
  const node = await fakeNode();
  const c = await LaneClient.open({ rpcUrls: [node.url], key: o.key ?? keyFile(), ...(o.nowUs ? { nowUs: o.nowUs } : {}), ...(o.targets ? { targets: o.targets, chainId: CHAIN_ID } : {}) });
  return { node, c };
}

async function expectCode(p: Promise<unknown> | (() => unknown), code: string, message?: RegExp): Promise<void> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (err) {
    expect(err).toBeInstanceOf(LaneClientError);
    expect((err as LaneClientError).code).toBe(code);
    if (message) expect((err as Error).message).toMatch(message);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe("LaneClient datagrams", () => {
  it("sends one signed place to three loopback targets; it decodes to the intended leg and validates", async () => {
    const targets = await Promise.all([receiver(), receiver(), receiver()]);
    const { c } = await client({ targets: targets.map((t) => ({ host: "127.0.0.1", port: t.port })) });
    const sent = await c.place({ market: "btc-perp", side: "buy", price: "60000.5", size: "0.01", tif: "ioc", reduceOnly: true, goodTilBlock: 99 });
    await until(() => targets.every((t) => t.got.length === 1));
    expect(sent.sent).toEqual({ sent: 3, failed: [] });
    for (const t of targets) expect(Buffer.compare(t.got[0]!, Buffer.from(sent.bytes))).toBe(0);
    const action = decoded(new Uint8Array(targets[0]!.got[0]!));
    expect(action.chainId).toBe(CHAIN_ID);
    expect(toHex(action.account)).toBe(toHex(ACCOUNT));
    expect(action.goodTilBlock).toBe(99n);
    expect(action.legs).toEqual([{
      marketId: 1, action: ActionKind.Place, side: Side.Buy, flags: OrderFlag.Ioc | OrderFlag.ReduceOnly, triggerKind: TriggerKind.None,
      priceTicks: 600_005n, sizeLots: 10n, triggerPriceTicks: 0n, clientOrderId: 1, targetClientOrderId: 0,
    }]);
    expect(sent.clientOrderIds).toEqual([1]);
    expect(sent.orderId).toBe(`0x${toHex(orderId(action))}`);
    expect(validateOrderAction(action, { chainId: CHAIN_ID, heightBlocks: 5n, verify: nobleVerify })).toEqual({ action: "accept" });
    await c.close();
  });

  it("finds its targets with lane_info on every RPC URL and sends to each node's UDP port", async () => {
    const [a, b] = [await fakeNode(), await fakeNode()];
    const c = await LaneClient.open({ rpcUrls: [a.url, b.url], key: keyFile() });
    expect(c.chainId).toBe(CHAIN_ID);
    expect(c.targets).toEqual([`127.0.0.1:${a.udpPort}`, `127.0.0.1:${b.udpPort}`]);
    await c.cancel("ETH-PERP", 12);
    await until(() => a.datagrams.length === 1 && b.datagrams.length === 1);
    const leg = decoded(new Uint8Array(a.datagrams[0]!)).legs[0]!;
    expect(leg).toMatchObject({ marketId: 2, action: ActionKind.Cancel, side: Side.None, flags: 0, clientOrderId: 0, targetClientOrderId: 12 });
    await c.close();
  });

  it("says clearly when no node answers lane_info and no target is given", async () => {
    await expectCode(LaneClient.open({ rpcUrls: ["http://127.0.0.1:9"], key: keyFile() }), "LANE_CLIENT_ERROR_NO_TARGETS", /lane_info answered on none/);
  });

  it("refuses a key file that names no account yet", async () => {
    const node = await fakeNode();
    const key = TradingKeyFile.generate(path.join(tmp.make(), "k.json"));
    await expectCode(LaneClient.open({ rpcUrls: [node.url], key }), "LANE_CLIENT_ERROR_KEY_FILE", /register the key first/);
  });

  it("builds cancel-all (one market or all), replace, stop and post-only legs", async () => {
    const { node, c } = await client();
    await c.cancelAll();
    await c.cancelAll("BTC-PERP");
    await c.replace({ market: 1, side: "sell", targetClientOrderId: 4, priceTicks: 600_100, sizeLots: 3, postOnly: true });
    await c.place({ market: "ETH-PERP", side: "sell", price: 2900, size: "1.5", tif: "gtc", trigger: { kind: "stop", price: "2950.01" } });
    await until(() => node.datagrams.length === 4);
    const legs = node.datagrams.map((d) => decoded(new Uint8Array(d)).legs[0]!);
    expect(legs[0]).toMatchObject({ marketId: MARKET_ALL, action: ActionKind.CancelAll, targetClientOrderId: 0 });
    expect(legs[1]).toMatchObject({ marketId: 1, action: ActionKind.CancelAll });
    expect(legs[2]).toMatchObject({ action: ActionKind.Replace, side: Side.Sell, flags: OrderFlag.Gtc | OrderFlag.PostOnly, priceTicks: 600_100n, sizeLots: 3n, clientOrderId: 1, targetClientOrderId: 4 });
    expect(legs[3]).toMatchObject({ marketId: 2, flags: OrderFlag.Gtc, triggerKind: TriggerKind.Stop, triggerPriceTicks: 295_001n, priceTicks: 290_000n, sizeLots: 150n, clientOrderId: 2 });
    await c.close();
  });

  it("can send through lane_sendOrder instead of UDP", async () => {
    const node = await fakeNode();
    const c = await LaneClient.open({ rpcUrls: [node.url], key: keyFile(), via: "rpc" });
    const sent = await c.cancelAll();
    expect(node.callsOf("lane_sendOrder")).toEqual([[`0x${toHex(sent.bytes)}`]]);
    expect(node.callsOf("lane_info")).toEqual([]);
    await c.close();
  });
});

describe("LaneClient nonces and client order ids", () => {
  it("nonces are seeded from the clock once, then consecutive (the clock moving on does not jump them); ids increase", async () => {
    let now = 1_000_000n;
    const { c } = await client({ nowUs: () => (now += 5_000n) - 5_000n });
    const a = await c.place({ market: 1, side: "buy", priceTicks: 590_000, sizeLots: 1, tif: "post-only" });
    const b = await c.place({ market: 1, side: "buy", priceTicks: 590_001, sizeLots: 1, tif: "post-only" });
    const d = await c.batch([{ kind: "cancel-all", market: 1 }, { kind: "place", market: 1, side: "sell", priceTicks: 610_000, sizeLots: 2, tif: "gtc" }, { kind: "place", market: 1, side: "sell", priceTicks: 610_001, sizeLots: 2, tif: "gtc" }]);
    expect([a.nonce, b.nonce, d.nonce]).toEqual([1_000_000n, 1_000_001n, 1_000_002n]);
    expect([...a.clientOrderIds, ...b.clientOrderIds, ...d.clientOrderIds]).toEqual([1, 2, 3, 4]);
    await c.close();
  });

  it("a reopened key file never reuses a nonce or a client order id, even when the clock went back", async () => {
    const key = keyFile();
    const first = await client({ key, nowUs: () => 5_000_000_000n });
    const before = await first.c.place({ market: 1, side: "buy", priceTicks: 590_000, sizeLots: 1, tif: "gtc" });
    await first.c.close();
    const reopened = TradingKeyFile.load(key.file);
    expect(reopened.nextClientOrderId).toBeGreaterThan(before.clientOrderIds[0]!);
    expect(reopened.nonceFloor).toBe(before.nonce + NONCE_RESERVE);
    const second = await client({ key: reopened, nowUs: () => 1n });
    const after = await second.c.place({ market: 1, side: "buy", priceTicks: 590_000, sizeLots: 1, tif: "gtc" });
    expect(after.nonce).toBeGreaterThan(before.nonce);
    expect(after.clientOrderIds[0]).toBeGreaterThan(before.clientOrderIds[0]!);
    await second.c.close();
  });

  it("starts client order ids above the highest lane_account reports", async () => {
    const node = await fakeNode();
    node.handlers.set("lane_account", () => ({ collateralQuote: "0", positions: [], tradingKeys: [], lastClientOrderId: 900 }));
    const c = await LaneClient.open({ rpcUrls: [node.url], key: keyFile() });
    expect((await c.cancelAll()).clientOrderIds).toEqual([]);
    expect((await c.place({ market: 1, side: "buy", priceTicks: 1, sizeLots: 1, tif: "gtc" })).clientOrderIds).toEqual([901]);
    await c.close();
  });
});

describe("LaneClient input errors", () => {
  it("names unknown markets, prices off the tick and sizes off the lot; nothing is spent on a refusal", async () => {
    const { node, c } = await client({ nowUs: () => 10n });
    const place = (o: Partial<Parameters<LaneClient["place"]>[0]>) => c.place({ market: "BTC-PERP", side: "buy", price: "60000", size: "0.01", tif: "gtc", ...o });
    await expectCode(place({ market: "DOGE-PERP" }), "LANE_CLIENT_ERROR_BAD_ORDER", /unknown market 'DOGE-PERP'; markets: BTC-PERP \(1\), ETH-PERP \(2\)/);
    await expectCode(place({ price: "60000.05" }), "LANE_CLIENT_ERROR_BAD_ORDER", /60000.05 is not a whole tick of BTC-PERP \(tick size 0.1\)/);
    await expectCode(place({ size: "0.0015" }), "LANE_CLIENT_ERROR_BAD_ORDER", /size 0.0015 is not a whole lot of BTC-PERP \(lot size 0.001\)/);
    await expectCode(place({ price: "1e5" }), "LANE_CLIENT_ERROR_BAD_ORDER", /not a plain decimal/);
    await expectCode(place({ price: undefined, priceTicks: 4_000_001 }), "LANE_CLIENT_ERROR_BAD_ORDER", /outside 1..4000000/);
    await expectCode(place({ priceTicks: 5 }), "LANE_CLIENT_ERROR_BAD_ORDER", /exactly one of price and price in ticks/);
    await expectCode(place({ size: undefined, sizeLots: 0 }), "LANE_CLIENT_ERROR_BAD_ORDER", /size 0 lots is outside/);
    await expectCode(place({ tif: "post-only", trigger: { kind: "stop", price: "59000" } }), "LANE_CLIENT_ERROR_BAD_ORDER", /triggered order cannot be post-only/);
    await expectCode(place({ side: "hold" as "buy" }), "LANE_CLIENT_ERROR_BAD_ORDER", /side must be buy or sell/);
    await expectCode(c.cancel("BTC-PERP", 0), "LANE_CLIENT_ERROR_BAD_ORDER", /client order id to cancel/);
    const ok = await place({});
    expect(ok.clientOrderIds).toEqual([1]);
    expect(ok.nonce).toBe(10n);
    await until(() => node.datagrams.length === 1);
    await c.close();
  });

  it("carries 32 legs in one datagram and refuses 33 or none", async () => {
    const { node, c } = await client({ nowUs: () => 77n });
    const leg = (i: number): LegSpec => ({ kind: "place", market: 1, side: i % 2 ? "sell" : "buy", priceTicks: i % 2 ? 600_001 + i : 599_999 - i, sizeLots: 1, tif: "post-only" });
    const legs = [{ kind: "cancel-all", market: 1 } as LegSpec, ...Array.from({ length: 31 }, (_, i) => leg(i))];
    const sent = await c.batch(legs);
    expect(sent.bytes.length).toBeLessThanOrEqual(UDP_PAYLOAD_BYTES_MAX);
    expect(sent.clientOrderIds).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    await until(() => node.datagrams.length === 1);
    expect(decoded(new Uint8Array(node.datagrams[0]!)).legs).toHaveLength(32);
    await expectCode(c.batch([...legs, leg(40)]), "LANE_CLIENT_ERROR_LEG_COUNT", /1..32 legs, got 33/);
    await expectCode(c.batch([]), "LANE_CLIENT_ERROR_LEG_COUNT");
    await expectCode(c.batch([legs[0]!, { ...leg(1), market: "NOPE" } as LegSpec]), "LANE_CLIENT_ERROR_BAD_ORDER", /^LANE_CLIENT_ERROR_BAD_ORDER: leg 1: unknown market/);
    expect((await c.cancelAll()).nonce).toBe(sent.nonce + 1n);
    await c.close();
  });
});

describe("LaneClient.waitForOrder", () => {
  it("reports progress and returns the executed status", async () => {
    const { node, c } = await client();
    let polls = 0;
    const base = node.orderStatus;
    node.orderStatus = (a, id) => (++polls < 3 ? { orderId: id, account: "0x", status: "pending" } : base(a, id));
    const sent = await c.place({ market: 1, side: "buy", priceTicks: 600_100, sizeLots: 10, tif: "ioc" });
    const seen: string[] = [];
    const status = await c.waitForOrder(sent.orderId, { timeoutMs: 10_000, onProgress: (p) => seen.push(p.status) });
    expect(status.status).toBe("executed");
    expect(status.outcome?.events?.[0]).toMatchObject({ type: "fill", lots: 10, priceTicks: 600_100 });
    expect(seen).toContain("pending");
    expect(seen.at(-1)).toBe("executed");
    await c.close();
  });

  it("resends the datagram while no node knows the order, and times out with a coded error", async () => {
    const { node, c } = await client();
    node.orderStatus = () => null;
    const sent = await c.cancelAll();
    await expectCode(c.waitForOrder(sent.orderId, { timeoutMs: 1_200, resendAfterMs: 300, resendMax: 2 }), "LANE_CLIENT_ERROR_TIMEOUT", /still unknown after 1200 ms/);
    await until(() => node.datagrams.length === 3);
    expect(new Set(node.datagrams.map((d) => d.toString("hex"))).size).toBe(1);
    await c.close();
  });

  it("stops waiting when its signal aborts", async () => {
    const { node, c } = await client();
    node.orderStatus = () => null;
    const sent = await c.cancelAll();
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 100);
    await expectCode(c.waitForOrder(sent.orderId, { timeoutMs: 10_000, signal: stop.signal }), "LANE_CLIENT_ERROR_ABORTED");
    await c.close();
  });
});
