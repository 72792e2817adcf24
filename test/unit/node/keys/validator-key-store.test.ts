// The validator key store: encrypted round trip with the public key readable in clear, mode 0600, wrong
// passphrase and edited public key refused by code, plain devnet key files loaded without asking a passphrase.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { keyPairFromSeed } from "../../../../consensus/crypto/ed25519.ts";
import { toHex } from "../../../../consensus/crypto/hash.ts";
import { generateDevnetGenesis } from "../../../../genesis/devnet-genesis.ts";
import { writeValidatorKeyFiles } from "../../../../genesis/validator-key-file.ts";
import { KeysError } from "../../../../node/keys/keys-error.ts";
import { createNodeKey, loadNodeKey } from "../../../../node/keys/node-key.ts";
import { loadValidatorKey, readValidatorKeyPublic, saveValidatorKey } from "../../../../node/keys/validator-key-store.ts";
import { makeTempDirs } from "../../../support/temp-dirs.ts";

const tmp = makeTempDirs();
afterEach(() => tmp.cleanup());

const FAST = { n: 1024, r: 8, p: 1 };
const SECRET = new Uint8Array(32).fill(7);
const PAIR = keyPairFromSeed(SECRET);
const OPERATOR = new Uint8Array(20).fill(0xab);

async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  await expect(p).rejects.toBeInstanceOf(KeysError);
  await expect(p).rejects.toMatchObject({ code });
}

