// The Ethereum-compatible JSON-RPC server of a validator: HTTP and WebSocket on one port (node:http plus `ws`),
// serving eth_/net_/web3_ and xdp_ methods over an RpcBackend, and lane_ methods over a LaneBackend when the node
// runs the order lane. It owns no chain state; everything comes from the backends. Any client input, and any
// backend exception, ends as a JSON-RPC error or a closed connection, never a crash. Limits: rpc-options.ts.
// Not here: the methods (eth-methods.ts, xdp-methods.ts, lane-methods.ts), the envelope (json-rpc.ts).

import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { LaneBackend } from "../lane/lane-backend.ts";
import { ETH_METHODS } from "./eth-methods.ts";
import { formatQuantity } from "./hex.ts";
import { type EnvelopeOptions, handleText } from "./json-rpc.ts";
import { LANE_METHODS } from "./lane-methods.ts";
import { LaneHub } from "./lane-subscriptions.ts";
import { type MethodContext, type MethodTable, type SubscriptionRegistry, mergeTables, methodCaller } from "./method-context.ts";
import type { RpcBackend } from "./rpc-backend.ts";
import { RpcServerError } from "./rpc-error.ts";
import { handleHttp } from "./rpc-http.ts";
import { DEFAULT_RPC_LIMITS, OriginPolicy, type RpcLimits, type RpcLog, noLog } from "./rpc-options.ts";
import { NewHeadsHub } from "./rpc-subscriptions.ts";
import { RpcWebSockets } from "./rpc-websocket.ts";
import { XDP_METHODS } from "./xdp-methods.ts";

export interface RpcServerOptions {
  backend: RpcBackend;
  /** The order lane; without it every lane_ method answers that the lane is not enabled. */
  lane?: LaneBackend;
  /** Default 127.0.0.1: exposing RPC beyond the host is an explicit choice. */
  host?: string;
  /** Default 8545; 0 picks a free port (see the returned address). */
  port?: number;
  /** Browser origins allowed (CORS and WebSocket Origin); "*" allows any. Default: none. */
  corsOrigins?: readonly string[];
  limits?: Partial<RpcLimits>;
  log?: RpcLog;
}

export interface RpcServer {
  readonly address: { host: string; port: number };
  /** Stops listening, closes every HTTP and WebSocket connection and detaches from the backend. */
  close(): Promise<void>;
}

export const RPC_METHODS: MethodTable = mergeTables(ETH_METHODS, XDP_METHODS, LANE_METHODS);

function checkLimits(limits: RpcLimits): void {
  for (const [name, value] of Object.entries(limits)) {
    const zeroOk = name === "wsHeartbeatMs";
    if (!Number.isSafeInteger(value) || value < 0 || (value === 0 && !zeroOk)) {
      throw new RpcServerError("RPC_SERVER_ERROR_CONFIG", `limit ${name} must be a positive integer, got ${String(value)}`, { name });
    }
  }
}

function healthOf(backend: RpcBackend): { ok: boolean; body: Record<string, unknown> } {
  const syncing = backend.syncing();
  return {
    ok: true,
    body: {
      status: "ok",
      chainId: formatQuantity(backend.chainId),
      headHeight: backend.headHeight(),
      syncing: syncing !== false,
      peers: backend.peerCount(),
      clientVersion: backend.clientVersion,
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(new RpcServerError("RPC_SERVER_ERROR_LISTEN", `cannot listen on ${host}:${port}: ${err.message}`, { host, port, errno: err.code }));
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

export async function createRpcServer(options: RpcServerOptions): Promise<RpcServer> {
  const { backend, lane } = options;
  const given = options.log ?? noLog;
  // A failing log callback must not turn into a failed request or an unhandled rejection.
  const log: RpcLog = (level, msg, data) => {
    try {
      given(level, msg, data);
    } catch {
      // nothing sensible left to report to
    }
  };
  const limits: RpcLimits = { ...DEFAULT_RPC_LIMITS, ...options.limits };
  checkLimits(limits);
  const origins = new OriginPolicy(options.corsOrigins ?? []);
  const envelope: EnvelopeOptions = {
    batchLengthMax: limits.batchLengthMax,
    onInternalError: (method, err) => log("error", "rpc method failed", { method, err: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  };
  const run = (text: string, ctx: MethodContext): Promise<string | undefined> => handleText(text, methodCaller(RPC_METHODS, ctx), envelope);
  const httpCtx: MethodContext = { backend, transport: "http", lane };
  const hub = new NewHeadsHub(backend, (err) => log("error", "rpc newHeads notification failed", { err: String(err) }));
  const laneHub = lane === undefined ? undefined : new LaneHub(lane, (err) => log("error", "rpc lane notification failed", { err: String(err) }));
  const sockets = new RpcWebSockets({
    limits,
    origins,
    log,
    hub,
    laneHub,
    handle: (text, subscriptions: SubscriptionRegistry) => run(text, { backend, transport: "ws", lane, subscriptions }),
  });

  const server = createServer({ requestTimeout: limits.httpRequestTimeoutMs, headersTimeout: limits.httpHeadersTimeoutMs }, (req, res) =>
    handleHttp(req, res, { limits, origins, log, handle: (text) => run(text, httpCtx), health: () => healthOf(backend) }),
  );
  server.maxConnections = limits.httpConnectionsMax;
  server.on("upgrade", (req, socket, head) => sockets.upgrade(req, socket, head));
  server.on("clientError", (err, socket) => {
    log("debug", "rpc http client error", { err: String(err) });
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });

  let info: AddressInfo;
  try {
    info = await listen(server, options.port ?? 8545, options.host ?? "127.0.0.1");
  } catch (err) {
    sockets.close();
    hub.close();
    laneHub?.close();
    throw err;
  }
  log("info", "rpc server listening", { host: info.address, port: info.port });

  let closing: Promise<void> | undefined;
  return {
    address: { host: info.address, port: info.port },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        hub.close();
        laneHub?.close();
        sockets.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
