// The root-only devnet topology: one network namespace per validator, each with a veth `eth0` (where AF_XDP
// binds) plugged into a bridge that lives in a hub namespace of its own, plus one veth from the host into the hub
// so the launcher reaches the validators' RPC and metrics. The bridge sits outside the host's namespace so the
// host's firewall never sees validator traffic. Addresses 10.<subnet>.0.(i+1), host 10.<subnet>.0.254.
// Everything created is recorded and removed by destroy(); names carry a per-run tag so runs never collide.

import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as net from "node:net";
import type { NodeAddresses, Topology } from "./devnet-plan.ts";

const RPC_PORT = 8545;
const DATA_PORT = 9000;
const P2P_PORT = 26656;
const METRICS_PORT = 9615;
const LANE_PORT = 9400;
/** The host port validator i's metrics are forwarded to: HOST_METRICS_PORT_BASE + i on 127.0.0.1. */
export const HOST_METRICS_PORT_BASE = 9615;

function ip(args: string[]): void {
  execFileSync("ip", args, { stdio: ["ignore", "ignore", "pipe"] });
}

export class NetnsDevnet {
  private readonly namespaces: string[] = [];
  private readonly servers: net.Server[] = [];
  readonly topology: Topology;

  private constructor(
    readonly nodes: number,
    private readonly rpcPortBase: number,
    readonly subnet: number,
    private readonly tag: string,
  ) {
    this.topology = { kind: "netns", addresses: (i) => this.addresses(i) };
  }

  /** Creates the namespaces and links. Throws (after removing what it made) when a step fails. */
  static create(nodes: number, rpcPortBase: number, subnet = 213): NetnsDevnet {
    const d = new NetnsDevnet(nodes, rpcPortBase, subnet, randomBytes(2).toString("hex"));
    try {
      d.build();
    } catch (err) {
      d.destroySync();
      throw new Error(`devnet: could not create network namespaces: ${(err as Error).message}`);
    }
    return d;
  }

  get hostAddress(): string {
    return `10.${this.subnet}.0.254`;
  }

  addresses(i: number): NodeAddresses {
    return {
      host: `10.${this.subnet}.0.${i + 1}`,
      dataPort: DATA_PORT,
      p2pPort: P2P_PORT,
      rpcPort: RPC_PORT,
      metricsPort: METRICS_PORT,
      lanePort: LANE_PORT,
      interface: "eth0",
      netns: this.nsName(i),
    };
  }

  private nsName(i: number): string {
    return `xdn${this.tag}v${i}`;
  }

  private build(): void {
    const hub = `xdn${this.tag}hub`;
    this.addNamespace(hub);
    ip(["-n", hub, "link", "add", "br0", "type", "bridge"]);
    ip(["-n", hub, "link", "set", "br0", "up"]);
    // Host <-> hub: created in the hub, one end moved to the host's namespace (pid 1's).
    const hostIf = `xdn${this.tag}h`;
    ip(["-n", hub, "link", "add", "up0", "type", "veth", "peer", "name", hostIf, "netns", "1"]);
    ip(["-n", hub, "link", "set", "up0", "master", "br0", "up"]);
    ip(["addr", "add", `${this.hostAddress}/24`, "dev", hostIf]);
    ip(["link", "set", hostIf, "up"]);
    for (let i = 0; i < this.nodes; i++) {
      const ns = this.nsName(i);
      this.addNamespace(ns);
      ip(["-n", hub, "link", "add", `v${i}`, "type", "veth", "peer", "name", "eth0", "netns", ns]);
      ip(["-n", hub, "link", "set", `v${i}`, "master", "br0", "up"]);
      ip(["-n", ns, "addr", "add", `${this.addresses(i).host}/24`, "dev", "eth0"]);
      ip(["-n", ns, "link", "set", "eth0", "up"]);
    }
  }

  private addNamespace(ns: string): void {
    ip(["netns", "add", ns]);
    this.namespaces.push(ns);
    ip(["-n", ns, "link", "set", "lo", "up"]);
  }

  /** 127.0.0.1:(rpcPortBase + i) -> validator i's RPC, and the same for metrics at 9615 + i. */
  async forwardRpc(): Promise<void> {
    for (let i = 0; i < this.nodes; i++) {
      const a = this.addresses(i);
      await this.forward(this.rpcPortBase + i, a.host, a.rpcPort);
      await this.forward(HOST_METRICS_PORT_BASE + i, a.host, a.metricsPort);
    }
  }

  private forward(localPort: number, host: string, port: number): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect({ host, port });
      client.pipe(upstream).pipe(client);
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on("error", end);
      upstream.on("error", end);
      client.on("close", end);
      upstream.on("close", end);
    });
    this.servers.push(server);
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(localPort, "127.0.0.1", () => resolve());
    });
  }

  async destroy(): Promise<void> {
    await Promise.all(this.servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    this.servers.length = 0;
    this.destroySync();
  }

  /** Deleting a namespace deletes its veth ends and their peers (the host's end with the hub's). */
  private destroySync(): void {
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
