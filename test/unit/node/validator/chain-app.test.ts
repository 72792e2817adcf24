// ChainApp: builds from the transaction source, verifies peers' blocks with the timestamp rules that execution
// leaves to the node (above the parent's, at most TIMESTAMP_DRIFT_MAX_MS ahead of this node's clock), and
// commits a finalized block it never verified by executing it.

import { describe, expect, it } from "vitest";
import { blockHash } from "../../../../consensus/codec/block-codec.ts";
import { ZERO_HASH, toHex } from "../../../../consensus/crypto/hash.ts";
import { createGenesisState } from "../../../../consensus/execution/genesis-state.ts";
import type { Block } from "../../../../consensus/types.ts";
import { ChainApp, TIMESTAMP_DRIFT_MAX_MS } from "../../../../node/validator/chain-app.ts";
import { ETHER, TEST_CTX, TestChain, accountAddress, testGenesis, transferTx } from "../../../support/execution-fixtures.ts";

const T0 = 1_700_000_000_000;

function app(candidates: Uint8Array[] = []): ChainApp {
  return new ChainApp(TEST_CTX, { hash: ZERO_HASH, height: 0, timestampMs: T0, state: createGenesisState(testGenesis()) }, { candidates: (max) => candidates.slice(0, max) }, 100);
}

function withTimestamp(block: Block, timestampMs: number): Block {
  return { ...block, header: { ...block.header, timestampMs } };
}

describe("ChainApp", () => {
  it("builds a block from the source's candidates, strictly after the parent's timestamp", () => {
    const tx = transferTx(1, accountAddress(2), ETHER, { nonce: 0n });
    const built = app([tx]).build({ parentHash: ZERO_HASH, height: 1, view: 1, timestampMs: T0 - 5, proposer: pickProposer(), parentNotarization: null, evidence: [] });
    expect(built?.block.transactions).toHaveLength(1);
    expect(built!.block.header.timestampMs).toBe(T0 + 1);
  });

  it("refuses timestamps not above the parent's or too far ahead of the clock, and accepts a good block", () => {
    const chain = new TestChain();
    const r = chain.nextBlock();
    if (!r.ok) throw new Error(r.detail);
    const good = r.block;
    const now = good.header.timestampMs;
    const early = withTimestamp(good, T0);
    expect(app().verify(early, blockHash(early.header), now)).toMatchObject({ ok: false, code: "APP_ERROR_TIMESTAMP" });
    const future = withTimestamp(good, now + TIMESTAMP_DRIFT_MAX_MS + 1);
    expect(app().verify(future, blockHash(future.header), now)).toMatchObject({ ok: false, code: "APP_ERROR_TIMESTAMP" });
    expect(app().verify(good, blockHash(good.header), now)).toEqual({ ok: true });
  });

  it("refuses a block whose parent it never executed", () => {
    const chain = new TestChain();
    chain.advance();
    const r = chain.nextBlock();
    if (!r.ok) throw new Error(r.detail);
    expect(app().verify(r.block, blockHash(r.block.header), r.block.header.timestampMs)).toMatchObject({ ok: false, code: "APP_ERROR_UNKNOWN_PARENT" });
  });

  it("commits a finalized block it never verified and moves its committed head", () => {
    const chain = new TestChain();
    const b = chain.advance([transferTx(1, accountAddress(2), ETHER, { nonce: 0n })]);
    const a = app();
    const execution = a.commit(b.block, blockHash(b.block.header));
    expect(execution.receipts).toHaveLength(1);
    expect(a.committed.height).toBe(1);
    expect(toHex(a.committed.state.stateRoot)).toBe(toHex(chain.state.stateRoot));
  });
});

/** The leader of view 1 in the genesis set (the builder checks the proposer is a member). */
function pickProposer(): Uint8Array {
  const r = new TestChain().nextBlock();
  if (!r.ok) throw new Error(r.detail);
  return r.block.header.proposer;
}
