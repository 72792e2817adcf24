// Property tests for execution codecs: decode(encode(x)) = x for transactions, RLP, accounts, validator records,
// epoch records, staking calls, receipts and state proofs; arbitrary bytes give only coded failures, never throw.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeRlp, encodeRlp, type RlpInput, type RlpItem } from "../../consensus/execution/rlp.ts";
import { decodeWith } from "../../consensus/codec/codec-error.ts";
import { decodeTransaction, encodeTransaction } from "../../consensus/execution/transaction-codec.ts";
import { TxType, type SignedTransaction } from "../../consensus/execution/transaction.ts";
import { decodeAccount, encodeAccount } from "../../consensus/state/account.ts";
import { decodeValidatorRecord, encodeValidatorRecord } from "../../consensus/state/validator-record.ts";
import { decodeEpochRecord, encodeEpochRecord } from "../../consensus/state/epoch-record.ts";
import { decodeKeyList, encodeKeyList } from "../../consensus/state/key-list.ts";
import { decodeStakingCall, encodeStakingCall, type StakingCall } from "../../consensus/execution/staking-call.ts";
import { decodeReceipt, encodeReceipt } from "../../consensus/execution/receipt.ts";
import { decodeStateProof, encodeStateProof } from "../../consensus/state/state-proof.ts";
import { prepareTransaction } from "../../consensus/execution/prepare-transaction.ts";
import { nobleRecoverSigner } from "../../consensus/execution/recover-signer.ts";
import { compareBytes, toHex } from "../../consensus/crypto/hash.ts";
import { fastKeccak256, keccak256Parts } from "../../consensus/crypto/keccak256.ts";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { fastSha256, sha256Parts } from "../../consensus/crypto/sha256-fast.ts";
import { TEST_PARAMS } from "../support/execution-fixtures.ts";

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const u = (bits: number) => fc.bigInt({ min: 0n, max: 2n ** BigInt(bits) - 1n });
/** A 32-byte word as a canonical scalar decodes it: leading zeros allowed in the word, any value. */
const word = bytes(32);
const height = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

const signedTx: fc.Arbitrary<SignedTransaction> = fc
  .record({
    type: fc.constantFrom(TxType.Legacy, TxType.AccessList, TxType.DynamicFee),
    chainId: u(64),
    nonce: u(64),
    tip: u(256),
    cap: u(256),
    gasLimit: u(64),
    to: fc.option(bytes(20), { nil: null }),
    value: u(256),
    data: fc.uint8Array({ maxLength: 200 }),
    accessList: fc.array(fc.record({ address: bytes(20), storageKeys: fc.array(bytes(32), { maxLength: 3 }) }), { maxLength: 3 }),
    yParity: fc.constantFrom(0 as const, 1 as const),
    r: word,
    s: word,
  })
  .map((t) => ({
    type: t.type,
    chainId: t.chainId,
    nonce: t.nonce,
    maxPriorityFeePerGas: t.type === TxType.DynamicFee ? t.tip : t.cap,
    maxFeePerGas: t.cap,
    gasLimit: t.gasLimit,
    to: t.to,
    value: t.value,
    data: t.data,
    accessList: t.type === TxType.Legacy ? [] : t.accessList,
    yParity: t.yParity,
    r: t.r,
    s: t.s,
  }));

const rlpInput: fc.Arbitrary<RlpInput> = fc.letrec<{ node: RlpInput }>((tie) => ({
  node: fc.oneof({ depthSize: "small" }, fc.uint8Array({ maxLength: 70 }), fc.array(tie("node"), { maxLength: 4 })),
})).node;

function toInput(item: RlpItem): RlpInput {
  return item.kind === "bytes" ? item.value.slice() : item.items.map(toInput);
}

const validatorRecord = fc
  .record({
    publicKey: bytes(32),
    operator: bytes(20),
    bondedStake: u(256),
    heights: fc.uniqueArray(fc.integer({ min: 0, max: 1e12 }), { maxLength: 16 }),
    amount: u(200),
    jailed: fc.boolean(),
    jailedUntilHeight: height,
    slashed: fc.boolean(),
  })
  .map((r) => ({
    publicKey: r.publicKey,
    operator: r.operator,
    bondedStake: r.bondedStake,
    unbonding: [...r.heights].sort((a, b) => a - b).map((releaseHeight) => ({ amount: r.amount, releaseHeight })),
    jailed: r.jailed,
    jailedUntilHeight: r.jailedUntilHeight,
    slashed: r.slashed,
  }));

const epochSet = fc.record({
  seed: bytes(32),
  validators: fc.array(fc.record({ publicKey: bytes(32), operator: bytes(20), stake: u(256) }), { maxLength: 6 }),
});
const epochRecord = fc.record({ epoch: height, startHeight: height, current: epochSet, previous: fc.option(epochSet, { nil: null }) });

const stakingCall: fc.Arbitrary<StakingCall> = fc.oneof(
  fc.record({ op: fc.constant(1 as const), publicKey: bytes(32), proof: bytes(64) }),
  fc.record({ op: fc.constant(2 as const), publicKey: bytes(32), amount: u(256) }),
  fc.record({ op: fc.constant(3 as const), publicKey: bytes(32) }),
);

