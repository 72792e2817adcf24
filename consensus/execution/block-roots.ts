// The body commitments in a header: transactionsRoot over the raw transaction bytes and evidenceRoot over the
// canonical evidence encodings, both with consensus/merkle.ts (the empty list has the zero root).

import { encodeEvidence } from "../codec/evidence-codec.ts";
import { merkleRoot } from "../merkle.ts";
import type { Evidence, Hash } from "../types.ts";

export function transactionsRoot(transactions: readonly Uint8Array[]): Hash {
  return merkleRoot(transactions);
}

export function evidenceRoot(evidence: readonly Evidence[]): Hash {
  return merkleRoot(evidence.map(encodeEvidence));
}
