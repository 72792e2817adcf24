// Ethereum keystore v3 (Web3 Secret Storage) for secp256k1 account keys, as geth, ethers and MetaMask write
// them: scrypt (or, on decrypt only, pbkdf2-hmac-sha256) stretches the passphrase; aes-128-ctr under the first
// 16 derived bytes encrypts the key; MAC = keccak256(derived[16..32] || ciphertext) detects a wrong passphrase.
// Not the validator's ed25519 key store (validator-key-store.ts), which is this project's own format.

import * as crypto from "node:crypto";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { keccak256, fromHex, toHex, bytesEqual } from "../../consensus/crypto/hash.ts";
import { addressFromSecretKey } from "../../consensus/execution/transaction-signer.ts";
import { KeysError } from "./keys-error.ts";
import { SCRYPT_STANDARD, deriveScrypt, passphraseBytes, type ScryptParams } from "./scrypt-kdf.ts";

export interface ScryptKdfParams extends ScryptParams {
  dklen: number;
  salt: string;
}

export interface Pbkdf2KdfParams {
  c: number;
  dklen: number;
  prf: "hmac-sha256";
  salt: string;
}

export interface KeystoreV3 {
  version: 3;
  id: string;
  /** 40 lowercase hex digits without 0x, as geth writes it. */
  address: string;
  crypto: {
    cipher: "aes-128-ctr";
    cipherparams: { iv: string };
    ciphertext: string;
    kdf: "scrypt" | "pbkdf2";
    kdfparams: ScryptKdfParams | Pbkdf2KdfParams;
    mac: string;
  };
}

export interface KeystoreEncryptOptions {
  /** Defaults to SCRYPT_STANDARD; tests and throwaway devnet keys pass SCRYPT_LIGHT or lower. */
  scrypt?: ScryptParams;
  /** Fixed salt, iv and id for reproducible test files; random otherwise. */
  salt?: Uint8Array;
  iv?: Uint8Array;
  id?: string;
}

const DKLEN = 32;
const PBKDF2_ROUNDS_MAX = 10_000_000;

function keystoreMac(derived: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const body = new Uint8Array(16 + ciphertext.length);
  body.set(derived.subarray(16, 32));
  body.set(ciphertext, 16);
  return keccak256(body);
}

function aes128Ctr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const cipher = crypto.createCipheriv("aes-128-ctr", key, iv);
  return new Uint8Array(Buffer.concat([cipher.update(data), cipher.final()]));
}

