// Staking through blocks: bond -> in the set from the next epoch; unbond -> paid back after the unbonding
// period and out of the set; evidence -> slash, jail, out of the set, unjail after the jail period; rewards.
import { describe, expect, it } from "vitest";
import { executeBlock } from "../../../../consensus/execution/execute-block.ts";
import { validatorSetAt } from "../../../../consensus/execution/epoch.ts";
import { StakingOp } from "../../../../consensus/execution/staking-call.ts";
import { getAccount, getRegistry, getValidatorRecord } from "../../../../consensus/state/state-access.ts";
import { toHex } from "../../../../consensus/crypto/hash.ts";
import { ETHER, GWEI, TEST_PARAMS, TestChain, accountAddress, bondCall, doubleNotarize, stakingTx, testGenesis } from "../../../support/execution-fixtures.ts";
import { testKey } from "../../../support/fixtures.ts";

const key = (n: number) => testKey(n).publicKey;
const inSet = (chain: TestChain, n: number) => validatorSetAt(chain.state).indexOf(key(n)) !== undefined;
const params = { ...TEST_PARAMS, maxValidators: 5 };

function run(chain: TestChain, blocks: number): void {
  for (let i = 0; i < blocks; i++) chain.advance();
}

describe("staking lifecycle", () => {
  it("bond joins the set at the next epoch boundary; unbond pays back after the period and leaves the set", () => {
    // No block reward and no tips here, so balances move by exactly the stake and the burned fee.
    const chain = new TestChain(testGenesis({ params: { ...params, blockReward: 0n } }));
    const bondAmount = 20_000n * ETHER;
    const r1 = chain.advance([stakingTx(5, bondCall(5, 5), bondAmount)]);
    expect(r1.receipts[0]).toMatchObject({ status: 1, gasUsed: 50_000n });
    expect(getValidatorRecord(chain.state, key(5))?.bondedStake).toBe(bondAmount);
    run(chain, 2); // heights 2, 3
    expect(inSet(chain, 5)).toBe(false);
    chain.advance(); // height 4: epoch boundary
    expect(inSet(chain, 5)).toBe(true);
    expect(validatorSetAt(chain.state).validators.find((v) => toHex(v.publicKey) === toHex(key(5)))?.stake).toBe(bondAmount);

    const balanceBefore = getAccount(chain.state, accountAddress(5)).balance;
    const unbond = chain.advance([stakingTx(5, { op: StakingOp.Unbond, publicKey: key(5), amount: bondAmount }, 0n, { nonce: 1n, tip: 0n })]); // height 5
    expect(unbond.receipts[0]!.status).toBe(1);
    const fee = unbond.receipts[0]!.gasUsed * unbond.receipts[0]!.effectiveGasPrice;
    expect(getValidatorRecord(chain.state, key(5))?.unbonding).toEqual([{ amount: bondAmount, releaseHeight: 8 }]);
    run(chain, 2); // 6, 7
    expect(getAccount(chain.state, accountAddress(5)).balance).toBe(balanceBefore - fee);
    expect(inSet(chain, 5)).toBe(true); // still in the set until the boundary
    const release = chain.advance(); // 8: release + boundary
    expect(release.released).toBe(bondAmount);
    expect(getAccount(chain.state, accountAddress(5)).balance).toBe(balanceBefore - fee + bondAmount);
    expect(getValidatorRecord(chain.state, key(5))).toBeUndefined();
    expect(getRegistry(chain.state).map(toHex)).not.toContain(toHex(key(5)));
    expect(inSet(chain, 5)).toBe(false);
  });

  it("refused staking operations revert: fee and nonce stand, nothing else changes", () => {
    const chain = new TestChain(testGenesis({ params }));
    const r = chain.advance([
      stakingTx(1, { op: StakingOp.Unbond, publicKey: key(1), amount: 1n }, 0n), // not the operator
      stakingTx(1, bondCall(5, 2), 2000n * ETHER, { nonce: 1n }), // proof signed for another operator
      stakingTx(1, bondCall(5, 1), 1n, { nonce: 2n }), // below the minimum stake
      stakingTx(101, { op: StakingOp.Unjail, publicKey: key(1) }, 0n), // not jailed (account 101 is unfunded: skipped)
    ]);
    expect(r.receipts.map((x) => [x.status, x.revertCode])).toEqual([
      [0, "STAKING_ERROR_NOT_OPERATOR"],
      [0, "STAKING_ERROR_INVALID_PROOF"],
      [0, "STAKING_ERROR_BELOW_MIN_STAKE"],
    ]);
    expect(r.skippedCodes).toEqual(["TX_ERROR_INSUFFICIENT_FUNDS"]);
    expect(getAccount(chain.state, accountAddress(1)).nonce).toBe(3n);
    expect(getValidatorRecord(chain.state, key(5))).toBeUndefined();
  });

  it("evidence slashes bonded and unbonding stake, jails, removes from the next set; unjail after the period", () => {
    const g = testGenesis({ params });
    g.accounts.push({ address: accountAddress(102), balance: 10n * ETHER });
    const chain = new TestChain(g);
    const stake = 10_000n * ETHER;
    chain.advance([stakingTx(102, { op: StakingOp.Unbond, publicKey: key(2), amount: 1_000n * ETHER }, 0n)]); // height 1
    const r = chain.advance([], [doubleNotarize(2, 3)]); // height 2
    const cut = (a: bigint) => (a * BigInt(params.slashFractionBps)) / 10_000n;
    expect(r.slashed).toBe(cut(stake - 1_000n * ETHER) + cut(1_000n * ETHER));
    const rec = getValidatorRecord(chain.state, key(2))!;
    expect(rec).toMatchObject({ jailed: true, slashed: true, jailedUntilHeight: 2 + params.jailPeriodBlocks });
    expect(rec.bondedStake).toBe(stake - 1_000n * ETHER - cut(stake - 1_000n * ETHER));
    expect(rec.unbonding[0]!.amount).toBe(1_000n * ETHER - cut(1_000n * ETHER));

    // The same evidence again: the builder skips it, and a block carrying it is invalid.
    const again = chain.nextBlock([], [doubleNotarize(2, 3)]);
    expect(again.ok && again.body.skippedEvidence.map((s) => s.code)).toEqual(["EVIDENCE_ERROR_ALREADY_SLASHED"]);
    if (again.ok) {
      const forced = executeBlock(chain.state, { ...again.block, evidence: [doubleNotarize(2, 3)] }, chain.ctx);
      expect(forced.ok ? "ok" : forced.code).toBe("BLOCK_ERROR_INVALID_EVIDENCE");
    }
    expect(inSet(chain, 2)).toBe(true); // the current epoch's set is fixed
    run(chain, 2); // 3, 4 (boundary)
    expect(inSet(chain, 2)).toBe(false);

    const early = chain.advance([stakingTx(102, { op: StakingOp.Unjail, publicKey: key(2) }, 0n, { nonce: 1n })]); // 5 < 7
    expect(early.receipts[0]).toMatchObject({ status: 0, revertCode: "STAKING_ERROR_STILL_JAILED" });
    run(chain, 1); // 6
    const ok = chain.advance([stakingTx(102, { op: StakingOp.Unjail, publicKey: key(2) }, 0n, { nonce: 2n })]); // 7
    expect(ok.receipts[0]!.status).toBe(1);
    run(chain, 1); // 8: boundary
    expect(inSet(chain, 2)).toBe(true);
  });

  it("rewards: the proposer's share and dust to the proposer, the rest to the parent's signers by stake", () => {
    const chain = new TestChain();
    chain.advance();
    const operators = [101, 102, 103, 104].map(accountAddress);
    const before = operators.map((a) => getAccount(chain.state, a).balance);
    const r = chain.advance();
    const proposer = operators[[1, 2, 3, 4].findIndex((n) => toHex(key(n)) === toHex(r.block.header.proposer))]!;
    const voterPool = TEST_PARAMS.blockReward - (TEST_PARAMS.blockReward * BigInt(TEST_PARAMS.proposerRewardBps)) / 10_000n;
    const share = voterPool / 4n; // equal stakes, all four signed
    operators.forEach((a, i) => {
      const gained = getAccount(chain.state, a).balance - before[i]!;
      expect(gained).toBe(a === proposer ? TEST_PARAMS.blockReward - 3n * share : share);
    });
    expect(r.minted).toBe(TEST_PARAMS.blockReward);
  });

  it("tips go to the proposer's operator", () => {
    const chain = new TestChain(testGenesis({ params: { ...params, blockReward: 0n } }));
    const operators = [101, 102, 103, 104].map(accountAddress);
    const r = chain.advance([stakingTx(1, bondCall(6, 1), 2000n * ETHER, { tip: GWEI })]);
    const proposer = operators[[1, 2, 3, 4].findIndex((n) => toHex(key(n)) === toHex(r.block.header.proposer))]!;
    expect(getAccount(chain.state, proposer).balance).toBe(50_000n * GWEI);
  });
});
