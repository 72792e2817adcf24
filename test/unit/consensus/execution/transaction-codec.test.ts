// Transactions against an independent implementation: viem signs legacy, EIP-2930 and EIP-1559 transactions
// with the well-known Hardhat key; our encoder must produce the same bytes, our decoder the same hash and sender.
import { describe, expect, it } from "vitest";
import { keccak256 as viemKeccak, parseTransaction, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { decodeTransaction, encodeTransaction } from "../../../../consensus/execution/transaction-codec.ts";
import { nobleRecoverSigner } from "../../../../consensus/execution/recover-signer.ts";
import { signAndEncodeTransaction } from "../../../../consensus/execution/transaction-signer.ts";
import { TxType } from "../../../../consensus/execution/transaction.ts";
import { fromHex, toHex } from "../../../../consensus/crypto/hash.ts";
import { encodeRlp } from "../../../../consensus/execution/rlp.ts";

const HARDHAT_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const HARDHAT_ADDRESS = "f39fd6e51aad88f6f4ce6ab8827279cfffb92266";
const TO = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const account = privateKeyToAccount(HARDHAT_KEY);

function decodeOk(raw: Uint8Array) {
  const d = decodeTransaction(raw);
  if (!d.ok) throw new Error(d.detail);
  return d.value;
}

const cases = [
  {
    name: "legacy EIP-155",
    viem: { type: "legacy", chainId: 31337, nonce: 7, gasPrice: 3_000_000_000n, gas: 21_000n, to: TO, value: 12345n } as const,
    ours: { type: TxType.Legacy, nonce: 7n, maxPriorityFeePerGas: 3_000_000_000n, maxFeePerGas: 3_000_000_000n, accessList: [] },
  },
  {
    name: "EIP-2930 with an access list",
    viem: {
      type: "eip2930", chainId: 31337, nonce: 0, gasPrice: 1_000_000_000n, gas: 30_000n, to: TO, value: 1n,
      accessList: [{ address: TO, storageKeys: [`0x${"00".repeat(31)}01`] }],
    } as const,
    ours: {
      type: TxType.AccessList, nonce: 0n, maxPriorityFeePerGas: 1_000_000_000n, maxFeePerGas: 1_000_000_000n,
      accessList: [{ address: fromHex(TO), storageKeys: [fromHex(`${"00".repeat(31)}01`)] }],
    },
  },
  {
    name: "EIP-1559",
    viem: { type: "eip1559", chainId: 31337, nonce: 300, maxPriorityFeePerGas: 1_500_000_000n, maxFeePerGas: 30_000_000_000n, gas: 21_000n, to: TO, value: 10n ** 18n } as const,
    ours: { type: TxType.DynamicFee, nonce: 300n, maxPriorityFeePerGas: 1_500_000_000n, maxFeePerGas: 30_000_000_000n, accessList: [] },
  },
];

describe("transactions match viem byte for byte", () => {
  for (const c of cases) {
    it(c.name, async () => {
      const signed = await account.signTransaction(c.viem);
      const gas = BigInt(c.viem.gas);
      const ours = signAndEncodeTransaction(
        { ...c.ours, chainId: 31337n, gasLimit: gas, to: fromHex(TO), value: c.viem.value, data: new Uint8Array(0) },
        fromHex(HARDHAT_KEY),
      );
      expect("0x" + toHex(ours)).toBe(signed);
      const decoded = decodeOk(fromHex(signed));
      expect("0x" + toHex(decoded.hash)).toBe(viemKeccak(signed));
      const sender = nobleRecoverSigner(decoded.signingHash, decoded.tx.r, decoded.tx.s, decoded.tx.yParity);
      expect(toHex(sender!)).toBe(HARDHAT_ADDRESS);
      expect(toHex(encodeTransaction(decoded.tx))).toBe(toHex(fromHex(signed)));
      // viem parses what we encode into the same fields.
      const parsed = parseTransaction(("0x" + toHex(ours)) as Hex);
      expect(parsed.nonce).toBe(Number(c.viem.nonce));
      expect(parsed.value).toBe(c.viem.value);
      expect(parsed.to?.toLowerCase()).toBe(TO);
      expect(parsed.chainId).toBe(31337);
    });
  }
});

describe("decoding refuses what is not a canonical supported transaction", () => {
  const valid = fromHex(
    "02f870827a698001843b9aca00825208940101010101010101010101010101010101010101880de0b6b3a764000080c001a09421d73a5bd16071b76a2f560ff9e61995797d4a027e489ce691c2b8f5567571a056b89bfd79822fb17b61fe7a157ccb1b7bf1d2f70f2e98964a30a4bd8dce6592",
  );
  const code = (bytes: Uint8Array) => {
    const d = decodeTransaction(bytes);
    return d.ok ? "ok" : d.code;
  };

  it("accepts the reference EIP-1559 transaction", () => expect(code(valid)).toBe("ok"));
  it("empty input", () => expect(code(new Uint8Array(0))).toBe("TX_ERROR_MALFORMED"));
  it("blob (0x03) and set-code (0x04) types", () => {
    expect(code(Uint8Array.of(3, ...valid.subarray(1)))).toBe("TX_ERROR_UNSUPPORTED_TYPE");
    expect(code(Uint8Array.of(4, ...valid.subarray(1)))).toBe("TX_ERROR_UNSUPPORTED_TYPE");
  });
  it("trailing bytes", () => expect(code(Uint8Array.of(...valid, 0))).toBe("TX_ERROR_MALFORMED"));
  it("truncated", () => expect(code(valid.subarray(0, valid.length - 1))).toBe("TX_ERROR_MALFORMED"));
  it("oversized", () => expect(code(new Uint8Array(128 * 1024 + 1))).toBe("TX_ERROR_TOO_LARGE"));
  it("a scalar with a leading zero byte", () => {
    const f = (hex: string) => fromHex(hex);
    const fields = [f("7a69"), f("0001"), f("01"), f("3b9aca00"), f("5208"), f("01".repeat(20)), f(""), f(""), [], f(""), f("01"), f("01")];
    expect(code(Uint8Array.of(2, ...encodeRlp(fields)))).toBe("TX_ERROR_NON_CANONICAL");
  });
  it("pre-EIP-155 legacy (v = 27)", () => {
    const e = new Uint8Array(0);
    const raw = encodeRlp([e, Uint8Array.of(1), fromHex("5208"), new Uint8Array(20).fill(1), e, e, Uint8Array.of(27), Uint8Array.of(1), Uint8Array.of(1)]);
    expect(code(raw)).toBe("TX_ERROR_MISSING_CHAIN_ID");
  });
  it("wrong field count", () => {
    const e = new Uint8Array(0);
    expect(code(Uint8Array.of(2, ...encodeRlp([e, e, e])))).toBe("TX_ERROR_MALFORMED");
  });
  it("y parity above 1", () => {
    const f = fromHex;
    const fields = [f("7a69"), f(""), f("01"), f("3b9aca00"), f("5208"), f("01".repeat(20)), f(""), f(""), [], f("02"), f("01"), f("01")];
    expect(code(Uint8Array.of(2, ...encodeRlp(fields)))).toBe("TX_ERROR_INVALID_SIGNATURE");
  });
});
