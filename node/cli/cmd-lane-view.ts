// `xdpchain lane book | positions | orders | fills | markets`: read-only views of the committed lane state over
// JSON-RPC (lane_book, lane_account, lane_openOrders, lane_fills, lane_markets), as tables in the market's human
// units, or the node's JSON with --json. Nothing here signs or sends anything.

import { LaneRpc } from "../lane/client/lane-rpc.ts";
import { findMarket, formatQuote } from "../lane/client/market-units.ts";
import { parseArgs, runCommand, type CommandSpec } from "./args.ts";
import { bookTable, marketsTable, objectTable } from "./lane-format.ts";
import { ACCOUNT_FLAG, DEV_ACCOUNT_FLAG, HOME_FLAG, JSON_FLAG, KEY_FLAG, RPC_FLAG, jsonText, rpcUrls, viewAccount } from "./lane-options.ts";

const ACCOUNT_FLAGS = { rpc: RPC_FLAG, account: ACCOUNT_FLAG, "dev-account": DEV_ACCOUNT_FLAG, home: HOME_FLAG, key: KEY_FLAG, json: JSON_FLAG } as const;

const BOOK = {
  command: "xdpchain lane book",
  summary: "show a market's order book (aggregated price levels)",
  flags: { rpc: RPC_FLAG, depth: { type: "number", description: "levels per side", default: 10, integer: true, min: 1, max: 1_000 }, json: JSON_FLAG },
  positionals: [{ name: "MARKET", description: "market symbol (e.g. BTC-PERP) or id", required: true }],
} as const satisfies CommandSpec;

const POSITIONS = { command: "xdpchain lane positions", summary: "show an account's collateral, equity, positions and trading keys", flags: ACCOUNT_FLAGS } as const satisfies CommandSpec;
const ORDERS = { command: "xdpchain lane orders", summary: "show an account's open orders", flags: ACCOUNT_FLAGS } as const satisfies CommandSpec;
const FILLS = {
  command: "xdpchain lane fills",
  summary: "show an account's most recent fills",
  flags: { ...ACCOUNT_FLAGS, limit: { type: "number", description: "how many", default: 20, integer: true, min: 1, max: 1_000 } },
} as const satisfies CommandSpec;
const MARKETS = { command: "xdpchain lane markets", summary: "list the markets", flags: { rpc: RPC_FLAG, json: JSON_FLAG } } as const satisfies CommandSpec;

/** A list of rows, whether the node sends the array itself or an object holding it under `key`. */
function rowsOf(v: unknown, key: string): Record<string, unknown>[] {
  if (Array.isArray(v)) return v as Record<string, unknown>[];
  const inner = (v as Record<string, unknown> | null)?.[key];
  return Array.isArray(inner) ? (inner as Record<string, unknown>[]) : [];
}

function quote(v: unknown): string {
  return typeof v === "string" && /^-?\d+$/.test(v) ? formatQuote(BigInt(v)) : String(v ?? "-");
}

export async function laneBook(argv: string[]): Promise<number> {
  return runCommand(BOOK.command, async () => {
    const args = parseArgs(BOOK, argv);
    if (args.help) return help(args.text);
    const rpc = new LaneRpc(rpcUrls(BOOK.command, args.flags.rpc));
    const market = findMarket(await rpc.markets(), args.positionals[0]!);
    const book = await rpc.book(market.id, args.flags.depth);
    console.log(args.flags.json ? jsonText(book) : bookTable(book, market));
    return 0;
  });
}

export async function lanePositions(argv: string[]): Promise<number> {
  return runCommand(POSITIONS.command, async () => {
    const args = parseArgs(POSITIONS, argv);
    if (args.help) return help(args.text);
    const account = viewAccount(POSITIONS.command, args.flags);
    const rpc = new LaneRpc(rpcUrls(POSITIONS.command, args.flags.rpc));
    const [a, markets] = await Promise.all([rpc.account(account), rpc.markets()]);
    if (args.flags.json) {
      console.log(jsonText(a));
      return 0;
    }
    const keys = Array.isArray(a?.tradingKeys) ? (a.tradingKeys as unknown[]).map(String) : [];
    console.log(`account     ${account}\ncollateral  ${quote(a?.collateralQuote)}\nequity      ${quote(a?.equityQuote)}\nkeys        ${keys.length ? keys.join(", ") : "none"}`);
    const positions = Array.isArray(a?.positions) ? (a.positions as Record<string, unknown>[]) : [];
    console.log(objectTable(positions, markets, "no open positions"));
    return 0;
  });
}

export async function laneOrders(argv: string[]): Promise<number> {
  return runCommand(ORDERS.command, async () => {
    const args = parseArgs(ORDERS, argv);
    if (args.help) return help(args.text);
    const account = viewAccount(ORDERS.command, args.flags);
    const rpc = new LaneRpc(rpcUrls(ORDERS.command, args.flags.rpc));
    const [orders, markets] = await Promise.all([rpc.openOrders(account), rpc.markets()]);
    if (args.flags.json) {
      console.log(jsonText(orders));
      return 0;
    }
    console.log(objectTable(rowsOf(orders, "orders"), markets, `no open orders for ${account}`));
    const triggers = rowsOf(orders, "triggers");
    if (triggers.length > 0) console.log(`armed triggers:\n${objectTable(triggers, markets, "")}`);
    return 0;
  });
}

export async function laneFills(argv: string[]): Promise<number> {
  return runCommand(FILLS.command, async () => {
    const args = parseArgs(FILLS, argv);
    if (args.help) return help(args.text);
    const account = viewAccount(FILLS.command, args.flags);
    const rpc = new LaneRpc(rpcUrls(FILLS.command, args.flags.rpc));
    const [fills, markets] = await Promise.all([rpc.fills(account, args.flags.limit), rpc.markets()]);
    console.log(args.flags.json ? jsonText(fills) : objectTable(rowsOf(fills, "fills"), markets, `no fills for ${account}`));
    return 0;
  });
}

export async function laneMarkets(argv: string[]): Promise<number> {
  return runCommand(MARKETS.command, async () => {
    const args = parseArgs(MARKETS, argv);
    if (args.help) return help(args.text);
    const rpc = new LaneRpc(rpcUrls(MARKETS.command, args.flags.rpc));
    if (args.flags.json) console.log(jsonText(await rpc.call("lane_markets")));
    else console.log(marketsTable(await rpc.markets()));
    return 0;
  });
}

function help(text: string): number {
  console.log(text);
  return 0;
}
