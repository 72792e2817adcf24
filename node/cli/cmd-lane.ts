// `xdpchain lane <subcommand>`: the order lane from a terminal. This file holds the dispatch and the wallet
// side (trading key generation, register and revoke it, deposit and withdraw collateral: lane system-call
// transactions signed here); trading is in cmd-lane-trade.ts and the read-only views in cmd-lane-view.ts.
// Amounts are in the collateral's units with up to 6 decimals (one quote unit is 10^-6; 10^12 wei).

import { toHex } from "../../consensus/crypto/hash.ts";
import { toChecksumAddress } from "../../genesis/eth-address.ts";
import { LaneRpc } from "../lane/client/lane-rpc.ts";
import { LaneWallet, type LaneTxResult } from "../lane/client/lane-wallet.ts";
import { formatQuote, parseQuoteAmount } from "../lane/client/market-units.ts";
import { TradingKeyFile } from "../lane/client/trading-key-file.ts";
import { parseArgs, runCommand, runSubcommandGroup, UsageError, type CommandSpec } from "./args.ts";
import { laneMarketMaker, lanePlace, laneCancel, laneStatus } from "./cmd-lane-trade.ts";
import { laneBook, laneFills, laneMarkets, laneOrders, lanePositions } from "./cmd-lane-view.ts";
import {
  DEV_ACCOUNT_FLAG, HOME_FLAG, JSON_FLAG, KEY_FLAG, RPC_FLAG, TIMEOUT_FLAG, WALLET_KEY_FILE_FLAG,
  jsonText, keyFilePath, loadKey, rpcUrls, walletKey,
} from "./lane-options.ts";

const KEYGEN = {
  command: "xdpchain lane keygen",
  summary: "create a trading key file (ed25519; mode 0600)",
  flags: { home: HOME_FLAG, key: KEY_FLAG, force: { type: "boolean", description: "replace an existing key file (its key is lost)" }, json: JSON_FLAG },
  epilog: "Next: xdpchain lane register --dev-account 2 (or --wallet-key-file FILE)",
} as const satisfies CommandSpec;

const WALLET_FLAGS = {
  rpc: RPC_FLAG, home: HOME_FLAG, key: KEY_FLAG, "wallet-key-file": WALLET_KEY_FILE_FLAG, "dev-account": DEV_ACCOUNT_FLAG,
  timeout: TIMEOUT_FLAG, json: JSON_FLAG,
} as const;

const REGISTER = {
  command: "xdpchain lane register",
  summary: "register the trading key for the wallet's account (a lane system-call transaction)",
  flags: WALLET_FLAGS,
  epilog: "Example: xdpchain lane register --dev-account 2",
} as const satisfies CommandSpec;

const REVOKE = {
  command: "xdpchain lane revoke",
  summary: "revoke the trading key for good (orders it signs stop executing)",
  flags: WALLET_FLAGS,
} as const satisfies CommandSpec;

const AMOUNT = [{ name: "AMOUNT", description: "collateral amount, e.g. 1000 or 12.5 (6 decimals at most)", required: true }] as const;
const QUOTE_UNITS = { type: "boolean", description: "AMOUNT is an integer number of quote units (10^-6)" } as const;

const DEPOSIT = {
  command: "xdpchain lane deposit",
  summary: "move native balance into the lane as trading collateral",
  flags: { ...WALLET_FLAGS, "quote-units": QUOTE_UNITS },
  positionals: AMOUNT,
  epilog: "Example: xdpchain lane deposit --dev-account 2 1000",
} as const satisfies CommandSpec;

const WITHDRAW = {
  command: "xdpchain lane withdraw",
  summary: "move free collateral back to the native balance",
  flags: { ...WALLET_FLAGS, "quote-units": QUOTE_UNITS },
  positionals: AMOUNT,
} as const satisfies CommandSpec;

type WalletFlags = { rpc: string[]; "wallet-key-file"?: string | undefined; "dev-account"?: number | undefined; timeout: number; json: boolean; key?: string | undefined; home?: string | undefined };

function openWallet(command: string, f: WalletFlags): LaneWallet {
  return new LaneWallet(rpcUrls(command, f.rpc)[0]!, walletKey(command, f));
}

/** Prints a transaction's outcome; exit code 0 on success, 1 on revert. */
function report(what: string, r: LaneTxResult, json: boolean, extra: Record<string, unknown> = {}): number {
  if (json) console.log(jsonText({ ...r, ...extra }));
  else {
    console.log(what);
    console.log(`  transaction  ${r.hash}\n  block        ${r.blockNumber}\n  gas used     ${r.gasUsed}`);
    if (r.status === "success") console.log("  status       success");
    else console.log(`  status       reverted: ${r.revertReason}\n               ${r.explanation}`);
    for (const [k, v] of Object.entries(extra)) console.log(`  ${k.padEnd(12)} ${String(v)}`);
  }
  return r.status === "success" ? 0 : 1;
}

async function keygen(argv: string[]): Promise<number> {
  return runCommand(KEYGEN.command, () => {
    const args = parseArgs(KEYGEN, argv);
    if (args.help) return help(args.text);
    const file = keyFilePath(args.flags);
    const key = TradingKeyFile.generate(file, { overwrite: args.flags.force });
    if (args.flags.json) console.log(jsonText({ publicKey: key.publicKeyHex, file }));
    else console.log(`trading key\n  public key  ${key.publicKeyHex}\n  file        ${file} (mode 0600)\nnext: xdpchain lane register --dev-account N (or --wallet-key-file FILE)`);
    return 0;
  });
}

