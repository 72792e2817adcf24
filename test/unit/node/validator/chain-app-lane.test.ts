// ChainApp on a chain with the order lane: a replica verifies the leader's blocks (lane sections from the lane
// services) to the same lane state per block, refuses a reordered lane, commits and moves its lane head; a chain
// with the lane cannot propose without a lane section source.
import { describe, expect, it } from "vitest";
import { blockHash } from "../../../../consensus/codec/block-codec.ts";
import { keyPairFromSeed } from "../../../../consensus/crypto/ed25519.ts";
import { toHex, ZERO_HASH } from "../../../../consensus/crypto/hash.ts";
import { validatorSetAt } from "../../../../consensus/execution/epoch.ts";
import { LaneOp } from "../../../../consensus/lane/lane-call.ts";
import { laneStateHash, type LaneState } from "../../../../consensus/lane/lane-state.ts";
import { encodeOrderAction, signOrderAction } from "../../../../consensus/lane/order-codec.ts";
import { OrderFlag } from "../../../../consensus/lane/order.ts";
import type { Block } from "../../../../consensus/types.ts";
import { ChainApp, type Committed } from "../../../../node/validator/chain-app.ts";
import { placeLeg } from "../../../support/fake-lane-backend.ts";
import { ALICE, laneTx } from "../../consensus/execution/lane-chain-fixtures.ts";
import { chainGenesis, CTX, LaneNet } from "./lane-net-fixture.ts";

const key = keyPairFromSeed(new Uint8Array(32).fill(0x41));

function genesisCommitted(): Committed {
  const g = chainGenesis();
  return { hash: g.hash, height: 0, timestampMs: g.timestampMs, state: g.state, lane: g.lane!.state };
}

function ask(nonce: bigint, clientOrderId: number): Uint8Array {
  const legs = [placeLeg(1, "sell", 600_100 + clientOrderId, 1, clientOrderId, OrderFlag.Gtc | OrderFlag.PostOnly)];
  return encodeOrderAction(signOrderAction({ version: 1, chainId: 31337n, account: ALICE.address, tradingKey: key.publicKey, nonce, goodTilBlock: 0n, legs }, key.secretKey));
}

const laneHex = (lane: LaneState | undefined) => toHex(laneStateHash(lane!));

describe("ChainApp with the order lane", () => {
  it("verifies the leader's lane blocks on a replica to the same lane state, and refuses a reordered lane", () => {
    const net = new LaneNet(genesisCommitted());
    const replica = new ChainApp(CTX, genesisCommitted(), { candidates: () => [] }, 100);
    const s1 = net.step([laneTx(ALICE, 0n, { op: LaneOp.RegisterKey, tradingKey: key.publicKey }), laneTx(ALICE, 1n, { op: LaneOp.Deposit }, 10n ** 21n)]);
    const s2 = net.step([], [ask(1n, 1), ask(2n, 2)]);
    expect(s2.block.lane!.orders).toHaveLength(2);

    expect(replica.verify(s1.block, s1.hash, s1.block.header.timestampMs)).toEqual({ ok: true });
    expect(laneHex(replica.laneOf(s1.hash))).toBe(laneHex(s1.execution.lane!.state));
    const reordered: Block = { ...s2.block, lane: { ...s2.block.lane!, orders: [...s2.block.lane!.orders].reverse() } };
    expect(replica.verify(reordered, blockHash(reordered.header), s2.block.header.timestampMs)).toMatchObject({ ok: false, code: "BLOCK_ERROR_INVALID_LANE" });
    expect(replica.verify(s2.block, s2.hash, s2.block.header.timestampMs)).toEqual({ ok: true });
    expect(laneHex(replica.laneOf(s2.hash))).toBe(laneHex(net.app.committed.lane));

    replica.commit(s1.block, s1.hash);
    replica.commit(s2.block, s2.hash);
    expect(replica.committed.height).toBe(2);
    expect(laneHex(replica.committed.lane)).toBe(laneHex(net.app.committed.lane));
    expect(replica.committed.lane!.cutoffUs).toBe(s2.block.lane!.cutoffUs);
    expect(replica.laneOf(s1.hash)).toBeUndefined(); // below the committed head: forgotten
  });

  it("needs a lane section source to propose on a chain with the lane", () => {
    const committed = genesisCommitted();
    const app = new ChainApp(CTX, committed, { candidates: () => [] }, 100);
    const set = validatorSetAt(committed.state);
    expect(() => app.build({ parentHash: committed.hash, height: 1, view: 3, timestampMs: committed.timestampMs + 1_000, proposer: set.get(set.leaderOf(3))!.publicKey, parentNotarization: null, evidence: [] }))
      .toThrowError("a chain with the order lane needs a lane section source to propose");
    expect(app.laneOf(committed.hash)).toBe(committed.lane);
    expect(app.laneOf(ZERO_HASH)).toBeUndefined();
  });
});
