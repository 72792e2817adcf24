// The typed WAL: replay returns what was appended, checkpoints delete only segments wholly below the view,
// a torn tail is reported on reopen, and a frame whose checksum holds but whose record is unknown is an error.
import * as fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { ZERO_HASH } from "../../../../consensus/crypto/hash.ts";
import { VoteKind } from "../../../../consensus/types.ts";
import { encodeFrame } from "../../../../node/store/frame.ts";
import { WalError } from "../../../../node/store/store-errors.ts";
import type { WalRecord } from "../../../../node/store/wal-record.ts";
import { WriteAheadLog } from "../../../../node/store/write-ahead-log.ts";
import { filledHash, sampleHeader, signVote } from "../../../support/fixtures.ts";
import { makeTempDirs, segmentFiles } from "./temp-dir.ts";

const tmp = makeTempDirs();
afterEach(() => tmp.cleanup());

function recordsForView(view: number): WalRecord[] {
  const hash = filledHash(view & 0xff);
  return [
    { type: "viewEntered", view },
    { type: "proposalSeen", header: sampleHeader({ view, height: view }) },
    { type: "ownVote", vote: signVote(1, 0, { kind: VoteKind.Notarize, view, blockHash: hash }) },
    {
      type: "certificateSeen",
      certificate: { kind: VoteKind.Notarize, view, blockHash: hash, signers: [{ validator: 0, signature: new Uint8Array(64).fill(7) }] },
    },
    { type: "timeoutFired", view },
    { type: "ownVote", vote: signVote(1, 0, { kind: VoteKind.Nullify, view, blockHash: ZERO_HASH }) },
  ];
}

describe("WriteAheadLog", () => {
  it("replays every record type in order after reopen", () => {
    const dir = tmp.make();
    const { wal, records, report } = WriteAheadLog.open(dir);
    expect(records).toEqual([]);
    expect(report.droppedTail).toBeNull();
    const written = [1, 2, 3].flatMap(recordsForView);
    for (const r of written) wal.append(r);
    wal.close();
    const again = WriteAheadLog.open(dir);
    again.wal.close();
    expect(again.records).toEqual(written);
    expect(again.report).toMatchObject({ records: written.length, segments: 1, droppedTail: null });
  });

  it("truncateBefore deletes whole segments below the view and keeps every record at or above it", () => {
    const dir = tmp.make();
    const { wal } = WriteAheadLog.open(dir, { segmentBytesMax: 2048 });
    for (let v = 1; v <= 40; v++) for (const r of recordsForView(v)) wal.append(r);
    const before = wal.segments.length;
    expect(before).toBeGreaterThan(5);
    const { segmentsDeleted } = wal.truncateBefore(25);
    expect(segmentsDeleted).toBeGreaterThan(0);
    wal.close();
    const { wal: reopened, records } = WriteAheadLog.open(dir, { segmentBytesMax: 2048 });
    reopened.close();
    const views = records.map((r) => (r.type === "ownVote" ? r.vote.view : r.type === "proposalSeen" ? r.header.view : r.type === "certificateSeen" ? r.certificate.view : r.view));
    for (let v = 25; v <= 40; v++) expect(views.filter((x) => x === v).length).toBe(6);
    expect(views).not.toContain(1);
    for (let v = Math.min(...views); v <= 40; v++) expect(views).toContain(v);
    expect(segmentFiles(dir).length).toBe(before - segmentsDeleted);
  });

  it("a checkpoint above every record empties the log down to a fresh segment", () => {
    const dir = tmp.make();
    const { wal } = WriteAheadLog.open(dir);
    for (const r of recordsForView(5)) wal.append(r);
    expect(wal.truncateBefore(6).segmentsDeleted).toBe(1);
    wal.append({ type: "viewEntered", view: 6 });
    wal.close();
    const { wal: w2, records } = WriteAheadLog.open(dir);
    w2.close();
    expect(records).toEqual([{ type: "viewEntered", view: 6 }]);
  });

  it("reports a torn last record on reopen and keeps the rest", () => {
    const dir = tmp.make();
    const { wal } = WriteAheadLog.open(dir);
    const written = recordsForView(7);
    for (const r of written) wal.append(r);
    wal.close();
    const [file] = segmentFiles(dir);
    fs.truncateSync(file!, fs.statSync(file!).size - 10);
    const { wal: w2, records, report } = WriteAheadLog.open(dir);
    w2.close();
    expect(records).toEqual(written.slice(0, -1));
    expect(report.droppedTail).toMatchObject({ frames: 1, reason: "truncated-body" });
  });

  it("without fsync (simulation mode) still appends, rotates and replays the same records", () => {
    const dir = tmp.make();
    const { wal } = WriteAheadLog.open(dir, { fsync: false, segmentBytesMax: 1024 });
    const written = [1, 2, 3, 4].flatMap(recordsForView);
    for (const r of written) wal.append(r);
    expect(wal.segments.length).toBeGreaterThan(1);
    wal.close();
    const again = WriteAheadLog.open(dir, { fsync: false, segmentBytesMax: 1024 });
    again.wal.close();
    expect(again.records).toEqual(written);
  });

  it("throws WAL_ERROR_BAD_RECORD for a well-framed but unknown record", () => {
    const dir = tmp.make();
    WriteAheadLog.open(dir).wal.close();
    fs.appendFileSync(segmentFiles(dir)[0]!, encodeFrame(new Uint8Array([0x7f, 1, 2])));
    try {
      WriteAheadLog.open(dir);
      throw new Error("expected an error");
    } catch (err) {
      expect(err).toBeInstanceOf(WalError);
      expect((err as WalError).code).toBe("WAL_ERROR_BAD_RECORD");
    }
  });
});
