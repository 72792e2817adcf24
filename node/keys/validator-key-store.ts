// The validator's ed25519 signing key in a passphrase-protected JSON file: scrypt stretches the passphrase,
// AES-256-GCM (node:crypto) encrypts the 32-byte secret. The public key and operator stay in clear so tools can
// show them without the passphrase; loading checks the secret derives that public key. The plain INSECURE
// devnet key files of genesis/validator-key-file.ts are also accepted, so a devnet runs without passphrases.

import * as crypto from "node:crypto";
import { keyPairFromSeed } from "../../consensus/crypto/ed25519.ts";
import { bytesEqual, fromHex, toHex } from "../../consensus/crypto/hash.ts";
import { parseAddress, toChecksumAddress } from "../../genesis/eth-address.ts";
import { loadValidatorKeyFile } from "../../genesis/validator-key-file.ts";
import { KeysError, type PassphraseSource } from "./keys-error.ts";
import { SCRYPT_STANDARD, deriveScrypt, type ScryptParams } from "./scrypt-kdf.ts";
import { readKeyJson, writeSecretJson } from "./secret-file.ts";

export const VALIDATOR_KEY_FILE_TYPE = "xdpchain-validator-key";

export interface ValidatorKeyStoreJson {
  type: typeof VALIDATOR_KEY_FILE_TYPE;
  version: 1;
  publicKey: string;
  operator?: string;
  crypto: {
    kdf: "scrypt";
    kdfparams: ScryptParams & { salt: string };
    cipher: "aes-256-gcm";
    iv: string;
    ciphertext: string;
    tag: string;
  };
}

export interface ValidatorKey {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
  operator?: Uint8Array;
}

export interface LoadedValidatorKey extends ValidatorKey {
  /** True for a plain devnet key file: the node should say so in its log. */
  insecure: boolean;
}

/** Binds the ciphertext to this file format so it cannot be replayed as some other kind of secret. */
const AAD = new TextEncoder().encode("xdpchain-validator-key/v1");

export async function encryptValidatorKey(
  key: { secretKey: Uint8Array; operator?: Uint8Array },
  passphrase: string,
  options: { scrypt?: ScryptParams } = {},
): Promise<ValidatorKeyStoreJson> {
  if (key.secretKey.length !== 32) throw new KeysError("KEYS_ERROR_INVALID_KEY", "an ed25519 secret key is 32 bytes");
  const params = options.scrypt ?? SCRYPT_STANDARD;
  const salt = crypto.randomBytes(32);
  const iv = crypto.randomBytes(12);
  const aesKey = await deriveScrypt(passphrase, salt, params, 32);
  const cipher = crypto.createCipheriv("aes-256-gcm", aesKey, iv);
  cipher.setAAD(AAD);
  const ciphertext = Buffer.concat([cipher.update(key.secretKey), cipher.final()]);
  return {
    type: VALIDATOR_KEY_FILE_TYPE,
    version: 1,
    publicKey: `0x${toHex(keyPairFromSeed(key.secretKey).publicKey)}`,
    ...(key.operator ? { operator: toChecksumAddress(key.operator) } : {}),
    crypto: {
      kdf: "scrypt",
      kdfparams: { n: params.n, r: params.r, p: params.p, salt: toHex(salt) },
      cipher: "aes-256-gcm",
      iv: toHex(iv),
      ciphertext: toHex(ciphertext),
      tag: toHex(cipher.getAuthTag()),
    },
  };
}

