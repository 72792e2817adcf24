// ChainStore on a real LevelDB in a temp dir: committed blocks, receipts and transaction locations survive a
// reopen with the same state root; a block saved as finalized whose write set never landed (a crash between the
// two writes) is re-executed on open; the epoch anchor notarization round-trips.

import { afterEach, describe, expect, it } from "vitest";
import { blockHash } from "../../../../consensus/codec/block-codec.ts";
import { voteSigningBytes } from "../../../../consensus/codec/vote-codec.ts";
import { signEd25519 } from "../../../../consensus/crypto/ed25519.ts";
import { ZERO_HASH, toHex } from "../../../../consensus/crypto/hash.ts";
import { createGenesisState } from "../../../../consensus/execution/genesis-state.ts";
import { VoteKind, type Block, type Certificate } from "../../../../consensus/types.ts";
import { openNodeDatabase } from "../../../../node/store/node-database.ts";
import { ChainStore } from "../../../../node/validator/chain-store.ts";
import { ETHER, TEST_CTX, TestChain, accountAddress, notarize, testGenesis, transferTx } from "../../../support/execution-fixtures.ts";
import { TEST_CHAIN_ID, testKey } from "../../../support/fixtures.ts";
import { makeTempDirs } from "../../../support/temp-dirs.ts";
import { validatorSetAt } from "../../../../consensus/execution/epoch.ts";

const dirs = makeTempDirs("xdpchain-chain-store-");
afterEach(() => dirs.cleanup());
const tempDir = () => dirs.make();

function finalization(block: Block): Certificate {
  const body = { kind: VoteKind.Finalize, view: block.header.view, blockHash: blockHash(block.header) };
  const message = voteSigningBytes(TEST_CHAIN_ID, body);
  return { ...body, signers: [1, 2, 3, 4].map((n, validator) => ({ validator, signature: signEd25519(testKey(n).secretKey, message) })) };
}

const genesis = () => ({ hash: ZERO_HASH, timestampMs: 1_700_000_000_000, state: createGenesisState(testGenesis()) });

describe("ChainStore", () => {
  it("reopens at the committed head with the same state, receipts and transaction locations", async () => {
    const dir = tempDir();
    const chain = new TestChain();
    const opened = await ChainStore.open(dir, genesis(), TEST_CTX);
    expect(opened.committed.height).toBe(0);
    const txHashes: string[] = [];
    for (let h = 1; h <= 3; h++) {
      const r = chain.advance([transferTx(1, accountAddress(2), ETHER, { nonce: BigInt(h - 1) })]);
      txHashes.push(toHex(r.receipts[0]!.transactionHash));
      await opened.chain.commitFinalized(r.block, finalization(r.block), chain.executions[h - 1]!);
    }
    await opened.chain.close();

    const again = await ChainStore.open(dir, genesis(), TEST_CTX);
    expect(again.committed.height).toBe(3);
    expect(again.reexecuted).toBe(0);
    expect(toHex(again.committed.hash)).toBe(toHex(blockHash(chain.blocks[2]!.header)));
    expect(toHex(again.committed.state.stateRoot)).toBe(toHex(chain.state.stateRoot));
    const loc = await again.chain.loadLocation(chainHash(txHashes[1]!));
    expect(loc).toEqual({ height: 2, index: 0 });
    const receipts = await again.chain.loadReceipts(2);
    expect(receipts?.map((r) => toHex(r.transactionHash))).toEqual([txHashes[1]]);
    await again.chain.close();
  });

  it("re-executes a finalized block whose write set was lost in a crash", async () => {
    const dir = tempDir();
    const chain = new TestChain();
    const opened = await ChainStore.open(dir, genesis(), TEST_CTX);
    const b1 = chain.advance([transferTx(1, accountAddress(2), ETHER, { nonce: 0n })]);
    await opened.chain.commitFinalized(b1.block, finalization(b1.block), chain.executions[0]!);
    await opened.chain.close();
    // Block 2 reaches the block store, but the crash comes before its receipts and write set.
    const b2 = chain.advance([transferTx(1, accountAddress(2), ETHER, { nonce: 1n })]);
    const db = await openNodeDatabase(dir);
    await db.blocks.saveFinalized(b2.block, finalization(b2.block));
    await db.close();

    const again = await ChainStore.open(dir, genesis(), TEST_CTX);
    expect(again.reexecuted).toBe(1);
    expect(again.committed.height).toBe(2);
    expect(toHex(again.committed.state.stateRoot)).toBe(toHex(chain.state.stateRoot));
    expect(await again.chain.loadReceipts(2)).toHaveLength(1);
    await again.chain.close();
  });

  it("keeps the epoch anchor's notarization", async () => {
    const dir = tempDir();
    const opened = await ChainStore.open(dir, genesis(), TEST_CTX);
    expect(await opened.chain.loadEpochAnchorNotarization()).toBeNull();
    const cert = notarize(validatorSetAt(createGenesisState(testGenesis())), 9, new Uint8Array(32).fill(3));
    await opened.chain.saveEpochAnchorNotarization(cert);
    await opened.chain.close();
    const again = await ChainStore.open(dir, genesis(), TEST_CTX);
    expect((await again.chain.loadEpochAnchorNotarization())?.view).toBe(9);
    await again.chain.close();
  });
});

function chainHash(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, "hex"));
}
