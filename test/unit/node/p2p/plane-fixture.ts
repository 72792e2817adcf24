// Test fixture for the control plane over real TCP on 127.0.0.1: nodes with deterministic keys, in-memory
// block handlers, recorded logs and gossip, and a polling wait for conditions that arrive over the network.
import { createServer } from "node:net";

import { sha256 } from "../../../../consensus/crypto/hash.ts";
import { ControlPlane, type ControlPlaneOptions } from "../../../../node/p2p/control-plane.ts";
import type { ControlPlaneLimits } from "../../../../node/p2p/control-plane-limits.ts";
import type { LogLevel } from "../../../../node/p2p/plane-context.ts";

export const CHAIN_ID = 31337n;
export const GENESIS = sha256(new TextEncoder().encode("xdpchain p2p test genesis"));

export function seedKey(n: number): Uint8Array {
  return new Uint8Array(32).fill(n);
}

export interface LogLine {
  level: LogLevel;
  msg: string;
  data?: object;
}

export interface TestNode {
  plane: ControlPlane;
  logs: LogLine[];
  received: { raws: Uint8Array[]; from: string }[];
  blocks: Map<number, Uint8Array>;
  byHash: Map<string, Uint8Array>;
}

export interface TestNodeOptions {
  seed: number;
  bootstrap?: string[];
  listen?: string[];
  genesisHash?: Uint8Array;
  chainId?: bigint;
  finalizedHeight?: number;
  limits?: Partial<ControlPlaneLimits>;
  /** Called after recording received gossip (e.g. to re-gossip). */
  onTransactions?: (node: TestNode, raws: Uint8Array[], from: string) => void;
  blocksByRange?: ControlPlaneOptions["handlers"]["blocksByRange"];
}

export async function startNode(o: TestNodeOptions): Promise<TestNode> {
  const logs: LogLine[] = [];
  const node = { logs, received: [], blocks: new Map(), byHash: new Map() } as unknown as TestNode;
  node.plane = await ControlPlane.start({
    chainId: o.chainId ?? CHAIN_ID,
    genesisHash: o.genesisHash ?? GENESIS,
    identitySecretKey: seedKey(o.seed),
    listen: o.listen ?? ["/ip4/127.0.0.1/tcp/0"],
    bootstrap: o.bootstrap ?? [],
    handlers: {
      status: () => ({ finalizedHeight: o.finalizedHeight ?? 0, finalizedHash: new Uint8Array(32).fill(o.seed) }),
      blocksByRange:
        o.blocksByRange ??
        (async (from, count) => {
          const out: Uint8Array[] = [];
          for (let h = from; h < from + count && node.blocks.has(h); h++) out.push(node.blocks.get(h)!);
          return out;
        }),
      blockByHash: async (hash) => node.byHash.get(Buffer.from(hash).toString("hex")),
      onTransactions: (raws, from) => {
        node.received.push({ raws, from });
        o.onTransactions?.(node, raws, from);
      },
    },
    log: (level, msg, data) => logs.push({ level, msg, data }),
    limits: { redialDelayMinMs: 100, redialDelayMaxMs: 1000, ...o.limits },
  });
  return node;
}

/** Polls cond every 20 ms; throws naming `what` after timeoutMs. For conditions that cross real sockets. */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A TCP port that was free a moment ago (for a node that must be named before it starts). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

export function connectedTo(node: TestNode, other: TestNode): boolean {
  return node.plane.peers().some((p) => p.peerId === other.plane.peerId);
}
