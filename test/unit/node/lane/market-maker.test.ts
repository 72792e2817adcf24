// The devnet market maker: its requote legs (cancel-all, then post-only levels strictly around the mark, inside
// the market's ranges, one action), and a run against a fake node: it registers its key and deposits, requotes
// every market each interval over UDP, counts refused legs by code, and cancels everything when stopped.
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { toHex } from "../../../../consensus/crypto/hash.ts";
import { WEI_PER_QUOTE } from "../../../../consensus/lane/lane-call.ts";
import { decodeOrderAction } from "../../../../consensus/lane/order-codec.ts";
import { ActionKind, MARKET_ALL, OrderFlag, type OrderAction } from "../../../../consensus/lane/order.ts";
import { devAccounts } from "../../../../genesis/devnet-accounts.ts";
import { findMarket, parseLaneMarkets } from "../../../../node/lane/client/market-units.ts";
import { TradingKeyFile } from "../../../../node/lane/client/trading-key-file.ts";
import { MARKET_MAKER_LEVELS_MAX, MarketMaker, quoteLegs } from "../../../../node/lane/market-maker.ts";
import { makeTempDirs } from "../../../support/temp-dirs.ts";
import { executedStatus, marketsJson, until, useFakeLaneNodes } from "./client/fake-lane-node.ts";

const tmp = makeTempDirs();
afterEach(() => tmp.cleanup());
const fakeNode = useFakeLaneNodes();
const btc = findMarket(parseLaneMarkets(marketsJson()), "BTC-PERP");
const DEV9 = devAccounts(1, 9)[0]!;

function decoded(b: Buffer): OrderAction {
  const d = decodeOrderAction(new Uint8Array(b));
  if (!d.ok) throw new Error(d.detail);
  return d.value;
}

describe("quoteLegs", () => {
  it("cancels the market then places post-only levels that never cross the mark", () => {
    const legs = quoteLegs(btc, { levels: 5, lotsPerLevel: 5, spacingBps: 2 });
    expect(legs[0]).toEqual({ kind: "cancel-all", market: 1 });
    const places = legs.slice(1) as Extract<(typeof legs)[number], { kind: "place" }>[];
    expect(places).toHaveLength(10);
    expect(places.every((l) => l.kind === "place" && l.tif === "post-only" && l.sizeLots === 5)).toBe(true);
    const bids = places.filter((l) => l.side === "buy").map((l) => Number(l.priceTicks));
    const asks = places.filter((l) => l.side === "sell").map((l) => Number(l.priceTicks));
    expect(bids).toEqual([599_880, 599_760, 599_640, 599_520, 599_400]);
    expect(asks).toEqual([600_120, 600_240, 600_360, 600_480, 600_600]);
  });

  it("fits one action at the most levels, stays inside the price range, and is at least a tick apart", () => {
    expect(quoteLegs(btc, { levels: MARKET_MAKER_LEVELS_MAX, lotsPerLevel: 1, spacingBps: 1 })).toHaveLength(1 + 2 * MARKET_MAKER_LEVELS_MAX);
    expect(() => quoteLegs(btc, { levels: MARKET_MAKER_LEVELS_MAX + 1, lotsPerLevel: 1, spacingBps: 1 })).toThrow(/levels must be/);
    const low = quoteLegs({ ...btc, markTicks: 3 }, { levels: 4, lotsPerLevel: 1, spacingBps: 0 });
    expect(low.filter((l) => l.kind === "place" && l.side === "buy").map((l) => (l as { priceTicks: number }).priceTicks)).toEqual([2, 1]);
    const high = quoteLegs({ ...btc, markTicks: btc.maxPriceTicks - 1 }, { levels: 3, lotsPerLevel: 1, spacingBps: 0 });
    expect(high.filter((l) => l.kind === "place" && l.side === "sell")).toHaveLength(1);
  });
});

