// The HTTP transport of the RPC server on 127.0.0.1: malformed and oversized bodies, content types, paths,
// notifications, batch limits, CORS and preflight, /health, and that backend failures and broken HTTP never
// take the server down.
import { request } from "node:http";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { call, post, postRaw, useRpcServers } from "./rpc-test-server.ts";

const startServer = useRpcServers();

/** Streams `total` bytes in chunks without a Content-Length; resolves with the status and body. */
function postChunked(url: string, total: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = (): void => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

describe("bodies and paths", () => {
  it("answers malformed JSON with -32700 over HTTP 200", async () => {
    const t = await startServer();
    const res = await postRaw(t.url, '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "parse error: invalid JSON" } });
    const binary = await fetch(t.url, { method: "POST", headers: { "content-type": "application/json" }, body: Buffer.from([0xff, 0xfe, 0x00]) });
    expect(((await binary.json()) as { error: { code: number } }).error.code).toBe(-32700);
  });

  it("refuses a declared oversized body with HTTP 413 and a JSON-RPC error", async () => {
    const t = await startServer({ limits: { httpBodyBytesMax: 1000 } });
    const res = await postRaw(t.url, JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: ["x".repeat(2000)] }));
    expect(res.status).toBe(413);
    const json = (await res.json()) as { error: { code: number; message: string } };
    expect(json.error.code).toBe(-32005);
    expect(json.error.message).toContain("1000 bytes");
    expect((await call(t.url, "eth_chainId")).result).toBe("0x7a69");
  });

  it("refuses a streamed body once it passes the limit (default 1 MiB)", async () => {
    const t = await startServer();
    const r = await postChunked(t.url, 3 * 1024 * 1024);
    expect(r.status).toBe(413);
    expect((JSON.parse(r.body) as { error: { code: number } }).error.code).toBe(-32005);
    expect((await call(t.url, "eth_blockNumber")).result).toBe("0x0");
  });

  it("accepts a body just under the limit", async () => {
    const t = await startServer({ limits: { httpBodyBytesMax: 1000 } });
    const body = JSON.stringify({ jsonrpc: "2.0", id: "pad", method: "eth_chainId" }).padEnd(1000, " ");
    const res = await postRaw(t.url, body);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { result: string }).result).toBe("0x7a69");
  });

  it("requires a JSON content type, POST on /, and 404s other paths", async () => {
    const t = await startServer();
    const wrongType = await fetch(t.url, { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" });
    expect(wrongType.status).toBe(415);
    expect((await fetch(t.url)).status).toBe(405);
    expect((await postRaw(`${t.url}other`, "{}")).status).toBe(404);
    const charset = await postRaw(t.url, '{"jsonrpc":"2.0","id":1,"method":"net_version"}', { "content-type": "application/json; charset=utf-8" });
    expect(((await charset.json()) as { result: string }).result).toBe("31337");
  });

  it("answers notifications with 204 and no body", async () => {
    const t = await startServer();
    const res = await postRaw(t.url, '{"jsonrpc":"2.0","method":"eth_chainId"}');
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
  });

  it("runs batches and refuses batches over 100 requests", async () => {
    const t = await startServer();
    const batch = (n: number): unknown[] => Array.from({ length: n }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "eth_blockNumber" }));
    const ok = await post(t.url, batch(100));
    expect((ok.json as unknown[]).length).toBe(100);
    const tooMany = await post(t.url, batch(101));
    expect(tooMany.json).toMatchObject({ id: null, error: { code: -32005 } });
    expect(await post(t.url, [])).toMatchObject({ json: { error: { code: -32600, message: "empty batch" } } });
  });

  it("answers unknown methods with -32601, naming them", async () => {
    const t = await startServer();
    for (const method of ["eth_foo", "constructor", "__proto__", "toString"]) {
      const r = await call(t.url, method);
      expect(r.error).toEqual({ code: -32601, message: `the method ${method} does not exist/is not available` });
    }
  });
});

describe("robustness", () => {
  it("turns a backend exception into -32603 with a log line, then keeps serving", async () => {
    const t = await startServer();
    t.backend.failing.add("account");
    const r = await call(t.url, "eth_getBalance", ["0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", "latest"]);
    expect(r.error).toEqual({ code: -32603, message: "internal error" });
    const line = t.logs.find((l) => l.level === "error" && l.msg === "rpc method failed");
    expect(line?.data?.method).toBe("eth_getBalance");
    expect(String(line?.data?.err)).toContain("fake backend: account failed");
    expect((await call(t.url, "eth_chainId")).result).toBe("0x7a69");
  });

  it("survives garbage on the socket and keeps serving", async () => {
    const t = await startServer();
    const reply = await new Promise<string>((resolve) => {
      const s = connect(t.server.address.port, "127.0.0.1", () => s.write("\x00\x01GARBAGE \r\n\r\n"));
      let text = "";
      s.on("data", (d) => (text += d.toString()));
      s.on("close", () => resolve(text));
      s.on("error", () => resolve(text));
    });
    expect(reply).toContain("400");
    expect((await call(t.url, "eth_chainId")).result).toBe("0x7a69");
  });
});

describe("CORS and health", () => {
  it("adds CORS headers only for allowed origins and answers preflight", async () => {
    const t = await startServer({ corsOrigins: ["https://wallet.example"] });
    const body = '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}';
    const allowed = await postRaw(t.url, body, { origin: "https://wallet.example" });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://wallet.example");
    const other = await postRaw(t.url, body, { origin: "https://evil.example" });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    const pre = await fetch(t.url, {
      method: "OPTIONS",
      headers: { origin: "https://wallet.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-methods")).toContain("POST");
    expect(pre.headers.get("access-control-allow-headers")).toBe("content-type");
    const refused = await fetch(t.url, { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "POST" } });
    expect(refused.status).toBe(403);
  });

  it("allows any origin with *", async () => {
    const t = await startServer({ corsOrigins: ["*"] });
    const res = await postRaw(t.url, '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}', { origin: "http://localhost:3000" });
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("serves GET /health as JSON, 503 when the backend fails", async () => {
    const t = await startServer();
    t.backend.commit();
    const res = await fetch(`${t.url}health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", chainId: "0x7a69", headHeight: 1, syncing: false, peers: 3, clientVersion: "xdpchain/v0.1.0-test" });
    t.backend.failing.add("headHeight");
    const down = await fetch(`${t.url}health`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: "error" });
  });
});
