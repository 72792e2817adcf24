// Block sync against a fake peer serving a real executed chain (TestChain, 4-block epochs): a good range is
// committed up to the head with the same state root; a forged finalization, a chain that does not extend the
// head, and garbage items are refused (nothing after them is committed); an ancestor covered by a descendant's
// finalization is committed with it.

import { describe, expect, it } from "vitest";
import { blockHash } from "../../../../consensus/codec/block-codec.ts";
import { voteSigningBytes } from "../../../../consensus/codec/vote-codec.ts";
import { nobleVerify, signEd25519 } from "../../../../consensus/crypto/ed25519.ts";
import { ZERO_HASH, toHex } from "../../../../consensus/crypto/hash.ts";
import { validatorSetAt } from "../../../../consensus/execution/epoch.ts";
import { createGenesisState } from "../../../../consensus/execution/genesis-state.ts";
import { VoteKind, type Block, type Certificate } from "../../../../consensus/types.ts";
import type { ValidatorSet } from "../../../../consensus/validator-set.ts";
import { BlockSync } from "../../../../node/validator/block-sync.ts";
import { ChainApp } from "../../../../node/validator/chain-app.ts";
import { encodeSyncItem } from "../../../../node/validator/sync-item.ts";
import { ETHER, TEST_CTX, TestChain, accountAddress, testGenesis, transferTx } from "../../../support/execution-fixtures.ts";
import { TEST_CHAIN_ID, testKey } from "../../../support/fixtures.ts";

const secretByKey = new Map(Array.from({ length: 16 }, (_, i) => [toHex(testKey(i + 1).publicKey), testKey(i + 1).secretKey] as const));

function finalization(set: ValidatorSet, view: number, hash: Uint8Array, signers = set.size): Certificate {
  const body = { kind: VoteKind.Finalize, view, blockHash: hash };
  const message = voteSigningBytes(TEST_CHAIN_ID, body);
  return { ...body, signers: set.validators.slice(0, signers).map((v, validator) => ({ validator, signature: signEd25519(secretByKey.get(toHex(v.publicKey))!, message) })) };
}

/** `value` changes the transfers, so two chains with different values diverge from block 2 on. */
function buildChain(blocks: number, value = ETHER): { chain: TestChain; certs: Certificate[] } {
  const chain = new TestChain();
  const certs: Certificate[] = [];
  for (let h = 1; h <= blocks; h++) {
    const set = validatorSetAt(chain.state);
    const r = chain.advance(h % 2 === 0 ? [transferTx(1, accountAddress(2), value, { nonce: BigInt(h / 2 - 1) })] : []);
    if (h % 2 === 0) expect(r.block.transactions).toHaveLength(1);
    certs.push(finalization(set, r.block.header.view, blockHash(r.block.header)));
  }
  return { chain, certs };
}

function freshApp(): ChainApp {
  return new ChainApp(TEST_CTX, { hash: ZERO_HASH, height: 0, timestampMs: 0, state: createGenesisState(testGenesis()) }, { candidates: () => [] }, 100);
}

const quietLog = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

function syncer(app: ChainApp, items: (from: number, count: number) => Uint8Array[], head: number) {
  const committed: Block[] = [];
  const warnings: string[] = [];
  const sync = new BlockSync({
    app,
    chainId: TEST_CHAIN_ID,
    verify: nobleVerify,
    epochLengthBlocks: TEST_CTX.params.epochLengthBlocks,
    peers: {
      peerStatuses: async () => [{ peerId: "peer", finalizedHeight: head }],
      requestBlocksByRange: async (_peer, from, count) => items(from, count),
    },
    committed: (block) => committed.push(block),
    log: { ...quietLog, warn: (msg: string, data?: object) => warnings.push(`${msg} ${JSON.stringify(data)}`) },
  });
  return { sync, committed, warnings };
}