describe("MarketMaker", () => {
  it("registers, deposits, requotes every market over UDP, counts refusals and cancels everything on stop", async () => {
    const node = await fakeNode();
    node.orderStatus = (a, id) => {
      const s = executedStatus(a, id) as { outcome: { legs: { ok: boolean; code?: string }[] } };
      s.outcome.legs[1] = { ok: false, code: "ENGINE_REJECT_POST_ONLY_WOULD_CROSS" };
      return s;
    };
    const lines: string[] = [];
    const keyFile = path.join(tmp.make(), "mm", "lane-key.json");
    const maker = new MarketMaker({
      rpcUrls: [node.url], walletKey: DEV9.privateKey, keyFile, depositQuote: 5_000_000_000n, intervalMs: 50,
      levels: 2, lotsPerLevel: 3, spacingBps: 2, log: (l) => lines.push(l),
    });
    const stop = new AbortController();
    const running = maker.run(stop.signal);
    await until(() => node.datagrams.length >= 6 && maker.stats.legsRejected >= 2, 10_000);
    stop.abort();
    await running;
    await until(() => decoded(node.datagrams.at(-1)!).legs[0]!.marketId === MARKET_ALL);
    expect(node.txs.map((t) => t.from)).toEqual([`0x${toHex(DEV9.address)}`, `0x${toHex(DEV9.address)}`]);
    expect([...node.txs[0]!.decoded.tx.data.subarray(1)]).toEqual([...TradingKeyFile.load(keyFile).publicKey]);
    expect(node.txs[1]!.decoded.tx.value).toBe(5_000_000_000n * WEI_PER_QUOTE);
    const actions = node.datagrams.map(decoded);
    expect(actions[0]!.legs.map((l) => [l.marketId, l.action])).toEqual([[1, ActionKind.CancelAll], [1, ActionKind.Place], [1, ActionKind.Place], [1, ActionKind.Place], [1, ActionKind.Place]]);
    expect(actions[1]!.legs[0]).toMatchObject({ marketId: 2, action: ActionKind.CancelAll });
    expect(actions[0]!.legs.slice(1).every((l) => l.flags === (OrderFlag.Gtc | OrderFlag.PostOnly) && l.sizeLots === 3n)).toBe(true);
    expect(actions.at(-1)!.legs).toEqual([expect.objectContaining({ marketId: MARKET_ALL, action: ActionKind.CancelAll })]);
    const ids = actions.flatMap((a) => a.legs.map((l) => l.clientOrderId)).filter((id) => id !== 0);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    expect(maker.stats.rejectionsByCode.get("ENGINE_REJECT_POST_ONLY_WOULD_CROSS")).toBe(maker.stats.legsRejected);
    expect(lines.some((l) => /registered trading key/.test(l))).toBe(true);
    expect(lines.some((l) => /deposited 5000 /.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/stopped: rounds \d+, .*legs rejected [1-9].*ENGINE_REJECT_POST_ONLY_WOULD_CROSS/);
  });

  it("sends no transaction when its key is registered and its collateral is enough", async () => {
    const node = await fakeNode();
    const keyFile = path.join(tmp.make(), "k.json");
    const key = TradingKeyFile.generate(keyFile);
    node.handlers.set("lane_account", () => ({ collateralQuote: "4000000000", tradingKeys: [key.publicKeyHex] }));
    const maker = new MarketMaker({ rpcUrls: [node.url], walletKey: DEV9.privateKey, keyFile, depositQuote: 5_000_000_000n, intervalMs: 1_000, levels: 1, lotsPerLevel: 1, spacingBps: 1, markets: ["ETH-PERP"], log: () => undefined });
    const stop = new AbortController();
    const running = maker.run(stop.signal);
    await until(() => node.datagrams.length >= 1);
    stop.abort();
    await running;
    expect(node.txs).toEqual([]);
    expect(decoded(node.datagrams[0]!).legs.map((l) => l.marketId)).toEqual([2, 2, 2]);
  });
});
