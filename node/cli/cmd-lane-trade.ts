// `xdpchain lane place | cancel | status | market-maker`: signed order actions sent as UDP datagrams to the
// validators (lane-client.ts), followed until they execute, with their fills printed. Prices are in the quote
// currency and sizes in base units unless --ticks / --lots say they are raw; an IOC or FOK order without a price
// gets a limit --slippage-bps away from the mark (a "market" order that cannot fill arbitrarily far away).

import { LaneClient, type SentAction } from "../lane/client/lane-client.ts";
import type { LaneOrderStatus } from "../lane/client/lane-rpc.ts";
import { LaneRpc } from "../lane/client/lane-rpc.ts";
import { lotsToSize, parseQuoteAmount, ticksToPrice, type LaneMarket } from "../lane/client/market-units.ts";
import { TIME_IN_FORCE_NAMES, type PlaceSpec, type TimeInForceName } from "../lane/client/order-legs.ts";
import { MARKET_MAKER_LEVELS_MAX, MarketMaker } from "../lane/market-maker.ts";
import { parseArgs, runCommand, UsageError, type CommandSpec } from "./args.ts";
import { fillsFromEvents, fillsTable } from "./lane-format.ts";
import {
  DEV_ACCOUNT_FLAG, HOME_FLAG, JSON_FLAG, KEY_FLAG, RPC_FLAG, TARGET_FLAG, TIMEOUT_FLAG, VIA_FLAG, WALLET_KEY_FILE_FLAG,
  jsonText, keyFilePath, loadKey, rpcUrls, targets, walletKey,
} from "./lane-options.ts";

const SEND_FLAGS = {
  rpc: RPC_FLAG, home: HOME_FLAG, key: KEY_FLAG, target: TARGET_FLAG, via: VIA_FLAG,
  "no-wait": { type: "boolean", description: "print the order id and return without waiting for execution" },
  timeout: TIMEOUT_FLAG, json: JSON_FLAG,
} as const;

const PLACE = {
  command: "xdpchain lane place",
  summary: "place an order and, unless --no-wait, wait until it executes and print its fills",
  flags: {
    ...SEND_FLAGS,
    tif: { type: "string", description: "time in force (default: gtc with a PRICE, ioc without)", valueName: "TIF", choices: TIME_IN_FORCE_NAMES },
    gtc: { type: "boolean", description: "same as --tif gtc" },
    ioc: { type: "boolean", description: "same as --tif ioc (immediate or cancel)" },
    fok: { type: "boolean", description: "same as --tif fok (fill or kill)" },
    "post-only": { type: "boolean", description: "same as --tif post-only (never takes liquidity)" },
    "reduce-only": { type: "boolean", description: "only reduce the open position" },
    ticks: { type: "boolean", description: "PRICE, --stop and --take-profit are raw ticks" },
    lots: { type: "boolean", description: "SIZE is raw lots" },
    stop: { type: "string", description: "stop order: armed until the mark crosses this price", valueName: "PRICE" },
    "take-profit": { type: "string", description: "take-profit order: armed until the mark crosses this price", valueName: "PRICE" },
    "good-til-block": { type: "number", description: "last block the order may execute or rest in", valueName: "HEIGHT", integer: true, min: 1 },
    "slippage-bps": { type: "number", description: "without PRICE: the limit is the mark this many basis points against you", valueName: "BPS", default: 100, integer: true, min: 0, max: 5_000 },
  },
  positionals: [
    { name: "MARKET", description: "market symbol (e.g. BTC-PERP) or id", required: true },
    { name: "SIDE", description: "buy or sell", required: true },
    { name: "SIZE", description: "size in base units (e.g. 0.01), or lots with --lots", required: true },
    { name: "PRICE", description: "limit price in quote currency (e.g. 60000.5), or ticks with --ticks" },
  ],
  epilog: "Examples:\n  xdpchain lane place BTC-PERP buy 0.01 --ioc\n  xdpchain lane place ETH-PERP sell 0.5 3100.25 --post-only",
} as const satisfies CommandSpec;

const CANCEL = {
  command: "xdpchain lane cancel",
  summary: "cancel an order by its client order id, or every order of a market (--all), or of all markets",
  flags: { ...SEND_FLAGS, all: { type: "boolean", description: "cancel every order of MARKET, or of every market without MARKET" } },
  positionals: [
    { name: "MARKET", description: "market symbol or id" },
    { name: "CLIENT_ORDER_ID", description: "the client order id `place` printed" },
  ],
  epilog: "Examples:\n  xdpchain lane cancel BTC-PERP 17\n  xdpchain lane cancel BTC-PERP --all\n  xdpchain lane cancel --all",
} as const satisfies CommandSpec;

