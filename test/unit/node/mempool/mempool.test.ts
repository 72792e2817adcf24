// Mempool admission, refusals (each code with its go-ethereum-style message), ordering, replacement, eviction,
// pruning after commits, and the sender cache handed to block execution. State is a plain map of accounts here;
// mempool.property.test.ts runs the pool against real block execution.

import { describe, expect, it } from "vitest";
import { toHex } from "../../../../consensus/crypto/hash.ts";
import { fastKeccak256 } from "../../../../consensus/crypto/keccak256.ts";
import type { RecoverSigner } from "../../../../consensus/execution/recover-signer.ts";
import { TxType } from "../../../../consensus/execution/transaction.ts";
import type { Address } from "../../../../consensus/types.ts";
import { createNativeRecoverSigner } from "../../../../node/crypto/secp256k1-native.ts";
import { Mempool, type MempoolLimits } from "../../../../node/mempool/mempool.ts";
import { MempoolError } from "../../../../node/mempool/mempool-errors.ts";
import { ETHER, GWEI, TEST_PARAMS, accountAddress, transferTx, type TxOptions } from "../../../support/execution-fixtures.ts";

const native = createNativeRecoverSigner();
const TO = accountAddress(50);

interface Harness {
  pool: Mempool;
  accounts: Map<string, { nonce: bigint; balance: bigint }>;
  recoveries: () => number;
  setAccount(n: number, nonce: bigint, balance?: bigint): void;
}

function harness(limits: Partial<MempoolLimits> = {}, sweepSendersPerCommit = 0): Harness {
  const accounts = new Map<string, { nonce: bigint; balance: bigint }>();
  for (let n = 1; n <= 8; n++) accounts.set(toHex(accountAddress(n)), { nonce: 0n, balance: 1_000n * ETHER });
  let calls = 0;
  const recoverSigner: RecoverSigner = (h, r, s, v) => {
    calls++;
    return native(h, r, s, v);
  };
  const pool = new Mempool({
    params: TEST_PARAMS,
    recoverSigner,
    account: (a: Address) => accounts.get(toHex(a)) ?? { nonce: 0n, balance: 0n },
    limits: { transactionsMax: 1_000, perSenderMax: 16, bytesMax: 1 << 20, ...limits },
    sweepSendersPerCommit,
  });
  return {
    pool,
    accounts,
    recoveries: () => calls,
    setAccount: (n, nonce, balance) => {
      const prev = accounts.get(toHex(accountAddress(n)))!;
      accounts.set(toHex(accountAddress(n)), { nonce, balance: balance ?? prev.balance });
    },
  };
}

const tx = (from: number, nonce: number, o: TxOptions = {}, value = 1n) => transferTx(from, TO, value, { nonce: BigInt(nonce), ...o });
const hashOf = (raw: Uint8Array) => toHex(fastKeccak256(raw));
const hexes = (raws: Uint8Array[]) => raws.map(hashOf);

function expectRefused(result: ReturnType<Mempool["add"]>, code: string, message: string | RegExp): void {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.code).toBe(code);
  if (typeof message === "string") expect(result.message).toBe(message);
  else expect(result.message).toMatch(message);
}

