// eth_subscribe over WebSocket: one server-wide listener on the backend's new heads fans out to every
// connection's newHeads subscriptions (geth's notification format, eth_subscription). A subscription starts
// delivering only after its eth_subscribe answer went out, so a client never sees an id before it is told it.
// Per-connection subscriptions are capped; only "newHeads" exists (no logs: there are no contracts).

import { randomBytes } from "node:crypto";
import { formatData } from "./hex.ts";
import type { SubscriptionRegistry } from "./method-context.ts";
import type { RpcBackend, RpcBlock } from "./rpc-backend.ts";
import { RpcError, invalidParams } from "./rpc-error.ts";
import { formatHeader } from "./rpc-format.ts";

export type HeadSink = (headJson: unknown) => void;

/** Formats each new head once and hands it to every subscribed sink. */
export class NewHeadsHub {
  private readonly sinks = new Set<HeadSink>();
  private readonly stop: () => void;

  constructor(
    private readonly backend: RpcBackend,
    private readonly onError: (err: unknown) => void,
  ) {
    this.stop = backend.onNewHead((b) => this.publish(b));
  }

  add(sink: HeadSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  get size(): number {
    return this.sinks.size;
  }

  close(): void {
    this.stop();
    this.sinks.clear();
  }

  private publish(b: RpcBlock): void {
    if (this.sinks.size === 0) return;
    let json: unknown;
    try {
      json = formatHeader(b, this.backend.blockGasLimit());
    } catch (err) {
      this.onError(err);
      return;
    }
    for (const sink of [...this.sinks]) {
      try {
        sink(json);
      } catch (err) {
        this.onError(err);
      }
    }
  }
}

/** One WebSocket connection's subscriptions. `send` writes one serialized notification to the socket. */
export class ConnectionSubscriptions implements SubscriptionRegistry {
  private readonly active = new Map<string, () => void>();
  private readonly waiting = new Set<string>();

  constructor(
    private readonly hub: NewHeadsHub,
    private readonly send: (text: string) => void,
    private readonly subscriptionsMax: number,
  ) {}

  subscribe(kind: string): string {
    if (kind !== "newHeads") {
      throw invalidParams(`invalid argument 0 (subscription type): unsupported subscription type ${JSON.stringify(kind.slice(0, 32))}, only "newHeads"`);
    }
    if (this.active.size >= this.subscriptionsMax) {
      throw new RpcError("RPC_ERROR_LIMIT_EXCEEDED", `too many subscriptions on this connection (limit ${this.subscriptionsMax})`);
    }
    const id = formatData(randomBytes(16));
    // Reserved now, delivering after activate() (called once the answer has been sent).
    this.active.set(id, () => undefined);
    this.waiting.add(id);
    return id;
  }

  /** Starts delivery for subscriptions whose eth_subscribe answer has been sent. */
  activate(ids: readonly string[]): void {
    for (const id of ids) {
      if (!this.waiting.delete(id) || !this.active.has(id)) continue;
      const remove = this.hub.add((result) => {
        this.send(JSON.stringify({ jsonrpc: "2.0", method: "eth_subscription", params: { subscription: id, result } }));
      });
      this.active.set(id, remove);
    }
  }

  unsubscribe(id: string): boolean {
    const remove = this.active.get(id);
    if (!remove) return false;
    remove();
    this.active.delete(id);
    return true;
  }

  get size(): number {
    return this.active.size;
  }

  closeAll(): void {
    for (const remove of this.active.values()) remove();
    this.active.clear();
    this.waiting.clear();
  }
}
