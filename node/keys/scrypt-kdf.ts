// The scrypt key derivation shared by the account keystore (keystore-v3.ts) and the validator key store.
// Parameters read from a file are checked against limits before any memory is allocated, so a hostile file
// cannot ask for gigabytes. Not a general KDF library: scrypt only, through node:crypto.

import * as crypto from "node:crypto";
import { KeysError } from "./keys-error.ts";

export interface ScryptParams {
  /** CPU/memory cost: a power of two. */
  n: number;
  r: number;
  p: number;
}

/** Web3 Secret Storage's standard cost (geth's default): about 256 MiB and a second or so per derivation. */
export const SCRYPT_STANDARD: ScryptParams = { n: 262_144, r: 8, p: 1 };
/** geth's --lightkdf cost: for throwaway devnet keys and tests, never for keys with value. */
export const SCRYPT_LIGHT: ScryptParams = { n: 4_096, r: 8, p: 1 };

const SCRYPT_MEMORY_MAX_BYTES = 1024 * 1024 * 1024;
const SCRYPT_P_MAX = 16;

/** Passphrases are UTF-8 of the NFKC form, as ethers encodes them, so the same text opens the same file. */
export function passphraseBytes(passphrase: string): Buffer {
  return Buffer.from(passphrase.normalize("NFKC"), "utf8");
}

/** OpenSSL's accounting: V is 128*r*(n+2) bytes, B is 128*r*p. */
function scryptMemoryBytes(params: ScryptParams): number {
  return 128 * params.r * (params.n + 2 + params.p);
}

/** Returns the reason the parameters are unacceptable, or null. */
export function checkScryptParams(params: ScryptParams): string | null {
  const { n, r, p } = params;
  if (!Number.isSafeInteger(n) || n < 2 || (n & (n - 1)) !== 0) return "scrypt n must be a power of two above 1";
  if (!Number.isSafeInteger(r) || r < 1) return "scrypt r must be a positive integer";
  if (!Number.isSafeInteger(p) || p < 1 || p > SCRYPT_P_MAX) return `scrypt p must be an integer from 1 to ${SCRYPT_P_MAX}`;
  if (scryptMemoryBytes(params) > SCRYPT_MEMORY_MAX_BYTES) return "scrypt parameters need more than 1 GiB of memory";
  return null;
}

export async function deriveScrypt(passphrase: string, salt: Uint8Array, params: ScryptParams, keyBytes: number, file?: string): Promise<Buffer> {
  const problem = checkScryptParams(params);
  if (problem) throw new KeysError("KEYS_ERROR_UNSUPPORTED", `${file ?? "key file"}: ${problem}`, file ? { file } : {});
  // node:crypto refuses above 32 MiB by default; the standard cost needs about 256 MiB.
  const maxmem = scryptMemoryBytes(params) + 1024 * 1024;
  return new Promise((resolve, reject) => {
    crypto.scrypt(passphraseBytes(passphrase), salt, keyBytes, { N: params.n, r: params.r, p: params.p, maxmem }, (err, key) =>
      err ? reject(new KeysError("KEYS_ERROR_UNSUPPORTED", `scrypt failed: ${err.message}`, file ? { file } : {})) : resolve(key),
    );
  });
}
