// Reading segments back at open: walks the frames of every segment, and at the first bad frame decides between
// a torn tail (nothing valid follows anywhere: cut it, report it) and corruption in the middle (a valid frame
// follows: WAL_ERROR_CORRUPTED, nothing is changed). Pure over the bytes it is given; frame-log.ts does the files.

import { type FrameFault, countFramesBegun, findValidFrame, readFrameAt } from "./frame.ts";
import { WalError } from "./store-errors.ts";

export const SEGMENT_HEADER_BYTES = 8;
const FORMAT_VERSION = 1;

export interface StoredFrame {
  segment: number;
  offset: number;
  body: Uint8Array;
}

export type TailReason = FrameFault | "torn-segment-header";

/** What open() cut away: never silent. `frames` counts frames begun in the cut bytes, following length fields. */
export interface DroppedTail {
  segment: number;
  offset: number;
  bytes: number;
  frames: number;
  reason: TailReason;
  segmentsRemoved: number;
}

export interface ScanResult {
  frames: StoredFrame[];
  droppedTail: DroppedTail | null;
  keptSegments: number;
}

export function scanSegments(dir: string, indices: number[], bufs: Uint8Array[], header: Uint8Array, bodyMax: number): ScanResult {
  const frames: StoredFrame[] = [];
  for (let k = 0; k < bufs.length; k++) {
    const buf = bufs[k]!;
    const segment = indices[k]!;
    const isLast = k === bufs.length - 1;
    const headerState = checkHeader(buf, header);
    if (headerState === "torn" && isLast) {
      return {
        frames,
        keptSegments: k + 1,
        droppedTail: { segment, offset: 0, bytes: buf.length, frames: 0, reason: "torn-segment-header", segmentsRemoved: 0 },
      };
    }
    if (headerState !== "ok") {
      throw new WalError("WAL_ERROR_BAD_HEADER", `segment ${segment} in ${dir} has no valid header`, { dir, segment });
    }
    let offset = SEGMENT_HEADER_BYTES;
    while (offset < buf.length) {
      const r = readFrameAt(buf, offset, bodyMax);
      if (r.ok) {
        frames.push({ segment, offset, body: r.body });
        offset = r.next;
        continue;
      }
      const validAt = findValidAfter(bufs, indices, k, offset, header, bodyMax);
      if (validAt) {
        throw new WalError(
          "WAL_ERROR_CORRUPTED",
          `bad frame (${r.fault}) at segment ${segment} offset ${offset} in ${dir}, valid frames follow at segment ${validAt.segment} offset ${validAt.offset}`,
          { dir, segment, offset, fault: r.fault, validFrameAt: validAt },
        );
      }
      let bytes = buf.length - offset;
      for (const later of bufs.slice(k + 1)) bytes += later.length;
      return {
        frames,
        keptSegments: k + 1,
        droppedTail: {
          segment,
          offset,
          bytes,
          frames: countFramesBegun(buf, offset, bodyMax),
          reason: r.fault,
          segmentsRemoved: bufs.length - k - 1,
        },
      };
    }
  }
  return { frames, droppedTail: null, keptSegments: bufs.length };
}

function findValidAfter(
  bufs: Uint8Array[],
  indices: number[],
  k: number,
  offset: number,
  header: Uint8Array,
  bodyMax: number,
): { segment: number; offset: number } | null {
  const inSame = findValidFrame(bufs[k]!, offset + 1, bodyMax);
  if (inSame >= 0) return { segment: indices[k]!, offset: inSame };
  for (let j = k + 1; j < bufs.length; j++) {
    if (checkHeader(bufs[j]!, header) !== "ok") continue;
    const at = findValidFrame(bufs[j]!, SEGMENT_HEADER_BYTES, bodyMax);
    if (at >= 0) return { segment: indices[j]!, offset: at };
  }
  return null;
}

/** "torn": shorter than a header, or a zero-filled header (file extended, data never written). */
function checkHeader(buf: Uint8Array, header: Uint8Array): "ok" | "torn" | "bad" {
  if (buf.length < SEGMENT_HEADER_BYTES) return "torn";
  let zero = true;
  let same = true;
  for (let i = 0; i < SEGMENT_HEADER_BYTES; i++) {
    if (buf[i] !== 0) zero = false;
    if (buf[i] !== header[i]) same = false;
  }
  return same ? "ok" : zero ? "torn" : "bad";
}

export function segmentHeader(magic: string): Uint8Array {
  const h = new Uint8Array(SEGMENT_HEADER_BYTES);
  h.set(new TextEncoder().encode(magic));
  new DataView(h.buffer).setUint32(4, FORMAT_VERSION);
  return h;
}

