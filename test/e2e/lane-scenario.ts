// The order-lane scenario run on a real devnet (loopback UDP in test/e2e, AF_XDP in namespaces in test/netns):
// two wallets register trading keys and deposit collateral with ordinary viem transactions to the lane system
// address; a maker rests post-only asks and a taker sends an IOC buy, each as signed datagrams to every
// validator's lane port; the taker is filled at the maker's price, and every validator ends with the same state
// root and the same positions. Also sends garbage, a bad signature and a replay, which must change nothing.

import * as dgram from "node:dgram";
import { expect } from "vitest";
import { createPublicClient, createWalletClient, defineChain, http, type Hex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { keyPairFromSeed } from "../../consensus/crypto/ed25519.ts";
import { fromHex, sha256, toHex } from "../../consensus/crypto/hash.ts";
import { encodeLaneCall, LANE_ADDRESS, LaneOp, WEI_PER_QUOTE } from "../../consensus/lane/lane-call.ts";
import { decodeOrderAction, encodeOrderAction, orderId, signOrderAction } from "../../consensus/lane/order-codec.ts";
import { ActionKind, OrderFlag, Side, TriggerKind, type OrderLeg } from "../../consensus/lane/order.ts";
import { rpcCall } from "../../node/devnet/rpc-client.ts";
import { DEV_MNEMONIC, type Devnet } from "./devnet-scenario.ts";

const BTC = 1;

export interface Trader {
  address: Hex;
  index: number;
  key: { publicKey: Uint8Array; secretKey: Uint8Array };
  nonce: bigint;
}

export function trader(index: number): Trader {
  const account = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: index });
  return { address: account.address, index, key: keyPairFromSeed(sha256(new TextEncoder().encode(`lane e2e trader ${index}`))), nonce: 1n };
}

export function leg(over: Partial<OrderLeg>): OrderLeg {
  return {
    marketId: BTC, action: ActionKind.Place, side: Side.Buy, flags: OrderFlag.Gtc, triggerKind: TriggerKind.None,
    priceTicks: 0n, sizeLots: 0n, triggerPriceTicks: 0n, clientOrderId: 0, targetClientOrderId: 0, ...over,
  };
}

export function orderBytes(net: Devnet, t: Trader, legs: OrderLeg[]): Uint8Array {
  const body = { version: 1, chainId: net.plan.chainId, account: fromHex(t.address), tradingKey: t.key.publicKey, nonce: t.nonce++, goodTilBlock: 0n, legs };
  return encodeOrderAction(signOrderAction(body, t.key.secretKey));
}

/** Sends one datagram to every validator's lane port (clients send to several validators). */
async function sendToAll(net: Devnet, lanes: { host: string; port: number }[], bytes: Uint8Array): Promise<void> {
  const socket = dgram.createSocket("udp4");
  try {
    for (const l of lanes) await new Promise<void>((resolve, reject) => socket.send(bytes, l.port, l.host, (err) => (err ? reject(err) : resolve())));
  } finally {
    socket.close();
  }
}

export async function systemCall(net: Devnet, t: Trader, data: Uint8Array, valueWei: bigint): Promise<void> {
  const chain = defineChain({ id: Number(net.plan.chainId), name: "xdpchain devnet", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [net.url(0)] } } });
  const account = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: t.index });
  const wallet = createWalletClient({ account, chain, transport: http(net.url(0)) });
  const reader = createPublicClient({ chain, transport: http(net.url(1)) });
  const hash = await wallet.sendTransaction({ to: `0x${Buffer.from(LANE_ADDRESS).toString("hex")}`, data: `0x${Buffer.from(data).toString("hex")}`, value: valueWei });
  const receipt = await reader.waitForTransactionReceipt({ hash, timeout: 30_000, pollingInterval: 250 });
  expect(receipt.status).toBe("success");
}

interface OrderStatus {
  status: string;
  blockHeight?: number;
  outcome?: { rejected?: { code: string }; legs: { ok: boolean; code?: string }[] };
}

async function waitExecuted(net: Devnet, id: string, what: string): Promise<OrderStatus> {
  let last: OrderStatus | null = null;
  await net.waitFor(`${what} executes`, async () => {
    last = await rpcCall<OrderStatus | null>(net.url(0), "lane_orderStatus", [id]).catch(() => null);
    return last !== null && (last.status === "executed" || last.status === "rejected");
  }, 30_000);
  return last!;
}

export function idOf(bytes: Uint8Array): string {
  const decoded = decodeOrderAction(bytes);
  if (!decoded.ok) throw new Error(decoded.detail);
  return toHex(orderId(decoded.value));
}

