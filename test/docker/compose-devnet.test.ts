// docker (root): builds the image against a locally built base, brings up compose.yaml's 4-validator devnet on a
// private dockerd, and checks finality, a wallet transfer across validators, liveness with one container stopped
// and catch-up after its restart. Prints the image size, the time from `compose up` to the first finalized block
// and each validator's transport. Skips with a reason when not root; with CI=true a docker setup failure fails.
// Removes its containers, network and volume and stops the dockerd it started; images stay cached.

import { randomInt } from "node:crypto";
import * as net from "node:net";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { createPublicClient, createWalletClient, defineChain, http, parseEther, type Hex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { rpcCall } from "../../node/devnet/rpc-client.ts";
import { DockerEngine, dockerSkipReason, ensureDockerTools } from "./docker-engine.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const COMPOSE_FILE = path.join(ROOT, "compose.yaml");
const BASE_TAG = "xdpchain-base:bookworm-node20";
const IMAGE_TAG = "xdpchain:docker-test";
const PROJECT = `xdpchaintest${randomInt(1000, 9999)}`;
const DEV_MNEMONIC = "test test test test test test test test test test test junk";
const VALIDATORS = 4;

const skip = dockerSkipReason();
if (skip) console.log(`docker devnet: skipped: ${skip}`);

interface Status {
  finalizedHeight: number;
  transport: string;
  peers: number;
}

const log = (line: string) => console.log(`docker devnet: ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function statusOf(url: string): Promise<Status | null> {
  return rpcCall<Status>(url, "xdp_status", [], 1_500).catch(() => null);
}

/** Polls until `done` holds for the statuses (bounded); returns the last statuses seen. */
async function waitFor(urls: string[], what: string, timeoutMs: number, done: (s: (Status | null)[]) => boolean): Promise<(Status | null)[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await Promise.all(urls.map(statusOf));
    if (done(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; heights ${s.map((x) => x?.finalizedHeight ?? "down").join(", ")}`);
    await sleep(500);
  }
}

const heights = (s: (Status | null)[]) => s.map((x) => x?.finalizedHeight ?? -1);

