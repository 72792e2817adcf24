// ChainStore on a chain that runs the order lane (real LevelDB in a temp dir): blocks built by ChainApp with lane
// sections from four LaneServices (orders relayed, stamped, fair-ordered, a fill) are committed; reopening gives
// the same lane state; a block whose write set never landed is re-executed to the same lane; a missing or damaged
// lane snapshot is refused with a message that says so.

import { afterEach, describe, expect, it } from "vitest";
import { toHex } from "../../../../consensus/crypto/hash.ts";
import { LaneOp } from "../../../../consensus/lane/lane-call.ts";
import { saveLaneSnapshot } from "../../../../consensus/lane/lane-snapshot.ts";
import { laneStateHash, type LaneState } from "../../../../consensus/lane/lane-state.ts";
import { encodeOrderAction, signOrderAction } from "../../../../consensus/lane/order-codec.ts";
import { OrderFlag } from "../../../../consensus/lane/order.ts";
import { LANE_STATE_KEY } from "../../../../consensus/state/state-keys.ts";
import { keyPairFromSeed } from "../../../../consensus/crypto/ed25519.ts";
import type { DevAccount } from "../../../../genesis/devnet-accounts.ts";
import { heightKey, KeyPrefix } from "../../../../node/store/key-prefix.ts";
import { LaneSnapshotStore } from "../../../../node/store/lane-snapshot-store.ts";
import { openNodeDatabase } from "../../../../node/store/node-database.ts";
import { ChainStore } from "../../../../node/validator/chain-store.ts";
import { placeLeg } from "../../../support/fake-lane-backend.ts";
import { makeTempDirs } from "../../../support/temp-dirs.ts";
import { ALICE, BOB, laneTx } from "../../consensus/execution/lane-chain-fixtures.ts";
import { chainGenesis, CTX, LaneNet, type Step } from "./lane-net-fixture.ts";

const dirs = makeTempDirs("xdpchain-chain-store-lane-");
afterEach(() => dirs.cleanup());

const aliceKey = keyPairFromSeed(new Uint8Array(32).fill(0x41));
const bobKey = keyPairFromSeed(new Uint8Array(32).fill(0x42));
const DEPOSIT_WEI = 1_000n * 10n ** 18n; // 1,000 quote units

function order(who: DevAccount, key: { publicKey: Uint8Array; secretKey: Uint8Array }, nonce: bigint, leg: ReturnType<typeof placeLeg>): Uint8Array {
  const body = { version: 1, chainId: 31337n, account: who.address, tradingKey: key.publicKey, nonce, goodTilBlock: 0n, legs: [leg] };
  return encodeOrderAction(signOrderAction(body, key.secretKey));
}

/**
 * Block 1 registers and funds two trading keys; block 2 carries an IOC buy and a post-only ask that it fills; block
 * 3 a resting bid. All three are committed to the store, or all but the last (`persistLast` false).
 */
async function buildChain(dir: string, persistLast = true): Promise<{ net: LaneNet; steps: Step[] }> {
  const opened = await ChainStore.open(dir, chainGenesis(), CTX);
  const net = new LaneNet(opened.committed);
  const steps: Step[] = [];
  steps.push(net.step([
    laneTx(ALICE, 0n, { op: LaneOp.RegisterKey, tradingKey: aliceKey.publicKey }),
    laneTx(ALICE, 1n, { op: LaneOp.Deposit }, DEPOSIT_WEI),
    laneTx(BOB, 0n, { op: LaneOp.RegisterKey, tradingKey: bobKey.publicKey }),
    laneTx(BOB, 1n, { op: LaneOp.Deposit }, DEPOSIT_WEI),
  ]));
  steps.push(net.step([], [
    order(BOB, bobKey, 1n, placeLeg(1, "buy", 600_100, 2, 1, OrderFlag.Ioc)),
    order(ALICE, aliceKey, 1n, placeLeg(1, "sell", 600_100, 3, 1, OrderFlag.Gtc | OrderFlag.PostOnly)),
  ]));
  steps.push(net.step([], [order(BOB, bobKey, 2n, placeLeg(1, "buy", 599_000, 1, 2, OrderFlag.Gtc | OrderFlag.PostOnly))]));
  for (const [i, s] of steps.entries()) {
    if (i < steps.length - 1 || persistLast) await opened.chain.commitFinalized(s.block, s.finalization, s.execution);
  }
  await opened.chain.close();
  return { net, steps };
}

const laneHex = (lane: LaneState | undefined) => toHex(laneStateHash(lane!));

