// The lane wallet against a fake node: register, revoke, deposit and withdraw become EIP-1559 transactions that
// decode (transaction-codec.ts) to LANE_ADDRESS with the lane call in data and the right value, and recover to
// the wallet's address; reverts come back as data with an explanation; refusals and unaffordable calls are coded.
import { describe, expect, it } from "vitest";
import { toHex } from "../../../../../consensus/crypto/hash.ts";
import { nobleRecoverSigner } from "../../../../../consensus/execution/recover-signer.ts";
import { decodeTransaction } from "../../../../../consensus/execution/transaction-codec.ts";
import { signAndEncodeTransaction } from "../../../../../consensus/execution/transaction-signer.ts";
import { TxType } from "../../../../../consensus/execution/transaction.ts";
import { decodeLaneCall, LANE_ADDRESS, LaneOp, WEI_PER_QUOTE } from "../../../../../consensus/lane/lane-call.ts";
import { devAccounts } from "../../../../../genesis/devnet-accounts.ts";
import { LaneClientError } from "../../../../../node/lane/client/lane-client-error.ts";
import { buildLaneTransaction, LANE_CALL_GAS_LIMIT, LaneWallet } from "../../../../../node/lane/client/lane-wallet.ts";
import { CHAIN_ID, useFakeLaneNodes, type ReceivedTx } from "./fake-lane-node.ts";

const fakeNode = useFakeLaneNodes();
const DEV2 = devAccounts(1, 2)[0]!;
const TRADING_KEY = new Uint8Array(32).fill(0x42);

function laneCallOf(tx: ReceivedTx) {
  const call = decodeLaneCall(tx.decoded.tx.data);
  if (!call.ok) throw new Error(call.detail);
  return call.value;
}

describe("buildLaneTransaction", () => {
  it("signs a lane call that decodes to LANE_ADDRESS and recovers to the signer", () => {
    const tx = buildLaneTransaction({ op: LaneOp.Deposit }, { chainId: CHAIN_ID, nonce: 5n, fees: { maxFeePerGas: 3n * 10n ** 9n, maxPriorityFeePerGas: 10n ** 9n }, valueWei: 7n * WEI_PER_QUOTE });
    const d = decodeTransaction(signAndEncodeTransaction(tx, DEV2.privateKey));
    if (!d.ok) throw new Error(d.detail);
    expect(d.value.tx).toMatchObject({ type: TxType.DynamicFee, chainId: CHAIN_ID, nonce: 5n, value: 7n * WEI_PER_QUOTE, gasLimit: LANE_CALL_GAS_LIMIT });
    expect(toHex(d.value.tx.to!)).toBe(toHex(LANE_ADDRESS));
    expect([...d.value.tx.data]).toEqual([LaneOp.Deposit]);
    expect(toHex(nobleRecoverSigner(d.value.signingHash, d.value.tx.r, d.value.tx.s, d.value.tx.yParity)!)).toBe(toHex(DEV2.address));
  });

  it("refuses value on anything but a deposit", () => {
    expect(() => buildLaneTransaction({ op: LaneOp.Withdraw, amountQuote: 1n }, { chainId: 1n, nonce: 0n, fees: { maxFeePerGas: 1n, maxPriorityFeePerGas: 1n }, valueWei: 1n })).toThrow(/only a deposit/);
  });
});

describe("LaneWallet", () => {
  it("registers, deposits, withdraws and revokes with the pending nonce; each transaction recovers to the wallet", async () => {
    const node = await fakeNode();
    const wallet = new LaneWallet(node.url, DEV2.privateKey);
    expect(wallet.addressHex).toBe(`0x${toHex(DEV2.address)}`);
    const results = [
      await wallet.registerKey(TRADING_KEY),
      await wallet.deposit(1_000_000_000n),
      await wallet.withdraw(250_000_000n),
      await wallet.revokeKey(TRADING_KEY),
    ];
    expect(results.map((r) => r.status)).toEqual(["success", "success", "success", "success"]);
    expect(results[0]).toMatchObject({ blockNumber: 12, gasUsed: 50_000n });
    expect(node.txs.map((t) => t.from)).toEqual(Array(4).fill(wallet.addressHex));
    expect(node.txs.map((t) => t.decoded.tx.nonce)).toEqual([3n, 4n, 5n, 6n]);
    expect(node.txs.map((t) => t.decoded.tx.chainId)).toEqual(Array(4).fill(CHAIN_ID));
    expect(node.txs.every((t) => toHex(t.decoded.tx.to!) === toHex(LANE_ADDRESS))).toBe(true);
    expect(node.txs.map((t) => t.decoded.tx.value)).toEqual([0n, 1_000_000_000n * WEI_PER_QUOTE, 0n, 0n]);
    const calls = node.txs.map(laneCallOf);
    expect(calls[0]).toEqual({ op: LaneOp.RegisterKey, tradingKey: TRADING_KEY });
    expect(calls[1]).toEqual({ op: LaneOp.Deposit });
    expect(calls[2]).toEqual({ op: LaneOp.Withdraw, amountQuote: 250_000_000n });
    expect(calls[3]).toEqual({ op: LaneOp.RevokeKey, tradingKey: TRADING_KEY });
    // Fee cap: twice the base fee (gas price 2 gwei minus the 1 gwei tip) plus the tip.
    expect(node.txs[0]!.decoded.tx).toMatchObject({ maxPriorityFeePerGas: 10n ** 9n, maxFeePerGas: 3n * 10n ** 9n });
  });

  it("reports a revert with its lane call code and what it means", async () => {
    const node = await fakeNode();
    node.receipt = () => ({ status: "0x0", revertReason: "LANE_CALL_ERROR_KEY_REVOKED" });
    const r = await new LaneWallet(node.url, DEV2.privateKey).registerKey(TRADING_KEY);
    expect(r.status).toBe("reverted");
    expect(r.revertReason).toBe("LANE_CALL_ERROR_KEY_REVOKED");
    expect(r.explanation).toMatch(/revoked trading key can never be registered again/);
  });

  it("turns a node's refusal and an unaffordable deposit into coded errors", async () => {
    const node = await fakeNode();
    node.handlers.set("eth_sendRawTransaction", () => ({ rpcError: { code: -32000, message: "nonce too low" } }));
    const wallet = new LaneWallet(node.url, DEV2.privateKey);
    await expect(wallet.registerKey(TRADING_KEY)).rejects.toThrow(/^LANE_CLIENT_ERROR_TX_REFUSED: the node refused the transaction: nonce too low$/);
    node.balanceWei = 10n ** 18n;
    const err = await wallet.deposit(2_000_000n).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LaneClientError);
    expect((err as LaneClientError).code).toBe("LANE_CLIENT_ERROR_TX_REFUSED");
    expect((err as Error).message).toMatch(/holds 1000000000000000000 wei/);
  });

  it("times out waiting for a receipt that never comes", async () => {
    const node = await fakeNode();
    node.handlers.set("eth_getTransactionReceipt", () => null);
    const err = await new LaneWallet(node.url, DEV2.privateKey).deposit(1n, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect((err as LaneClientError).code).toBe("LANE_CLIENT_ERROR_TIMEOUT");
  });
});
