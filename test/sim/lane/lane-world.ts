// The order-lane simulation's world: validators (stake, clock offset, honest or Byzantine stamping), orders sent
// by clients to a few validators and relayed by honest ones, each validator's receipts and its Δ batches.
// Times are true µs; a validator's stamps are on its own clock. One Prng drives everything, so a seed replays.

import { toHex } from "../../../consensus/crypto/hash.ts";
import { orderId, orderSigningBytes } from "../../../consensus/lane/order-codec.ts";
import { ActionKind, OrderFlag, ORDER_VERSION, Side, TriggerKind, type OrderAction, type OrderLeg } from "../../../consensus/lane/order.ts";
import { receiptBatchSigningBytes, type ReceiptBatch, type ReceiptBatchBody } from "../../../consensus/lane/receipt-batch.ts";
import { ValidatorSet } from "../../../consensus/validator-set.ts";
import { Prng } from "../prng.ts";
import { simKey, type SimKey } from "../sim-crypto.ts";

export interface LaneSimConfig {
  seed: number;
  validators: number;
  orders: number;
  durationUs: number;
  deltaUs: number;
  blockIntervalUs: number;
  skewMaxUs: number;
  netDelayMinUs: number;
  netDelayMaxUs: number;
  byzantineStampers: boolean;
  byzantineProposer: boolean;
}

export type Stamper = "honest" | "early" | "late" | "omit" | "mixed";

export interface SimValidator {
  index: number;
  key: SimKey;
  offsetUs: number;
  stamper: Stamper;
  /** Receipts on this validator's clock, appended in stamp order. */
  receipts: { orderKey: string; orderId: Uint8Array; stampUs: number }[];
  stamped: Set<string>;
  /** Batches already cut, by Δ tick. */
  batches: Map<number, ReceiptBatch>;
  nextLocalSeq: number;
}

export interface SimOrder {
  key: string;
  action: OrderAction;
  sendUs: number;
  /** True arrival per validator index (direct or relayed), undefined when it never arrives. */
  arrivalUs: (number | undefined)[];
}

export const CHAIN_ID = 424242n;

function randomLeg(prng: Prng, clientOrderId: number): OrderLeg {
  const r = prng.next();
  const base = { marketId: prng.int(1, 3), triggerKind: TriggerKind.None, triggerPriceTicks: 0n } as const;
  if (r < 0.2) {
    return { ...base, action: ActionKind.Cancel, side: Side.None, flags: 0, priceTicks: 0n, sizeLots: 0n, clientOrderId: 0, targetClientOrderId: clientOrderId };
  }
  const flags = r < 0.5 ? OrderFlag.Gtc | OrderFlag.PostOnly : prng.pick([OrderFlag.Gtc, OrderFlag.Ioc]);
  return {
    ...base, action: ActionKind.Place, side: prng.pick([Side.Buy, Side.Sell]), flags,
    priceTicks: BigInt(prng.int(9_000, 11_000)), sizeLots: BigInt(prng.int(1, 50)), clientOrderId, targetClientOrderId: 0,
  };
}

export class LaneWorld {
  readonly prng: Prng;
  readonly set: ValidatorSet;
  readonly validators: SimValidator[];
  readonly orders: SimOrder[] = [];
  readonly byOrderKey = new Map<string, SimOrder>();

  constructor(readonly cfg: LaneSimConfig) {
    this.prng = new Prng(cfg.seed);
    const keys = Array.from({ length: cfg.validators }, (_, i) => simKey("fake", cfg.seed, i));
    const stakes = keys.map(() => BigInt(this.prng.int(1, 100)));
    this.set = new ValidatorSet(keys.map((k, i) => ({ publicKey: k.publicKey, operator: new Uint8Array(20), stake: stakes[i]! })), new Uint8Array(32).fill(7));
    const byzantine = this.pickByzantine();
    const strategies: Stamper[] = ["early", "late", "omit", "mixed"];
    this.validators = this.set.validators.map((v, index) => ({
      index,
      key: keys.find((k) => k.publicKey === v.publicKey)!,
      offsetUs: this.prng.int(-cfg.skewMaxUs, cfg.skewMaxUs),
      stamper: byzantine.has(index) ? this.prng.pick(strategies) : "honest",
      receipts: [], stamped: new Set(), batches: new Map(), nextLocalSeq: 0,
    }));
  }

  /** Random validators while their stake stays strictly below 1/3 (f < n/3 by stake). */
  private pickByzantine(): Set<number> {
    const out = new Set<number>();
    if (!this.cfg.byzantineStampers && !this.cfg.byzantineProposer) return out;
    for (const i of this.prng.shuffle([...this.set.validators.keys()])) {
      const stake = this.set.stakeOf([...out, i]);
      if (3n * stake < this.set.totalStake) out.add(i);
    }
    return out;
  }

