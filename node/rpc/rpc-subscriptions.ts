// eth_subscribe over WebSocket: one server-wide listener on the backend's new heads fans out to every
// connection's newHeads subscriptions (geth's notification format, eth_subscription). A subscription starts
// delivering only after its subscribe answer went out, so a client never sees an id before it is told it.
// Per-connection subscriptions are capped, eth_ and lane_ (lane-subscriptions.ts, lane_subscription) together;
// eth_subscribe knows only "newHeads" (no logs: there are no contracts).

import { randomBytes } from "node:crypto";
import { formatData } from "./hex.ts";
import type { LaneHub, LaneTopic } from "./lane-subscriptions.ts";
import type { SubscriptionNamespace, SubscriptionRegistry } from "./method-context.ts";
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

/** Attaches a sink that receives each notification's result; returns the detach function. */
type Attach = (sink: (result: unknown) => void) => () => void;

interface Subscription {
  readonly namespace: SubscriptionNamespace;
  remove: () => void;
}

/** One WebSocket connection's subscriptions. `send` writes one serialized notification to the socket. */
export class ConnectionSubscriptions implements SubscriptionRegistry {
  private readonly active = new Map<string, Subscription>();
  /** Reserved ids whose subscribe answer has not been sent yet, with how they will attach. */
  private readonly waiting = new Map<string, Attach>();

  constructor(
    private readonly hub: NewHeadsHub,
    private readonly send: (text: string) => void,
    private readonly subscriptionsMax: number,
    private readonly laneHub?: LaneHub,
  ) {}

  subscribe(kind: string): string {
    if (kind !== "newHeads") {
      throw invalidParams(`invalid argument 0 (subscription type): unsupported subscription type ${JSON.stringify(kind.slice(0, 32))}, only "newHeads"`);
    }
    return this.reserve("eth", (sink) => this.hub.add(sink));
  }

  subscribeLane(topic: LaneTopic): string {
    const laneHub = this.laneHub;
    if (laneHub === undefined) throw new RpcError("RPC_ERROR_METHOD_NOT_FOUND", "the order lane is not enabled on this node");
    return this.reserve("lane", (sink) => laneHub.add(topic, sink));
  }

  private reserve(namespace: SubscriptionNamespace, attach: Attach): string {
    if (this.active.size >= this.subscriptionsMax) {
      throw new RpcError("RPC_ERROR_LIMIT_EXCEEDED", `too many subscriptions on this connection (limit ${this.subscriptionsMax})`);
    }
    const id = formatData(randomBytes(16));
    // Reserved now, delivering after activate() (called once the answer has been sent).
    this.active.set(id, { namespace, remove: () => undefined });
    this.waiting.set(id, attach);
    return id;
  }

  /** Starts delivery for subscriptions whose subscribe answer has been sent. */
  activate(ids: readonly string[]): void {
    for (const id of ids) {
      const attach = this.waiting.get(id);
      const sub = this.active.get(id);
      this.waiting.delete(id);
      if (attach === undefined || sub === undefined) continue;
      const method = `${sub.namespace}_subscription`;
      sub.remove = attach((result) => {
        this.send(JSON.stringify({ jsonrpc: "2.0", method, params: { subscription: id, result } }));
      });
    }
  }

  unsubscribe(id: string, namespace: SubscriptionNamespace = "eth"): boolean {
    const sub = this.active.get(id);
    if (sub === undefined || sub.namespace !== namespace) return false;
    sub.remove();
    this.active.delete(id);
    this.waiting.delete(id);
    return true;
  }

  get size(): number {
    return this.active.size;
  }

  closeAll(): void {
    for (const sub of this.active.values()) sub.remove();
    this.active.clear();
    this.waiting.clear();
  }
}
