// The WebSocket transport on the HTTP port: JSON-RPC over text messages, eth_subscribe/eth_unsubscribe newHeads,
// per-connection subscription and in-flight limits, message size, connection cap, Origin policy, shutdown.
// Absence of a notification is shown by ordering: a head is sent synchronously at commit, so it would arrive
// before the answer to any request sent after the commit.
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { formatData } from "../../../../node/rpc/hex.ts";
import { useRpcServers } from "./rpc-test-server.ts";

const startServer = useRpcServers();

interface Client {
  ws: WebSocket;
  next(): Promise<Record<string, unknown>>;
  request(method: string, params?: unknown[]): Promise<Record<string, unknown>>;
  closed: Promise<number>;
}

async function open(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const ws = new WebSocket(url, { headers });
  const queue: Record<string, unknown>[] = [];
  const waiters: ((m: Record<string, unknown>) => void)[] = [];
  ws.on("message", (data) => {
    const m = JSON.parse(data.toString()) as Record<string, unknown>;
    const w = waiters.shift();
    if (w) w(m);
    else queue.push(m);
  });
  const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  let id = 0;
  const next = (): Promise<Record<string, unknown>> => {
    const m = queue.shift();
    return m ? Promise.resolve(m) : new Promise((resolve) => waiters.push(resolve));
  };
  return {
    ws,
    next,
    closed,
    request: (method, params = []) => {
      ws.send(JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }));
      return next();
    },
  };
}

function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on("unexpected-response", (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on("open", () => {
      resolve(101);
      ws.close();
    });
    ws.on("error", () => undefined);
  });
}

describe("JSON-RPC over WebSocket", () => {
  it("answers calls, batches and malformed JSON", async () => {
    const t = await startServer();
    const c = await open(t.wsUrl);
    expect(await c.request("eth_chainId")).toEqual({ jsonrpc: "2.0", id: 1, result: "0x7a69" });
    c.ws.send('[{"jsonrpc":"2.0","id":"a","method":"net_version"},{"jsonrpc":"2.0","id":"b","method":"eth_blockNumber"}]');
    expect(await c.next()).toEqual([
      { jsonrpc: "2.0", id: "a", result: "31337" },
      { jsonrpc: "2.0", id: "b", result: "0x0" },
    ]);
    c.ws.send("{not json");
    expect(await c.next()).toMatchObject({ id: null, error: { code: -32700 } });
    c.ws.close();
  });

  it("delivers newHeads after the subscribe answer and stops after unsubscribe", async () => {
    const t = await startServer();
    const c = await open(t.wsUrl);
    const sub = await c.request("eth_subscribe", ["newHeads"]);
    const id = sub.result as string;
    expect(id).toMatch(/^0x[0-9a-f]{32}$/);
    const b1 = t.backend.commit();
    const note = await c.next();
    expect(note).toMatchObject({ jsonrpc: "2.0", method: "eth_subscription", params: { subscription: id, result: { number: "0x1", hash: formatData(b1.hash) } } });
    expect(note).not.toHaveProperty("id");
    expect((await c.request("eth_unsubscribe", [id])).result).toBe(true);
    t.backend.commit();
    expect(await c.request("eth_blockNumber")).toMatchObject({ result: "0x2" });
    expect((await c.request("eth_unsubscribe", [id])).result).toBe(false);
    expect((await c.request("eth_subscribe", ["logs"])).error).toMatchObject({ code: -32602, message: expect.stringContaining("unsupported subscription type") });
    expect((await c.request("eth_subscribe", [])).error).toMatchObject({ code: -32602 });
    c.ws.close();
  });

  it("caps subscriptions per connection", async () => {
    const t = await startServer({ limits: { wsSubscriptionsPerConnectionMax: 2 } });
    const c = await open(t.wsUrl);
    expect((await c.request("eth_subscribe", ["newHeads"])).result).toBeDefined();
    const second = (await c.request("eth_subscribe", ["newHeads"])).result as string;
    expect((await c.request("eth_subscribe", ["newHeads"])).error).toMatchObject({ code: -32005 });
    await c.request("eth_unsubscribe", [second]);
    expect((await c.request("eth_subscribe", ["newHeads"])).result).toBeDefined();
    c.ws.close();
  });

  it("answers -32005 beyond the in-flight limit of one connection", async () => {
    const t = await startServer({ limits: { wsRequestsInFlightMax: 1 } });
    const c = await open(t.wsUrl);
    let release: () => void = () => undefined;
    t.backend.blockGate = new Promise((resolve) => (release = resolve));
    c.ws.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getBlockByNumber", params: ["latest", false] }));
    const refused = await c.request("eth_chainId");
    expect(refused).toMatchObject({ id: null, error: { code: -32005 } });
    release();
    expect(await c.next()).toMatchObject({ id: 1, result: { number: "0x0" } });
    expect((await c.request("eth_chainId")).result).toBe("0x7a69");
    c.ws.close();
  });

  it("closes a connection that sends an oversized message with 1009", async () => {
    const t = await startServer({ limits: { wsMessageBytesMax: 1000 } });
    const c = await open(t.wsUrl);
    c.ws.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: ["x".repeat(2000)] }));
    expect(await c.closed).toBe(1009);
    expect((await open(t.wsUrl)).ws.readyState).toBe(WebSocket.OPEN);
  });
});

