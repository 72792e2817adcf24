// The 10-byte header every data-plane datagram opens with: frame type (u8), format version (u8), chain id
// (u64 big-endian). Checked before anything else is read, on every frame, so a datagram of another chain or
// another format version is dropped for that reason and counted as such. Not the bodies: see shred.ts and
// data-plane-codec.ts.

import type { ByteWriter } from "../../consensus/codec/byte-writer.ts";
import { reject, type WireVerdict } from "./wire-errors.ts";

export const WIRE_VERSION = 1;

/** Frame type numbers are never reused: a retired type stays reserved. */
export const FrameType = { vote: 0x01, certificate: 0x02, shred: 0x03, lane: 0x04 } as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];
const FRAME_TYPES: readonly number[] = Object.values(FrameType);

export const FRAME_HEADER_BYTES = 1 + 1 + 8;

export function writeFrameHeader(w: ByteWriter, type: FrameType, chainId: bigint): void {
  w.u8(type).u8(WIRE_VERSION).u64n(chainId);
}

export type FrameHeaderCheck = { ok: true; type: FrameType } | { ok: false; verdict: WireVerdict };

/** Type first (an unknown type says nothing about the rest), then version, then chain id. */
export function checkFrameHeader(payload: Uint8Array, chainId: bigint): FrameHeaderCheck {
  if (payload.length < 1) return { ok: false, verdict: reject("WIRE_REJECT_TRUNCATED", "empty datagram") };
  const type = payload[0]!;
  if (!FRAME_TYPES.includes(type)) return { ok: false, verdict: reject("WIRE_REJECT_UNKNOWN_FRAME", `frame type ${type}`) };
  if (payload.length < 2) return { ok: false, verdict: reject("WIRE_REJECT_TRUNCATED", "no version byte") };
  if (payload[1] !== WIRE_VERSION) return { ok: false, verdict: reject("WIRE_REJECT_BAD_VERSION", `version ${payload[1]}`) };
  if (payload.length < FRAME_HEADER_BYTES) return { ok: false, verdict: reject("WIRE_REJECT_TRUNCATED", "no chain id") };
  const got = new DataView(payload.buffer, payload.byteOffset + 2, 8).getBigUint64(0);
  if (got !== chainId) return { ok: false, verdict: reject("WIRE_REJECT_WRONG_CHAIN", `chain id ${got}`) };
  return { ok: true, type: type as FrameType };
}

/**
 * The same memory as a plain Uint8Array. Transports may hand out node Buffers, whose slice() is a view, not a
 * copy: decoding a Buffer would leave decoded fields pointing into borrowed (reused) receive memory.
 */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(bytes) === Uint8Array.prototype ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
