// Blocks with an order-lane section on a 4-validator devnet genesis (DEVNET_LANE): wallet lane calls move wei
// exactly, signed receipt batches and orders from registered, funded trading keys execute in fair order (a
// resting post-only ask fills an IOC buy), a fresh replica re-executes to the same roots, the stateRoot commits
// to laneStateHash, and every lane rule rejects with BLOCK_ERROR_INVALID_LANE.
import { describe, expect, it } from "vitest";
import { keyPairFromSeed } from "../../../../consensus/crypto/ed25519.ts";
import { toHex, ZERO_HASH } from "../../../../consensus/crypto/hash.ts";
import { executeBlock, verifyBlock, type ExecuteBlockResult } from "../../../../consensus/execution/execute-block.ts";
import { laneRoot } from "../../../../consensus/lane/fair-order.ts";
import { LANE_ADDRESS, LaneOp, WEI_PER_QUOTE } from "../../../../consensus/lane/lane-call.ts";
import { emptyBlockLane, type BlockLane } from "../../../../consensus/lane/lane-section.ts";
import { laneStateHash, type LaneState } from "../../../../consensus/lane/lane-state.ts";
import { orderId, signOrderAction } from "../../../../consensus/lane/order-codec.ts";
import { ActionKind, OrderFlag, ORDER_VERSION, Side, TriggerKind, type OrderAction, type OrderLeg } from "../../../../consensus/lane/order.ts";
import { getAccount } from "../../../../consensus/state/state-access.ts";
import { LANE_STATE_KEY } from "../../../../consensus/state/state-keys.ts";
import type { Block } from "../../../../consensus/types.ts";
import type { DevAccount } from "../../../../genesis/devnet-accounts.ts";
import { DEVNET_LANE, genesisLaneOf } from "../../../../genesis/genesis-lane.ts";
import { genesisWorldState } from "../../../../genesis/genesis-state-input.ts";
import { ALICE, BOB, CAROL, ETHER, GAS_PRICE, LANE_CALL_GAS, LaneChain, laneTx, transferTx } from "./lane-chain-fixtures.ts";

const BTC = 1;
const ETH = 2;
const aliceKey = keyPairFromSeed(new Uint8Array(32).fill(0x41));
const bobKey = keyPairFromSeed(new Uint8Array(32).fill(0x42));
const DEPOSIT_QUOTE = 1_000n * 1_000_000n; // 1,000 units of the collateral asset
const DEPOSIT_WEI = DEPOSIT_QUOTE * WEI_PER_QUOTE; // 1,000 ether
const START_WEI = 10_000n * ETHER;
const LANE_CALL_FEE = LANE_CALL_GAS * GAS_PRICE;
const INSURANCE_WEI = DEVNET_LANE.insuranceFundQuote * WEI_PER_QUOTE;

function leg(over: Partial<OrderLeg>): OrderLeg {
  return {
    marketId: BTC, action: ActionKind.Place, side: Side.Buy, flags: OrderFlag.Gtc, triggerKind: TriggerKind.None,
    priceTicks: 600_000n, sizeLots: 2n, triggerPriceTicks: 0n, clientOrderId: 1, targetClientOrderId: 0, ...over,
  };
}

function order(who: DevAccount, key: { publicKey: Uint8Array; secretKey: Uint8Array }, nonce: bigint, legs: OrderLeg[]): OrderAction {
  return signOrderAction({ version: ORDER_VERSION, chainId: 31337n, account: who.address, tradingKey: key.publicKey, nonce, goodTilBlock: 0n, legs }, key.secretKey);
}

const ask = order(ALICE, aliceKey, 1n, [leg({ side: Side.Sell, flags: OrderFlag.Gtc | OrderFlag.PostOnly, priceTicks: 600_100n })]);
const buy = order(BOB, bobKey, 1n, [leg({ side: Side.Buy, flags: OrderFlag.Ioc, priceTicks: 600_200n })]);

/** Block 1: Alice and Bob register their trading keys and deposit 1,000 units each through LANE_ADDRESS. */
function fundedChain(): { chain: LaneChain; block1: ReturnType<LaneChain["advance"]> } {
  const chain = new LaneChain();
  const block1 = chain.advance(chain.plan(), [
    laneTx(ALICE, 0n, { op: LaneOp.RegisterKey, tradingKey: aliceKey.publicKey }),
    laneTx(ALICE, 1n, { op: LaneOp.Deposit }, DEPOSIT_WEI),
    laneTx(BOB, 0n, { op: LaneOp.RegisterKey, tradingKey: bobKey.publicKey }),
    laneTx(BOB, 1n, { op: LaneOp.Deposit }, DEPOSIT_WEI),
  ]);
  return { chain, block1 };
}

