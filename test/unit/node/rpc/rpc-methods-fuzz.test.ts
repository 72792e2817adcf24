// Every registered method with arbitrary JSON parameters (fast-check): each call ends in a result or a protocol
// error, never -32603 (which would mean a handler bug reached the catch-all) and never an exception.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { handleText } from "../../../../node/rpc/json-rpc.ts";
import { methodCaller } from "../../../../node/rpc/method-context.ts";
import { RPC_METHODS } from "../../../../node/rpc/rpc-server.ts";
import { FakeBackend } from "./fake-backend.ts";

const KNOWN_CODES = new Set([-32700, -32600, -32601, -32602, -32000, -32001, -32005]);

// Values shaped like what clients send, mixed with arbitrary JSON, so checks past the first parameter run too.
const paramValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom("latest", "pending", "earliest", "0x0", "0x1", "0x", "0x00", `0x${"ab".repeat(20)}`, `0x${"cd".repeat(32)}`, true, false, null),
  fc.record({ to: fc.constantFrom(`0x${"ab".repeat(20)}`, null, 5), data: fc.constantFrom("0x", "0x01", "zz"), value: fc.constantFrom("0x1", 1) }),
);

describe("methods under arbitrary parameters", () => {
  it("answer with a result or a known error code", async () => {
    const backend = new FakeBackend();
    backend.commit();
    const internal: unknown[] = [];
    const call = methodCaller(RPC_METHODS, { backend, transport: "http" });
    const methods = [...RPC_METHODS.keys()];
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...methods), fc.array(paramValue, { maxLength: 4 }), async (method, params) => {
        const text = await handleText(JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }), call, {
          batchLengthMax: 10,
          onInternalError: (_m, err) => internal.push(err),
        });
        const r = JSON.parse(text!) as { result?: unknown; error?: { code: number } };
        const outcome = r.error ? String(r.error.code) : "result";
        seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
        if (r.error) expect(KNOWN_CODES.has(r.error.code), `${method} ${JSON.stringify(params)} -> ${r.error.code}`).toBe(true);
        else expect(r).toHaveProperty("result");
      }),
      { numRuns: 1500 },
    );
    expect(internal).toEqual([]);
    // Not vacuous: both answers and parameter refusals occurred.
    expect(seen.get("result")).toBeGreaterThan(50);
    expect(seen.get("-32602")).toBeGreaterThan(50);
  });
});
