// One WAL frame: crc32c(len || body) u32 | len u32 | body, big-endian (CometBFT's idea: checksum, length,
// then the record). The checksum covers the length, so a flipped length bit is caught, not followed.
// Pure byte logic, shared by the write-ahead log and the sign guard's log; files are frame-log.ts's job.

import { crc32c } from "./crc32c.ts";

export const FRAME_HEADER_BYTES = 8;

/** Why bytes at an offset are not a frame. "torn" reasons are what an interrupted append leaves behind. */
export type FrameFault =
  | "truncated-header"
  | "truncated-body"
  | "zero-length"
  | "length-over-limit"
  | "checksum-mismatch";

export type FrameRead = { ok: true; body: Uint8Array; next: number } | { ok: false; fault: FrameFault };

export function encodeFrame(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_BYTES + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(4, body.length);
  out.set(body, FRAME_HEADER_BYTES);
  view.setUint32(0, crc32c(out, 4));
  return out;
}

/** Reads the frame at `offset` of `buf` (whose valid bytes end at buf.length). Never throws, never allocates a body it has not checked. */
export function readFrameAt(buf: Uint8Array, offset: number, bodyBytesMax: number): FrameRead {
  if (buf.length - offset < FRAME_HEADER_BYTES) return { ok: false, fault: "truncated-header" };
  const stored = readU32(buf, offset);
  const len = readU32(buf, offset + 4);
  if (len === 0) return { ok: false, fault: "zero-length" };
  if (len > bodyBytesMax) return { ok: false, fault: "length-over-limit" };
  const end = offset + FRAME_HEADER_BYTES + len;
  if (end > buf.length) return { ok: false, fault: "truncated-body" };
  if (crc32c(buf, offset + 4, end) !== stored) return { ok: false, fault: "checksum-mismatch" };
  return { ok: true, body: buf.slice(offset + FRAME_HEADER_BYTES, end), next: end };
}

/** The first offset at or after `from` where a whole valid frame starts, or -1. Used to tell a torn tail from corruption in the middle. */
export function findValidFrame(buf: Uint8Array, from: number, bodyBytesMax: number): number {
  for (let at = from; at + FRAME_HEADER_BYTES < buf.length; at++) {
    if (readFrameAt(buf, at, bodyBytesMax).ok) return at;
  }
  return -1;
}

/** How many frames began in [from, end) if one follows the length fields (a best-effort count for reports). */
export function countFramesBegun(buf: Uint8Array, from: number, bodyBytesMax: number): number {
  let count = 0;
  let at = from;
  while (at < buf.length) {
    count++;
    if (buf.length - at < FRAME_HEADER_BYTES) break;
    const len = readU32(buf, at + 4);
    if (len === 0 || len > bodyBytesMax) break;
    at += FRAME_HEADER_BYTES + len;
  }
  return count;
}

function readU32(buf: Uint8Array, at: number): number {
  return ((buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!) >>> 0;
}