/** Encrypts and writes the key (mode 0600); refuses to replace an existing file unless `overwrite`. */
export async function saveValidatorKey(
  file: string,
  key: { secretKey: Uint8Array; operator?: Uint8Array },
  passphrase: string,
  options: { scrypt?: ScryptParams; overwrite?: boolean } = {},
): Promise<ValidatorKeyStoreJson> {
  const json = await encryptValidatorKey(key, passphrase, options);
  writeSecretJson(file, json, options.overwrite ?? false);
  return json;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** A plain devnet key file (genesis/validator-key-file.ts) carries its secret in clear. */
export function isPlainDevnetKeyFile(json: unknown): boolean {
  return isObj(json) && typeof json.secretKey === "string" && typeof json.warning === "string" && json.warning.includes("INSECURE");
}

export function isValidatorKeyStore(json: unknown): boolean {
  return isObj(json) && json.type === VALIDATOR_KEY_FILE_TYPE;
}

function hexBytes(v: unknown, name: string, bytes: number | null, bad: (why: string) => KeysError): Uint8Array {
  if (typeof v !== "string" || !/^(0x)?([0-9a-fA-F]{2})+$/.test(v)) throw bad(`${name} must be hex`);
  const out = fromHex(v);
  if (bytes !== null && out.length !== bytes) throw bad(`${name} must be ${bytes} bytes`);
  return out;
}

/** The public key and operator of either validator key format, without a passphrase. */
export function readValidatorKeyPublic(file: string): { publicKey: Uint8Array; operator?: Uint8Array; insecure: boolean } {
  const json = readKeyJson(file);
  const bad = (why: string) => new KeysError("KEYS_ERROR_FORMAT", `validator key file ${file}: ${why}`, { file });
  if (!isValidatorKeyStore(json) && !isPlainDevnetKeyFile(json)) throw bad(`not a validator key file (type "${VALIDATOR_KEY_FILE_TYPE}" or a devnet key file)`);
  const o = json as Obj;
  const publicKey = hexBytes(o.publicKey, "publicKey", 32, bad);
  let operator: Uint8Array | undefined;
  if (o.operator !== undefined) {
    const parsed = typeof o.operator === "string" ? parseAddress(o.operator) : null;
    if (!parsed?.ok) throw bad("operator must be an Ethereum address");
    operator = parsed.address;
  }
  return { publicKey, ...(operator ? { operator } : {}), insecure: isPlainDevnetKeyFile(json) };
}

export async function decryptValidatorKey(json: unknown, passphrase: string, file?: string): Promise<ValidatorKey> {
  const where = file ?? "validator key";
  const data = file ? { file } : {};
  const bad = (why: string) => new KeysError("KEYS_ERROR_FORMAT", `${where}: ${why}`, data);
  if (!isValidatorKeyStore(json)) throw bad(`type must be "${VALIDATOR_KEY_FILE_TYPE}"`);
  const o = json as Obj;
  if (o.version !== 1) throw new KeysError("KEYS_ERROR_UNSUPPORTED", `${where}: version ${String(o.version)} is not supported`, data);
  const c = isObj(o.crypto) ? o.crypto : null;
  if (!c || c.kdf !== "scrypt" || c.cipher !== "aes-256-gcm" || !isObj(c.kdfparams)) {
    throw new KeysError("KEYS_ERROR_UNSUPPORTED", `${where}: crypto must be scrypt with aes-256-gcm`, data);
  }
  const publicKey = hexBytes(o.publicKey, "publicKey", 32, bad);
  const kp = c.kdfparams;
  const salt = hexBytes(kp.salt, "crypto.kdfparams.salt", null, bad);
  const iv = hexBytes(c.iv, "crypto.iv", 12, bad);
  const ciphertext = hexBytes(c.ciphertext, "crypto.ciphertext", 32, bad);
  const tag = hexBytes(c.tag, "crypto.tag", 16, bad);
  const aesKey = await deriveScrypt(passphrase, salt, { n: Number(kp.n), r: Number(kp.r), p: Number(kp.p) }, 32, file);
  let secretKey: Uint8Array;
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", aesKey, iv);
    decipher.setAAD(AAD);
    decipher.setAuthTag(tag);
    secretKey = new Uint8Array(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
  } catch {
    throw new KeysError("KEYS_ERROR_WRONG_PASSPHRASE", `wrong passphrase for ${where} (authentication tag mismatch)`, data);
  }
  const pair = keyPairFromSeed(secretKey);
  if (!bytesEqual(pair.publicKey, publicKey)) {
    throw new KeysError("KEYS_ERROR_KEY_MISMATCH", `${where}: the decrypted secret does not belong to publicKey 0x${toHex(publicKey)}`, data);
  }
  let operator: Uint8Array | undefined;
  if (o.operator !== undefined) {
    const parsed = typeof o.operator === "string" ? parseAddress(o.operator) : null;
    if (!parsed?.ok) throw bad("operator must be an Ethereum address");
    operator = parsed.address;
  }
  return { publicKey, secretKey, ...(operator ? { operator } : {}) };
}

/**
 * Loads a validator key of either format. The passphrase source is asked only for an encrypted file, so a
 * devnet with plain key files never prompts. Plain files are checked by genesis/validator-key-file.ts.
 */
export async function loadValidatorKey(file: string, passphrase: PassphraseSource): Promise<LoadedValidatorKey> {
  const json = readKeyJson(file);
  if (isPlainDevnetKeyFile(json)) {
    const k = loadValidatorKeyFile(file);
    return { publicKey: k.publicKey, secretKey: k.secretKey, operator: k.operator, insecure: true };
  }
  if (!isValidatorKeyStore(json)) {
    throw new KeysError("KEYS_ERROR_FORMAT", `${file} is not a validator key file (type "${VALIDATOR_KEY_FILE_TYPE}" or a devnet key file)`, { file });
  }
  const key = await decryptValidatorKey(json, await passphrase(), file);
  return { ...key, insecure: false };
}
