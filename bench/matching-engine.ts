// P8: matching-engine messages per second, ours (consensus/derivatives order-book + matching) versus the npm
// package nodejs-order-book on the same seeded stream (GTC limits around a drifting mid, cancels of earlier
// orders, IOC orders that cross). Medians of RUNS runs, ratio measured in the same run, one JSON line at the end.
// nodejs-order-book is not a project dependency: install it in a scratch dir and pass --baseline-dir, e.g.
//   mkdir -p /tmp/p8 && cd /tmp/p8 && npm init -y && npm i nodejs-order-book
//   npx tsx bench/matching-engine.ts --baseline-dir /tmp/p8 [--runs 5 --messages 400000]

import { createRequire } from "node:module";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { OrderBook, BUY, SELL, type RestingOrder, type Side } from "../consensus/derivatives/order-book.ts";
import { matchOrder, type MatchSink, type TakerOrder } from "../consensus/derivatives/matching.ts";
import { Prng } from "../test/sim/prng.ts";

const { values: args } = parseArgs({
  options: { runs: { type: "string", default: "5" }, messages: { type: "string", default: "400000" }, "baseline-dir": { type: "string", default: "/tmp/p8" }, seed: { type: "string", default: "8" } },
});
const RUNS = Number(args.runs);
const MESSAGES = Number(args.messages);

const LIMIT = 0;
const CANCEL = 1;
const IOC = 2;
interface Message { kind: number; id: number; idText: string; side: Side; priceTicks: number; lots: number }

/** 60% resting limits within 50 ticks of mid, 28% cancels of a recent order, 12% IOC crossing up to 10 ticks. */
function generate(count: number, seed: number): Message[] {
  const rng = new Prng(seed);
  const out: Message[] = [];
  const recent: number[] = [];
  let mid = 100_000;
  let nextId = 1;
  for (let i = 0; i < count; i++) {
    if (i % 1000 === 0) mid += rng.int(-20, 20);
    const r = rng.int(0, 99);
    const side: Side = rng.int(0, 1) === 0 ? BUY : SELL;
    if (r < 28 && recent.length > 0) {
      const k = rng.int(0, recent.length - 1);
      const id = recent[k]!;
      recent[k] = recent[recent.length - 1]!;
      recent.pop();
      out.push({ kind: CANCEL, id, idText: String(id), side, priceTicks: 0, lots: 0 });
    } else if (r < 40) {
      const price = side === BUY ? mid + rng.int(0, 10) : mid - rng.int(0, 10);
      const id = nextId++;
      out.push({ kind: IOC, id, idText: String(id), side, priceTicks: price, lots: rng.int(1, 20) });
    } else {
      const price = side === BUY ? mid - rng.int(1, 50) : mid + rng.int(1, 50);
      const id = nextId++;
      out.push({ kind: LIMIT, id, idText: String(id), side, priceTicks: price, lots: rng.int(1, 20) });
      recent.push(id);
      if (recent.length > 5000) recent.shift();
    }
  }
  return out;
}

class CountingSink implements MatchSink {
  fills = 0;
  makerCapacity(maker: RestingOrder): number {
    return maker.remainingLots;
  }
  fill(): void {
    this.fills++;
  }
  makerCancelled(): void {}
}

function runOurs(stream: readonly Message[]): { seconds: number; fills: number } {
  const book = new OrderBook(1 << 20, { maxOrders: 1_000_000, maxOrdersPerLevel: 100_000 });
  const sink = new CountingSink();
  const t0 = process.hrtime.bigint();
  for (const m of stream) {
    if (m.kind === CANCEL) {
      const o = book.get(m.id);
      if (o !== undefined) book.remove(o);
      continue;
    }
    const taker: TakerOrder = {
      id: m.id, owner: m.id, side: m.side, priceTicks: m.priceTicks, lots: m.lots, nonce: m.id,
      tif: m.kind === IOC ? "ioc" : "gtc", reduceOnly: false, goodTilBlock: 0,
    };
    matchOrder(book, taker, sink);
  }
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, fills: sink.fills };
}

interface BaselineBook {
  limit(o: { id: string; side: string; size: number; price: number; timeInForce?: string }): { done: unknown[] };
  cancel(id: string): unknown;
}
const baseline = createRequire(import.meta.url)(join(args["baseline-dir"]!, "node_modules/nodejs-order-book/dist/cjs/index.js")) as {
  OrderBook: new () => BaselineBook;
};

function runBaseline(stream: readonly Message[]): { seconds: number; fills: number } {
  const ob = new baseline.OrderBook();
  let fills = 0;
  const t0 = process.hrtime.bigint();
  for (const m of stream) {
    if (m.kind === CANCEL) {
      ob.cancel(m.idText);
      continue;
    }
    const r = ob.limit({ id: m.idText, side: m.side === BUY ? "buy" : "sell", size: m.lots, price: m.priceTicks, timeInForce: m.kind === IOC ? "IOC" : "GTC" });
    fills += r.done.length;
  }
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, fills };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[(s.length - 1) >> 1]!;
}

const stream = generate(MESSAGES, Number(args.seed));
runOurs(stream.slice(0, 50_000));
runBaseline(stream.slice(0, 50_000));
const ours: number[] = [];
const theirs: number[] = [];
const ratios: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const a = runOurs(stream);
  const b = runBaseline(stream);
  const oursRate = MESSAGES / a.seconds;
  const theirsRate = MESSAGES / b.seconds;
  ours.push(oursRate);
  theirs.push(theirsRate);
  ratios.push(oursRate / theirsRate);
  console.log(`run ${run + 1}: ours ${Math.round(oursRate).toLocaleString()} msg/s (${a.fills} fills), nodejs-order-book ${Math.round(theirsRate).toLocaleString()} msg/s (${b.fills} done), ratio ${(oursRate / theirsRate).toFixed(2)}`);
}
const result = {
  bench: "P8-matching-engine", messages: MESSAGES, runs: RUNS, oursMsgPerSec: Math.round(median(ours)),
  baselineMsgPerSec: Math.round(median(theirs)), ratioMedian: Number(median(ratios).toFixed(2)),
  goalMet: median(ours) >= 2_000_000 && median(ratios) >= 3,
};
console.log(JSON.stringify(result));
