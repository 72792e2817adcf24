// The mempool against real block execution: random transactions (nonce gaps, stale nonces, replacements, thin
// balances) go through add(), blocks are built from candidates() by consensus/execution's builder and committed,
// and the builder must never skip a candidate, for a nonce error or any other reason.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastKeccak256 } from "../../../../consensus/crypto/keccak256.ts";
import { getAccount } from "../../../../consensus/state/state-access.ts";
import { createNativeRecoverSigner } from "../../../../node/crypto/secp256k1-native.ts";
import { Mempool } from "../../../../node/mempool/mempool.ts";
import { ETHER, GWEI, TEST_CTX, TestChain, accountAddress, testGenesis, transferTx } from "../../../support/execution-fixtures.ts";

const recoverSigner = createNativeRecoverSigner();
const SENDERS = [1, 2, 3, 4];
/** Thin balances for some senders so that funds run out mid-run. */
const BALANCES = [ETHER / 100n, ETHER, 1_000n * ETHER, 1_000n * ETHER];

type Step =
  | { kind: "add"; sender: number; nonceShift: number; tipTenths: number; capTenths: number; value: bigint; to: number }
  | { kind: "block"; take: number }
  | { kind: "foreign"; sender: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("add" as const),
      sender: fc.constantFrom(...SENDERS),
      nonceShift: fc.constantFrom(0, 0, 0, 0, -1, -2, 1),
      tipTenths: fc.integer({ min: 0, max: 30 }),
      capTenths: fc.integer({ min: 5, max: 40 }),
      value: fc.constantFrom(0n, ETHER / 1000n, ETHER / 50n, ETHER / 2n),
      to: fc.constantFrom(1, 2, 3, 4, 60),
    }),
  },
  {
    // Outbids the previous nonce's transaction unless that one was already a replacement.
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("add" as const),
      sender: fc.constantFrom(...SENDERS),
      nonceShift: fc.constant(-1),
      tipTenths: fc.integer({ min: 33, max: 40 }),
      capTenths: fc.integer({ min: 44, max: 50 }),
      value: fc.constant(0n),
      to: fc.constant(60),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("block" as const), take: fc.integer({ min: 1, max: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("foreign" as const), sender: fc.constantFrom(...SENDERS) }) },
);

/** Across all runs: what happened, to show the property was not vacuously true. */
const seen = { included: 0, foreign: 0, evicted: 0, maxSize: 0, codes: new Set<string>() };

function run(steps: Step[]): void {
  const genesis = testGenesis({ accounts: SENDERS.map((n, i) => ({ address: accountAddress(n), balance: BALANCES[i]! })) });
  const chain = new TestChain(genesis, { ...TEST_CTX, params: genesis.params, recoverSigner });
  const pool = new Mempool({
    params: genesis.params,
    recoverSigner,
    account: (a) => getAccount(chain.state, a),
    limits: { transactionsMax: 8, perSenderMax: 4, bytesMax: 1 << 20 },
    sweepSendersPerCommit: 0,
  });
  let foreignValue = 1n;
  const commit = (txs: Uint8Array[], tellSenders: boolean) => {
    const r = chain.advance(txs);
    expect(r.skippedCodes).toEqual([]);
    expect(r.block.transactions.length).toBe(txs.length);
    seen.included += txs.length;
    const senders = tellSenders ? SENDERS.map(accountAddress) : [];
    pool.onCommitted(r.block.transactions.map((raw) => fastKeccak256(raw)), senders);
  };
  for (const s of steps) {
    if (s.kind === "add") {
      const nonce = pool.pendingNonce(accountAddress(s.sender)) + BigInt(s.nonceShift);
      if (nonce < 0n) continue;
      const cap = (BigInt(s.capTenths) * GWEI) / 10n;
      const tip = (BigInt(Math.min(s.tipTenths, s.capTenths)) * GWEI) / 10n;
      const added = pool.add(transferTx(s.sender, accountAddress(s.to), s.value, { nonce, tip, cap }));
      seen.codes.add(added.ok ? (added.replaced ? "replaced" : "ok") : added.code);
    } else if (s.kind === "block") {
      commit(pool.candidates(s.take), false);
    } else {
      // A transaction the pool never saw uses the sender's next nonce (sent to another validator).
      const nonce = getAccount(chain.state, accountAddress(s.sender)).nonce;
      const foreign = transferTx(s.sender, accountAddress(60), foreignValue++, { nonce, tip: GWEI, cap: 2n * GWEI });
      if (getAccount(chain.state, accountAddress(s.sender)).balance >= 21_000n * 2n * GWEI + foreignValue) {
        commit([foreign], true);
        seen.foreign++;
      }
    }
    expect(pool.size).toBeLessThanOrEqual(8);
    seen.maxSize = Math.max(seen.maxSize, pool.size);
  }
  seen.evicted += pool.stats().evicted;
  commit(pool.candidates(1_000), false);
  expect(pool.size).toBe(0);
}

describe("Mempool with block execution", () => {
  it("hands the builder candidates that all apply in order", () => {
    fc.assert(fc.property(fc.array(step, { minLength: 20, maxLength: 60 }), run), { numRuns: 60 });
    expect(seen.included).toBeGreaterThan(100);
    expect(seen.foreign).toBeGreaterThan(5);
    expect(seen.codes).toContain("MEMPOOL_ERROR_NONCE_GAP");
    expect(seen.codes).toContain("MEMPOOL_ERROR_NONCE_TOO_LOW");
    expect(seen.codes).toContain("replaced");
    expect(seen.maxSize).toBe(8);
  });
});