describe("Mempool admission", () => {
  it("admits a transfer and serves it by hash, with its recovered sender", () => {
    const h = harness();
    const raw = tx(1, 0);
    const r = h.pool.add(raw);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(toHex(r.hash)).toBe(hashOf(raw));
    expect(r.replaced).toBeUndefined();
    expect(h.pool.has(r.hash)).toBe(true);
    expect(h.pool.get(r.hash)).toBe(raw);
    expect(h.pool.size).toBe(1);
    expect(h.pool.bytes).toBe(raw.length);
    expect(toHex(h.pool.knownSender(r.hash)!)).toBe(toHex(accountAddress(1)));
    expect(h.pool.knownSender(new Uint8Array(32))).toBeUndefined();
    expect(h.pool.pendingNonce(accountAddress(1))).toBe(1n);
    expect(h.pool.pendingNonce(accountAddress(2))).toBe(0n);
  });

  it("admits legacy transactions", () => {
    const h = harness();
    expect(h.pool.add(tx(1, 0, { type: TxType.Legacy, cap: 3n * GWEI })).ok).toBe(true);
  });

  it("refuses a duplicate as 'already known' without recovering its sender again", () => {
    const h = harness();
    const raw = tx(1, 0);
    h.pool.add(raw);
    const before = h.recoveries();
    expectRefused(h.pool.add(raw), "MEMPOOL_ERROR_ALREADY_KNOWN", "already known");
    expect(h.recoveries()).toBe(before);
  });

  it("passes on prepareTransaction's stateless codes with go-ethereum's words first", () => {
    const h = harness();
    expectRefused(h.pool.add(new Uint8Array([0xc0])), "TX_ERROR_MALFORMED", /^rlp: malformed transaction/);
    expectRefused(h.pool.add(new Uint8Array(200_000)), "TX_ERROR_TOO_LARGE", /^oversized data: 200000 bytes/);
    expectRefused(h.pool.add(tx(1, 0, { chainId: 5n })), "TX_ERROR_WRONG_CHAIN_ID", /^invalid chain id for signer: chain id 5/);
    expectRefused(h.pool.add(tx(1, 0, { tip: 3n * GWEI, cap: 2n * GWEI })), "TX_ERROR_TIP_ABOVE_FEE_CAP", "max priority fee per gas higher than max fee per gas");
    expectRefused(h.pool.add(tx(1, 0, { gasLimit: 20_000n })), "TX_ERROR_INTRINSIC_GAS_TOO_LOW", /^intrinsic gas too low: gas limit 20000 below 21000/);
    expectRefused(h.pool.add(tx(1, 0, { gasLimit: 40_000_000n })), "TX_ERROR_GAS_LIMIT_ABOVE_BLOCK_LIMIT", "exceeds block gas limit");
    expectRefused(h.pool.add(tx(1, 0, { data: Uint8Array.of(1) })), "TX_ERROR_CONTRACT_CALL_UNSUPPORTED", /^contract calls are not supported/);
    expect(h.pool.size).toBe(0);
  });

  it("refuses a fee cap below the base fee", () => {
    const h = harness();
    expectRefused(
      h.pool.add(tx(1, 0, { tip: GWEI / 2n, cap: GWEI - 1n })),
      "MEMPOOL_ERROR_FEE_CAP_BELOW_BASE_FEE",
      `max fee per gas less than block base fee: fee cap ${GWEI - 1n}, base fee ${GWEI}`,
    );
  });

  it("refuses a nonce below the committed one", () => {
    const h = harness();
    h.setAccount(1, 5n);
    expectRefused(h.pool.add(tx(1, 3)), "MEMPOOL_ERROR_NONCE_TOO_LOW", "nonce too low: next nonce 5, tx nonce 3");
    expect(h.pool.add(tx(1, 5)).ok).toBe(true);
  });

  it("refuses a nonce gap, counting the sender's pending transactions", () => {
    const h = harness();
    expectRefused(h.pool.add(tx(1, 1)), "MEMPOOL_ERROR_NONCE_GAP", "nonce too high: next nonce 0, tx nonce 1");
    expect(h.pool.add(tx(1, 0)).ok).toBe(true);
    expect(h.pool.add(tx(1, 1)).ok).toBe(true);
    expectRefused(h.pool.add(tx(1, 3)), "MEMPOOL_ERROR_NONCE_GAP", "nonce too high: next nonce 2, tx nonce 3");
    expect(h.pool.pendingNonce(accountAddress(1))).toBe(2n);
  });

  it("refuses what the balance cannot cover after the sender's pending spends", () => {
    const h = harness();
    const cost = 21_000n * 2n * GWEI + ETHER; // gasLimit * fee cap + value
    h.setAccount(1, 0n, cost * 2n - 1n);
    expect(h.pool.add(tx(1, 0, {}, ETHER)).ok).toBe(true);
    expectRefused(
      h.pool.add(tx(1, 1, {}, ETHER)),
      "MEMPOOL_ERROR_INSUFFICIENT_FUNDS",
      `insufficient funds for gas * price + value: balance ${cost * 2n - 1n}, pending cost ${cost}, tx cost ${cost}`,
    );
    h.setAccount(2, 0n, 0n);
    expectRefused(h.pool.add(tx(2, 0)), "MEMPOOL_ERROR_INSUFFICIENT_FUNDS", /^insufficient funds for gas \* price \+ value/);
  });

  it("refuses a sender's transaction beyond perSenderMax, but still lets it replace one", () => {
    const h = harness({ perSenderMax: 2 });
    expect(h.pool.add(tx(1, 0)).ok).toBe(true);
    expect(h.pool.add(tx(1, 1)).ok).toBe(true);
    expectRefused(h.pool.add(tx(1, 2)), "MEMPOOL_ERROR_SENDER_FULL", "account limit exceeded: 2 pending transactions, at most 2");
    expect(h.pool.add(tx(1, 1, { tip: GWEI, cap: 3n * GWEI })).ok).toBe(true);
    expect(h.pool.add(tx(2, 0)).ok).toBe(true);
  });

  it("counts refusals by code in stats()", () => {
    const h = harness();
    const raw = tx(1, 0);
    h.pool.add(raw);
    h.pool.add(raw);
    h.pool.add(raw);
    h.pool.add(tx(1, 5));
    const s = h.pool.stats();
    expect(s.rejections).toEqual({ MEMPOOL_ERROR_ALREADY_KNOWN: 2, MEMPOOL_ERROR_NONCE_GAP: 1 });
    expect(s).toMatchObject({ transactions: 1, bytes: raw.length, senders: 1, accepted: 1 });
  });

  it("throws a coded error on unusable limits", () => {
    expect(() => harness({ transactionsMax: 0 })).toThrow(MempoolError);
    try {
      harness({ bytesMax: 1.5 });
    } catch (err) {
      expect((err as MempoolError).code).toBe("MEMPOOL_ERROR_INVALID_LIMITS");
    }
  });
});