describe("ChainStore with the order lane", () => {
  it("commits blocks whose lane sections the services built, and reopens with the same lane state", async () => {
    const dir = dirs.make();
    const { net, steps } = await buildChain(dir);
    // The chain really ran the lane: both orders of block 2 executed in fair order (post-only first) and filled.
    const lane2 = steps[1]!.execution.lane!;
    expect(lane2.section.orders).toHaveLength(2);
    expect(lane2.orders.map((o) => [o.account, o.rejected, o.legs])).toEqual([
      [`0x${toHex(ALICE.address)}`, undefined, [{ ok: true }]],
      [`0x${toHex(BOB.address)}`, undefined, [{ ok: true }]],
    ]);
    expect(lane2.orders[1]!.events.filter((e) => e.type === "fill").map((e) => e.type === "fill" && [e.lots, e.priceTicks])).toEqual([[2, 600_100]]);
    expect(steps[2]!.execution.lane!.orders).toHaveLength(1);
    expect(steps.map((s) => s.execution.lane!.section.cutoffUs)).toEqual([1, 2, 3].map((h) => (net.clock.ms - (3 - h) * 1_000 - 50) * 1000));
    const head = net.app.committed;

    const again = await ChainStore.open(dir, chainGenesis(), CTX);
    expect(again.reexecuted).toBe(0);
    expect(again.committed.height).toBe(3);
    expect(toHex(again.committed.hash)).toBe(toHex(steps[2]!.hash));
    expect(laneHex(again.committed.lane)).toBe(laneHex(head.lane));
    expect(again.committed.lane!.cutoffUs).toBe(head.lane!.cutoffUs);
    expect(again.committed.lane!.keys.size).toBe(2);
    expect(toHex(again.committed.state.stateRoot)).toBe(toHex(head.state.stateRoot));
    expect(toHex(again.committed.state.get(LANE_STATE_KEY)!)).toBe(laneHex(head.lane));
    await again.chain.close();

    // Snapshots of the last two heights only.
    const db = await openNodeDatabase(dir);
    const snapshots = new LaneSnapshotStore(db.kv);
    expect([await snapshots.load(1), await snapshots.load(2), await snapshots.load(3)].map((b) => b !== undefined)).toEqual([false, true, true]);
    await db.close();
  });

  it("re-executes a finalized block whose write set was lost, to the same lane (crash before its snapshot)", async () => {
    const dir = dirs.make();
    const { net, steps } = await buildChain(dir, false);
    const db = await openNodeDatabase(dir);
    await db.blocks.saveFinalized(steps[2]!.block, steps[2]!.finalization);
    await db.close();

    const again = await ChainStore.open(dir, chainGenesis(), CTX);
    expect(again.reexecuted).toBe(1);
    expect(again.committed.height).toBe(3);
    expect(laneHex(again.committed.lane)).toBe(laneHex(net.app.committed.lane));
    expect(toHex(again.committed.state.stateRoot)).toBe(toHex(net.app.committed.state.stateRoot));
    expect(await again.chain.loadReceipts(3)).toEqual(steps[2]!.execution.receipts);
    await again.chain.close();

    const third = await ChainStore.open(dir, chainGenesis(), CTX);
    expect(third.reexecuted).toBe(0);
    expect(laneHex(third.committed.lane)).toBe(laneHex(net.app.committed.lane));
    await third.chain.close();
  });

  it("re-executes from the older snapshot when the crash came between the snapshot and the write set", async () => {
    const dir = dirs.make();
    const { net, steps } = await buildChain(dir, false);
    const db = await openNodeDatabase(dir);
    await db.blocks.saveFinalized(steps[2]!.block, steps[2]!.finalization);
    // What commitFinalized writes before the write set: receipts, then the snapshot (which deletes height 1's).
    await new LaneSnapshotStore(db.kv).save(3, saveLaneSnapshot(steps[2]!.execution.lane!.state));
    await db.close();

    const again = await ChainStore.open(dir, chainGenesis(), CTX);
    expect(again.reexecuted).toBe(1);
    expect(laneHex(again.committed.lane)).toBe(laneHex(net.app.committed.lane));
    expect(toHex(again.committed.state.stateRoot)).toBe(toHex(net.app.committed.state.stateRoot));
    await again.chain.close();
  });

  it("refuses to open without the lane snapshot of the state's height, and releases the database", async () => {
    const dir = dirs.make();
    await buildChain(dir);
    const db = await openNodeDatabase(dir);
    await db.kv.write([{ type: "del", key: heightKey(KeyPrefix.LaneSnapshotByHeight, 3) }], { sync: true });
    await db.close();
    await expect(ChainStore.open(dir, chainGenesis(), CTX)).rejects.toMatchObject({
      code: "STORE_ERROR_CORRUPTED",
      message: "STORE_ERROR_CORRUPTED: no order-lane snapshot at height 3: the database predates the lane or lost it",
      data: { height: 3 },
    });
    // The failed open closed the database: it opens again.
    const after = await openNodeDatabase(dir);
    await after.kv.write([{ type: "put", key: heightKey(KeyPrefix.LaneSnapshotByHeight, 3), value: new Uint8Array([1, 2, 3]) }], { sync: true });
    await after.close();
    await expect(ChainStore.open(dir, chainGenesis(), CTX)).rejects.toThrowError(/^STORE_ERROR_CORRUPTED: order-lane snapshot at height 3: /);
  });
});
