// The child process of the kill -9 test: a validator's signing loop on a real directory. For each request
// (view, kind, hash) it asks the real SignGuard, signs, appends the vote to the real WAL (fdatasync), and only
// then "sends" it: one JSON line on stdout (a synchronous write). After a restart it resumes a few views
// below the highest vote on disk and asks again with fresh random hashes, so conflicting requests are certain.
// Usage: node --import tsx signer-child.ts <dir> <run> <views> <seed>

import * as fs from "node:fs";
import * as path from "node:path";
import { voteSigningBytes } from "../../consensus/codec/vote-codec.ts";
import { keyPairFromSeed, signEd25519 } from "../../consensus/crypto/ed25519.ts";
import { ZERO_HASH, toHex } from "../../consensus/crypto/hash.ts";
import { VoteKind, type VoteBody } from "../../consensus/types.ts";
import { SignGuard } from "../../node/store/sign-guard.ts";
import { WriteAheadLog } from "../../node/store/write-ahead-log.ts";
import { seededRandom } from "./seeded-random.ts";

const CHAIN_ID = 31337n;
const RESUME_BACK_VIEWS = 10;
const KEEP_VIEWS = 40;

const [dir, runArg, viewsArg, seedArg] = process.argv.slice(2);
if (!dir || runArg === undefined || viewsArg === undefined || seedArg === undefined) {
  console.error("usage: signer-child.ts <dir> <run> <views> <seed>");
  process.exit(2);
}
const run = Number(runArg);
const rand = seededRandom(Number(seedArg) * 1_000_003 + run);
const key = keyPairFromSeed(new Uint8Array(32).fill(0x42));

function emit(line: Record<string, unknown>): void {
  fs.writeSync(1, JSON.stringify(line) + "\n");
}

const { guard, report: guardReport } = SignGuard.open(path.join(dir, "guard"));
const { wal, records, report: walReport } = WriteAheadLog.open(path.join(dir, "wal"), { segmentBytesMax: 16 * 1024 });

let highest = -1;
let walVotesMissingFromGuard = 0;
for (const r of records) {
  if (r.type !== "ownVote") continue;
  highest = Math.max(highest, r.vote.view);
  const known = guard.authorizedIn(r.vote.view).some((b) => b.kind === r.vote.kind && toHex(b.blockHash) === toHex(r.vote.blockHash));
  if (r.vote.view >= guard.lowWaterView && !known) walVotesMissingFromGuard++;
}
emit({
  t: "open",
  run,
  guard: guardReport,
  wal: { records: walReport.records, segments: walReport.segments, droppedTail: walReport.droppedTail },
  highest,
  walVotesMissingFromGuard,
});

function request(body: VoteBody): void {
  const verdict = guard.authorize(body);
  const hash = toHex(body.blockHash);
  if (!verdict.ok) {
    emit({ t: "refused", run, code: verdict.code, kind: body.kind, view: body.view, hash });
    return;
  }
  const signature = signEd25519(key.secretKey, voteSigningBytes(CHAIN_ID, body));
  wal.append({ type: "ownVote", vote: { ...body, validator: 0, signature } });
  emit({ t: "vote", run, kind: body.kind, view: body.view, hash, repeat: verdict.repeat });
}

const hashOf = (b: number) => new Uint8Array(32).fill(b);
const pick = () => 1 + Math.floor(rand() * 3);
const start = Math.max(0, guard.lowWaterView, highest - RESUME_BACK_VIEWS);
for (let view = start; view < start + Number(viewsArg); view++) {
  wal.append({ type: "viewEntered", view });
  const chosen = pick();
  request({ kind: VoteKind.Notarize, view, blockHash: hashOf(chosen) });
  const r = rand();
  if (r < 0.45) {
    request({ kind: VoteKind.Finalize, view, blockHash: hashOf(chosen) });
  } else if (r < 0.6) {
    request({ kind: VoteKind.Finalize, view, blockHash: hashOf(pick()) });
  } else if (r < 0.85) {
    request({ kind: VoteKind.Nullify, view, blockHash: ZERO_HASH });
  } else {
    request({ kind: VoteKind.Nullify, view, blockHash: ZERO_HASH });
    request({ kind: VoteKind.Finalize, view, blockHash: hashOf(chosen) });
  }
  if (view % 20 === 0 && view > KEEP_VIEWS) {
    guard.pruneBelow(view - KEEP_VIEWS);
    wal.truncateBefore(view - KEEP_VIEWS);
  }
}
guard.close();
wal.close();
emit({ t: "done", run });