/**
 * Block 2's plan: the IOC buy stamped 100 ms after block 1, the post-only ask 1 ms later (every validator, a few µs
 * apart); watermarks 50 ms before block 2's time, so that is the cut-off.
 */
function tradePlan(chain: LaneChain, orders: OrderAction[] = [buy, ask]) {
  const t = chain.timestampMs(2) * 1000 - 900_000;
  const stampsOf = (i: number) => [0, 1, 2, 3].map((v) => t + i * 1_000 + v * 7);
  const stamps = [0, 1, 2, 3].map((v) => orders.map((_, i) => stampsOf(i)[v]!));
  return chain.plan({ orders, stamps, watermarksUs: [0, 1, 2, 3].map(() => chain.timestampMs(2) * 1000 - 50_000), prices: [{ marketId: BTC, priceTicks: 600_000 }] });
}

/** A valid block on the chain's head for `section`, then the block with `change` applied, executed on the head. */
function runMutated(chain: LaneChain, proposalSection: ReturnType<LaneChain["plan"]>, change: (b: Block) => Block): ExecuteBlockResult {
  const r = chain.propose(proposalSection);
  if (!r.ok) throw new Error(`${r.code} ${r.detail}`);
  return executeBlock(chain.state, change(r.block), chain.ctx, { lane: chain.lane });
}

function laneVerdict(r: ExecuteBlockResult): string {
  return r.ok ? "ok" : `${r.code}: ${r.detail}`;
}

function withLane(b: Block, lane: BlockLane, laneRootHash = b.header.laneRoot): Block {
  return { ...b, lane, header: { ...b.header, laneRoot: laneRootHash } };
}

describe("genesis with the order lane", () => {
  it("holds the insurance fund in wei at LANE_ADDRESS and the genesis lane's hash under LANE_STATE_KEY", () => {
    const chain = new LaneChain();
    expect(INSURANCE_WEI).toBe(10n ** 24n);
    expect(getAccount(chain.state, LANE_ADDRESS)).toEqual({ balance: INSURANCE_WEI, nonce: 0n });
    expect(chain.lane.engine.insuranceFundQuote).toBe(DEVNET_LANE.insuranceFundQuote);
    expect(toHex(chain.state.get(LANE_STATE_KEY)!)).toBe(toHex(laneStateHash(chain.lane)));
    expect([...chain.lane.engine.markets.keys()]).toEqual([BTC, ETH]);
    expect([...chain.lane.engine.oracles].sort()).toEqual(chain.genesis.validators.map((v) => toHex(v.publicKey)).sort());
  });

  it("a chain without the lane has neither the escrow nor the lane key", () => {
    const chain = new LaneChain({ lane: null });
    expect(chain.genesis.lane).toBeUndefined();
    expect(chain.state.get(LANE_STATE_KEY)).toBeUndefined();
    expect(getAccount(chain.state, LANE_ADDRESS)).toEqual({ balance: 0n, nonce: 0n });
  });
});

