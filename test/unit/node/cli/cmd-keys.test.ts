// `xdpchain keys` in-process: generate and import accounts (files ethers opens) and validators (which the home's
// config then uses), list without secrets, and passphrase and usage errors with their exit codes.
import * as fs from "node:fs";
import * as path from "node:path";
import { Wallet } from "ethers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { keyPairFromSeed } from "../../../../consensus/crypto/ed25519.ts";
import { toHex } from "../../../../consensus/crypto/hash.ts";
import { loadNodeConfig } from "../../../../node/config/node-config.ts";
import { loadValidatorKey } from "../../../../node/keys/validator-key-store.ts";
import { makeTempDirs } from "../../../support/temp-dirs.ts";
import { runCli } from "./cli-harness.ts";

const tmp = makeTempDirs();
beforeEach(() => vi.stubEnv("XDPCHAIN_PASSPHRASE", undefined));
afterEach(() => {
  vi.unstubAllEnvs();
  tmp.cleanup();
});

const ACCOUNT_KEY = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
const ACCOUNT_ADDRESS = "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23";

function setup(): { home: string; pw: string; dir: string } {
  const dir = tmp.make();
  const pw = path.join(dir, "pw");
  fs.writeFileSync(pw, "test passphrase\n");
  return { home: path.join(dir, "home"), pw, dir };
}

describe("xdpchain keys", () => {
  it("imports an account key into a keystore that ethers opens, and lists it without secrets", async () => {
    const { home, pw, dir } = setup();
    expect((await runCli(["init", "--home", home])).code).toBe(0);
    const keyFile = path.join(dir, "key.hex");
    fs.writeFileSync(keyFile, `${ACCOUNT_KEY}\n`);
    const r = await runCli(["keys", "import", "--home", home, "--type", "account", "--private-key-file", keyFile, "--passphrase-file", pw, "--light-kdf"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`address  ${ACCOUNT_ADDRESS}`);
    const stored = path.join(home, "keys", `account-${ACCOUNT_ADDRESS.slice(2).toLowerCase()}.json`);
    expect(fs.statSync(stored).mode & 0o777).toBe(0o600);
    const wallet = await Wallet.fromEncryptedJson(fs.readFileSync(stored, "utf8"), "test passphrase");
    expect(wallet.privateKey).toBe(ACCOUNT_KEY);
    const again = await runCli(["keys", "import", "--home", home, "--private-key-file", keyFile, "--passphrase-file", pw, "--light-kdf"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("KEYS_ERROR_EXISTS");
    const list = await runCli(["keys", "list", "--home", home]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^account\\s+${ACCOUNT_ADDRESS}\\s+${stored}$`, "m"));
    expect(list.stdout).toMatch(/^node identity\s+0x[0-9a-f]{64}\s+.*node-key\.json$/m);
    const nodeSecret = JSON.parse(fs.readFileSync(path.join(home, "node-key.json"), "utf8")).secretKey.slice(2);
    expect(list.stdout).not.toContain(ACCOUNT_KEY.slice(2));
    expect(list.stdout).not.toContain(nodeSecret);
  });

  it("generates a validator key, makes it the home's validator key and loads it with the passphrase", async () => {
    const { home, pw } = setup();
    await runCli(["init", "--home", home]);
    vi.stubEnv("XDPCHAIN_PASSPHRASE", "from the environment");
    const r = await runCli(["keys", "generate", "--home", home, "--type", "validator", "--light-kdf", "--operator", ACCOUNT_ADDRESS]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("config.json now uses it");
    const config = loadNodeConfig(home);
    expect(config.validatorKeyFile).not.toBeNull();
    const key = await loadValidatorKey(config.validatorKeyFile!, () => "from the environment");
    expect(r.stdout).toContain(`public key  0x${toHex(key.publicKey)}`);
    expect(toHex(key.operator!)).toBe(ACCOUNT_ADDRESS.slice(2).toLowerCase());
    const second = await runCli(["keys", "generate", "--home", home, "--type", "validator", "--light-kdf", "--passphrase-file", pw]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("config.json keeps validatorKeyFile");
    expect(loadNodeConfig(home).validatorKeyFile).toBe(config.validatorKeyFile);
    const list = await runCli(["keys", "list", "--home", home]);
    expect(list.stdout).toMatch(new RegExp(`^validator \\(in use\\)\\s+0x${toHex(key.publicKey)}`, "m"));
    expect(list.stdout.match(/^validator/gm)).toHaveLength(2);
  });

  it("imports a validator secret and checks it derives the recorded public key", async () => {
    const { home, pw, dir } = setup();
    const secret = new Uint8Array(32).fill(5);
    const keyFile = path.join(dir, "v.hex");
    fs.writeFileSync(keyFile, toHex(secret));
    const r = await runCli(["keys", "import", "--home", home, "--type", "validator", "--private-key-file", keyFile, "--passphrase-file", pw, "--light-kdf"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`0x${toHex(keyPairFromSeed(secret).publicKey)}`);
    expect(r.stdout).not.toContain("config.json");
  });

  it("fails clearly without a passphrase source, and on a bad key file", async () => {
    const { home, dir, pw } = setup();
    const r = await runCli(["keys", "generate", "--home", home, "--light-kdf"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^xdpchain keys generate: KEYS_ERROR_NO_PASSPHRASE: .*--passphrase-file FILE or set XDPCHAIN_PASSPHRASE/);
    expect(fs.existsSync(path.join(home, "keys"))).toBe(false);
    const bad = path.join(dir, "bad.hex");
    fs.writeFileSync(bad, "0x1234");
    const b = await runCli(["keys", "import", "--home", home, "--private-key-file", bad, "--passphrase-file", pw]);
    expect(b.code).toBe(1);
    expect(b.stderr).toContain("must hold a private key as 64 hex digits");
    expect(b.stderr).not.toContain("1234");
  });

  it("rejects usage errors with exit code 2 and explains subcommands", async () => {
    const { home } = setup();
    expect((await runCli(["keys", "generate", "--home", home, "--type", "bls"])).stderr).toMatch(/--type must be one of account, validator/);
    expect((await runCli(["keys", "generate", "--home", home, "--passphrase", "hunter2"])).code).toBe(2);
    expect((await runCli(["keys", "import", "--home", home])).stderr).toMatch(/--private-key-file is required/);
    expect((await runCli(["keys", "generate", "--home", home, "--type", "validator", "--operator", "0x12"])).code).toBe(2);
    const unknown = await runCli(["keys", "rotate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown subcommand 'rotate'");
    expect((await runCli(["keys"])).code).toBe(2);
    const help = await runCli(["keys", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/generate\s+create a new random key/);
    const genHelp = await runCli(["keys", "generate", "--help"]);
    expect(genHelp.stdout).toContain("--passphrase-file FILE");
    expect((await runCli(["keys", "list", "--home", home])).stdout).toContain("no keys in");
  });
});
