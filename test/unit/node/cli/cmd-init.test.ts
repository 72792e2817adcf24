// `xdpchain init` in-process: the home it creates (config from flags, genesis copy, node key, validator key),
// refusal to overwrite without --force, what --force keeps, and usage and operating errors with exit codes.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { toHex } from "../../../../consensus/crypto/hash.ts";
import { generateDevnetGenesis } from "../../../../genesis/devnet-genesis.ts";
import { writeValidatorKeyFiles } from "../../../../genesis/validator-key-file.ts";
import { loadNodeConfig } from "../../../../node/config/node-config.ts";
import { SHIPPED_DEVNET_GENESIS } from "../../../../node/config/node-home.ts";
import { loadNodeKey } from "../../../../node/keys/node-key.ts";
import { makeTempDirs } from "../../../support/temp-dirs.ts";
import { runCli } from "./cli-harness.ts";

const tmp = makeTempDirs();
afterEach(() => tmp.cleanup());

describe("xdpchain init", () => {
  it("creates a follower home with defaults and the shipped devnet genesis", async () => {
    const home = path.join(tmp.make(), "node");
    const r = await runCli(["init", "--home", home]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(`initialized node home ${home}`);
    expect(r.stdout).toContain("validator  none: this node follows the chain without voting");
    expect(r.stdout).toContain(`next: xdpchain start --home ${home}`);
    expect(fs.readFileSync(path.join(home, "genesis.json"), "utf8")).toBe(fs.readFileSync(SHIPPED_DEVNET_GENESIS, "utf8"));
    const config = loadNodeConfig(home);
    expect(config.validatorKeyFile).toBeNull();
    expect(config.rpc.port).toBe(8545);
    expect(fs.statSync(path.join(home, "node-key.json")).mode & 0o777).toBe(0o600);
    expect(r.stdout).toContain(`0x${toHex(loadNodeKey(config.nodeKeyFile).publicKey)}`);
    expect(fs.statSync(path.join(home, "keys")).isDirectory()).toBe(true);
    expect(fs.statSync(path.join(home, "data")).isDirectory()).toBe(true);
  });

  it("writes the config flags and copies a validator key and genesis into the home", async () => {
    const dir = tmp.make();
    const { json, validatorKeys } = generateDevnetGenesis({ validators: 2, chainId: 777n });
    const genesisFile = path.join(dir, "g.json");
    fs.writeFileSync(genesisFile, JSON.stringify(json));
    const [keyFile] = writeValidatorKeyFiles(path.join(dir, "k"), validatorKeys);
    const home = path.join(dir, "home");
    const r = await runCli([
      "init", "--home", home, "--genesis", genesisFile, "--validator-key", keyFile!,
      "--rpc-port", "8600", "--p2p-port", "26700", "--data-port", "9100", "--transport", "udp",
      "--host", "10.1.0.2", "--data-peer", "10.1.0.3:9100", "--data-peer", "10.1.0.4:9100", "--no-metrics", "--log-level", "debug",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("chain id 777");
    const c = loadNodeConfig(home);
    expect(c.validatorKeyFile).toBe(path.join(home, "keys", "validator-0.json"));
    expect(fs.readFileSync(c.validatorKeyFile!, "utf8")).toBe(fs.readFileSync(keyFile!, "utf8"));
    expect(fs.statSync(c.validatorKeyFile!).mode & 0o777).toBe(0o600);
    expect(c.dataPlane).toEqual({ transport: "udp", host: "10.1.0.2", port: 9100, peers: [{ host: "10.1.0.3", port: 9100 }, { host: "10.1.0.4", port: 9100 }] });
    expect(c.p2p.listen).toEqual(["/ip4/10.1.0.2/tcp/26700"]);
    expect(c.rpc).toMatchObject({ host: "10.1.0.2", port: 8600 });
    expect(c.metrics).toBeNull();
    expect(c.log.level).toBe("debug");
    expect(r.stdout).toContain(`public key 0x${toHex(validatorKeys[0]!.publicKey)}`);
    expect(r.stdout).not.toContain("not in the genesis validator set");
  });

  it("refuses an existing home without --force; --force rewrites config but keeps the node key", async () => {
    const home = path.join(tmp.make(), "node");
    expect((await runCli(["init", "--home", home])).code).toBe(0);
    const key = fs.readFileSync(path.join(home, "node-key.json"), "utf8");
    fs.writeFileSync(path.join(home, "data", "block.db"), "x");
    const again = await runCli(["init", "--home", home, "--rpc-port", "9999"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^xdpchain init: CONFIG_ERROR_HOME_EXISTS: .*--force/);
    expect(loadNodeConfig(home).rpc.port).toBe(8545);
    const forced = await runCli(["init", "--home", home, "--rpc-port", "9999", "--force"]);
    expect(forced.code).toBe(0);
    expect(loadNodeConfig(home).rpc.port).toBe(9999);
    expect(fs.readFileSync(path.join(home, "node-key.json"), "utf8")).toBe(key);
    expect(forced.stdout).toContain("(kept; public key");
    expect(forced.stdout).toContain("already holds chain data");
  });

  it("checks inputs before writing anything", async () => {
    const dir = tmp.make();
    const bad = path.join(dir, "bad.json");
    fs.writeFileSync(bad, JSON.stringify({ chainId: 0 }));
    const home = path.join(dir, "home");
    const r = await runCli(["init", "--home", home, "--genesis", bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("GENESIS_ERROR_INVALID");
    expect(fs.existsSync(home)).toBe(false);
    const k = await runCli(["init", "--home", home, "--validator-key", bad]);
    expect(k.code).toBe(1);
    expect(k.stderr).toContain("KEYS_ERROR_FORMAT");
    expect(fs.existsSync(home)).toBe(false);
  });

  it("gives exit code 2 and one line for usage errors", async () => {
    const home = path.join(tmp.make(), "h");
    const cases: [string[], RegExp][] = [
      [["init"], /--home is required/],
      [["init", "--home", home, "--rpc-port", "70000"], /--rpc-port must be at most 65535/],
      [["init", "--home", home, "--transport", "tcp"], /--transport must be one of auto, xdp, udp/],
      [["init", "--home", home, "--host", "localhost"], /--host must be an IPv4 address/],
      [["init", "--home", home, "--data-peer", "10.0.0.1"], /--data-peer must be IPv4:PORT/],
      [["init", "--home", home, "--bogus"], /unknown flag --bogus/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.split("\n")).toHaveLength(1);
    }
    expect(fs.existsSync(home)).toBe(false);
  });

  it("prints help for init and lists the new commands in the main usage", async () => {
    const r = await runCli(["init", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("usage: xdpchain init --home DIR [options]");
    const top = await runCli(["--help"]);
    for (const c of ["init", "keys", "genesis", "devnet"]) expect(top.stdout).toMatch(new RegExp(`^  ${c} `, "m"));
  });
});
