// The key directory of a node home (`<home>/keys/`): file names for new keys and a listing of what is there,
// read without passphrases (addresses and public keys only; secrets are never decrypted or returned here).
// Holds account keystores (keystore-v3.ts) and validator keys (validator-key-store.ts or plain devnet files).

import * as fs from "node:fs";
import * as path from "node:path";
import { toHex } from "../../consensus/crypto/hash.ts";
import { toChecksumAddress } from "../../genesis/eth-address.ts";
import { KeysError } from "./keys-error.ts";
import { isKeystoreV3, keystoreAddress } from "./keystore-v3.ts";
import { readKeyJson } from "./secret-file.ts";
import { isPlainDevnetKeyFile, isValidatorKeyStore, readValidatorKeyPublic } from "./validator-key-store.ts";

export type KeyEntryType = "account" | "validator" | "validator-insecure" | "unknown";

export interface KeyEntry {
  type: KeyEntryType;
  /** Checksummed address for accounts, 0x public key for validators, a reason for unknown files. */
  id: string;
  file: string;
}

const LISTED_FILES_MAX = 10_000;

export function accountKeyFileName(address: Uint8Array): string {
  return `account-${toHex(address)}.json`;
}

export function validatorKeyFileName(publicKey: Uint8Array): string {
  return `validator-${toHex(publicKey).slice(0, 16)}.json`;
}

function classify(file: string): KeyEntry {
  let json: unknown;
  try {
    json = readKeyJson(file);
  } catch (err) {
    return { type: "unknown", id: err instanceof KeysError ? err.code : "unreadable", file };
  }
  if (isKeystoreV3(json)) {
    const address = keystoreAddress(json);
    return { type: "account", id: address ? toChecksumAddress(address) : "(no address field)", file };
  }
  if (isValidatorKeyStore(json) || isPlainDevnetKeyFile(json)) {
    try {
      const pub = readValidatorKeyPublic(file);
      return { type: pub.insecure ? "validator-insecure" : "validator", id: `0x${toHex(pub.publicKey)}`, file };
    } catch (err) {
      return { type: "unknown", id: err instanceof KeysError ? err.code : "unreadable", file };
    }
  }
  return { type: "unknown", id: "not a key file", file };
}

/** Every *.json file in `dir`, sorted by name; a missing directory lists as empty. */
export function listKeyFiles(dir: string): KeyEntry[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new KeysError("KEYS_ERROR_READ", `cannot list ${dir}: ${(err as Error).message}`, { file: dir });
  }
  return names
    .filter((n) => n.endsWith(".json") && !n.startsWith("."))
    .sort()
    .slice(0, LISTED_FILES_MAX)
    .map((n) => classify(path.join(dir, n)));
}
