// Wire and signing encodings of votes. The signed bytes are tag("vote") || chainId || kind || view || blockHash;
// the validator index travels beside the signature but is not signed (the key identifies the signer).

import { ByteReader } from "./byte-reader.ts";
import { ByteWriter } from "./byte-writer.ts";
import { CodecError, type DecodeResult, decodeWith } from "./codec-error.ts";
import { withDomain } from "../crypto/domains.ts";
import { ZERO_HASH, bytesEqual } from "../crypto/hash.ts";
import { VOTE_KINDS, VoteKind, type Vote, type VoteBody } from "../types.ts";

export const VOTE_BODY_BYTES = 1 + 8 + 32;
export const VOTE_BYTES = VOTE_BODY_BYTES + 4 + 64;

export function writeVoteBody(w: ByteWriter, body: VoteBody): void {
  w.u8(body.kind).u64(body.view).fixed(body.blockHash, 32);
}

export function readVoteBody(r: ByteReader): VoteBody {
  const kind = r.tag(VOTE_KINDS, "vote kind");
  const view = r.u64("view");
  const at = r.position;
  const blockHash = r.fixed(32, "block hash");
  if (kind === VoteKind.Nullify && !bytesEqual(blockHash, ZERO_HASH)) {
    throw new CodecError("CODEC_ERROR_NON_CANONICAL", at, "a nullify vote must carry the zero hash");
  }
  return { kind, view, blockHash };
}

export function voteSigningBytes(chainId: bigint, body: VoteBody): Uint8Array {
  const w = new ByteWriter(8 + VOTE_BODY_BYTES).u64n(chainId);
  writeVoteBody(w, body);
  return withDomain("vote", w.finish());
}

export function writeVote(w: ByteWriter, vote: Vote): void {
  writeVoteBody(w, vote);
  w.u32(vote.validator).fixed(vote.signature, 64);
}

export function readVote(r: ByteReader): Vote {
  const body = readVoteBody(r);
  const validator = r.u32("validator index");
  const signature = r.fixed(64, "signature");
  return { ...body, validator, signature };
}

export function encodeVote(vote: Vote): Uint8Array {
  const w = new ByteWriter(VOTE_BYTES);
  writeVote(w, vote);
  return w.finish();
}

export function decodeVote(bytes: Uint8Array): DecodeResult<Vote> {
  return decodeWith(() => {
    const r = new ByteReader(bytes);
    const vote = readVote(r);
    r.end("vote");
    return vote;
  });
}
