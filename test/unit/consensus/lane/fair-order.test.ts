// Fair ordering: the earliest-quorum median, eligibility, windows, watermark bound, class order, independence
// from evidence order, and the replica's check catching omission, insertion, reordering and a wrong root.
import { describe, expect, it } from "vitest";
import { nobleVerify } from "../../../../consensus/crypto/ed25519.ts";
import { toHex, ZERO_HASH } from "../../../../consensus/crypto/hash.ts";
import { validateBlockLane } from "../../../../consensus/lane/block-lane.ts";
import { assignedTime, computeBlockLane, laneRoot, type LaneInput } from "../../../../consensus/lane/fair-order.ts";
import { orderId, signOrderAction } from "../../../../consensus/lane/order-codec.ts";
import { OrderFlag, type OrderAction } from "../../../../consensus/lane/order.ts";
import { signReceiptBatch, type ReceiptBatch } from "../../../../consensus/lane/receipt-batch.ts";
import { actionBody, cancelLeg, CHAIN_ID, placeLeg, seededKey, validatorSet } from "./lane-fixtures.ts";

const { set, secretByIndex } = validatorSet([10n, 10n, 10n, 10n]);
const trader = seededKey(0x77);
const seed = new Uint8Array(32).fill(9);

function order(nonce: number, kind: "place" | "post" | "cancel" = "place"): OrderAction {
  const leg = kind === "cancel" ? cancelLeg(1) : placeLeg({ flags: kind === "post" ? OrderFlag.Gtc | OrderFlag.PostOnly : OrderFlag.Gtc });
  return signOrderAction(actionBody(trader.publicKey, [leg], { nonce: BigInt(nonce) }), trader.secretKey);
}

/** One batch per validator: stamps[v][i] is validator v's stamp of orders[i] (undefined: not stamped). */
function evidence(orders: OrderAction[], stamps: (number | undefined)[][], watermarkUs = 10_000): ReceiptBatch[] {
  return stamps.map((row, v) => {
    const receipts = row
      .map((stampUs, i) => ({ stampUs, orderId: orderId(orders[i]!) }))
      .filter((r): r is { stampUs: number; orderId: Uint8Array } => r.stampUs !== undefined)
      .sort((a, b) => a.stampUs - b.stampUs)
      .map((r, k) => ({ ...r, localSeq: k }));
    return signReceiptBatch({ version: 1, chainId: CHAIN_ID, epoch: 0, validator: v, batchSeq: 0, watermarkUs, receipts }, secretByIndex[v]!);
  });
}

function input(orders: OrderAction[], ev: ReceiptBatch[], cutoffUs = 5_000, previousCutoffUs = 1_000): LaneInput {
  return {
    chainId: CHAIN_ID, epoch: 0, set, evidence: ev, previousCutoffUs, cutoffUs, seed,
    bodies: new Map(orders.map((o) => [toHex(orderId(o)), o])),
  };
}

describe("assigned time", () => {
  it("is the lower weighted median of the earliest quorum", () => {
    // equal stakes, 4 validators: the earliest quorum is the 3 lowest stamps, its median the 2nd
    expect(assignedTime([0, 1, 2, 3].map((v) => ({ validator: v, stampUs: [400, 100, 300, 9_000][v]! })), set)?.timeUs).toBe(300);
    expect(assignedTime([{ validator: 0, stampUs: 1 }, { validator: 1, stampUs: 2 }], set)).toBeUndefined();
    const weighted = validatorSet([50n, 20n, 20n, 10n]).set; // keys sorted: indices follow the set's order
    const at = assignedTime([0, 1, 2, 3].map((v) => ({ validator: v, stampUs: 100 * (v + 1) })), weighted);
    // quorum needs stake > 66.6: prefix stamps 100 (s0) + 200 (s1) -> the cumulative crosses half at the first >= half
    const stakes = weighted.validators.map((x) => x.stake);
    let acc = 0n;
    let quorumStake = 0n;
    for (const s of stakes) { quorumStake += s; if (weighted.isQuorum(quorumStake)) break; }
    let expected = 0;
    for (let v = 0; v < 4; v++) { acc += stakes[v]!; if (2n * acc >= quorumStake) { expected = 100 * (v + 1); break; } }
    expect(at?.timeUs).toBe(expected);
  });
});

