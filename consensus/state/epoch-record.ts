// The validator sets in force: the current epoch's (validating heights from startHeight on) and the previous
// one's (needed to pay the voters of a parent block from the last epoch). Each set is sorted by key, exactly as
// ValidatorSet orders it, so certificate signer indices resolve against it directly.

import { ByteReader } from "../codec/byte-reader.ts";
import { ByteWriter } from "../codec/byte-writer.ts";
import { type DecodeResult, decodeWith, unwrapDecode } from "../codec/codec-error.ts";
import { LIMITS, type Hash, type Validator } from "../types.ts";

export interface EpochSet {
  seed: Hash;
  validators: Validator[];
}

export interface EpochRecord {
  epoch: number;
  /** First height this epoch's set validates. */
  startHeight: number;
  current: EpochSet;
  previous: EpochSet | null;
}

function writeSet(w: ByteWriter, set: EpochSet): void {
  w.fixed(set.seed, 32);
  w.list(set.validators, (ww, v) => ww.fixed(v.publicKey, 32).fixed(v.operator, 20).u256(v.stake));
}

function readSet(r: ByteReader): EpochSet {
  const seed = r.fixed(32, "seed");
  const validators = r.list(
    LIMITS.maxValidators,
    84,
    (rr) => ({ publicKey: rr.fixed(32, "validator key"), operator: rr.fixed(20, "operator"), stake: rr.u256("stake") }),
    "validators",
  );
  return { seed, validators };
}

export function encodeEpochRecord(rec: EpochRecord): Uint8Array {
  const w = new ByteWriter(128 + 84 * (rec.current.validators.length + (rec.previous?.validators.length ?? 0)));
  w.u64(rec.epoch).u64(rec.startHeight);
  writeSet(w, rec.current);
  w.bool(rec.previous !== null);
  if (rec.previous) writeSet(w, rec.previous);
  return w.finish();
}

export function decodeEpochRecord(bytes: Uint8Array): DecodeResult<EpochRecord> {
  return decodeWith(() => {
    const r = new ByteReader(bytes);
    const epoch = r.u64("epoch");
    const startHeight = r.u64("start height");
    const current = readSet(r);
    const previous = r.bool("has previous") ? readSet(r) : null;
    r.end("epoch record");
    return { epoch, startHeight, current, previous };
  });
}

export function loadEpochRecord(bytes: Uint8Array): EpochRecord {
  return unwrapDecode(decodeEpochRecord(bytes), "epoch record");
}
