// The consensus write-ahead log: typed records (wal-record.ts) in CRC frames (frame-log.ts), replayed on
// restart so the state machine resumes where it stopped. Own votes are always fdatasynced before append
// returns (CometBFT's rule: persist before you speak). Cut at checkpoints: truncateBefore(view) removes whole
// segments whose records are all below `view`. Not the sign guard: that is sign-guard.ts, in its own file.

import { FrameLog, type DroppedTail, type SegmentInfo } from "./frame-log.ts";
import { WalError } from "./store-errors.ts";
import { WAL_RECORD_BYTES_MAX, type WalRecord, decodeWalRecord, encodeWalRecord, walRecordView } from "./wal-record.ts";

export interface WalOptions {
  segmentBytesMax: number;
  totalBytesMax: number;
  /** Never false on a node: see FrameLogOptions.fsync (simulations and tests only). */
  fsync: boolean;
}

export const WAL_DEFAULTS: WalOptions = {
  segmentBytesMax: 4 * 1024 * 1024,
  totalBytesMax: 512 * 1024 * 1024,
  fsync: true,
};

export interface WalOpenReport {
  segments: number;
  records: number;
  bytes: number;
  /** Non-null when a torn or corrupt tail was cut away on open; callers log it. */
  droppedTail: DroppedTail | null;
}

const NO_VIEW = -1;

export class WriteAheadLog {
  /** Highest record view per segment index, to know which segments a checkpoint may delete. */
  private readonly maxViewBySegment = new Map<number, number>();

  private constructor(private readonly log: FrameLog) {}

  /** Opens (or creates) the log in `dir` and returns every intact record in append order. */
  static open(dir: string, options: Partial<WalOptions> = {}): { wal: WriteAheadLog; records: WalRecord[]; report: WalOpenReport } {
    const opts = { ...WAL_DEFAULTS, ...options };
    const { log, frames, droppedTail } = FrameLog.open(dir, {
      magic: "XWAL",
      filePrefix: "wal",
      frameBodyBytesMax: WAL_RECORD_BYTES_MAX,
      segmentBytesMax: opts.segmentBytesMax,
      totalBytesMax: opts.totalBytesMax,
      fsync: opts.fsync,
    });
    const wal = new WriteAheadLog(log);
    const records: WalRecord[] = [];
    try {
      for (const f of frames) {
        const decoded = decodeWalRecord(f.body);
        if (!decoded.ok) {
          throw new WalError("WAL_ERROR_BAD_RECORD", `record at segment ${f.segment} offset ${f.offset}: ${decoded.detail}`, {
            dir,
            segment: f.segment,
            offset: f.offset,
          });
        }
        records.push(decoded.value);
        wal.noteView(f.segment, walRecordView(decoded.value));
      }
    } catch (err) {
      log.close();
      throw err;
    }
    const report = { segments: log.segments.length, records: records.length, bytes: log.totalBytes, droppedTail };
    return { wal, records, report };
  }

  /** Appends one record. Own votes are always synced; other records when `sync` is asked. */
  append(record: WalRecord, opts: { sync?: boolean } = {}): void {
    const sync = record.type === "ownVote" || opts.sync === true;
    this.log.append(encodeWalRecord(record), { sync });
    this.noteView(this.log.currentSegment, walRecordView(record));
  }

  /** Makes earlier unsynced appends durable (one fdatasync for a batch of records). */
  sync(): void {
    this.log.sync();
  }

  /**
   * Checkpoint: deletes the oldest segments while every record in them is below `view` (a finalized view).
   * When the current segment itself is entirely below `view`, it is closed first so it can go too.
   */
  truncateBefore(view: number): { segmentsDeleted: number } {
    const current = this.log.currentSegment;
    const currentMax = this.maxViewBySegment.get(current) ?? NO_VIEW;
    if (currentMax !== NO_VIEW && currentMax < view) this.log.rotate();
    let firstKept = this.log.currentSegment;
    for (const seg of this.log.segments) {
      if ((this.maxViewBySegment.get(seg.index) ?? NO_VIEW) >= view) {
        firstKept = seg.index;
        break;
      }
    }
    const segmentsDeleted = this.log.deleteSegmentsBefore(firstKept);
    for (const index of [...this.maxViewBySegment.keys()]) if (index < firstKept) this.maxViewBySegment.delete(index);
    return { segmentsDeleted };
  }

  /** Starts a new segment now (e.g. at an operator-requested checkpoint). */
  rotate(): void {
    this.log.rotate();
  }

  get segments(): readonly SegmentInfo[] {
    return this.log.segments;
  }

  close(): void {
    this.log.close();
  }

  private noteView(segment: number, view: number): void {
    const prev = this.maxViewBySegment.get(segment) ?? NO_VIEW;
    if (view > prev) this.maxViewBySegment.set(segment, view);
  }
}
