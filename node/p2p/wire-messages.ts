// Bodies of the control plane's frames, and its protocol ids (/xdpchain/<chainId>/<name>/1). Fixed-size,
// big-endian, no optional fields: a status is 80 bytes, a range request 12, a hash request 32. A block-by-hash
// answer is one frame: a tag byte (0 not found, 1 found) then the opaque item. Range answers and transaction
// batches are plain frames, one item each, ended by the writer closing its side.
// decodeX returns a result and never throws: these bytes come from peers.

export const PROTOCOL_NAMES = ["status", "blocks-by-range", "block-by-hash", "tx"] as const;
export type ProtocolName = (typeof PROTOCOL_NAMES)[number];

export function protocolId(chainId: bigint, name: ProtocolName): string {
  return `/xdpchain/${chainId.toString()}/${name}/1`;
}

const HASH_BYTES = 32;
const U64_MAX = (1n << 64n) - 1n;

export interface StatusMessage {
  chainId: bigint;
  genesisHash: Uint8Array;
  finalizedHeight: number;
  finalizedHash: Uint8Array;
}

export const STATUS_BYTES = 8 + HASH_BYTES + 8 + HASH_BYTES;
export const RANGE_REQUEST_BYTES = 8 + 4;
export const HASH_REQUEST_BYTES = HASH_BYTES;
/** The largest request any protocol accepts; servers read no more than this before answering. */
export const REQUEST_BYTES_MAX = STATUS_BYTES;

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; code: WireErrorCode; detail: string };
export type WireErrorCode = "WIRE_ERROR_LENGTH" | "WIRE_ERROR_RANGE" | "WIRE_ERROR_TAG";

function fail<T>(code: WireErrorCode, detail: string): DecodeResult<T> {
  return { ok: false, code, detail };
}

/** Throws RangeError on a local caller's mistake (wrong hash size, height not a safe integer). */
export function encodeStatus(m: StatusMessage): Uint8Array {
  if (m.genesisHash.length !== HASH_BYTES || m.finalizedHash.length !== HASH_BYTES) throw new RangeError("status hashes must be 32 bytes");
  if (m.chainId < 0n || m.chainId > U64_MAX) throw new RangeError("chain id must fit in 64 bits");
  if (!Number.isSafeInteger(m.finalizedHeight) || m.finalizedHeight < 0) throw new RangeError("finalized height must be a safe integer");
  const out = new Uint8Array(STATUS_BYTES);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, m.chainId, false);
  out.set(m.genesisHash, 8);
  view.setBigUint64(40, BigInt(m.finalizedHeight), false);
  out.set(m.finalizedHash, 48);
  return out;
}

export function decodeStatus(bytes: Uint8Array): DecodeResult<StatusMessage> {
  if (bytes.length !== STATUS_BYTES) return fail("WIRE_ERROR_LENGTH", `status of ${bytes.length} bytes, want ${STATUS_BYTES}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const height = view.getBigUint64(40, false);
  if (height > BigInt(Number.MAX_SAFE_INTEGER)) return fail("WIRE_ERROR_RANGE", "finalized height beyond 2^53");
  return {
    ok: true,
    value: {
      chainId: view.getBigUint64(0, false),
      genesisHash: bytes.slice(8, 40),
      finalizedHeight: Number(height),
      finalizedHash: bytes.slice(48, 80),
    },
  };
}

export interface RangeRequest {
  fromHeight: number;
  count: number;
}

export function encodeRangeRequest(r: RangeRequest): Uint8Array {
  if (!Number.isSafeInteger(r.fromHeight) || r.fromHeight < 0) throw new RangeError("fromHeight must be a safe integer");
  if (!Number.isInteger(r.count) || r.count < 1 || r.count > 0xffffffff) throw new RangeError("count must be 1..2^32-1");
  const out = new Uint8Array(RANGE_REQUEST_BYTES);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(r.fromHeight), false);
  view.setUint32(8, r.count, false);
  return out;
}

/** A count of zero is malformed; a count over the server's limit is not (the server answers fewer). */
export function decodeRangeRequest(bytes: Uint8Array): DecodeResult<RangeRequest> {
  if (bytes.length !== RANGE_REQUEST_BYTES) return fail("WIRE_ERROR_LENGTH", `range request of ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const from = view.getBigUint64(0, false);
  const count = view.getUint32(8, false);
  if (from > BigInt(Number.MAX_SAFE_INTEGER)) return fail("WIRE_ERROR_RANGE", "fromHeight beyond 2^53");
  if (count === 0) return fail("WIRE_ERROR_RANGE", "count of zero");
  return { ok: true, value: { fromHeight: Number(from), count } };
}

export function decodeHashRequest(bytes: Uint8Array): DecodeResult<Uint8Array> {
  if (bytes.length !== HASH_REQUEST_BYTES) return fail("WIRE_ERROR_LENGTH", `hash request of ${bytes.length} bytes`);
  return { ok: true, value: bytes };
}

const TAG_NOT_FOUND = 0;
const TAG_FOUND = 1;

export function encodeHashResponse(item: Uint8Array | undefined): Uint8Array {
  if (item === undefined) return Uint8Array.of(TAG_NOT_FOUND);
  const out = new Uint8Array(1 + item.length);
  out[0] = TAG_FOUND;
  out.set(item, 1);
  return out;
}

export function decodeHashResponse(bytes: Uint8Array): DecodeResult<Uint8Array | undefined> {
  if (bytes.length === 0) return fail("WIRE_ERROR_LENGTH", "empty block-by-hash answer");
  if (bytes[0] === TAG_NOT_FOUND) {
    return bytes.length === 1 ? { ok: true, value: undefined } : fail("WIRE_ERROR_LENGTH", "bytes after not-found");
  }
  if (bytes[0] === TAG_FOUND) return { ok: true, value: bytes.subarray(1) };
  return fail("WIRE_ERROR_TAG", `unknown answer tag ${bytes[0]}`);
}
