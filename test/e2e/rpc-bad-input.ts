// Bad input against a running node's JSON-RPC, each with the error a wallet expects (JSON-RPC 2.0 / EIP-1474):
// malformed JSON, wrong parameter types, an oversized body, an unknown method, a transaction with an invalid
// signature, one for another chain id, and one that leaves a nonce gap. Used by the devnet e2e tests.

import { expect } from "vitest";
import { parseEther, type Hex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { SECP256K1_N } from "../../consensus/execution/recover-signer.ts";
import { DEV_MNEMONIC } from "./devnet-scenario.ts";

async function post(url: string, body: string): Promise<{ status: number; json: { error?: { code: number; message: string }; result?: unknown } | null }> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
  return { status: res.status, json: (await res.json().catch(() => null)) as never };
}

async function call(url: string, method: string, params: unknown[]) {
  return (await post(url, JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }))).json!;
}

export async function badInputChecks(url: string, chainId: number): Promise<void> {
  expect((await post(url, '{"jsonrpc":"2.0","id":1,"method":')).json?.error?.code).toBe(-32700);
  expect((await call(url, "eth_getBalance", [12, "latest"])).error?.code).toBe(-32602);
  expect((await call(url, "eth_noSuchMethod", [])).error?.code).toBe(-32601);
  const big = await post(url, JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: ["x".repeat(2 * 1024 * 1024)] }));
  expect(big.status).toBe(413);

  const account = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 2 });
  const to = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 3 }).address;
  const nonceHex = (await call(url, "eth_getTransactionCount", [account.address, "pending"])).result as Hex;
  const nonce = Number(BigInt(nonceHex));
  const base = { to, value: parseEther("0.01"), gas: 21_000n, maxFeePerGas: 100_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n, type: "eip1559" as const };

  const wrongChain = await account.signTransaction({ ...base, chainId: chainId + 1, nonce });
  const wrong = await call(url, "eth_sendRawTransaction", [wrongChain]);
  expect(wrong.error?.code).toBe(-32000);
  expect(wrong.error?.message).toMatch(/invalid chain id/);

  const gap = await account.signTransaction({ ...base, chainId, nonce: nonce + 5 });
  const gapped = await call(url, "eth_sendRawTransaction", [gap]);
  expect(gapped.error?.code).toBe(-32000);
  expect(gapped.error?.message).toMatch(/nonce too high/);

  // Replace s by N - s: the same curve point check passes, but high s is refused (EIP-2) as an invalid signature.
  const good = await account.signTransaction({ ...base, chainId, nonce });
  const bytes = Buffer.from(good.slice(2), "hex");
  const sOld = BigInt(`0x${bytes.subarray(bytes.length - 32).toString("hex")}`);
  const sHigh = SECP256K1_N - sOld;
  bytes.set(Buffer.from(sHigh.toString(16).padStart(64, "0"), "hex"), bytes.length - 32);
  const tampered = await call(url, "eth_sendRawTransaction", [`0x${bytes.toString("hex")}`]);
  expect(tampered.error?.code).toBe(-32000);
  expect(tampered.error?.message).toMatch(/invalid transaction v, r, s values/);
}
