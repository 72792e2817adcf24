// Records of the sign guard's own log: "I may sign this vote body" and "nothing below this view".
// Fixed-size, canonical. Tags are append-only: a retired number is never reused.

import { ByteReader } from "../../consensus/codec/byte-reader.ts";
import { ByteWriter } from "../../consensus/codec/byte-writer.ts";
import { type DecodeResult, decodeWith } from "../../consensus/codec/codec-error.ts";
import { VOTE_BODY_BYTES, readVoteBody, writeVoteBody } from "../../consensus/codec/vote-codec.ts";
import type { VoteBody } from "../../consensus/types.ts";

export const SignGuardRecordTag = { Authorized: 1, LowWater: 2 } as const;
const TAGS = [SignGuardRecordTag.Authorized, SignGuardRecordTag.LowWater] as const;

export type SignGuardRecord = { type: "authorized"; body: VoteBody } | { type: "lowWater"; view: number };

export const SIGN_GUARD_RECORD_BYTES_MAX = 1 + VOTE_BODY_BYTES;

export function encodeSignGuardRecord(r: SignGuardRecord): Uint8Array {
  const w = new ByteWriter(SIGN_GUARD_RECORD_BYTES_MAX);
  if (r.type === "authorized") {
    w.u8(SignGuardRecordTag.Authorized);
    writeVoteBody(w, r.body);
  } else {
    w.u8(SignGuardRecordTag.LowWater).u64(r.view);
  }
  return w.finish();
}

export function decodeSignGuardRecord(bytes: Uint8Array): DecodeResult<SignGuardRecord> {
  return decodeWith(() => {
    const r = new ByteReader(bytes);
    const tag = r.tag(TAGS, "sign guard record tag");
    const record: SignGuardRecord =
      tag === SignGuardRecordTag.Authorized ? { type: "authorized", body: readVoteBody(r) } : { type: "lowWater", view: r.u64("view") };
    r.end("sign guard record");
    return record;
  });
}
