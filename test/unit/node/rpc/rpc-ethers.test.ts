// ethers v6 against the RPC server unchanged: JsonRpcProvider network detection and reads, a Wallet from the dev
// mnemonic sending EIP-1559 and legacy transfers, receipts, and ethers' error classification of node messages.
import { HDNodeWallet, JsonRpcProvider, WebSocketProvider, isError, parseEther } from "ethers";
import { describe, expect, it } from "vitest";
import { formatAddress } from "../../../../node/rpc/hex.ts";
import { DEV0, DEV1, ETHER, useRpcServers } from "./rpc-test-server.ts";

const MNEMONIC = "test test test test test test test test test test test junk";
const startServer = useRpcServers();

function providerFor(url: string): JsonRpcProvider {
  return new JsonRpcProvider(url, undefined, { polling: false, cacheTimeout: -1 });
}

describe("ethers JsonRpcProvider", () => {
  it("detects the network and reads blocks and balances", async () => {
    const t = await startServer();
    t.backend.commit();
    const provider = providerFor(t.url);
    try {
      const network = await provider.getNetwork();
      expect(network.chainId).toBe(31337n);
      expect(await provider.getBlockNumber()).toBe(1);
      expect(await provider.getBalance(formatAddress(DEV0!.address))).toBe(10_000n * ETHER);
      const block = await provider.getBlock("latest");
      expect(block!.number).toBe(1);
      expect(block!.hash).toBe(`0x${Buffer.from(t.backend.blocks[1]!.hash).toString("hex")}`);
      expect(block!.timestamp).toBe(Math.floor(t.backend.blocks[1]!.block.header.timestampMs / 1000));
      expect(await provider.getBlock(99)).toBeNull();
      expect(await provider.getCode(formatAddress(DEV0!.address))).toBe("0x");
      const fees = await provider.getFeeData();
      expect(fees.maxPriorityFeePerGas).toBe(1_000_000_000n);
      expect(fees.gasPrice).toBe(2_000_000_000n);
    } finally {
      provider.destroy();
    }
  });

  it("sends EIP-1559 and legacy transfers from a dev mnemonic wallet", async () => {
    const t = await startServer();
    const provider = providerFor(t.url);
    try {
      const wallet = HDNodeWallet.fromPhrase(MNEMONIC).connect(provider);
      expect(wallet.address.toLowerCase()).toBe(formatAddress(DEV0!.address));
      const to = formatAddress(DEV1!.address);
      const sent = await wallet.sendTransaction({ to, value: parseEther("2") });
      expect(sent.type).toBe(2);
      const legacy = await wallet.sendTransaction({ to, value: 7n, type: 0, nonce: 1 });
      expect(t.backend.mempool.size).toBe(2);
      t.backend.commit();
      const receipt = await provider.getTransactionReceipt(sent.hash);
      expect(receipt!.status).toBe(1);
      expect(receipt!.gasUsed).toBe(21_000n);
      expect(receipt!.blockNumber).toBe(1);
      const legacyReceipt = await provider.getTransactionReceipt(legacy.hash);
      expect(legacyReceipt!.type).toBe(0);
      expect(legacyReceipt!.index).toBe(1);
      const tx = await provider.getTransaction(legacy.hash);
      expect(tx!.type).toBe(0);
      expect(tx!.from.toLowerCase()).toBe(formatAddress(DEV0!.address));
      expect(tx!.chainId).toBe(31337n);
      expect(await provider.getBalance(to)).toBe(parseEther("2") + 7n);
      expect(await provider.getTransactionCount(wallet.address)).toBe(2);
    } finally {
      provider.destroy();
    }
  });

  it("classifies nonce-too-low and insufficient-funds refusals", async () => {
    const t = await startServer();
    const provider = providerFor(t.url);
    try {
      const wallet = HDNodeWallet.fromPhrase(MNEMONIC).connect(provider);
      const to = formatAddress(DEV1!.address);
      await wallet.sendTransaction({ to, value: 1n });
      t.backend.commit();
      const stale = await wallet.sendTransaction({ to, value: 1n, nonce: 0 }).catch((e: unknown) => e);
      expect(isError(stale, "NONCE_EXPIRED")).toBe(true);
      const broke = await wallet
        .sendTransaction({ to, value: 20_000n * ETHER, gasLimit: 21_000n })
        .catch((e: unknown) => e);
      expect(isError(broke, "INSUFFICIENT_FUNDS")).toBe(true);
    } finally {
      provider.destroy();
    }
  });
});

describe("ethers WebSocketProvider", () => {
  it("reads over WebSocket and gets block events from newHeads", async () => {
    const t = await startServer();
    const provider = new WebSocketProvider(t.wsUrl);
    try {
      expect((await provider.getNetwork()).chainId).toBe(31337n);
      const seen = new Promise<number>((resolve) => void provider.on("block", (n: number) => resolve(n)));
      // ethers subscribes in the background; commit until it reports a block (event-driven, no fixed sleep).
      const producer = setInterval(() => t.backend.commit(), 20);
      const n = await seen.finally(() => clearInterval(producer));
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(t.backend.headHeight());
      // removeAllListeners sends eth_unsubscribe without waiting; one more round trip lets it finish first.
      await provider.removeAllListeners();
      expect(await provider.send("eth_chainId", [])).toBe("0x7a69");
    } finally {
      await provider.destroy();
    }
  });
});