describe("Mempool replacement", () => {
  it("needs at least 10% more on both the tip cap and the fee cap", () => {
    const h = harness();
    const first = tx(1, 0, { tip: 10n * GWEI, cap: 20n * GWEI });
    h.pool.add(first);
    const underpriced = "replacement transaction underpriced: tip cap and fee cap must each be at least 10% above 10000000000 and 20000000000";
    expectRefused(h.pool.add(tx(1, 0, { tip: 10n * GWEI + 1n, cap: 40n * GWEI })), "MEMPOOL_ERROR_REPLACEMENT_UNDERPRICED", underpriced);
    expectRefused(h.pool.add(tx(1, 0, { tip: 20n * GWEI, cap: 22n * GWEI - 1n })), "MEMPOOL_ERROR_REPLACEMENT_UNDERPRICED", underpriced);
    const better = tx(1, 0, { tip: 11n * GWEI, cap: 22n * GWEI });
    const r = h.pool.add(better);
    expect(r.ok && r.replaced && toHex(r.replaced)).toBe(hashOf(first));
    expect(h.pool.size).toBe(1);
    expect(h.pool.bytes).toBe(better.length);
    expect(h.pool.get(fastKeccak256(first))).toBeUndefined();
    expect(hexes(h.pool.candidates(10))).toEqual([hashOf(better)]);
    expect(h.pool.stats().replaced).toBe(1);
  });

  it("checks the balance with the replaced transaction's cost taken out", () => {
    const h = harness();
    const gasCost = 21_000n * 2n * GWEI;
    h.setAccount(1, 0n, 2n * gasCost + 3n);
    expect(h.pool.add(tx(1, 0, {}, 1n)).ok).toBe(true);
    expect(h.pool.add(tx(1, 1, {}, 1n)).ok).toBe(true);
    expect(h.pool.add(tx(1, 0, { tip: GWEI, cap: 3n * GWEI }, 1n)).ok).toBe(false);
    expect(h.pool.add(tx(1, 1, { tip: GWEI, cap: 2n * GWEI + GWEI / 5n }, 2n)).ok).toBe(false);
    h.setAccount(1, 0n, gasCost + 21_000n * (2n * GWEI + GWEI / 5n) + 3n);
    expect(h.pool.add(tx(1, 1, { tip: GWEI, cap: 2n * GWEI + GWEI / 5n }, 2n)).ok).toBe(true);
  });
});

