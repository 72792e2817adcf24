// The genesis loader: every problem is reported with its field path, strict fields, EIP-55 checksums,
// valid ed25519 keys, and loader failures carry codes.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GenesisError } from "../../../genesis/genesis-error.ts";
import { genesisFromJson, loadGenesisFile } from "../../../genesis/genesis-loader.ts";
import { parseGenesis } from "../../../genesis/genesis-schema.ts";
import type { GenesisJson } from "../../../genesis/genesis.ts";

const devnetFile = new URL("../../../genesis/devnet.json", import.meta.url).pathname;
const devnet = (): GenesisJson => JSON.parse(fs.readFileSync(devnetFile, "utf8")) as GenesisJson;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function problemsOf(value: unknown): string[] {
  const r = parseGenesis(value);
  if (r.ok) return [];
  return r.problems.map((p) => `${p.path}: ${p.message}`);
}

describe("genesis schema", () => {
  it("accepts the shipped devnet genesis", () => {
    const g = loadGenesisFile(devnetFile);
    expect(g.validators.length).toBe(4);
    expect(g.params.chainId).toBe(g.chainId);
  });

  it("names the offending field path in each problem, and reports all of them", () => {
    const j = devnet() as unknown as Record<string, unknown> & GenesisJson;
    j.validators[2]!.stake = "-5";
    j.params.slashFractionBps = 10_001;
    (j.params as Record<string, unknown>).epochLength = 3;
    delete (j as Partial<GenesisJson>).genesisTime;
    j.chainId = 0;
    expect(problemsOf(j).sort()).toEqual(
      [
        "genesis.chainId: must be an integer from 1 to 9007199254740991",
        "genesis.genesisTime: is required",
        "genesis.params.epochLength: unknown field",
        "genesis.params.slashFractionBps: must be an integer from 0 to 10000",
        "genesis.validators[2].stake: must be a positive integer string",
      ].sort(),
    );
  });

  it("checks addresses: format, EIP-55 checksum, case-insensitive duplicates", () => {
    const j = devnet();
    const first = Object.keys(j.accounts)[0]!;
    const badChecksum = first.replace("f39F", "F39F");
    j.accounts = { [badChecksum]: "1", "0x12": "1", [first.toLowerCase()]: "1", [first.toUpperCase().replace("0X", "0x")]: "2" };
    const problems = problemsOf(j);
    expect(problems).toContain(`genesis.accounts["${badChecksum}"]: address has an invalid EIP-55 checksum`);
    expect(problems).toContain('genesis.accounts["0x12"]: address must be 0x followed by 40 hex digits');
    expect(problems.some((p) => p.includes("duplicates") && p.includes("case-insensitive"))).toBe(true);
  });

  it("checks validators: key format, small-order keys, duplicates, stake against the minimum", () => {
    const j = devnet();
    j.validators[0]!.publicKey = "0x1234";
    j.validators[1]!.publicKey = "0x" + "00".repeat(32); // small order
    j.validators[3]!.publicKey = j.validators[2]!.publicKey;
    j.validators[2]!.stake = "5";
    j.validators[3]!.operator = "nope";
    expect(problemsOf(j).sort()).toEqual(
      [
        "genesis.validators[0].publicKey: must be 0x followed by 64 hex digits (an ed25519 public key)",
        "genesis.validators[1].publicKey: is not a valid ed25519 validator key (non-canonical or small order)",
        "genesis.validators[2].stake: must be at least params.minValidatorStake (1000000000000000000000)",
        "genesis.validators[3].publicKey: duplicates the key of genesis.validators[2]",
        "genesis.validators[3].operator: must be 0x followed by 40 hex digits",
      ].sort(),
    );
    expect(problemsOf({ ...devnet(), validators: [] })).toEqual([
      "genesis.validators: must hold from 1 to 100 validators (params.maxValidators)",
    ]);
  });

  it("checks times and amounts strictly", () => {
    for (const [time, ok] of [
      ["2025-02-30T00:00:00Z", false],
      ["2025-01-01 00:00:00Z", false],
      ["2025-01-01T00:00:00+01:00", false],
      ["2024-02-29T23:59:59.5Z", true],
    ] as const) {
      expect(problemsOf({ ...devnet(), genesisTime: time }).length === 0, time).toBe(ok);
    }
    const j = devnet();
    const addr = Object.keys(j.accounts)[0]!;
    for (const bad of ["01", "1.5", "1e18", "", " 1", (1n << 256n).toString()]) {
      j.accounts[addr] = bad;
      expect(problemsOf(j)[0], bad).toMatch(/^genesis\.accounts\["0x[0-9a-fA-F]{40}"\]: must be a non-negative integer string/);
    }
    expect(problemsOf([])).toEqual(["genesis: must be an object"]);
  });

  it("throws coded errors from the loader", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xdpchain-genesis-"));
    dirs.push(dir);
    const file = path.join(dir, "genesis.json");
    expect(() => loadGenesisFile(file)).toThrow(expect.objectContaining({ code: "GENESIS_ERROR_READ" }));
    fs.writeFileSync(file, "{ not json");
    expect(() => loadGenesisFile(file)).toThrow(expect.objectContaining({ code: "GENESIS_ERROR_JSON" }));
    fs.writeFileSync(file, JSON.stringify({ ...devnet(), chainId: "1" }));
    try {
      loadGenesisFile(file);
      throw new Error("expected an error");
    } catch (err) {
      expect(err).toBeInstanceOf(GenesisError);
      expect((err as GenesisError).code).toBe("GENESIS_ERROR_INVALID");
      expect((err as GenesisError).message).toContain("genesis.chainId: must be an integer");
      expect((err as GenesisError).data.problems).toHaveLength(1);
    }
    expect(() => genesisFromJson(null)).toThrow(GenesisError);
  });
});