describe("lane system calls in blocks", () => {
  it("register and deposit move exactly the deposit from the sender to LANE_ADDRESS", () => {
    const { chain, block1 } = fundedChain();
    expect(block1.receipts.map((r) => [r.status, r.revertCode, r.gasUsed])).toEqual([
      [1, null, LANE_CALL_GAS], [1, null, LANE_CALL_GAS], [1, null, LANE_CALL_GAS], [1, null, LANE_CALL_GAS],
    ]);
    for (const who of [ALICE, BOB]) {
      expect(getAccount(chain.state, who.address)).toEqual({ balance: START_WEI - 2n * LANE_CALL_FEE - DEPOSIT_WEI, nonce: 2n });
      expect(chain.lane.engine.accounts.get(`0x${toHex(who.address)}`)!.collateralQuote).toBe(DEPOSIT_QUOTE);
    }
    expect(getAccount(chain.state, LANE_ADDRESS).balance).toBe(INSURANCE_WEI + 2n * DEPOSIT_WEI);
    expect(chain.lane.keys.get(toHex(aliceKey.publicKey))!.account).toBe(`0x${toHex(ALICE.address)}`);
    expect(block1.lane!.blockEvents).toEqual([
      { type: "deposited", account: `0x${toHex(ALICE.address)}`, amountQuote: DEPOSIT_QUOTE },
      { type: "deposited", account: `0x${toHex(BOB.address)}`, amountQuote: DEPOSIT_QUOTE },
    ]);
    expect(toHex(chain.state.get(LANE_STATE_KEY)!)).toBe(toHex(laneStateHash(chain.lane)));
  });

  it("a refused withdrawal reverts with its code and moves nothing but the fee; a good one moves exactly its amount", () => {
    const { chain } = fundedChain();
    const aliceBefore = getAccount(chain.state, ALICE.address).balance;
    const escrowBefore = getAccount(chain.state, LANE_ADDRESS).balance;
    const r = chain.advance(chain.plan(), [
      laneTx(ALICE, 2n, { op: LaneOp.Withdraw, amountQuote: DEPOSIT_QUOTE + 1n }),
      laneTx(ALICE, 3n, { op: LaneOp.Deposit }, WEI_PER_QUOTE + 1n),
      laneTx(ALICE, 4n, { op: LaneOp.Withdraw, amountQuote: 250_000_000n }),
    ]);
    expect(r.receipts.map((x) => [x.status, x.revertCode])).toEqual([[0, "LANE_CALL_ERROR_REFUSED"], [0, "LANE_CALL_ERROR_BAD_AMOUNT"], [1, null]]);
    expect(getAccount(chain.state, ALICE.address).balance).toBe(aliceBefore - 3n * LANE_CALL_FEE + 250_000_000n * WEI_PER_QUOTE);
    expect(getAccount(chain.state, LANE_ADDRESS).balance).toBe(escrowBefore - 250_000_000n * WEI_PER_QUOTE);
    expect(chain.lane.engine.accounts.get(`0x${toHex(ALICE.address)}`)!.collateralQuote).toBe(DEPOSIT_QUOTE - 250_000_000n);
  });

  it("the builder sees a deposit's debit: a later transfer the sender can no longer pay is skipped, not a failed proposal", () => {
    const chain = new LaneChain();
    const r = chain.propose(chain.plan(), [
      laneTx(ALICE, 0n, { op: LaneOp.Deposit }, START_WEI - ETHER),
      transferTx(ALICE, 1n, CAROL.address, 2n * ETHER),
    ]);
    expect(r.ok ? r.body.skipped.map((s) => s.code) : `${r.code}: ${r.detail}`).toEqual(["TX_ERROR_INSUFFICIENT_FUNDS"]);
    if (!r.ok) return;
    expect(r.block.transactions).toHaveLength(1);
    expect(r.execution.receipts.map((x) => x.status)).toEqual([1]);
    expect(getAccount(r.execution.state, ALICE.address).balance).toBe(ETHER - LANE_CALL_FEE);
  });

  it("on a chain without the lane a lane call reverts with LANE_CALL_ERROR_NO_LANE and keeps its value", () => {
    const chain = new LaneChain({ lane: null });
    const r = chain.advance(chain.plan(), [laneTx(ALICE, 0n, { op: LaneOp.Deposit }, DEPOSIT_WEI)]);
    expect(r.receipts.map((x) => [x.status, x.revertCode])).toEqual([[0, "LANE_CALL_ERROR_NO_LANE"]]);
    expect(getAccount(chain.state, ALICE.address).balance).toBe(START_WEI - LANE_CALL_FEE);
    expect(getAccount(chain.state, LANE_ADDRESS).balance).toBe(0n);
    expect(r.lane).toBeUndefined();
  });
});

