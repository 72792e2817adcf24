// Test support: an RPC server on 127.0.0.1 with an ephemeral port over a FakeBackend, closed after each test,
// plus raw HTTP helpers and a recording log. Only loopback traffic.

import { afterEach } from "vitest";
import { devAccounts } from "../../../../genesis/devnet-accounts.ts";
import { type RpcServer, type RpcServerOptions, createRpcServer } from "../../../../node/rpc/rpc-server.ts";
import type { RpcLogLevel } from "../../../../node/rpc/rpc-options.ts";
import { FakeBackend } from "./fake-backend.ts";

export const ETHER = 10n ** 18n;
export const [DEV0, DEV1] = devAccounts(2);

export interface TestServer {
  backend: FakeBackend;
  server: RpcServer;
  url: string;
  wsUrl: string;
  logs: { level: RpcLogLevel; msg: string; data?: Record<string, unknown> }[];
}

export function useRpcServers(): (options?: Partial<Omit<RpcServerOptions, "backend">>) => Promise<TestServer> {
  const open: RpcServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  return async (options = {}) => {
    const backend = new FakeBackend();
    backend.fund(DEV0!.address, 10_000n * ETHER);
    const logs: TestServer["logs"] = [];
    const server = await createRpcServer({
      host: "127.0.0.1",
      port: 0,
      ...options,
      backend,
      log: (level, msg, data) => logs.push(data === undefined ? { level, msg } : { level, msg, data }),
    });
    open.push(server);
    const base = `127.0.0.1:${server.address.port}`;
    return { backend, server, url: `http://${base}/`, wsUrl: `ws://${base}/`, logs };
  };
}

export async function postRaw(url: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
}

/** POSTs a JSON value and returns the parsed answer (undefined for an empty body). */
export async function post(url: string, value: unknown): Promise<{ status: number; json: unknown }> {
  const res = await postRaw(url, JSON.stringify(value));
  const text = await res.text();
  return { status: res.status, json: text === "" ? undefined : JSON.parse(text) };
}

/** One call; returns the whole response object. */
export async function call(url: string, method: string, params?: unknown[]): Promise<{ id: unknown; result?: unknown; error?: { code: number; message: string; data?: unknown } }> {
  const { json } = await post(url, { jsonrpc: "2.0", id: 1, method, ...(params === undefined ? {} : { params }) });
  return json as { id: unknown; result?: unknown; error?: { code: number; message: string } };
}