const STATUS = {
  command: "xdpchain lane status",
  summary: "show what became of an order id (pending, executed with each leg's result and fills, or rejected)",
  flags: { rpc: RPC_FLAG, wait: { type: "boolean", description: "wait until it is executed or rejected" }, timeout: TIMEOUT_FLAG, json: JSON_FLAG },
  positionals: [{ name: "ORDER_ID", description: "0x order id (64 hex digits)", required: true }],
} as const satisfies CommandSpec;

const MARKET_MAKER = {
  command: "xdpchain lane market-maker",
  summary: "run a simple devnet market maker until Ctrl-C (post-only levels around the mark, requoted each interval)",
  flags: {
    rpc: RPC_FLAG, home: HOME_FLAG,
    key: { type: "string", description: "its trading key file (created if missing; default <home>/market-maker-key.json)", valueName: "FILE" },
    "wallet-key-file": WALLET_KEY_FILE_FLAG, "dev-account": { ...DEV_ACCOUNT_FLAG, description: "devnet development account N (default 9)" },
    target: TARGET_FLAG,
    "interval-ms": { type: "number", description: "time between requotes", default: 1_000, integer: true, min: 100, max: 600_000 },
    levels: { type: "number", description: "price levels per side", default: 5, integer: true, min: 1, max: MARKET_MAKER_LEVELS_MAX },
    lots: { type: "number", description: "lots per level", default: 5, integer: true, min: 1, max: 1_000_000 },
    "spacing-bps": { type: "number", description: "distance between levels in basis points of the mark (at least one tick)", default: 2, min: 0, max: 1_000 },
    deposit: { type: "string", description: "collateral to hold (topped up at start)", valueName: "AMOUNT", default: "5000" },
    market: { type: "repeatable", description: "quote only this market symbol (default: all)", valueName: "SYMBOL" },
    duration: { type: "number", description: "stop after this many seconds", valueName: "SECONDS", integer: true, min: 1 },
  },
} as const satisfies CommandSpec;

type SendFlags = { rpc: string[]; key?: string | undefined; home?: string | undefined; target: string[]; via: string; "no-wait": boolean; timeout: number; json: boolean };

function tifOf(f: { tif?: string | undefined; gtc: boolean; ioc: boolean; fok: boolean; "post-only": boolean }, hasPrice: boolean): TimeInForceName {
  const chosen = [
    ...(f.tif ? [f.tif as TimeInForceName] : []),
    ...(["gtc", "ioc", "fok", "post-only"] as const).filter((t) => f[t]),
  ];
  if (new Set(chosen).size > 1) throw new UsageError(PLACE.command, `choose one time in force, got ${[...new Set(chosen)].join(" and ")}`);
  const tif = chosen[0] ?? (hasPrice ? "gtc" : "ioc");
  if (!hasPrice && (tif === "gtc" || tif === "post-only")) throw new UsageError(PLACE.command, `a ${tif} order needs a PRICE (without one, use --ioc or --fok)`);
  return tif;
}

function checkNumber(command: string, what: string, text: string, raw: boolean): void {
  const ok = raw ? /^\d+$/.test(text) : /^\d+(\.\d+)?$/.test(text);
  if (!ok) throw new UsageError(command, `${what} must be ${raw ? "a whole number" : "a plain decimal number"}, got '${text}'`);
}

/** Without a price: the mark moved `bps` against the trader, rounded outward to a tick, inside the market. */
export function slippageTicks(market: LaneMarket, side: "buy" | "sell", bps: number): bigint {
  const mark = BigInt(market.markTicks);
  const b = BigInt(bps);
  const t = side === "buy" ? (mark * (10_000n + b) + 9_999n) / 10_000n : (mark * (10_000n - b)) / 10_000n;
  const max = BigInt(market.maxPriceTicks);
  return t < 1n ? 1n : t > max ? max : t;
}

async function openClient(command: string, f: SendFlags): Promise<LaneClient> {
  const urls = rpcUrls(command, f.rpc);
  const explicit = targets(command, f.target);
  // One action per run: reserve only the ids it uses, so consecutive commands number orders 1, 2, 3...
  return LaneClient.open({ rpcUrls: urls, key: loadKey(f), via: f.via as "udp" | "rpc", clientIdBlock: 1, ...(explicit ? { targets: explicit } : {}) });
}

function announce(sent: SentAction, client: LaneClient, what: string): void {
  const ids = sent.clientOrderIds.length ? `client order id ${sent.clientOrderIds.join(", ")}, ` : "";
  const failed = sent.sent.failed.length ? ` (failed: ${sent.sent.failed.map((x) => x.target).join(", ")})` : "";
  console.log(`${what}\norder ${sent.orderId} (${ids}nonce ${sent.nonce}) sent to ${client.targets.join(", ")}${failed}`);
}