describe("orders in a block's lane section", () => {
  it("executes in fair order: the post-only ask (stamped later) rests first and the IOC buy fills against it", () => {
    const { chain } = fundedChain();
    const plan = tradePlan(chain);
    // class order puts the post-only ask before the IOC buy although the buy was stamped first
    expect(plan.section.orders.map((o) => toHex(orderId(o)))).toEqual([ask, buy].map((o) => toHex(orderId(o))));
    expect(plan.section.cutoffUs).toBe(chain.timestampMs(2) * 1000 - 50_000);
    const r = chain.advance(plan);
    const lane = r.lane!;
    expect(lane.orders.map((o) => [o.orderId, o.rejected, o.legs])).toEqual([
      [toHex(orderId(ask)), undefined, [{ ok: true }]],
      [toHex(orderId(buy)), undefined, [{ ok: true }]],
    ]);
    const fill = lane.orders[1]!.events.find((e) => e.type === "fill");
    // notional 600,100 ticks x 2 lots x 100 quote units = 120,020,000; taker 5 bps, maker 2 bps (rounded up)
    expect(fill).toEqual({
      type: "fill", marketId: BTC, priceTicks: 600_100, lots: 2, taker: `0x${toHex(BOB.address)}`, takerNonce: 1, takerSide: "buy",
      maker: `0x${toHex(ALICE.address)}`, makerNonce: 1, takerFeeQuote: 60_010n, makerFeeQuote: 24_004n,
    });
    const alice = chain.lane.engine.accounts.get(`0x${toHex(ALICE.address)}`)!;
    const bob = chain.lane.engine.accounts.get(`0x${toHex(BOB.address)}`)!;
    expect([alice.markets.get(BTC)!.sizeLots, bob.markets.get(BTC)!.sizeLots]).toEqual([-2, 2]);
    expect([alice.collateralQuote, bob.collateralQuote]).toEqual([DEPOSIT_QUOTE - 24_004n, DEPOSIT_QUOTE - 60_010n]);
    expect(chain.lane.cutoffUs).toBe(plan.section.cutoffUs);
    expect(chain.lane.keys.get(toHex(aliceKey.publicKey))!.window).toEqual({ highest: 1n, seen: 1n });
    expect(chain.lane.engine.markets.get(BTC)!.indexSubmissions.get(toHex(r.block.header.proposer))).toEqual({ priceTicks: 600_000, height: 2 });
    expect(toHex(r.block.header.laneRoot)).toBe(toHex(laneRoot([orderId(ask), orderId(buy)])));
    expect(toHex(chain.state.get(LANE_STATE_KEY)!)).toBe(toHex(laneStateHash(chain.lane)));
  });

  it("a fresh replica verifies every block to the same stateRoot and lane state", () => {
    const { chain } = fundedChain();
    chain.advance(tradePlan(chain));
    chain.advance(chain.plan({ prices: [{ marketId: ETH, priceTicks: 300_500 }] }));
    let state = genesisWorldState(chain.genesis);
    let lane: LaneState = genesisLaneOf(chain.genesis.lane!, chain.genesis.validators).state;
    chain.blocks.forEach((block, i) => {
      const r = verifyBlock(state, block, chain.ctx, { lane });
      if (!r.ok) throw new Error(`block ${i + 1}: ${r.code} ${r.detail}`);
      expect(toHex(r.value.stateRoot)).toBe(toHex(block.header.stateRoot));
      expect(toHex(laneStateHash(r.value.lane!.state))).toBe(toHex(laneStateHash(chain.executions[i]!.lane!.state)));
      state = r.value.state;
      lane = r.value.lane!.state;
    });
    expect(toHex(state.stateRoot)).toBe(toHex(chain.state.stateRoot));
    expect(toHex(state.get(LANE_STATE_KEY)!)).toBe(toHex(laneStateHash(lane)));
  });

  it("a block without a lane section on a lane chain ticks the engine and keeps the cut-off", () => {
    const { chain } = fundedChain();
    chain.advance(tradePlan(chain));
    const cutoff = chain.lane.cutoffUs;
    const r = runMutated(chain, chain.plan(), (b) => ({ header: b.header, transactions: b.transactions, evidence: b.evidence, parentNotarization: b.parentNotarization }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.lane!.state.cutoffUs).toBe(cutoff);
    expect(r.value.lane!.state.engine.height).toBe(3);
    expect(chain.lane.engine.height).toBe(2); // the parent's lane state is never changed
  });
});

describe("lane section rejections (BLOCK_ERROR_INVALID_LANE)", () => {
  it("a cut-off below the parent's", () => {
    const { chain } = fundedChain();
    chain.advance(tradePlan(chain));
    const parentCutoff = chain.lane.cutoffUs;
    const r = runMutated(chain, chain.plan(), (b) => withLane(b, emptyBlockLane(parentCutoff - 1)));
    expect(laneVerdict(r)).toBe(`BLOCK_ERROR_INVALID_LANE: cut-off ${parentCutoff - 1} below the parent's ${parentCutoff}`);
  });

  it("a cut-off after the block's timestamp", () => {
    const { chain } = fundedChain();
    const plan = tradePlan(chain);
    const late = plan.header.timestampMs * 1000 + 1;
    const r = runMutated(chain, plan, (b) => withLane(b, { ...b.lane!, cutoffUs: late }));
    expect(laneVerdict(r)).toBe(`BLOCK_ERROR_INVALID_LANE: cut-off ${late} after the block's timestamp`);
    // exactly the block's time is allowed by the shape rule (here the watermark rule then refuses it)
    const atTime = runMutated(chain, plan, (b) => withLane(b, { ...b.lane!, cutoffUs: plan.header.timestampMs * 1000 }));
    expect(laneVerdict(atTime)).toMatch(/^BLOCK_ERROR_INVALID_LANE: LANE_ERROR_CUTOFF_ABOVE_WATERMARK/);
  });

  it("evidence or orders under an unchanged cut-off", () => {
    const { chain } = fundedChain();
    const plan = tradePlan(chain);
    const same = chain.lane.cutoffUs;
    const message = "BLOCK_ERROR_INVALID_LANE: a lane that does not advance its cut-off carries no evidence and no orders";
    expect(laneVerdict(runMutated(chain, plan, (b) => withLane(b, { ...b.lane!, cutoffUs: same, orders: [] }, ZERO_HASH)))).toBe(message);
    expect(laneVerdict(runMutated(chain, plan, (b) => withLane(b, { ...b.lane!, cutoffUs: same, evidence: [] }, ZERO_HASH)))).toBe(message);
    // prices alone are fine under an unchanged cut-off
    expect(laneVerdict(runMutated(chain, plan, (b) => withLane(b, { ...emptyBlockLane(same), prices: b.lane!.prices }, ZERO_HASH)))).toBe("ok");
  });

  it("a nonzero laneRoot for an empty lane, with or without a section", () => {
    const { chain } = fundedChain();
    const nonzero = new Uint8Array(32).fill(1);
    expect(laneVerdict(runMutated(chain, chain.plan(), (b) => withLane(b, b.lane!, nonzero)))).toBe("BLOCK_ERROR_INVALID_LANE: laneRoot of an empty lane must be zero");
    const noSection = runMutated(chain, chain.plan(), (b) => ({ header: { ...b.header, laneRoot: nonzero }, transactions: b.transactions, evidence: b.evidence, parentNotarization: b.parentNotarization }));
    expect(laneVerdict(noSection)).toBe("BLOCK_ERROR_INVALID_LANE: laneRoot without a lane section");
  });

  it("an advancing cut-off that no quorum's watermark covers", () => {
    const { chain } = fundedChain();
    const r = runMutated(chain, chain.plan(), (b) => withLane(b, emptyBlockLane(5)));
    expect(laneVerdict(r)).toMatch(/^BLOCK_ERROR_INVALID_LANE: LANE_ERROR_CUTOFF_ABOVE_WATERMARK/);
  });

  it("prices for unknown or repeated markets, out of range, or more than there are markets", () => {
    const { chain } = fundedChain();
    const max = chain.lane.engine.markets.get(BTC)!.market.maxPriceTicks;
    const priced = (prices: { marketId: number; priceTicks: number }[]) =>
      laneVerdict(runMutated(chain, chain.plan(), (b) => withLane(b, { ...emptyBlockLane(0), prices })));
    expect(priced([{ marketId: 99, priceTicks: 600_000 }])).toBe("BLOCK_ERROR_INVALID_LANE: price for unknown or repeated market 99");
    expect(priced([{ marketId: BTC, priceTicks: 600_000 }, { marketId: BTC, priceTicks: 600_001 }])).toBe("BLOCK_ERROR_INVALID_LANE: price for unknown or repeated market 1");
    expect(priced([{ marketId: BTC, priceTicks: 0 }])).toBe("BLOCK_ERROR_INVALID_LANE: price 0 for market 1");
    expect(priced([{ marketId: BTC, priceTicks: max + 1 }])).toBe(`BLOCK_ERROR_INVALID_LANE: price ${max + 1} for market 1`);
    expect(priced([{ marketId: BTC, priceTicks: 1 }, { marketId: ETH, priceTicks: 2 }, { marketId: BTC, priceTicks: 3 }])).toBe("BLOCK_ERROR_INVALID_LANE: 3 prices");
    expect(priced([{ marketId: BTC, priceTicks: max }, { marketId: ETH, priceTicks: 1 }])).toBe("ok");
  });

  it("a reordered, omitted or inserted order, with the header's laneRoot recomputed to match", () => {
    const { chain } = fundedChain();
    const plan = tradePlan(chain);
    const ids = (orders: OrderAction[]) => laneRoot(orders.map((o) => orderId(o)));
    const run = (orders: OrderAction[], root = ids(orders)) => laneVerdict(runMutated(chain, plan, (b) => withLane(b, { ...b.lane!, orders }, root)));
    const [first, second] = plan.section.orders as [OrderAction, OrderAction];
    expect(run([first, second])).toBe("ok");
    expect(run([second, first])).toBe("BLOCK_ERROR_INVALID_LANE: LANE_ERROR_REORDERED position 0");
    expect(run([first])).toBe(`BLOCK_ERROR_INVALID_LANE: LANE_ERROR_OMITTED ${toHex(orderId(second))}`);
    const extra = order(ALICE, aliceKey, 2n, [leg({ clientOrderId: 2, priceTicks: 590_000n })]);
    expect(run([first, second, extra])).toBe(`BLOCK_ERROR_INVALID_LANE: LANE_ERROR_INSERTED ${toHex(orderId(extra))}`);
    expect(run([first, first, second])).toBe(`BLOCK_ERROR_INVALID_LANE: LANE_ERROR_DUPLICATE_ORDER ${toHex(orderId(first))}`);
    // the right list under a stale root
    expect(run([first, second], ids([second, first]))).toBe("BLOCK_ERROR_INVALID_LANE: LANE_ERROR_ROOT_MISMATCH header laneRoot");
    // a body whose signature does not verify
    const forged = { ...second, signature: new Uint8Array(64).fill(3) };
    expect(run([first, forged])).toBe("BLOCK_ERROR_INVALID_LANE: LANE_ERROR_BAD_ORDER order 1");
  });

  it("an order stamped by less than a quorum counts as inserted", () => {
    const { chain } = fundedChain();
    const extra = order(ALICE, aliceKey, 2n, [leg({ clientOrderId: 2, priceTicks: 590_000n })]);
    const t = chain.timestampMs(2) * 1000 - 800_000;
    const plan = chain.plan({
      orders: [buy, extra],
      stamps: [[t, t + 5], [t + 1, t + 6], [t + 2, undefined], [t + 3, undefined]],
      watermarksUs: [0, 1, 2, 3].map(() => t + 100_000),
    });
    expect(plan.section.orders).toEqual([buy]);
    const r = runMutated(chain, plan, (b) => withLane(b, { ...b.lane!, orders: [buy, extra] }, laneRoot([orderId(buy), orderId(extra)])));
    expect(laneVerdict(r)).toBe(`BLOCK_ERROR_INVALID_LANE: LANE_ERROR_INSERTED ${toHex(orderId(extra))}`);
  });

  it("a batch whose signature does not verify", () => {
    const { chain } = fundedChain();
    const plan = tradePlan(chain);
    const r = runMutated(chain, plan, (b) => {
      const evidence = b.lane!.evidence.map((x, i) => (i === 2 ? { ...x, signature: new Uint8Array(64).fill(7) } : x));
      return withLane(b, { ...b.lane!, evidence });
    });
    expect(laneVerdict(r)).toMatch(/^BLOCK_ERROR_INVALID_LANE: LANE_ERROR_BAD_BATCH_SIGNATURE validator 2 batch \d+: RECEIPTS_ERROR_INVALID_SIGNATURE$/);
  });

  it("a lane section on a chain without the lane", () => {
    const chain = new LaneChain({ lane: null });
    const p = chain.propose(chain.plan());
    if (!p.ok) throw new Error(p.detail);
    expect(p.block.lane).toBeUndefined();
    expect(laneVerdict(executeBlock(chain.state, p.block, chain.ctx))).toBe("ok");
    const r = executeBlock(chain.state, { ...p.block, lane: emptyBlockLane(0) }, chain.ctx);
    expect(laneVerdict(r)).toBe("BLOCK_ERROR_INVALID_LANE: this chain runs no order lane");
  });
});
