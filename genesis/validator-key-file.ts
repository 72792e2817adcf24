// Per-validator key files (JSON, mode 0600): the validator's ed25519 secret and public key and its operator
// account. Writing them is for devnets; loading checks that the secret matches the public key, so a node never
// starts signing with a key other than the one genesis names.

import * as fs from "node:fs";
import * as path from "node:path";
import { keyPairFromSeed } from "../consensus/crypto/ed25519.ts";
import { bytesEqual, fromHex, toHex } from "../consensus/crypto/hash.ts";
import type { DevnetValidatorKey } from "./devnet-genesis.ts";
import { parseAddress, toChecksumAddress } from "./eth-address.ts";
import { GenesisError } from "./genesis-error.ts";

export interface ValidatorKeyFile {
  warning: string;
  index: number;
  publicKey: string;
  secretKey: string;
  operator: string;
  operatorPrivateKey: string;
}

const WARNING = "INSECURE devnet key derived from a public seed: never use it on a network with value";

export function validatorKeyFileName(index: number): string {
  return `validator-${index}.json`;
}

/** Writes one key file per validator into `dir` (created if missing); returns the paths. */
export function writeValidatorKeyFiles(dir: string, keys: readonly DevnetValidatorKey[]): string[] {
  fs.mkdirSync(dir, { recursive: true });
  return keys.map((k) => {
    const file: ValidatorKeyFile = {
      warning: WARNING,
      index: k.index,
      publicKey: `0x${toHex(k.publicKey)}`,
      secretKey: `0x${toHex(k.secretKey)}`,
      operator: toChecksumAddress(k.operator),
      operatorPrivateKey: `0x${toHex(k.operatorPrivateKey)}`,
    };
    const target = path.join(dir, validatorKeyFileName(k.index));
    fs.writeFileSync(target, JSON.stringify(file, null, 2) + "\n", { mode: 0o600 });
    fs.chmodSync(target, 0o600);
    return target;
  });
}

export function loadValidatorKeyFile(file: string): { publicKey: Uint8Array; secretKey: Uint8Array; operator: Uint8Array } {
  const bad = (why: string) => new GenesisError("GENESIS_ERROR_KEY_FILE", `validator key file ${file}: ${why}`, { file });
  let parsed: Partial<ValidatorKeyFile>;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<ValidatorKeyFile>;
  } catch (err) {
    throw bad((err as Error).message);
  }
  const hex32 = /^0x[0-9a-fA-F]{64}$/;
  if (typeof parsed.secretKey !== "string" || !hex32.test(parsed.secretKey)) throw bad("secretKey must be 0x followed by 64 hex digits");
  if (typeof parsed.publicKey !== "string" || !hex32.test(parsed.publicKey)) throw bad("publicKey must be 0x followed by 64 hex digits");
  const pair = keyPairFromSeed(fromHex(parsed.secretKey));
  if (!bytesEqual(pair.publicKey, fromHex(parsed.publicKey))) throw bad("secretKey does not belong to publicKey");
  const operator = typeof parsed.operator === "string" ? parseAddress(parsed.operator) : null;
  if (!operator?.ok) throw bad("operator must be an Ethereum address");
  return { ...pair, operator: operator.address };
}
