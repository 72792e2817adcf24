// A directory of append-only segment files of CRC frames (frame.ts), read back and repaired on open.
// Segment = 8-byte header (4-byte magic, u32 format version) then frames. Appends go to the last segment;
// a new one starts when it is full or on rotate(). Not a record codec: bodies are opaque bytes here.
// I/O is synchronous on purpose: when append(..., {sync: true}) returns, the bytes are on disk (fdatasync),
// so "persist before you speak" holds without interleavings. Any write or sync failure is fail-stop.

import * as fs from "node:fs";
import * as path from "node:path";
import { DirLock } from "./dir-lock.ts";
import { FRAME_HEADER_BYTES, encodeFrame } from "./frame.ts";
import { SEGMENT_HEADER_BYTES, type DroppedTail, type StoredFrame, scanSegments, segmentHeader } from "./segment-scan.ts";
import { WalError } from "./store-errors.ts";

export { SEGMENT_HEADER_BYTES, type DroppedTail, type StoredFrame, type TailReason } from "./segment-scan.ts";
const SEGMENT_DIGITS = 12;

export interface FrameLogOptions {
  /** 4 ASCII characters opening every segment, so one kind of log is never read as another. */
  magic: string;
  /** Segment files are `<filePrefix>-<12-digit index>.seg`. */
  filePrefix: string;
  frameBodyBytesMax: number;
  /** A segment is closed once it reaches this size (it may exceed it by one frame). */
  segmentBytesMax: number;
  /** Open refuses a log larger than this (it is read back into memory). */
  totalBytesMax: number;
  /**
   * false skips fdatasync/fsync entirely: only for simulations and tests whose "crashes" keep the page cache.
   * A real node always syncs; without it "persist before you speak" does not hold across power loss.
   */
  fsync?: boolean;
}

export interface SegmentInfo {
  index: number;
  bytes: number;
}

