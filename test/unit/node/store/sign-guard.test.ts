// The sign guard refuses what Simplex forbids (two different notarize or finalize votes in one view,
// finalize after nullify, nullify after finalize, views below the low-water mark), allows the identical
// vote again, and keeps all of it across reopen, compaction and a crash that cuts its log anywhere.
import * as fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { ZERO_HASH } from "../../../../consensus/crypto/hash.ts";
import { InvariantError } from "../../../../consensus/errors.ts";
import { VoteKind, type VoteBody } from "../../../../consensus/types.ts";
import { SignGuard } from "../../../../node/store/sign-guard.ts";
import { SignGuardError } from "../../../../node/store/store-errors.ts";
import { votesMissingFromWal } from "../../../../node/store/wal-recovery.ts";
import { filledHash, signVote } from "../../../support/fixtures.ts";
import { makeTempDirs, segmentFiles } from "./temp-dir.ts";

const tmp = makeTempDirs();
afterEach(() => tmp.cleanup());

const notarize = (view: number, b: number): VoteBody => ({ kind: VoteKind.Notarize, view, blockHash: filledHash(b) });
const finalize = (view: number, b: number): VoteBody => ({ kind: VoteKind.Finalize, view, blockHash: filledHash(b) });
const nullify = (view: number): VoteBody => ({ kind: VoteKind.Nullify, view, blockHash: ZERO_HASH });

function open(dir: string, options = {}) {
  return SignGuard.open(dir, options);
}

