// Codecs of the control plane's frame bodies: round trips, exact lengths, and malformed input as results.
import { describe, expect, it } from "vitest";

import {
  decodeHashRequest,
  decodeHashResponse,
  decodeRangeRequest,
  decodeStatus,
  encodeHashResponse,
  encodeRangeRequest,
  encodeStatus,
  protocolId,
  RANGE_REQUEST_BYTES,
  STATUS_BYTES,
} from "../../../../node/p2p/wire-messages.ts";

const status = { chainId: 7777n, genesisHash: new Uint8Array(32).fill(1), finalizedHeight: 123_456, finalizedHash: new Uint8Array(32).fill(2) };

describe("wire messages", () => {
  it("names protocols by chain id", () => {
    expect(protocolId(7777n, "blocks-by-range")).toBe("/xdpchain/7777/blocks-by-range/1");
  });

  it("round-trips a status and pins its layout", () => {
    const bytes = encodeStatus(status);
    expect(bytes.length).toBe(STATUS_BYTES);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0, 0, 0, 0, 0, 0, 0x1e, 0x61]);
    expect(decodeStatus(bytes)).toEqual({ ok: true, value: status });
  });

  it("rejects statuses of the wrong length or with a height beyond 2^53", () => {
    expect(decodeStatus(new Uint8Array(79))).toMatchObject({ ok: false, code: "WIRE_ERROR_LENGTH" });
    const bytes = encodeStatus(status);
    bytes.fill(0xff, 40, 48);
    expect(decodeStatus(bytes)).toMatchObject({ ok: false, code: "WIRE_ERROR_RANGE" });
  });

  it("refuses to encode a local caller's bad status", () => {
    expect(() => encodeStatus({ ...status, genesisHash: new Uint8Array(31) })).toThrow(RangeError);
    expect(() => encodeStatus({ ...status, finalizedHeight: -1 })).toThrow(RangeError);
  });

  it("round-trips range requests and rejects count zero or wrong sizes", () => {
    const bytes = encodeRangeRequest({ fromHeight: 2 ** 40, count: 64 });
    expect(bytes.length).toBe(RANGE_REQUEST_BYTES);
    expect(decodeRangeRequest(bytes)).toEqual({ ok: true, value: { fromHeight: 2 ** 40, count: 64 } });
    expect(decodeRangeRequest(new Uint8Array(12))).toMatchObject({ ok: false, code: "WIRE_ERROR_RANGE" });
    expect(decodeRangeRequest(new Uint8Array(13))).toMatchObject({ ok: false, code: "WIRE_ERROR_LENGTH" });
  });

  it("checks hash requests and tagged hash answers", () => {
    expect(decodeHashRequest(new Uint8Array(32)).ok).toBe(true);
    expect(decodeHashRequest(new Uint8Array(33)).ok).toBe(false);
    expect(decodeHashResponse(encodeHashResponse(undefined))).toEqual({ ok: true, value: undefined });
    const found = decodeHashResponse(encodeHashResponse(Uint8Array.of(9, 8, 7)));
    expect(found.ok && Array.from(found.value!)).toEqual([9, 8, 7]);
    expect(decodeHashResponse(new Uint8Array(0))).toMatchObject({ ok: false, code: "WIRE_ERROR_LENGTH" });
    expect(decodeHashResponse(Uint8Array.of(0, 1))).toMatchObject({ ok: false, code: "WIRE_ERROR_LENGTH" });
    expect(decodeHashResponse(Uint8Array.of(2))).toMatchObject({ ok: false, code: "WIRE_ERROR_TAG" });
  });
});
