// The validator set of one epoch: stake by index, quorum tests in integer arithmetic, and the stake-weighted
// deterministic leader of each view. Quorum is "more than 2/3 of total stake": 3 * signed > 2 * total.

import { assert } from "./errors.ts";
import { bytesEqual, compareBytes, domainHash, toHex } from "./crypto/hash.ts";
import { ByteWriter } from "./codec/byte-writer.ts";
import type { Hash, PublicKey, Validator } from "./types.ts";

export class ValidatorSet {
  readonly validators: readonly Validator[];
  readonly totalStake: bigint;
  /** Seed for leader selection in this epoch (e.g. genesis hash, or the hash of the last block of the previous epoch). */
  readonly seed: Hash;
  private readonly indexByKey: Map<string, number>;
  private readonly cumulative: bigint[];

  constructor(validators: readonly Validator[], seed: Hash) {
    assert(validators.length > 0, "a validator set must not be empty");
    const sorted = [...validators].sort((a, b) => compareBytes(a.publicKey, b.publicKey));
    for (let i = 1; i < sorted.length; i++) {
      assert(!bytesEqual(sorted[i - 1]!.publicKey, sorted[i]!.publicKey), "duplicate validator key");
    }
    this.validators = sorted;
    this.seed = seed;
    this.indexByKey = new Map(sorted.map((v, i) => [toHex(v.publicKey), i]));
    let acc = 0n;
    this.cumulative = sorted.map((v) => {
      assert(v.stake > 0n, "validator stake must be positive");
      acc += v.stake;
      return acc;
    });
    this.totalStake = acc;
  }

  get size(): number {
    return this.validators.length;
  }

  indexOf(publicKey: PublicKey): number | undefined {
    return this.indexByKey.get(toHex(publicKey));
  }

  get(index: number): Validator | undefined {
    return this.validators[index];
  }

  stakeOf(indices: Iterable<number>): bigint {
    let sum = 0n;
    const seen = new Set<number>();
    for (const i of indices) {
      if (seen.has(i)) continue;
      seen.add(i);
      const v = this.validators[i];
      if (v) sum += v.stake;
    }
    return sum;
  }

  /** More than 2/3 of total stake. */
  isQuorum(stake: bigint): boolean {
    return 3n * stake > 2n * this.totalStake;
  }

  /** More than 1/3 of total stake: at least one honest validator is among them. */
  isOneThirdPlus(stake: bigint): boolean {
    return 3n * stake > this.totalStake;
  }

  /**
   * Leader of `view`: the validator whose cumulative-stake interval contains sha256(seed, view) mod total.
   * Deterministic, stake-proportional, and not chosen by anyone once the seed is fixed.
   */
  leaderOf(view: number): number {
    const body = new ByteWriter(48).fixed(this.seed, 32).u64(view).finish();
    const digest = domainHash("leaderSeed", body);
    let x = 0n;
    for (let i = 0; i < 16; i++) x = (x << 8n) | BigInt(digest[i]!);
    const target = x % this.totalStake;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
