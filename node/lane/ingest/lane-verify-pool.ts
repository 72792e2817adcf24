// The UDP lane path's verification workers (worker_threads, default one): takes rounds of stamped datagrams from
// the JavaScript thread, splits each round by dedupe shard (so one worker sees every copy of an order), and hands
// results back round by round in submission order, so local sequence numbers stay increasing across workers.
// Bounded by the caller (udp-lane-ingest.ts counts what it has in flight). A worker that dies is a bug: the
// process halts with its error rather than dropping orders silently.
import { Worker } from "node:worker_threads";

import { InvariantError } from "../../../consensus/errors.ts";
import { DEDUPE_KEY_BYTES, dedupeShard, TRADING_KEY_OFFSET } from "./lane-datagram.ts";
import { LaneIngestError } from "./lane-ingest-error.ts";
import type { LaneWorkerData, LaneWorkerReply, LaneWorkerRequest, VerifyReply } from "./lane-verify-protocol.ts";

export interface PoolItem {
  bytes: Uint8Array;
  stampUs: number;
  localSeq: number;
  host: string;
  port: number;
}

export interface RoundResult {
  items: PoolItem[];
  /** One per item: VERDICT_OK, VERDICT_BAD_SIGNATURE or VERDICT_DUPLICATE. */
  verdicts: Uint8Array;
  /** 32 bytes per item; meaningful where the verdict is VERDICT_OK. */
  ids: Uint8Array;
}

interface Round extends RoundResult {
  outstanding: number;
  byShard: number[][];
}

export interface LaneVerifyPoolOptions {
  workers: number;
  data: LaneWorkerData;
  onRound: (result: RoundResult) => void;
  signal?: AbortSignal;
  /** Bound on the workers' start (loading TypeScript and the crypto libraries); default 30 s. */
  startTimeoutMs?: number;
}

const WORKER_ENTRY = new URL("./lane-verify-worker.mjs", import.meta.url);

export class LaneVerifyPool {
  private readonly rounds = new Map<number, Round>();
  private nextRound = 0;
  private nextDeliver = 0;
  private inFlightItems = 0;
  private closing = false;

  private constructor(
    private readonly workers: Worker[],
    private readonly onRound: (result: RoundResult) => void,
  ) {
    for (const w of workers) {
      w.on("message", (m: LaneWorkerReply) => {
        if (m.type === "verified") this.receive(m);
      });
      w.on("error", (err) => {
        if (!this.closing) throw new InvariantError(`lane verify worker failed: ${err.message}`);
      });
      w.on("exit", (code) => {
        if (!this.closing) throw new InvariantError(`lane verify worker exited (code ${code})`);
      });
    }
  }

  static async open(o: LaneVerifyPoolOptions): Promise<LaneVerifyPool> {
    const workers: Worker[] = [];
    try {
      for (let i = 0; i < o.workers; i++) workers.push(new Worker(WORKER_ENTRY, { workerData: o.data, name: `lane-verify-${i}` }));
      await Promise.all(workers.map((w) => ready(w, o.signal, o.startTimeoutMs ?? 30_000)));
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
    return new LaneVerifyPool(workers, o.onRound);
  }

  /** Items submitted whose round has not been handed back. */
  get inFlight(): number {
    return this.inFlightItems;
  }

  /** Sends one round (items in local sequence order) to the workers owning their keys. */
  submit(items: PoolItem[]): void {
    if (this.closing || items.length === 0) return;
    const n = this.workers.length;
    const byShard: number[][] = Array.from({ length: n }, () => []);
    for (let i = 0; i < items.length; i++) byShard[dedupeShard(items[i]!.bytes, n)]!.push(i);
    const round: Round = { items, verdicts: new Uint8Array(items.length), ids: new Uint8Array(32 * items.length), outstanding: 0, byShard };
    const id = this.nextRound++;
    this.rounds.set(id, round);
    this.inFlightItems += items.length;
    for (let shard = 0; shard < n; shard++) {
      const idx = byShard[shard]!;
      if (idx.length === 0) continue;
      const lengths = new Uint32Array(idx.length);
      let total = 0;
      idx.forEach((k, j) => (total += lengths[j] = items[k]!.bytes.length));
      const data = new Uint8Array(total);
      for (let j = 0, at = 0; j < idx.length; at += lengths[j]!, j++) data.set(items[idx[j]!]!.bytes, at);
      round.outstanding++;
      const request: LaneWorkerRequest = { type: "verify", round: id, shard, data, lengths };
      this.workers[shard]!.postMessage(request, [data.buffer]);
    }
  }

  /** Tells the owning workers to forget these accepted orders (they were dropped after acceptance). */
  forget(items: PoolItem[]): void {
    if (this.closing || items.length === 0) return;
    const n = this.workers.length;
    const keys: Uint8Array[][] = Array.from({ length: n }, () => []);
    for (const it of items) keys[dedupeShard(it.bytes, n)]!.push(it.bytes.subarray(TRADING_KEY_OFFSET, TRADING_KEY_OFFSET + DEDUPE_KEY_BYTES));
    keys.forEach((list, shard) => {
      if (list.length === 0) return;
      const joined = new Uint8Array(list.length * DEDUPE_KEY_BYTES);
      list.forEach((k, j) => joined.set(k, j * DEDUPE_KEY_BYTES));
      this.workers[shard]!.postMessage({ type: "forget", keys: joined } satisfies LaneWorkerRequest, [joined.buffer]);
    });
  }

  private receive(m: VerifyReply): void {
    const round = this.rounds.get(m.round);
    if (!round || this.closing) return;
    round.byShard[m.shard]!.forEach((k, j) => {
      round.verdicts[k] = m.verdicts[j]!;
      round.ids.set(m.ids.subarray(32 * j, 32 * j + 32), 32 * k);
    });
    round.outstanding--;
    for (let r = this.rounds.get(this.nextDeliver); r && r.outstanding === 0; r = this.rounds.get(this.nextDeliver)) {
      this.rounds.delete(this.nextDeliver++);
      this.inFlightItems -= r.items.length;
      this.onRound(r);
      if (this.closing) return;
    }
  }

  /** Terminates the workers; rounds in flight are dropped. Idempotent. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.rounds.clear();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

function ready(w: Worker, signal: AbortSignal | undefined, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      w.off("message", onMessage).off("error", onError).off("exit", onExit);
      if (err) reject(err);
      else resolve();
    };
    const onMessage = (m: LaneWorkerReply): void => {
      if (m.type === "ready") done();
    };
    const onError = (err: Error): void => done(new LaneIngestError("LANE_INGEST_ERROR_WORKER", `lane verify worker failed to start: ${err.message}`));
    const onExit = (code: number): void => done(new LaneIngestError("LANE_INGEST_ERROR_WORKER", `lane verify worker exited at start (code ${code})`));
    const onAbort = (): void => done(new LaneIngestError("LANE_INGEST_ERROR_ABORTED", "aborted while lane verify workers started"));
    const timer = setTimeout(() => done(new LaneIngestError("LANE_INGEST_ERROR_WORKER", `lane verify worker not ready after ${timeoutMs} ms`)), timeoutMs);
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    w.on("message", onMessage).on("error", onError).on("exit", onExit);
  });
}
