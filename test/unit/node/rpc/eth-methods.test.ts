// eth_/net_/web3_/xdp_ methods over HTTP against the fake backend: strict parameter checks (-32602 naming the
// parameter), state only at the finalized head, block selectors, gas estimation rules, transaction refusals with
// go-ethereum messages, fee history, JSON shapes, and the xdp_ namespace.
import { mnemonicToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { verifyAccountProof } from "../../../../consensus/state/account-proof.ts";
import { encodeStakingCall, STAKING_ADDRESS, StakingOp } from "../../../../consensus/execution/staking-call.ts";
import { formatAddress, formatData } from "../../../../node/rpc/hex.ts";
import { DEV0, DEV1, ETHER, call, useRpcServers } from "./rpc-test-server.ts";

const startServer = useRpcServers();
const A0 = formatAddress(DEV0!.address);
const A1 = formatAddress(DEV1!.address);
const account = mnemonicToAccount("test test test test test test test test test test test junk");

interface Signed {
  nonce?: number;
  chainId?: number;
  value?: bigint;
  maxFeePerGas?: bigint;
  tip?: bigint;
  type?: "legacy";
}

function sign(o: Signed = {}): Promise<`0x${string}`> {
  const common = { chainId: o.chainId ?? 31337, to: A1 as `0x${string}`, value: o.value ?? 1n, nonce: o.nonce ?? 0, gas: 21_000n };
  if (o.type === "legacy") return account.signTransaction({ ...common, type: "legacy", gasPrice: 2_000_000_000n });
  return account.signTransaction({ ...common, type: "eip1559", maxFeePerGas: o.maxFeePerGas ?? 3_000_000_000n, maxPriorityFeePerGas: o.tip ?? 1_000_000_000n });
}

async function expectError(url: string, method: string, params: unknown[], code: number, fragment: string): Promise<void> {
  const r = await call(url, method, params);
  expect(r.error, `${method} ${JSON.stringify(params)}`).toBeDefined();
  expect(r.error!.code).toBe(code);
  expect(r.error!.message).toContain(fragment);
}

describe("simple methods", () => {
  it("answers chain and node facts", async () => {
    const t = await startServer();
    const results = await Promise.all(
      ["eth_chainId", "net_version", "net_listening", "net_peerCount", "web3_clientVersion", "eth_accounts", "eth_syncing", "eth_blockNumber"].map(
        async (m) => (await call(t.url, m)).result,
      ),
    );
    expect(results).toEqual(["0x7a69", "31337", true, "0x3", "xdpchain/v0.1.0-test", [], false, "0x0"]);
    t.backend.syncStatus = { startingBlock: 0, currentBlock: 10, highestBlock: 255 };
    expect((await call(t.url, "eth_syncing")).result).toEqual({ startingBlock: "0x0", currentBlock: "0xa", highestBlock: "0xff" });
    expect((await call(t.url, "web3_sha3", ["0x"])).result).toBe("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    await expectError(t.url, "eth_chainId", [1], -32602, "too many arguments");
  });
});

describe("state reads", () => {
  it("reads balance, nonce, code and storage at the head", async () => {
    const t = await startServer();
    expect((await call(t.url, "eth_getBalance", [A0, "latest"])).result).toBe(`0x${(10_000n * ETHER).toString(16)}`);
    expect((await call(t.url, "eth_getBalance", [A0])).result).toBe(`0x${(10_000n * ETHER).toString(16)}`);
    expect((await call(t.url, "eth_getBalance", [A1, "0x0"])).result).toBe("0x0");
    expect((await call(t.url, "eth_getCode", [A0, "latest"])).result).toBe("0x");
    expect((await call(t.url, "eth_getStorageAt", [A0, "0x0", "latest"])).result).toBe(formatData(new Uint8Array(32)));
    expect((await call(t.url, "eth_getStorageAt", [A0, formatData(new Uint8Array(32)), "latest"])).result).toBe(formatData(new Uint8Array(32)));
    expect((await call(t.url, "eth_getStorageAt", [A0, "slot", "latest"])).error).toMatchObject({ code: -32602, message: expect.stringContaining("argument 1 (slot)") });
    const headHash = formatData(t.backend.blocks[0]!.hash);
    expect((await call(t.url, "eth_getBalance", [A1, { blockHash: headHash }])).result).toBe("0x0");
  });

  it("counts pending transactions only with the pending tag", async () => {
    const t = await startServer();
    expect((await call(t.url, "eth_sendRawTransaction", [await sign()])).result).toMatch(/^0x[0-9a-f]{64}$/);
    expect((await call(t.url, "eth_getTransactionCount", [A0, "pending"])).result).toBe("0x1");
    expect((await call(t.url, "eth_getTransactionCount", [A0, "latest"])).result).toBe("0x0");
    t.backend.commit();
    expect((await call(t.url, "eth_getTransactionCount", [A0, "finalized"])).result).toBe("0x1");
  });

  it("refuses state below or above the finalized head with -32000 saying what is supported", async () => {
    const t = await startServer();
    t.backend.commit();
    t.backend.commit();
    await expectError(t.url, "eth_getBalance", [A0, "0x1"], -32000, "keeps state only at the finalized head (block 2)");
    await expectError(t.url, "eth_getBalance", [A0, "earliest"], -32000, "use \"latest\"");
    await expectError(t.url, "eth_getTransactionCount", [A0, "0x9"], -32000, "header not found");
    await expectError(t.url, "eth_getBalance", [A0, { blockHash: formatData(t.backend.blocks[0]!.hash) }], -32000, "state at block 0");
    await expectError(t.url, "eth_getBalance", [A0, { blockHash: formatData(new Uint8Array(32)) }], -32000, "not found");
    expect((await call(t.url, "eth_getBalance", [A1, "0x2"])).result).toBe("0x0");
  });

  it.each([
    [[123, "latest"], "argument 0 (address)"],
    [["0x1234", "latest"], "argument 0 (address)"],
    [["0xF39fd6e51aad88F6F4ce6aB8827279cffFb92266", "latest"], "checksum"],
    [[A0, "newest"], "argument 1 (block)"],
    [[A0, "0x01"], "leading zero"],
    [[A0, 5], "argument 1 (block)"],
    [[A0, { blockNumber: "0x0", blockHash: "0x00" }], "exactly one"],
    [[A0, "latest", "extra"], "too many arguments"],
    [[], "missing value for required argument 0"],
  ])("eth_getBalance %j is -32602 (%s)", async (params, fragment) => {
    const t = await startServer();
    await expectError(t.url, "eth_getBalance", params, -32602, fragment);
  });
});

describe("blocks and transactions", () => {
  it("selects blocks by tag, number and hash, with hashes or full transactions", async () => {
    const t = await startServer();
    await call(t.url, "eth_sendRawTransaction", [await sign()]);
    const b1 = t.backend.commit();
    const byTag = (await call(t.url, "eth_getBlockByNumber", ["latest", false])).result as Record<string, unknown>;
    expect(byTag.number).toBe("0x1");
    expect(byTag.hash).toBe(formatData(b1.hash));
    expect(byTag.transactions).toEqual([formatData(b1.receipts[0]!.transactionHash)]);
    expect(byTag.miner).toBe(formatData(new Uint8Array(20).fill(0x42)));
    expect(byTag.gasUsed).toBe("0x5208");
    expect(byTag.timestamp).toBe(`0x${Math.floor(b1.block.header.timestampMs / 1000).toString(16)}`);
    expect(byTag.logsBloom).toBe(formatData(new Uint8Array(256)));
    for (const tag of ["safe", "finalized", "pending", "0x1"]) {
      expect(((await call(t.url, "eth_getBlockByNumber", [tag, false])).result as { hash: string }).hash).toBe(formatData(b1.hash));
    }
    expect(((await call(t.url, "eth_getBlockByNumber", ["earliest", false])).result as { number: string }).number).toBe("0x0");
    expect((await call(t.url, "eth_getBlockByNumber", ["0x2", false])).result).toBeNull();
    const full = (await call(t.url, "eth_getBlockByHash", [formatData(b1.hash), true])).result as { transactions: Record<string, unknown>[] };
    expect(full.transactions[0]).toMatchObject({ from: A0, to: A1, blockNumber: "0x1", transactionIndex: "0x0", type: "0x2", value: "0x1" });
    expect((await call(t.url, "eth_getBlockByHash", [formatData(new Uint8Array(32)), false])).result).toBeNull();
    expect((await call(t.url, "eth_getBlockTransactionCountByNumber", ["latest"])).result).toBe("0x1");
    expect((await call(t.url, "eth_getBlockTransactionCountByHash", [formatData(b1.hash)])).result).toBe("0x1");
    expect((await call(t.url, "eth_getBlockTransactionCountByNumber", ["0x7"])).result).toBeNull();
    expect(((await call(t.url, "eth_getTransactionByBlockNumberAndIndex", ["0x1", "0x0"])).result as { hash: string }).hash).toBe(
      formatData(b1.receipts[0]!.transactionHash),
    );
    expect((await call(t.url, "eth_getTransactionByBlockNumberAndIndex", ["0x1", "0x1"])).result).toBeNull();
    await expectError(t.url, "eth_getBlockByNumber", ["latest", "yes"], -32602, "argument 1 (fullTransactions)");
    await expectError(t.url, "eth_getBlockByNumber", ["0xnope", false], -32602, "argument 0 (blockNumber)");
    await expectError(t.url, "eth_getBlockByHash", ["0x1234", false], -32602, "argument 0 (blockHash)");
  });

  it("returns receipts with the Ethereum fields and null for unknown hashes", async () => {
    const t = await startServer();
    const hash = (await call(t.url, "eth_sendRawTransaction", [await sign({ type: "legacy" })])).result as string;
    expect((await call(t.url, "eth_getTransactionReceipt", [hash])).result).toBeNull();
    expect(((await call(t.url, "eth_getTransactionByHash", [hash])).result as { blockHash: unknown }).blockHash).toBeNull();
    const b = t.backend.commit();
    expect((await call(t.url, "eth_getTransactionReceipt", [hash])).result).toEqual({
      transactionHash: hash,
      transactionIndex: "0x0",
      blockHash: formatData(b.hash),
      blockNumber: "0x1",
      from: A0,
      to: A1,
      cumulativeGasUsed: "0x5208",
      gasUsed: "0x5208",
      effectiveGasPrice: "0x77359400",
      contractAddress: null,
      logs: [],
      logsBloom: formatData(new Uint8Array(256)),
      status: "0x1",
      type: "0x0",
    });
    const tx = (await call(t.url, "eth_getTransactionByHash", [hash])).result as Record<string, string>;
    expect(tx.v).toMatch(/^0xf4f[56]$/); // 31337 * 2 + 35 + parity
    expect(tx.gasPrice).toBe("0x77359400");
    expect(tx).not.toHaveProperty("maxFeePerGas");
    const unknown = formatData(new Uint8Array(32).fill(9));
    expect((await call(t.url, "eth_getTransactionByHash", [unknown])).result).toBeNull();
    expect((await call(t.url, "eth_getTransactionReceipt", [unknown])).result).toBeNull();
    await expectError(t.url, "eth_getTransactionReceipt", ["0xabc"], -32602, "argument 0 (hash)");
  });
});

describe("sending", () => {
  it("maps refusals to -32000 with go-ethereum messages", async () => {
    const t = await startServer();
    await expectError(t.url, "eth_sendRawTransaction", [await sign({ chainId: 1 })], -32000, "invalid chain id for signer");
    expect((await call(t.url, "eth_sendRawTransaction", [await sign()])).error).toBeUndefined();
    await expectError(t.url, "eth_sendRawTransaction", [await sign()], -32000, "already known");
    t.backend.commit();
    const low = await call(t.url, "eth_sendRawTransaction", [await sign({ nonce: 0, value: 2n })]);
    expect(low.error).toEqual({ code: -32000, message: "nonce too low: next nonce 1, tx nonce 0", data: { code: "TX_ERROR_NONCE_TOO_LOW" } });
    await expectError(t.url, "eth_sendRawTransaction", [await sign({ nonce: 1, value: 20_000n * ETHER })], -32000, "insufficient funds for gas * price + value");
    await expectError(t.url, "eth_sendRawTransaction", [await sign({ nonce: 1, maxFeePerGas: 500_000_000n, tip: 1n })], -32000, "max fee per gas less than block base fee");
    await expectError(t.url, "eth_sendRawTransaction", ["0xc0"], -32000, "rlp:");
    await expectError(t.url, "eth_sendRawTransaction", ["0x"], -32602, "empty transaction");
    await expectError(t.url, "eth_sendRawTransaction", ["0xzz"], -32602, "argument 0 (data)");
    await expectError(t.url, "eth_sendRawTransaction", [`0x${"00".repeat(128 * 1024 + 1)}`], -32602, "at most");
  });
});

describe("gas and fees", () => {
  it("estimates transfers, staking calls and access lists; refuses what cannot run", async () => {
    const t = await startServer();
    const est = (o: Record<string, unknown>): Promise<{ result?: unknown; error?: { code: number; message: string } }> => call(t.url, "eth_estimateGas", [o]);
    expect((await est({ from: A0, to: A1, value: "0x1" })).result).toBe("0x5208");
    expect((await est({ to: A1 })).result).toBe("0x5208");
    const key = formatData(new Uint8Array(32));
    expect((await est({ to: A1, accessList: [{ address: A1, storageKeys: [key] }] })).result).toBe(`0x${(21_000 + 2_400 + 1_900).toString(16)}`);
    const unjail = formatData(encodeStakingCall({ op: StakingOp.Unjail, publicKey: new Uint8Array(32).fill(1) }));
    expect((await est({ from: A0, to: formatAddress(STAKING_ADDRESS), data: unjail })).result).toBe("0xc350");
    expect((await est({ to: formatAddress(STAKING_ADDRESS), data: "0x09" })).error).toMatchObject({ code: -32000, message: expect.stringContaining("staking call data is malformed") });
    expect((await est({ to: A1, data: "0x12" })).error).toMatchObject({ code: -32000, message: expect.stringContaining("contract calls are not supported") });
    expect((await est({ from: A0, data: "0x6000" })).error).toMatchObject({ code: -32000, message: expect.stringContaining("contract creation is not supported") });
    expect((await est({ from: A1, to: A0, value: "0x1" })).error).toMatchObject({ code: -32000, message: "insufficient funds for transfer" });
    expect((await est({ from: A0, to: A1, chainId: "0x1" })).error).toMatchObject({ code: -32000, message: "invalid chain id for signer" });
    expect((await est({ to: A1, input: "0x01", data: "0x02" })).error).toMatchObject({ code: -32602 });
    expect((await est({ to: A1, value: 5 })).error).toMatchObject({ code: -32602, message: expect.stringContaining("value") });
    await expectError(t.url, "eth_estimateGas", ["nope"], -32602, "argument 0 (transaction)");
  });

  it("refuses eth_call clearly", async () => {
    const t = await startServer();
    await expectError(t.url, "eth_call", [{ to: A1, data: "0x70a08231" }, "latest"], -32000, "no contracts");
    await expectError(t.url, "eth_call", [{ to: 5 }, "latest"], -32602, "argument 0 (transaction)");
  });

  it("reports gas price, tip and fee history with gas-weighted tip percentiles", async () => {
    const t = await startServer();
    expect((await call(t.url, "eth_gasPrice")).result).toBe("0x77359400");
    expect((await call(t.url, "eth_maxPriorityFeePerGas")).result).toBe("0x3b9aca00");
    await call(t.url, "eth_sendRawTransaction", [await sign()]);
    t.backend.commit();
    t.backend.commit();
    const h = (await call(t.url, "eth_feeHistory", ["0x2", "latest", [10, 50, 90]])).result as Record<string, unknown>;
    expect(h).toEqual({
      oldestBlock: "0x1",
      baseFeePerGas: ["0x3b9aca00", "0x3b9aca00", "0x3b9aca00"],
      gasUsedRatio: [21_000 / Number(t.backend.params.blockGasLimit), 0],
      reward: [["0x3b9aca00", "0x3b9aca00", "0x3b9aca00"], ["0x0", "0x0", "0x0"]],
    });
    const clamped = (await call(t.url, "eth_feeHistory", [5000, "0x1"])).result as { oldestBlock: string; baseFeePerGas: string[] };
    expect(clamped.oldestBlock).toBe("0x0");
    expect(clamped.baseFeePerGas).toHaveLength(3);
    await expectError(t.url, "eth_feeHistory", ["0x2", "latest", [50, 10]], -32602, "monotonically");
    await expectError(t.url, "eth_feeHistory", ["0x2", "latest", [101]], -32602, "rewardPercentiles");
    await expectError(t.url, "eth_feeHistory", ["0x2", "0x99"], -32000, "beyond head");
    await expectError(t.url, "eth_feeHistory", ["two", "latest"], -32602, "blockCount");
  });
});

describe("subscriptions over HTTP", () => {
  it("says notifications are not supported", async () => {
    const t = await startServer();
    await expectError(t.url, "eth_subscribe", ["newHeads"], -32601, "notifications not supported");
  });
});

describe("xdp namespace", () => {
  it("passes status, validators and peers through and proves accounts", async () => {
    const t = await startServer();
    expect((await call(t.url, "xdp_status")).result).toEqual({ headHeight: 0, role: "validator", transport: "udp" });
    expect((await call(t.url, "xdp_validators")).result).toHaveLength(1);
    expect((await call(t.url, "xdp_peers")).result).toHaveLength(3);
    const p = (await call(t.url, "xdp_getAccountProof", [A0])).result as Record<string, unknown>;
    expect(p).toMatchObject({ address: A0, balance: `0x${(10_000n * ETHER).toString(16)}`, nonce: "0x0", blockNumber: "0x0", blockHash: formatData(t.backend.blocks[0]!.hash) });
    expect((p.proof as { siblings: string[] }).siblings).toHaveLength(1);
    expect(p.encodedProof).toMatch(/^0x0001/);
    // The fake's proof is not a real tree path, so the pure verifier must refuse it against the header's root.
    expect(verifyAccountProof(t.backend.blocks[0]!.block.header.stateRoot, DEV0!.address, { balance: 10_000n * ETHER, nonce: 0n }, { siblings: [new Uint8Array(32)], otherLeaf: null })).toBe(false);
    await expectError(t.url, "xdp_getAccountProof", ["0x12"], -32602, "argument 0 (address)");
    t.backend.failing.add("status");
    expect((await call(t.url, "xdp_status")).error).toEqual({ code: -32603, message: "internal error" });
  });
});
