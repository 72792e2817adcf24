// Block execution: fees and transfers, stateful refusals (nonce, balance, fee cap), the builder's skipping with
// reasons, a block with an invalid transaction, header roots and parent notarization checks, determinism.
import { describe, expect, it } from "vitest";
import { executeBlock, verifyBlock } from "../../../../consensus/execution/execute-block.ts";
import { getAccount } from "../../../../consensus/state/state-access.ts";
import { WorldState } from "../../../../consensus/state/world-state.ts";
import { createGenesisState, GenesisStateError } from "../../../../consensus/execution/genesis-state.ts";
import { toHex } from "../../../../consensus/crypto/hash.ts";
import { GWEI, ETHER, TEST_CTX, TEST_PARAMS, TestChain, accountAddress, testGenesis, transferTx } from "../../../support/execution-fixtures.ts";
import { testKey } from "../../../support/fixtures.ts";
import { TxType } from "../../../../consensus/execution/transaction.ts";

const A = accountAddress(1);
const B = accountAddress(2);
const fresh = accountAddress(50);

describe("executeBlock", () => {
  it("moves value, burns the base fee, pays the tip to the proposer and increments the nonce", () => {
    const chain = new TestChain();
    const before = getAccount(chain.state, A).balance;
    const r = chain.advance([transferTx(1, fresh, 7n * ETHER, { tip: GWEI / 2n, cap: 2n * GWEI })]);
    expect(r.receipts).toHaveLength(1);
    expect(r.receipts[0]).toMatchObject({ status: 1, gasUsed: 21_000n, cumulativeGasUsed: 21_000n, effectiveGasPrice: GWEI + GWEI / 2n });
    expect(getAccount(chain.state, fresh)).toEqual({ balance: 7n * ETHER, nonce: 0n });
    const after = getAccount(chain.state, A);
    expect(after.nonce).toBe(1n);
    expect(after.balance).toBe(before - 7n * ETHER - 21_000n * (GWEI + GWEI / 2n));
    expect(r.burnedFees).toBe(21_000n * GWEI);
    expect(r.minted).toBe(TEST_PARAMS.blockReward);
  });

  it("legacy transactions pay gasPrice - baseFee as tip", () => {
    const chain = new TestChain();
    const r = chain.advance([transferTx(1, fresh, 1n, { type: TxType.Legacy, cap: 3n * GWEI })]);
    expect(r.receipts[0]!.effectiveGasPrice).toBe(3n * GWEI);
  });

  it("the builder skips invalid candidates with coded reasons and keeps the valid ones in order", () => {
    const chain = new TestChain();
    const r = chain.advance([
      transferTx(1, fresh, 1n, { nonce: 0n }),
      transferTx(1, fresh, 1n, { nonce: 0n }), // replay: nonce now too low
      transferTx(1, fresh, 1n, { nonce: 5n }), // gap
      transferTx(50, A, 1n), // no balance
      transferTx(2, fresh, 1n, { cap: GWEI / 2n, tip: 1n }), // fee cap below base fee
      transferTx(1, fresh, 2n, { nonce: 1n }),
      Uint8Array.of(5, 2, 3), // unknown envelope type
    ]);
    expect(r.skippedCodes).toEqual([
      "TX_ERROR_NONCE_TOO_LOW",
      "TX_ERROR_NONCE_TOO_HIGH",
      "TX_ERROR_INSUFFICIENT_FUNDS",
      "TX_ERROR_FEE_CAP_BELOW_BASE_FEE",
      "TX_ERROR_UNSUPPORTED_TYPE",
    ]);
    expect(r.block.transactions).toHaveLength(2);
    expect(getAccount(chain.state, A).nonce).toBe(2n);
  });

  it("balance must cover value + gasLimit * maxFee, not just what is used", () => {
    const chain = new TestChain(testGenesis({ accounts: [{ address: A, balance: 21_000n * 2n * GWEI + 10n }] }));
    const r = chain.advance([transferTx(1, B, 11n), transferTx(1, B, 10n, { gasLimit: 21_000n })]);
    expect(r.skippedCodes).toEqual(["TX_ERROR_INSUFFICIENT_FUNDS"]);
    expect(r.receipts).toHaveLength(1);
  });

  it("a block carrying an invalid transaction is invalid, and the parent state is untouched", () => {
    const chain = new TestChain();
    const good = chain.nextBlock([transferTx(1, B, 1n)]);
    if (!good.ok) throw new Error(good.detail);
    const parentRoot = toHex(chain.state.stateRoot);
    const bad = { ...good.block, transactions: [good.block.transactions[0]!, transferTx(1, B, 1n, { nonce: 3n })] };
    const r = executeBlock(chain.state, bad, TEST_CTX);
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.code, r.index, r.txCode]).toEqual(["BLOCK_ERROR_INVALID_TRANSACTION", 1, "TX_ERROR_NONCE_TOO_HIGH"]);
    expect(toHex(chain.state.stateRoot)).toBe(parentRoot);
  });

  it("verifyBlock accepts the proposer's roots and rejects any altered root", () => {
    const chain = new TestChain();
    const p = chain.nextBlock([transferTx(1, B, 1n)]);
    if (!p.ok) throw new Error(p.detail);
    expect(verifyBlock(chain.state, p.block, TEST_CTX).ok).toBe(true);
    for (const field of ["stateRoot", "transactionsRoot", "evidenceRoot"] as const) {
      const header = { ...p.block.header, [field]: new Uint8Array(32).fill(9) };
      const r = verifyBlock(chain.state, { ...p.block, header }, TEST_CTX);
      expect(r.ok ? "ok" : r.code).toMatch(/ROOT_MISMATCH$/);
    }
  });

  it("checks chain id, height, proposer and the parent notarization", () => {
    const chain = new TestChain();
    chain.advance();
    const p = chain.nextBlock();
    if (!p.ok) throw new Error(p.detail);
    const run = (b: typeof p.block) => {
      const r = executeBlock(chain.state, b, TEST_CTX);
      return r.ok ? "ok" : r.code;
    };
    expect(run(p.block)).toBe("ok");
    expect(run({ ...p.block, header: { ...p.block.header, chainId: 1n } })).toBe("BLOCK_ERROR_WRONG_CHAIN_ID");
    expect(run({ ...p.block, header: { ...p.block.header, height: 5 } })).toBe("BLOCK_ERROR_WRONG_HEIGHT");
    expect(run({ ...p.block, header: { ...p.block.header, proposer: testKey(9).publicKey } })).toBe("BLOCK_ERROR_UNKNOWN_PROPOSER");
    expect(run({ ...p.block, parentNotarization: null })).toBe("BLOCK_ERROR_PARENT_NOTARIZATION_MISSING");
    const cert = p.block.parentNotarization!;
    expect(run({ ...p.block, parentNotarization: { ...cert, signers: cert.signers.slice(0, 2) } })).toBe("BLOCK_ERROR_PARENT_NOTARIZATION_NO_QUORUM");
    const forged = cert.signers.map((s, i) => (i === 0 ? { ...s, signature: new Uint8Array(64).fill(1) } : s));
    expect(run({ ...p.block, parentNotarization: { ...cert, signers: forged } })).toBe("BLOCK_ERROR_PARENT_NOTARIZATION_BAD_SIGNATURE");
    expect(run({ ...p.block, parentNotarization: { ...cert, blockHash: new Uint8Array(32) } })).toBe("BLOCK_ERROR_PARENT_NOTARIZATION_WRONG_BLOCK");
    expect(run({ ...p.block, parentNotarization: { ...cert, signers: [{ validator: 99, signature: cert.signers[0]!.signature }] } })).toBe(
      "BLOCK_ERROR_PARENT_NOTARIZATION_UNKNOWN_SIGNER",
    );
  });

  it("is deterministic: the same block on the same state gives the same root and write set", () => {
    const a = new TestChain();
    const b = new TestChain();
    const txs = [transferTx(1, B, 3n), transferTx(2, A, 4n), transferTx(1, fresh, 5n, { nonce: 1n })];
    const ra = a.advance(txs);
    const rb = b.advance(txs);
    expect(toHex(ra.stateRoot)).toBe(toHex(rb.stateRoot));
    expect(ra.writeSet.map((w) => toHex(w.key) + ":" + (w.value ? toHex(w.value) : "-"))).toEqual(
      rb.writeSet.map((w) => toHex(w.key) + ":" + (w.value ? toHex(w.value) : "-")),
    );
  });

  it("state rebuilt from the write sets has the same root (what node/store does on restart)", () => {
    const chain = new TestChain();
    chain.advance([transferTx(1, B, 3n)]);
    chain.advance([transferTx(2, fresh, 3n)]);
    const entries = new Map<string, [Uint8Array, Uint8Array]>();
    for (const [k, v] of createGenesisState(testGenesis()).entries()) entries.set(toHex(k), [k, v]);
    for (const e of chain.executions) for (const w of e.writeSet) {
      if (w.value === null) entries.delete(toHex(w.key));
      else entries.set(toHex(w.key), [w.key, w.value]);
    }
    expect(toHex(WorldState.fromEntries(entries.values()).stateRoot)).toBe(toHex(chain.state.stateRoot));
  });

  it("senders known from the mempool skip recovery", () => {
    const chain = new TestChain();
    const p = chain.nextBlock([transferTx(1, B, 1n), transferTx(2, A, 2n)]);
    if (!p.ok) throw new Error(p.detail);
    const known = new Map(p.body.prepared.map((t) => [toHex(t.hash), t.from]));
    const noRecovery = { ...TEST_CTX, recoverSigner: () => null };
    expect(verifyBlock(chain.state, p.block, noRecovery).ok).toBe(false);
    const r = verifyBlock(chain.state, p.block, noRecovery, { knownSender: (h) => known.get(toHex(h)) });
    expect(r.ok && toHex(r.value.stateRoot)).toBe(toHex(p.execution.stateRoot));
  });

  it("genesis errors name the field", () => {
    const bad = testGenesis();
    bad.validators[2] = { ...bad.validators[2]!, stake: 1n };
    expect(() => createGenesisState(bad)).toThrowError(GenesisStateError);
    try {
      createGenesisState(bad);
    } catch (e) {
      expect((e as GenesisStateError).data.field).toBe("validators[2].stake");
      expect((e as GenesisStateError).code).toBe("GENESIS_STATE_ERROR_INVALID_VALIDATOR");
    }
    expect(() => createGenesisState({ ...testGenesis(), params: { ...TEST_PARAMS, epochLengthBlocks: 0 } })).toThrowError(/params.epochLengthBlocks/);
  });
});
