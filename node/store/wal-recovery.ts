// Restart glue between the sign guard and the WAL. The node persists an own vote with two fsyncs (guard, then
// WAL); a crash between them leaves a vote the guard allowed but the WAL lacks. The state machine restored from
// the WAL alone would not know it signed that vote, so the node re-signs these bodies (ed25519 signing is
// deterministic, so the signature is the one that may have left), appends them to the WAL, and restores from both.

import { toHex } from "../../consensus/crypto/hash.ts";
import type { VoteBody } from "../../consensus/types.ts";
import type { SignGuard } from "./sign-guard.ts";
import type { WalRecord } from "./wal-record.ts";

export function votesMissingFromWal(guard: SignGuard, records: readonly WalRecord[]): VoteBody[] {
  const key = (v: VoteBody) => `${v.view}:${v.kind}:${toHex(v.blockHash)}`;
  const inWal = new Set(records.flatMap((r) => (r.type === "ownVote" ? [key(r.vote)] : [])));
  return guard.authorized().filter((body) => !inWal.has(key(body)));
}
