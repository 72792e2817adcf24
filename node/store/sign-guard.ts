// The sign guard: the last check before this node signs a vote. It refuses a second different vote for one
// (view, kind), finalize after nullify and nullify after finalize in one view (Simplex safety: those pairs
// are slashable evidence), and any view below its low-water mark. An allowed intent is written to the
// guard's own log and fdatasynced before authorize() returns, so a SIGKILL at any instruction leaves either
// no signature or a durable record of it; the index is rebuilt from the log on open. Independent of the
// state machine: the node, the simulator and the kill -9 test all use it as is.

import { FrameLog, type DroppedTail } from "./frame-log.ts";
import { SignGuardError } from "./store-errors.ts";
import {
  SIGN_GUARD_RECORD_BYTES_MAX,
  type SignGuardRecord,
  decodeSignGuardRecord,
  encodeSignGuardRecord,
} from "./sign-guard-record.ts";
import { assert } from "../../consensus/errors.ts";
import { ZERO_HASH, bytesEqual, toHex } from "../../consensus/crypto/hash.ts";
import { VOTE_KINDS, VoteKind, type Hash, type VoteBody } from "../../consensus/types.ts";

export type SignGuardRefusalCode =
  | "SIGN_GUARD_ERROR_CONFLICTING_VOTE"
  | "SIGN_GUARD_ERROR_FINALIZE_AFTER_NULLIFY"
  | "SIGN_GUARD_ERROR_NULLIFY_AFTER_FINALIZE"
  | "SIGN_GUARD_ERROR_BELOW_LOW_WATER"
  | "SIGN_GUARD_ERROR_FULL";

/** ok: sign it (`repeat` when this exact vote was authorized before, e.g. re-sending after a restart). */
export type SignGuardRefusal = { ok: false; code: SignGuardRefusalCode; detail: string; previous?: VoteBody };
export type AuthorizeResult = { ok: true; repeat: boolean } | SignGuardRefusal;

export interface SignGuardOptions {
  /** Authorized votes kept at once; beyond it the guard refuses (prune below finalized views to make room). */
  entriesMax: number;
  segmentBytesMax: number;
  /** pruneBelow() rewrites the log into one fresh segment once it holds more than this. */
  compactBytesThreshold: number;
  totalBytesMax: number;
  /** Never false on a node: see FrameLogOptions.fsync (simulations and tests only). */
  fsync: boolean;
}

export const SIGN_GUARD_DEFAULTS: SignGuardOptions = {
  entriesMax: 200_000,
  segmentBytesMax: 1024 * 1024,
  compactBytesThreshold: 4 * 1024 * 1024,
  totalBytesMax: 256 * 1024 * 1024,
  fsync: true,
};

export interface SignGuardOpenReport {
  entries: number;
  lowWaterView: number;
  droppedTail: DroppedTail | null;
}

interface ViewVotes {
  notarize?: Hash;
  nullify?: true;
  finalize?: Hash;
}

export class SignGuard {
  private readonly byView = new Map<number, ViewVotes>();
  private entries = 0;
  private low = 0;
  private failed: Error | null = null;
  private closed = false;

  private constructor(
    private readonly log: FrameLog,
    private readonly options: SignGuardOptions,
    private readonly dir: string,
  ) {}

  static open(dir: string, options: Partial<SignGuardOptions> = {}): { guard: SignGuard; report: SignGuardOpenReport } {
    const opts = { ...SIGN_GUARD_DEFAULTS, ...options };
    const { log, frames, droppedTail } = FrameLog.open(dir, {
      magic: "XSGD",
      filePrefix: "guard",
      frameBodyBytesMax: SIGN_GUARD_RECORD_BYTES_MAX,
      segmentBytesMax: opts.segmentBytesMax,
      totalBytesMax: opts.totalBytesMax,
      fsync: opts.fsync,
    });
    const guard = new SignGuard(log, opts, dir);
    try {
      for (const f of frames) {
        const decoded = decodeSignGuardRecord(f.body);
        if (!decoded.ok) {
          throw new SignGuardError("SIGN_GUARD_ERROR_BAD_RECORD", `segment ${f.segment} offset ${f.offset}: ${decoded.detail}`, {
            dir,
            segment: f.segment,
            offset: f.offset,
          });
        }
        guard.replay(decoded.value, f.segment, f.offset);
      }
    } catch (err) {
      log.close();
      throw err;
    }
    return { guard, report: { entries: guard.entries, lowWaterView: guard.low, droppedTail } };
  }

