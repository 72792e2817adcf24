// `xdpchain keys generate|import|list --home DIR`: the operator's keys in `<home>/keys/`. Account keys are
// Ethereum keystore v3 files (geth, ethers and MetaMask read them); validator keys use validator-key-store.ts.
// Passphrases come from passphrase.ts (file, environment or prompt). Nothing here ever prints a secret.

import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { publicKeyFromSecret } from "../../consensus/crypto/ed25519.ts";
import { fromHex, toHex } from "../../consensus/crypto/hash.ts";
import { parseAddress, toChecksumAddress } from "../../genesis/eth-address.ts";
import { configFilePath, loadNodeConfig, writeNodeConfig } from "../config/node-config.ts";
import { HOME_LAYOUT } from "../config/node-home.ts";
import { accountKeyFileName, listKeyFiles, validatorKeyFileName } from "../keys/key-directory.ts";
import { KeysError } from "../keys/keys-error.ts";
import { encryptKeystoreV3 } from "../keys/keystore-v3.ts";
import { loadNodeKey } from "../keys/node-key.ts";
import { SCRYPT_LIGHT, SCRYPT_STANDARD } from "../keys/scrypt-kdf.ts";
import { writeSecretJson } from "../keys/secret-file.ts";
import { saveValidatorKey } from "../keys/validator-key-store.ts";
import { parseArgs, runCommand, runSubcommandGroup, UsageError, type CommandSpec } from "./args.ts";
import { passphraseSource } from "./passphrase.ts";

const HOME = { type: "string", description: "the node home (keys live in <home>/keys/)", valueName: "DIR", required: true } as const;
const TYPE = { type: "string", description: "key type", valueName: "TYPE", choices: ["account", "validator"], default: "account" } as const;
const PASSPHRASE_FILE = { type: "string", description: "file holding the passphrase (else $XDPCHAIN_PASSPHRASE, else a prompt)", valueName: "FILE" } as const;
const LIGHT_KDF = { type: "boolean", description: "cheap scrypt (n=4096) for throwaway devnet keys; never for keys with value" } as const;

const GENERATE = {
  command: "xdpchain keys generate",
  summary: "create a new random key, encrypted with a passphrase",
  flags: {
    home: HOME,
    type: TYPE,
    operator: { type: "string", description: "validator keys: the operator account address to record beside the key", valueName: "ADDRESS" },
    "passphrase-file": PASSPHRASE_FILE,
    "light-kdf": LIGHT_KDF,
  },
  epilog: "A new validator key becomes the home's validator key if config.json names none yet.",
} as const satisfies CommandSpec;

const IMPORT = {
  command: "xdpchain keys import",
  summary: "encrypt an existing private key (hex in a file) into the key directory",
  flags: {
    home: HOME,
    type: TYPE,
    "private-key-file": { type: "string", description: "file holding the private key as 64 hex digits", valueName: "FILE", required: true },
    operator: GENERATE.flags.operator,
    "passphrase-file": PASSPHRASE_FILE,
    "light-kdf": LIGHT_KDF,
  },
} as const satisfies CommandSpec;

const LIST = {
  command: "xdpchain keys list",
  summary: "list the keys of a node home (addresses and public keys; never secrets)",
  flags: { home: HOME },
} as const satisfies CommandSpec;

type KeyFlags = { home: string; type: string; operator: string | undefined; "passphrase-file": string | undefined; "light-kdf": boolean };

function readPrivateKeyFile(file: string): Uint8Array {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8").trim();
  } catch (err) {
    throw new KeysError("KEYS_ERROR_READ", `cannot read private key file ${file}: ${(err as Error).message}`, { file });
  }
  if (!/^(0x)?[0-9a-fA-F]{64}$/.test(text)) throw new KeysError("KEYS_ERROR_FORMAT", `${file} must hold a private key as 64 hex digits`, { file });
  return fromHex(text);
}

function parseOperator(command: string, text: string | undefined): Uint8Array | undefined {
  if (text === undefined) return undefined;
  const parsed = parseAddress(text);
  if (!parsed.ok) throw new UsageError(command, `--operator ${parsed.reason}`);
  return parsed.address;
}

async function storeAccount(f: KeyFlags, privateKey: Uint8Array): Promise<void> {
  if (!secp256k1.utils.isValidSecretKey(privateKey)) throw new KeysError("KEYS_ERROR_INVALID_KEY", "not a valid secp256k1 private key");
  const scrypt = f["light-kdf"] ? SCRYPT_LIGHT : SCRYPT_STANDARD;
  const passphrase = await passphraseSource({ purpose: "the new account key", confirm: true, file: f["passphrase-file"] })();
  const keystore = await encryptKeystoreV3(privateKey, passphrase, { scrypt });
  const file = path.join(path.resolve(f.home), HOME_LAYOUT.keysDir, accountKeyFileName(fromHex(keystore.address)));
  writeSecretJson(file, keystore);
  console.log(`account key\n  address  ${toChecksumAddress(fromHex(keystore.address))}\n  file     ${file}\n  format   keystore v3, scrypt n=${scrypt.n}`);
}

