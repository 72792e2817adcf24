// One sender's pending transactions: consecutive nonces with no gap (this chain refuses gaps at the door), the
// sum of their worst-case costs (value + gasLimit * fee cap), and the sender's places in the pool's two heaps.
// It knows nothing of limits or state; the Mempool decides what may enter and leave. Bounded by perSenderMax,
// so front removal by shift() is cheap.

import type { Address, Hash } from "../../consensus/types.ts";

/** A transaction in the pool, with what ordering and accounting need, computed once at admission. */
export interface PoolEntry {
  raw: Uint8Array;
  hash: Hash;
  /** Hex of the hash: the pool's map key. */
  key: string;
  from: Address;
  nonce: bigint;
  tipCapPerGas: bigint;
  feeCapPerGas: bigint;
  /** min(tip cap, fee cap - base fee) at admission: the fee priority across senders. */
  tipPerGas: bigint;
  /** value + gasLimit * fee cap: what the balance must cover. */
  cost: bigint;
  /** Arrival order (a pool-wide counter): breaks fee ties, first come first served. */
  seq: number;
}

/** Fee priority: higher effective tip first, then earlier arrival. */
export function paysBefore(a: PoolEntry, b: PoolEntry): boolean {
  return a.tipPerGas !== b.tipPerGas ? a.tipPerGas > b.tipPerGas : a.seq < b.seq;
}

export class SenderQueue {
  readonly entries: PoolEntry[] = [];
  totalCost = 0n;
  /** Index in the pool's head heap (best first transaction first); -1 when not in it. */
  headHeapIndex = -1;
  /** Index in the pool's tail heap (cheapest last transaction first); -1 when not in it. */
  tailHeapIndex = -1;

  constructor(
    readonly address: Address,
    readonly key: string,
  ) {}

  get length(): number {
    return this.entries.length;
  }

  get head(): PoolEntry | undefined {
    return this.entries[0];
  }

  get tail(): PoolEntry | undefined {
    return this.entries[this.entries.length - 1];
  }

  /** The nonce after the last pending one; `fallback` (the account nonce) when the queue is empty. */
  nextNonce(fallback: bigint): bigint {
    const tail = this.tail;
    return tail === undefined ? fallback : tail.nonce + 1n;
  }

  /** The pending transaction with this nonce, if any. */
  atNonce(nonce: bigint): PoolEntry | undefined {
    const head = this.head;
    if (head === undefined || nonce < head.nonce) return undefined;
    const offset = nonce - head.nonce;
    return offset < BigInt(this.entries.length) ? this.entries[Number(offset)] : undefined;
  }

  append(entry: PoolEntry): void {
    this.entries.push(entry);
    this.totalCost += entry.cost;
  }

  /** Puts `entry` in place of the pending transaction with the same nonce; returns the one replaced. */
  replace(entry: PoolEntry): PoolEntry {
    const offset = Number(entry.nonce - this.head!.nonce);
    const old = this.entries[offset]!;
    this.entries[offset] = entry;
    this.totalCost += entry.cost - old.cost;
    return old;
  }

  shift(): PoolEntry | undefined {
    const entry = this.entries.shift();
    if (entry !== undefined) this.totalCost -= entry.cost;
    return entry;
  }

  pop(): PoolEntry | undefined {
    const entry = this.entries.pop();
    if (entry !== undefined) this.totalCost -= entry.cost;
    return entry;
  }
}
