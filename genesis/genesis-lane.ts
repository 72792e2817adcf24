// The genesis "lane" section: the order lane's markets and insurance fund. Absent: the chain runs no lane.
// The validators of the genesis set are the index-price oracles (their hex keys). JSON amounts are decimal
// strings, integers JSON numbers; every field is required and checked (genesis-checker.ts) so that a mistake
// names its path, then the engine's own market rules apply.

import { ByteWriter } from "../consensus/codec/byte-writer.ts";
import { toHex } from "../consensus/crypto/hash.ts";
import type { EngineGenesis } from "../consensus/derivatives/engine-state.ts";
import { createMarket, DEVNET_MARKETS, type MarketSpec } from "../consensus/derivatives/market.ts";
import { WEI_PER_QUOTE } from "../consensus/lane/lane-call.ts";
import { createLaneState, laneStateHash, type LaneState } from "../consensus/lane/lane-state.ts";
import type { Hash, Validator } from "../consensus/types.ts";
import type { Checker } from "./genesis-checker.ts";

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
const SYMBOL_LENGTH_MAX = 32;

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

function parseMarket(c: Checker, value: unknown, path: string): MarketSpec | undefined {
  const o = c.object(value, path, MARKET_FIELDS);
  if (!o) return undefined;
  const before = c.problems.length;
  const spec: Record<string, unknown> = { symbol: c.text(o.symbol, `${path}.symbol`, SYMBOL_LENGTH_MAX) };
  for (const f of BIGINT_FIELDS) spec[f] = c.amount(o[f], `${path}.${f}`, 1n);
  for (const f of NUMBER_FIELDS) spec[f] = c.int(o[f], `${path}.${f}`, 0, Number.MAX_SAFE_INTEGER);
  if (c.problems.length > before || Object.values(spec).some((v) => v === undefined)) return undefined;
  try {
    createMarket(spec as unknown as MarketSpec); // the engine's own rules (margins, fees, bands, sizes)
  } catch (err) {
    return c.fail(path, (err as Error).message);
  }
  return spec as unknown as MarketSpec;
}

export function parseGenesisLane(c: Checker, value: unknown, path: string): GenesisLane | undefined {
  const o = c.object(value, path, ["insuranceFundQuote", "markets"]);
  if (!o) return undefined;
  const fund = c.amount(o.insuranceFundQuote, `${path}.insuranceFundQuote`, 0n);
  if (o.markets !== undefined && (!Array.isArray(o.markets) || o.markets.length === 0 || o.markets.length > MARKETS_MAX)) {
    return c.fail(`${path}.markets`, `must be a list of 1 to ${MARKETS_MAX} markets`);
  }
  const markets: MarketSpec[] = [];
  const ids = new Map<number, number>();
  const symbols = new Map<string, number>();
  ((o.markets ?? []) as unknown[]).forEach((m, i) => {
    const at = `${path}.markets[${i}]`;
    const spec = parseMarket(c, m, at);
    if (!spec) return;
    const dup = ids.get(spec.id) ?? symbols.get(spec.symbol);
    if (dup !== undefined) return c.fail(at, `duplicates the id or symbol of ${path}.markets[${dup}]`);
    ids.set(spec.id, i);
    symbols.set(spec.symbol, i);
    markets.push(spec);
  });
  if (fund === undefined || o.markets === undefined) return undefined;
  return { insuranceFundQuote: fund, markets: markets.sort((a, b) => a.id - b.id) };
}

/** Appended to the genesis encoding (genesis-hash.ts) when the chain runs the lane. */
export function writeGenesisLane(w: ByteWriter, lane: GenesisLane): void {
  w.u256(lane.insuranceFundQuote);
  w.list(lane.markets, (x, m) => {
    x.bytes(new TextEncoder().encode(m.symbol)).u256(m.tickSizeQuote).u256(m.lotSizeBaseE9);
    for (const f of NUMBER_FIELDS) x.u64(m[f]);
  });
}