  get lowWaterView(): number {
    return this.low;
  }

  get entryCount(): number {
    return this.entries;
  }

  /** Decides whether the node may sign `body`; when it may, the decision is durable before this returns. */
  authorize(body: VoteBody): AuthorizeResult {
    this.checkUsable();
    assertWellFormed(body);
    const verdict = this.check(body);
    if (verdict) return verdict;
    const votes = this.byView.get(body.view);
    if (votes && isRecorded(votes, body)) return { ok: true, repeat: true };
    if (this.entries >= this.options.entriesMax) {
      return { ok: false, code: "SIGN_GUARD_ERROR_FULL", detail: `${this.entries} votes held; prune below finalized views` };
    }
    this.persist([{ type: "authorized", body }]);
    this.insert(body);
    return { ok: true, repeat: false };
  }

  /** Forgets votes below `view` and refuses to sign there from now on (call with the last finalized view). */
  pruneBelow(view: number): void {
    this.checkUsable();
    assert(Number.isSafeInteger(view) && view >= 0, "prune view must be a non-negative safe integer");
    if (view <= this.low) return;
    this.persist([{ type: "lowWater", view }]);
    this.setLowWater(view);
    if (this.log.totalBytes > this.options.compactBytesThreshold) this.compact();
  }

  /** Every vote authorized at or above the low-water mark, by view: on restart, the votes the state machine must know. */
  authorized(): VoteBody[] {
    const views = [...this.byView.keys()].sort((a, b) => a - b);
    return views.flatMap((view) => this.authorizedIn(view));
  }

  /** The votes authorized in `view` (for re-sending after a restart, and for tests). */
  authorizedIn(view: number): VoteBody[] {
    const v = this.byView.get(view);
    if (!v) return [];
    const out: VoteBody[] = [];
    if (v.notarize) out.push({ kind: VoteKind.Notarize, view, blockHash: v.notarize });
    if (v.nullify) out.push({ kind: VoteKind.Nullify, view, blockHash: ZERO_HASH });
    if (v.finalize) out.push({ kind: VoteKind.Finalize, view, blockHash: v.finalize });
    return out;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.log.close();
  }

  private check(body: VoteBody): SignGuardRefusal | null {
    if (body.view < this.low) {
      return { ok: false, code: "SIGN_GUARD_ERROR_BELOW_LOW_WATER", detail: `view ${body.view} is below low-water view ${this.low}` };
    }
    const v = this.byView.get(body.view);
    if (!v) return null;
    const view = body.view;
    if (body.kind === VoteKind.Notarize && v.notarize && !bytesEqual(v.notarize, body.blockHash)) {
      return conflict(view, body.kind, v.notarize, body.blockHash);
    }
    if (body.kind === VoteKind.Finalize) {
      if (v.finalize && !bytesEqual(v.finalize, body.blockHash)) return conflict(view, body.kind, v.finalize, body.blockHash);
      if (v.nullify) {
        return {
          ok: false,
          code: "SIGN_GUARD_ERROR_FINALIZE_AFTER_NULLIFY",
          detail: `view ${view} was nullified by this node`,
          previous: { kind: VoteKind.Nullify, view, blockHash: ZERO_HASH },
        };
      }
    }
    if (body.kind === VoteKind.Nullify && v.finalize) {
      return {
        ok: false,
        code: "SIGN_GUARD_ERROR_NULLIFY_AFTER_FINALIZE",
        detail: `view ${view} was finalized by this node`,
        previous: { kind: VoteKind.Finalize, view, blockHash: v.finalize },
      };
    }
    return null;
  }

