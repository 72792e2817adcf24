// A validator's staking record: key, operator, bonded stake, unbonding entries (amount, release height, sorted by
// height, at most UNBONDING_ENTRIES_MAX), jail status and whether it was ever slashed. Stake in unbonding stays
// slashable until released. Canonical encoding with ByteWriter; entries strictly increasing by release height.

import { ByteReader } from "../codec/byte-reader.ts";
import { ByteWriter } from "../codec/byte-writer.ts";
import { CodecError, type DecodeResult, decodeWith, unwrapDecode } from "../codec/codec-error.ts";
import type { Address, PublicKey } from "../types.ts";

export const UNBONDING_ENTRIES_MAX = 16;

export interface UnbondingEntry {
  amount: bigint;
  releaseHeight: number;
}

export interface ValidatorRecord {
  publicKey: PublicKey;
  operator: Address;
  bondedStake: bigint;
  unbonding: UnbondingEntry[];
  jailed: boolean;
  /** Height from which UNJAIL is accepted (meaningful while jailed). */
  jailedUntilHeight: number;
  /** Ever slashed for equivocation. */
  slashed: boolean;
}

export function unbondingTotal(rec: ValidatorRecord): bigint {
  let sum = 0n;
  for (const e of rec.unbonding) sum += e.amount;
  return sum;
}

export function encodeValidatorRecord(rec: ValidatorRecord): Uint8Array {
  const w = new ByteWriter(32 + 20 + 32 + 1 + 8 + 1 + 4 + rec.unbonding.length * 40);
  w.fixed(rec.publicKey, 32).fixed(rec.operator, 20).u256(rec.bondedStake).bool(rec.jailed).u64(rec.jailedUntilHeight).bool(rec.slashed);
  w.list(rec.unbonding, (ww, e) => ww.u256(e.amount).u64(e.releaseHeight));
  return w.finish();
}

export function decodeValidatorRecord(bytes: Uint8Array): DecodeResult<ValidatorRecord> {
  return decodeWith(() => {
    const r = new ByteReader(bytes);
    const publicKey = r.fixed(32, "validator key");
    const operator = r.fixed(20, "operator");
    const bondedStake = r.u256("bonded stake");
    const jailed = r.bool("jailed");
    const jailedUntilHeight = r.u64("jailed until height");
    const slashed = r.bool("slashed");
    let last = -1;
    const unbonding = r.list(
      UNBONDING_ENTRIES_MAX,
      40,
      (rr) => {
        const amount = rr.u256("unbonding amount");
        const at = rr.position;
        const releaseHeight = rr.u64("release height");
        if (releaseHeight <= last) throw new CodecError("CODEC_ERROR_NON_CANONICAL", at, "release heights must increase");
        last = releaseHeight;
        return { amount, releaseHeight };
      },
      "unbonding entries",
    );
    r.end("validator record");
    return { publicKey, operator, bondedStake, unbonding, jailed, jailedUntilHeight, slashed };
  });
}

export function loadValidatorRecord(bytes: Uint8Array): ValidatorRecord {
  return unwrapDecode(decodeValidatorRecord(bytes), "validator record");
}