async function register(argv: string[]): Promise<number> {
  return runCommand(REGISTER.command, async () => {
    const args = parseArgs(REGISTER, argv);
    if (args.help) return help(args.text);
    const f = args.flags;
    const wallet = openWallet(REGISTER.command, f);
    const key = loadKey(f);
    const who = toChecksumAddress(wallet.address);
    const r = await wallet.registerKey(key.publicKey, { timeoutMs: f.timeout * 1000 });
    if (r.status === "success") {
      key.setAccount(wallet.address);
      return report(`register trading key ${key.publicKeyHex} for ${who}`, r, f.json, { "key file": key.file });
    }
    if (r.revertReason === "LANE_CALL_ERROR_KEY_TAKEN" && (await isRegisteredTo(f.rpc, wallet.addressHex, key.publicKey))) {
      key.setAccount(wallet.address);
      if (f.json) console.log(jsonText({ ...r, alreadyRegistered: true }));
      else console.log(`trading key ${key.publicKeyHex} is already registered for ${who}; nothing to do`);
      return 0;
    }
    return report(`register trading key ${key.publicKeyHex} for ${who}`, r, f.json);
  });
}

async function isRegisteredTo(urls: string[], address: string, publicKey: Uint8Array): Promise<boolean> {
  try {
    const account = await new LaneRpc(rpcUrls("xdpchain lane register", urls)).account(address);
    const keys = Array.isArray(account?.tradingKeys) ? (account.tradingKeys as unknown[]).map((k) => String(k).toLowerCase().replace(/^0x/, "")) : [];
    return keys.includes(toHex(publicKey));
  } catch {
    return false;
  }
}

async function revoke(argv: string[]): Promise<number> {
  return runCommand(REVOKE.command, async () => {
    const args = parseArgs(REVOKE, argv);
    if (args.help) return help(args.text);
    const f = args.flags;
    const wallet = openWallet(REVOKE.command, f);
    const key = loadKey(f);
    const r = await wallet.revokeKey(key.publicKey, { timeoutMs: f.timeout * 1000 });
    return report(`revoke trading key ${key.publicKeyHex} of ${toChecksumAddress(wallet.address)}`, r, f.json);
  });
}

function amountOf(command: string, text: string, raw: boolean): bigint {
  if (raw) {
    if (!/^\d+$/.test(text)) throw new UsageError(command, `AMOUNT must be an integer number of quote units with --quote-units, got '${text}'`);
    return BigInt(text);
  }
  try {
    return parseQuoteAmount(text, "AMOUNT");
  } catch (err) {
    throw new UsageError(command, (err as Error).message.replace(/^[A-Z_]+: /, ""));
  }
}

async function collateralOf(urls: string[], address: string): Promise<string | undefined> {
  try {
    const a = await new LaneRpc(urls).account(address);
    return typeof a?.collateralQuote === "string" && /^\d+$/.test(a.collateralQuote) ? formatQuote(BigInt(a.collateralQuote)) : undefined;
  } catch {
    return undefined;
  }
}

function moveCommand(spec: typeof DEPOSIT | typeof WITHDRAW, kind: "deposit" | "withdraw") {
  return (argv: string[]): Promise<number> =>
    runCommand(spec.command, async () => {
      const args = parseArgs(spec, argv);
      if (args.help) return help(args.text);
      const f = args.flags;
      const amount = amountOf(spec.command, args.positionals[0]!, f["quote-units"]);
      if (amount === 0n) throw new UsageError(spec.command, "AMOUNT must be positive");
      const wallet = openWallet(spec.command, f);
      const o = { timeoutMs: f.timeout * 1000 };
      const r = kind === "deposit" ? await wallet.deposit(amount, o) : await wallet.withdraw(amount, o);
      const collateral = r.status === "success" ? await collateralOf(rpcUrls(spec.command, f.rpc), wallet.addressHex) : undefined;
      return report(`${kind} ${formatQuote(amount)} for ${toChecksumAddress(wallet.address)}`, r, f.json, collateral === undefined ? {} : { collateral });
    });
}

function help(text: string): number {
  console.log(text);
  return 0;
}

export async function cmdLane(argv: string[]): Promise<number> {
  return runSubcommandGroup(
    {
      command: "xdpchain lane",
      summary: "trade on the order lane: keys, collateral, orders and what the book looks like",
      subcommands: {
        keygen: { summary: KEYGEN.summary, run: keygen },
        register: { summary: REGISTER.summary, run: register },
        revoke: { summary: REVOKE.summary, run: revoke },
        deposit: { summary: DEPOSIT.summary, run: moveCommand(DEPOSIT, "deposit") },
        withdraw: { summary: WITHDRAW.summary, run: moveCommand(WITHDRAW, "withdraw") },
        place: { summary: "place an order (signed, sent over UDP to the validators) and wait for its fills", run: lanePlace },
        cancel: { summary: "cancel one order by client order id, or all of a market's (or every) order", run: laneCancel },
        status: { summary: "show what became of an order id", run: laneStatus },
        book: { summary: "show a market's order book", run: laneBook },
        positions: { summary: "show an account's collateral, equity and positions", run: lanePositions },
        orders: { summary: "show an account's open orders", run: laneOrders },
        fills: { summary: "show an account's recent fills", run: laneFills },
        markets: { summary: "list the markets with tick and lot sizes and mark prices", run: laneMarkets },
        "market-maker": { summary: "run a simple devnet market maker (requotes post-only levels around the mark)", run: laneMarketMaker },
      },
    },
    argv,
  );
}
