// Keystore v3: our files open in ethers and ethers' files open here (scrypt), the Web3 Secret Storage pbkdf2
// test vector decrypts, and a wrong passphrase or any tampered byte is a coded error, never a wrong key.
import { Wallet, encryptKeystoreJson } from "ethers";
import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "../../../../consensus/crypto/hash.ts";
import { addressFromSecretKey } from "../../../../consensus/execution/transaction-signer.ts";
import { KeysError } from "../../../../node/keys/keys-error.ts";
import { SCRYPT_STANDARD, checkScryptParams } from "../../../../node/keys/scrypt-kdf.ts";
import { decryptKeystoreV3, encryptKeystoreV3, isKeystoreV3, keystoreAddress } from "../../../../node/keys/keystore-v3.ts";

const FAST = { n: 1024, r: 8, p: 1 };
const PRIVATE_KEY = fromHex("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
const EXPECTED_ADDRESS = "2c7536e3605d9c16a7a3d7b1898e529396a65c23";

async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  await expect(p).rejects.toBeInstanceOf(KeysError);
  await expect(p).rejects.toMatchObject({ code });
}

describe("keystore v3", () => {
  it("round-trips and records the address, uuid and cipher parameters", async () => {
    const ks = await encryptKeystoreV3(PRIVATE_KEY, "correct horse", { scrypt: FAST });
    expect(ks.version).toBe(3);
    expect(ks.address).toBe(EXPECTED_ADDRESS);
    expect(ks.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ks.crypto.kdfparams).toMatchObject({ n: 1024, r: 8, p: 1, dklen: 32 });
    expect(isKeystoreV3(ks)).toBe(true);
    expect(toHex(keystoreAddress(ks)!)).toBe(EXPECTED_ADDRESS);
    const out = await decryptKeystoreV3(JSON.parse(JSON.stringify(ks)), "correct horse");
    expect(toHex(out.privateKey)).toBe(toHex(PRIVATE_KEY));
    expect(toHex(out.address)).toBe(EXPECTED_ADDRESS);
  });

  it("defaults to the standard Web3 Secret Storage cost (not derived here: 256 MiB per run)", () => {
    expect(SCRYPT_STANDARD).toEqual({ n: 262_144, r: 8, p: 1 });
    expect(checkScryptParams(SCRYPT_STANDARD)).toBeNull();
  });

  it("writes files that ethers decrypts", async () => {
    const ks = await encryptKeystoreV3(PRIVATE_KEY, "interop ✓", { scrypt: FAST });
    const wallet = await Wallet.fromEncryptedJson(JSON.stringify(ks), "interop ✓");
    expect(wallet.privateKey).toBe(`0x${toHex(PRIVATE_KEY)}`);
    expect(wallet.address.toLowerCase()).toBe(`0x${EXPECTED_ADDRESS}`);
  });

  it("decrypts files that ethers wrote (capital Crypto, 0x address)", async () => {
    const wallet = Wallet.createRandom();
    const json = await encryptKeystoreJson({ address: wallet.address, privateKey: wallet.privateKey }, "from ethers", { scrypt: { N: 1024 } });
    const out = await decryptKeystoreV3(JSON.parse(json), "from ethers");
    expect(`0x${toHex(out.privateKey)}`).toBe(wallet.privateKey);
    expect(`0x${toHex(out.address)}`).toBe(wallet.address.toLowerCase());
  });

  it("decrypts the Web3 Secret Storage pbkdf2 test vector", async () => {
    const vector = {
      crypto: {
        cipher: "aes-128-ctr",
        cipherparams: { iv: "6087dab2f9fdbbfaddc31a909735c1e6" },
        ciphertext: "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46",
        kdf: "pbkdf2",
        kdfparams: { c: 262144, dklen: 32, prf: "hmac-sha256", salt: "ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd" },
        mac: "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2",
      },
      id: "3198bc9c-6672-5ab3-d995-4942343ae5b6",
      version: 3,
    };
    const out = await decryptKeystoreV3(vector, "testpassword");
    expect(toHex(out.privateKey)).toBe("7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d");
    expect(toHex(out.address)).toBe(toHex(addressFromSecretKey(out.privateKey)));
    await rejectsWith(decryptKeystoreV3(vector, "testpassword2"), "KEYS_ERROR_WRONG_PASSPHRASE");
  });

  it("refuses a wrong passphrase with a code, not garbage", async () => {
    const ks = await encryptKeystoreV3(PRIVATE_KEY, "right", { scrypt: FAST });
    await rejectsWith(decryptKeystoreV3(ks, "wrong", "/keys/a.json"), "KEYS_ERROR_WRONG_PASSPHRASE");
    await expect(decryptKeystoreV3(ks, "wrong", "/keys/a.json")).rejects.toThrow(/\/keys\/a\.json/);
  });

  it("detects a tampered MAC or ciphertext", async () => {
    const ks = await encryptKeystoreV3(PRIVATE_KEY, "pw", { scrypt: FAST });
    const flip = (hex: string) => (hex[0] === "0" ? "1" : "0") + hex.slice(1);
    const badMac = structuredClone(ks);
    badMac.crypto.mac = flip(ks.crypto.mac);
    await rejectsWith(decryptKeystoreV3(badMac, "pw"), "KEYS_ERROR_WRONG_PASSPHRASE");
    const badCipher = structuredClone(ks);
    badCipher.crypto.ciphertext = flip(ks.crypto.ciphertext);
    await rejectsWith(decryptKeystoreV3(badCipher, "pw"), "KEYS_ERROR_WRONG_PASSPHRASE");
  });

  it("refuses a file whose address field names another account", async () => {
    const ks = await encryptKeystoreV3(PRIVATE_KEY, "pw", { scrypt: FAST });
    await rejectsWith(decryptKeystoreV3({ ...ks, address: "11".repeat(20) }, "pw"), "KEYS_ERROR_KEY_MISMATCH");
  });

  it("rejects malformed files and unsupported or oversized parameters before deriving", async () => {
    const ks = await encryptKeystoreV3(PRIVATE_KEY, "pw", { scrypt: FAST });
    await rejectsWith(decryptKeystoreV3({ ...ks, version: 2 }, "pw"), "KEYS_ERROR_FORMAT");
    await rejectsWith(decryptKeystoreV3({ ...ks, crypto: { ...ks.crypto, cipher: "aes-128-cbc" } }, "pw"), "KEYS_ERROR_UNSUPPORTED");
    await rejectsWith(decryptKeystoreV3({ ...ks, crypto: { ...ks.crypto, kdf: "argon2" } }, "pw"), "KEYS_ERROR_UNSUPPORTED");
    await rejectsWith(decryptKeystoreV3({ ...ks, crypto: { ...ks.crypto, ciphertext: "zz" } }, "pw"), "KEYS_ERROR_FORMAT");
    const huge = { ...ks, crypto: { ...ks.crypto, kdfparams: { ...ks.crypto.kdfparams, n: 2 ** 24, r: 8 } } };
    await rejectsWith(decryptKeystoreV3(huge, "pw"), "KEYS_ERROR_UNSUPPORTED");
    const notPow2 = { ...ks, crypto: { ...ks.crypto, kdfparams: { ...ks.crypto.kdfparams, n: 1000 } } };
    await rejectsWith(decryptKeystoreV3(notPow2, "pw"), "KEYS_ERROR_UNSUPPORTED");
  });

  it("refuses to encrypt something that is not a secp256k1 key", async () => {
    await expect(encryptKeystoreV3(new Uint8Array(32), "pw", { scrypt: FAST })).rejects.toMatchObject({ code: "KEYS_ERROR_INVALID_KEY" });
  });
});