export class FrameLog {
  private fd: number;
  private failure: WalError | null = null;
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly options: FrameLogOptions,
    private readonly segmentList: SegmentInfo[],
    private readonly lock: DirLock,
  ) {
    this.fd = openForAppend(this.pathOf(this.current.index));
  }

  /** Scans every segment, truncates a torn or corrupt tail (reported), throws on corruption followed by valid frames. */
  static open(dir: string, options: FrameLogOptions): { log: FrameLog; frames: StoredFrame[]; droppedTail: DroppedTail | null } {
    if (!/^[\x20-\x7e]{4}$/.test(options.magic)) throw new RangeError("frame log magic must be 4 ASCII characters");
    fs.mkdirSync(dir, { recursive: true });
    const lock = DirLock.acquire(dir, `${options.filePrefix}.lock`);
    try {
      return FrameLog.openLocked(dir, options, lock);
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  private static openLocked(dir: string, options: FrameLogOptions, lock: DirLock): ReturnType<typeof FrameLog.open> {
    const header = segmentHeader(options.magic);
    const indices = listSegments(dir, options.filePrefix);
    for (let i = 1; i < indices.length; i++) {
      if (indices[i] !== indices[i - 1]! + 1) {
        throw new WalError("WAL_ERROR_MISSING_SEGMENT", `segment ${indices[i - 1]! + 1} is missing in ${dir}`, {
          dir,
          missing: indices[i - 1]! + 1,
        });
      }
    }
    const pathOf = (i: number) => segmentPath(dir, options.filePrefix, i);
    let total = 0;
    for (const i of indices) total += fs.statSync(pathOf(i)).size;
    if (total > options.totalBytesMax) {
      throw new WalError("WAL_ERROR_LIMIT", `log in ${dir} holds ${total} bytes, limit ${options.totalBytesMax}`, { dir, total });
    }
    const bufs = indices.map((i) => new Uint8Array(fs.readFileSync(pathOf(i))));
    const scan = scanSegments(dir, indices, bufs, header, options.frameBodyBytesMax);
    const kept = indices.slice(0, scan.keptSegments);
    if (scan.droppedTail) {
      const t = scan.droppedTail;
      for (const i of indices.slice(scan.keptSegments)) fs.unlinkSync(pathOf(i));
      if (t.reason === "torn-segment-header") rewriteHeader(pathOf(t.segment), header);
      else truncateFile(pathOf(t.segment), t.offset);
      fsyncDir(dir);
    }
    if (kept.length === 0) {
      createSegment(pathOf(1), header, true);
      fsyncDir(dir);
      kept.push(1);
    }
    const segs = kept.map((index) => ({ index, bytes: fs.statSync(pathOf(index)).size }));
    return { log: new FrameLog(dir, options, segs, lock), frames: scan.frames, droppedTail: scan.droppedTail };
  }

  get segments(): readonly SegmentInfo[] {
    return this.segmentList;
  }

  get currentSegment(): number {
    return this.current.index;
  }

  get totalBytes(): number {
    return this.segmentList.reduce((n, s) => n + s.bytes, 0);
  }

  append(body: Uint8Array, opts: { sync: boolean }): void {
    this.appendMany([body], opts);
  }

  /** Appends frames with one write (and one fdatasync when asked). Rotates first if the segment is full. */
  appendMany(bodies: readonly Uint8Array[], opts: { sync: boolean }): void {
    this.checkUsable();
    let bytes = 0;
    for (const body of bodies) {
      if (body.length === 0 || body.length > this.options.frameBodyBytesMax) {
        throw new WalError("WAL_ERROR_LIMIT", `frame body of ${body.length} bytes outside 1..${this.options.frameBodyBytesMax}`, {
          bytes: body.length,
        });
      }
      bytes += FRAME_HEADER_BYTES + body.length;
    }
    if (bodies.length === 0) return;
    if (this.current.bytes > SEGMENT_HEADER_BYTES && this.current.bytes + bytes > this.options.segmentBytesMax) this.rotate();
    const out = new Uint8Array(bytes);
    let at = 0;
    for (const body of bodies) {
      const frame = encodeFrame(body);
      out.set(frame, at);
      at += frame.length;
    }
    this.io("write", () => {
      writeAll(this.fd, out);
      this.current.bytes += out.length;
      if (opts.sync) this.datasync();
    });
  }

  /** Makes every earlier append durable. */
  sync(): void {
    this.checkUsable();
    this.io("sync", () => this.datasync());
  }

  /** Closes the current segment (synced) and starts the next one; the new file's directory entry is synced too. */
  rotate(): void {
    this.checkUsable();
    this.io("rotate", () => {
      this.datasync();
      fs.closeSync(this.fd);
      const index = this.current.index + 1;
      createSegment(this.pathOf(index), segmentHeader(this.options.magic), this.options.fsync !== false);
      if (this.options.fsync !== false) fsyncDir(this.dir);
      this.segmentList.push({ index, bytes: SEGMENT_HEADER_BYTES });
      this.fd = openForAppend(this.pathOf(index));
    });
  }

  /** Deletes segments with index < `index` (never the current one). Returns how many went. */
  deleteSegmentsBefore(index: number): number {
    this.checkUsable();
    const limit = Math.min(index, this.current.index);
    let deleted = 0;
    this.io("delete", () => {
      while (this.segmentList.length > 1 && this.segmentList[0]!.index < limit) {
        fs.unlinkSync(this.pathOf(this.segmentList[0]!.index));
        this.segmentList.shift();
        deleted++;
      }
      if (deleted > 0 && this.options.fsync !== false) fsyncDir(this.dir);
    });
    return deleted;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.failure) closeQuietly(this.fd);
      else {
        try {
          this.datasync();
        } finally {
          fs.closeSync(this.fd);
        }
      }
    } finally {
      this.lock.release();
    }
  }

  private datasync(): void {
    if (this.options.fsync !== false) fs.fdatasyncSync(this.fd);
  }

  private get current(): SegmentInfo {
    return this.segmentList[this.segmentList.length - 1]!;
  }

  private pathOf(index: number): string {
    return segmentPath(this.dir, this.options.filePrefix, index);
  }

  private checkUsable(): void {
    if (this.closed) throw new WalError("WAL_ERROR_CLOSED", `log in ${this.dir} is closed`, { dir: this.dir });
    if (this.failure) {
      throw new WalError("WAL_ERROR_FAILED", `log in ${this.dir} failed earlier: ${this.failure.message}`, { dir: this.dir });
    }
  }

  private io(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.failure = new WalError("WAL_ERROR_IO", `${what} failed in ${this.dir}: ${(err as Error).message}`, {
        dir: this.dir,
        cause: err,
      });
      throw this.failure;
    }
  }
}

function segmentPath(dir: string, prefix: string, index: number): string {
  return path.join(dir, `${prefix}-${String(index).padStart(SEGMENT_DIGITS, "0")}.seg`);
}

function listSegments(dir: string, prefix: string): number[] {
  const pattern = new RegExp(`^${prefix}-(\\d{${SEGMENT_DIGITS}})\\.seg$`);
  const out: number[] = [];
  for (const name of fs.readdirSync(dir)) {
    const m = pattern.exec(name);
    if (m) out.push(Number(m[1]));
  }
  return out.sort((a, b) => a - b);
}

function createSegment(file: string, header: Uint8Array, sync: boolean): void {
  const fd = fs.openSync(file, "wx");
  try {
    writeAll(fd, header);
    if (sync) fs.fdatasyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function rewriteHeader(file: string, header: Uint8Array): void {
  const fd = fs.openSync(file, "r+");
  try {
    fs.ftruncateSync(fd, 0);
    writeAll(fd, header);
    fs.fdatasyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function truncateFile(file: string, length: number): void {
  const fd = fs.openSync(file, "r+");
  try {
    fs.ftruncateSync(fd, length);
    fs.fdatasyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function openForAppend(file: string): number {
  return fs.openSync(file, "a");
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done);
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // The log already failed (and said why); the descriptor may be gone with it.
  }
}

function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