describe.skipIf(skip !== null)("docker compose devnet", () => {
  it("builds the image, finalizes on 4 containers, serves a transfer, survives a stopped validator and catches up", { timeout: 720_000 }, async (ctx) => {
    const started = Date.now();
    let engine: DockerEngine | null = null;
    try {
      await ensureDockerTools(log);
      engine = await DockerEngine.start(log);
      await engine.exec("bash", [path.join(ROOT, "docker", "build-base-image.sh"), BASE_TAG], 300_000);
    } catch (err) {
      await engine?.stop();
      if (process.env.CI === "true") throw err;
      log(`skipped: docker could not be set up: ${(err as Error).message}`);
      ctx.skip();
      return;
    }
    const env: Record<string, string> = { XDPCHAIN_IMAGE: IMAGE_TAG, XDPCHAIN_BASE_IMAGE: BASE_TAG, XDPCHAIN_SUBNET: `172.30.${randomInt(100, 250)}` };
    const rpcPorts: number[] = [];
    for (let i = 0; i < VALIDATORS; i++) {
      rpcPorts.push(await freePort());
      env[`XDPCHAIN_RPC_PORT_${i}`] = String(rpcPorts[i]);
      env[`XDPCHAIN_METRICS_PORT_${i}`] = String(await freePort());
    }
    const urls = rpcPorts.map((p) => `http://127.0.0.1:${p}`);
    const compose = (args: string[], timeoutMs?: number) => engine!.compose(PROJECT, COMPOSE_FILE, args, env, timeoutMs);
    try {
      const buildStart = Date.now();
      await engine.docker(["build", "--network", "host", "--build-arg", `BASE=${BASE_TAG}`, "-t", IMAGE_TAG, ROOT], 600_000);
      const sizeBytes = Number((await engine.docker(["image", "inspect", "--format", "{{.Size}}", IMAGE_TAG])).trim());
      log(`image ${IMAGE_TAG}: ${(sizeBytes / 1e6).toFixed(0)} MB (base ${BASE_TAG}), built in ${((Date.now() - buildStart) / 1000).toFixed(0)} s`);

      const upStart = Date.now();
      await compose(["up", "-d", "--no-build"], 180_000);
      const first = await waitFor(urls, "a first finalized block", 120_000, (s) => s.some((x) => (x?.finalizedHeight ?? 0) >= 1));
      log(`first finalized block ${((Date.now() - upStart) / 1000).toFixed(1)} s after compose up (heights ${heights(first).join(", ")})`);
      const all = await waitFor(urls, "every validator finalizing", 60_000, (s) => s.every((x) => (x?.finalizedHeight ?? 0) >= 1));
      const advanced = await waitFor(urls, "heights to advance", 60_000, (s) => s.every((x, i) => (x?.finalizedHeight ?? 0) > all[i]!.finalizedHeight));
      log(`all ${VALIDATORS} finalize and advance: ${heights(all).join(", ")} -> ${heights(advanced).join(", ")}`);
      log(`transports: ${advanced.map((x, i) => `validator-${i} ${x?.transport} (${x?.peers} peers)`).join(", ")}`);
      const logs = await compose(["logs", "--no-color", "validator-0"], 30_000);
      const fallback = logs.split("\n").find((l) => l.includes("AF_XDP unavailable"));
      log(fallback ? `validator-0 fell back to UDP: ${fallback.trim()}` : "validator-0 log has no fallback line (AF_XDP in use)");

      // A transfer through validator 0; its receipt read from validator 2.
      const chainId = Number(BigInt(await rpcCall<string>(urls[0]!, "eth_chainId")));
      const chain = defineChain({ id: chainId, name: "xdpchain docker devnet", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [urls[0]!] } } });
      const from = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 0 });
      const to = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 1 }).address;
      const wallet = createWalletClient({ account: from, chain, transport: http(urls[0]) });
      const reader = createPublicClient({ chain, transport: http(urls[2]) });
      const before = await reader.getBalance({ address: to });
      const value = parseEther("2");
      const hash: Hex = await wallet.sendTransaction({ to, value });
      const receipt = await reader.waitForTransactionReceipt({ hash, timeout: 30_000, pollingInterval: 250 });
      expect(receipt.status).toBe("success");
      expect((await reader.getBalance({ address: to })) - before).toBe(value);
      log(`transfer ${hash} sent to validator-0, receipt from validator-2: block ${receipt.blockNumber}, status ${receipt.status}`);

      // One container stopped: the other three (3 of 4 stake > 2/3) keep finalizing.
      await compose(["stop", "-t", "10", "validator-3"], 60_000);
      const live = urls.slice(0, 3);
      const atStop = await waitFor(live, "the three to answer", 30_000, (s) => s.every((x) => x !== null));
      const kept = await waitFor(live, "three validators to keep finalizing", 90_000, (s) => s.every((x, i) => (x?.finalizedHeight ?? 0) >= atStop[i]!.finalizedHeight + 5));
      log(`validator-3 stopped; the others went ${heights(atStop).join(", ")} -> ${heights(kept).join(", ")}`);

      // Restarted: it catches up to where the others were when it came back, then keeps up.
      await compose(["start", "validator-3"], 60_000);
      const target = Math.max(...heights(await Promise.all(live.map(statusOf))));
      const caught = await waitFor(urls, `validator-3 to catch up to ${target}`, 120_000, (s) => (s[3]?.finalizedHeight ?? 0) >= target);
      log(`validator-3 restarted and caught up: ${heights(caught).join(", ")} (target ${target})`);
      const hashes = await Promise.all(urls.map((u) => rpcCall<{ hash: string } | null>(u, "eth_getBlockByNumber", [`0x${target.toString(16)}`, false])));
      expect(new Set(hashes.map((b) => b?.hash)).size).toBe(1);
    } catch (err) {
      const tail = await compose(["logs", "--no-color", "--tail", "15"], 30_000).catch((e: Error) => e.message);
      log(`failed; last log lines:\n${tail}`);
      throw err;
    } finally {
      await compose(["down", "-v", "--remove-orphans", "-t", "5"], 120_000).catch((e: Error) => log(`compose down: ${e.message}`));
      await engine.stop();
      log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; containers, network and volume removed, dockerd stopped (images ${BASE_TAG} and ${IMAGE_TAG} stay cached)`);
    }
  });
});
