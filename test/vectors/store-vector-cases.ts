// The objects behind the golden node/store disk vectors: WAL records, frames, segment headers, sign guard
// records, database keys and the finalized pointer. Each name maps to the bytes the code must produce.

import { encodeFrame } from "../../node/store/frame.ts";
import { encodeWalRecord } from "../../node/store/wal-record.ts";
import { encodeSignGuardRecord } from "../../node/store/sign-guard-record.ts";
import { KeyPrefix, heightKey, prefixedKey } from "../../node/store/key-prefix.ts";
import { encodePointer } from "../../node/store/block-store.ts";
import { ZERO_HASH } from "../../consensus/crypto/hash.ts";
import { VoteKind } from "../../consensus/types.ts";
import { filledHash, sampleHeader, signVote } from "../support/fixtures.ts";

export function storeVectorCases(): Record<string, Uint8Array> {
  const vote = signVote(1, 0, { kind: VoteKind.Notarize, view: 9, blockHash: filledHash(0xab) });
  const nullifyCert = {
    kind: VoteKind.Nullify,
    view: 10,
    blockHash: ZERO_HASH,
    signers: [0, 2].map((validator, i) => ({
      validator,
      signature: signVote(i + 1, validator, { kind: VoteKind.Nullify, view: 10, blockHash: ZERO_HASH }).signature,
    })),
  };
  const viewEntered = encodeWalRecord({ type: "viewEntered", view: 12 });
  return {
    walViewEntered: viewEntered,
    walOwnVote: encodeWalRecord({ type: "ownVote", vote }),
    walProposalSeen: encodeWalRecord({ type: "proposalSeen", header: sampleHeader() }),
    walCertificateSeen: encodeWalRecord({ type: "certificateSeen", certificate: nullifyCert }),
    walTimeoutFired: encodeWalRecord({ type: "timeoutFired", view: 13 }),
    frameViewEntered: encodeFrame(viewEntered),
    walSegmentHeader: new Uint8Array([...new TextEncoder().encode("XWAL"), 0, 0, 0, 1]),
    guardAuthorizedFinalize: encodeSignGuardRecord({
      type: "authorized",
      body: { kind: VoteKind.Finalize, view: 9, blockHash: filledHash(0xab) },
    }),
    guardLowWater: encodeSignGuardRecord({ type: "lowWater", view: 100 }),
    keyBlockByHash: prefixedKey(KeyPrefix.BlockByHash, filledHash(0x11)),
    keyHashByHeight: heightKey(KeyPrefix.HashByHeight, 258),
    keyFinalizationByHeight: heightKey(KeyPrefix.FinalizationByHeight, 258),
    keyLatestFinalized: prefixedKey(KeyPrefix.LatestFinalized),
    keyStateEntry: prefixedKey(KeyPrefix.StateEntry, new Uint8Array([0xde, 0xad])),
    keyStateHeight: prefixedKey(KeyPrefix.StateHeight),
    keyMeta: prefixedKey(KeyPrefix.Meta),
    finalizedPointer: encodePointer({ height: 258, view: 300, hash: filledHash(0x22) }),
  };
}