describe("computeBlockLane", () => {
  const orders = [order(1), order(2, "post"), order(3, "cancel"), order(4), order(5)];
  const stamps = [
    [2_000, 2_100, 2_200, 2_300, 4_900],
    [2_010, 2_090, 2_210, 2_310, 6_000],
    [2_020, 2_080, 2_190, undefined, 4_950],
    [1_900, 2_200, 2_400, 900, 500],
  ];

  it("holds quorum-stamped orders of the window, cancels then post-only then the rest", () => {
    const r = computeBlockLane(input(orders, evidence(orders, stamps)));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const ids = r.value.entries.map((e) => toHex(e.orderId));
    // order 5: stamps below the cut-off only from v0, v2, v3 -> quorum {v3:500, v0:4900, v2:4950}, median 4900
    expect(ids).toEqual([orders[2], orders[1], orders[0], orders[3], orders[4]].map((o) => toHex(orderId(o!))));
    expect(r.value.entries.map((e) => e.assignedTimeUs)).toEqual([2_200, 2_090, 2_000, 2_300, 4_900]);
  });

  it("reports orders of a closed window as late and leaves out orders without a quorum", () => {
    const r = computeBlockLane(input(orders, evidence(orders, stamps), 5_000, 2_050));
    expect(r.ok && r.value.late).toEqual([toHex(orderId(orders[0]!))]); // assigned 2000 < 2050
    const three = computeBlockLane(input(orders, evidence(orders, stamps), 4_925));
    expect(three.ok && three.value.entries.length).toBe(4); // order 5 has two stamps below 4925
  });

  it("does not depend on the order of the evidence", () => {
    const ev = evidence(orders, stamps);
    const a = computeBlockLane(input(orders, ev));
    const b = computeBlockLane(input(orders, [...ev].reverse()));
    expect(a.ok && b.ok && a.value.entries.map((e) => toHex(e.orderId))).toEqual(b.ok && b.value.entries.map((e) => toHex(e.orderId)));
  });

  it("refuses a cut-off beyond a quorum's watermark, a non-increasing cut-off and a repeated batch", () => {
    const early = stamps.map((row) => row.slice(0, 4));
    const ev = evidence(orders.slice(0, 4), early, 4_000);
    expect(computeBlockLane(input(orders, ev))).toMatchObject({ ok: false, code: "LANE_ERROR_CUTOFF_ABOVE_WATERMARK" });
    expect(computeBlockLane(input(orders, evidence(orders, stamps), 1_000, 1_000))).toMatchObject({ code: "LANE_ERROR_CUTOFF_NOT_INCREASING" });
    const twice = evidence(orders, stamps);
    expect(computeBlockLane(input(orders, [...twice, twice[0]!]))).toMatchObject({ code: "LANE_ERROR_DUPLICATE_BATCH" });
  });

  it("needs the body of every included order", () => {
    const i = input(orders, evidence(orders, stamps));
    const bodies = new Map(i.bodies);
    bodies.delete(toHex(orderId(orders[3]!)));
    expect(computeBlockLane({ ...i, bodies })).toMatchObject({ ok: false, code: "LANE_ERROR_MISSING_BODY" });
  });
});

describe("validateBlockLane", () => {
  const orders = [order(11), order(12), order(13, "post")];
  const stamps = [
    [2_000, 2_100, 2_200],
    [2_010, 2_110, 2_210],
    [2_020, 2_120, 2_220],
    [2_030, 2_130, 2_230],
  ];
  const ev = evidence(orders, stamps);
  const r = computeBlockLane(input(orders, ev));
  if (!r.ok) throw new Error(r.detail);
  const honestOrders = r.value.entries.map((e) => orders.find((o) => toHex(orderId(o)) === toHex(e.orderId))!);
  const ctx = { chainId: CHAIN_ID, epoch: 0, set, previousCutoffUs: 1_000, cutoffUs: 5_000, seed, verify: nobleVerify };
  const root = laneRoot(honestOrders.map((o) => orderId(o)));

  it("accepts the proposer's honest list", () => {
    expect(root).not.toEqual(ZERO_HASH);
    expect(validateBlockLane({ evidence: ev, orders: honestOrders }, { ...ctx, laneRoot: root })).toEqual({ action: "accept" });
  });

  it("rejects omission, insertion, reordering, a wrong root and a forged batch", () => {
    const v = (list: OrderAction[], e = ev, laneRootHash = laneRoot(list.map((o) => orderId(o)))) =>
      validateBlockLane({ evidence: e, orders: list }, { ...ctx, laneRoot: laneRootHash });
    expect(v(honestOrders.slice(1))).toMatchObject({ action: "reject", code: "LANE_ERROR_OMITTED" });
    expect(v([...honestOrders, order(99)])).toMatchObject({ code: "LANE_ERROR_INSERTED" });
    expect(v([honestOrders[1]!, honestOrders[0]!, honestOrders[2]!])).toMatchObject({ code: "LANE_ERROR_REORDERED" });
    expect(v(honestOrders, ev, ZERO_HASH)).toMatchObject({ code: "LANE_ERROR_ROOT_MISMATCH" });
    const forged = ev.map((b, i) => (i === 0 ? { ...b, watermarkUs: b.watermarkUs + 1 } : b));
    expect(v(honestOrders, forged)).toMatchObject({ code: "LANE_ERROR_BAD_BATCH_SIGNATURE" });
    expect(v([...honestOrders, honestOrders[0]!])).toMatchObject({ code: "LANE_ERROR_DUPLICATE_ORDER" });
  });

  it("an order whose quorum came only after the cut-off cannot be inserted (late insertion)", () => {
    const late = order(20);
    const all = [...orders, late];
    const lateStamps = stamps.map((row, v) => [...row, v === 0 ? 4_000 : 5_500]);
    const e = evidence(all, lateStamps);
    const list = [...honestOrders, late];
    expect(validateBlockLane({ evidence: e, orders: list }, { ...ctx, laneRoot: laneRoot(list.map((o) => orderId(o))) })).toMatchObject({
      code: "LANE_ERROR_INSERTED",
    });
  });
});
