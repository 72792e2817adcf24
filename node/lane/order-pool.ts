// Order bodies this validator holds until they execute (received from clients or relayed by peers, signature
// checked before they enter), and what became of orders that did execute, both bounded. A full pool refuses new
// bodies rather than forgetting held ones, which receipts may already name (the proposer needs those bodies);
// pending bodies leave when they execute or grow too old (lane-service.ts). Records of executed orders are
// forgotten oldest first. The proposer takes bodies from here; RPC reads statuses from here.

import type { OrderAction } from "../../consensus/lane/order.ts";
import type { LaneOrderRecord } from "./lane-backend.ts";

export const PENDING_ORDERS_MAX = 100_000;
export const ORDER_RECORDS_MAX = 200_000;
/** Bodies of settled orders kept for proposing (see settledBody). */
export const SETTLED_BODIES_MAX = 50_000;

export interface PendingOrder {
  order: OrderAction;
  bytes: Uint8Array;
  account: string;
  /** Wall-clock ms when this validator first held it. */
  firstSeenMs: number;
  /** This validator's own stamp, when it stamped it. */
  stampUs?: number;
}

export class OrderPool {
  private readonly pending = new Map<string, PendingOrder>();
  private readonly records = new Map<string, LaneOrderRecord>();
  private readonly settledBodies = new Map<string, PendingOrder>();
  /** Bodies refused because the pool was full. */
  refusedFull = 0;

  constructor(
    private readonly pendingMax = PENDING_ORDERS_MAX,
    private readonly recordsMax = ORDER_RECORDS_MAX,
    private readonly settledBodiesMax = SETTLED_BODIES_MAX,
  ) {}

  has(id: string): boolean {
    return this.pending.has(id) || this.records.has(id);
  }

  get(id: string): PendingOrder | undefined {
    return this.pending.get(id);
  }

  /** Adds a body not seen before, unless the pool is full (counted). */
  add(id: string, entry: PendingOrder): "added" | "duplicate" | "full" {
    if (this.has(id)) return "duplicate";
    if (this.pending.size >= this.pendingMax) {
      this.refusedFull++;
      return "full";
    }
    this.pending.set(id, entry);
    return "added";
  }

  /**
   * The order executed (or was refused) in a finalized block. The first outcome stands: an order can run again
   * only as a stale-nonce refusal (a block counts each validator's latest stamp, so late re-stamps can make an
   * executed order eligible once more), which must not hide what it did.
   */
  settle(record: LaneOrderRecord): void {
    if (this.records.has(record.orderId)) return;
    const pending = this.pending.get(record.orderId);
    this.pending.delete(record.orderId);
    if (pending) {
      if (pending.stampUs !== undefined) record.receivedAtUs = pending.stampUs;
      this.settledBodies.set(record.orderId, pending);
      if (this.settledBodies.size > this.settledBodiesMax) this.settledBodies.delete(this.settledBodies.keys().next().value!);
    }
    this.records.set(record.orderId, record);
    if (this.records.size > this.recordsMax) this.records.delete(this.records.keys().next().value!);
  }

  /**
   * The body of a recently settled order. A proposer whose evidence makes such an order eligible again must
   * still include it (replicas recompute the list; it then runs as a stale-nonce refusal), or its lane stalls.
   */
  settledBody(id: string): PendingOrder | undefined {
    return this.settledBodies.get(id);
  }

  status(id: string): LaneOrderRecord | undefined {
    const record = this.records.get(id);
    if (record) return record;
    const p = this.pending.get(id);
    if (!p) return undefined;
    return { orderId: id, account: p.account, status: "pending", ...(p.stampUs !== undefined ? { receivedAtUs: p.stampUs } : {}) };
  }

  /** Pending bodies first held before `beforeMs` (for re-stamping or dropping). */
  olderThan(beforeMs: number): [string, PendingOrder][] {
    const out: [string, PendingOrder][] = [];
    for (const e of this.pending) {
      if (e[1].firstSeenMs >= beforeMs) break; // insertion order is first-seen order
      out.push(e);
    }
    return out;
  }

  drop(id: string): void {
    this.pending.delete(id);
  }

  get pendingCount(): number {
    return this.pending.size;
  }
}