describe("Mempool ordering", () => {
  it("orders senders by effective tip, ties by arrival", () => {
    const h = harness();
    const low = tx(1, 0, { tip: GWEI, cap: 10n * GWEI });
    const high = tx(2, 0, { tip: 5n * GWEI, cap: 10n * GWEI });
    const capped = tx(3, 0, { tip: 3n * GWEI, cap: 3n * GWEI + GWEI / 2n }); // pays min(3, 3.5 - 1) = 2.5 gwei
    const lowLater = tx(4, 0, { tip: GWEI, cap: 10n * GWEI }); // ties with `low`, arrives after it
    for (const raw of [low, high, capped, lowLater]) expect(h.pool.add(raw).ok).toBe(true);
    expect(hexes(h.pool.candidates(10))).toEqual(hexes([high, capped, low, lowLater]));
    expect(hexes(h.pool.candidates(2))).toEqual(hexes([high, capped]));
    expect(h.pool.candidates(0)).toEqual([]);
  });

  it("never yields a sender's nonce n+1 before n, even when n+1 pays more", () => {
    const h = harness();
    const a0 = tx(1, 0, { tip: GWEI / 10n, cap: 10n * GWEI });
    const a1 = tx(1, 1, { tip: 8n * GWEI, cap: 10n * GWEI });
    const b0 = tx(2, 0, { tip: GWEI, cap: 10n * GWEI });
    const b1 = tx(2, 1, { tip: GWEI / 20n, cap: 10n * GWEI });
    for (const raw of [a0, a1, b0, b1]) expect(h.pool.add(raw).ok).toBe(true);
    expect(hexes(h.pool.candidates(10))).toEqual(hexes([b0, a0, a1, b1]));
    expect(hexes(h.pool.candidates(10))).toEqual(hexes([b0, a0, a1, b1])); // unchanged by reading
  });

  it("moves a sender when its first transaction is replaced", () => {
    const h = harness();
    const a0 = tx(1, 0, { tip: GWEI, cap: 10n * GWEI });
    const b0 = tx(2, 0, { tip: 2n * GWEI, cap: 10n * GWEI });
    h.pool.add(a0);
    h.pool.add(b0);
    const a0b = tx(1, 0, { tip: 3n * GWEI, cap: 11n * GWEI });
    expect(h.pool.add(a0b).ok).toBe(true);
    expect(hexes(h.pool.candidates(10))).toEqual(hexes([a0b, b0]));
  });
});

describe("Mempool limits and eviction", () => {
  it("evicts another sender's cheapest last-nonce transaction for a better-paying newcomer", () => {
    const h = harness({ transactionsMax: 3 });
    const a0 = tx(1, 0, { tip: 5n * GWEI, cap: 10n * GWEI });
    const a1 = tx(1, 1, { tip: GWEI / 2n, cap: 10n * GWEI });
    const b0 = tx(2, 0, { tip: GWEI, cap: 10n * GWEI });
    for (const raw of [a0, a1, b0]) expect(h.pool.add(raw).ok).toBe(true);
    expectRefused(h.pool.add(tx(3, 0, { tip: GWEI / 2n, cap: 10n * GWEI })), "MEMPOOL_ERROR_POOL_FULL", "txpool is full");
    const c0 = tx(3, 0, { tip: 2n * GWEI, cap: 10n * GWEI });
    expect(h.pool.add(c0).ok).toBe(true);
    expect(h.pool.has(fastKeccak256(a1))).toBe(false);
    expect(h.pool.size).toBe(3);
    expect(h.pool.pendingNonce(accountAddress(1))).toBe(1n);
    expect(hexes(h.pool.candidates(10))).toEqual(hexes([a0, c0, b0]));
    expect(h.pool.stats().evicted).toBe(1);
  });

  it("does not evict the newcomer's own sender", () => {
    const h = harness({ transactionsMax: 2 });
    h.pool.add(tx(1, 0, { tip: GWEI / 10n, cap: 10n * GWEI }));
    h.pool.add(tx(2, 0, { tip: 5n * GWEI, cap: 10n * GWEI }));
    expectRefused(h.pool.add(tx(1, 1, { tip: 3n * GWEI, cap: 10n * GWEI })), "MEMPOOL_ERROR_POOL_FULL", "txpool is full");
    expect(h.pool.size).toBe(2);
    // A third sender paying more than sender 1's transaction does evict it, emptying sender 1.
    expect(h.pool.add(tx(3, 0, { tip: GWEI, cap: 10n * GWEI })).ok).toBe(true);
    expect(h.pool.pendingNonce(accountAddress(1))).toBe(0n);
    expect(h.pool.stats().senders).toBe(2);
  });

  it("keeps the byte limit, evicting as many as needed or none at all", () => {
    const small = [1, 2, 3].map((n) => tx(n, 0, { tip: (BigInt(n) * GWEI) / 10n, cap: 10n * GWEI }));
    const total = small.reduce((sum, raw) => sum + raw.length, 0);
    const h = harness({ bytesMax: total });
    for (const raw of small) expect(h.pool.add(raw).ok).toBe(true);
    h.setAccount(4, 0n, 10n ** 31n);
    const big = tx(4, 0, { tip: (15n * GWEI) / 100n, cap: 10n * GWEI }, 10n ** 30n);
    expect(big.length).toBeGreaterThan(Math.max(...small.map((r) => r.length)));
    expect(big.length).toBeLessThanOrEqual(total - Math.max(...small.map((r) => r.length)));
    // Needs two evictions but pays more than only one of the others: refused, nothing evicted.
    expectRefused(h.pool.add(big), "MEMPOOL_ERROR_POOL_FULL", "txpool is full");
    expect(h.pool.size).toBe(3);
    expect(h.pool.bytes).toBe(total);
    const rich = tx(4, 0, { tip: 5n * GWEI, cap: 10n * GWEI }, 10n ** 30n);
    expect(h.pool.add(rich).ok).toBe(true);
    expect(h.pool.size).toBe(2);
    expect(h.pool.bytes).toBeLessThanOrEqual(total);
    expect(h.pool.has(fastKeccak256(small[2]!))).toBe(true);
    expect(h.pool.pendingNonce(accountAddress(3))).toBe(1n);
  });
});