describe("SignGuard", () => {
  it("allows one vote per (view, kind), repeats idempotently and refuses a different hash", () => {
    const { guard } = open(tmp.make());
    expect(guard.authorize(notarize(5, 1))).toEqual({ ok: true, repeat: false });
    expect(guard.authorize(notarize(5, 1))).toEqual({ ok: true, repeat: true });
    const refused = guard.authorize(notarize(5, 2));
    expect(refused).toMatchObject({ ok: false, code: "SIGN_GUARD_ERROR_CONFLICTING_VOTE", previous: notarize(5, 1) });
    expect(guard.authorize(finalize(5, 1))).toEqual({ ok: true, repeat: false });
    expect(guard.authorize(finalize(5, 3))).toMatchObject({ ok: false, code: "SIGN_GUARD_ERROR_CONFLICTING_VOTE" });
    expect(guard.authorize(notarize(6, 2))).toEqual({ ok: true, repeat: false });
    guard.close();
  });

  it("refuses finalize after nullify and nullify after finalize in one view, allows notarize with nullify", () => {
    const { guard } = open(tmp.make());
    expect(guard.authorize(notarize(3, 1)).ok).toBe(true);
    expect(guard.authorize(nullify(3)).ok).toBe(true);
    expect(guard.authorize(nullify(3))).toEqual({ ok: true, repeat: true });
    expect(guard.authorize(finalize(3, 1))).toMatchObject({ ok: false, code: "SIGN_GUARD_ERROR_FINALIZE_AFTER_NULLIFY" });
    expect(guard.authorize(finalize(4, 1)).ok).toBe(true);
    expect(guard.authorize(nullify(4))).toMatchObject({ ok: false, code: "SIGN_GUARD_ERROR_NULLIFY_AFTER_FINALIZE" });
    guard.close();
  });

  it("keeps every decision across reopen", () => {
    const dir = tmp.make();
    const first = open(dir).guard;
    first.authorize(notarize(1, 1));
    first.authorize(nullify(2));
    first.authorize(finalize(3, 3));
    first.close();
    const { guard, report } = open(dir);
    expect(report).toEqual({ entries: 3, lowWaterView: 0, droppedTail: null });
    expect(guard.authorize(notarize(1, 9))).toMatchObject({ ok: false, code: "SIGN_GUARD_ERROR_CONFLICTING_VOTE" });
    expect(guard.authorize(finalize(2, 9))).toMatchObject({ ok: false, code: "SIGN_GUARD_ERROR_FINALIZE_AFTER_NULLIFY" });
    expect(guard.authorize(nullify(3))).toMatchObject({ ok: false, code: "SIGN_GUARD_ERROR_NULLIFY_AFTER_FINALIZE" });
    expect(guard.authorize(notarize(1, 1))).toEqual({ ok: true, repeat: true });
    expect(guard.authorizedIn(3)).toEqual([finalize(3, 3)]);
    expect(guard.authorized()).toEqual([notarize(1, 1), nullify(2), finalize(3, 3)]);
    guard.close();
  });

  it("refuses views below the low-water mark, also after reopen and compaction", () => {
    const dir = tmp.make();
    const { guard } = open(dir, { compactBytesThreshold: 2000, segmentBytesMax: 1000 });
    for (let v = 1; v <= 100; v++) {
      guard.authorize(notarize(v, v));
      guard.authorize(finalize(v, v));
    }
    guard.pruneBelow(90);
    expect(guard.entryCount).toBe(22);
    expect(guard.authorize(notarize(89, 7))).toMatchObject({ ok: false, code: "SIGN_GUARD_ERROR_BELOW_LOW_WATER" });
    guard.close();
    expect(segmentFiles(dir).length).toBe(1);
    const { guard: g2, report } = open(dir);
    expect(report).toMatchObject({ entries: 22, lowWaterView: 90 });
    expect(g2.authorize(notarize(50, 50))).toMatchObject({ ok: false, code: "SIGN_GUARD_ERROR_BELOW_LOW_WATER" });
    expect(g2.authorize(notarize(95, 1))).toMatchObject({ ok: false, code: "SIGN_GUARD_ERROR_CONFLICTING_VOTE" });
    expect(g2.authorize(notarize(95, 95))).toEqual({ ok: true, repeat: true });
    g2.close();
  });

  it("after a crash that cuts the log at any byte, holds exactly the votes whose records are whole", () => {
    const dir = tmp.make();
    const { guard } = open(dir);
    guard.authorize(notarize(1, 1));
    guard.authorize(notarize(2, 2));
    guard.close();
    const [file] = segmentFiles(dir);
    const full = fs.readFileSync(file!);
    const third = open(dir).guard;
    third.authorize(notarize(3, 3));
    third.close();
    const withThird = fs.readFileSync(file!);
    for (let cut = full.length; cut <= withThird.length; cut++) {
      fs.writeFileSync(file!, withThird.subarray(0, cut));
      const { guard: g, report } = open(dir);
      expect(g.authorize(notarize(2, 9)).ok).toBe(false);
      const complete = cut === withThird.length;
      expect(report.droppedTail === null).toBe(cut === full.length || complete);
      // Cut short, the third authorize never returned: its vote was never sent, so another hash is allowed.
      expect(g.authorize(notarize(3, complete ? 4 : 5)).ok).toBe(!complete);
      g.close();
    }
  });

  it("refuses when full, and treats malformed requests as programmer errors", () => {
    const { guard } = open(tmp.make(), { entriesMax: 2 });
    guard.authorize(notarize(1, 1));
    guard.authorize(notarize(2, 1));
    expect(guard.authorize(notarize(3, 1))).toMatchObject({ ok: false, code: "SIGN_GUARD_ERROR_FULL" });
    expect(guard.authorize(notarize(2, 1))).toEqual({ ok: true, repeat: true });
    expect(() => guard.authorize({ kind: VoteKind.Nullify, view: 4, blockHash: filledHash(1) })).toThrow(InvariantError);
    expect(() => guard.authorize({ kind: VoteKind.Notarize, view: -1, blockHash: filledHash(1) })).toThrow(InvariantError);
    guard.close();
    expect(() => guard.authorize(notarize(9, 9))).toThrow(SignGuardError);
  });
});

describe("votesMissingFromWal", () => {
  it("returns the guard's votes that the WAL does not hold", () => {
    const { guard } = open(tmp.make());
    guard.authorize(notarize(1, 1));
    guard.authorize(nullify(2));
    guard.authorize(finalize(3, 3));
    const inWal = signVote(1, 0, notarize(1, 1));
    expect(votesMissingFromWal(guard, [{ type: "viewEntered", view: 1 }, { type: "ownVote", vote: inWal }])).toEqual([nullify(2), finalize(3, 3)]);
    guard.close();
  });
});
