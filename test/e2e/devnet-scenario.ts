// The validator-node scenario run by the UDP e2e test (loopback) and the AF_XDP netns test: real `xdpchain
// start` processes finalize blocks; a viem wallet sends a transfer from the first development account and sees
// both balances change; a validator killed with SIGKILL and restarted catches up and signs again while the others
// keep finalizing; a follower started late syncs to the head; nobody was slashed (no double-sign). Every wait is
// bounded; failures print the nodes' log tails.

import { expect } from "vitest";
import { createPublicClient, createWalletClient, defineChain, http, parseEther, type Hex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { createDevnetPlan, type DevnetPlan, type Topology } from "../../node/devnet/devnet-plan.ts";
import { DevnetProcesses } from "../../node/devnet/devnet-processes.ts";
import { rpcCall } from "../../node/devnet/rpc-client.ts";

export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

export interface NodeStatus {
  finalizedHeight: number;
  finalizedHash: string;
  role: string;
  view: number | null;
  ownVotesSent: number;
  transport: string;
  syncing: boolean;
}

export interface Devnet {
  plan: DevnetPlan;
  procs: DevnetProcesses;
  url(i: number): string;
  status(i: number): Promise<NodeStatus | null>;
  waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void>;
  heights(): Promise<(number | null)[]>;
}

export function startDevnet(o: { dir: string; topology: Topology; transport: "udp" | "xdp" | "auto"; validators: number; followers: number; url?: (i: number) => string }): Devnet {
  const plan = createDevnetPlan({ dir: o.dir, validators: o.validators, followers: o.followers, transport: o.transport, topology: o.topology, blockIntervalMs: 100, leaderTimeoutMs: 500 });
  const procs = new DevnetProcesses(plan);
  procs.startAll();
  const url = o.url ?? ((i: number) => procs.rpcUrl(i));
  const status = (i: number) => rpcCall<NodeStatus>(url(i), "xdp_status", [], 1_500).catch(() => null);
  const net: Devnet = {
    plan,
    procs,
    url,
    status,
    heights: () => Promise.all(plan.nodes.map((_, i) => status(i).then((s) => s?.finalizedHeight ?? null))),
    async waitFor(what, check, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (await check().catch(() => false)) return;
        await new Promise((r) => setTimeout(r, 250));
      }
      const tails = plan.nodes.map((_, i) => `--- node ${i} ---\n${procs.logTail(i, 15)}`).join("\n");
      throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}\nheights: ${JSON.stringify(await net.heights())}\n${tails}`);
    },
  };
  return net;
}

/** Runs the whole scenario on a started devnet of 4 validators and 1 follower (index 4, not started yet). */
export async function runScenario(net: Devnet): Promise<void> {
  const validators = [0, 1, 2, 3];
  await net.waitFor("every validator finalizes 5 blocks", async () => (await net.heights()).slice(0, 4).every((h) => h !== null && h >= 5), 60_000);
  const first = await net.heights();
  console.log(`devnet: all validators finalizing, heights ${JSON.stringify(first)}`);

  await walletTransfer(net);

  // SIGKILL validator 3; the other three (3 of 4 equal stakes: more than 2/3) keep finalizing.
  const victim = 3;
  await net.procs.kill(victim, "SIGKILL");
  const atKill = Math.max(...((await net.heights()).filter((h) => h !== null) as number[]));
  await net.waitFor("the other validators finalize 10 more blocks", async () => {
    const hs = await net.heights();
    return [0, 1, 2].every((i) => (hs[i] ?? 0) >= atKill + 10);
  }, 60_000);
  net.procs.start(victim);
  const headAtRestart = Math.max(...((await net.heights()).filter((h) => h !== null) as number[]));
  await net.waitFor("the restarted validator catches up", async () => ((await net.status(victim))?.finalizedHeight ?? 0) >= headAtRestart, 60_000);
  const votesAfterCatchUp = (await net.status(victim))!.ownVotesSent;
  await net.waitFor("the restarted validator signs again", async () => ((await net.status(victim))?.ownVotesSent ?? 0) > votesAfterCatchUp + 3, 30_000);
  console.log(`devnet: validator ${victim} killed at height ${atKill}, restarted at ${headAtRestart}, caught up and voting`);

  // A follower that starts late syncs to the head by itself.
  const follower = 4;
  net.procs.start(follower);
  const headAtJoin = Math.max(...((await net.heights()).slice(0, 4).filter((h) => h !== null) as number[]));
  await net.waitFor("the late follower syncs to the head", async () => ((await net.status(follower))?.finalizedHeight ?? 0) >= headAtJoin + 2, 90_000);
  const followerStatus = (await net.status(follower))!;
  expect(followerStatus.role).toBe("follower");

  // Agreement: every node reports the same hash at one height.
  const target = Math.min(...((await net.heights()).filter((h) => h !== null) as number[]));
  const hashes = await Promise.all(net.plan.nodes.map((_, i) => rpcCall<{ hash: string } | null>(net.url(i), "eth_getBlockByNumber", [`0x${target.toString(16)}`, false])));
  expect(new Set(hashes.map((b) => b?.hash)).size).toBe(1);

  // Metrics: the finalized height and the data plane's datagram counters are exported.
  const a = net.plan.nodes[0]!.addresses;
  const metrics = await (await fetch(`http://${a.host}:${a.metricsPort}/metrics`)).text();
  const finalizedMetric = Number(/^xdpchain_finalized_height(?:\{[^}]*\})? (\d+)/m.exec(metrics)?.[1] ?? -1);
  expect(finalizedMetric).toBeGreaterThanOrEqual(target);
  expect(metrics).toMatch(/^xdpchain_transport_datagrams_total\{[^}]*direction="rx"[^}]*\} [1-9]/m);
  expect(metrics).toMatch(/^xdpchain_mempool_transactions /m);

  // No double-sign: nobody was slashed, every validator still has its full stake.
  const set = await rpcCall<{ stake: string }[]>(net.url(0), "xdp_validators");
  expect(set).toHaveLength(validators.length);
  expect(new Set(set.map((v) => v.stake)).size).toBe(1);
}

async function walletTransfer(net: Devnet): Promise<void> {
  const chainId = Number(net.plan.chainId);
  const chain = defineChain({ id: chainId, name: "xdpchain devnet", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [net.url(0)] } } });
  const from = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 0 });
  const to = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 1 }).address;
  const wallet = createWalletClient({ account: from, chain, transport: http(net.url(0)) });
  // Receipts are read from another validator: any node serves the finalized chain.
  const reader = createPublicClient({ chain, transport: http(net.url(1)) });
  const beforeFrom = await reader.getBalance({ address: from.address });
  const beforeTo = await reader.getBalance({ address: to });
  const value = parseEther("1.5");
  const hash: Hex = await wallet.sendTransaction({ to, value });
  const receipt = await reader.waitForTransactionReceipt({ hash, timeout: 30_000, pollingInterval: 250 });
  expect(receipt.status).toBe("success");
  const afterFrom = await reader.getBalance({ address: from.address, blockNumber: undefined });
  const afterTo = await reader.getBalance({ address: to });
  expect(afterTo - beforeTo).toBe(value);
  expect(beforeFrom - afterFrom).toBe(value + receipt.gasUsed * receipt.effectiveGasPrice);
  console.log(`devnet: transfer ${hash} in block ${receipt.blockNumber}, gas ${receipt.gasUsed} at ${receipt.effectiveGasPrice} wei`);
}
