// The validator's pool of pending transactions (signed Ethereum transfers and staking calls). It admits only
// what execution would run next: stateless rules via prepareTransaction (sender recovered once, here), then
// against committed state plus the sender's pending ones (no nonce gaps, funds for every pending worst-case cost).
// It orders candidates for the block builder and forgets what blocks commit. It is not gossip, not persistence,
// and not a base-fee oracle: the base fee is ChainParams' constant, so fee priority is fixed at admission.

import { assert } from "../../consensus/errors.ts";
import { fastKeccak256 } from "../../consensus/crypto/keccak256.ts";
import { toHex } from "../../consensus/crypto/hash.ts";
import { baseFeePerGas, effectiveTipPerGas, maxTransactionCost } from "../../consensus/execution/fees.ts";
import { type KnownSender, prepareTransaction } from "../../consensus/execution/prepare-transaction.ts";
import type { RecoverSigner } from "../../consensus/execution/recover-signer.ts";
import { type Address, type ChainParams, type Hash, LIMITS } from "../../consensus/types.ts";
import { BinaryHeap } from "./binary-heap.ts";
import { orderCandidates } from "./candidate-order.ts";
import {
  type MempoolErrorCode,
  MempoolError,
  type MempoolRejection,
  isStatelessTxErrorCode,
  mempoolRejection,
  txRejection,
} from "./mempool-errors.ts";
import { type PoolEntry, SenderQueue, paysBefore } from "./sender-queue.ts";

export interface MempoolLimits {
  transactionsMax: number;
  perSenderMax: number;
  bytesMax: number;
}

/** Committed state of one account, as the last finalized block left it. */
export type AccountReader = (address: Address) => { nonce: bigint; balance: bigint };

export interface MempoolOptions {
  params: ChainParams;
  recoverSigner: RecoverSigner;
  account: AccountReader;
  limits: MempoolLimits;
  /** Senders re-checked against state on each onCommitted besides those the block touched (default 64). */
  sweepSendersPerCommit?: number;
}

export type MempoolAddResult = { ok: true; hash: Hash; replaced?: Hash } | MempoolRejection;

export interface MempoolStats {
  transactions: number;
  bytes: number;
  senders: number;
  /** Cumulative counts since creation. */
  accepted: number;
  replaced: number;
  evicted: number;
  included: number;
  /** Removed because state moved past them (nonce used by another transaction, balance no longer covers them). */
  dropped: number;
  rejections: Partial<Record<MempoolErrorCode, number>>;
}

/** Replacement needs tip cap and fee cap each at least this much above the old ones (go-ethereum's 10%). */
const PRICE_BUMP_PERCENT = 110n;
/** Most transactions one newcomer may evict to make room (when the byte limit binds on a large one). */
const EVICTIONS_PER_ADD_MAX = 64;
/** Committed transaction hashes remembered for duplicate refusal (about 50 s of blocks at 1k transfers/s). */
const COMMITTED_REMEMBERED_MAX = 50_000;

function checkLimit(field: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 1) {
    throw new MempoolError("MEMPOOL_ERROR_INVALID_LIMITS", `${field} must be a positive integer, got ${v}`, { field });
  }
}

export class Mempool {
  private readonly params: ChainParams;
  private readonly recoverSigner: RecoverSigner;
  private readonly account: AccountReader;
  private readonly limits: MempoolLimits;
  private readonly sweepMax: number;
  private readonly baseFee: bigint;
  private readonly byHash = new Map<string, PoolEntry>();
  private readonly senders = new Map<string, SenderQueue>();
  /** Senders by their first pending transaction, best paying first. */
  private readonly heads = new BinaryHeap<SenderQueue>(
    (a, b) => paysBefore(a.head!, b.head!),
    (s, i) => (s.headHeapIndex = i),
  );
  /** Senders by their last pending transaction, cheapest (then newest) first: the eviction order. */
  private readonly tails = new BinaryHeap<SenderQueue>(
    (a, b) => a.tail!.tipPerGas !== b.tail!.tipPerGas ? a.tail!.tipPerGas < b.tail!.tipPerGas : a.tail!.seq > b.tail!.seq,
    (s, i) => (s.tailHeapIndex = i),
  );
  private sweep: Iterator<SenderQueue> | undefined;
  private seq = 0;
  private bytesTotal = 0;
  private readonly counters = { accepted: 0, replaced: 0, evicted: 0, included: 0, dropped: 0 };
  private readonly rejections: Partial<Record<MempoolErrorCode, number>> = {};

