// Timing of the two ways to copy an engine state for speculative execution: cloneEngineState (direct deep copy)
// against load(save(state)) through snapshot bytes, on the devnet markets with ~1k accounts and ~10k resting
// orders (plus some positions, expiries and triggers). Medians of RUNS, ratio measured in the same run. Not a test
// (tests never assert on speed); belongs with bench/ scripts. Run: npx tsx test/support/derivatives-clone-timing.ts
import { parseArgs } from "node:util";
import { apply } from "../../consensus/derivatives/engine.ts";
import { createEngineState, DEFAULT_ENGINE_LIMITS, type EngineGenesis, type EngineState } from "../../consensus/derivatives/engine-state.ts";
import { DEVNET_MARKETS } from "../../consensus/derivatives/market.ts";
import { engineStateHashHex } from "../../consensus/derivatives/state-hash.ts";
import { cloneEngineState, loadEngineSnapshot, saveEngineSnapshot } from "../../consensus/derivatives/state-snapshot.ts";

const { values: args } = parseArgs({ options: { runs: { type: "string", default: "30" }, accounts: { type: "string", default: "1000" }, orders: { type: "string", default: "10" } } });
const RUNS = Number(args.runs);
const ACCOUNTS = Number(args.accounts);
const ORDERS_PER_ACCOUNT = Number(args.orders);

const GENESIS: EngineGenesis = { markets: DEVNET_MARKETS, oracles: ["v1", "v2", "v3"], insuranceFundQuote: 10n ** 12n, limits: DEFAULT_ENGINE_LIMITS };

function must(state: EngineState, action: Parameters<typeof apply>[1]): void {
  const r = apply(state, action);
  if (r.rejection !== undefined) throw new Error(`${action.kind} rejected: ${r.rejection.message}`);
}

/** Accounts alternate bids below and asks above each market's index, so nothing crosses; every 10th trades. */
function buildState(): EngineState {
  const s = createEngineState(GENESIS);
  must(s, { kind: "block", height: 1 });
  for (let i = 0; i < ACCOUNTS; i++) {
    const account = `0x${i.toString(16).padStart(40, "0")}`;
    must(s, { kind: "deposit", account, amountQuote: 10n ** 12n });
    for (let k = 1; k <= ORDERS_PER_ACCOUNT; k++) {
      const spec = DEVNET_MARKETS[k % 2]!;
      const buy = (i + k) % 2 === 0;
      const offset = 1 + ((i * 7 + k * 13) % 3_000);
      must(s, {
        kind: "place", account, nonce: k, marketId: spec.id, side: buy ? "buy" : "sell", priceTicks: spec.initialIndexTicks + (buy ? -offset : offset),
        sizeLots: 1 + ((i + k) % 50), tif: "gtc", goodTilBlock: k % 3 === 0 ? 1_000 + (i % 10) : 0,
      });
    }
    if (i % 10 === 9) {
      const spec = DEVNET_MARKETS[0]!;
      must(s, { kind: "place", account, nonce: 100, marketId: spec.id, side: "buy", priceTicks: spec.initialIndexTicks + 3_000, sizeLots: 5, tif: "ioc" });
      must(s, { kind: "place", account, nonce: 101, marketId: spec.id, side: "sell", priceTicks: 1, sizeLots: 2, tif: "gtc", trigger: { kind: "stop", triggerTicks: spec.initialIndexTicks - 5_000 } });
    }
  }
  return s;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

function time(fn: () => unknown): number {
  const samples: number[] = [];
  for (let i = 0; i < RUNS + 3; i++) {
    const t0 = performance.now();
    fn();
    const t1 = performance.now();
    if (i >= 3) samples.push(t1 - t0);
  }
  return median(samples);
}

const state = buildState();
let orders = 0;
for (const ms of state.markets.values()) orders += ms.book.size;
const bytes = saveEngineSnapshot(state);
const want = engineStateHashHex(state);
const direct = cloneEngineState(state);
const viaBytes = loadEngineSnapshot(bytes, GENESIS);
if (!viaBytes.ok || engineStateHashHex(viaBytes.value) !== want || engineStateHashHex(direct) !== want) throw new Error("copies differ from the state");

const directMs = time(() => cloneEngineState(state));
const saveMs = time(() => saveEngineSnapshot(state));
const loadMs = time(() => loadEngineSnapshot(bytes, GENESIS));
const bytesMs = time(() => loadEngineSnapshot(saveEngineSnapshot(state), GENESIS));
const hashMs = time(() => engineStateHashHex(state));
const result = {
  accounts: state.accountsByIndex.length, restingOrders: orders, snapshotBytes: bytes.length, runs: RUNS,
  cloneDirectMs: +directMs.toFixed(3), cloneViaBytesMs: +bytesMs.toFixed(3), saveMs: +saveMs.toFixed(3), loadMs: +loadMs.toFixed(3),
  stateHashMs: +hashMs.toFixed(3), viaBytesOverDirect: +(bytesMs / directMs).toFixed(1),
};
console.log(JSON.stringify(result));
