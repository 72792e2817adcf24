// lane_subscribe over WebSocket: one server-wide listener on the lane backend's finalized blocks fans out to every
// connection's "fills" and "book" subscriptions (connections attach through ConnectionSubscriptions, which holds
// the per-connection cap and starts delivery only after the subscribe answer went out). Each block's fills are
// formatted once, each (market, depth) snapshot is taken once however many subscribers share it.
// "fills" sends nothing for a block without a matching fill; "book" sends only when the block changed that book.

import { bookDepth } from "../../consensus/derivatives/engine-queries.ts";
import type { EngineEvent } from "../../consensus/derivatives/events.ts";
import type { LaneBackend, LaneBlockSummary } from "../lane/lane-backend.ts";
import { formatBook, formatFillEvent, prefixedHex } from "./lane-format.ts";
import type { Json } from "./rpc-format.ts";

export type LaneTopic =
  /** Every fill of each block, or only those where `account` (lowercase 0x) is maker or taker. */
  | { kind: "fills"; account?: string }
  /** The market's depth snapshot after each block that changed its book. */
  | { kind: "book"; marketId: number; depth: number };

export type LaneSink = (result: Json) => void;

type FillEvent = Extract<EngineEvent, { type: "fill" }>;

export class LaneHub {
  private readonly fillSinks = new Map<LaneSink, string | undefined>();
  private readonly bookSinks = new Map<LaneSink, { marketId: number; depth: number }>();
  private readonly stop: () => void;

  constructor(
    private readonly lane: LaneBackend,
    private readonly onError: (err: unknown) => void,
  ) {
    this.stop = lane.onBlock((summary) => this.publish(summary));
  }

  /** Attaches a sink to a topic; returns the detach function. */
  add(topic: LaneTopic, sink: LaneSink): () => void {
    if (topic.kind === "fills") {
      this.fillSinks.set(sink, topic.account);
      return () => this.fillSinks.delete(sink);
    }
    this.bookSinks.set(sink, { marketId: topic.marketId, depth: topic.depth });
    return () => this.bookSinks.delete(sink);
  }

  get size(): number {
    return this.fillSinks.size + this.bookSinks.size;
  }

  close(): void {
    this.stop();
    this.fillSinks.clear();
    this.bookSinks.clear();
  }

  private deliver(sink: LaneSink, result: Json): void {
    try {
      sink(result);
    } catch (err) {
      this.onError(err);
    }
  }

  private publish(summary: LaneBlockSummary): void {
    try {
      if (this.fillSinks.size > 0) this.publishFills(summary);
      if (this.bookSinks.size > 0) this.publishBooks(summary);
    } catch (err) {
      this.onError(err);
    }
  }

  private publishFills(summary: LaneBlockSummary): void {
    const fills = summary.events.filter((e): e is FillEvent => e.type === "fill");
    if (fills.length === 0) return;
    const formatted = fills.map(formatFillEvent);
    const result = (list: Json[]): Json => ({ blockHeight: summary.height, blockHash: prefixedHex(summary.hash), fills: list });
    const all = result(formatted);
    for (const [sink, account] of [...this.fillSinks]) {
      if (account === undefined) {
        this.deliver(sink, all);
        continue;
      }
      const mine = formatted.filter((_, i) => fills[i]!.taker === account || fills[i]!.maker === account);
      if (mine.length > 0) this.deliver(sink, result(mine));
    }
  }

  private publishBooks(summary: LaneBlockSummary): void {
    const changed = new Set(summary.booksChanged);
    if (changed.size === 0) return;
    const snapshots = new Map<string, Json | null>();
    for (const [sink, { marketId, depth }] of [...this.bookSinks]) {
      if (!changed.has(marketId)) continue;
      const key = `${marketId}:${depth}`;
      let snapshot = snapshots.get(key);
      if (snapshot === undefined) {
        const view = bookDepth(this.lane.state().engine, marketId, depth);
        snapshot = view === undefined ? null : formatBook(view);
        snapshots.set(key, snapshot);
      }
      if (snapshot !== null) this.deliver(sink, snapshot);
    }
  }
}
