// Where a validator reads index prices for its block's submissions. Pluggable: a real deployment reads an
// exchange feed; the devnet uses SimulatedPriceFeed, a deterministic function of wall-clock time that every
// validator computes alike (so their medians agree) and that moves enough for marks, funding and triggers to act.

import type { EngineState } from "../../consensus/derivatives/engine-state.ts";
import type { IndexPriceSubmission } from "../../consensus/lane/lane-section.ts";

export interface PriceFeed {
  /** Index prices (ticks) for some or all of the engine's markets at wall-clock `nowMs`. */
  prices(nowMs: number, engine: EngineState): IndexPriceSubmission[];
}

/** Two slow sine waves around each market's genesis index: about +-0.3% over a minute. */
export class SimulatedPriceFeed implements PriceFeed {
  prices(nowMs: number, engine: EngineState): IndexPriceSubmission[] {
    const out: IndexPriceSubmission[] = [];
    const t = nowMs / 1000;
    for (const ms of engine.markets.values()) {
      const base = ms.market.initialIndexTicks;
      const phase = ms.market.id * 1.7;
      const factor = 1 + 0.002 * Math.sin((2 * Math.PI * t) / 60 + phase) + 0.001 * Math.sin((2 * Math.PI * t) / 17 + phase);
      const priceTicks = Math.min(ms.market.maxPriceTicks, Math.max(1, Math.round(base * factor)));
      out.push({ marketId: ms.market.id, priceTicks });
    }
    return out;
  }
}