  private readonly committedRecently = new Set<string>();
  /** A ring: the slot at committedNext holds the oldest remembered hash once the ring is full. */
  private readonly committedOrder: (string | undefined)[] = [];
  private committedNext = 0;

  constructor(options: MempoolOptions) {
    checkLimit("transactionsMax", options.limits.transactionsMax);
    checkLimit("perSenderMax", options.limits.perSenderMax);
    checkLimit("bytesMax", options.limits.bytesMax);
    this.params = options.params;
    this.recoverSigner = options.recoverSigner;
    this.account = options.account;
    this.limits = { ...options.limits };
    this.sweepMax = options.sweepSendersPerCommit ?? 64;
    this.baseFee = baseFeePerGas(options.params);
  }

  get size(): number {
    return this.byHash.size;
  }

  get bytes(): number {
    return this.bytesTotal;
  }

  has(hash: Hash): boolean {
    return this.byHash.has(toHex(hash));
  }

  get(hash: Hash): Uint8Array | undefined {
    return this.byHash.get(toHex(hash))?.raw;
  }

  /** For block execution: the sender this pool recovered for a transaction hash. */
  readonly knownSender: KnownSender = (hash) => this.byHash.get(toHex(hash))?.from;

  /**
   * The nonce the sender's next new transaction must carry: committed nonce plus pending ones. Reads the
   * account, and first drops the sender's pending transactions that state has overtaken.
   */
  pendingNonce(address: Address): bigint {
    const account = this.account(address);
    const sender = this.senders.get(toHex(address));
    if (sender !== undefined) this.revalidate(sender, account);
    return sender?.tail !== undefined ? sender.tail.nonce + 1n : account.nonce;
  }

  /** Admits raw transaction bytes or says why not. Never throws on any input bytes. */
  add(raw: Uint8Array): MempoolAddResult {
    const result = this.admit(raw);
    if (!result.ok) this.rejections[result.code] = (this.rejections[result.code] ?? 0) + 1;
    return result;
  }

  /** Up to `max` transactions in an order a block builder can apply one after another. */
  candidates(max: number): Uint8Array[] {
    return orderCandidates(this.heads, max).map((e) => e.raw);
  }

  /**
   * After a block commits: removes its transactions (and, per sender, every earlier nonce), then re-checks
   * against state the senders involved, `touchedSenders` (e.g. every sender in the block, including
   * transactions this pool never saw) and a few more in rotation, dropping what can no longer run.
   */
  onCommitted(includedHashes: readonly Hash[], touchedSenders: readonly Address[] = []): void {
    const recheck = new Map<string, SenderQueue>();
    for (const hash of includedHashes) this.rememberCommitted(toHex(hash));
    for (const hash of includedHashes) {
      const entry = this.byHash.get(toHex(hash));
      if (entry === undefined) continue;
      const sender = this.senders.get(toHex(entry.from))!;
      while (sender.head !== undefined && sender.head.nonce <= entry.nonce) {
        const gone = sender.shift()!;
        this.forget(gone);
        if (gone === entry) this.counters.included++;
        else this.counters.dropped++;
      }
      this.reposition(sender); // at once: the heaps' comparators read every member's head and tail
      recheck.set(sender.key, sender);
    }
    for (const address of touchedSenders) {
      const sender = this.senders.get(toHex(address));
      if (sender !== undefined) recheck.set(sender.key, sender);
    }
    for (const sender of this.sweepSenders()) recheck.set(sender.key, sender);
    for (const sender of recheck.values()) this.revalidate(sender, this.account(sender.address));
  }

  /** Bounded FIFO of committed transaction hashes, so late copies are refused before recovery. */
  private rememberCommitted(key: string): void {
    if (this.committedRecently.has(key)) return;
    const old = this.committedOrder[this.committedNext];
    if (old !== undefined) this.committedRecently.delete(old);
    this.committedOrder[this.committedNext] = key;
    this.committedNext = (this.committedNext + 1) % COMMITTED_REMEMBERED_MAX;
    this.committedRecently.add(key);
  }