describe("validator key store", () => {
  it("round-trips through an encrypted 0600 file whose public key is readable without the passphrase", async () => {
    const file = path.join(tmp.make(), "keys", "validator.json");
    await saveValidatorKey(file, { secretKey: SECRET, operator: OPERATOR }, "pw", { scrypt: FAST });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(file, "utf8");
    expect(text).not.toContain(toHex(SECRET));
    const pub = readValidatorKeyPublic(file);
    expect(toHex(pub.publicKey)).toBe(toHex(PAIR.publicKey));
    expect(toHex(pub.operator!)).toBe(toHex(OPERATOR));
    expect(pub.insecure).toBe(false);
    let asked = 0;
    const key = await loadValidatorKey(file, () => {
      asked++;
      return "pw";
    });
    expect(asked).toBe(1);
    expect(toHex(key.secretKey)).toBe(toHex(SECRET));
    expect(toHex(key.publicKey)).toBe(toHex(PAIR.publicKey));
    expect(toHex(key.operator!)).toBe(toHex(OPERATOR));
    expect(key.insecure).toBe(false);
  });

  it("refuses to overwrite an existing key file", async () => {
    const file = path.join(tmp.make(), "v.json");
    await saveValidatorKey(file, { secretKey: SECRET }, "pw", { scrypt: FAST });
    await rejectsWith(saveValidatorKey(file, { secretKey: new Uint8Array(32).fill(8) }, "pw", { scrypt: FAST }), "KEYS_ERROR_EXISTS");
    expect(toHex(readValidatorKeyPublic(file).publicKey)).toBe(toHex(PAIR.publicKey));
  });

  it("gives KEYS_ERROR_WRONG_PASSPHRASE for a wrong passphrase", async () => {
    const file = path.join(tmp.make(), "v.json");
    await saveValidatorKey(file, { secretKey: SECRET }, "right", { scrypt: FAST });
    await rejectsWith(loadValidatorKey(file, () => "wrong"), "KEYS_ERROR_WRONG_PASSPHRASE");
  });

  it("refuses a file whose clear public key was changed", async () => {
    const file = path.join(tmp.make(), "v.json");
    await saveValidatorKey(file, { secretKey: SECRET }, "pw", { scrypt: FAST });
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    json.publicKey = `0x${toHex(keyPairFromSeed(new Uint8Array(32).fill(9)).publicKey)}`;
    fs.writeFileSync(file, JSON.stringify(json));
    await rejectsWith(loadValidatorKey(file, () => "pw"), "KEYS_ERROR_KEY_MISMATCH");
  });

  it("refuses a tampered ciphertext and files that are not validator keys", async () => {
    const dir = tmp.make();
    const file = path.join(dir, "v.json");
    await saveValidatorKey(file, { secretKey: SECRET }, "pw", { scrypt: FAST });
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    json.crypto.ciphertext = (json.crypto.ciphertext[0] === "0" ? "1" : "0") + json.crypto.ciphertext.slice(1);
    fs.writeFileSync(file, JSON.stringify(json));
    await rejectsWith(loadValidatorKey(file, () => "pw"), "KEYS_ERROR_WRONG_PASSPHRASE");
    const other = path.join(dir, "other.json");
    fs.writeFileSync(other, JSON.stringify({ hello: 1 }));
    await rejectsWith(loadValidatorKey(other, () => "pw"), "KEYS_ERROR_FORMAT");
    fs.writeFileSync(other, "{not json");
    await rejectsWith(loadValidatorKey(other, () => "pw"), "KEYS_ERROR_FORMAT");
    await rejectsWith(loadValidatorKey(path.join(dir, "missing.json"), () => "pw"), "KEYS_ERROR_READ");
  });

  it("loads a plain devnet key file without asking for a passphrase and marks it insecure", async () => {
    const dir = tmp.make();
    const { validatorKeys } = generateDevnetGenesis({ validators: 2 });
    const [file0] = writeValidatorKeyFiles(dir, validatorKeys);
    const key = await loadValidatorKey(file0!, () => {
      throw new Error("must not ask");
    });
    expect(key.insecure).toBe(true);
    expect(toHex(key.secretKey)).toBe(toHex(validatorKeys[0]!.secretKey));
    expect(toHex(key.publicKey)).toBe(toHex(validatorKeys[0]!.publicKey));
    expect(toHex(key.operator!)).toBe(toHex(validatorKeys[0]!.operator));
    expect(readValidatorKeyPublic(file0!).insecure).toBe(true);
  });

  it("still checks a plain devnet file's secret against its public key", async () => {
    const dir = tmp.make();
    const { validatorKeys } = generateDevnetGenesis({ validators: 2 });
    const [file0] = writeValidatorKeyFiles(dir, validatorKeys);
    const json = JSON.parse(fs.readFileSync(file0!, "utf8"));
    json.publicKey = `0x${toHex(validatorKeys[1]!.publicKey)}`;
    fs.writeFileSync(file0!, JSON.stringify(json));
    await expect(loadValidatorKey(file0!, () => "pw")).rejects.toMatchObject({ code: "GENESIS_ERROR_KEY_FILE" });
  });
});

describe("node key", () => {
  it("creates a 0600 key once and loads the same key back", () => {
    const file = path.join(tmp.make(), "node-key.json");
    const created = createNodeKey(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const loaded = loadNodeKey(file);
    expect(toHex(loaded.secretKey)).toBe(toHex(created.secretKey));
    expect(toHex(loaded.publicKey)).toBe(toHex(created.publicKey));
    expect(() => createNodeKey(file)).toThrow(expect.objectContaining({ code: "KEYS_ERROR_EXISTS" }));
  });

  it("refuses a node key whose public key does not match", () => {
    const file = path.join(tmp.make(), "node-key.json");
    createNodeKey(file, SECRET);
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    json.publicKey = `0x${"11".repeat(32)}`;
    fs.writeFileSync(file, JSON.stringify(json));
    expect(() => loadNodeKey(file)).toThrow(expect.objectContaining({ code: "KEYS_ERROR_KEY_MISMATCH" }));
    fs.writeFileSync(file, JSON.stringify({ type: "xdpchain-node-key", secretKey: "0x12" }));
    expect(() => loadNodeKey(file)).toThrow(expect.objectContaining({ code: "KEYS_ERROR_FORMAT" }));
  });
});
