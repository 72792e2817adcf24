// The genesis "lane" section: the order lane's markets and insurance fund. Absent: the chain runs no lane.
// The validators of the genesis set are the index-price oracles (their hex keys). JSON amounts are decimal
// strings, integers JSON numbers; every field is required and checked here so that a mistake names its path.

import { ByteWriter } from "../consensus/codec/byte-writer.ts";
import { toHex } from "../consensus/crypto/hash.ts";
import type { EngineGenesis } from "../consensus/derivatives/engine-state.ts";
import { createMarket, DEVNET_MARKETS, type MarketSpec } from "../consensus/derivatives/market.ts";
import { WEI_PER_QUOTE } from "../consensus/lane/lane-call.ts";
import { createLaneState, laneStateHash, type LaneState } from "../consensus/lane/lane-state.ts";
import type { Hash, Validator } from "../consensus/types.ts";
import type { GenesisProblem } from "./genesis-error.ts";

export interface GenesisLane {
  /** Quote units (6 decimals) the insurance fund starts with; genesis puts the matching wei in the lane escrow. */
  insuranceFundQuote: bigint;
  markets: MarketSpec[];
}

export interface GenesisLaneJson {
  insuranceFundQuote: string;
  markets: Record<string, string | number>[];
}

const BIGINT_FIELDS = ["tickSizeQuote", "lotSizeBaseE9"] as const;
const NUMBER_FIELDS = [
  "id", "maxPriceTicks", "maxOrderLots", "maxPositionLots", "initialMarginBps", "maintenanceMarginBps", "takerFeeBps",
  "makerFeeBps", "liquidationFeeBps", "fundingIntervalBlocks", "maxFundingRateBps", "markBandBps", "initialIndexTicks",
  "indexMaxAgeBlocks",
] as const;
const MARKET_FIELDS = ["symbol", ...BIGINT_FIELDS, ...NUMBER_FIELDS] as const;
const MARKETS_MAX = 256;

/** The devnet's lane: BTC-PERP and ETH-PERP, and a 1,000,000-unit insurance fund. */
export const DEVNET_LANE: GenesisLane = { insuranceFundQuote: 1_000_000n * 1_000_000n, markets: [...DEVNET_MARKETS] };

export function engineGenesisOf(lane: GenesisLane, validators: readonly Validator[]): EngineGenesis {
  return { markets: lane.markets, oracles: validators.map((v) => toHex(v.publicKey)), insuranceFundQuote: lane.insuranceFundQuote };
}

/** The lane at height 0, and the engine genesis its snapshots are loaded against (node/validator/chain-store.ts). */
export function genesisLaneOf(lane: GenesisLane, validators: readonly Validator[]): { state: LaneState; engineGenesis: EngineGenesis } {
  const engineGenesis = engineGenesisOf(lane, validators);
  return { state: createLaneState(engineGenesis), engineGenesis };
}

/** What createGenesisState writes for the lane: its state hash at height 0 and the escrow's balance. */
export function genesisLaneState(lane: GenesisLane, validators: readonly Validator[]): { laneStateHash: Hash; escrowWei: bigint } {
  return { laneStateHash: laneStateHash(createLaneState(engineGenesisOf(lane, validators))), escrowWei: lane.insuranceFundQuote * WEI_PER_QUOTE };
}

export function laneToJson(lane: GenesisLane): GenesisLaneJson {
  return {
    insuranceFundQuote: lane.insuranceFundQuote.toString(),
    markets: lane.markets.map((m) => {
      const out: Record<string, string | number> = { symbol: m.symbol };
      for (const f of BIGINT_FIELDS) out[f] = m[f].toString();
      for (const f of NUMBER_FIELDS) out[f] = m[f];
      return out;
    }),
  };
}

function parseMarket(value: unknown, path: string, problems: GenesisProblem[]): MarketSpec | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return void problems.push({ path, message: "must be an object" });
  const o = value as Record<string, unknown>;
  const before = problems.length;
  for (const k of Object.keys(o)) if (!(MARKET_FIELDS as readonly string[]).includes(k)) problems.push({ path: `${path}.${k}`, message: "unknown field" });
  for (const k of MARKET_FIELDS) if (!(k in o)) problems.push({ path: `${path}.${k}`, message: "is required" });
  if (problems.length > before) return undefined;
  for (const f of BIGINT_FIELDS) {
    if (typeof o[f] !== "string" || !/^[1-9][0-9]{0,30}$/.test(o[f])) problems.push({ path: `${path}.${f}`, message: "must be a positive integer string" });
  }
  for (const f of NUMBER_FIELDS) {
    if (typeof o[f] !== "number" || !Number.isSafeInteger(o[f])) problems.push({ path: `${path}.${f}`, message: "must be an integer" });
  }
  if (typeof o.symbol !== "string") problems.push({ path: `${path}.symbol`, message: "must be a string" });
  if (problems.length > before) return undefined;
  const spec = { ...o, tickSizeQuote: BigInt(o.tickSizeQuote as string), lotSizeBaseE9: BigInt(o.lotSizeBaseE9 as string) } as unknown as MarketSpec;
  try {
    createMarket(spec);
  } catch (err) {
    return void problems.push({ path, message: (err as Error).message });
  }
  return spec;
}

export function parseGenesisLane(value: unknown, path: string, problems: GenesisProblem[]): GenesisLane | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return void problems.push({ path, message: "must be an object" });
  const o = value as Record<string, unknown>;
  for (const k of Object.keys(o)) if (k !== "insuranceFundQuote" && k !== "markets") problems.push({ path: `${path}.${k}`, message: "unknown field" });
  const fund = o.insuranceFundQuote;
  if (typeof fund !== "string" || !/^(0|[1-9][0-9]{0,30})$/.test(fund)) return void problems.push({ path: `${path}.insuranceFundQuote`, message: "must be a non-negative integer string" });
  if (!Array.isArray(o.markets) || o.markets.length === 0 || o.markets.length > MARKETS_MAX) {
    return void problems.push({ path: `${path}.markets`, message: `must be a list of 1 to ${MARKETS_MAX} markets` });
  }
  const markets: MarketSpec[] = [];
  const ids = new Set<number>();
  const symbols = new Set<string>();
  o.markets.forEach((m, i) => {
    const spec = parseMarket(m, `${path}.markets[${i}]`, problems);
    if (!spec) return;
    if (ids.has(spec.id) || symbols.has(spec.symbol)) problems.push({ path: `${path}.markets[${i}]`, message: "duplicate market id or symbol" });
    ids.add(spec.id);
    symbols.add(spec.symbol);
    markets.push(spec);
  });
  return { insuranceFundQuote: BigInt(fund), markets: markets.sort((a, b) => a.id - b.id) };
}

/** Appended to the genesis encoding (genesis-hash.ts) when the chain runs the lane. */
export function writeGenesisLane(w: ByteWriter, lane: GenesisLane): void {
  w.u256(lane.insuranceFundQuote);
  w.list(lane.markets, (x, m) => {
    x.bytes(new TextEncoder().encode(m.symbol)).u256(m.tickSizeQuote).u256(m.lotSizeBaseE9);
    for (const f of NUMBER_FIELDS) x.u64(m[f]);
  });
}
