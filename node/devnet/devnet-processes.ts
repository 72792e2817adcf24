// Runs the planned devnet's nodes as child processes (`xdpchain start --home H`, inside the node's network
// namespace when it has one), each writing its log to <home>/node.log. Nodes can be stopped (SIGTERM, then
// SIGKILL after a grace period), killed with a chosen signal and started again, which is what the e2e tests and
// the interactive devnet do. stopAll() leaves no process behind.

import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { DevnetPlan, PlannedNode } from "./devnet-plan.ts";

const BIN = fileURLToPath(new URL("../../bin/xdpchain.js", import.meta.url));
const STOP_GRACE_MS = 10_000;

export interface RunningNode {
  node: PlannedNode;
  child: ChildProcess | null;
  /** Exit code or signal of the last run (null while running or never run). */
  lastExit: { code: number | null; signal: NodeJS.Signals | null } | null;
  starts: number;
}

export class DevnetProcesses {
  readonly nodes: RunningNode[];

  constructor(readonly plan: DevnetPlan) {
    this.nodes = plan.nodes.map((node) => ({ node, child: null, lastExit: null, starts: 0 }));
  }

  rpcUrl(index: number): string {
    const a = this.plan.nodes[index]!.addresses;
    return `http://${a.host}:${a.rpcPort}`;
  }

  start(index: number): void {
    const r = this.nodes[index]!;
    if (r.child) throw new Error(`node ${index} is already running`);
    const log = fs.openSync(path.join(r.node.home, "node.log"), "a");
    // XDPCHAIN_DEVNET_NODE_ARGS adds Node.js flags to every node (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
    const extra = (process.env.XDPCHAIN_DEVNET_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
    const args = [...extra, BIN, "start", "--home", r.node.home];
    const netns = r.node.addresses.netns;
    // Own process group: a terminal's Ctrl-C reaches only the launcher, which then stops each node once (a node
    // that got SIGINT from the terminal and SIGTERM from the launcher would take the second as "exit now").
    const options = { stdio: ["ignore", log, log] as ["ignore", number, number], detached: true };
    const child = netns ? spawn("ip", ["netns", "exec", netns, process.execPath, ...args], options) : spawn(process.execPath, args, options);
    fs.closeSync(log);
    r.child = child;
    r.starts++;
    r.lastExit = null;
    child.on("exit", (code, signal) => {
      if (r.child === child) r.child = null;
      r.lastExit = { code, signal };
    });
  }

  startAll(): void {
    for (let i = 0; i < this.nodes.length; i++) if (this.nodes[i]!.node.role === "validator") this.start(i);
  }

  /** Sends `signal`; resolves when the process has exited. */
  async kill(index: number, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    const child = this.nodes[index]!.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill(signal);
    await exited;
  }

  /** SIGTERM, then SIGKILL if the node has not exited after the grace period. */
  async stop(index: number): Promise<void> {
    const child = this.nodes[index]!.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.nodes.map((_, i) => this.stop(i)));
  }

  /** The last lines of a node's log, for failure messages. */
  logTail(index: number, lines = 30): string {
    try {
      const text = fs.readFileSync(path.join(this.nodes[index]!.node.home, "node.log"), "utf8");
      return text.trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
      return "(no log)";
    }
  }
}
