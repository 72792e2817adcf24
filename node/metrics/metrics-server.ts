// A minimal HTTP endpoint for Prometheus: GET /metrics returns the registry's text exposition, anything else
// is 404. It is not an admin API and serves no other state; bind it to loopback or a monitoring network.
// Listening failures (port in use, bad host) are coded exceptions.

import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { XdpchainError } from "../../consensus/errors.ts";
import type { Metrics } from "./metrics.ts";

export class MetricsServerError extends XdpchainError<"METRICS_ERROR_LISTEN", { host: string; port: number; cause: string }> {}

export interface MetricsServerOptions {
  host: string;
  /** 0 picks a free port (see the returned address). */
  port: number;
  metrics: Pick<Metrics, "registry">;
}

export interface MetricsServer {
  readonly address: { host: string; port: number };
  /** Stops listening and drops open connections. Idempotent. */
  close(): Promise<void>;
}

function handle(metrics: MetricsServerOptions["metrics"], req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? "").split("?", 1)[0];
  if (req.method !== "GET" || path !== "/metrics") {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
    return;
  }
  metrics.registry.metrics().then(
    (text) => {
      res.writeHead(200, { "content-type": metrics.registry.contentType }).end(text);
    },
    (err: unknown) => {
      res.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end(`metrics collection failed: ${String(err)}\n`);
    },
  );
}

export function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const server = createServer((req, res) => handle(options.metrics, req, res));
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  };
  return new Promise((resolve, reject) => {
    server.once("error", (err) => {
      reject(new MetricsServerError("METRICS_ERROR_LISTEN", `cannot listen on ${options.host}:${options.port}: ${err.message}`, {
        host: options.host,
        port: options.port,
        cause: err.message,
      }));
    });
    server.listen(options.port, options.host, () => {
      const bound = server.address() as AddressInfo;
      resolve({ address: { host: bound.address, port: bound.port }, close });
    });
  });
}