describe("BlockSync", () => {
  it("commits a good range up to the peer's head, across epoch boundaries, with the same state root", async () => {
    const { chain, certs } = buildChain(10);
    const app = freshApp();
    const requests: [number, number][] = [];
    const { sync, committed } = syncer(app, (from, count) => {
      requests.push([from, count]);
      return chain.blocks.slice(from - 1, from - 1 + count).map((b, i) => encodeSyncItem(b, certs[from - 1 + i]!));
    }, 10);
    const best = await sync.bestPeer();
    expect(best?.finalizedHeight).toBe(10);
    const added = await sync.catchUp(best!, new AbortController().signal);
    expect(added).toBe(10);
    expect(committed.map((b) => b.header.height)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(toHex(app.committed.state.stateRoot)).toBe(toHex(chain.state.stateRoot));
    // Ranges never cross an epoch boundary (epochs of 4 blocks), so each batch has one validator set.
    expect(requests).toEqual([[1, 4], [5, 4], [9, 4]]);
  });

  it("refuses a forged finalization and commits nothing from that point on", async () => {
    const { chain, certs } = buildChain(8);
    const forged = certs.map((c, i) => (i === 5 ? { ...c, signers: c.signers.map((s, j) => (j === 0 ? { ...s, signature: new Uint8Array(64).fill(7) } : s)) } : c));
    const app = freshApp();
    const { sync, warnings } = syncer(app, (from, count) => chain.blocks.slice(from - 1, from - 1 + count).map((b, i) => encodeSyncItem(b, forged[from - 1 + i]!)), 8);
    await sync.catchUp({ peerId: "peer", finalizedHeight: 8 }, new AbortController().signal);
    // Block 5 has its own valid certificate; block 6's is forged, so 6..8 stay out.
    expect(app.committed.height).toBe(5);
    expect(warnings.join("\n")).toMatch(/SYNC_REJECT_BAD_SIGNATURE/);
  });

  it("refuses a finalization without a quorum of stake", async () => {
    const { chain, certs } = buildChain(2);
    const set = validatorSetAt(createGenesisState(testGenesis()));
    const weak = [finalization(set, chain.blocks[0]!.header.view, blockHash(chain.blocks[0]!.header), 2), certs[1]!];
    const app = freshApp();
    const { sync, warnings } = syncer(app, (from, count) => chain.blocks.slice(from - 1, from - 1 + count).map((b, i) => encodeSyncItem(b, weak[from - 1 + i]!)), 2);
    await sync.catchUp({ peerId: "peer", finalizedHeight: 2 }, new AbortController().signal);
    // Block 1's own certificate lacks a quorum; block 2's covers nothing below it, so neither commits.
    expect(app.committed.height).toBe(0);
    expect(warnings.join("\n")).toMatch(/SYNC_REJECT_NO_QUORUM/);
  });

  it("commits ancestors covered by a descendant's finalization", async () => {
    const { chain, certs } = buildChain(4);
    // Blocks 1..3 come with block 4's finalization (finalized as its ancestors), block 4 with its own.
    const covering = [certs[3]!, certs[3]!, certs[3]!, certs[3]!];
    const app = freshApp();
    const { sync, committed } = syncer(app, (from, count) => chain.blocks.slice(from - 1, from - 1 + count).map((b, i) => encodeSyncItem(b, covering[from - 1 + i]!)), 4);
    await sync.catchUp({ peerId: "peer", finalizedHeight: 4 }, new AbortController().signal);
    expect(committed).toHaveLength(4);
    expect(app.committed.height).toBe(4);
  });

  it("refuses blocks that do not extend its head, and garbage items", async () => {
    const { chain, certs } = buildChain(3);
    const other = buildChain(4, 2n * ETHER);
    expect(toHex(blockHash(other.chain.blocks[1]!.header))).not.toBe(toHex(blockHash(chain.blocks[1]!.header)));
    const app = freshApp();
    const mixed = (from: number, count: number) =>
      [encodeSyncItem(chain.blocks[0]!, certs[0]!), encodeSyncItem(chain.blocks[1]!, certs[1]!), encodeSyncItem(other.chain.blocks[2]!, other.certs[2]!)].slice(
        from - 1,
        from - 1 + count,
      );
    const s1 = syncer(app, mixed, 3);
    await s1.sync.catchUp({ peerId: "peer", finalizedHeight: 3 }, new AbortController().signal);
    // Block 3 of the other chain (validly finalized there) sits on the other chain's block 2.
    expect(app.committed.height).toBe(2);
    expect(s1.warnings.join("\n")).toMatch(/does not extend the chain/);

    const s2 = syncer(app, () => [new Uint8Array([1, 2, 3]), new Uint8Array(0)], 3);
    expect(await s2.sync.catchUp({ peerId: "peer", finalizedHeight: 3 }, new AbortController().signal)).toBe(0);
    expect(app.committed.height).toBe(2);
    expect(s2.warnings.join("\n")).toMatch(/item 0/);
  });
});