export async function encryptKeystoreV3(privateKey: Uint8Array, passphrase: string, options: KeystoreEncryptOptions = {}): Promise<KeystoreV3> {
  if (!secp256k1.utils.isValidSecretKey(privateKey)) {
    throw new KeysError("KEYS_ERROR_INVALID_KEY", "not a secp256k1 private key (32 bytes, from 1 to n-1)");
  }
  const params = options.scrypt ?? SCRYPT_STANDARD;
  const salt = options.salt ?? crypto.randomBytes(32);
  const iv = options.iv ?? crypto.randomBytes(16);
  const derived = await deriveScrypt(passphrase, salt, params, DKLEN);
  const ciphertext = aes128Ctr(derived.subarray(0, 16), iv, privateKey);
  return {
    version: 3,
    id: options.id ?? crypto.randomUUID(),
    address: toHex(addressFromSecretKey(privateKey)),
    crypto: {
      cipher: "aes-128-ctr",
      cipherparams: { iv: toHex(iv) },
      ciphertext: toHex(ciphertext),
      kdf: "scrypt",
      kdfparams: { dklen: DKLEN, n: params.n, r: params.r, p: params.p, salt: toHex(salt) },
      mac: toHex(keystoreMac(derived, ciphertext)),
    },
  };
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** True for anything shaped like a v3 keystore (`crypto` or ethers' `Crypto`); says nothing about the passphrase. */
export function isKeystoreV3(json: unknown): boolean {
  return isObj(json) && json.version === 3 && (isObj(json.crypto) || isObj(json.Crypto));
}

/** The address a keystore says it holds (no passphrase needed), or null if it names none. */
export function keystoreAddress(json: unknown): Uint8Array | null {
  if (!isObj(json) || typeof json.address !== "string") return null;
  const hex = json.address.startsWith("0x") ? json.address.slice(2) : json.address;
  return /^[0-9a-fA-F]{40}$/.test(hex) ? fromHex(hex) : null;
}

interface ParsedKeystore {
  iv: Uint8Array;
  ciphertext: Uint8Array;
  mac: Uint8Array;
  derive: (passphrase: string) => Promise<Uint8Array>;
}

function parseKeystore(json: unknown, file: string | undefined): ParsedKeystore {
  const where = file ?? "keystore";
  const bad = (why: string) => new KeysError("KEYS_ERROR_FORMAT", `${where}: ${why}`, file ? { file } : {});
  const unsupported = (why: string) => new KeysError("KEYS_ERROR_UNSUPPORTED", `${where}: ${why}`, file ? { file } : {});
  if (!isObj(json) || json.version !== 3) throw bad("not a version 3 keystore");
  const c = isObj(json.crypto) ? json.crypto : isObj(json.Crypto) ? json.Crypto : null;
  if (!c) throw bad("crypto must be an object");
  const hexField = (v: unknown, name: string, bytes?: number): Uint8Array => {
    if (typeof v !== "string" || !/^(0x)?([0-9a-fA-F]{2})+$/.test(v)) throw bad(`${name} must be hex`);
    const out = fromHex(v);
    if (bytes !== undefined && out.length !== bytes) throw bad(`${name} must be ${bytes} bytes`);
    return out;
  };
  if (c.cipher !== "aes-128-ctr") throw unsupported(`cipher ${String(c.cipher)} is not supported (only aes-128-ctr)`);
  const iv = hexField(isObj(c.cipherparams) ? c.cipherparams.iv : undefined, "crypto.cipherparams.iv", 16);
  const ciphertext = hexField(c.ciphertext, "crypto.ciphertext", 32);
  const mac = hexField(c.mac, "crypto.mac", 32);
  if (!isObj(c.kdfparams)) throw bad("crypto.kdfparams must be an object");
  const kp = c.kdfparams;
  if (kp.dklen !== DKLEN) throw unsupported(`crypto.kdfparams.dklen must be ${DKLEN}`);
  const salt = hexField(kp.salt, "crypto.kdfparams.salt");
  if (c.kdf === "scrypt") {
    const params = { n: Number(kp.n), r: Number(kp.r), p: Number(kp.p) };
    return { iv, ciphertext, mac, derive: (pw) => deriveScrypt(pw, salt, params, DKLEN, file) };
  }
  if (c.kdf === "pbkdf2") {
    if (kp.prf !== "hmac-sha256") throw unsupported(`pbkdf2 prf ${String(kp.prf)} is not supported (only hmac-sha256)`);
    const rounds = kp.c;
    if (typeof rounds !== "number" || !Number.isSafeInteger(rounds) || rounds < 1 || rounds > PBKDF2_ROUNDS_MAX) {
      throw unsupported(`pbkdf2 c must be an integer from 1 to ${PBKDF2_ROUNDS_MAX}`);
    }
    const derive = (pw: string) =>
      new Promise<Uint8Array>((resolve, reject) =>
        crypto.pbkdf2(passphraseBytes(pw), salt, rounds, DKLEN, "sha256", (err, key) => (err ? reject(err) : resolve(key))),
      );
    return { iv, ciphertext, mac, derive };
  }
  throw unsupported(`kdf ${String(c.kdf)} is not supported (scrypt or pbkdf2)`);
}

export async function decryptKeystoreV3(json: unknown, passphrase: string, file?: string): Promise<{ privateKey: Uint8Array; address: Uint8Array }> {
  const k = parseKeystore(json, file);
  const data = file ? { file } : {};
  const derived = await k.derive(passphrase);
  const mac = keystoreMac(derived, k.ciphertext);
  if (!crypto.timingSafeEqual(mac, k.mac)) {
    throw new KeysError("KEYS_ERROR_WRONG_PASSPHRASE", `wrong passphrase for ${file ?? "keystore"} (MAC mismatch)`, data);
  }
  const privateKey = aes128Ctr(derived.subarray(0, 16), k.iv, k.ciphertext);
  if (!secp256k1.utils.isValidSecretKey(privateKey)) {
    throw new KeysError("KEYS_ERROR_INVALID_KEY", `${file ?? "keystore"} decrypts to an invalid secp256k1 key`, data);
  }
  const address = addressFromSecretKey(privateKey);
  const named = keystoreAddress(json);
  if (named && !bytesEqual(named, address)) {
    throw new KeysError("KEYS_ERROR_KEY_MISMATCH", `${file ?? "keystore"} holds the key of 0x${toHex(address)}, not of its address field`, data);
  }
  return { privateKey, address };
}
