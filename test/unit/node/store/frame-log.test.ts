// The frame log's recovery rules: a torn or corrupt tail is cut and reported (never silently kept), a bad
// frame followed by valid frames is an error with a code, and appends after recovery continue cleanly.
import * as fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { crc32c } from "../../../../node/store/crc32c.ts";
import { FRAME_HEADER_BYTES, encodeFrame, readFrameAt } from "../../../../node/store/frame.ts";
import { FrameLog, SEGMENT_HEADER_BYTES, type FrameLogOptions } from "../../../../node/store/frame-log.ts";
import { WalError } from "../../../../node/store/store-errors.ts";
import { makeTempDirs, segmentFiles } from "./temp-dir.ts";

const tmp = makeTempDirs();
afterEach(() => tmp.cleanup());

const OPTIONS: FrameLogOptions = {
  magic: "TEST",
  filePrefix: "t",
  frameBodyBytesMax: 1024,
  segmentBytesMax: 4096,
  totalBytesMax: 1 << 20,
};

const body = (i: number, len = 20 + (i % 7)) => new Uint8Array(len).map((_, j) => (i * 31 + j) & 0xff);

function writeLog(dir: string, count: number, options = OPTIONS): void {
  const { log } = FrameLog.open(dir, options);
  for (let i = 0; i < count; i++) log.append(body(i), { sync: i === count - 1 });
  log.close();
}

function bodiesOf(dir: string, options = OPTIONS) {
  const r = FrameLog.open(dir, options);
  r.log.close();
  return { bodies: r.frames.map((f) => f.body), droppedTail: r.droppedTail };
}

function expectCode(fn: () => unknown, code: string): WalError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WalError);
    expect((err as WalError).code).toBe(code);
    return err as WalError;
  }
  throw new Error(`expected ${code}`);
}

