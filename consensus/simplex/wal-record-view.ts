// The view a write-ahead-log record belongs to: the WAL truncates by view after finalization, and the
// simulator's disk model prunes the same way. One definition for both (node/store re-exports it).

import type { WalRecord } from "./types.ts";

export function walRecordView(r: WalRecord): number {
  switch (r.type) {
    case "viewEntered":
    case "timeoutFired":
      return r.view;
    case "ownVote":
      return r.vote.view;
    case "proposalSeen":
      return r.header.view;
    case "certificateSeen":
      return r.certificate.view;
  }
}
