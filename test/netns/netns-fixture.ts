// Root-only test fixture: network namespaces joined by veth pairs, with unique names per run and addresses
// (10.x) that exist only inside the namespaces created here. Everything created is recorded and removed by
// destroy(), which tests call from afterAll and finally blocks; it never touches names it did not create.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";

import { loadAddon, requireAddon } from "../../net-native/src/index.ts";

export const isRoot = process.getuid?.() === 0;

/** Why root-only suites skip here, or null when they can run. */
export function netnsSkipReason(): string | null {
  if (!isRoot) return "not root (network namespaces, veth and AF_XDP need root)";
  try {
    execFileSync("ip", ["-V"], { stdio: "ignore" });
  } catch {
    return "the ip command (iproute2) is missing";
  }
  const addon = loadAddon();
  if (!addon.ok && process.env.CI !== "true") return addon.reason; // in CI a missing addon fails, never skips
  return null;
}

function ip(args: string[]): string {
  return execFileSync("ip", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

export interface VethPair {
  nsA: string;
  nsB: string;
  ifA: string;
  ifB: string;
  ipA: string;
  ipB: string;
}

export class NetnsFixture {
  private readonly namespaces: string[] = [];
  private readonly tag = randomBytes(3).toString("hex");
  private pairs = 0;

  /** Two fresh namespaces joined by one veth pair (`queues` RX/TX queues each), addresses 10.<subnet>.0.1/.2. */
  pair(subnet: number, queues = 1): VethPair {
    const n = this.pairs++;
    const p: VethPair = {
      nsA: `xc${this.tag}${n}a`,
      nsB: `xc${this.tag}${n}b`,
      ifA: `xc${this.tag}${n}va`,
      ifB: `xc${this.tag}${n}vb`,
      ipA: `10.${subnet}.0.1`,
      ipB: `10.${subnet}.0.2`,
    };
    for (const ns of [p.nsA, p.nsB]) {
      ip(["netns", "add", ns]);
      this.namespaces.push(ns);
      ip(["-n", ns, "link", "set", "lo", "up"]);
    }
    const q = String(queues);
    // Created inside nsA, so nothing ever appears in the host's namespace.
    ip(["-n", p.nsA, "link", "add", p.ifA, "numtxqueues", q, "numrxqueues", q, "type", "veth", "peer", "name", p.ifB,
      "numtxqueues", q, "numrxqueues", q, "netns", p.nsB]);
    ip(["-n", p.nsA, "addr", "add", `${p.ipA}/24`, "dev", p.ifA]);
    ip(["-n", p.nsB, "addr", "add", `${p.ipB}/24`, "dev", p.ifB]);
    ip(["-n", p.nsA, "link", "set", p.ifA, "up"]);
    ip(["-n", p.nsB, "link", "set", p.ifB, "up"]);
    return p;
  }

  /** Runs a command inside a namespace; returns stdout. */
  exec(ns: string, cmd: string, args: string[]): string {
    return execFileSync("ip", ["netns", "exec", ns, cmd, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  }

  /** `ip -d link show` inside the namespace: tests read "prog/xdp" from it. */
  link(ns: string, ifname: string): string {
    return ip(["-n", ns, "-d", "link", "show", "dev", ifname]);
  }

  /** Deleting a namespace deletes its veth end, and with it the peer. Safe to call twice. */
  destroy(): void {
    while (this.namespaces.length) {
      const ns = this.namespaces.pop()!;
      try {
        ip(["netns", "del", ns]);
      } catch {
        // already gone
      }
    }
  }
}

/** Runs fn with the JS thread inside `ns`; sockets created meanwhile stay there. Restores even on failure. */
export async function inNetns<T>(ns: string, fn: () => Promise<T> | T): Promise<T> {
  const addon = requireAddon();
  const saved = addon.netnsEnter(ns);
  try {
    return await fn();
  } finally {
    addon.netnsRestore(saved);
  }
}