describe("crc32c", () => {
  it("matches the RFC 3720 check value", () => {
    expect(crc32c(new TextEncoder().encode("123456789"))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
  });
});

describe("frame", () => {
  it("round-trips and rejects a flipped length", () => {
    const f = encodeFrame(body(1));
    expect(readFrameAt(f, 0, 1024)).toEqual({ ok: true, body: body(1), next: f.length });
    const bad = f.slice();
    bad[7]! ^= 1;
    expect(readFrameAt(bad, 0, 1024).ok).toBe(false);
    expect(readFrameAt(f, 0, 3)).toEqual({ ok: false, fault: "length-over-limit" });
  });
});

describe("FrameLog", () => {
  it("returns appended bodies in order across rotations and reopen", () => {
    const dir = tmp.make();
    writeLog(dir, 400);
    expect(segmentFiles(dir).length).toBeGreaterThan(2);
    const { bodies, droppedTail } = bodiesOf(dir);
    expect(droppedTail).toBeNull();
    expect(bodies).toEqual(Array.from({ length: 400 }, (_, i) => body(i)));
  });

  it("recovers the prefix when the last frame is cut at every byte offset, and reports the drop", () => {
    const dir = tmp.make();
    writeLog(dir, 5);
    const [file] = segmentFiles(dir);
    const full = fs.readFileSync(file!);
    const lastFrameBytes = FRAME_HEADER_BYTES + body(4).length;
    const lastStart = full.length - lastFrameBytes;
    for (let cut = lastStart; cut < full.length; cut++) {
      fs.writeFileSync(file!, full.subarray(0, cut));
      const { bodies, droppedTail } = bodiesOf(dir);
      expect(bodies).toEqual([0, 1, 2, 3].map((i) => body(i)));
      if (cut === lastStart) {
        expect(droppedTail).toBeNull();
      } else {
        expect(droppedTail).toMatchObject({ segment: 1, offset: lastStart, bytes: cut - lastStart, frames: 1 });
        expect(droppedTail!.reason).toBe(cut - lastStart < FRAME_HEADER_BYTES ? "truncated-header" : "truncated-body");
        expect(fs.statSync(file!).size).toBe(lastStart);
      }
    }
  });

  it("drops the last frame when any bit of it flips (checksum), and reports it", () => {
    const dir = tmp.make();
    writeLog(dir, 3);
    const [file] = segmentFiles(dir);
    const full = fs.readFileSync(file!);
    const lastStart = full.length - (FRAME_HEADER_BYTES + body(2).length);
    for (let byte = lastStart; byte < full.length; byte++) {
      for (let bit = 0; bit < 8; bit++) {
        const copy = Buffer.from(full);
        copy[byte]! ^= 1 << bit;
        fs.writeFileSync(file!, copy);
        const { bodies, droppedTail } = bodiesOf(dir);
        expect(bodies).toEqual([body(0), body(1)]);
        expect(droppedTail).not.toBeNull();
        expect(droppedTail!.offset).toBe(lastStart);
        expect(droppedTail!.bytes).toBe(full.length - lastStart);
      }
    }
  });

  it("reports a bit flip in the middle as WAL_ERROR_CORRUPTED and changes nothing on disk", () => {
    const dir = tmp.make();
    writeLog(dir, 6);
    const [file] = segmentFiles(dir);
    const full = fs.readFileSync(file!);
    const secondStart = SEGMENT_HEADER_BYTES + FRAME_HEADER_BYTES + body(0).length;
    for (const at of [secondStart, secondStart + 5, secondStart + FRAME_HEADER_BYTES + 3]) {
      const copy = Buffer.from(full);
      copy[at]! ^= 0x10;
      fs.writeFileSync(file!, copy);
      const err = expectCode(() => FrameLog.open(dir, OPTIONS), "WAL_ERROR_CORRUPTED");
      expect(err.data).toMatchObject({ segment: 1, offset: secondStart });
      expect(fs.readFileSync(file!)).toEqual(copy);
    }
  });

  it("reports corruption at the end of a closed segment as an error when later segments hold frames", () => {
    const dir = tmp.make();
    writeLog(dir, 400);
    const [first] = segmentFiles(dir);
    const bytes = fs.readFileSync(first!);
    bytes[bytes.length - 2]! ^= 0xff;
    fs.writeFileSync(first!, bytes);
    expectCode(() => FrameLog.open(dir, OPTIONS), "WAL_ERROR_CORRUPTED");
  });

  it("cuts a zero-filled tail (file grown, data never written)", () => {
    const dir = tmp.make();
    writeLog(dir, 4);
    const [file] = segmentFiles(dir);
    const before = fs.statSync(file!).size;
    fs.appendFileSync(file!, new Uint8Array(100));
    const { bodies, droppedTail } = bodiesOf(dir);
    expect(bodies.length).toBe(4);
    expect(droppedTail).toMatchObject({ offset: before, bytes: 100, reason: "zero-length" });
  });

  it("keeps working after recovery: appends land after the valid prefix", () => {
    const dir = tmp.make();
    writeLog(dir, 3);
    const [file] = segmentFiles(dir);
    fs.truncateSync(file!, fs.statSync(file!).size - 3);
    const { log, droppedTail } = FrameLog.open(dir, OPTIONS);
    expect(droppedTail).not.toBeNull();
    log.append(body(9), { sync: true });
    log.close();
    expect(bodiesOf(dir)).toEqual({ bodies: [body(0), body(1), body(9)], droppedTail: null });
  });

  it("treats a torn header of the newest segment as an empty segment, reported", () => {
    const dir = tmp.make();
    writeLog(dir, 400);
    const files = segmentFiles(dir);
    const expected = bodiesOf(dir).bodies;
    fs.writeFileSync(files[files.length - 1]!, new Uint8Array([0x54, 0x45]));
    const lastCount = expected.length - bodiesOfPrefix(files.slice(0, -1)).length;
    const { bodies, droppedTail } = bodiesOf(dir);
    expect(droppedTail).toMatchObject({ reason: "torn-segment-header", bytes: 2 });
    expect(bodies.length).toBe(expected.length - lastCount);
  });

  it("refuses a wrong magic, a missing segment and an oversized log with codes", () => {
    const dir = tmp.make();
    writeLog(dir, 400);
    expectCode(() => FrameLog.open(dir, { ...OPTIONS, magic: "NOPE" }), "WAL_ERROR_BAD_HEADER");
    expectCode(() => FrameLog.open(dir, { ...OPTIONS, totalBytesMax: 1000 }), "WAL_ERROR_LIMIT");
    fs.unlinkSync(segmentFiles(dir)[1]!);
    expectCode(() => FrameLog.open(dir, OPTIONS), "WAL_ERROR_MISSING_SEGMENT");
  });

  it("refuses empty and oversized bodies, and refuses work after close", () => {
    const dir = tmp.make();
    const { log } = FrameLog.open(dir, OPTIONS);
    expectCode(() => log.append(new Uint8Array(0), { sync: false }), "WAL_ERROR_LIMIT");
    expectCode(() => log.append(new Uint8Array(1025), { sync: false }), "WAL_ERROR_LIMIT");
    log.close();
    expectCode(() => log.append(body(1), { sync: false }), "WAL_ERROR_CLOSED");
  });

  it("locks its directory: a second open is refused while a live process holds it, a dead owner's lock is taken over", () => {
    const dir = tmp.make();
    const { log } = FrameLog.open(dir, OPTIONS);
    expectCode(() => FrameLog.open(dir, OPTIONS), "WAL_ERROR_LOCKED");
    log.close();
    fs.writeFileSync(`${dir}/t.lock`, `${process.ppid}\n`);
    const err = expectCode(() => FrameLog.open(dir, OPTIONS), "WAL_ERROR_LOCKED");
    expect(err.data).toMatchObject({ owner: process.ppid });
    fs.writeFileSync(`${dir}/t.lock`, "999999999\n");
    FrameLog.open(dir, OPTIONS).log.close();
    expect(fs.existsSync(`${dir}/t.lock`)).toBe(false);
  });

  it("deletes old segments but never the current one", () => {
    const dir = tmp.make();
    const { log } = FrameLog.open(dir, OPTIONS);
    for (let i = 0; i < 400; i++) log.append(body(i), { sync: false });
    const current = log.currentSegment;
    expect(log.deleteSegmentsBefore(current + 10)).toBe(current - 1);
    expect(log.segments.map((s) => s.index)).toEqual([current]);
    log.close();
    expect(segmentFiles(dir).length).toBe(1);
  });
});

/** Frames in the given segment files, read directly (helper for the torn-header case). */
function bodiesOfPrefix(files: string[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const f of files) {
    const buf = new Uint8Array(fs.readFileSync(f));
    let at = SEGMENT_HEADER_BYTES;
    while (at < buf.length) {
      const r = readFrameAt(buf, at, OPTIONS.frameBodyBytesMax);
      if (!r.ok) break;
      out.push(r.body);
      at = r.next;
    }
  }
  return out;
}
