// Evidence of equivocation: one key, two signed vote bodies for the same view that conflict.
// Decoding checks shape only; whether the two votes truly conflict and verify is validateEvidence's job.

import { ByteReader } from "./byte-reader.ts";
import { ByteWriter } from "./byte-writer.ts";
import { type DecodeResult, decodeWith } from "./codec-error.ts";
import { readVoteBody, writeVoteBody } from "./vote-codec.ts";
import { domainHash } from "../crypto/hash.ts";
import type { Evidence, Hash } from "../types.ts";

export const EVIDENCE_BYTES = 32 + 2 * (41 + 64);

export function writeEvidence(w: ByteWriter, ev: Evidence): void {
  w.fixed(ev.publicKey, 32);
  writeVoteBody(w, ev.first);
  w.fixed(ev.first.signature, 64);
  writeVoteBody(w, ev.second);
  w.fixed(ev.second.signature, 64);
}

export function readEvidence(r: ByteReader): Evidence {
  const publicKey = r.fixed(32, "evidence key");
  const first = { ...readVoteBody(r), signature: r.fixed(64, "signature") };
  const second = { ...readVoteBody(r), signature: r.fixed(64, "signature") };
  return { publicKey, first, second };
}

export function encodeEvidence(ev: Evidence): Uint8Array {
  const w = new ByteWriter(EVIDENCE_BYTES);
  writeEvidence(w, ev);
  return w.finish();
}

export function decodeEvidence(bytes: Uint8Array): DecodeResult<Evidence> {
  return decodeWith(() => {
    const r = new ByteReader(bytes);
    const ev = readEvidence(r);
    r.end("evidence");
    return ev;
  });
}

export function evidenceHash(ev: Evidence): Hash {
  return domainHash("evidence", encodeEvidence(ev));
}
