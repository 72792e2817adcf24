// Configuration of the JSON-RPC server: limits on everything a client can make the server hold (bodies, batches,
// connections, subscriptions, buffered output), allowed browser origins, and the log callback.
// Defaults suit a validator exposing RPC to wallets; every limit can be overridden per server.

export type RpcLogLevel = "debug" | "info" | "warn" | "error";
export type RpcLog = (level: RpcLogLevel, msg: string, data?: Record<string, unknown>) => void;

export interface RpcLimits {
  /** Larger HTTP bodies get HTTP 413 and a -32005 error. */
  httpBodyBytesMax: number;
  /** Requests in one batch (HTTP or WebSocket); more is one -32005 error. */
  batchLengthMax: number;
  /** Larger WebSocket messages close the connection with 1009 (message too big). */
  wsMessageBytesMax: number;
  /** WebSocket connections open at once; further upgrades get HTTP 503. */
  wsConnectionsMax: number;
  wsSubscriptionsPerConnectionMax: number;
  /** Messages of one WebSocket connection being handled at once; beyond this each gets -32005. */
  wsRequestsInFlightMax: number;
  /** A connection whose unsent output exceeds this is a slow consumer and is closed. */
  wsBufferedBytesMax: number;
  /** Ping interval; a connection that missed the previous pong is terminated. 0 disables. */
  wsHeartbeatMs: number;
  /** HTTP connections open at once (node:http maxConnections). */
  httpConnectionsMax: number;
  /** Time allowed to receive a whole HTTP request. */
  httpRequestTimeoutMs: number;
  httpHeadersTimeoutMs: number;
}

export const DEFAULT_RPC_LIMITS: Readonly<RpcLimits> = Object.freeze({
  httpBodyBytesMax: 1024 * 1024,
  batchLengthMax: 100,
  wsMessageBytesMax: 1024 * 1024,
  wsConnectionsMax: 256,
  wsSubscriptionsPerConnectionMax: 32,
  wsRequestsInFlightMax: 32,
  wsBufferedBytesMax: 16 * 1024 * 1024,
  wsHeartbeatMs: 30_000,
  httpConnectionsMax: 1024,
  httpRequestTimeoutMs: 30_000,
  httpHeadersTimeoutMs: 10_000,
});

export const noLog: RpcLog = () => undefined;

/** Browser origins allowed to call: exact origins ("https://app.example") or "*" for any. */
export class OriginPolicy {
  private readonly any: boolean;
  private readonly origins: ReadonlySet<string>;

  constructor(allowed: readonly string[]) {
    this.any = allowed.includes("*");
    this.origins = new Set(allowed.map((o) => o.toLowerCase()));
  }

  /** The value for Access-Control-Allow-Origin, or undefined when the origin is not allowed. */
  allowOrigin(origin: string): string | undefined {
    if (this.any) return "*";
    return this.origins.has(origin.toLowerCase()) ? origin : undefined;
  }
}