async function storeValidator(command: string, f: KeyFlags, secretKey: Uint8Array): Promise<void> {
  const operator = parseOperator(command, f.operator);
  const scrypt = f["light-kdf"] ? SCRYPT_LIGHT : SCRYPT_STANDARD;
  const passphrase = await passphraseSource({ purpose: "the new validator key", confirm: true, file: f["passphrase-file"] })();
  const home = path.resolve(f.home);
  const publicKey = secretKeyPublic(secretKey);
  const rel = path.join(HOME_LAYOUT.keysDir, validatorKeyFileName(publicKey));
  const file = path.join(home, rel);
  await saveValidatorKey(file, { secretKey, ...(operator ? { operator } : {}) }, passphrase, { scrypt });
  console.log(`validator key\n  public key  0x${toHex(publicKey)}\n  file        ${file}\n  format      scrypt n=${scrypt.n}, aes-256-gcm`);
  if (fs.existsSync(configFilePath(home))) {
    const config = loadNodeConfig(home);
    if (config.validatorKeyFile === null) {
      writeNodeConfig(home, { validatorKeyFile: rel });
      console.log(`config.json now uses it: validatorKeyFile = ${rel}`);
    } else {
      console.log(`config.json keeps validatorKeyFile = ${config.validatorKeyFile}; edit it to switch`);
    }
  }
}

function secretKeyPublic(secretKey: Uint8Array): Uint8Array {
  if (secretKey.length !== 32) throw new KeysError("KEYS_ERROR_INVALID_KEY", "an ed25519 secret key is 32 bytes");
  return publicKeyFromSecret(secretKey);
}

async function keysGenerate(argv: string[]): Promise<number> {
  return runCommand(GENERATE.command, async () => {
    const args = parseArgs(GENERATE, argv);
    if (args.help) return printHelp(args.text);
    const f = args.flags;
    if (f.type === "account") await storeAccount(f, secp256k1.utils.randomSecretKey());
    else await storeValidator(GENERATE.command, f, new Uint8Array(crypto.randomBytes(32)));
    return 0;
  });
}

async function keysImport(argv: string[]): Promise<number> {
  return runCommand(IMPORT.command, async () => {
    const args = parseArgs(IMPORT, argv);
    if (args.help) return printHelp(args.text);
    const f = args.flags;
    const secret = readPrivateKeyFile(f["private-key-file"]);
    if (f.type === "account") await storeAccount(f, secret);
    else await storeValidator(IMPORT.command, f, secret);
    return 0;
  });
}

async function keysList(argv: string[]): Promise<number> {
  return runCommand(LIST.command, () => {
    const args = parseArgs(LIST, argv);
    if (args.help) return printHelp(args.text);
    const home = path.resolve(args.flags.home);
    const keysDir = path.join(home, HOME_LAYOUT.keysDir);
    const inUse = fs.existsSync(configFilePath(home)) ? loadNodeConfig(home).validatorKeyFile : null;
    const rows = listKeyFiles(keysDir).map((e) => [e.file === inUse ? `${e.type} (in use)` : e.type, e.id, e.file]);
    const nodeKeyFile = path.join(home, HOME_LAYOUT.nodeKey);
    if (fs.existsSync(nodeKeyFile)) rows.push(["node identity", `0x${toHex(loadNodeKey(nodeKeyFile).publicKey)}`, nodeKeyFile]);
    if (rows.length === 0) {
      console.log(`no keys in ${keysDir}`);
      return 0;
    }
    const header = ["TYPE", "ADDRESS / PUBLIC KEY", "FILE"];
    const width = [0, 1].map((i) => Math.max(header[i]!.length, ...rows.map((r) => r[i]!.length)) + 2);
    for (const r of [header, ...rows]) console.log(`${r[0]!.padEnd(width[0]!)}${r[1]!.padEnd(width[1]!)}${r[2]}`);
    return 0;
  });
}

function printHelp(text: string): number {
  console.log(text);
  return 0;
}

export async function cmdKeys(argv: string[]): Promise<number> {
  return runSubcommandGroup(
    {
      command: "xdpchain keys",
      summary: "manage the account and validator keys of a node home",
      subcommands: {
        generate: { summary: GENERATE.summary, run: keysGenerate },
        import: { summary: IMPORT.summary, run: keysImport },
        list: { summary: LIST.summary, run: keysList },
      },
    },
    argv,
  );
}
