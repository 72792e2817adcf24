// The Simplex machine emits `persist` outputs of WalRecord (defined once, in consensus/simplex); the node writes
// them to node/store's WAL unchanged. This pins that the store keeps using that type (compile time) and that
// every machine record kind survives the WAL codec (run time).
import { describe, expect, it } from "vitest";
import type { WalRecord as MachineWalRecord } from "../../../../consensus/simplex/index.ts";
import { VoteKind } from "../../../../consensus/types.ts";
import { decodeWalRecord, encodeWalRecord, type WalRecord } from "../../../../node/store/wal-record.ts";
import { filledHash, sampleHeader, signVote } from "../../../support/fixtures.ts";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape: Same<MachineWalRecord, WalRecord> = true;

describe("WAL records from the Simplex machine", () => {
  it("have the store's record shape and round-trip through the WAL codec", () => {
    expect(sameShape).toBe(true);
    const records: MachineWalRecord[] = [
      { type: "viewEntered", view: 3 },
      { type: "ownVote", vote: signVote(1, 2, { kind: VoteKind.Finalize, view: 3, blockHash: filledHash(9) }) },
      { type: "proposalSeen", header: sampleHeader({ view: 3 }) },
      { type: "certificateSeen", certificate: { kind: VoteKind.Notarize, view: 3, blockHash: filledHash(9), signers: [] } },
      { type: "timeoutFired", view: 3 },
    ];
    for (const r of records) {
      const decoded = decodeWalRecord(encodeWalRecord(r));
      expect(decoded).toEqual({ ok: true, value: r });
    }
  });
});