  private replay(r: SignGuardRecord, segment: number, offset: number): void {
    if (r.type === "lowWater") {
      if (r.view > this.low) this.setLowWater(r.view);
      return;
    }
    if (r.body.view < this.low) return;
    const verdict = this.check(r.body);
    if (verdict) {
      throw new SignGuardError("SIGN_GUARD_ERROR_BAD_RECORD", `log holds conflicting votes: ${verdict.detail}`, {
        dir: this.dir,
        segment,
        offset,
      });
    }
    const v = this.byView.get(r.body.view);
    if (!v || !isRecorded(v, r.body)) this.insert(r.body);
  }

  private insert(body: VoteBody): void {
    let v = this.byView.get(body.view);
    if (!v) {
      v = {};
      this.byView.set(body.view, v);
    }
    if (body.kind === VoteKind.Notarize) v.notarize = body.blockHash.slice();
    else if (body.kind === VoteKind.Finalize) v.finalize = body.blockHash.slice();
    else v.nullify = true;
    this.entries++;
  }

  private setLowWater(view: number): void {
    this.low = view;
    for (const [v, votes] of this.byView) {
      if (v >= view) continue;
      this.entries -= (votes.notarize ? 1 : 0) + (votes.nullify ? 1 : 0) + (votes.finalize ? 1 : 0);
      this.byView.delete(v);
    }
  }

  /** Writes the low-water mark and every kept vote into a fresh segment (synced), then deletes older ones. */
  private compact(): void {
    const records: SignGuardRecord[] = [{ type: "lowWater", view: this.low }];
    for (const body of this.authorized()) records.push({ type: "authorized", body });
    this.guarded(() => {
      this.log.rotate();
      this.log.appendMany(records.map(encodeSignGuardRecord), { sync: true });
      this.log.deleteSegmentsBefore(this.log.currentSegment);
    });
  }

  private persist(records: SignGuardRecord[]): void {
    this.guarded(() => this.log.appendMany(records.map(encodeSignGuardRecord), { sync: true }));
  }

  private guarded(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.failed = err as Error;
      throw err;
    }
  }

  private checkUsable(): void {
    if (this.closed) throw new SignGuardError("SIGN_GUARD_ERROR_CLOSED", `sign guard in ${this.dir} is closed`, { dir: this.dir });
    if (this.failed) {
      throw new SignGuardError("SIGN_GUARD_ERROR_FAILED", `sign guard in ${this.dir} failed earlier: ${this.failed.message}`, {
        dir: this.dir,
      });
    }
  }
}

function isRecorded(v: ViewVotes, body: VoteBody): boolean {
  if (body.kind === VoteKind.Notarize) return v.notarize !== undefined && bytesEqual(v.notarize, body.blockHash);
  if (body.kind === VoteKind.Finalize) return v.finalize !== undefined && bytesEqual(v.finalize, body.blockHash);
  return v.nullify === true;
}

function conflict(view: number, kind: VoteKind, previous: Hash, requested: Hash): SignGuardRefusal {
  return {
    ok: false,
    code: "SIGN_GUARD_ERROR_CONFLICTING_VOTE",
    detail: `view ${view} kind ${kind}: already authorized ${toHex(previous)}, asked for ${toHex(requested)}`,
    previous: { kind, view, blockHash: previous },
  };
}

/** Malformed requests are programmer errors (the state machine built them), not refusals. */
function assertWellFormed(body: VoteBody): void {
  assert(VOTE_KINDS.includes(body.kind), `unknown vote kind ${String(body.kind)}`);
  assert(Number.isSafeInteger(body.view) && body.view >= 0, `vote view must be a non-negative safe integer`);
  assert(body.blockHash instanceof Uint8Array && body.blockHash.length === 32, "vote block hash must be 32 bytes");
  assert(body.kind !== VoteKind.Nullify || bytesEqual(body.blockHash, ZERO_HASH), "a nullify vote carries the zero hash");
}
