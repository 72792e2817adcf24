// Execution properties over random blocks of transfers, staking calls and evidence: a validator re-executing
// the proposer's blocks from genesis reaches the same roots (determinism), and total supply (balances + bonded
// + unbonding) changes by exactly minted - burned fees - slashed in every block.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { verifyBlock } from "../../consensus/execution/execute-block.ts";
import { createGenesisState } from "../../consensus/execution/genesis-state.ts";
import { StakingOp } from "../../consensus/execution/staking-call.ts";
import { loadAccount } from "../../consensus/state/account.ts";
import { StateKeyPrefix } from "../../consensus/state/state-keys.ts";
import { loadValidatorRecord, unbondingTotal } from "../../consensus/state/validator-record.ts";
import type { WorldState } from "../../consensus/state/world-state.ts";
import { toHex } from "../../consensus/crypto/hash.ts";
import { ETHER, TEST_PARAMS, TestChain, accountAddress, bondCall, doubleNotarize, stakingTx, testGenesis, transferTx } from "../support/execution-fixtures.ts";
import { testKey } from "../support/fixtures.ts";

function totalSupply(state: WorldState): bigint {
  let total = 0n;
  for (const [key, value] of state.entries()) {
    if (key[0] === StateKeyPrefix.Account) total += loadAccount(value).balance;
    if (key[0] === StateKeyPrefix.Validator) {
      const rec = loadValidatorRecord(value);
      total += rec.bondedStake + unbondingTotal(rec);
    }
  }
  return total;
}

type Op =
  | { kind: "transfer"; from: number; to: number; value: bigint; nonceSkew: number }
  | { kind: "bond"; from: number; key: number; value: bigint }
  | { kind: "unbond"; from: number; key: number; amount: bigint }
  | { kind: "unjail"; from: number; key: number }
  | { kind: "evidence"; key: number; view: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("transfer" as const), from: fc.integer({ min: 1, max: 6 }), to: fc.integer({ min: 1, max: 9 }), value: fc.bigInt({ min: 0n, max: 2_000_000n * ETHER }), nonceSkew: fc.constantFrom(0, 0, 0, 1, -1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("bond" as const), from: fc.integer({ min: 5, max: 6 }), key: fc.integer({ min: 5, max: 6 }), value: fc.bigInt({ min: 500n * ETHER, max: 3_000n * ETHER }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("unbond" as const), from: fc.integer({ min: 5, max: 6 }), key: fc.integer({ min: 5, max: 6 }), amount: fc.bigInt({ min: 1n, max: 2_000n * ETHER }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("unjail" as const), from: fc.integer({ min: 5, max: 6 }), key: fc.integer({ min: 5, max: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("evidence" as const), key: fc.integer({ min: 1, max: 6 }), view: fc.integer({ min: 1, max: 3 }) }) },
);

describe("execution properties", () => {
  it("re-execution from genesis is identical, and supply changes only by minted - burned - slashed", () => {
    const seen = { receipts: 0, reverted: 0, slashed: 0n, released: 0n };
    fc.assert(
      fc.property(fc.array(fc.array(op, { maxLength: 6 }), { minLength: 1, maxLength: 6 }), (blocks) => {
        const params = { ...TEST_PARAMS, unbondingPeriodBlocks: 2, epochLengthBlocks: 2, maxValidators: 6, jailPeriodBlocks: 1 };
        const chain = new TestChain(testGenesis({ params }));
        const nonces = new Map<number, bigint>();
        const next = (n: number, skew = 0) => {
          const v = nonces.get(n) ?? 0n;
          if (skew === 0) nonces.set(n, v + 1n);
          return v + BigInt(skew) < 0n ? 0n : v + BigInt(skew);
        };
        for (const ops of blocks) {
          const txs: Uint8Array[] = [];
          const evidence = [];
          for (const o of ops) {
            if (o.kind === "transfer") txs.push(transferTx(o.from, accountAddress(o.to), o.value, { nonce: next(o.from, o.nonceSkew) }));
            if (o.kind === "bond") txs.push(stakingTx(o.from, bondCall(o.key, o.from), o.value, { nonce: next(o.from) }));
            if (o.kind === "unbond") txs.push(stakingTx(o.from, { op: StakingOp.Unbond, publicKey: testKey(o.key).publicKey, amount: o.amount }, 0n, { nonce: next(o.from) }));
            if (o.kind === "unjail") txs.push(stakingTx(o.from, { op: StakingOp.Unjail, publicKey: testKey(o.key).publicKey }, 0n, { nonce: next(o.from) }));
            if (o.kind === "evidence") evidence.push(doubleNotarize(o.key, o.view));
          }
          const before = totalSupply(chain.state);
          const r = chain.advance(txs, evidence);
          // Skipped transactions did not consume their nonce: resynchronise the tracker from state.
          for (const n of [1, 2, 3, 4, 5, 6]) {
            const acct = chain.state.get(Uint8Array.of(StateKeyPrefix.Account, ...accountAddress(n)));
            nonces.set(n, acct ? loadAccount(acct).nonce : 0n);
          }
          expect(totalSupply(chain.state)).toBe(before + r.minted - r.burnedFees - r.slashed);
          seen.receipts += r.receipts.length;
          seen.reverted += r.receipts.filter((x) => x.status === 0).length;
          seen.slashed += r.slashed;
          seen.released += r.released;
        }
        // A validator replays the same blocks from its own genesis state.
        let replay = createGenesisState(chain.genesis);
        chain.blocks.forEach((block, i) => {
          const v = verifyBlock(replay, block, chain.ctx);
          expect(v.ok).toBe(true);
          if (!v.ok) return;
          expect(toHex(v.value.stateRoot)).toBe(toHex(chain.executions[i]!.stateRoot));
          replay = v.value.state;
        });
      }),
      { numRuns: 20 },
    );
    // The generator must actually exercise inclusion, reverts and slashing, or the property says little.
    expect(seen.receipts).toBeGreaterThan(20);
    expect(seen.reverted).toBeGreaterThan(0);
    expect(seen.slashed).toBeGreaterThan(0n);
  });
});
