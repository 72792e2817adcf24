// viem against the RPC server unchanged: public client reads over http() and webSocket(), a wallet client that
// signs a transfer with the dev mnemonic account and sends it (viem's fee estimation, nonce lookup and
// serialization, decoded by the real transaction codec in the fake backend), receipts, newHeads, error mapping.
import {
  NonceTooLowError,
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  parseEther,
  webSocket,
  type TransactionReceipt,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { formatAddress } from "../../../../node/rpc/hex.ts";
import { DEV0, DEV1, ETHER, useRpcServers } from "./rpc-test-server.ts";

const MNEMONIC = "test test test test test test test test test test test junk";
const startServer = useRpcServers();

function chainFor(url: string) {
  return defineChain({
    id: 31337,
    name: "xdpchain-test",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [url] } },
  });
}

describe("viem over http", () => {
  it("reads chain id, block number, balances and blocks", async () => {
    const t = await startServer();
    t.backend.commit();
    const client = createPublicClient({ chain: chainFor(t.url), transport: http(t.url, { retryCount: 0 }) });
    expect(await client.getChainId()).toBe(31337);
    expect(await client.getBlockNumber({ cacheTime: 0 })).toBe(1n);
    expect(await client.getBalance({ address: formatAddress(DEV0!.address) as `0x${string}` })).toBe(10_000n * ETHER);
    expect(await client.getBalance({ address: formatAddress(DEV1!.address) as `0x${string}` })).toBe(0n);
    const latest = await client.getBlock({ blockTag: "latest" });
    expect(latest.number).toBe(1n);
    expect(latest.hash).toBe(`0x${Buffer.from(t.backend.blocks[1]!.hash).toString("hex")}`);
    expect(latest.baseFeePerGas).toBe(1_000_000_000n);
    const finalized = await client.getBlock({ blockTag: "finalized" });
    expect(finalized.hash).toBe(latest.hash);
    const genesis = await client.getBlock({ blockNumber: 0n });
    expect(latest.parentHash).toBe(genesis.hash);
    expect(await client.getBytecode({ address: formatAddress(DEV0!.address) as `0x${string}` })).toBeUndefined();
    expect(await client.getGasPrice()).toBe(2_000_000_000n);
  });

  it("signs and sends a transfer from the dev mnemonic; the receipt appears at commit", async () => {
    const t = await startServer();
    const account = mnemonicToAccount(MNEMONIC);
    expect(account.address.toLowerCase()).toBe(formatAddress(DEV0!.address));
    const chain = chainFor(t.url);
    const wallet = createWalletClient({ account, chain, transport: http(t.url, { retryCount: 0 }) });
    const to = formatAddress(DEV1!.address) as `0x${string}`;
    const hash = await wallet.sendTransaction({ to, value: parseEther("1.5") });
    expect(t.backend.mempool.size).toBe(1);

    const client = createPublicClient({ chain, transport: http(t.url, { retryCount: 0 }) });
    const pending = await client.getTransaction({ hash });
    expect(pending.blockNumber).toBeNull();
    expect(pending.type).toBe("eip1559");
    expect(await client.getTransactionCount({ address: account.address, blockTag: "pending" })).toBe(1);
    expect(await client.getTransactionCount({ address: account.address })).toBe(0);

    t.backend.commit();
    const receipt: TransactionReceipt = await client.getTransactionReceipt({ hash });
    expect(receipt.status).toBe("success");
    expect(receipt.blockNumber).toBe(1n);
    expect(receipt.gasUsed).toBe(21_000n);
    expect(receipt.from).toBe(account.address.toLowerCase());
    expect(receipt.to).toBe(to.toLowerCase());
    expect(receipt.type).toBe("eip1559");
    expect(receipt.logs).toEqual([]);
    const mined = await client.getTransaction({ hash });
    expect(mined.blockNumber).toBe(1n);
    expect(mined.value).toBe(parseEther("1.5"));
    expect(mined.gasPrice).toBe(receipt.effectiveGasPrice);
    expect(await client.getBalance({ address: to })).toBe(parseEther("1.5"));
    const block = await client.getBlock({ blockNumber: 1n, includeTransactions: true });
    expect(block.transactions).toHaveLength(1);
    expect(block.transactions[0]!.hash).toBe(hash);
    expect(block.gasUsed).toBe(21_000n);

    // The same nonce again: viem maps the node's message to its NonceTooLowError.
    const stale = wallet.sendTransaction({ to, value: 1n, nonce: 0 });
    await expect(stale).rejects.toSatisfy((e: unknown) => (e as Error & { walk: (f: (x: unknown) => boolean) => unknown }).walk((x) => x instanceof NonceTooLowError) !== null);
  });

  it("sends a legacy transaction and reports its type", async () => {
    const t = await startServer();
    const account = mnemonicToAccount(MNEMONIC);
    const chain = chainFor(t.url);
    const wallet = createWalletClient({ account, chain, transport: http(t.url, { retryCount: 0 }) });
    const hash = await wallet.sendTransaction({ to: formatAddress(DEV1!.address) as `0x${string}`, value: 5n, type: "legacy" });
    t.backend.commit();
    const client = createPublicClient({ chain, transport: http(t.url, { retryCount: 0 }) });
    const tx = await client.getTransaction({ hash });
    expect(tx.type).toBe("legacy");
    expect(tx.chainId).toBe(31337);
    expect((await client.getTransactionReceipt({ hash })).type).toBe("legacy");
  });

  it("estimates fees the way viem's EIP-1559 path expects", async () => {
    const t = await startServer();
    t.backend.commit();
    const client = createPublicClient({ chain: chainFor(t.url), transport: http(t.url, { retryCount: 0 }) });
    const fees = await client.estimateFeesPerGas();
    expect(fees.maxPriorityFeePerGas).toBe(1_000_000_000n);
    expect(fees.maxFeePerGas).toBeGreaterThan(1_000_000_000n);
    const history = await client.getFeeHistory({ blockCount: 4, rewardPercentiles: [25, 75] });
    expect(history.baseFeePerGas).toHaveLength(3);
    expect(history.oldestBlock).toBe(0n);
    expect(history.reward).toEqual([[0n, 0n], [0n, 0n]]);
    const gas = await client.estimateGas({ account: formatAddress(DEV0!.address) as `0x${string}`, to: formatAddress(DEV1!.address) as `0x${string}`, value: 1n });
    expect(gas).toBe(21_000n);
  });
});

