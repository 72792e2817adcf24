// `xdpchain genesis create|validate` in-process: the written genesis matches the generator, key files load,
// validate prints hash, chain id, validators and stake, and an invalid file lists every offending field.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { toHex } from "../../../../consensus/crypto/hash.ts";
import { generateDevnetGenesis } from "../../../../genesis/devnet-genesis.ts";
import { genesisHash } from "../../../../genesis/genesis-hash.ts";
import { loadGenesisFile } from "../../../../genesis/genesis-loader.ts";
import { loadValidatorKeyFile } from "../../../../genesis/validator-key-file.ts";
import { makeTempDirs } from "../../../support/temp-dirs.ts";
import { runCli } from "./cli-harness.ts";

const tmp = makeTempDirs();
afterEach(() => tmp.cleanup());

describe("xdpchain genesis", () => {
  it("creates a devnet genesis and key files matching the generator", async () => {
    const dir = tmp.make();
    const out = path.join(dir, "sub", "genesis.json");
    const keys = path.join(dir, "keys");
    const r = await runCli(["genesis", "create", "--validators", "3", "--out", out, "--chain-id", "4242", "--keys-dir", keys]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const expected = generateDevnetGenesis({ validators: 3, chainId: 4242n });
    expect(JSON.parse(fs.readFileSync(out, "utf8"))).toEqual(expected.json);
    expect(r.stdout).toContain(`genesis hash 0x${toHex(genesisHash(expected.genesis))}`);
    expect(fs.readdirSync(keys).sort()).toEqual(["validator-0.json", "validator-1.json", "validator-2.json"]);
    expect(toHex(loadValidatorKeyFile(path.join(keys, "validator-2.json")).publicKey)).toBe(toHex(expected.validatorKeys[2]!.publicKey));
    const again = await runCli(["genesis", "create", "--validators", "1", "--out", out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("exists; pass --force");
    expect((await runCli(["genesis", "create", "--validators", "1", "--out", out, "--force"])).code).toBe(0);
    expect(loadGenesisFile(out).validators).toHaveLength(1);
  });

  it("validates a genesis and prints its hash, chain id, validators and total stake", async () => {
    const dir = tmp.make();
    const out = path.join(dir, "g.json");
    await runCli(["genesis", "create", "--validators", "4", "--out", out]);
    const g = loadGenesisFile(out);
    const r = await runCli(["genesis", "validate", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`genesis hash  0x${toHex(genesisHash(g))}`);
    expect(r.stdout).toMatch(/chain id\s+31337/);
    expect(r.stdout).toMatch(/validators\s+4/);
    expect(r.stdout).toMatch(/total stake\s+4000000000000000000000000 wei/);
    for (const v of g.validators) expect(r.stdout).toContain(`0x${toHex(v.publicKey)}`);
    expect(r.stdout).toContain("(25.00%)");
  });

  it("lists every offending field of an invalid genesis and exits 1", async () => {
    const dir = tmp.make();
    const file = path.join(dir, "bad.json");
    const { json } = generateDevnetGenesis({ validators: 2 });
    const broken = { ...json, chainId: -1, params: { ...json.params, slashFractionBps: 10_001 }, validators: [{ ...json.validators[0]!, stake: "abc" }], extra: 1 };
    fs.writeFileSync(file, JSON.stringify(broken));
    const r = await runCli(["genesis", "validate", file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const lines = r.stderr.split("\n");
    expect(lines[0]).toMatch(/invalid genesis \(\d+ problems\)/);
    for (const field of ["genesis.chainId", "genesis.params.slashFractionBps", "genesis.validators[0].stake", "genesis.extra"]) {
      expect(lines.some((l) => l.trimStart().startsWith(`${field}:`))).toBe(true);
    }
    fs.writeFileSync(file, "{");
    const j = await runCli(["genesis", "validate", file]);
    expect(j.code).toBe(1);
    expect(j.stderr).toContain("GENESIS_ERROR_JSON");
    expect((await runCli(["genesis", "validate", path.join(dir, "missing.json")])).stderr).toContain("GENESIS_ERROR_READ");
  });

  it("rejects usage errors with exit code 2", async () => {
    const out = path.join(tmp.make(), "g.json");
    expect((await runCli(["genesis", "create", "--validators", "0", "--out", out])).stderr).toMatch(/--validators must be at least 1/);
    expect((await runCli(["genesis", "create", "--validators", "65", "--out", out])).code).toBe(2);
    expect((await runCli(["genesis", "create", "--out", out])).stderr).toMatch(/--validators is required/);
    expect((await runCli(["genesis", "validate"])).stderr).toMatch(/missing FILE/);
    expect((await runCli(["genesis", "validate", "a", "b"])).code).toBe(2);
    expect((await runCli(["genesis", "frobnicate"])).code).toBe(2);
    expect(fs.existsSync(out)).toBe(false);
    expect((await runCli(["genesis", "validate", "--help"])).stdout).toContain("usage: xdpchain genesis validate FILE [options]");
  });
});
