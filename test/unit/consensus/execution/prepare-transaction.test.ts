// Stateless transaction rules: chain id, signature ranges (EIP-2 low s), transfers-only policy with the staking
// exception, fee fields and intrinsic gas. Each refusal has its own code.
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { describe, expect, it } from "vitest";
import { prepareTransaction } from "../../../../consensus/execution/prepare-transaction.ts";
import { SECP256K1_N, nobleRecoverSigner } from "../../../../consensus/execution/recover-signer.ts";
import { STAKING_ADDRESS } from "../../../../consensus/execution/staking-call.ts";
import { decodeTransaction, encodeTransaction } from "../../../../consensus/execution/transaction-codec.ts";
import { signTransaction } from "../../../../consensus/execution/transaction-signer.ts";
import { TxType } from "../../../../consensus/execution/transaction.ts";
import { TEST_PARAMS, accountAddress, accountSecret, bondCall, stakingTx, transferTx, unsignedTx } from "../../../support/execution-fixtures.ts";

const TO = accountAddress(2);
const prep = (raw: Uint8Array) => prepareTransaction(raw, TEST_PARAMS, nobleRecoverSigner);
const codeOf = (raw: Uint8Array) => {
  const r = prep(raw);
  return r.ok ? "ok" : r.code;
};

function word(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

describe("prepareTransaction", () => {
  it("accepts transfers of every type and recovers the sender", () => {
    for (const type of [TxType.Legacy, TxType.AccessList, TxType.DynamicFee]) {
      const r = prep(transferTx(1, TO, 5n, { type }));
      expect(r.ok, `type ${type}`).toBe(true);
      if (r.ok) {
        expect(r.value.from).toEqual(accountAddress(1));
        expect(r.value.gasUsed).toBe(21_000n);
        expect(r.value.stakingCall).toBeNull();
      }
    }
  });

  it("refuses a wrong chain id", () => expect(codeOf(transferTx(1, TO, 5n, { chainId: 1n }))).toBe("TX_ERROR_WRONG_CHAIN_ID"));

  it("a mutated signature recovers someone else or nobody, never the sender", () => {
    const signed = signTransaction(unsignedTx(TO, 5n), accountSecret(1));
    const r = signed.r.slice();
    r[31]! ^= 1;
    const res = prep(encodeTransaction({ ...signed, r }));
    if (res.ok) expect(res.value.from).not.toEqual(accountAddress(1));
    else expect(res.code).toBe("TX_ERROR_INVALID_SIGNATURE");
  });

  it("refuses r = 0, r >= n and s = 0", () => {
    const signed = signTransaction(unsignedTx(TO, 5n), accountSecret(1));
    expect(codeOf(encodeTransaction({ ...signed, r: new Uint8Array(32) }))).toBe("TX_ERROR_INVALID_SIGNATURE");
    expect(codeOf(encodeTransaction({ ...signed, r: word(SECP256K1_N) }))).toBe("TX_ERROR_INVALID_SIGNATURE");
    expect(codeOf(encodeTransaction({ ...signed, s: new Uint8Array(32) }))).toBe("TX_ERROR_INVALID_SIGNATURE");
  });

  it("refuses high s (EIP-2), although the flipped signature is otherwise valid", () => {
    const signed = signTransaction(unsignedTx(TO, 5n), accountSecret(1));
    let s = 0n;
    for (const b of signed.s) s = (s << 8n) | BigInt(b);
    const flipped = { ...signed, s: word(SECP256K1_N - s), yParity: (1 - signed.yParity) as 0 | 1 };
    // The flipped signature is mathematically valid for the same key: only EIP-2 refuses it.
    const decoded = decodeTransaction(encodeTransaction(flipped));
    expect(decoded.ok).toBe(true);
    if (decoded.ok) {
      const sig = new secp256k1.Signature(BigInt("0x" + Buffer.from(flipped.r).toString("hex")), SECP256K1_N - s, flipped.yParity);
      const pub = sig.recoverPublicKey(decoded.value.signingHash).toBytes(false);
      expect(pub).toEqual(secp256k1.getPublicKey(accountSecret(1), false));
    }
    expect(codeOf(encodeTransaction(flipped))).toBe("TX_ERROR_SIGNATURE_HIGH_S");
  });

  it("refuses contract creation and contract calls", () => {
    expect(codeOf(transferTx(1, null as never, 0n, { gasLimit: 100_000n }))).toBe("TX_ERROR_CONTRACT_CREATION_UNSUPPORTED");
    expect(codeOf(transferTx(1, TO, 0n, { data: Uint8Array.of(0xa9, 0x05, 0x9c, 0xbb) }))).toBe("TX_ERROR_CONTRACT_CALL_UNSUPPORTED");
  });

  it("accepts staking calls and refuses malformed or empty ones", () => {
    const ok = prep(stakingTx(1, bondCall(5, 1), 1n));
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(ok.value.gasUsed).toBe(50_000n);
    expect(codeOf(transferTx(1, STAKING_ADDRESS, 1n, { gasLimit: 50_000n }))).toBe("TX_ERROR_STAKING_MALFORMED_CALL");
    expect(codeOf(transferTx(1, STAKING_ADDRESS, 0n, { gasLimit: 50_000n, data: Uint8Array.of(9, 1, 2) }))).toBe("TX_ERROR_STAKING_MALFORMED_CALL");
    expect(codeOf(stakingTx(1, bondCall(5, 1), 1n, { gasLimit: 21_000n }))).toBe("TX_ERROR_INTRINSIC_GAS_TOO_LOW");
  });

  it("checks gas and fee fields", () => {
    expect(codeOf(transferTx(1, TO, 1n, { gasLimit: 20_999n }))).toBe("TX_ERROR_INTRINSIC_GAS_TOO_LOW");
    expect(codeOf(transferTx(1, TO, 1n, { gasLimit: TEST_PARAMS.blockGasLimit + 1n }))).toBe("TX_ERROR_GAS_LIMIT_ABOVE_BLOCK_LIMIT");
    expect(codeOf(transferTx(1, TO, 1n, { tip: 3n, cap: 2n }))).toBe("TX_ERROR_TIP_ABOVE_FEE_CAP");
    expect(codeOf(transferTx(1, TO, 1n, { nonce: 2n ** 64n - 1n }))).toBe("TX_ERROR_NONCE_MAX");
  });

  it("never throws on garbage", () => {
    for (const bytes of [Uint8Array.of(), Uint8Array.of(0xc0), Uint8Array.of(0x02, 0xc0), Uint8Array.of(0xff, 0xff)]) {
      expect(prep(bytes).ok).toBe(false);
    }
  });
});