/** Exit code 0 when executed with every leg accepted. */
function printOutcome(s: LaneOrderStatus, markets: readonly LaneMarket[]): number {
  if (s.status === "pending") {
    console.log("pending: received, not yet in a finalized block");
    return 0;
  }
  const where = s.blockHeight !== undefined ? ` in block ${s.blockHeight}` : "";
  const rejected = s.outcome?.rejected;
  if (s.status === "rejected" || rejected) {
    console.log(`rejected${where}: ${rejected ? `${rejected.code}: ${rejected.message}` : "no reason given"}`);
    return 1;
  }
  console.log(`executed${where}`);
  let code = 0;
  (s.outcome?.legs ?? []).forEach((leg, i) => {
    if (leg.ok) return;
    code = 1;
    console.log(`  leg ${i} refused: ${leg.code ?? "?"}${leg.message ? `: ${leg.message}` : ""}`);
  });
  const fills = fillsFromEvents(s.outcome?.events ?? [], s.account, markets);
  console.log(fills.length ? fillsTable(fills) : "no fills");
  return code;
}

async function follow(client: LaneClient, sent: SentAction, f: SendFlags, what: string): Promise<number> {
  if (!f.json) announce(sent, client, what);
  if (f["no-wait"]) {
    if (f.json) console.log(jsonText({ orderId: sent.orderId, clientOrderIds: sent.clientOrderIds, nonce: sent.nonce, sentTo: client.targets }));
    return 0;
  }
  let shown = "";
  const status = await client.waitForOrder(sent.orderId, {
    timeoutMs: f.timeout * 1000,
    onProgress: (p) => {
      if (f.json || p.status === shown || p.status === "executed" || p.status === "rejected") return;
      shown = p.status;
      console.log(`  ${p.status === "unknown" ? "waiting for a validator to report it" : p.status}${p.resends ? ` (resent ${p.resends}x)` : ""} after ${(p.elapsedMs / 1000).toFixed(1)} s`);
    },
  });
  if (f.json) {
    console.log(jsonText({ orderId: sent.orderId, clientOrderIds: sent.clientOrderIds, nonce: sent.nonce, sentTo: client.targets, status, fills: fillsFromEvents(status.outcome?.events ?? [], status.account, client.marketList) }));
    return status.status === "executed" && !status.outcome?.rejected && (status.outcome?.legs ?? []).every((l) => l.ok) ? 0 : 1;
  }
  return printOutcome(status, client.marketList);
}

export async function lanePlace(argv: string[]): Promise<number> {
  return runCommand(PLACE.command, async () => {
    const args = parseArgs(PLACE, argv);
    if (args.help) return help(args.text);
    const f = args.flags;
    const [marketRef, side, size, price] = args.positionals as [string, string, string, string | undefined];
    if (side !== "buy" && side !== "sell") throw new UsageError(PLACE.command, `SIDE must be buy or sell, got '${side}'`);
    const tif = tifOf(f, price !== undefined);
    checkNumber(PLACE.command, "SIZE", size, f.lots);
    if (price !== undefined) checkNumber(PLACE.command, "PRICE", price, f.ticks);
    if (f.stop !== undefined && f["take-profit"] !== undefined) throw new UsageError(PLACE.command, "give at most one of --stop and --take-profit");
    const triggerText = f.stop ?? f["take-profit"];
    if (triggerText !== undefined) checkNumber(PLACE.command, f.stop !== undefined ? "--stop" : "--take-profit", triggerText, f.ticks);
    const client = await openClient(PLACE.command, f);
    try {
      const market = client.market(marketRef);
      const priceInput = price === undefined ? { priceTicks: slippageTicks(market, side, f["slippage-bps"]) } : f.ticks ? { priceTicks: BigInt(price) } : { price };
      const spec: PlaceSpec & { goodTilBlock?: number } = {
        market: market.id, side, tif, reduceOnly: f["reduce-only"], ...priceInput,
        ...(f.lots ? { sizeLots: BigInt(size) } : { size }),
        ...(f["good-til-block"] !== undefined ? { goodTilBlock: f["good-til-block"] } : {}),
        ...(triggerText !== undefined ? { trigger: { kind: f.stop !== undefined ? "stop" : "take-profit", ...(f.ticks ? { priceTicks: BigInt(triggerText) } : { price: triggerText }) } } : {}),
      };
      const sent = await client.place(spec);
      const leg = sent.legs[0]!;
      const what = `${side} ${lotsToSize(market, leg.sizeLots)} ${market.symbol} at ${ticksToPrice(market, leg.priceTicks)} (${tif}${price === undefined ? `, ${f["slippage-bps"]} bps from mark ${ticksToPrice(market, market.markTicks)}` : ""})`;
      return await follow(client, sent, f, what);
    } finally {
      await client.close();
    }
  });
}