const receipt = fc.record({
  transactionHash: bytes(32),
  from: bytes(20),
  to: fc.option(bytes(20), { nil: null }),
  status: fc.constantFrom(0 as const, 1 as const),
  gasUsed: u(64),
  cumulativeGasUsed: u(64),
  effectiveGasPrice: u(256),
  revertCode: fc.option(fc.constantFrom("STAKING_ERROR_NOT_OPERATOR", "STAKING_ERROR_STILL_JAILED"), { nil: null }),
});

const stateProof = fc.record({
  siblings: fc.array(bytes(32), { maxLength: 40 }),
  otherLeaf: fc.option(fc.record({ path: bytes(32), valueHash: bytes(32) }), { nil: null }),
});

function roundTrips<T>(arb: fc.Arbitrary<T>, enc: (x: T) => Uint8Array, dec: (b: Uint8Array) => { ok: boolean; value?: T }): void {
  fc.assert(
    fc.property(arb, (x) => {
      const d = dec(enc(x));
      expect(d.ok).toBe(true);
      expect(d.value).toEqual(x);
    }),
    { numRuns: 200 },
  );
}

function neverThrows(dec: (b: Uint8Array) => { ok: boolean }): void {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (b) => void dec(b)), { numRuns: 500 });
}

describe("execution codecs round-trip", () => {
  it("transactions", () => {
    fc.assert(
      fc.property(signedTx, (tx) => {
        const raw = encodeTransaction(tx);
        const d = decodeTransaction(raw);
        expect(d.ok).toBe(true);
        if (d.ok) expect(d.value.tx).toEqual(tx);
      }),
      { numRuns: 200 },
    );
  });
  it("rlp", () => {
    fc.assert(
      fc.property(rlpInput, (x) => {
        const d = decodeWith(() => decodeRlp(encodeRlp(x), { maxDepth: 64, maxItems: 10_000 }));
        expect(d.ok).toBe(true);
        if (d.ok) expect(toInput(d.value)).toEqual(x instanceof Uint8Array ? x.slice() : x);
      }),
      { numRuns: 200 },
    );
  });
  it("accounts", () => roundTrips(fc.record({ balance: u(256), nonce: u(64) }), encodeAccount, decodeAccount));
  it("validator records", () => roundTrips(validatorRecord, encodeValidatorRecord, decodeValidatorRecord));
  it("epoch records", () => roundTrips(epochRecord, encodeEpochRecord, decodeEpochRecord));
  it("key lists", () => roundTrips(fc.uniqueArray(bytes(32), { maxLength: 10, comparator: (a, b) => compareBytes(a, b) === 0 }).map((k) => k.sort(compareBytes)), encodeKeyList, decodeKeyList));
  it("staking calls", () => roundTrips(stakingCall, encodeStakingCall, decodeStakingCall));
  it("receipts", () => roundTrips(receipt, encodeReceipt, decodeReceipt));
  it("state proofs", () => roundTrips(stateProof, encodeStateProof, decodeStateProof));
});

describe("arbitrary bytes give coded failures only", () => {
  it("transactions, typed envelopes and the whole prepare pipeline", () => {
    neverThrows(decodeTransaction);
    fc.assert(fc.property(fc.constantFrom(1, 2), fc.uint8Array({ maxLength: 300 }), (t, b) => void decodeTransaction(Uint8Array.of(t, 0xf8, b.length, ...b))), { numRuns: 300 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => void prepareTransaction(b, TEST_PARAMS, nobleRecoverSigner)), { numRuns: 300 });
  });
  it("rlp", () => neverThrows((b) => decodeWith(() => decodeRlp(b, { maxDepth: 4, maxItems: 100 }))));
  it("state records", () => {
    for (const dec of [decodeAccount, decodeValidatorRecord, decodeEpochRecord, decodeKeyList, decodeStakingCall, decodeReceipt, decodeStateProof]) {
      neverThrows(dec);
    }
  });
  it("mutating one byte of a valid transaction never throws", () => {
    fc.assert(
      fc.property(signedTx, fc.nat(), fc.integer({ min: 1, max: 255 }), (tx, at, x) => {
        const raw = encodeTransaction(tx);
        raw[at % raw.length]! ^= x;
        void decodeTransaction(raw);
      }),
      { numRuns: 300 },
    );
  });
});

describe("fast keccak256", () => {
  it("equals @noble/hashes keccak_256 for any input and any split into parts", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), fc.nat(), fc.nat(), (data, a, b) => {
        const i = data.length === 0 ? 0 : a % (data.length + 1);
        const j = i + (data.length - i === 0 ? 0 : b % (data.length - i + 1));
        const expected = toHex(keccak_256(data));
        expect(toHex(fastKeccak256(data))).toBe(expected);
        expect(toHex(keccak256Parts([data.subarray(0, i), data.subarray(i, j), data.subarray(j)]))).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
  it("known answers", () => {
    expect(toHex(fastKeccak256(new Uint8Array(0)))).toBe("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    expect(toHex(fastKeccak256(new TextEncoder().encode("abc")))).toBe("4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  });
});

describe("fast sha256", () => {
  it("equals @noble/hashes sha256 for any input and any split into parts", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), fc.nat(), (data, a) => {
        const i = data.length === 0 ? 0 : a % (data.length + 1);
        const expected = toHex(nobleSha256(data));
        expect(toHex(fastSha256(data))).toBe(expected);
        expect(toHex(sha256Parts([data.subarray(0, i), data.subarray(i)]))).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});
