// Quorum arithmetic (more than 2/3 of stake, integers only) and the stake-weighted deterministic leader.
import { describe, expect, it } from "vitest";
import { ValidatorSet } from "../../../consensus/validator-set.ts";
import { filledHash, testKey } from "../../support/fixtures.ts";

function set(stakes: bigint[], seedByte = 1): ValidatorSet {
  return new ValidatorSet(
    stakes.map((stake, i) => ({ publicKey: testKey(i + 1).publicKey, operator: new Uint8Array(20).fill(i), stake })),
    filledHash(seedByte),
  );
}

describe("ValidatorSet", () => {
  it("needs strictly more than 2/3 of stake for a quorum", () => {
    const vs = set([1n, 1n, 1n]);
    expect(vs.isQuorum(2n)).toBe(false); // exactly 2/3 is not enough
    expect(vs.isQuorum(3n)).toBe(true);
    const four = set([1n, 1n, 1n, 1n]);
    expect(four.isQuorum(2n)).toBe(false);
    expect(four.isQuorum(3n)).toBe(true);
    expect(four.isOneThirdPlus(1n)).toBe(false);
    expect(four.isOneThirdPlus(2n)).toBe(true);
  });

  it("stays exact for stakes far beyond 2^53", () => {
    const big = 10n ** 30n;
    const vs = set([big, big, big + 1n]);
    expect(vs.isQuorum(2n * big)).toBe(false);
    expect(vs.isQuorum(2n * big + 1n)).toBe(true);
  });

  it("counts each validator's stake once", () => {
    const vs = set([5n, 7n, 11n]);
    const i = vs.indexOf(testKey(2).publicKey)!;
    expect(vs.stakeOf([i, i, i])).toBe(7n);
  });

  it("orders validators canonically by key, whatever the input order", () => {
    const a = set([1n, 2n, 3n]);
    const b = new ValidatorSet([...a.validators].reverse(), a.seed);
    for (let v = 0; v < 50; v++) expect(b.leaderOf(v)).toBe(a.leaderOf(v));
  });

  it("picks leaders in proportion to stake", () => {
    const vs = set([1n, 1n, 2n]);
    const heavy = vs.indexOf(testKey(3).publicKey)!;
    const counts = new Array<number>(3).fill(0);
    const views = 20_000;
    for (let v = 0; v < views; v++) counts[vs.leaderOf(v)]!++;
    // Expected share 1/2 for the heavy validator; allow 3% for sampling noise of a fixed seed.
    expect(Math.abs(counts[heavy]! / views - 0.5)).toBeLessThan(0.03);
    for (const c of counts) expect(c).toBeGreaterThan(0);
  });

  it("changes the leader schedule with the seed", () => {
    const a = set([1n, 1n, 1n, 1n], 1);
    const b = set([1n, 1n, 1n, 1n], 2);
    const sa = Array.from({ length: 40 }, (_, v) => a.leaderOf(v)).join();
    const sb = Array.from({ length: 40 }, (_, v) => b.leaderOf(v)).join();
    expect(sa).not.toBe(sb);
  });

  it("refuses empty sets, zero stake and duplicate keys", () => {
    expect(() => new ValidatorSet([], filledHash(1))).toThrow(/empty/);
    const k = testKey(1).publicKey;
    expect(() => set([0n])).toThrow(/positive/);
    expect(
      () => new ValidatorSet([{ publicKey: k, operator: new Uint8Array(20), stake: 1n }, { publicKey: k, operator: new Uint8Array(20), stake: 1n }], filledHash(1)),
    ).toThrow(/duplicate/);
  });
});