describe("viem over webSocket", () => {
  it("reads over the same port and receives newHeads", async () => {
    const t = await startServer();
    const transport = webSocket(t.wsUrl, { retryCount: 0, reconnect: false });
    const client = createPublicClient({ chain: chainFor(t.url), transport });
    expect(await client.getChainId()).toBe(31337);
    expect(await client.getBlockNumber({ cacheTime: 0 })).toBe(0n);

    const heads: unknown[] = [];
    let arrived: () => void = () => undefined;
    const two = new Promise<void>((resolve) => (arrived = resolve));
    // Resolves once the server answered eth_subscribe: from then on no head is missed.
    const { subscriptionId, unsubscribe } = await client.transport.subscribe({
      params: ["newHeads"],
      onData: (data) => {
        heads.push((data as { result?: unknown }).result);
        if (heads.length === 2) arrived();
      },
      onError: (err) => heads.push(err),
    });
    expect(subscriptionId).toMatch(/^0x[0-9a-f]{32}$/);
    const b1 = t.backend.commit();
    t.backend.commit();
    await two;
    expect(heads.map((h) => (h as { number: string }).number)).toEqual(["0x1", "0x2"]);
    expect((heads[0] as { hash: string }).hash).toBe(`0x${Buffer.from(b1.hash).toString("hex")}`);
    await unsubscribe();
  });

  it("watchBlocks sees committed blocks through newHeads", async () => {
    const t = await startServer();
    const client = createPublicClient({ chain: chainFor(t.url), transport: webSocket(t.wsUrl, { retryCount: 0, reconnect: false }) });
    const numbers: bigint[] = [];
    const seen = new Promise<void>((resolve, reject) => {
      const unwatch = client.watchBlocks({
        onBlock: (block) => {
          numbers.push(block.number!);
          if (block.number === 3n) {
            unwatch();
            resolve();
          }
        },
        onError: reject,
      });
    });
    // watchBlocks subscribes asynchronously; keep committing until it reports block 3 (event-driven, no sleep).
    const producer = setInterval(() => {
      if (t.backend.headHeight() < 3) t.backend.commit();
    }, 20);
    await seen.finally(() => clearInterval(producer));
    expect(numbers[numbers.length - 1]).toBe(3n);
    expect([...numbers].sort()).toEqual(numbers);
  });
});