describe("Mempool.onCommitted", () => {
  it("removes included transactions and lets the next nonce lead", () => {
    const h = harness();
    const a0 = tx(1, 0);
    const a1 = tx(1, 1);
    const b0 = tx(2, 0);
    for (const raw of [a0, a1, b0]) h.pool.add(raw);
    h.setAccount(1, 1n);
    h.pool.onCommitted([fastKeccak256(a0)]);
    expect(h.pool.has(fastKeccak256(a0))).toBe(false);
    expect(hexes(h.pool.candidates(10))).toEqual(hexes([a1, b0]));
    expect(h.pool.bytes).toBe(a1.length + b0.length);
    expect(h.pool.stats().included).toBe(1);
  });

  it("drops transactions whose nonce another transaction used, for senders it is told about", () => {
    const h = harness();
    const a0 = tx(1, 0);
    const a1 = tx(1, 1);
    const a2 = tx(1, 2);
    for (const raw of [a0, a1, a2]) h.pool.add(raw);
    h.setAccount(1, 2n); // nonces 0 and 1 used by transactions this pool never saw
    h.pool.onCommitted([fastKeccak256(tx(1, 0, {}, 77n))]);
    expect(h.pool.size).toBe(3); // nothing said which sender moved
    h.pool.onCommitted([], [accountAddress(1)]);
    expect(hexes(h.pool.candidates(10))).toEqual(hexes([a2]));
    expect(h.pool.stats().dropped).toBe(2);
  });

  it("finds stale senders on its own through the rotating sweep", () => {
    const h = harness({}, 2);
    for (let n = 1; n <= 5; n++) h.pool.add(tx(n, 0));
    for (let n = 1; n <= 5; n++) h.setAccount(n, 1n);
    h.pool.onCommitted([]);
    expect(h.pool.size).toBe(3);
    h.pool.onCommitted([]);
    h.pool.onCommitted([]);
    expect(h.pool.size).toBe(0);
    expect(h.pool.stats().senders).toBe(0);
  });

  it("drops an included transaction's earlier nonces and an unaffordable tail", () => {
    const h = harness();
    const raws = [0, 1, 2, 3].map((n) => tx(1, n, {}, ETHER));
    for (const raw of raws) expect(h.pool.add(raw).ok).toBe(true);
    const cost = 21_000n * 2n * GWEI + ETHER;
    h.setAccount(1, 2n, cost + 1n); // only one more transaction is still affordable
    h.pool.onCommitted([fastKeccak256(raws[1]!)]);
    expect(hexes(h.pool.candidates(10))).toEqual(hexes([raws[2]!]));
    expect(h.pool.stats()).toMatchObject({ included: 1, dropped: 2, transactions: 1 });
  });

  it("re-checks a stale sender when it sends again", () => {
    const h = harness();
    h.pool.add(tx(1, 0));
    h.pool.add(tx(1, 1));
    h.setAccount(1, 2n);
    const next = tx(1, 2);
    expect(h.pool.add(next).ok).toBe(true);
    expect(hexes(h.pool.candidates(10))).toEqual(hexes([next]));
  });
});
