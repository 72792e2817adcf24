// The JSON-RPC 2.0 envelope without a network: id echo, notifications, batches, invalid requests, parse errors,
// and that non-RpcError exceptions become -32603 and are reported (never thrown).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type EnvelopeOptions, handleText } from "../../../../node/rpc/json-rpc.ts";
import { RpcError } from "../../../../node/rpc/rpc-error.ts";

const internal: { method: string; err: unknown }[] = [];
const options: EnvelopeOptions = { batchLengthMax: 3, onInternalError: (method, err) => internal.push({ method, err }) };
const calls: string[] = [];

async function call(method: string, params: unknown[]): Promise<unknown> {
  calls.push(method);
  if (method === "echo") return params;
  if (method === "nothing") return undefined;
  if (method === "bad") throw new RpcError("RPC_ERROR_INVALID_PARAMS", "invalid argument 0 (x): nope", { hint: 1 });
  if (method === "boom") throw new Error("disk on fire");
  throw new RpcError("RPC_ERROR_METHOD_NOT_FOUND", `the method ${method} does not exist/is not available`);
}

async function run(text: string): Promise<unknown> {
  const out = await handleText(text, call, options);
  return out === undefined ? undefined : JSON.parse(out);
}

describe("single requests", () => {
  it("echoes string, number and null ids", async () => {
    for (const id of ["abc", 7, 1.5, null]) {
      expect(await run(JSON.stringify({ jsonrpc: "2.0", id, method: "echo", params: [1] }))).toEqual({ jsonrpc: "2.0", id, result: [1] });
    }
  });

  it("answers undefined results with null", async () => {
    expect(await run('{"jsonrpc":"2.0","id":1,"method":"nothing"}')).toEqual({ jsonrpc: "2.0", id: 1, result: null });
  });

  it("does not answer notifications, but runs them", async () => {
    calls.length = 0;
    expect(await run('{"jsonrpc":"2.0","method":"echo","params":[]}')).toBeUndefined();
    expect(await run('{"jsonrpc":"2.0","method":"boom"}')).toBeUndefined();
    expect(calls).toEqual(["echo", "boom"]);
  });

  it("answers a parse error with -32700 and id null", async () => {
    expect(await run('{"jsonrpc":"2.0","id":1,')).toEqual({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "parse error: invalid JSON" } });
  });

  it.each([
    ['{"id":1,"method":"echo"}', 1, "jsonrpc"],
    ['{"jsonrpc":"1.0","id":1,"method":"echo"}', 1, "jsonrpc"],
    ['{"jsonrpc":"2.0","id":1,"method":5}', 1, "method"],
    ['{"jsonrpc":"2.0","id":1,"method":""}', 1, "method"],
    ['{"jsonrpc":"2.0","id":{},"method":"echo"}', null, "id"],
    ['{"jsonrpc":"2.0","id":1,"method":"echo","params":5}', 1, "params"],
    ["5", null, "object"],
    ['"x"', null, "object"],
  ])("answers %s with -32600", async (text, id, word) => {
    const r = (await run(text)) as { id: unknown; error: { code: number; message: string } };
    expect(r.id).toEqual(id);
    expect(r.error.code).toBe(-32600);
    expect(r.error.message).toContain(word);
  });

  it("refuses by-name params with -32602", async () => {
    const r = (await run('{"jsonrpc":"2.0","id":2,"method":"echo","params":{"a":1}}')) as { error: { code: number } };
    expect(r.error.code).toBe(-32602);
  });

  it("passes RpcError code, message and data through", async () => {
    expect(await run('{"jsonrpc":"2.0","id":3,"method":"bad"}')).toEqual({
      jsonrpc: "2.0",
      id: 3,
      error: { code: -32602, message: "invalid argument 0 (x): nope", data: { hint: 1 } },
    });
  });

  it("turns other exceptions into -32603 without their message, and reports them", async () => {
    internal.length = 0;
    expect(await run('{"jsonrpc":"2.0","id":4,"method":"boom"}')).toEqual({ jsonrpc: "2.0", id: 4, error: { code: -32603, message: "internal error" } });
    expect(internal).toHaveLength(1);
    expect(internal[0]!.method).toBe("boom");
    expect(String(internal[0]!.err)).toContain("disk on fire");
  });
});

describe("batches", () => {
  it("answers each request in order, skipping notifications", async () => {
    const r = await run(
      JSON.stringify([
        { jsonrpc: "2.0", id: 1, method: "echo", params: ["a"] },
        { jsonrpc: "2.0", method: "echo", params: ["skip"] },
        { jsonrpc: "2.0", id: 2, method: "missing" },
      ]),
    );
    expect(r).toEqual([
      { jsonrpc: "2.0", id: 1, result: ["a"] },
      { jsonrpc: "2.0", id: 2, error: { code: -32601, message: "the method missing does not exist/is not available" } },
    ]);
  });

  it("answers an empty batch with one -32600 error", async () => {
    expect(await run("[]")).toEqual({ jsonrpc: "2.0", id: null, error: { code: -32600, message: "empty batch" } });
  });

  it("answers invalid members individually", async () => {
    expect(await run("[1,2]")).toEqual([
      { jsonrpc: "2.0", id: null, error: { code: -32600, message: "request must be an object" } },
      { jsonrpc: "2.0", id: null, error: { code: -32600, message: "request must be an object" } },
    ]);
  });

  it("says nothing for a batch of notifications", async () => {
    expect(await run('[{"jsonrpc":"2.0","method":"echo"},{"jsonrpc":"2.0","method":"echo"}]')).toBeUndefined();
  });

  it("refuses a batch over the limit with -32005 and runs none of it", async () => {
    calls.length = 0;
    const batch = Array.from({ length: 4 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "echo" }));
    const r = (await run(JSON.stringify(batch))) as { id: unknown; error: { code: number; message: string } };
    expect(r.id).toBeNull();
    expect(r.error.code).toBe(-32005);
    expect(r.error.message).toContain("limit of 3");
    expect(calls).toEqual([]);
  });
});

describe("robustness", () => {
  it("never throws and always answers valid JSON on arbitrary text", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json()), async (text) => {
        const out = await handleText(text, call, options);
        if (out !== undefined) JSON.parse(out);
      }),
      { numRuns: 300 },
    );
  });
});