/** Runs on a devnet of 4 validators that already finalizes. */
export async function runLaneScenario(net: Devnet, validators: number[]): Promise<void> {
  const infos = await Promise.all(validators.map((i) => rpcCall<{ host: string; port: number; ingest: string; reason: string }>(net.url(i), "lane_info")));
  console.log(`lane: ingest ${infos.map((x) => `${x.ingest}@${x.host}:${x.port}`).join(", ")} (${infos[0]!.reason})`);
  const lanes = infos.map((x) => ({ host: x.host, port: x.port }));

  const maker = trader(2);
  const taker = trader(3);
  for (const t of [maker, taker]) {
    await systemCall(net, t, encodeLaneCall({ op: LaneOp.RegisterKey, tradingKey: t.key.publicKey }), 0n);
    await systemCall(net, t, encodeLaneCall({ op: LaneOp.Deposit }), 5_000n * 1_000_000n * WEI_PER_QUOTE); // 5,000 quote (USD)
  }
  const acct = await rpcCall<{ collateralQuote: string }>(net.url(2), "lane_account", [maker.address]);
  expect(acct.collateralQuote).toBe(String(5_000n * 1_000_000n));

  // Garbage, a wrong signature: dropped at ingest, nothing executes.
  const good = orderBytes(net, maker, [leg({ side: Side.Sell, flags: OrderFlag.Gtc | OrderFlag.PostOnly, priceTicks: 600_100n, sizeLots: 5n, clientOrderId: 1 })]);
  const forged = good.slice();
  forged[forged.length - 1]! ^= 0xff;
  await sendToAll(net, lanes, Uint8Array.of(1, 2, 3));
  await sendToAll(net, lanes, forged);

  const askId = (await rpcCall<{ orderId: string }>(net.url(0), "lane_sendOrder", [`0x${Buffer.from(good).toString("hex")}`])).orderId;
  expect(askId.replace(/^0x/, "")).toBe(idOf(good));
  await sendToAll(net, lanes, good); // the same order over UDP as well: a duplicate, executed once
  const ask = await waitExecuted(net, askId, "the maker's post-only ask");
  expect(ask.status).toBe("executed");
  expect(ask.outcome!.legs.map((l) => l.ok)).toEqual([true]);

  const buy = orderBytes(net, taker, [leg({ side: Side.Buy, flags: OrderFlag.Ioc, priceTicks: 600_200n, sizeLots: 2n, clientOrderId: 1 })]);
  await sendToAll(net, lanes, buy);
  const fills = await (async () => {
    let got: { priceTicks: number; lots: number; liquidity: string }[] = [];
    await net.waitFor("the taker is filled", async () => {
      got = await rpcCall<typeof got>(net.url(3), "lane_fills", [taker.address, 10]);
      return got.length > 0;
    }, 30_000);
    return got;
  })();
  expect(fills[0]).toMatchObject({ priceTicks: 600_100, lots: 2, liquidity: "taker" });
  expect((await waitExecuted(net, idOf(buy), "the taker's IOC")).status).toBe("executed");

  // A replay of the executed ask (same nonce) is refused by every validator: still one resting order of 3 lots.
  await sendToAll(net, lanes, good);

  // Every validator agrees: same positions and, at one height, the same state root.
  await net.waitFor("every validator has executed the fill", async () => {
    const accts = await Promise.all(validators.map((i) => rpcCall<{ positions: { marketId: number; sizeLots: number }[] }>(net.url(i), "lane_account", [taker.address])));
    return accts.every((a) => a.positions.some((p) => p.marketId === BTC && p.sizeLots === 2));
  }, 30_000);
  const heights = (await net.heights()).filter((h) => h !== null) as number[];
  const h = Math.min(...heights);
  const roots = await Promise.all(validators.map((i) => rpcCall<{ stateRoot: string }>(net.url(i), "eth_getBlockByNumber", [`0x${h.toString(16)}`, false])));
  expect(new Set(roots.map((b) => b.stateRoot)).size).toBe(1);
  const books = await Promise.all(validators.map((i) => rpcCall<{ asks: { priceTicks: number; lots: number }[] }>(net.url(i), "lane_book", [BTC, 5])));
  for (const b of books) expect(b.asks[0]).toMatchObject({ priceTicks: 600_100, lots: 3 });
  const makerAcct = await rpcCall<{ positions: { marketId: number; sizeLots: number }[] }>(net.url(1), "lane_account", [maker.address]);
  expect(makerAcct.positions.find((p) => p.marketId === BTC)?.sizeLots).toBe(-2);
  console.log(`lane: ask rested, IOC filled 2 lots at 600100 ticks; ${validators.length} validators agree on state root ${roots[0]!.stateRoot.slice(0, 18)} at height ${h}`);
}