  stats(): MempoolStats {
    return {
      transactions: this.byHash.size,
      bytes: this.bytesTotal,
      senders: this.senders.size,
      ...this.counters,
      rejections: { ...this.rejections },
    };
  }

  private admit(raw: Uint8Array): MempoolAddResult {
    // Duplicates are refused before recovery, the costly step; oversized bytes are not hashed at all.
    // Also those a committed block already carried: gossip often brings a transaction after its block.
    if (raw.length <= LIMITS.maxTransactionBytes) {
      const key = toHex(fastKeccak256(raw));
      if (this.byHash.has(key) || this.committedRecently.has(key)) return mempoolRejection("MEMPOOL_ERROR_ALREADY_KNOWN");
    }
    const prepared = prepareTransaction(raw, this.params, this.recoverSigner);
    if (!prepared.ok) {
      const code = prepared.code;
      assert(isStatelessTxErrorCode(code), `prepareTransaction returned the stateful code ${code}`);
      return txRejection(code, prepared.detail);
    }
    const { tx, hash, from } = prepared.value;
    if (tx.maxFeePerGas < this.baseFee) {
      return mempoolRejection("MEMPOOL_ERROR_FEE_CAP_BELOW_BASE_FEE", `fee cap ${tx.maxFeePerGas}, base fee ${this.baseFee}`);
    }
    const account = this.account(from);
    const senderKey = toHex(from);
    const existing = this.senders.get(senderKey);
    if (existing !== undefined) this.revalidate(existing, account);
    const sender = this.senders.get(senderKey);
    const next = sender?.nextNonce(account.nonce) ?? account.nonce;
    if (tx.nonce < account.nonce) {
      return mempoolRejection("MEMPOOL_ERROR_NONCE_TOO_LOW", `next nonce ${account.nonce}, tx nonce ${tx.nonce}`);
    }
    if (tx.nonce > next) return mempoolRejection("MEMPOOL_ERROR_NONCE_GAP", `next nonce ${next}, tx nonce ${tx.nonce}`);
    const old = sender?.atNonce(tx.nonce);
    if (old !== undefined && !outbids(tx.maxPriorityFeePerGas, tx.maxFeePerGas, old)) {
      return mempoolRejection(
        "MEMPOOL_ERROR_REPLACEMENT_UNDERPRICED",
        `tip cap and fee cap must each be at least 10% above ${old.tipCapPerGas} and ${old.feeCapPerGas}`,
      );
    }
    if (old === undefined && sender !== undefined && sender.length >= this.limits.perSenderMax) {
      return mempoolRejection("MEMPOOL_ERROR_SENDER_FULL", `${sender.length} pending transactions, at most ${this.limits.perSenderMax}`);
    }
    const cost = maxTransactionCost(tx);
    const ahead = (sender?.totalCost ?? 0n) - (old?.cost ?? 0n);
    if (account.balance < ahead + cost) {
      return mempoolRejection("MEMPOOL_ERROR_INSUFFICIENT_FUNDS", `balance ${account.balance}, pending cost ${ahead}, tx cost ${cost}`);
    }
    const entry: PoolEntry = {
      raw,
      hash,
      key: toHex(hash),
      from,
      nonce: tx.nonce,
      tipCapPerGas: tx.maxPriorityFeePerGas,
      feeCapPerGas: tx.maxFeePerGas,
      tipPerGas: effectiveTipPerGas(tx, this.baseFee),
      cost,
      seq: this.seq++,
    };
    if (!this.makeRoom(entry, senderKey, old)) return mempoolRejection("MEMPOOL_ERROR_POOL_FULL");
    this.insert(entry, sender ?? this.newSender(from, senderKey), old);
    return old === undefined ? { ok: true, hash } : { ok: true, hash, replaced: old.hash };
  }

  private newSender(address: Address, key: string): SenderQueue {
    const sender = new SenderQueue(address, key);
    this.senders.set(key, sender);
    return sender;
  }

  private insert(entry: PoolEntry, sender: SenderQueue, old: PoolEntry | undefined): void {
    if (old !== undefined) {
      sender.replace(entry);
      this.forget(old);
      this.counters.replaced++;
    } else {
      sender.append(entry);
    }
    this.byHash.set(entry.key, entry);
    this.bytesTotal += entry.raw.length;
    this.counters.accepted++;
    this.reposition(sender);
  }

