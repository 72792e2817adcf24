// The devnet's live status line: polls every validator's xdp_status once a second and shows the best
// finalized height, how many validators answer and agree, the last finality latency and transactions per second.
// On a terminal the line is redrawn in place; otherwise a line is printed every few seconds. Also reports
// validator processes that exit on their own, with where their log is.

import type { DevnetProcesses } from "./devnet-processes.ts";
import { rpcCall } from "./rpc-client.ts";

interface NodeStatus {
  finalizedHeight: number;
  lastFinalityLatencyMs: number;
  finalizedTransactions: number;
  transport: string;
  syncing: boolean;
}

const POLL_MS = 1_000;
const PLAIN_EVERY_POLLS = 5;

export class DevnetStatus {
  constructor(private readonly urls: readonly string[]) {}

  async poll(): Promise<(NodeStatus | null)[]> {
    return Promise.all(this.urls.map((u) => rpcCall<NodeStatus>(u, "xdp_status", [], 900).catch(() => null)));
  }

  /** Runs until SIGINT/SIGTERM or `durationMs`; resolves with the exit code for the command. */
  run(o: { durationMs?: number; processes: DevnetProcesses }): Promise<number> {
    return new Promise((resolve) => {
      const tty = process.stdout.isTTY === true;
      const started = Date.now();
      let polls = 0;
      let lastTx: { at: number; count: number } | null = null;
      const reported = new Set<number>();
      const finish = (code: number) => {
        clearInterval(timer);
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
        resolve(code);
      };
      const onSignal = () => finish(0);
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
      const timer = setInterval(async () => {
        polls++;
        const statuses = await this.poll();
        const up = statuses.filter((s): s is NodeStatus => s !== null);
        const height = Math.max(0, ...up.map((s) => s.finalizedHeight));
        const everywhere = up.length ? Math.min(...up.map((s) => s.finalizedHeight)) : 0;
        const txs = Math.max(0, ...up.map((s) => s.finalizedTransactions));
        const now = Date.now();
        const rate = lastTx && now > lastTx.at ? ((txs - lastTx.count) * 1000) / (now - lastTx.at) : 0;
        lastTx = { at: now, count: txs };
        const latency = up.length ? Math.min(...up.map((s) => s.lastFinalityLatencyMs)) : 0;
        const line =
          `height ${height}  finalized by all ${everywhere}  finality ${latency} ms  ${rate.toFixed(0)} tx/s  ` +
          `validators answering ${up.length}/${this.urls.length}${up.some((s) => s.syncing) ? "  (syncing)" : ""}  [${Math.round((now - started) / 1000)} s]`;
        if (tty) process.stdout.write(`\r${line.padEnd(100)}`);
        else if (polls % PLAIN_EVERY_POLLS === 1) console.log(line);
        o.processes.nodes.forEach((r, i) => {
          if (r.child === null && r.lastExit && !reported.has(i)) {
            reported.add(i);
            process.stdout.write("\n");
            console.log(`devnet: node ${i} exited (code ${r.lastExit.code}, signal ${r.lastExit.signal}); log: ${r.node.home}/node.log\n${o.processes.logTail(i, 10)}`);
          }
        });
        if (o.durationMs !== undefined && now - started >= o.durationMs) finish(0);
      }, POLL_MS);
    });
  }
}