  isHonest(index: number): boolean {
    return this.validators[index]!.stamper === "honest";
  }

  delay(): number {
    return this.prng.int(this.cfg.netDelayMinUs, this.cfg.netDelayMaxUs);
  }

  /** Clients: each order goes to 1..n validators; every honest receiver relays the body to all validators. */
  makeOrders(): void {
    const trader = simKey("fake", this.cfg.seed ^ 0x5eed, 99);
    for (let i = 0; i < this.cfg.orders; i++) {
      const sendUs = 10_000 + this.prng.int(0, this.cfg.durationUs);
      const legs = [randomLeg(this.prng, i + 1)];
      const body = { version: ORDER_VERSION, chainId: CHAIN_ID, account: new Uint8Array(20).fill(1), tradingKey: trader.publicKey, nonce: BigInt(i), goodTilBlock: 0n, legs };
      const action: OrderAction = { ...body, signature: trader.sign(orderSigningBytes(body)) };
      const n = this.validators.length;
      const direct: (number | undefined)[] = new Array(n).fill(undefined);
      for (const v of this.prng.shuffle([...Array(n).keys()]).slice(0, this.prng.int(1, n))) direct[v] = sendUs + this.delay();
      const arrivalUs = direct.slice();
      for (let v = 0; v < n; v++) {
        if (direct[v] === undefined || !this.isHonest(v)) continue;
        for (let w = 0; w < n; w++) {
          const relayed = direct[v]! + this.delay();
          if (arrivalUs[w] === undefined || relayed < arrivalUs[w]!) arrivalUs[w] = relayed;
        }
      }
      const key = toHex(orderId(action));
      const order = { key, action, sendUs, arrivalUs };
      this.orders.push(order);
      this.byOrderKey.set(key, order);
    }
  }

  /** Stamps from each validator's clock; Byzantine stampers lie early, late, omit, or mix all three. */
  stampAll(): void {
    const pending: { v: SimValidator; orderKey: string; orderId: Uint8Array; stampUs: number }[] = [];
    for (const o of this.orders) {
      const id = orderId(o.action);
      for (const v of this.validators) {
        const at = o.arrivalUs[v.index];
        if (at === undefined) continue;
        const local = at + v.offsetUs + this.prng.int(0, 5);
        const lie = v.stamper === "mixed" ? this.prng.pick(["early", "late", "omit", "honest"] as const) : v.stamper;
        if (lie === "omit" && this.prng.chance(0.7)) continue;
        const stampUs = lie === "early" ? local - this.prng.int(0, 4_000) : lie === "late" ? local + this.prng.int(0, 4_000) : local;
        pending.push({ v, orderKey: o.key, orderId: id, stampUs: Math.max(1, stampUs) });
      }
    }
    pending.sort((a, b) => a.stampUs - b.stampUs);
    for (const p of pending) this.addReceipt(p.v, p.orderKey, p.orderId, p.stampUs);
  }

  addReceipt(v: SimValidator, orderKey: string, id: Uint8Array, stampUs: number): void {
    v.receipts.push({ orderKey, orderId: id, stampUs });
    v.stamped.add(orderKey);
  }

  /** True time at which validator v sends the batch of local tick k (it closes at local (k+1)Δ). */
  batchSendUs(v: SimValidator, tick: number): number {
    return (tick + 1) * this.cfg.deltaUs - v.offsetUs;
  }

  /** The signed batch of tick k: receipts stamped in [kΔ, (k+1)Δ) on v's clock, watermark (k+1)Δ. */
  batch(v: SimValidator, tick: number): ReceiptBatch {
    const cached = v.batches.get(tick);
    if (cached) return cached;
    const lo = tick * this.cfg.deltaUs;
    const hi = lo + this.cfg.deltaUs;
    const inTick = v.receipts.filter((r) => r.stampUs >= lo && r.stampUs < hi).sort((a, b) => a.stampUs - b.stampUs);
    const seen = new Set<string>();
    const receipts = inTick
      .filter((r) => !seen.has(r.orderKey) && seen.add(r.orderKey))
      .map((r) => ({ orderId: r.orderId, stampUs: r.stampUs, localSeq: v.nextLocalSeq++ }));
    const body: ReceiptBatchBody = { version: 1, chainId: CHAIN_ID, epoch: 0, validator: v.index, batchSeq: tick, watermarkUs: hi, receipts };
    const batch = { ...body, signature: v.key.sign(receiptBatchSigningBytes(body)) };
    v.batches.set(tick, batch);
    return batch;
  }
}
