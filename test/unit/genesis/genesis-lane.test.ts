// The genesis "lane" section: the shipped devnet's lane parses back to DEVNET_LANE, every problem names its path
// (all of them in one pass), the engine's market rules apply, and a genesis without a lane runs none.
import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import { DEVNET_LANE, laneToJson } from "../../../genesis/genesis-lane.ts";
import { parseGenesis } from "../../../genesis/genesis-schema.ts";
import type { GenesisJson } from "../../../genesis/genesis.ts";

const devnetFile = new URL("../../../genesis/devnet.json", import.meta.url).pathname;
type Json = Omit<GenesisJson, "lane"> & { lane: { insuranceFundQuote: unknown; markets: Record<string, unknown>[] } & Record<string, unknown> };
const devnet = (): Json => JSON.parse(fs.readFileSync(devnetFile, "utf8")) as Json;

function problemsOf(value: unknown): string[] {
  const r = parseGenesis(value);
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`).sort();
}

describe("genesis lane section", () => {
  it("the shipped devnet's lane is DEVNET_LANE, and laneToJson is what it was written from", () => {
    const j = devnet();
    expect(j.lane).toEqual(laneToJson(DEVNET_LANE));
    const r = parseGenesis(j);
    expect(r.ok && r.genesis.lane).toEqual(DEVNET_LANE);
  });

  it("a genesis without a lane section runs no lane", () => {
    const j = devnet() as Partial<Json>;
    delete j.lane;
    const r = parseGenesis(j);
    expect(r.ok).toBe(true);
    expect(r.ok && r.genesis.lane).toBeUndefined();
  });

  it("names every problem's path in one pass: types, unknown and missing fields, duplicates", () => {
    const j = devnet();
    j.lane.insuranceFundQuote = -1;
    j.lane.extra = true;
    j.lane.markets[0]!.tickSizeQuote = "0";
    j.lane.markets[0]!.initialMarginBps = 1.5;
    j.lane.markets[0]!.symbol = "";
    delete j.lane.markets[0]!.makerFeeBps;
    j.lane.markets.push({ ...j.lane.markets[1]! });
    expect(problemsOf(j)).toEqual([
      "genesis.lane.extra: unknown field",
      "genesis.lane.insuranceFundQuote: must be a non-negative integer string",
      "genesis.lane.markets[0].initialMarginBps: must be an integer from 0 to 9007199254740991",
      "genesis.lane.markets[0].makerFeeBps: is required",
      "genesis.lane.markets[0].symbol: must be a string of 1 to 32 characters",
      "genesis.lane.markets[0].tickSizeQuote: must be a positive integer string",
      "genesis.lane.markets[2]: duplicates the id or symbol of genesis.lane.markets[1]",
    ]);
  });

  it("applies the engine's market rules, and bounds the market list", () => {
    const j = devnet();
    j.lane.markets[1]!.maintenanceMarginBps = (j.lane.markets[1]!.initialMarginBps as number) + 1;
    const problems = problemsOf(j);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toBe("genesis.lane.markets[1]: MARKET_ERROR_INVALID_SPEC: ETH-PERP: initialMarginBps must be an integer in [1001, 10000]");
    j.lane.markets = [];
    expect(problemsOf(j)).toEqual(["genesis.lane.markets: must be a list of 1 to 256 markets"]);
  });
});
