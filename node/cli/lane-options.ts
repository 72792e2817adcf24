// Flags and their resolution shared by the `xdpchain lane` subcommands: RPC URLs (repeatable, default the local
// devnet's first validator), the trading-key file (--key, else <home>/lane-key.json), the wallet key
// (--wallet-key-file with a hex private key, or --dev-account N from the development mnemonic), the account
// the read-only views ask about, and JSON output that keeps bigints exact (as decimal strings).

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { fromHex, toHex } from "../../consensus/crypto/hash.ts";
import { devAccounts, DEV_ACCOUNTS_MAX } from "../../genesis/devnet-accounts.ts";
import { parseAddress } from "../../genesis/eth-address.ts";
import { LaneClientError } from "../lane/client/lane-client-error.ts";
import { parseTarget, type LaneTarget } from "../lane/client/order-sender.ts";
import { TradingKeyFile } from "../lane/client/trading-key-file.ts";
import { UsageError } from "./args.ts";

export const DEFAULT_RPC_URL = "http://127.0.0.1:8545";
export const LANE_KEY_FILE_NAME = "lane-key.json";

export const RPC_FLAG = { type: "repeatable", description: `a validator's JSON-RPC URL (default ${DEFAULT_RPC_URL})`, valueName: "URL" } as const;
export const HOME_FLAG = { type: "string", description: "directory of the default key file (default ~/.xdpchain)", valueName: "DIR" } as const;
export const KEY_FLAG = { type: "string", description: `trading key file (default <home>/${LANE_KEY_FILE_NAME})`, valueName: "FILE" } as const;
export const JSON_FLAG = { type: "boolean", description: "print machine-readable JSON" } as const;
export const WALLET_KEY_FILE_FLAG = { type: "string", description: "file holding the account's secp256k1 private key as 64 hex digits", valueName: "FILE" } as const;
export const DEV_ACCOUNT_FLAG = {
  type: "number", description: "use devnet development account N (mnemonic \"test ... junk\"; INSECURE, devnets only)", valueName: "N", integer: true, min: 0, max: DEV_ACCOUNTS_MAX - 1,
} as const;
export const ACCOUNT_FLAG = { type: "string", description: "the account to show (default: the key file's account, or --dev-account)", valueName: "ADDRESS" } as const;
export const TARGET_FLAG = { type: "repeatable", description: "send order datagrams to host:port instead of asking lane_info", valueName: "HOST:PORT" } as const;
export const VIA_FLAG = { type: "string", description: "send orders over UDP datagrams or through lane_sendOrder", valueName: "HOW", choices: ["udp", "rpc"], default: "udp" } as const;
export const TIMEOUT_FLAG = { type: "number", description: "how long to wait, in seconds", valueName: "SECONDS", default: 60, min: 1, max: 3_600 } as const;

export function rpcUrls(command: string, given: readonly string[]): string[] {
  const urls = given.length > 0 ? [...given] : [DEFAULT_RPC_URL];
  for (const u of urls) {
    let ok = false;
    try {
      ok = ["http:", "https:"].includes(new URL(u).protocol);
    } catch {
      ok = false;
    }
    if (!ok) throw new UsageError(command, `--rpc ${u} is not an http(s) URL`);
  }
  return urls;
}

export function keyFilePath(f: { key?: string | undefined; home?: string | undefined }): string {
  if (f.key) return path.resolve(f.key);
  return path.join(path.resolve(f.home ?? path.join(os.homedir(), ".xdpchain")), LANE_KEY_FILE_NAME);
}

export function loadKey(f: { key?: string | undefined; home?: string | undefined }): TradingKeyFile {
  return TradingKeyFile.load(keyFilePath(f));
}

export function targets(command: string, given: readonly string[]): LaneTarget[] | undefined {
  if (given.length === 0) return undefined;
  return given.map((t) => {
    try {
      return parseTarget(t);
    } catch (err) {
      throw new UsageError(command, `--target: ${(err as Error).message.replace(/^[A-Z_]+: /, "")}`);
    }
  });
}

function readPrivateKeyFile(file: string): Uint8Array {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8").trim();
  } catch (err) {
    throw new LaneClientError("LANE_CLIENT_ERROR_KEY_FILE", `cannot read wallet key file ${file}: ${(err as Error).message}`, { file });
  }
  if (!/^(0x)?[0-9a-fA-F]{64}$/.test(text)) throw new LaneClientError("LANE_CLIENT_ERROR_KEY_FILE", `${file} must hold a private key as 64 hex digits`, { file });
  const key = fromHex(text);
  if (!secp256k1.utils.isValidSecretKey(key)) throw new LaneClientError("LANE_CLIENT_ERROR_KEY_FILE", `${file} does not hold a valid secp256k1 private key`, { file });
  return key;
}

/** Exactly one of --wallet-key-file and --dev-account. */
export function walletKey(command: string, f: { "wallet-key-file"?: string | undefined; "dev-account"?: number | undefined }): Uint8Array {
  const file = f["wallet-key-file"];
  const dev = f["dev-account"];
  if ((file === undefined) === (dev === undefined)) throw new UsageError(command, "give the wallet key as exactly one of --wallet-key-file FILE and --dev-account N");
  return file !== undefined ? readPrivateKeyFile(file) : devAccounts(1, dev!)[0]!.privateKey;
}

/** --account, else --dev-account's address, else the account in the key file. */
export function viewAccount(command: string, f: { account?: string | undefined; "dev-account"?: number | undefined; key?: string | undefined; home?: string | undefined }): string {
  if (f.account !== undefined) {
    const parsed = parseAddress(f.account);
    if (!parsed.ok) throw new UsageError(command, `--account ${parsed.reason}`);
    return `0x${toHex(parsed.address)}`;
  }
  if (f["dev-account"] !== undefined) return `0x${toHex(devAccounts(1, f["dev-account"])[0]!.address)}`;
  const file = keyFilePath(f);
  if (!fs.existsSync(file)) throw new UsageError(command, `no account: give --account ADDRESS or --dev-account N (no key file at ${file})`);
  const account = TradingKeyFile.load(file).account;
  if (!account) throw new UsageError(command, `no account: ${file} is not registered yet; give --account ADDRESS`);
  return `0x${toHex(account)}`;
}

export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? `0x${toHex(v)}` : v), 2);
}