export async function laneCancel(argv: string[]): Promise<number> {
  return runCommand(CANCEL.command, async () => {
    const args = parseArgs(CANCEL, argv);
    if (args.help) return help(args.text);
    const f = args.flags;
    const [marketRef, idText] = args.positionals as [string | undefined, string | undefined];
    if (f.all && idText !== undefined) throw new UsageError(CANCEL.command, "--all cancels every order; give no CLIENT_ORDER_ID with it");
    if (!f.all && (marketRef === undefined || idText === undefined)) throw new UsageError(CANCEL.command, "give MARKET and CLIENT_ORDER_ID, or --all (with or without MARKET)");
    if (idText !== undefined && (!/^\d+$/.test(idText) || Number(idText) < 1 || Number(idText) > 0xffff_ffff)) {
      throw new UsageError(CANCEL.command, `CLIENT_ORDER_ID must be an integer in 1..4294967295, got '${idText}'`);
    }
    const client = await openClient(CANCEL.command, f);
    try {
      const sent = f.all ? await client.cancelAll(marketRef) : await client.cancel(marketRef!, Number(idText));
      const what = f.all ? `cancel every order${marketRef ? ` of ${client.market(marketRef).symbol}` : ""}` : `cancel ${client.market(marketRef!).symbol} order ${idText}`;
      return await follow(client, sent, f, what);
    } finally {
      await client.close();
    }
  });
}

export async function laneStatus(argv: string[]): Promise<number> {
  return runCommand(STATUS.command, async () => {
    const args = parseArgs(STATUS, argv);
    if (args.help) return help(args.text);
    const f = args.flags;
    const id = args.positionals[0]!;
    if (!/^(0x)?[0-9a-fA-F]{64}$/.test(id)) throw new UsageError(STATUS.command, `ORDER_ID must be 64 hex digits, got '${id}'`);
    const orderId = `0x${id.replace(/^0x/, "").toLowerCase()}`;
    const rpc = new LaneRpc(rpcUrls(STATUS.command, f.rpc));
    const deadline = Date.now() + f.timeout * 1000;
    let status = await rpc.orderStatus(orderId);
    while (f.wait && (status === null || status.status === "pending") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      status = await rpc.orderStatus(orderId).catch(() => status);
    }
    if (status === null) {
      if (f.json) console.log(jsonText({ orderId, status: "unknown" }));
      else console.log(`order ${orderId} is unknown to ${rpc.urls.join(", ")} (never received, or dropped)`);
      return 1;
    }
    if (f.json) {
      console.log(jsonText(status));
      return status.status === "executed" ? 0 : status.status === "pending" ? 0 : 1;
    }
    console.log(`order ${orderId} of ${status.account}`);
    return printOutcome(status, await rpc.markets().catch(() => []));
  });
}

export async function laneMarketMaker(argv: string[]): Promise<number> {
  return runCommand(MARKET_MAKER.command, async () => {
    const args = parseArgs(MARKET_MAKER, argv);
    if (args.help) return help(args.text);
    const f = args.flags;
    const wallet = walletKey(MARKET_MAKER.command, f["wallet-key-file"] === undefined && f["dev-account"] === undefined ? { "dev-account": 9 } : f);
    let depositQuote: bigint;
    try {
      depositQuote = parseQuoteAmount(f.deposit, "--deposit");
    } catch (err) {
      throw new UsageError(MARKET_MAKER.command, (err as Error).message.replace(/^[A-Z_]+: /, ""));
    }
    const explicit = targets(MARKET_MAKER.command, f.target);
    const keyFile = f.key ?? keyFilePath({ home: f.home }).replace(/lane-key\.json$/, "market-maker-key.json");
    const maker = new MarketMaker({
      rpcUrls: rpcUrls(MARKET_MAKER.command, f.rpc), walletKey: wallet, keyFile, depositQuote, intervalMs: f["interval-ms"],
      levels: f.levels, lotsPerLevel: f.lots, spacingBps: f["spacing-bps"], ...(f.market.length ? { markets: f.market } : {}),
      ...(explicit ? { targets: explicit } : {}), log: (line) => console.log(line),
    });
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    const timer = f.duration ? setTimeout(onSignal, f.duration * 1000) : null;
    try {
      await maker.run(stop.signal);
    } finally {
      if (timer) clearTimeout(timer);
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
    return 0;
  });
}

function help(text: string): number {
  console.log(text);
  return 0;
}
