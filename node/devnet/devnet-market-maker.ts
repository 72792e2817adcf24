// The devnet's market maker as a child process beside the validators: `xdpchain lane market-maker` for one
// development account, started once the first validator finalizes blocks, writing <dir>/market-maker.log, and
// stopped with the devnet (SIGTERM, then SIGKILL after a grace period). Its own process so that a failing maker
// never takes the launcher down, and its log is one file to read. The maker itself is node/lane/market-maker.ts.

import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { rpcCall } from "./rpc-client.ts";

const BIN = fileURLToPath(new URL("../../bin/xdpchain.js", import.meta.url));
const STOP_GRACE_MS = 5_000;
const READY_POLL_MS = 500;
/** Development account 9: users are pointed at 2, wallet tests use 0 and 1. */
export const DEVNET_MARKET_MAKER_ACCOUNT = 9;

export interface DevnetMarketMakerOptions {
  dir: string;
  rpcUrls: readonly string[];
  devAccount?: number;
  /** Extra `xdpchain lane market-maker` flags. */
  args?: readonly string[];
  log: (line: string) => void;
}

export class DevnetMarketMaker {
  private child: ChildProcess | null = null;
  private stopping = false;
  lastExit: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  constructor(private readonly o: DevnetMarketMakerOptions) {}

  get logFile(): string {
    return path.join(this.o.dir, "market-maker.log");
  }

  get devAccount(): number {
    return this.o.devAccount ?? DEVNET_MARKET_MAKER_ACCOUNT;
  }

  /** Waits (bounded) until the first validator finalizes a block, then starts; false when stopped or timed out. */
  async startWhenReady(signal: AbortSignal, timeoutMs = 120_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!signal.aborted && Date.now() < deadline) {
      const s = await rpcCall<{ finalizedHeight?: number }>(this.o.rpcUrls[0]!, "xdp_status", [], 900).catch(() => null);
      if ((s?.finalizedHeight ?? 0) >= 1) {
        if (signal.aborted || this.stopping) return false;
        this.start();
        return true;
      }
      await sleep(READY_POLL_MS, undefined, { signal }).catch(() => undefined);
    }
    if (!signal.aborted) this.o.log(`devnet: the market maker was not started: no finalized block after ${timeoutMs / 1000} s`);
    return false;
  }

  start(): void {
    if (this.child) throw new Error("the market maker is already running");
    const log = fs.openSync(this.logFile, "a");
    const args = [
      BIN, "lane", "market-maker", ...this.o.rpcUrls.flatMap((u) => ["--rpc", u]),
      "--dev-account", String(this.devAccount), "--key", path.join(this.o.dir, "market-maker", "lane-key.json"), ...(this.o.args ?? []),
    ];
    // Own process group, like the validators: Ctrl-C reaches the launcher, which stops the maker once.
    const child = spawn(process.execPath, args, { stdio: ["ignore", log, log], detached: true });
    fs.closeSync(log);
    this.child = child;
    this.lastExit = null;
    child.on("exit", (code, sig) => {
      if (this.child === child) this.child = null;
      this.lastExit = { code, signal: sig };
      if (!this.stopping) this.o.log(`devnet: the market maker exited (code ${code}, signal ${sig}); log: ${this.logFile}`);
    });
    this.o.log(`devnet: market maker started (dev account ${this.devAccount}, pid ${child.pid}); log: ${this.logFile}`);
  }

  /** SIGTERM (it cancels its orders and exits), SIGKILL after the grace period. */
  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }
}