describe("heartbeat", () => {
  it("terminates a connection that stops answering pings, keeps one that answers", async () => {
    const t = await startServer({ limits: { wsHeartbeatMs: 40 } });
    const silent = new WebSocket(t.wsUrl, { autoPong: false });
    const silentClosed = new Promise<number>((resolve) => silent.on("close", (code) => resolve(code)));
    const healthy = await open(t.wsUrl);
    let pings = 0;
    silent.on("ping", () => pings++);
    expect(await silentClosed).toBe(1006);
    expect(pings).toBeGreaterThanOrEqual(1);
    expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
    expect((await healthy.request("eth_chainId")).result).toBe("0x7a69");
    healthy.ws.close();
  });
});

describe("slow consumers", () => {
  it("closes a connection whose unsent output would pass the limit with 1008", async () => {
    const t = await startServer({ limits: { wsBufferedBytesMax: 200 } });
    const c = await open(t.wsUrl);
    expect((await c.request("eth_chainId")).result).toBe("0x7a69");
    c.ws.send(JSON.stringify({ jsonrpc: "2.0", id: 9, method: "eth_getBlockByNumber", params: ["latest", false] }));
    expect(await c.closed).toBe(1008);
    expect(t.logs.some((l) => l.msg === "rpc websocket closed: slow consumer")).toBe(true);
  });
});

describe("upgrade policy", () => {
  it("caps connections with HTTP 503", async () => {
    const t = await startServer({ limits: { wsConnectionsMax: 1 } });
    const first = await open(t.wsUrl);
    expect(await upgradeStatus(t.wsUrl)).toBe(503);
    first.ws.close();
    await first.closed;
    await expect.poll(() => upgradeStatus(t.wsUrl), { interval: 10 }).toBe(101);
  });

  it("refuses browser origins not on the list and other paths", async () => {
    const t = await startServer({ corsOrigins: ["https://wallet.example"] });
    expect(await upgradeStatus(t.wsUrl, { origin: "https://evil.example" })).toBe(403);
    expect(await upgradeStatus(t.wsUrl, { origin: "https://wallet.example" })).toBe(101);
    expect(await upgradeStatus(t.wsUrl)).toBe(101);
    expect(await upgradeStatus(`${t.wsUrl}other`)).toBe(404);
  });

  it("closes WebSocket connections and detaches from the backend on server close", async () => {
    const t = await startServer();
    const c = await open(t.wsUrl);
    await c.request("eth_subscribe", ["newHeads"]);
    expect(t.backend.listenerCount).toBe(1);
    await t.server.close();
    expect(await c.closed).toBe(1006);
    expect(t.backend.listenerCount).toBe(0);
    t.backend.commit();
  });
});