  /**
   * Makes room for `entry` under both limits by evicting the cheapest last-nonce transactions of other senders,
   * each paying strictly less than the newcomer. Evicts nothing unless the whole plan succeeds.
   */
  private makeRoom(entry: PoolEntry, senderKey: string, old: PoolEntry | undefined): boolean {
    let count = this.byHash.size + (old === undefined ? 1 : 0);
    let bytes = this.bytesTotal + entry.raw.length - (old?.raw.length ?? 0);
    const fits = () => count <= this.limits.transactionsMax && bytes <= this.limits.bytesMax;
    if (fits()) return true;
    if (entry.raw.length > this.limits.bytesMax) return false;
    const popped: SenderQueue[] = [];
    const victims: SenderQueue[] = [];
    while (!fits() && victims.length < EVICTIONS_PER_ADD_MAX) {
      const sender = this.tails.pop();
      if (sender === undefined) break;
      sender.tailHeapIndex = -1;
      popped.push(sender);
      if (sender.key === senderKey) continue;
      const tail = sender.tail!;
      if (tail.tipPerGas >= entry.tipPerGas) break;
      victims.push(sender);
      count -= 1;
      bytes -= tail.raw.length;
    }
    const ok = fits();
    if (ok) {
      for (const sender of victims) {
        this.forget(sender.pop()!);
        this.counters.evicted++;
        this.reposition(sender);
      }
    }
    for (const sender of popped) this.reposition(sender);
    return ok;
  }

  /** Drops what committed state no longer allows: used nonces, a gap at the front, unaffordable tails. */
  private revalidate(sender: SenderQueue, account: { nonce: bigint; balance: bigint }): void {
    while (sender.head !== undefined && sender.head.nonce < account.nonce) this.drop(sender.shift()!);
    if (sender.head !== undefined && sender.head.nonce > account.nonce) {
      while (sender.length > 0) this.drop(sender.pop()!);
    }
    while (sender.length > 0 && sender.totalCost > account.balance) this.drop(sender.pop()!);
    this.reposition(sender);
  }

  private drop(entry: PoolEntry): void {
    this.forget(entry);
    this.counters.dropped++;
  }

  private forget(entry: PoolEntry): void {
    this.byHash.delete(entry.key);
    this.bytesTotal -= entry.raw.length;
  }

  /** Puts a changed sender back in heap order, or removes it everywhere once empty. */
  private reposition(sender: SenderQueue): void {
    if (sender.length === 0) {
      if (sender.headHeapIndex >= 0) this.heads.removeAt(sender.headHeapIndex);
      if (sender.tailHeapIndex >= 0) this.tails.removeAt(sender.tailHeapIndex);
      sender.headHeapIndex = -1;
      sender.tailHeapIndex = -1;
      if (this.senders.get(sender.key) === sender) this.senders.delete(sender.key);
      return;
    }
    if (sender.headHeapIndex < 0) this.heads.push(sender);
    else this.heads.update(sender.headHeapIndex);
    if (sender.tailHeapIndex < 0) this.tails.push(sender);
    else this.tails.update(sender.tailHeapIndex);
  }

  /** The next few senders in a rotation over all of them (a Map iterator stays valid as entries come and go). */
  private sweepSenders(): SenderQueue[] {
    const out: SenderQueue[] = [];
    let restarted = false;
    while (out.length < this.sweepMax && this.senders.size > 0) {
      this.sweep ??= this.senders.values();
      const next = this.sweep.next();
      if (!next.done) {
        out.push(next.value);
        continue;
      }
      this.sweep = undefined;
      if (restarted) break;
      restarted = true;
    }
    return out;
  }
}

/** Whether new caps beat the old transaction's by the required bump, each of them. */
function outbids(tipCapPerGas: bigint, feeCapPerGas: bigint, old: PoolEntry): boolean {
  return tipCapPerGas * 100n >= old.tipCapPerGas * PRICE_BUMP_PERCENT && feeCapPerGas * 100n >= old.feeCapPerGas * PRICE_BUMP_PERCENT;
}
