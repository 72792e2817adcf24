// The WebSocket side of the JSON-RPC server (package `ws`, sharing the HTTP port): upgrade checks (path, browser
// origin, connection cap), one text message per JSON-RPC message, in-flight cap per connection, slow-consumer
// cut-off on buffered output, heartbeat pings, and eth_subscribe / lane_subscribe through ConnectionSubscriptions.
// A browser Origin must be on the allowed list; clients that send no Origin (wallet backends, scripts) may connect.

import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type RawData, WebSocket, WebSocketServer } from "ws";
import { errorResponse } from "./json-rpc.ts";
import { RpcError } from "./rpc-error.ts";
import type { OriginPolicy, RpcLimits, RpcLog } from "./rpc-options.ts";
import type { SubscriptionRegistry } from "./method-context.ts";
import type { LaneHub } from "./lane-subscriptions.ts";
import { ConnectionSubscriptions, type NewHeadsHub } from "./rpc-subscriptions.ts";

export interface WsDeps {
  limits: RpcLimits;
  origins: OriginPolicy;
  log: RpcLog;
  hub: NewHeadsHub;
  /** Present when the node runs the order lane. */
  laneHub?: LaneHub;
  /** Handles one message text for a connection; undefined means nothing to answer. */
  handle: (text: string, subscriptions: SubscriptionRegistry) => Promise<string | undefined>;
}

/** Policy code 1008: the connection broke a limit. */
const CLOSE_POLICY = 1008;

function refuseUpgrade(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function messageText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString("utf8");
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return Buffer.from(data).toString("utf8");
}

export class RpcWebSockets {
  private readonly wss: WebSocketServer;
  private readonly alive = new WeakMap<WebSocket, boolean>();
  private readonly heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly deps: WsDeps) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: deps.limits.wsMessageBytesMax, perMessageDeflate: false });
    if (deps.limits.wsHeartbeatMs > 0) {
      this.heartbeat = setInterval(() => this.ping(), deps.limits.wsHeartbeatMs);
      this.heartbeat.unref();
    }
  }

  get connections(): number {
    return this.wss.clients.size;
  }

  /** The HTTP server's 'upgrade' listener. Never throws. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", () => undefined);
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/") return refuseUpgrade(socket, "404 Not Found");
    const origin = req.headers.origin;
    if (origin !== undefined && this.deps.origins.allowOrigin(origin) === undefined) return refuseUpgrade(socket, "403 Forbidden");
    if (this.wss.clients.size >= this.deps.limits.wsConnectionsMax) {
      this.deps.log("warn", "rpc websocket refused: connection limit", { limit: this.deps.limits.wsConnectionsMax });
      return refuseUpgrade(socket, "503 Service Unavailable");
    }
    try {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    } catch (err) {
      this.deps.log("warn", "rpc websocket upgrade failed", { err: String(err) });
      socket.destroy();
    }
  }

  /** Closes every connection (server shutdown). */
  close(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }

  private ping(): void {
    for (const ws of this.wss.clients) {
      if (this.alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      this.alive.set(ws, false);
      ws.ping();
    }
  }

  private accept(ws: WebSocket): void {
    const { limits, log } = this.deps;
    this.alive.set(ws, true);
    const send = (text: string): void => {
      if (ws.readyState !== WebSocket.OPEN) return;
      if (ws.bufferedAmount + text.length > limits.wsBufferedBytesMax) {
        log("warn", "rpc websocket closed: slow consumer", { bufferedBytes: ws.bufferedAmount });
        ws.close(CLOSE_POLICY, "output buffer limit exceeded");
        return;
      }
      ws.send(text);
    };
    const subscriptions = new ConnectionSubscriptions(this.deps.hub, send, limits.wsSubscriptionsPerConnectionMax, this.deps.laneHub);
    let inFlight = 0;
    ws.on("pong", () => this.alive.set(ws, true));
    ws.on("error", (err) => log("debug", "rpc websocket error", { err: String(err) }));
    ws.on("close", () => subscriptions.closeAll());
    ws.on("message", (data: RawData) => {
      if (inFlight >= limits.wsRequestsInFlightMax) {
        const err = new RpcError("RPC_ERROR_LIMIT_EXCEEDED", `too many requests in flight on this connection (limit ${limits.wsRequestsInFlightMax})`);
        send(JSON.stringify(errorResponse(null, err)));
        return;
      }
      inFlight++;
      // The ids this message creates start delivering only after its answer is queued.
      const created: string[] = [];
      const track = (id: string): string => {
        created.push(id);
        return id;
      };
      const registry: SubscriptionRegistry = {
        subscribe: (kind) => track(subscriptions.subscribe(kind)),
        subscribeLane: (topic) => track(subscriptions.subscribeLane(topic)),
        unsubscribe: (id, namespace) => subscriptions.unsubscribe(id, namespace),
      };
      this.deps
        .handle(messageText(data), registry)
        .then((answer) => {
          if (answer !== undefined) send(answer);
          subscriptions.activate(created);
        })
        .catch((err: unknown) => log("error", "rpc websocket handler failed", { err: String(err) }))
        .finally(() => inFlight--);
    });
  }
}
